"""The SOP enforced: pure rules over one commit's change to one article.

No I/O. The shell (`check.py`) walks history and hands each change here with the policy in
force at the commit's parent, the signer the signature proves, and what is remembered of the
article; it gets back violations with stable codes and what to remember next.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from pipeline.errors import LamanError, Problem
from pipeline.messages import render
from pipeline.model import article, strictyaml
from pipeline.model.sop import Sop, Transition

if TYPE_CHECKING:
    from pipeline.model.team import Person, Team

REGULAR = ("100644", "100755")
KINDS = {"120000": "symlink / tautan simbolik", "160000": "submodule"}
# The stock sop.yml's step fields (`Sop.step_fields`), for a reader not given an SOP's own.
STOCK_STEP_FIELDS = ("stage", "revision", "withdrawal")


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
        return bool(self.meta) and (self.meta.get("information") or {}).get("class") == article.EXEMPT


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
    """A peeked line's value (what follows `key:`) as YAML reads it, if it is text on that line:
    plain, or quoted with nothing to unescape; None where only YAML can say."""
    if _SURE_TEXT.fullmatch(value):
        return value.strip()
    text = value.strip()
    if not text:
        return None if value else b""  # `key:` alone reads as null; anything else is left to YAML
    if value[:1] != b" ":
        return None
    quote, inner = text[:1], text[1:-1]
    if quote in (b'"', b"'"):
        whole = len(text) > 1 and text.endswith(quote) and quote not in inner
        return inner if whole and (quote == b"'" or b"\\" not in inner) else None
    readable = (
        text[:1] not in _INDICATORS
        and b": " not in text
        and b" #" not in text  # a comment starts there
        and not text.endswith(b":")
        and strictyaml.plain_text(text.decode("utf-8", "replace"))
    )
    return text if readable else None


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


class Signer(NamedTuple):
    status: str  # git's %G? letter; only "G" proves a person
    fingerprint: str | None
    person: Person | None

    def roles(self) -> tuple[str, ...]:
        return self.person.roles if self.person else ()

    def name(self) -> str:
        if self.person:
            return self.person.name
        if self.fingerprint:
            return f"kunci tak dikenal / unknown key {self.fingerprint}"
        return "tanpa tanda tangan / unsigned"


@dataclass(frozen=True)
class Policy:
    """sop.yml and team.yml as in force, or why they are not."""

    sop: Sop | None
    team: Team | None
    broken: str = ""

    @property
    def step_fields(self) -> tuple[str, ...]:
        """The fields whose change is a step, not an edit: the SOP's, or the stage alone."""
        return self.sop.step_fields if self.sop is not None else ("stage",)


def resolve_signer(status: str, fingerprint: str | None, author_email: str, pol: Policy) -> Signer:
    """Who a commit's signature proves, under the policy in force: the one answer that the check,
    the recap and the board all use. `status` is the signature's own verdict, in git's letters."""
    team, sop = pol.team, pol.sop
    if status != "U" or fingerprint is None or team is None or sop is None:
        return Signer(status, fingerprint, None)
    person = team.by_fingerprint.get(fingerprint)
    if person is not None:
        return Signer("G", fingerprint, person)
    if fingerprint in sop.forge_fingerprints:  # the forge vouches for the author it names
        vouched = team.by_email.get(author_email.lower())
        return Signer("G" if vouched else "U", fingerprint, vouched)
    return Signer("U", fingerprint, None)


class Record(NamedTuple):
    """What is remembered of an article between commits."""

    version: Version
    approved: bool = False
    contributors: frozenset[str] = frozenset()
    verified_by: str | None = None
    verified_in: str | None = None
    verified_key: str | None = None  # the verifier's key fingerprint, for the public record
    was_published: bool = False  # an approved version once stood: a withdrawal leaves a notice


@dataclass(frozen=True)
class Violation:
    code: str
    commit: str
    file: str
    line: int | None = None
    article: str | None = None
    args: Mapping[str, object] = field(default_factory=dict)

    def message(self, lang: str = "id") -> str:
        return render(self.code, "message", lang, self.args)

    def fix(self, lang: str = "id") -> str:
        return render(self.code, "fix", lang, self.args)

    def format(self, lang: str = "id") -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where} @ {self.commit[:10]}: {self.code} {self.message(lang)}\n    → {self.fix(lang)}"

    def as_dict(self, lang: str = "id") -> dict[str, object]:
        return {
            "code": self.code,
            "commit": self.commit,
            "file": self.file,
            "line": self.line,
            "article": self.article,
            "message": self.message(lang),
            "fix": self.fix(lang),
        }


class Change:
    """One article's change in one commit, as the rules see it. What every rule asks of it
    (`source`, `target`, `moved`, `edited`, `transition`) is worked out once, when it is made.
    Not to be changed once made; a plain class with slots, since one is made per change judged
    and a frozen dataclass's fields each cost a call to set."""

    __slots__ = (
        *("after", "before", "commit", "edited", "evil_merge", "moved"),
        *("policy", "signer", "source", "target", "transition"),
    )

    def __init__(
        self,
        commit: str,
        signer: Signer,
        policy: Policy,
        before: Record | None,
        after: Version | None,
        *,
        evil_merge: bool = False,
    ) -> None:
        self.commit, self.signer, self.policy = commit, signer, policy
        self.before, self.after, self.evil_merge = before, after, evil_merge
        self.source: str | None = before.version.stage if before else None
        self.target: str | None = after.stage if after else None
        # A stage changed; the text changed (anything but the step fields).
        self.moved = before is not None and after is not None and self.source != self.target
        self.edited = after is not None and (before is None or before.version.content != after.content)
        self.transition: Transition | None = (  # the sop.yml transition made, if valid
            policy.sop.transition(self.source or "", self.target or "")
            if self.moved and after is not None and after.valid and policy.sop is not None
            else None
        )

    @property
    def sop(self) -> Sop:
        assert self.policy.sop is not None
        return self.policy.sop

    @property
    def file(self) -> str:
        return (self.after or self.before.version).path  # type: ignore[union-attr]

    def violation(self, code: str, **args: object) -> Violation:
        line = self.after.stage_line if self.after else None
        article_id = (self.after and self.after.id) or (self.before and self.before.version.id)
        return Violation(code, self.commit, self.file, line, article_id, args)


# ---- the rules: each takes a Change and returns its violations --------------------------------


def _labels(sop: Sop, roles: tuple[str, ...]) -> str:
    return ", ".join(sop.roles[r].label for r in roles if r in sop.roles) or "—"


def _holds(signer: Signer, roles: tuple[str, ...]) -> bool:
    return any(r in roles for r in signer.roles())


def rule_policy_readable(change: Change) -> list[Violation]:
    if change.policy.sop is None or change.policy.team is None:
        return [change.violation("SOP017", detail=change.policy.broken)]
    return []


def rule_signature(change: Change) -> list[Violation]:
    status = change.signer.status
    if status == "B":
        return [change.violation("SOP002")]
    if status != "G" or change.signer.person is None:
        key = f", {change.signer.fingerprint}" if change.signer.fingerprint else ""
        return [change.violation("SOP001", status=status, key=key)]
    return []


def rule_regular_file(change: Change) -> list[Violation]:
    if change.after and change.after.mode not in REGULAR:
        kind = KINDS.get(change.after.mode, change.after.mode)
        return [change.violation("SOP016", path=change.after.path, kind=kind)]
    return []


def rule_valid(change: Change) -> list[Violation]:
    if change.after and change.after.mode in REGULAR and not change.after.valid:
        detail = "; ".join(p.format("en").splitlines()[0] for p in change.after.problems)
        return [change.violation("SOP015", detail=detail)]
    return []


def rule_creation(change: Change) -> list[Violation]:
    if change.before is not None or change.after is None or not change.after.valid:
        return []
    sop = change.sop
    if change.after.stage != sop.initial.id or not _holds(change.signer, sop.create_roles):
        return [
            change.violation(
                "SOP005",
                stage=change.after.stage,
                person=change.signer.name(),
                initial=sop.initial.id,
                allowed=_labels(sop, sop.create_roles),
            )
        ]
    return []


def rule_stable_id(change: Change) -> list[Violation]:
    if change.before and change.after and change.after.valid and change.before.version.id != change.after.id:
        return [change.violation("SOP014", id=change.after.id, other=change.before.version.id)]
    return []


def rule_step(change: Change) -> list[Violation]:
    if not change.moved or not (change.after and change.after.valid):
        return []
    sop = change.sop
    if change.transition is None:  # worked out with the Change: moved, valid, policy readable
        allowed = ", ".join(f"`{t.target}`" for t in sop.transitions_from(change.source or "")) or "—"
        return [change.violation("SOP003", source=change.source, target=change.target, allowed=allowed)]
    return []


def rule_role(change: Change) -> list[Violation]:
    transition = change.transition
    if transition is None or _holds(change.signer, transition.roles) or change.signer.person is None:
        return []
    return [
        change.violation(
            "SOP004",
            person=change.signer.name(),
            roles=_labels(change.sop, change.signer.roles()),
            source=change.source,
            target=change.target,
            allowed=_labels(change.sop, transition.roles),
        )
    ]


def rule_reason(change: Change) -> list[Violation]:
    transition = change.transition
    if transition is None or not transition.reason or not change.after:
        return []
    if change.after.value(transition.reason):
        return []
    return [change.violation("SOP009", source=change.source, target=change.target, key=transition.reason)]


def rule_assignee(change: Change) -> list[Violation]:
    transition = change.transition
    if transition is None or not transition.assignee_only or change.signer.person is None:
        return []
    assignee = str(change.after.value("assignee") or "").lower()  # type: ignore[union-attr]
    if assignee == change.signer.person.email:
        return []
    return [
        change.violation(
            "SOP010", assignee=assignee or "—", person=change.signer.name(), target=change.target
        )
    ]


def rule_editor(change: Change) -> list[Violation]:
    """Whoever changes the text must be an editor of the stage it was in (or moves it into)."""
    if not change.edited or change.before is None or change.signer.person is None:
        return []
    if not (change.after and change.after.valid and change.before.version.valid):
        return []
    sop = change.sop
    stages = [sop.stage(s) for s in dict.fromkeys((change.source, change.target)) if s and sop.has_stage(s)]
    if any(_holds(change.signer, stage.editors) for stage in stages):
        return []
    editors = tuple(dict.fromkeys(r for stage in stages for r in stage.editors))
    return [
        change.violation(
            "SOP007",
            person=change.signer.name(),
            roles=_labels(sop, change.signer.roles()),
            stage=change.source,
            allowed=_labels(sop, editors),
        )
    ]


def rule_stale(change: Change) -> list[Violation]:
    before = change.before
    if before is None or not change.edited or not before.version.stage:
        return []
    sop = change.sop
    if sop.has_stage(before.version.stage) and sop.stage(before.version.stage).publishable:
        return [change.violation("SOP008")]
    return []


def _takes_on(change: Change) -> bool:
    """Moving an article into a stage one edits (writing, correcting) makes one its author."""
    if not change.moved or not change.target or not change.sop.has_stage(change.target):
        return False
    return _holds(change.signer, change.sop.stage(change.target).editors)


def rule_four_eyes(change: Change) -> list[Violation]:
    transition = change.transition
    if (
        transition is None
        or not transition.four_eyes
        or change.signer.person is None
        or change.before is None
    ):
        return []
    contributors = set(change.before.contributors)
    if change.edited or _takes_on(change):
        contributors.add(change.signer.person.id)
    if change.signer.person.id in contributors:
        return [change.violation("SOP006", person=change.signer.name())]
    return []


def rule_exempt(change: Change) -> list[Violation]:
    after = change.after
    if after is None or not after.exempt or not after.stage or not change.sop.has_stage(after.stage):
        return []
    if change.sop.stage(after.stage).publishable and (change.moved or change.before is None):
        return [change.violation("SOP012", target=after.stage)]
    return []


def rule_deletion(change: Change) -> list[Violation]:
    if change.after is not None or change.before is None:
        return []
    sop = change.sop
    if _holds(change.signer, sop.protected_roles):
        return []
    return [
        change.violation("SOP020", person=change.signer.name(), allowed=_labels(sop, sop.protected_roles))
    ]


def rule_evil_merge(change: Change) -> list[Violation]:
    return [change.violation("SOP013")] if change.evil_merge else []


RULES: tuple[Callable[[Change], list[Violation]], ...] = (
    rule_signature,
    rule_regular_file,
    rule_valid,
    rule_evil_merge,
    rule_creation,
    rule_stable_id,
    rule_step,
    rule_role,
    rule_reason,
    rule_assignee,
    rule_editor,
    rule_stale,
    rule_four_eyes,
    rule_exempt,
    rule_deletion,
)


def violations(change: Change) -> list[Violation]:
    """Every violation of one change under a readable policy."""
    return [v for rule in RULES for v in rule(change)]


def judge(change: Change) -> tuple[list[Violation], Record | None]:
    """Every violation of one change, and what to remember of the article afterwards."""
    broken = rule_policy_readable(change)
    found = broken or violations(change)
    after = change.after
    if after is None:
        return found, None
    before = change.before
    if before and before.version.blob == after.blob:  # unchanged, or a pure rename
        return found, before._replace(version=after)
    contributors = set(before.contributors if before else ())
    if change.signer.person is not None and (change.edited or _takes_on(change)):
        contributors.add(change.signer.person.id)
    stage_ok = bool(after.stage and change.sop.has_stage(after.stage)) if not broken else False
    verifies = (
        stage_ok
        and change.moved
        and change.sop.stage(after.stage).publishable  # type: ignore[arg-type]
        and not found
    )
    was_published = bool(before and (before.was_published or before.approved))
    if verifies:
        person = change.signer.person.id if change.signer.person else None
        return found, Record(after, True, frozenset(), person, change.commit, change.signer.fingerprint, True)
    return found, Record(after, False, frozenset(contributors), was_published=was_published)


def judge_protected(commit: str, signer: Signer, policy: Policy, paths: list[str]) -> list[Violation]:
    """Changes to policy files and code need the person in charge's signature."""
    if not paths:
        return []
    sop = policy.sop
    allowed_roles = sop.protected_roles if sop else ()
    if signer.status == "G" and _holds(signer, allowed_roles):
        return []
    allowed = _labels(sop, allowed_roles) if sop else "penanggung_jawab"
    return [
        Violation(
            "SOP011", commit, path, None, None, {"path": path, "person": signer.name(), "allowed": allowed}
        )
        for path in paths
    ]


def is_protected(path: str, sop: Sop | None, defaults: tuple[str, ...]) -> bool:
    files, folders = _protection(sop.protected_paths if sop else defaults)
    return path in files or path.startswith(folders)


@lru_cache(maxsize=64)
def _protection(paths: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    """Protected files, and folders (written with a closing `/`) whose every file is."""
    return frozenset(paths), tuple(p for p in paths if p.endswith("/"))


def publishable(record: Record, sop: Sop) -> bool:
    """Approved, still the approved blob, in a publishable stage, and not exempt."""
    version_ = record.version
    return (
        record.approved
        and version_.parsed
        and version_.valid
        and not version_.exempt
        and bool(version_.stage)
        and sop.has_stage(version_.stage or "")
        and sop.stage(version_.stage or "").publishable
    )


def legacy(record_version: Version, sop: Sop) -> Record:
    """An article as it stood at the trust anchor: accepted as it was."""
    ok = (
        record_version.parsed
        and record_version.valid
        and bool(record_version.stage)
        and sop.has_stage(record_version.stage or "")
    )
    approved = ok and sop.stage(record_version.stage or "").publishable and not record_version.exempt
    return Record(record_version, approved)
