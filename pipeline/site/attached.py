"""What rides along with a published article: the files under `content/` that it links to.

Only a plain asset a published article or page (or an approved DIP document) names reaches the
site: a draft's photo, a PDF nobody links to, a hidden file or an `.html` dropped among the
images stay in the repository. Pure: it is given the article and tells paths.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection
from pathlib import PurePosixPath

from pipeline.model import body, files, media
from pipeline.model.article import Article
from pipeline.model.project import CONTENT_DIR

_LINK = re.compile(r'\b(?:href|src)="([^"]*)"')


def plain(path: str, types: Collection[str]) -> bool:
    """A `content/...` path the site may publish as it is: of the asset types sop.yml names
    (`types`, the check's own list: what it refuses, no article can carry along), not hidden (no
    part of the path starts with a dot), inside `content/`."""
    parts = path.split("/")
    return (
        len(parts) > 1
        and parts[0] == CONTENT_DIR
        and not any(p.startswith(".") or not p for p in parts[1:])
        and PurePosixPath(path).suffix.lower() in types
    )


def linked(item: Article, path: str, types: Collection[str]) -> set[str]:
    """The plain assets (`content/...`) the article at `path` shows or links to: its lead photo,
    the images of its body and the files its links name."""
    folder = posixpath.dirname(path).removeprefix(CONTENT_DIR).strip("/")
    found = {ref.path for ref in media.references(item, folder)}
    for address in _LINK.findall(body.render(item.body)):
        target = media.content_path(address.replace("&amp;", "&"), folder)
        if target is not None:
            found.add(target)
    return {p for p in (f"{CONTENT_DIR}/{f}" for f in found) if plain(p, types)}


def document_file(target: str | None, types: Collection[str]) -> str | None:
    """The `content/...` path of a DIP document's `file:`, if it names a plain asset."""
    path = files.document_file(target)
    return path if path is not None and plain(path, types) else None
