"""`laman advance`: one SOP step, checked before it is committed. Pure: text in, text out."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from pipeline.errors import LamanError, Problem
from pipeline.model.article import Article, parse
from pipeline.model.sop import Sop, Transition
from pipeline.model.team import Person


@dataclass(frozen=True)
class Step:
    text: str  # the file with its new stage
    transition: Transition
    message: str  # the commit message, with SOP trailers


def plan(item: Article, text: str, sop: Sop, person: Person, target: str, reason: str | None) -> Step:
    """The file moved to `target` by `person`, or a LamanError saying why it may not be."""
    source = item.stage
    line, col = item.position("stage")

    def refuse(code: str, **args: object) -> LamanError:
        return LamanError([Problem(code, item.file, line, col, args)])

    allowed = ", ".join(f"`{t.target}`" for t in sop.transitions_from(source)) or "—"
    if target == source:
        raise refuse("ADV003", stage=source, allowed=allowed)
    if not sop.has_stage(target):
        raise refuse("ART001", stage=target, stages=", ".join(s.id for s in sop.stages))
    transition = sop.transition(source, target)
    if transition is None:
        raise refuse("SOP003", source=source, target=target, allowed=allowed)
    labels = ", ".join(sop.roles[r].label for r in transition.roles)
    if not any(r in transition.roles for r in person.roles):
        mine = ", ".join(sop.roles[r].label for r in person.roles if r in sop.roles) or "—"
        raise refuse("SOP004", person=person.name, roles=mine, source=source, target=target, allowed=labels)
    if transition.assignee_only and str(item.meta.get("assignee", "")).lower() != person.email:
        raise refuse("SOP010", assignee=item.meta.get("assignee", "—"), person=person.name, target=target)
    if transition.reason and not (reason or item.meta.get(transition.reason)):
        raise refuse("SOP009", source=source, target=target, key=transition.reason)
    if item.exempt and sop.stage(target).publishable:
        raise refuse("SOP012", target=target)
    new_text = set_field(text, "stage", target)
    expected = {**item.meta, "stage": target}
    if transition.reason and reason:
        new_text = set_field(new_text, transition.reason, json.dumps(reason, ensure_ascii=False))
        expected[transition.reason] = reason
    # The edit is read back: what is committed must say what it meant to, and nothing else.
    try:
        moved = parse(new_text, item.file)
    except LamanError:
        moved = None
    if moved is None or moved.meta != expected or moved.body != item.body:
        raise refuse("ADV006", target=target)
    step = f"{transition.step}" if transition.step else "-"
    title = sop.stage(target).label
    message = (
        f"{title}: {item.title}\n\n"
        + (f"{reason}\n\n" if reason else "")
        + f"SOP-Step: {step}\nSOP-From: {source}\nSOP-To: {target}\n"
    )
    return Step(new_text, transition, message)


def set_field(text: str, key: str, value: str) -> str:
    """Set a top-level front-matter key, touching no other line than its own (and those its old
    value was continued on); add it before the fence if absent."""
    end = text.index("\n---", 3)
    front, rest = text[:end], text[end:]
    pattern = re.compile(rf"^{re.escape(key)} *:[^\n]*(?:\n[ \t][^\n]*)*", re.MULTILINE)
    eol = "\r" if front.endswith("\r") else ""  # a file written with CRLF keeps them
    if pattern.search(front):
        front = pattern.sub(lambda _: f"{key}: {value}{eol}", front, count=1)
    else:
        front = f"{front}\n{key}: {value}{eol}"
    return front + rest
