"""A violation holds what it touches, not the office (issue 21): the held article stays at its last
good version, the rest builds and deploys; a squash merge is named once; a signed waiver by the
person in charge forgives exactly what it names. Real repositories, real SSH signatures."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.office import FLOW, STEP_BY, Keys, Office, article_text, laman

BUILD = ("build", "--now", "2024-11-26 08:00")


@pytest.fixture
def office(tmp_path: Path, keys: Keys, monkeypatch: pytest.MonkeyPatch) -> Office:
    made = Office(tmp_path, keys, site=True)
    monkeypatch.chdir(made.path)
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return made


def blob(office: Office, ident: str) -> str:
    return office.repo.git("rev-parse", f"HEAD:{office.file(ident)}").strip()


def page(office: Office, ident: str) -> str:
    found = office.path / f"output/{ident}/index.html"
    return found.read_text("utf-8") if found.is_file() else ""


def test_a_squash_merge_holds_only_the_articles_it_touched(office: Office) -> None:
    office.walk("a1", title="Sudah Tayang")
    for ident in ("a2", "a3"):
        office.create(ident, title=f"Dilipat {ident}")
    office.repo.git("switch", "-q", "-c", "naskah/a2")
    for ident in ("a2", "a3"):
        for stage in FLOW[1:]:
            office.write(ident, stage, STEP_BY[stage], title=f"Dilipat {ident}")
    office.repo.git("switch", "-q", "main")
    office.repo.git("merge", "-q", "--squash", "naskah/a2")
    squash = office.repo.commit("Naskah a2 dan a3 (#12)", office.keys["pj"])
    result = office.check()
    assert sorted(result.held) == ["a2", "a3"]
    assert {v.commit for found in result.held.values() for v in found} == {squash}
    assert [n.code for n in result.notices] == ["SOP050"]  # once, not once per article
    assert list(result.publishable) == ["a1"] and not result.stopped
    checked = laman("check")
    assert checked.exit_code == 1 and checked.output.count("squash merge atau rebase merge") == 1
    assert "Allow merge commits" in laman("--lang", "en", "check").output
    built = laman(*BUILD)
    assert built.exit_code == 0, built.output
    assert "Sudah Tayang" in page(office, "a1") and not page(office, "a2") and not page(office, "a3")
    assert "a2" in built.output and "a3" in built.output  # what is held is said


def test_held_article_keeps_its_verified_text_live_and_reports_it(
    office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    office.walk("a1", title="Teks Terverifikasi")
    office.walk("a2", title="Naskah Lain")
    office.write("a1", "verified", "writer", title="Teks Terverifikasi", body="zqdiamdiam\n")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert laman("check").exit_code == 1  # a person sees it
    built = laman(*BUILD)
    assert built.exit_code == 0, built.output
    assert "Teks Terverifikasi" in page(office, "a1") and "zqdiamdiam" not in page(office, "a1")
    assert "Naskah Lain" in page(office, "a2")
    assert "a1" in summary.read_text("utf-8") and "SOP008" in summary.read_text("utf-8")
    status = laman("status")
    assert status.exit_code == 0 and "SOP008" in status.output and "a1" in status.output


def test_a_clean_verification_releases_what_was_held(office: Office) -> None:
    office.walk("a1", to="submitted")
    office.write("a1", "submitted", "writer", body="Diubah setelah diajukan.\n")  # SOP007
    assert list(office.check().held) == ["a1"] and not office.check().publishable
    office.write("a1", "drafted", "koor", body="Diubah setelah diajukan.\n", revision="Periksa")
    for stage in ("corrected", "submitted", "verified"):
        office.write(a1 := "a1", stage, STEP_BY[stage], body="Diubah setelah diajukan.\n", revision="Periksa")
    result = office.check()
    assert result.violations and not result.held  # reported still, held no longer
    assert result.publishable[a1].blob == blob(office, a1)


def test_a_clean_withdrawal_releases_and_a_wrong_one_holds(office: Office) -> None:
    office.walk("a1")
    office.write("a1", "verified", "writer", body="zqdiamdiam\n")
    assert list(office.check().held) == ["a1"]
    office.write("a1", "withdrawn", "pj", body="zqdiamdiam\n", withdrawal="Data keliru")
    result = office.check()
    assert not result.held and "a1" not in result.publishable


def test_unsigned_site_code_is_held_at_the_last_good_commit(office: Office) -> None:
    office.walk("a1", title="Rapat Pleno")
    good = office.repo.head()
    base = office.path / "theme/templates/base.html"
    planted = base.read_text("utf-8").replace("<body", "<body data-planted='zqtema'", 1)
    base.write_text(planted, "utf-8")
    theme = office.repo.commit("Tema", office.keys["writer"])  # not the role that signs site code
    office.walk("a2", title="Sesudahnya")
    result = office.check()
    assert [v.code for v in result.code_held] == ["SOP011"] and result.code_commit == good
    office.sign_as("pj")  # a signature missing on site code is never waived
    refused = laman("waive", theme, "--reason", "tak apa")
    assert refused.exit_code != 0 and "WAV004" in refused.output
    built = laman(*BUILD)
    assert built.exit_code == 0, built.output
    assert "zqtema" not in page(office, "a1") and "Sesudahnya" in page(office, "a2")
    # The person in charge signs the file again: the site code is released.
    base.write_text(planted.replace("zqtema", "zqditinjau"), "utf-8")
    office.repo.commit("Tema ditinjau", office.keys["pj"])
    assert not office.check().code_held
    assert laman(*BUILD).exit_code == 0 and "zqditinjau" in page(office, "a1")


def test_a_waiver_forgives_exactly_what_it_names(office: Office) -> None:
    office.walk("a1", title="Satu")
    office.walk("a2", title="Dua")
    office.walk("a3", title="Tiga")
    office.repo.write(office.file("a1"), article_text("a1", "verified", title="Satu", body="Satu baru.\n"))
    office.repo.write(office.file("a2"), article_text("a2", "verified", title="Dua", body="zqdua\n"))
    both = office.repo.commit("Dua naskah langsung di main", office.keys["writer"])
    office.write("a3", "verified", "writer", title="Tiga", body="zqtiga\n")
    office.sign_as("pj")
    waived = laman("waive", both, "--article", "a1", "--reason", "Salah ketik diperbaiki langsung")
    assert waived.exit_code == 0, waived.output
    result = office.check()
    assert sorted(result.held) == ["a2", "a3"]  # not another article's, not another commit's
    assert {(v.code, v.article) for v, _ in result.waived} == {("SOP007", "a1"), ("SOP008", "a1")}
    assert {v.article for v in result.violations} == {"a2", "a3"}
    # The person in charge signed for a1's text: it is live, with the waiver as its approval.
    assert result.publishable["a1"].blob == blob(office, "a1")
    assert result.standing["a1"].verified_in == office.repo.head()
    assert "Salah ketik" in laman("check").output
    assert laman(*BUILD).exit_code == 0 and "zqdua" not in page(office, "a2")
    # The monthly recap lists it, in the month the waiver was signed (WIB).
    month = office.repo.git("log", "-1", "--format=%cd", "--date=format:%Y-%m").strip()
    assert laman("recap", month, "--out", "rekap").exit_code == 0
    recap = "".join(p.read_text("utf-8") for p in (office.path / "rekap").rglob("*.md"))
    assert "Pelanggaran yang dimaafkan" in recap and "Salah ketik diperbaiki langsung" in recap


@pytest.mark.parametrize("who", ["koor", None])
def test_a_waiver_by_anyone_else_forgives_nothing(office: Office, who: str | None) -> None:
    office.walk("a1")
    edit = office.write("a1", "verified", "writer", body="Diubah.\n")
    message = f"Pemaafan\n\nSOP-Waive: {edit}\nSOP-Reason: bukan wewenang saya\n"
    office.repo.commit(message, office.keys[who] if who else None, sign=who is not None, allow_empty=True)
    result = office.check()
    assert not result.waived and list(result.held) == ["a1"]
    assert [n.code for n in result.notices] == ["WAV001"]
    assert "Penanggung" in result.notices[0].message() or "penanggung" in result.notices[0].message()


def test_waive_refuses_a_person_not_in_charge(office: Office) -> None:
    office.walk("a1")
    edit = office.write("a1", "verified", "writer", body="Diubah.\n")
    office.sign_as("koor")
    refused = laman("waive", edit, "--reason", "coba")
    assert refused.exit_code != 0 and "WAV007" in refused.output
    office.sign_as("pj")
    assert "WAV006" in laman("waive", edit).output
    assert "WAV002" in laman("waive", office.legacy, "--reason", "tak ada").output


def test_exempt_information_can_never_be_waived(office: Office) -> None:
    office.walk("a1", to="submitted", information="dikecualikan", title="zqrahasia")
    exempt = office.write("a1", "verified", "koor", information="dikecualikan", title="zqrahasia")
    office.sign_as("pj")
    refused = laman("waive", exempt, "--reason", "tetap tayangkan")
    assert refused.exit_code != 0 and "WAV003" in refused.output
    # Written by hand and signed by the person in charge: still not honoured.
    message = f"Pemaafan\n\nSOP-Waive: {exempt}\nSOP-Reason: tetap tayangkan\n"
    office.repo.commit(message, office.keys["pj"], allow_empty=True)
    result = office.check()
    assert [v.code for v in result.violations] == ["SOP012"] and not result.waived
    assert [n.code for n in result.notices] == ["WAV003"]
    assert "a1" not in result.publishable
    assert laman(*BUILD).exit_code == 0 and not page(office, "a1")


def test_a_pull_request_stays_strict(office: Office) -> None:
    office.walk("a1")
    base = office.repo.head()
    office.write("a1", "verified", "writer", body="Diubah.\n")
    assert laman("check", "--range", f"{base}..HEAD").exit_code == 1


def test_the_cache_keeps_what_is_held_and_waived(office: Office) -> None:
    from pipeline.proof.check import run_check

    office.walk("a1", title="Satu")
    verified = blob(office, "a1")
    office.write("a1", "verified", "writer", title="Satu", body="zqdiamdiam\n")
    office.walk("a2")
    office.write("a2", "verified", "writer", body="Dua baru.\n")
    run_check(office.path)  # kept in .laman-cache/
    office.sign_as("pj")
    assert laman("waive", office.repo.head(), "--reason", "Diterima").exit_code == 0
    for result in (run_check(office.path), run_check(office.path), office.check()):  # resumed, cached, cold
        assert list(result.held) == ["a1"] and [v.article for v, _ in result.waived] == ["a2", "a2"]
        assert result.publishable["a1"].blob == verified and result.publishable["a1"].meta["title"] == "Satu"
        assert result.publishable["a2"].blob == blob(office, "a2")
