"""The flow: a new article starts where sop.yml says, a step is one of its transitions, a step
that needs a reason has one, and a step lands in a stage with the fields that stage requires."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.messages import Phrase
from pipeline.model import requirements
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
        moves = ", ".join(f"`{t.target}`" for t in sop.transitions_from(change.source or ""))
        # From a stage that ends the flow, what comes next is a new article.
        allowed = moves or Phrase("rule.nobody.new_article", allowed=labels(sop, sop.create_roles))
        return [change.violation("SOP003", source=change.source, target=change.target, allowed=allowed)]
    return []


def rule_reason(change: Change) -> list[Violation]:
    transition = change.transition
    if transition is None or not transition.reason or not change.after:
        return []
    if change.after.value(transition.reason):
        return []
    return [change.violation("SOP009", source=change.source, target=change.target, key=transition.reason)]


def rule_required(change: Change) -> list[Violation]:
    """A move into a stage fills in every field that stage newly requires: what `laman advance`
    and `laman validate` ask before the commit, the check asks of the commit made. (A field the
    stage before required and an edit since emptied is `laman validate`'s to find: the check
    parses only the moves whose verdict depends on the front matter, `walk.needs_parse`.)"""
    after, transition, sop = change.after, change.transition, change.policy.sop
    if transition is None or after is None or sop is None:
        return []
    source, target = sop.stage(transition.source), sop.stage(transition.target)
    if not requirements.added(source, target):
        return []
    assert after.meta is not None  # `walk.needs_parse` has such a move parsed fully
    gaps = requirements.missing_on_entry(source, target, after.meta)
    commit = change.commit[:10]
    return [  # the step's own reason, when missing, is SOP009's
        change.violation("SOP080", target=change.target, key=gap.key, what=gap.what, commit=commit)
        for gap in gaps
        if gap.key != change.transition.reason
    ]
