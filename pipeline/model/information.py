"""Public information (UU 14/2008) as an article's `information` block states it: its classes, and
the fields the Daftar Informasi Publik needs of an item that may be published. Pure rules, read
by the article check and by the list itself (`duties/dip.py`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pipeline.messages import Phrase

EXEMPT = "dikecualikan"
# The classes the public list shows, in the order of UU 14/2008 (Pasal 9, 10, 11).
CLASSES = ("berkala", "serta-merta", "setiap-saat")
# What the seven columns need from `information`; required once an item may be published.
REQUIRED = ("unit", "responsible", "made", "place", "format", "retention")
# What each of those fields is, for the error that asks for it.
FIELD_WORDS: Mapping[str, Phrase] = {key: Phrase(f"dip.field.{key}") for key in REQUIRED}


def missing(meta: Mapping[str, Any]) -> list[str]:
    """The DIP fields an item that may be published has left empty (exempt items need none)."""
    info = meta.get("information") or {}
    if info.get("class") == EXEMPT:
        return []
    return [key for key in REQUIRED if info.get(key) in (None, "", [], {})]
