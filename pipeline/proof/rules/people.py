"""Who may do what: the signature, the roles a step needs, the assignee, the stage's editors, four
eyes, and deletion."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.messages import Phrase

if TYPE_CHECKING:
    from pipeline.model.sop import Sop
    from pipeline.proof.policy import Change, Signer, Violation


def labels(sop: Sop, roles: tuple[str, ...]) -> str:
    return ", ".join(sop.roles[r].label for r in roles if r in sop.roles) or "—"


def holds(signer: Signer, roles: tuple[str, ...]) -> bool:
    return any(r in roles for r in signer.roles())


def takes_on(change: Change) -> bool:
    """Moving an article into a stage one edits (writing, correcting) makes one its author."""
    if not change.moved or not change.target or not change.sop.has_stage(change.target):
        return False
    return holds(change.signer, change.sop.stage(change.target).editors)


def rule_signature(change: Change) -> list[Violation]:
    status = change.signer.status
    if status == "B":
        return [change.violation("SOP002")]
    if status != "G" or change.signer.person is None:
        key = f", {change.signer.fingerprint}" if change.signer.fingerprint else ""
        return [change.violation("SOP001", status=status, key=key)]
    return []


def rule_role(change: Change) -> list[Violation]:
    transition = change.transition
    if transition is None or holds(change.signer, transition.roles) or change.signer.person is None:
        return []
    return [
        change.violation(
            "SOP004",
            person=change.signer.name(),
            roles=labels(change.sop, change.signer.roles()),
            source=change.source,
            target=change.target,
            allowed=labels(change.sop, transition.roles),
        )
    ]


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
    if any(holds(change.signer, stage.editors) for stage in stages):
        return []
    editors = tuple(dict.fromkeys(r for stage in stages for r in stage.editors))
    return [
        change.violation(
            "SOP007",
            person=change.signer.name(),
            roles=labels(sop, change.signer.roles()),
            stage=change.source,
            allowed=labels(sop, editors) if editors else _nobody_edits(change),
        )
    ]


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
    if change.edited or takes_on(change):
        contributors.add(change.signer.person.id)
    if change.signer.person.id in contributors:
        return [change.violation("SOP006", person=change.signer.name())]
    return []


def rule_deletion(change: Change) -> list[Violation]:
    if change.after is not None or change.before is None:
        return []
    sop = change.sop
    if holds(change.signer, sop.protected_roles):
        return []
    return [change.violation("SOP020", person=change.signer.name(), allowed=labels(sop, sop.protected_roles))]


def _nobody_edits(change: Change) -> Phrase:
    """Where nobody may change the text, the next step: who may send the article back for
    revision and the command, or, where no move leads back, who may start a new article."""
    sop = change.sop
    back = sop.ways_back(change.source or "") if sop.has_stage(change.source or "") else ()
    if not back:
        return Phrase("rule.nobody.new_article", allowed=labels(sop, sop.create_roles))
    movers = labels(sop, tuple(dict.fromkeys(r for t in back for r in t.roles)))
    reason = ' --reason "…"' if back[0].reason else ""
    command = f"laman advance {change.file} {back[0].target}{reason}"
    return Phrase("rule.nobody.send_back", movers=movers, command=command)
