"""What a stage of sop.yml requires of an article: the one answer that `laman advance` (before it
commits), `laman validate` (on the file as it stands) and the check (on each move) all give.

A stage's `requires` lists front-matter fields that must be filled. Requiring `information`
asks for the whole public-information record the Daftar Informasi Publik shows (UU 14/2008):
the class, and the columns `model.information.REQUIRED` (an exempt item needs none of these), so
that an article is complete when it is submitted for verification, not only once it is live,
when nothing can be changed any more. A publishable stage asks for the columns of whatever
`information` an article gives, whether or not its `requires` names it. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from pipeline.messages import Phrase
from pipeline.model import information
from pipeline.model.sop import Sop, Stage

INFORMATION = "information"
COLUMNS = "information.*"  # the public-information list's columns, as one requirement
# The article fields a stage of the stock sop.yml asks for, each with what to write in it; any
# other field a sop.yml may name is described by the generic phrase.
DESCRIBED = ("title", "disposition", "assignee", "summary", "category", "date", INFORMATION)


class Missing(NamedTuple):
    key: str  # as the front matter nests it: `disposition`, `information.place`
    what: Phrase  # what to write there

    @property
    def public(self) -> bool:
        """A column of the public-information list (DIP001), not a field of its own."""
        return self.key.startswith(f"{INFORMATION}.")


def empty(value: object) -> bool:
    return value in (None, "", [], {})


def what(key: str) -> Phrase:
    """What to write in a field, for the message that asks for it."""
    if key in DESCRIBED:
        return Phrase(f"field.{key}")
    return Phrase("field.other", key=key)


def missing(stage: Stage, meta: Mapping[str, Any]) -> list[Missing]:
    """The fields `stage` requires that `meta` leaves empty, in sop.yml's order."""
    found: list[Missing] = []
    for key in stage.requires:
        if empty(meta.get(key)):
            found.append(Missing(key, what(key)))
    asks_columns = INFORMATION in stage.requires or stage.publishable
    if asks_columns and not empty(meta.get(INFORMATION)):
        found += [
            Missing(f"{INFORMATION}.{key}", information.FIELD_WORDS[key]) for key in information.missing(meta)
        ]
    return found


# Stage -> what it asks, by the object (kept alive beside its answer): the check asks this of
# every move, and comparing two stages field by field costs more than working it out.
_ASKED: dict[int, tuple[Stage, frozenset[str]]] = {}


def asks(stage: Stage) -> frozenset[str]:
    """What `stage` requires: its fields, and `COLUMNS` where it asks for the list's columns."""
    kept = _ASKED.get(id(stage))
    if kept is None or kept[0] is not stage:
        kept = _ASKED[id(stage)] = (stage, _asks(stage))
    return kept[1]


def _asks(stage: Stage) -> frozenset[str]:
    columns = INFORMATION in stage.requires or stage.publishable
    return frozenset((*stage.requires, *((COLUMNS,) if columns else ())))


def added(source: Stage, target: Stage) -> frozenset[str]:
    """What a move from `source` into `target` newly requires: what `target` asks and `source`
    did not. (What `source` asked was asked when the article entered it.)"""
    return asks(target) - asks(source)


def demanding(sop: Sop) -> frozenset[str]:
    """The stages some move into newly requires fields of: what the check reads in full."""
    return frozenset(t.target for t in sop.transitions if added(sop.stage(t.source), sop.stage(t.target)))


def missing_on_entry(source: Stage, target: Stage, meta: Mapping[str, Any]) -> list[Missing]:
    """The fields a move from `source` into `target` newly requires that `meta` leaves empty."""
    new = added(source, target)
    return [gap for gap in missing(target, meta) if (COLUMNS if gap.public else gap.key) in new]
