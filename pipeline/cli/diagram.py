"""The SOP shown to people: the steps as issued, the stages, and a Mermaid flow chart."""

from __future__ import annotations

from pipeline.messages import say
from pipeline.model.dates import durasi
from pipeline.model.sop import Sop


def step_rows(sop: Sop, lang: str = "id") -> list[tuple[str, ...]]:
    """(No., procedure, lane, equipment, time, output) as in the SOP's table."""
    return [
        (
            str(step.number),
            step.text,
            _role(sop, step.lane, lang),
            ", ".join(step.equipment),
            durasi(step.time_limit, lang) if step.time_limit else "",
            ", ".join(step.output),
        )
        for step in sop.steps
    ]


def stage_rows(sop: Sop, lang: str = "id") -> list[tuple[str, ...]]:
    """(stage id, label, step, who moves an item into it, time limit)."""
    rows = []
    for stage in sop.stages:
        movers = []
        for t in sop.transitions:
            if t.target == stage.id:
                movers.extend(_role(sop, r, lang) for r in t.roles if _role(sop, r, lang) not in movers)
        if stage.initial:
            movers.extend(_role(sop, r, lang) for r in sop.create_roles if _role(sop, r, lang) not in movers)
        rows.append(
            (
                stage.id,
                stage.title(lang),
                str(stage.step or "—"),
                ", ".join(movers),
                durasi(stage.time_limit, lang) if stage.time_limit else "—",
            )
        )
    return rows


def mermaid(sop: Sop, lang: str = "id") -> str:
    """A `flowchart` of the stages and who moves an item between them."""
    lines = ["flowchart TD"]
    for stage in sop.stages:
        label = stage.title(lang).replace('"', "'")
        step = say("sop.step", lang, step=stage.step) if stage.step else ""
        shape = ('(["', '"])') if stage.initial or stage.terminal else ('["', '"]')
        lines.append(f"    {_node(stage.id)}{shape[0]}{step}{label}{shape[1]}")
    for t in sop.transitions:
        who = " / ".join(_role(sop, r, lang) for r in t.roles)
        if t.reason:
            who += f" ({t.reason})"
        arrow = "-.->" if t.reason else "-->"
        lines.append(f'    {_node(t.source)} {arrow}|"{who}"| {_node(t.target)}')
    return "\n".join(lines) + "\n"


def _node(stage_id: str) -> str:
    return stage_id.replace("-", "_")


def _role(sop: Sop, role_id: str, lang: str) -> str:
    return sop.roles[role_id].title(lang)
