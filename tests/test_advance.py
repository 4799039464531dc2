"""`laman advance`'s plan: the step made, read back, and judged by the policy's own rules."""

from __future__ import annotations

import pytest

from pipeline.errors import LamanError
from pipeline.model.article import parse
from pipeline.model.sop import Sop
from pipeline.model.team import Team
from pipeline.proof.advance import plan
from tests.office import article_text

FILE = "content/berita/a1.md"


def _codes(text: str, sop: Sop, who: str, team: Team, target: str, reason: str | None = None) -> list[str]:
    try:
        plan(parse(text, FILE), text, sop, team.by_email[who], target, reason)
    except LamanError as err:
        return [p.code for p in err.problems]
    return []


def test_every_rule_the_step_breaks_is_named(sop: Sop, team: Team) -> None:
    text = article_text("a1", "assigned", assignee="rina@kpu-mentawai.example")
    # The managing editor is neither a writer nor the one assigned.
    assert _codes(text, sop, "darius@kpu-mentawai.example", team, "drafted") == ["SOP004", "SOP010"]
    assert _codes(text, sop, "rina@kpu-mentawai.example", team, "drafted") == []


@pytest.mark.parametrize("line_end", ["\n", "\r\n"], ids=["LF", "CRLF"])
def test_a_reason_is_part_of_the_step(sop: Sop, team: Team, line_end: str) -> None:
    text = article_text("a1", "submitted").replace("\n", line_end)
    koor = "maria@kpu-mentawai.example"
    assert _codes(text, sop, koor, team, "drafted") == ["SOP009"]
    assert _codes(text, sop, koor, team, "drafted", "Angka DPT keliru") == []
