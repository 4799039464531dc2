"""The Ruang Redaksi's web server: Flask on 127.0.0.1, every request guarded (security.py),
one request at a time (they share one working tree), texts from the message catalogs."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, redirect, request
from werkzeug.serving import BaseWSGIServer, make_server

from pipeline.messages import LANGS, say
from pipeline.model.project import SOP_FILE, TEAM_FILE, Project, load_project
from pipeline.redaksi.branches import Board
from pipeline.redaksi.security import COOKIE, CSRF_FIELD, CSRF_HEADER, Guard

HERE = Path(__file__).parent
THEME_CSS = "tema/laman.css"


@dataclass
class Office:
    """What the app knows between requests: the clone, its board, the secret of this start."""

    root: Path
    guard: Guard
    board: Board = field(default_factory=Board)
    _project: tuple[tuple[int, ...], Project] | None = None

    def project(self) -> Project:
        """sop.yml and team.yml as the working tree has them, read again only when they change
        (a branch switched, main moved on)."""
        stamp = tuple(n for name in (SOP_FILE, TEAM_FILE) for n in _stat(self.root / name))
        if self._project is None or self._project[0] != stamp:
            self._project = (stamp, load_project(self.root))
        return self._project[1]


def _stat(path: Path) -> tuple[int, int, int]:
    try:
        found = path.stat()
    except OSError:
        return (0, 0, 0)
    return (found.st_mtime_ns, found.st_size, found.st_ino)


def lang_of() -> str:
    chosen = request.cookies.get("lang", "id")
    return chosen if chosen in LANGS else "id"


def create_app(root: Path, guard: Guard) -> Flask:
    app = Flask(
        "pipeline.redaksi", template_folder=str(HERE / "templates"), static_folder=str(HERE / "static")
    )
    app.config["MAX_CONTENT_LENGTH"] = 16 * 1024 * 1024  # a phone's photo, with room
    office = Office(root, guard)
    app.extensions["laman"] = office

    @app.before_request
    def _guard() -> Response | None:
        if not guard.host_ok(request.host):
            abort(403, say("redaksi.forbidden.host", lang_of()))
        given = request.args.get("token")
        if given is not None and guard.token_ok(given):
            # The secret leaves the address bar for a cookie this address alone is sent.
            response = redirect(request.path)
            response.set_cookie(COOKIE, guard.token, httponly=True, samesite="Strict")
            return response
        if not guard.token_ok(request.cookies.get(COOKIE)):
            abort(403, say("redaksi.forbidden.token", lang_of()))
        if request.method == "POST":
            origin, fetch_site = request.headers.get("Origin"), request.headers.get("Sec-Fetch-Site")
            csrf = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
            if not guard.same_site(origin, fetch_site) or not guard.csrf_ok(csrf):
                abort(403, say("redaksi.forbidden.cross_site", lang_of()))
        return None

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"  # "no-referrer" makes a form's Origin "null"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'"
        )
        return response

    @app.errorhandler(403)
    def _forbidden(err: Any) -> tuple[str, int]:
        return f"<!doctype html><title>403</title><p>{err.description}</p>", 403

    @app.context_processor
    def _texts() -> dict[str, Callable[..., str] | str]:
        lang = lang_of()
        return {
            "t": lambda key, **args: say(f"redaksi.{key}", lang, **args),
            "lang": lang,
            "csrf": guard.csrf,
            "csrf_field": CSRF_FIELD,
        }

    from pipeline.redaksi import views

    views.register(app, office)
    return app


class Running:
    """The server in a thread of this process (the command, and the tests, start it so)."""

    def __init__(self, root: Path, port: int = 0) -> None:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request on the console
        self._server: BaseWSGIServer = make_server("127.0.0.1", port, _Late(), threaded=False)
        self.port = self._server.server_port
        self.guard = Guard(self.port)
        self._server.app = create_app(root, self.guard)  # type: ignore[assignment]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/?token={self.guard.token}"

    def start(self) -> Running:
        self._thread.start()
        return self

    def wait(self) -> None:
        while self._thread.is_alive():
            self._thread.join(0.5)  # in slices: Ctrl+C reaches the main thread

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join()


class _Late:
    """A stand-in until the app, which needs the port the server got, is made."""

    def __call__(self, environ: dict[str, Any], start: Callable[..., Any]) -> list[bytes]:
        start("503 Service Unavailable", [])
        return []
