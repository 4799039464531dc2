"""Images made light for slow island connections: each local image of a page is published beside
it in a few widths (the browser takes the one its screen needs, `srcset`/`sizes`), turned upright
and stripped of its EXIF (a phone's photo carries where and when it was taken), given its width
and height (no layout jump) and loaded lazily.

Resizing a photo costs a good part of a second: with a cache folder, each copy is made once for
the same bytes and width, and later builds copy it.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from PIL import Image, ImageOps, UnidentifiedImageError

WIDTHS = (480, 800, 1200)
# The article's column is at most 42rem (672 px at 16 px) and the phone's screen is all of it.
SIZES = "(min-width: 44rem) 42rem, 100vw"
# Per saved format: the file's extension and Pillow's options. Anything else is saved as JPEG,
# the smallest for photographs; PNG stays PNG (drawings, screenshots), GIF is copied as it is.
_FORMATS = {
    "JPEG": ("jpg", {"quality": 78, "optimize": True, "progressive": True}),
    "PNG": ("png", {"optimize": True}),
    "WEBP": ("webp", {"quality": 78}),
}
_VERSION = b"laman-images-1"  # part of the cache key: change it when the options change
_IMG = re.compile(r"<img\b([^>]*)>")
_ATTR = re.compile(r'\b(src|alt|width|height)="([^"]*)"')


@dataclass(frozen=True)
class Picture:
    """One image as published: its copies (file name, width), smallest first, and the size of the
    largest, which gives the page the image's shape before it loads."""

    files: tuple[tuple[str, int], ...]
    width: int
    height: int

    def src(self, prefix: str = "") -> str:
        """The copy for a browser that reads no `srcset`: the widest up to 800 px."""
        name = [n for n, w in self.files if w <= WIDTHS[1]] or [self.files[0][0]]
        return prefix + name[-1]

    def srcset(self, prefix: str = "") -> str:
        return ", ".join(f"{prefix}{name} {width}w" for name, width in self.files)


class ImageError(Exception):
    """The file is not an image Pillow can read."""


def widths(original: int) -> list[int]:
    """The widths published of an image `original` pixels wide: never wider than it, and no copy
    within a fifth of the next (it would save the reader little)."""
    widest = min(original, WIDTHS[-1])
    return [*(w for w in WIDTHS if w < 0.8 * widest), widest]


def stem(path: str, taken: dict[str, str]) -> str:
    """The name of the copies of the image at `path` (under `content/`) among those of one page,
    which share its folder: the file's own name made safe for an address; with a short mark of
    its path when another image of the page already has that name (`a/foto.jpg` and
    `b/foto.jpg`, `foto.jpg` and `foto.jpeg`), so that neither overwrites the other. `taken`
    (name -> path) is the page's record, updated here."""
    name = _safe(PurePosixPath(path).stem)
    if taken.setdefault(name, path) != path:
        name = f"{name}-{hashlib.sha256(path.encode()).hexdigest()[:8]}"
        taken.setdefault(name, path)
    return name


def _safe(stem: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-") or "gambar"


def publish(source: Path, target: Path, cache: Path | None = None, name: str | None = None) -> Picture:
    """Write the copies of `source` into the folder `target`, named after `name` (see `stem`;
    by default the file's own name); raises ImageError."""
    raw = source.read_bytes()
    try:
        with Image.open(io.BytesIO(raw)) as opened:
            image = ImageOps.exif_transpose(opened)  # upright by its EXIF, which is then left out
            kind = opened.format
    except (UnidentifiedImageError, OSError, ValueError) as err:
        raise ImageError(str(err) or type(err).__name__) from None
    target.mkdir(parents=True, exist_ok=True)
    stem = name or _safe(source.stem)
    if kind == "GIF":  # perhaps animated: its frames as they are, in one width, without its comment
        with Image.open(io.BytesIO(raw)) as gif:
            gif.info.pop("comment", None)
            gif.save(target / f"{stem}.gif", "GIF", save_all=True)
        return Picture(((f"{stem}.gif", image.width),), image.width, image.height)
    ext = _FORMATS.get(kind or "", _FORMATS["JPEG"])[0]
    files = []
    for width in widths(image.width):
        name = f"{stem}-{width}.{ext}"
        key = hashlib.sha256(_VERSION + raw + f"{width}.{ext}".encode()).hexdigest()[:32]
        _made(cache / f"{key}.{ext}" if cache else None, target / name, lambda w=width: _resized(image, w))
        files.append((name, width))
    last = files[-1][1]
    return Picture(tuple(files), last, round(image.height * last / image.width))


def _resized(image: Image.Image, width: int) -> Image.Image:
    if image.mode not in ("RGB", "RGBA", "L", "LA"):  # a palette or CMYK image: to colours first
        image = image.convert("RGBA" if image.mode == "P" else "RGB")
    height = max(1, round(image.height * width / image.width))
    if width == image.width:
        return image.copy()
    # reducing_gap: a fast box reduction first, then Lanczos; alike to the eye, several times faster
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def _made(cached: Path | None, target: Path, make: Callable[[], Image.Image]) -> None:
    if cached is not None and cached.is_file():
        shutil.copyfile(cached, target)
        return
    image = make()
    ext = target.suffix.lstrip(".")
    kind, options = next((k, o) for k, (e, o) in _FORMATS.items() if e == ext)
    if kind == "JPEG" and image.mode != "RGB":
        image = image.convert("RGB")
    # No `exif=` and no `xmp=`: Pillow writes neither unless given them.
    image.save(target, kind, icc_profile=image.info.get("icc_profile"), **options)
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target, cached)


def img_tag(picture: Picture, alt: str, prefix: str = "", *, lazy: bool = True, sizes: str = SIZES) -> str:
    """The <img> of a published picture; `prefix` is the URL of its folder ('' beside the page)."""
    loading = ' loading="lazy" decoding="async"' if lazy else ""
    return (
        f'<img src="{html.escape(picture.src(prefix))}" srcset="{html.escape(picture.srcset(prefix))}" '
        f'sizes="{sizes}" width="{picture.width}" height="{picture.height}" alt="{html.escape(alt)}"{loading}>'
    )


def lighten(body: str, publish_one: Callable[[str], Picture | None], prefix: str = "") -> str:
    """Every <img> of a rendered body as its published copies; `publish_one(src)` publishes the
    image an address names, or gives None for one that stays as it is (another site's). `prefix`
    is the URL of the page's folder ('' for addresses relative to the page)."""

    def one(match: re.Match[str]) -> str:
        values = {k: html.unescape(v) for k, v in _ATTR.findall(match.group(1))}
        picture = publish_one(values.get("src", ""))
        if picture is None:
            return f'<img{match.group(1).rstrip(" /")} loading="lazy" decoding="async">'
        return img_tag(picture, values.get("alt", ""), prefix)

    return _IMG.sub(one, body)
