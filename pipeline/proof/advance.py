"""`laman advance`: one SOP step, judged by the policy before it is committed. Pure: text in, text out."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from pipeline.errors import LamanError, Problem
from pipeline.model import requirements
from pipeline.model.article import Article, fences
from pipeline.model.sop import Sop, Transition
from pipeline.model.team import Person
from pipeline.proof import policy
from pipeline.proof.policy import Change, Policy, Record, Signer
from pipeline.proof.version import REGULAR, version


@dataclass(frozen=True)
class Step:
    text: str  # the file with its new stage
    transition: Transition
    message: str  # the commit message, with SOP trailers


def plan(item: Article, text: str, sop: Sop, person: Person, target: str, reason: str | None) -> Step:
    """The file moved to `target` by `person`, or a LamanError saying why it may not be: the
    change is made, read back, and judged by the policy's rules as the check will judge it."""
    source = item.stage
    line, col = item.position("stage")

    def refuse(code: str, **args: object) -> LamanError:
        return LamanError([Problem(code, item.file, line, col, args)])

    named = sop.stage_named(target)
    if named is None:
        stages = ", ".join(s.id for s in sop.stages)
        nearest = sop.nearest_stage(target)
        if nearest is not None:
            raise refuse("ADV008", stage=target, nearest=nearest, stages=stages)
        raise refuse("ART001", stage=target, stages=stages)
    target = named
    if target == source:
        allowed = ", ".join(f"`{t.target}`" for t in sop.transitions_from(source))
        if not allowed:
            raise refuse("ADV009", stage=source)
        raise refuse("ADV003", stage=source, allowed=allowed)
    transition = sop.transition(source, target)
    new_text = set_field(text, "stage", target)
    expected = {**item.meta, "stage": target}
    if transition is not None and transition.reason and reason:
        new_text = set_field(new_text, transition.reason, json.dumps(reason, ensure_ascii=False))
        expected[transition.reason] = reason
    before, after = (
        version(item.file, "", REGULAR[0], raw.encode("utf-8"), step_fields=sop.step_fields)
        for raw in (text, new_text)
    )
    # The edit is read back: what is committed must say what it meant to, and change nothing but
    # the lines of the step.
    if after.meta != expected or after.content != before.content:
        raise refuse("ADV006", target=target)
    # The team has done its part: the signer is the person the current signing key belongs to.
    change = Change("", Signer("G", None, person), Policy(sop, None), Record(before), after)
    # Every field the stage requires (not only those the check asks of the move, SOP080) is said
    # as what to fill in before the commit, once nothing else stands in the step's way.
    found = [v for v in policy.violations(change) if v.code != "SOP080"]
    if found:
        raise LamanError([Problem(v.code, item.file, line, col, v.args) for v in found])
    assert transition is not None  # a move the policy allows is a transition of sop.yml
    assert after.meta is not None  # read back in full above
    gaps = [g for g in requirements.missing(sop.stage(target), after.meta) if g.key != transition.reason]
    if gaps:
        args = {"file": item.file, "target": target}
        raise LamanError(
            [Problem("ADV007", item.file, line, col, {**args, "key": g.key, "what": g.what}) for g in gaps]
        )
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
    fenced = fences(text)
    assert fenced is not None  # the text is an article, parsed
    front, rest = text[: fenced.end], text[fenced.end :]
    pattern = re.compile(rf"^{re.escape(key)} *:[^\n]*(?:\n[ \t][^\n]*)*", re.MULTILINE)
    eol = "\r" if front.endswith("\r") else ""  # a file written with CRLF keeps them
    if pattern.search(front):
        front = pattern.sub(lambda _: f"{key}: {value}{eol}", front, count=1)
    else:
        front = f"{front}\n{key}: {value}{eol}"
    return front + rest
