"""A correction (ralat) of a live page, on real signed repositories: the page keeps its verified
text until the correction is verified, then shows the new text with "Ralat, <tanggal>: <alasan>",
and the public record keeps every verified version."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from pipeline.errors import LamanError
from pipeline.model.dates import WIB, tanggal
from pipeline.model.project import load_project
from pipeline.model.sop import load_sop
from pipeline.proof.check import run_check
from pipeline.proof.history import Repository
from pipeline.site import build
from tests.office import SOP_TEXT, Keys, Office, codes, every_text, laman

OLD = "Jumlah pemilih LAMA-100 orang."
NEW = "Jumlah pemilih BARU-120 orang."
REASON = "Jumlah pemilih keliru"
NOW = ("--now", "2024-11-26 08:00")
WHEN = datetime(2024, 11, 26, 8, 0, tzinfo=WIB)


@pytest.fixture
def office(tmp_path: Path, keys: Keys, monkeypatch: pytest.MonkeyPatch) -> Office:
    made = Office(tmp_path, keys, site=True)
    monkeypatch.chdir(made.path)
    monkeypatch.setenv("COLUMNS", "200")
    made.walk("a1", body=f"{OLD}\n")
    return made


def correct(office: Office, by: str, reason: str, body: str, to: str = "corrected") -> str:
    """One step of the correction loop, committed as `by`."""
    return office.write("a1", to, by, body=f"{body}\n", correction=reason)


def blob(office: Office, commit: str) -> str:
    return office.repo.git("rev-parse", f"{commit}:{office.file('a1')}").strip()


def day(office: Office, commit: str) -> str:
    return tanggal(datetime.fromisoformat(office.repo.git("log", "-1", "--format=%cI", commit).strip()))


def page(office: Office) -> str:
    result = laman("build", *NOW)
    assert result.exit_code == 0, result.output
    return (office.path / "output/a1/index.html").read_text("utf-8")


def loop(office: Office, opener: str, reason: str, live: str, body: str) -> str:
    """A whole correction of the `live` text to `body`: opened by `opener`, corrected, submitted
    and verified; the last commit."""
    correct(office, opener, reason, live)
    correct(office, "pasca", reason, body)
    correct(office, "redaktur", reason, body, to="submitted")
    return correct(office, "koor", reason, body, to="verified")


def test_the_page_keeps_its_verified_text_until_the_correction_is_verified(office: Office) -> None:
    first = office.repo.head()
    correct(office, "koor", REASON, OLD)
    correct(office, "pasca", REASON, NEW)
    correct(office, "redaktur", REASON, NEW, to="submitted")
    checked = office.check()
    assert codes(checked) == []
    assert checked.publishable["a1"].blob == blob(office, first)
    during = page(office)
    assert "LAMA-100" in during and "BARU-120" not in during and "Ralat" not in during
    assert not [n for n, text in every_text(office.path / "output") if "BARU-120" in text]
    second = correct(office, "koor", REASON, NEW, to="verified")
    assert office.check().publishable["a1"].blob == blob(office, second)
    third = loop(office, "pj", "Nama kecamatan keliru", NEW, NEW.replace("orang", "jiwa"))
    after = page(office)
    assert "BARU-120 jiwa" in after and "LAMA-100" not in after
    notes = re.findall(r"<p><strong>Ralat, <time[^>]*>([^<]+)</time>:</strong> ([^<]+)</p>", after)
    assert notes == [(day(office, third), "Nama kecamatan keliru"), (day(office, second), REASON)]
    record = json.loads((office.path / "output/.well-known/laman-provenance.json").read_text("utf-8"))
    entry = next(a for a in record["articles"] if a["id"] == "a1")
    koor = office.keys["koor"].fingerprint
    assert (entry["blob"], entry["commit"], entry["key"]) == (blob(office, third), third, koor)
    assert entry["correction"] == "Nama kecamatan keliru"
    earlier = [(e["blob"], e["commit"], e["key"], e["correction"]) for e in entry["earlier"]]
    assert earlier == [(blob(office, first), first, koor, None), (blob(office, second), second, koor, REASON)]


def test_a_withdrawal_during_a_correction_takes_the_page_down_with_a_notice(office: Office) -> None:
    correct(office, "koor", REASON, OLD)
    correct(office, "pasca", REASON, NEW)
    office.write("a1", "withdrawn", "pj", body=f"{NEW}\n", withdrawal="Data keliru")
    checked = office.check()
    assert codes(checked) == [] and checked.publishable == {}
    notice = page(office)
    assert "Data keliru" in notice and "noindex" in notice
    assert leaks(office.path / "output", "LAMA-100") == leaks(office.path / "output", "BARU-120") == []


def test_a_correction_needs_its_own_reason(office: Office) -> None:
    office.sign_as("koor")
    refused = laman("advance", office.file("a1"), "corrected")
    assert refused.exit_code != 0 and "SOP009" in refused.output
    office.write("a1", "corrected", "koor", body=f"{OLD}\n")
    assert codes(office.check()) == ["SOP009"]


def test_a_second_correction_does_not_reuse_the_first_ones_reason(office: Office) -> None:
    loop(office, "koor", REASON, OLD, NEW)
    office.sign_as("koor")
    refused = laman("advance", office.file("a1"), "corrected", "--reason", REASON)
    assert refused.exit_code != 0 and "RAL001" in refused.output
    moved = laman("advance", office.file("a1"), "corrected", "--reason", "Tanggal rapat keliru")
    assert moved.exit_code == 0, moved.output
    assert 'correction: "Tanggal rapat keliru"' in (office.path / office.file("a1")).read_text("utf-8")
    assert codes(office.check()) == []


@pytest.mark.parametrize("who", ["writer", "pasca", "redaktur"])
def test_only_the_coordinator_or_the_person_in_charge_opens_a_correction(office: Office, who: str) -> None:
    first = office.repo.head()
    office.sign_as(who)
    refused = laman("advance", office.file("a1"), "corrected", "--reason", REASON)
    assert refused.exit_code != 0 and "SOP004" in refused.output
    correct(office, who, REASON, OLD)
    checked = office.check()
    assert codes(checked) == ["SOP004"]
    assert checked.publishable["a1"].blob == blob(office, first)  # still the verified text


def test_the_fix_for_an_edit_after_verification_names_the_correction(office: Office) -> None:
    office.write("a1", "verified", "pasca", body=f"{NEW}\n")
    checked = office.check()
    assert codes(checked) == ["SOP007", "SOP008"]
    found = checked.violations[1]
    hint = found.fix("id")
    assert f'`laman advance {office.file("a1")} corrected --reason "…"`' in hint
    assert "Koordinator Liputan" in hint and "Penanggung Jawab" in hint
    assert "corrected --reason" in found.fix("en")


def test_the_cached_check_agrees_with_a_cold_one(office: Office) -> None:
    run_check(office.path)
    correct(office, "koor", REASON, OLD)
    correct(office, "pasca", REASON, NEW)
    warm = run_check(office.path)
    cold = run_check(office.path, use_cache=False)
    assert warm.judged == 2
    assert warm.records == cold.records and warm.publishable == cold.publishable
    assert warm.publishable["a1"].meta["title"]  # the standing version, parsed, from the cache
    correct(office, "redaktur", REASON, NEW, to="submitted")
    correct(office, "koor", REASON, NEW, to="verified")
    warm, cold = run_check(office.path), run_check(office.path, use_cache=False)
    assert warm.records == cold.records and warm.publishable == cold.publishable
    assert warm.records["a1"].superseded and warm.records["a1"].correction == REASON


def test_an_office_whose_correction_move_asks_no_reason_is_told(office: Office) -> None:
    text = SOP_TEXT.replace("penanggung_jawab], reason: correction}", "penanggung_jawab]}")
    with pytest.raises(LamanError) as refused:
        load_sop(text)
    assert [p.code for p in refused.value.problems] == ["RAL002"]


# ---- attacks ---------------------------------------------------------------------------------


def built_anyway(office: Office) -> Path:
    """The build function over what the check allows, violations or not (as a build that holds
    only what a violation touches would): what could go live."""
    checked = office.check()
    with Repository(office.path) as repo:
        planned = build.plan(repo, checked, WHEN)
    done = build.build(
        load_project(office.path),
        planned.files,
        commit=checked.head,
        enforced=checked.enforced,
        entries=planned.entries,
        notices=planned.notices,
        now=WHEN,
        epoch=planned.epoch,
        code=planned.code,
    )
    return done.output


def leaks(site: Path, marker: str) -> list[str]:
    return [name for name, text in every_text(site) if marker in text]


def test_unverified_text_never_goes_live_through_the_loop(office: Office) -> None:
    """Edit during a correction, then submit and verify it oneself: the page keeps the verified
    text; a withdrawal then takes the page down, and the new text was never shown."""
    first = office.repo.head()
    correct(office, "koor", REASON, OLD)
    correct(office, "pasca", REASON, "Teks BOCOR-RALAT-7Q")
    correct(office, "pasca", REASON, "Teks BOCOR-RALAT-7Q", to="submitted")
    correct(office, "pasca", REASON, "Teks BOCOR-RALAT-7Q", to="verified")
    checked = office.check()
    assert codes(checked) == ["SOP004", "SOP004", "SOP006"]
    assert checked.publishable["a1"].blob == blob(office, first)
    site = built_anyway(office)
    assert "LAMA-100" in (site / "a1/index.html").read_text("utf-8")
    assert leaks(site, "BOCOR-RALAT-7Q") == []
    office.write("a1", "withdrawn", "pj", body="Teks BOCOR-RALAT-7Q\n", withdrawal="Data keliru")
    checked = office.check()
    assert "a1" not in checked.publishable
    site = built_anyway(office)
    notice = (site / "a1/index.html").read_text("utf-8")
    assert "Data keliru" in notice and "LAMA-100" not in notice
    assert leaks(site, "BOCOR-RALAT-7Q") == []


def test_a_correction_merged_from_a_branch_shows_only_verified_text(office: Office) -> None:
    """The loop taken on a branch and merged, a step skipped there: what was never verified
    stays off the site, whoever signs the merge."""
    first = office.repo.head()
    office.repo.git("switch", "-q", "-c", "ralat")
    correct(office, "koor", REASON, OLD)
    correct(office, "pasca", REASON, "Teks BOCOR-CABANG-7Q")
    office.repo.git("switch", "-q", "main")
    office.merge_signed("ralat")
    checked = office.check()
    assert codes(checked) == []
    assert checked.publishable["a1"].blob == blob(office, first)
    office.repo.git("switch", "-q", "ralat")
    correct(office, "koor", REASON, "Teks BOCOR-CABANG-7Q", to="verified")
    office.repo.git("switch", "-q", "main")
    office.merge_signed("ralat")
    checked = office.check()
    assert codes(checked) == ["SOP003"]
    assert checked.publishable["a1"].blob == blob(office, first)
    assert leaks(built_anyway(office), "BOCOR-CABANG-7Q") == []


def test_a_served_record_that_rewrites_an_earlier_version_is_caught(office: Office, tmp_path: Path) -> None:
    loop(office, "koor", REASON, OLD, NEW)
    assert laman("build", *NOW).exit_code == 0
    assert laman("deploy", f"dir:{tmp_path / 'srv'}").exit_code == 0
    served = tmp_path / "srv/current"
    honest = laman("verify-site", str(served))
    assert honest.exit_code == 0, honest.output
    path = served / ".well-known/laman-provenance.json"
    record = json.loads(path.read_text("utf-8"))
    record["articles"][0]["earlier"][0]["correction"] = "Tidak pernah ada ralat"
    path.write_text(json.dumps(record), "utf-8")
    forged = laman("verify-site", str(served))
    assert forged.exit_code == 1 and "VER004" in forged.output
