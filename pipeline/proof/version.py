"""A blob of an article as the rules need it: peeked (its `id`, `stage`, assignee and step lines
read without YAML, and the rest digested), or parsed fully.

The peek is the check's fast path (most changes need no more); it finds the front matter as the
full parse does (`article.fences`), and says when a line may read differently to YAML, so that
such a blob is parsed fully.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, NamedTuple

from pipeline.errors import LamanError, Problem
from pipeline.model import article, information, strictyaml

REGULAR = ("100644", "100755")
# The stock sop.yml's step fields (`Sop.step_fields`), for a reader not given an SOP's own.
STOCK_STEP_FIELDS = ("stage", "revision", "withdrawal", "correction")


class Version(NamedTuple):
    """One blob of an article at one path.

    `parsed`: the front matter was fully parsed and validated (`meta` set). Otherwise only the
    `id` and `stage` lines were read, which is all most changes need; a change that decides a
    verdict on the metadata, or an odd-looking blob, is always parsed fully.
    """

    path: str
    blob: str
    mode: str
    id: str | None = None
    stage: str | None = None
    meta: Mapping[str, Any] | None = None
    content: str | None = None  # digest of the bytes but the lines of `step_fields`
    stage_line: int | None = None
    problems: tuple[Problem, ...] = ()
    parsed: bool = False
    fields: Mapping[str, str] = {}  # the peeked lines' values (never changed: shared)
    step_fields: tuple[str, ...] = STOCK_STEP_FIELDS  # what `content` leaves out

    def value(self, key: str) -> Any:
        """A top-level front-matter value, from the full parse or else from the peek."""
        return self.meta.get(key) if self.meta is not None else self.fields.get(key)

    @property
    def valid(self) -> bool:
        return self.id is not None and self.stage is not None and not self.problems

    @property
    def exempt(self) -> bool:
        return bool(self.meta) and (self.meta.get("information") or {}).get("class") == information.EXEMPT


class Peek(NamedTuple):
    id: str | None
    stage: str | None
    stage_line: int | None
    content: str
    plain: bool  # nothing that only a full parse would judge right
    fields: Mapping[str, str]
    step_fields: tuple[str, ...]


def peek(raw: bytes, step_fields: tuple[str, ...] = STOCK_STEP_FIELDS) -> Peek:
    """Read the `id` and assignee lines and those of `step_fields` (the stage and the reasons),
    and digest the rest but the latter, without YAML."""
    peeked_line, step_keys, names = _peeking(step_fields)
    fenced = article.fences(raw)  # where the front matter stands, as the full parse reads it
    if fenced is None:
        return Peek(None, None, None, hashlib.sha256(raw).hexdigest(), False, {}, step_fields)
    # The line ends that open and close the front matter: each match starts at the line end
    # before its line, so the search needs no line anchors.
    opened, end = fenced.front - 1, fenced.end
    found: dict[bytes, bytes | None] = {}  # each peeked key's value; None where it is repeated
    stage_at = -1
    digest = hashlib.sha256()
    kept = fenced.front  # the digest covers everything after the opening fence but the step lines
    read_right = True  # each peeked line reads as YAML reads it
    for match in peeked_line.finditer(raw, opened, end + 1):
        key, spaced, value, continued = match.group(1, 2, 3, 4)
        text = None if spaced or b"\n " in continued else _scalar(value)
        if text is None:
            read_right, text = False, value.strip()
        found[key] = None if key in found else text
        if key in step_keys:
            start = match.start()
            if key == b"stage" and stage_at < 0:
                stage_at = start
            digest.update(raw[kept : start + 1])
            kept = match.end() + 1
    digest.update(raw[kept:])
    values = {names[k]: v for k, v in found.items() if v is not None}
    ident, stage = values.get("id"), values.get("stage")
    plain = (
        read_right
        and bool(ident)
        and bool(stage)
        and len(values) == len(found)
        and not _odd(raw[opened : end + 1])
    )
    return Peek(
        ident.decode("utf-8", "replace") if ident is not None else None,
        stage.decode("utf-8", "replace") if stage is not None else None,
        raw.count(b"\n", 0, stage_at + 1) + 1 if stage_at >= 0 else None,
        digest.hexdigest(),
        plain,
        {k: v.decode("utf-8", "replace") for k, v in values.items() if v},  # `key:` alone: null
        step_fields,
    )


@lru_cache(maxsize=16)
def _peeking(
    step_fields: tuple[str, ...],
) -> tuple[re.Pattern[bytes], frozenset[bytes], Mapping[bytes, str]]:
    """The pattern of the lines a peek reads, the step fields' keys, and each key's name: made
    once for each SOP's step fields."""
    names = {k.encode(): k for k in (*step_fields, "id", "assignee")}
    # Top-level lines only (no indentation): nested keys of the same name are not these fields.
    # `key :` is the same key to YAML: matched too, so that it is not missed but sent to the
    # parse; so are the indented lines next (past blank and comment lines), which continue the
    # value or nest under the key, and are part of the step line for the digest.
    alternatives = b"|".join(re.escape(k) for k in names)
    line = re.compile(rb"\n(" + alternatives + rb")( *):([^\n]*)((?:\n(?=[ \t\n#])[^\n]*)*)")
    return line, frozenset(k.encode() for k in step_fields), names


# Anchors, aliases, tags, tabs, carriage returns and the other line ends YAML knows (NEL, LS, PS),
# block scalars, flow collections and quoted text over several lines, and explicit `? key` or
# `: value` lines can make YAML read differently from a line scan: such a blob is always parsed
# fully. (A comment matters only after a peeked value, where `_scalar` looks for one.)
_ODD_BYTES = b"&*!\t\r"
_UNICODE_BREAKS = tuple(c.encode() for c in "\x85\u2028\u2029\ufeff")
_UNICODE_BREAK_ENDS = bytes({mark[-1] for mark in _UNICODE_BREAKS})  # their last bytes
_BLOCK_SCALAR = re.compile(rb"^\S+:\s*[|>]", re.MULTILINE)
_EXPLICIT = re.compile(rb"^[?:](?:[ \t]|$)", re.MULTILINE)
_EXPLICIT_HINT = re.compile(rb"\n[?:]")  # three times quicker than `in` twice
_MARKS = b"[]{}\"'\n"  # what opens or closes a flow collection or quoted text, and the line end
_UNMARKED = rb"[^%s]" % re.escape(_MARKS)
_CLOSED = rb"(?:\[%s*\]|\{%s*\}|\"[^\"\\\n]*\"|'[^'\n]*')" % (_UNMARKED, _UNMARKED)
# Possessive: a line that does not close what it opens fails at once, never by backtracking.
# Every byte but the marks and `\` (which only quoted text tells apart) is matched alike wherever
# it stands: the pattern reads the same of the text without them, which is a tenth as long
# (measured: 5.2 µs a front matter, then 2.7).
_UNMARKED_BYTES = bytes(sorted(set(range(256)) - set(_MARKS + b"\\")))
_CLOSED_LINES = re.compile(rb"(?:%s*+(?:%s%s*+)*+\n)*+" % (_UNMARKED, _CLOSED, _UNMARKED))
# What a plain scalar cannot start with (YAML's indicators), nor hold as `: `.
_INDICATORS = strictyaml.INDICATORS.encode()
# The first characters of YAML 1.1's null, booleans, numbers, merge key and value key.
_NOT_TEXT_FIRST = b"+.0123456789<=~FNOTYfnoty"
# Text YAML can only read as text: a first character that is no indicator and cannot begin a null,
# a boolean or a number, and no colon or `#` after it. Most values are such; the rest are looked
# at closely.
_SURE_TEXT = re.compile(rb" [^%s\s][^:#\n]*" % re.escape(_INDICATORS + _NOT_TEXT_FIRST))


def _odd(front: bytes) -> bool:
    # Byte tests first, in C; each pattern only where the bytes it needs are.
    return (
        (not front.isascii() and _odd_unicode(front))
        or len(front.translate(None, _ODD_BYTES)) != len(front)
        or ((b"|" in front or b">" in front) and _BLOCK_SCALAR.search(front) is not None)
        or _runs_on(front)
        or (_EXPLICIT_HINT.search(front) is not None and _EXPLICIT.search(front) is not None)
    )


def _odd_unicode(front: bytes) -> bool:
    """A line end or byte-order mark only YAML sees as one. (Bytes that are not UTF-8 cannot
    hide a line end; YAML refuses them, and what is verified is always parsed fully.)"""
    if len(front.translate(None, _UNICODE_BREAK_ENDS)) == len(front):
        return False  # the usual case, in one pass in C
    return any(mark in front for mark in _UNICODE_BREAKS)


def _runs_on(front: bytes) -> bool:
    """Might a flow collection or quoted text opened on a line go on to the next? Each line must
    close what it opens: `[…]`, `{…}`, `"…"` (with nothing escaped) or `'…'`, none inside another;
    other lines are left to YAML. (`front` ends in a line end.)"""
    return _CLOSED_LINES.fullmatch(front.translate(None, _UNMARKED_BYTES)) is None


def _scalar(value: bytes) -> bytes | None:
    """A peeked line's value (what follows `key:`) as YAML reads it, if it is text on that line;
    None where it is not, or where only YAML can say."""
    if _SURE_TEXT.fullmatch(value):
        return value.strip()
    text = value.strip()
    if not text:
        return None if value else b""  # `key:` alone reads as null; anything else is left to YAML
    if value[:1] != b" ":
        return None
    try:
        read = strictyaml.scalar(text.decode("utf-8", "replace"))
    except strictyaml.GivenUp:
        return None
    return read.encode() if isinstance(read, str) else None


def peeked(path: str, blob: str, mode: str, quick: Peek) -> Version:
    """A blob of a regular file as a plain peek read it."""
    return Version(
        *(path, blob, mode, quick.id, quick.stage, None, quick.content, quick.stage_line),
        fields=quick.fields,
        step_fields=quick.step_fields,
    )


def version(
    path: str,
    blob: str,
    mode: str,
    raw: bytes | None,
    *,
    full: bool = True,
    quick: Peek | None = None,
    step_fields: tuple[str, ...] = STOCK_STEP_FIELDS,
) -> Version:
    """What the rules need of a blob: peeked, or (with `full`, or when odd) parsed fully;
    `quick`, the blob's peek (with these `step_fields`) if the caller has made it."""
    if mode not in REGULAR or raw is None:
        return Version(path, blob, mode, step_fields=step_fields)
    quick = quick or peek(raw, step_fields)
    if not full and quick.plain:
        return peeked(path, blob, mode, quick)
    try:
        item = article.parse(raw, path)
    except LamanError as err:
        return Version(
            *(path, blob, mode, quick.id, quick.stage, None, quick.content, quick.stage_line),
            *(err.problems, True),
            step_fields=step_fields,
        )
    return Version(
        *(path, blob, mode, item.id, item.stage, item.meta, quick.content, item.position("stage")[0]),
        *((), True),
        step_fields=step_fields,
    )
