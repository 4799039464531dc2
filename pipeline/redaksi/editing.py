"""An article's text changed as a form asks: front-matter fields set one by one (each touching
only its own lines, as `laman advance` does), the body replaced, a photo resized beside it."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Mapping
from pathlib import Path

from PIL import Image, ImageOps

from pipeline.model.article import fences
from pipeline.proof.advance import set_field

# The fields a form edits, in the order written; the step fields (`stage`, the reasons) are
# set by a move alone, through `laman advance`'s own planning.
SCALARS = ("title", "summary", "category", "date", "assignee")
DISPOSITION = ("number", "date", "from", "nature", "subject", "instruction")
# The public-information columns the Daftar Informasi Publik needs (asked from submission on),
# and the grounds of an exempt item (UU 14/2008 Pasal 17, the consequence test).
INFORMATION = ("unit", "responsible", "made", "place")
RETENTION = ("active", "inactive")
EXEMPTION = ("legal_basis", "consequence", "period", "decision")
PHOTO_WIDTH = 1600  # the widest the site publishes is 1200 (site/images.py): room to spare


def _scalar(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _flow(value: object) -> str:
    """A value as YAML on one line: a list or a mapping in flow style, else a quoted scalar."""
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items() if v) + "}"
    return _scalar(str(value))


def _mapping(values: Mapping[str, object]) -> str:
    return "".join(f"\n  {key}: {_flow(value)}" for key, value in values.items() if value)


def _information(old: Mapping[str, object], form: Mapping[str, str]) -> dict[str, object]:
    """The `information` block as the form leaves it: what it fills replaces, what it leaves
    empty stays as it was."""
    new = dict(old)
    if form.get("information.class"):
        new["class"] = form["information.class"]
    for key in INFORMATION:
        if form.get(f"information.{key}", "").strip():
            new[key] = form[f"information.{key}"].strip()
    formats = [f.strip() for f in form.get("information.format", "").split(",") if f.strip()]
    if formats:
        new["format"] = formats
    for key, fields in (("retention", RETENTION), ("exemption", EXEMPTION)):
        given = {f: form.get(f"information.{key}.{f}", "").strip() for f in fields}
        if any(given.values()):
            new[key] = {**dict(old.get(key) or {}), **{f: v for f, v in given.items() if v}}  # type: ignore[call-overload]
    return new


def _set(text: str, key: str, value: str) -> str:
    # A block mapping starts on the line after its key: no space left after the colon.
    return set_field(text, key, value).replace(f"\n{key}: \n", f"\n{key}:\n", 1)


def edited(text: str, meta: Mapping[str, object], form: Mapping[str, str], body: str | None) -> str:
    """`text` with the form's fields that changed against `meta` set, and its body replaced."""
    for key in SCALARS:
        value = form.get(key, "").strip()
        if key in form and value and value != str(meta.get(key) or ""):
            text = set_field(text, key, _scalar(value))
    if "tags" in form:
        tags = [t.strip() for t in form["tags"].split(",") if t.strip()]
        if tags != list(meta.get("tags") or []):
            text = set_field(text, "tags", "[" + ", ".join(_scalar(t) for t in tags) + "]")
    old_information = dict(meta.get("information") or {})  # type: ignore[call-overload]
    information = _information(old_information, form)
    if information != old_information:
        text = _set(text, "information", _mapping(information))
    disposition = {k: form.get(f"disposition.{k}", "").strip() for k in DISPOSITION}
    if any(f"disposition.{k}" in form for k in DISPOSITION):
        old = {k: str(v) for k, v in dict(meta.get("disposition") or {}).items()}
        new = {**old, **{k: v for k, v in disposition.items() if v}}
        if new != old and any(new.values()):
            text = _set(text, "disposition", _mapping(new))
    if body is not None:
        text = with_body(text, body)
    return text


def with_body(text: str, body: str) -> str:
    """The article with its body replaced (line ends as the form sends them made `\\n`)."""
    fenced = fences(text)
    assert fenced is not None  # the text is an article, parsed
    body = body.replace("\r\n", "\n").strip("\n")
    return text[: min(fenced.body, len(text))].rstrip("\n") + "\n\n" + body + "\n"


def save_photo(data: bytes, folder: Path, stem: str) -> Path:
    """The upload made a JPEG no wider than PHOTO_WIDTH, turned as the camera meant, its EXIF
    (place, device) left behind; saved as `<stem>-<n>.jpg` in `folder`. Pillow says what is no
    image (`PIL.UnidentifiedImageError`)."""
    with Image.open(io.BytesIO(data)) as opened:
        image = ImageOps.exif_transpose(opened).convert("RGB")
    if image.width > PHOTO_WIDTH:
        image = image.resize((PHOTO_WIDTH, round(image.height * PHOTO_WIDTH / image.width)), Image.LANCZOS)
    n = 1
    while (folder / f"{stem}-{n}.jpg").exists():
        n += 1
    target = folder / f"{stem}-{n}.jpg"
    image.save(target, "JPEG", quality=85, optimize=True)
    return target


def photo_markdown(alt: str, name: str) -> str:
    alt = alt.replace("]", ")").replace("[", "(").strip()
    return f"\n\n![{alt}]({name})\n"


_LOCAL_IMG = re.compile(r'(<img\b[^>]*\bsrc=")(?![a-z][a-z0-9+.-]*:|/)([^"/]+)"')


def local_images(rendered: str, prefix: str) -> str:
    """Photos named beside the article (`foto-1.jpg`) addressed through `prefix`, as the
    preview serves them; addresses on other sites left alone."""
    return _LOCAL_IMG.sub(lambda m: f'{m.group(1)}{prefix}{m.group(2)}"', rendered)
