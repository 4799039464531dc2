"""What an article is: a regular file, a valid front matter, one stable id, an approval bound to
the text approved, exempt information never published, and no merge that makes text of its own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.messages import Phrase
from pipeline.proof.rules.people import labels
from pipeline.proof.version import REGULAR

if TYPE_CHECKING:
    from pipeline.model.sop import Sop
    from pipeline.proof.policy import Change, Violation

KINDS = {"120000": "symlink / tautan simbolik", "160000": "submodule"}


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


def rule_stable_id(change: Change) -> list[Violation]:
    if change.before and change.after and change.after.valid and change.before.version.id != change.after.id:
        return [change.violation("SOP014", id=change.after.id, other=change.before.version.id)]
    return []


def rule_stale(change: Change) -> list[Violation]:
    before = change.before
    if before is None or not change.edited or not before.version.stage:
        return []
    sop = change.sop
    if sop.has_stage(before.version.stage) and sop.stage(before.version.stage).publishable:
        return [change.violation("SOP008", how=correcting(sop, before.version.stage, change.file))]
    return []


def correcting(sop: Sop, stage: str, file: str) -> Phrase:
    """How a live page is corrected under this SOP: the command and who may run it."""
    moves = sop.corrections_from(stage)
    if not moves:
        return Phrase("proof.ralat.none")
    move = moves[0]
    return Phrase("proof.ralat.how", file=file, target=move.target, allowed=labels(sop, move.roles))


def rule_exempt(change: Change) -> list[Violation]:
    after = change.after
    if after is None or not after.exempt or not after.stage or not change.sop.has_stage(after.stage):
        return []
    if change.sop.stage(after.stage).publishable and (change.moved or change.before is None):
        return [change.violation("SOP012", target=after.stage)]
    return []


def rule_evil_merge(change: Change) -> list[Violation]:
    return [change.violation("SOP013")] if change.evil_merge else []
