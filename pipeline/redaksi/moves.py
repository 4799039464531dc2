"""What the person at the keyboard may be offered, read from sop.yml. Only what to *offer*: a
move is still planned and judged by `laman advance`'s own rules, which refuse a forged one."""

from __future__ import annotations

from pipeline.model.article import Article
from pipeline.model.sop import Sop, Stage, Transition
from pipeline.model.team import Person


def offered(sop: Sop, item: Article, person: Person) -> list[Transition]:
    """The moves out of the article's stage one of the person's roles may take (the writer's
    step only to the one assigned)."""
    assignee = str(item.meta.get("assignee") or "").lower()
    return [
        t
        for t in sop.transitions_from(item.stage)
        if any(person.has(r) for r in t.roles) and (not t.assignee_only or assignee == person.email.lower())
    ]


def may_edit(sop: Sop, stage: Stage, person: Person) -> bool:
    """The stage's `editors` name one of the person's roles."""
    return any(person.has(r) for r in stage.editors)


def may_create(sop: Sop, person: Person) -> bool:
    return any(person.has(r) for r in sop.create_roles)
