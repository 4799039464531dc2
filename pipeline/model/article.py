"""One article: its front matter, parsed strictly and checked, and its Markdown body.

Pure: it is given the file's bytes and name, and reads nothing else.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, AnyStr, NamedTuple

from pipeline.errors import LamanError, Problem
from pipeline.model import html, requirements, schemas, strictyaml
from pipeline.model.dates import parse_datetime
from pipeline.model.information import EXEMPT
from pipeline.model.sop import Sop

if TYPE_CHECKING:
    from pipeline.model.team import Team

_DATE_FIELDS = (
    ("date",),
    ("modified",),
    ("publish_at",),
    ("disposition", "date"),
    ("disposition", "received"),
    ("information", "made"),
)


@dataclass(frozen=True)
class Article:
    file: str
    meta: Mapping[str, Any]
    body: str
    body_line: int
    loaded: strictyaml.Loaded

    @property
    def id(self) -> str:
        return self.meta["id"]

    @property
    def title(self) -> str:
        return self.meta["title"]

    @property
    def stage(self) -> str:
        return self.meta["stage"]

    @property
    def info_class(self) -> str | None:
        return (self.meta.get("information") or {}).get("class")

    @property
    def exempt(self) -> bool:
        return self.info_class == EXEMPT

    @property
    def slug(self) -> str:
        return slug_of(self.meta)

    @property
    def date(self) -> datetime | None:
        value = self.meta.get("date")
        return parse_datetime(value) if value else None

    @property
    def publish_at(self) -> datetime | None:
        value = self.meta.get("publish_at")
        return parse_datetime(value) if value else None

    def position(self, *path: str | int) -> tuple[int, int]:
        return self.loaded.position(path)


def slug_of(meta: Mapping[str, Any]) -> str:
    """An article's address on the site: its `slug`, or one made from its title."""
    return meta.get("slug") or slugify(meta.get("title") or "")


def slugify(title: str) -> str:
    """`Rapat Pleno: DPT 2024` -> `rapat-pleno-dpt-2024`."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80].rstrip("-") or "naskah"


def decode(raw: bytes, file: str) -> str:
    """UTF-8 text of a file, or a problem naming the line and column of the first bad byte."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise LamanError(
            [Problem("FM004", file, line, column, {"byte": f"0x{raw[err.start]:02x}"})]
        ) from None


class Fences(NamedTuple):
    """Where a file's front matter stands: it is `text[front:end]`, and the body `text[body:]`."""

    front: int  # past the opening fence's line end
    end: int  # at the line end before the closing fence
    body: int  # past the closing fence's line end


# The opening line is `---`, the closing one the first later line that is `---` or `...` (YAML's
# document end); either may end in carriage returns.
_OPENING = re.compile(r"---\r*(?:\n|\Z)")
_CLOSING = re.compile(r"\n(?:---|\.\.\.)\r*(?=\n|\Z)")
_OPENING_BYTES = re.compile(_OPENING.pattern.encode())
_CLOSING_BYTES = re.compile(_CLOSING.pattern.encode())


def fences(text: AnyStr) -> Fences | None:
    """Where the front matter and the body stand, in text or in bytes (the check's peek reads
    bytes); None where the file opens no front matter, or never closes it."""
    opening, closing = (_OPENING, _CLOSING) if isinstance(text, str) else (_OPENING_BYTES, _CLOSING_BYTES)
    opened = opening.match(text)  # type: ignore[arg-type]
    if opened is None:
        return None
    closed = closing.search(text, opened.end() - 1)  # type: ignore[arg-type]
    if closed is None:
        return None
    return Fences(opened.end(), closed.start(), closed.end() + 1)


def split(text: str, file: str) -> tuple[str, int, str, int]:
    """(front matter, its first line, body, the body's first line)."""
    if text.startswith("\ufeff"):
        raise LamanError([Problem("FM003", file, 1, 1)])
    found = fences(text)
    if found is None:
        if _OPENING.match(text) is None:
            raise LamanError([Problem("FM001", file, 1, 1)])
        raise LamanError([Problem("FM002", file, text.count("\n") + 1, 1)])
    front, end, body = found
    return text[front:end], 2, text[body:], text.count("\n", 0, end + 1) + 2


def parse(raw: bytes | str, file: str) -> Article:
    """Parse and validate against the schema; raise LamanError listing every problem found."""
    text = decode(raw, file) if isinstance(raw, bytes) else raw
    front, first_line, body, body_line = split(text, file)
    loaded = strictyaml.load(front, file, first_line=first_line)
    if not isinstance(loaded.data, dict):
        line, col = loaded.position(())
        raise LamanError([Problem("FM005", file, line, col)])
    problems = schemas.check("article", loaded, file)
    problems += _real_dates(loaded, file, {p.line for p in problems})
    if problems:
        raise LamanError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))
    return Article(file, loaded.data, body, body_line, loaded)


def _real_dates(loaded: strictyaml.Loaded, file: str, flagged: set[int | None]) -> list[Problem]:
    problems = []
    for path in _DATE_FIELDS:
        value: Any = loaded.data
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if not isinstance(value, str):
            continue
        line, col = loaded.position(path)
        if line in flagged:
            continue
        try:
            parse_datetime(value)
        except ValueError:
            problems.append(Problem("SCH008", file, line, col, {"field": ".".join(path), "value": value}))
    return problems


def check(article: Article, sop: Sop, team: Team | None = None) -> list[Problem]:
    """What the schema cannot know: the SOP's stages, categories and requirements, the team."""
    problems: list[Problem] = []
    meta = article.meta

    def at(path: tuple[str, ...], code: str, **args: object) -> None:
        line, col = article.loaded.position(path)
        problems.append(Problem(code, article.file, line, col, args))

    if not sop.has_stage(article.stage):
        at(("stage",), "ART001", stage=article.stage, stages=", ".join(s.id for s in sop.stages))
        return problems
    stage = sop.stage(article.stage)
    for gap in requirements.missing(stage, meta):
        if gap.public:  # a column of the DIP (UU 14/2008), which lists every published item
            at(("information",), "DIP001", key=gap.key.split(".", 1)[1], what=gap.what)
        else:
            at(("stage",), "ART002", stage=stage.id, key=gap.key)
    category = meta.get("category")
    if category is not None and category not in sop.categories:
        at(("category",), "ART005", category=category, categories=", ".join(sop.categories))
    if article.exempt:
        if stage.publishable:
            at(("stage",), "ART004", stage=stage.id)
        if not meta["information"].get("exemption"):
            at(("information", "class"), "ART008")
    for found in html.findings(article.body, sop.iframe_hosts):
        line = article.body_line + found.line - 1
        problems.append(Problem(found.code, article.file, line, found.column, found.args))
    assignee = meta.get("assignee")
    if team is not None and assignee:
        writer_roles = {r for t in sop.transitions if t.assignee_only for r in t.roles}
        person = team.by_email.get(assignee.lower())
        if person is None or not writer_roles & set(person.roles):
            at(("assignee",), "ART006", assignee=assignee)
    return problems
