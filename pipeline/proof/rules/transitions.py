"""The flow: a new article starts where sop.yml says, a step is one of its transitions, and a
step that needs a reason has one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.proof.rules.people import holds, labels

if TYPE_CHECKING:
    from pipeline.proof.policy import Change, Violation


def rule_creation(change: Change) -> list[Violation]:
    if change.before is not None or change.after is None or not change.after.valid:
        return []
    sop = change.sop
    if change.after.stage != sop.initial.id or not holds(change.signer, sop.create_roles):
        return [
            change.violation(
                "SOP005",
                stage=change.after.stage,
                person=change.signer.name(),
                initial=sop.initial.id,
                allowed=labels(sop, sop.create_roles),
            )
        ]
    return []


def rule_step(change: Change) -> list[Violation]:
    if not change.moved or not (change.after and change.after.valid):
        return []
    sop = change.sop
    if change.transition is None:  # worked out with the Change: moved, valid, policy readable
        allowed = ", ".join(f"`{t.target}`" for t in sop.transitions_from(change.source or "")) or "—"
        return [change.violation("SOP003", source=change.source, target=change.target, allowed=allowed)]
    return []


def rule_reason(change: Change) -> list[Violation]:
    transition = change.transition
    if transition is None or not transition.reason or not change.after:
        return []
    if change.after.value(transition.reason):
        return []
    return [change.violation("SOP009", source=change.source, target=change.target, key=transition.reason)]
