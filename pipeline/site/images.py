"""Images in articles, made light for slow island connections: resized to a sensible width,
given their width and height (no layout jump) and loaded lazily."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from PIL import Image

MAX_WIDTH = 1200
_IMG = re.compile(r"<img\b([^>]*)>")
_SRC = re.compile(r'\bsrc="([^"]+)"')


def fit(path: Path, max_width: int = MAX_WIDTH) -> tuple[int, int]:
    """Shrink the image file in place if wider than `max_width`; its (width, height)."""
    with Image.open(path) as image:
        width, height = image.size
        if width <= max_width:
            return width, height
        height = round(height * max_width / width)
        smaller = image.resize((max_width, height), Image.Resampling.LANCZOS)
        options = {"quality": 82, "optimize": True} if image.format == "JPEG" else {"optimize": True}
        smaller.save(path, format=image.format, **options)
        return max_width, height


def lighten(html_text: str, source: Path, content_root: Path) -> str:
    """Give every local <img> its size and lazy loading, resizing the staged file on the way."""

    def one(match: re.Match[str]) -> str:
        attributes = match.group(1)
        src = _SRC.search(attributes)
        extra = "" if "loading=" in attributes else ' loading="lazy" decoding="async"'
        if src and not urlsplit(src.group(1)).scheme and "width=" not in attributes:
            name = unquote(src.group(1).replace("{static}", "").lstrip("/"))
            for candidate in (source.parent / name, content_root / name):
                if candidate.is_file():
                    try:
                        width, height = fit(candidate)
                    except OSError:
                        break
                    extra += f' width="{width}" height="{height}"'
                    break
        return f"<img{attributes.rstrip(' /')}{extra}>"

    return _IMG.sub(one, html_text)
