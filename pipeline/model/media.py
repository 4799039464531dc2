"""The images an article shows, its lead photo and those in its body, each with the place where
it was written; which of them are missing or too large. Pure: it is told what the files weigh."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from pipeline.errors import Problem
from pipeline.model import html
from pipeline.model.article import Article

# A photo straight from a phone is 3–8 MB; past this it is a scan or a raw file that does not
# belong in the repository (the site publishes resized copies either way).
MAX_BYTES = 12_000_000
# Pelican's markers for a path inside `content/`.
_MARKERS = ("{static}", "{attach}", "{filename}")


@dataclass(frozen=True)
class Reference:
    src: str  # as written
    path: str  # the file it names, relative to `content/` (posix)
    line: int  # in the article's file
    column: int


def content_path(src: str, article_dir: str) -> str | None:
    """The file under `content/` an image address names, or None for one on another site.
    `article_dir` is the article's folder relative to `content/` (`berita`)."""
    for marker in _MARKERS:
        if src.startswith(marker):
            return posixpath.normpath(unquote(src[len(marker) :]).lstrip("/"))
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(article_dir, path)
    normal = posixpath.normpath(joined)
    return None if normal.startswith("../") or normal == ".." else normal


def references(article: Article, article_dir: str) -> list[Reference]:
    """The lead photo (`image.src`) and every image of the body kept in `content/`."""
    found = []
    lead = (article.meta.get("image") or {}).get("src")
    if lead:
        path = content_path(lead, article_dir)
        if path is not None:
            found.append(Reference(lead, path, *article.position("image", "src")))
    for src, line, column in html.image_sources(article.body):
        path = content_path(src, article_dir)
        if path is not None:
            found.append(Reference(src, path, article.body_line + line - 1, column))
    return found


def problems(article: Article, article_dir: str, size_of: Callable[[str], int | None]) -> list[Problem]:
    """A missing image (IMG001) or one over MAX_BYTES (IMG002); `size_of` gives a file's size by
    its path under `content/`, None when there is no such file."""
    found = []
    for ref in references(article, article_dir):
        size = size_of(ref.path)
        if size is None:
            found.append(
                Problem("IMG001", article.file, ref.line, ref.column, {"src": ref.src, "path": ref.path})
            )
        elif size > MAX_BYTES:
            mb = f"{size / 1e6:.1f}"
            args = {
                "src": ref.src,
                "size": {"id": mb.replace(".", ","), "en": mb},  # a number written each language's way
                "limit": f"{MAX_BYTES // 1_000_000}",
            }
            found.append(Problem("IMG002", article.file, ref.line, ref.column, args))
    return found
