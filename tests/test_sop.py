"""sop.yml: SOP 27/2023 as data, and every mistake an office could make in it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from pipeline.errors import LamanError
from pipeline.model.sop import Sop, load_sop

ROOT = Path(__file__).resolve().parent.parent
TEXT = (ROOT / "sop.yml").read_text("utf-8")


def test_the_sop_as_issued(sop: Sop) -> None:
    assert sop.header["number"] == "27 Tahun 2023"
    assert sop.header["ratified_by"]["name"] == "Irman Susanto"
    assert [s.number for s in sop.steps] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert [r.lane for r in sop.roles.values()] == [1, 2, 3, 4, 5]
    assert set(sop.actors) == {"tim_redaksi", "ppid_pembantu", "sekretaris", "sekretariat", "pengolahan_data"}
    assert sop.step(7).output == ("Materi publikasi terverifikasi",)
    assert sop.initial.id == "planned"
    assert [s.id for s in sop.stages if s.publishable] == ["verified"]
    verify = sop.transition("submitted", "verified")
    assert verify and verify.roles == ("koordinator_liputan",) and verify.four_eyes
    back = sop.transition("submitted", "drafted")
    assert back and back.reason == "revision"
    assert sop.step_fields == ("stage", "revision", "withdrawal", "correction")
    assert sop.transition("verified", "withdrawn").roles == ("penanggung_jawab",)
    assert sop.time_limit("drafted") == timedelta(days=2)
    assert sop.time_limit("drafted", "serta-merta") == timedelta(hours=3)
    assert sop.next_roles("submitted") == ("koordinator_liputan",)


def edited(old: str, new: str, text: str = TEXT) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def problems(text: str) -> list[str]:
    with pytest.raises(LamanError) as caught:
        load_sop(text, "sop.yml")
    return [p.format("en") for p in caught.value.problems]


def line_of(fragment: str, text: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def test_unknown_role_in_a_transition() -> None:
    text = edited("roles: [redaktur_pelaksana]}", "roles: [redaktur]}")
    line = line_of("roles: [redaktur]}", text)
    assert problems(text) == [
        f"sop.yml:{line}:58: CFG001 The role `redaktur` in transitions[1].roles is not listed under `roles`.\n"
        "    → Add that role under `roles` or correct its spelling."
    ]


def test_unknown_stage_in_a_transition() -> None:
    text = edited("{from: corrected, to: submitted,", "{from: corected, to: submitted,")
    line = line_of("{from: corected", text)
    found = problems(text)
    assert found[0] == (
        f"sop.yml:{line}:12: CFG002 The stage `corected` in transitions[4].from is not listed under `stages`.\n"
        "    → Use one of the stages: planned, dispositioned, assigned, drafted, corrected, submitted, verified, withdrawn."
    )
    # With that transition broken, nothing reaches `submitted` or what follows it.
    assert [p.split(" ", 2)[1:] for p in found[1:]] == [
        [
            "CFG004",
            "The stage `submitted` cannot be reached from the initial stage.\n"
            "    → Add a transition into `submitted` or remove that stage.",
        ],
        [
            "CFG004",
            "The stage `verified` cannot be reached from the initial stage.\n"
            "    → Add a transition into `verified` or remove that stage.",
        ],
    ]


def test_no_initial_stage() -> None:
    found = problems(edited("    initial: true\n", ""))
    assert found[0].split(": ", 1)[1].startswith("CFG003 There is no initial stage (`initial: true`).")


def test_two_initial_stages() -> None:
    text = edited(
        "    requires: [title, disposition]\n", "    initial: true\n    requires: [title, disposition]\n"
    )
    assert [p.split(" ")[1] for p in problems(text)] == ["CFG008"]
    assert "More than one initial stage: planned, dispositioned." in problems(text)[0]


def test_unreachable_stage() -> None:
    text = edited("  - {from: corrected, to: submitted, step: 6, roles: [redaktur_pelaksana]}\n", "")
    found = problems(text)
    assert [p.split(" ")[1] for p in found] == ["CFG004", "CFG004"]
    assert "The stage `submitted` cannot be reached from the initial stage." in found[0]
    assert "The stage `verified` cannot be reached from the initial stage." in found[1]


def test_duplicate_stage_and_transition() -> None:
    text = edited("  - id: withdrawn\n", "  - id: verified\n")
    text = edited(
        "  - {from: planned, to: dispositioned, step: 2, roles: [penanggung_jawab]}\n",
        "  - {from: planned, to: dispositioned, step: 2, roles: [penanggung_jawab]}\n"
        "  - {from: planned, to: dispositioned, roles: [redaktur_pelaksana]}\n",
        text,
    )
    codes = [p.split(" ")[1] for p in problems(text)]
    assert "CFG005" in codes and "CFG006" in codes


def test_no_publishable_stage_and_unknown_step_and_key() -> None:
    text = edited("    publishable: true\n", "")
    text = edited(
        "  - {from: drafted, to: corrected, step: 5,", "  - {from: drafted, to: corrected, step: 9,", text
    )
    text = edited("requires: [title, withdrawal]", "requires: [title, alasan]", text)
    found = problems(text)
    assert [p.split(" ")[1] for p in found] == ["CFG011", "CFG007", "CFG009"]
    assert any("Step 9 in transitions[3].step is not listed under `steps`." in p for p in found)
    assert any("The key `alasan` in stages[7].requires is not a front-matter key." in p for p in found)


def test_terminal_stage_with_a_way_out() -> None:
    text = edited(
        "transitions:\n", "transitions:\n  - {from: withdrawn, to: planned, roles: [penanggung_jawab]}\n"
    )
    assert [p.split(" ")[1] for p in problems(text)] == ["CFG010"]


def test_schema_errors_in_sop_yml() -> None:
    text = edited("    time_limit: 2 hari\n", "    time_limit: dua hari\n")
    found = problems(text)
    assert found == [
        f"sop.yml:{line_of('time_limit: dua hari', text)}:17: SCH005 `stages[0].time_limit` is `dua hari`, "
        "which is not in the right form.\n    → Write it as a duration such as `4 jam` (hours) or `2 hari` (days)."
    ]


def test_a_time_limit_too_long_to_count_is_a_problem_not_a_crash() -> None:
    text = edited("    time_limit: 2 hari\n", "    time_limit: 9999999999991 hari\n")
    assert [p.split(" ")[1] for p in problems(text)] == ["SCH005"]


def test_a_new_stage_is_only_yaml() -> None:
    text = edited(
        "  - id: submitted\n",
        "  - id: layout\n    label: Tata letak\n    editors: [tim_pasca_produksi]\n    requires: [title]\n"
        "  - id: submitted\n",
    )
    text = edited(
        "  - {from: corrected, to: submitted, step: 6, roles: [redaktur_pelaksana]}\n",
        "  - {from: corrected, to: layout, roles: [tim_pasca_produksi]}\n"
        "  - {from: layout, to: submitted, step: 6, roles: [redaktur_pelaksana]}\n",
        text,
    )
    sop = load_sop(text)
    assert [s.id for s in sop.stages][5] == "layout"
    assert sop.next_roles("layout") == ("redaktur_pelaksana",)


def test_who_moves_an_item_on_does_not_depend_on_the_reason_fields_name() -> None:
    renamed = load_sop(TEXT.replace("reason: withdrawal", "reason: summary"))
    assert renamed.step_fields == ("stage", "revision", "summary", "correction")
    assert renamed.next_roles("submitted") == ("koordinator_liputan",)
