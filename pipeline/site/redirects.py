"""The old site's addresses kept working after an import: an nginx map (`/?p=123`, the old
permalinks) and, for static hosts, a small HTML page at each old path that sends the reader on.

`/?p=123` is a query on the home page: a static host serves the home page for it whatever files
exist, so only a server that reads the query (the nginx map) can send it on. Pure but `write`.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

NGINX_MAP = ".laman-redirects.nginx"
_SAFE_PATH = re.compile(r"^/[A-Za-z0-9._~/%-]*$")


@dataclass(frozen=True)
class Redirect:
    old: str  # the old path, `/2023/03/06/slug/`, or "" when the old address was `/?p=…`
    post_id: int | None
    new: str  # the new path, `/slug/`


def of(imported: dict[str, object], new: str) -> Redirect | None:
    """The redirect to `new` an article's `imported` block asks for; None when it names no old
    address."""
    old = urlsplit(str(imported.get("url") or ""))
    path = posixpath.normpath(unquote(old.path)) if old.path not in ("", "/") else ""
    path = path + "/" if path and not path.endswith("/") and "." not in path.rsplit("/", 1)[-1] else path
    if path and not _SAFE_PATH.match(path):
        path = ""
    post_id = imported.get("post_id")
    if not isinstance(post_id, int):
        found = parse_qs(old.query).get("p", [""])[0]
        post_id = int(found) if found.isdigit() else None
    if path == new:
        path = ""
    return Redirect(path, post_id, new) if path or post_id else None


def nginx_map(redirects: Iterable[Redirect]) -> str:
    """An include for nginx's `http {}`; the server then says
    `if ($laman_redirect) { return 301 $laman_redirect; }`."""
    chosen = sorted(redirects, key=lambda r: (r.old, r.post_id or 0))
    by_id = sorted({r.post_id: r.new for r in chosen if r.post_id}.items())
    lines = ["# Written by laman build: the old site's addresses (see README, Impor).", ""]
    lines += ["map $arg_p $laman_redirect_p {", '    default "";']
    lines += [f'    "{post_id}" "{new}";' for post_id, new in by_id]
    paths = {}  # two old paths differing only by the last slash are one entry
    for r in chosen:
        if r.old:
            paths.setdefault(r.old, r.new)
            paths.setdefault(r.old.rstrip("/"), r.new)
    lines += ["}", "", "map $uri $laman_redirect {", "    default $laman_redirect_p;"]
    lines += [f'    "{old}" "{new}";' for old, new in paths.items()]
    lines.append("}")
    return "\n".join(lines) + "\n"


def page(new: str, title: str) -> str:
    """The page left at an old address: it says where the text went, and goes there."""
    where, named = html.escape(new), html.escape(title)
    return (
        '<!doctype html>\n<html lang="id">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Pindah: {named}</title>\n"
        f'<meta http-equiv="refresh" content="0; url={where}">\n'
        f'<link rel="canonical" href="{where}">\n<meta name="robots" content="noindex">\n'
        "</head>\n<body>\n"
        f'<p>Halaman ini telah pindah ke <a href="{where}">{named}</a>.</p>\n'
        "</body>\n</html>\n"
    )


def write(output: Path, redirects: Iterable[tuple[Redirect, str]]) -> list[str]:
    """The nginx map and a page at each old path no file of the site has; the pages written."""
    pairs = list(redirects)
    (output / NGINX_MAP).write_text(nginx_map(r for r, _ in pairs), "utf-8")
    written = []
    for redirect, title in pairs:
        if not redirect.old:
            continue
        target = output / redirect.old.strip("/")
        target = target if target.suffix else target / "index.html"
        if target.exists() or output.resolve() not in target.resolve().parents:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page(redirect.new, title), "utf-8")
        written.append(target.relative_to(output).as_posix())
    return written
