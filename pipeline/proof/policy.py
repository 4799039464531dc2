"""The SOP enforced: pure rules over one commit's change to one article.

No I/O. The shell (`walk.py`) walks history and hands each change here with the policy in
force at the commit's parent, the signer the signature proves, and what is remembered of the
article; it gets back violations with stable codes and what to remember next. The rules
themselves are in `rules/`, by concern.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from pipeline.messages import render
from pipeline.model.sop import Sop, Transition
from pipeline.proof import correction
from pipeline.proof.correction import Superseded
from pipeline.proof.rules.content import (
    rule_evil_merge,
    rule_exempt,
    rule_regular_file,
    rule_stable_id,
    rule_stale,
    rule_valid,
)
from pipeline.proof.rules.people import (
    holds,
    labels,
    rule_assignee,
    rule_deletion,
    rule_editor,
    rule_four_eyes,
    rule_role,
    rule_signature,
    takes_on,
)
from pipeline.proof.rules.transitions import rule_creation, rule_reason, rule_required, rule_step
from pipeline.proof.version import Version

if TYPE_CHECKING:
    from pipeline.model.team import Person, Team


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
    # A correction (ralat) of a live page (`correction.py`): the version verified last, live
    # while the article goes round the loop again (the `verified_*` fields stay its own); why
    # the verified version corrected the one before it; why the correction under way was
    # opened; and the verified versions corrections replaced, oldest first.
    standing: Version | None = None
    correction: str | None = None
    correcting: str | None = None
    superseded: tuple[Superseded, ...] = ()
    # What a violation holds (see `hold.py`): the violations since the article was last cleared
    # (a clean verification or withdrawal), and the last publishable record before them, which
    # stays live meanwhile.
    held: tuple[Violation, ...] = ()
    good: Record | None = None


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


def rule_policy_readable(change: Change) -> list[Violation]:
    if change.policy.sop is None or change.policy.team is None:
        return [change.violation("SOP017", detail=change.policy.broken)]
    return []


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
    correction.rule_fresh_reason,
    rule_assignee,
    rule_editor,
    rule_stale,
    rule_four_eyes,
    rule_exempt,
    rule_deletion,
    rule_required,
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
        if found:
            held, good = _holding(change, found)
            return found, before._replace(version=after, held=held, good=good)
        return found, before._replace(version=after)
    contributors = set(before.contributors if before else ())
    if change.signer.person is not None and (change.edited or takes_on(change)):
        contributors.add(change.signer.person.id)
    stage_ok = bool(after.stage and change.sop.has_stage(after.stage)) if not broken else False
    verifies = (
        stage_ok
        and change.moved
        and change.sop.stage(after.stage).publishable  # type: ignore[arg-type]
        and not found
    )
    was_published = bool(before and (before.was_published or before.approved))
    if verifies:  # clean, by the right person: that verifier approved this exact text, released
        person = change.signer.person.id if change.signer.person else None
        fresh = Record(after, True, frozenset(), person, change.commit, change.signer.fingerprint, True)
        return found, correction.verified(before, fresh)
    held, good = _holding(change, found)
    fresh = Record(after, False, frozenset(contributors), was_published=was_published, held=held, good=good)
    return found, correction.unverified(change, fresh)


def _holding(change: Change, found: list[Violation]) -> tuple[tuple[Violation, ...], Record | None]:
    """What the article's record holds after a change that does not verify it: a clean move to a
    terminal stage (a withdrawal) releases it; a violation adds to what it holds and keeps the
    last publishable record before it live."""
    before = change.before
    if before is None:
        return tuple(found), None
    if change.policy.sop is None:  # no policy to know a publishable stage by: keep what it kept
        return (*before.held, *found), before.good
    target = change.target or ""
    if not found and change.moved and change.sop.has_stage(target) and change.sop.stage(target).terminal:
        return (), None
    if not found:
        return before.held, before.good
    return (*before.held, *found), standing(before, change.sop)


def standing(record: Record, sop: Sop) -> Record | None:
    """The record that stays live while `record`'s article is held: itself if publishable and
    not held, else the one it kept."""
    if not record.held and live(record, sop) is not None:
        return record._replace(good=None)
    return record.good


def judge_protected(commit: str, signer: Signer, policy: Policy, paths: list[str]) -> list[Violation]:
    """Changes to policy files and code need the person in charge's signature."""
    if not paths:
        return []
    sop = policy.sop
    allowed_roles = sop.protected_roles if sop else ()
    if signer.status == "G" and holds(signer, allowed_roles):
        return []
    allowed = labels(sop, allowed_roles) if sop else "penanggung_jawab"
    return [
        Violation(
            "SOP011", commit, path, None, None, {"path": path, "person": signer.name(), "allowed": allowed}
        )
        for path in paths
    ]


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


def live(record: Record, sop: Sop) -> Version | None:
    """The version the site shows: the approved one, or during a correction the standing one."""
    if publishable(record, sop):
        return record.version
    if record.standing is not None and publishable(Record(record.standing, True), sop):
        return record.standing
    return None


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
