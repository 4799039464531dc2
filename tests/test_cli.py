"""The `laman` command as people use it: real files, real git, real Pelican builds."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.app import editorial, publish
from pipeline.cli import output as cli
from pipeline.errors import LamanError
from pipeline.model.article import parse as parse_article
from tests.office import SOP_TEXT, Keys, Office, article_text, laman

pytestmark = pytest.mark.usefixtures("isolated_git")  # conftest.py


@pytest.fixture
def office(tmp_path: Path, keys: Keys, monkeypatch: pytest.MonkeyPatch) -> Office:
    made = Office(tmp_path, keys, site=True)
    monkeypatch.chdir(made.path)
    return made


def test_validate_reports_every_problem_with_exit_1(office: Office) -> None:
    office.repo.write("content/berita/baik.md", article_text("baik", "planned"))
    office.repo.write("content/berita/rusak.md", "---\nid: rusak\ntitle: x\nstagee: planned\n---\n")
    office.repo.write(
        "content/berita/tab.md", "---\nid: tab\ntitle: x\nstage: planned\ndisposition:\n\tnumber: 1\n---\n"
    )
    result = laman("validate")
    assert result.exit_code == 1
    assert "content/berita/rusak.md:4:1: SCH001 Kunci `stagee` tidak dikenal." in result.output
    assert "content/berita/rusak.md:2:1: SCH002 Kunci `stage` wajib ada." in result.output
    assert "content/berita/tab.md:6:1: YAML005 Karakter tab dipakai untuk indentasi." in result.output
    assert result.output.rstrip().endswith("3 masalah")
    english = laman("--lang", "en", "validate", "content/berita/rusak.md")
    assert "SCH001 The key `stagee` is unknown." in english.output
    assert english.output.rstrip().endswith("2 problem(s)")


def test_validate_passes_good_files(office: Office) -> None:
    office.repo.write("content/berita/baik.md", article_text("baik", "planned"))
    result = laman("validate")
    assert (result.exit_code, result.output) == (0, "1 naskah sah\n")


def test_validate_missing_path_and_symlink(office: Office) -> None:
    office.repo.write("content/berita/baik.md", article_text("baik", "planned"))
    (office.path / "content/berita/tautan.md").symlink_to("baik.md")
    result = laman("validate", "content", "tidak-ada.md")
    assert result.exit_code == 1
    assert "tidak-ada.md: CMD001 Berkas atau folder `tidak-ada.md` tidak ada." in result.output
    assert (
        "content/berita/tautan.md: FM006 Berkas tidak dapat dibaca: symbolic link / tautan simbolik."
        in result.output
    )


def test_usage_error_exits_2(office: Office) -> None:
    assert laman("tidak-ada").exit_code == 2


def test_sop_table_and_a_stage_added_in_yaml(office: Office) -> None:
    table = laman("sop")
    assert table.exit_code == 0
    assert "SOP 27 Tahun 2023 — Pengelolaan Laman (Website)" in table.output
    assert "Memverifikasi materi publikasi" in table.output
    assert "Layout" not in table.output
    text = SOP_TEXT.replace(
        "  - id: submitted\n",
        "  - id: layout\n    label: Tata letak\n    label_en: Layout\n    editors: [tim_pasca_produksi]\n"
        "    requires: [title]\n    time_limit: 4 jam\n  - id: submitted\n",
    ).replace(
        "  - {from: corrected, to: submitted, step: 6, roles: [redaktur_pelaksana]}\n",
        "  - {from: corrected, to: layout, roles: [tim_pasca_produksi]}\n"
        "  - {from: layout, to: submitted, step: 6, roles: [redaktur_pelaksana]}\n",
    )
    (office.path / "sop.yml").write_text(text)
    assert "Tata letak" in laman("sop").output
    mermaid = laman("--lang", "en", "sop", "--mermaid").output
    assert 'layout["Layout"]' in mermaid
    assert 'corrected -->|"Post-production team"| layout' in mermaid
    office.repo.write("content/berita/x.md", article_text("x1", "layout", title="Di tata letak"))
    board = json.loads(laman("status", "--json").output)
    assert [(r["stage"], r["roles"]) for r in board] == [("layout", ["Redaktur Pelaksana"])]


def test_new_creates_the_file_on_its_branch(office: Office) -> None:
    result = laman("new", "Sosialisasi Pemilih Pemula di Siberut")
    assert result.exit_code == 0, result.output
    path = office.path / "content/berita/sosialisasi-pemilih-pemula-di-siberut.md"
    text = path.read_text()
    assert re.search(r"^id: \d{8}-[0-9a-f]{6}$", text, re.M)
    assert "stage: planned\n" in text
    assert (
        office.repo.git("branch", "--show-current").strip() == "naskah/sosialisasi-pemilih-pemula-di-siberut"
    )
    assert laman("validate", str(path)).exit_code == 0
    again = laman("new", "Sosialisasi Pemilih Pemula di Siberut", "--no-branch")
    assert again.exit_code == 1
    assert "CMD003" in again.output


def test_status_board_groups_by_stage_with_waiting_time(office: Office) -> None:
    office.walk("a1", to="submitted")
    office.write("a2", "planned", "pj", title="Rencana liputan")
    office.repo.write("content/berita/a3.md", article_text("a3", "planned", title="Belum di-commit"))
    board = json.loads(laman("status", "--json").output)
    assert [(r["id"], r["stage"]) for r in board] == [
        ("a2", "planned"),
        ("a3", "planned"),
        ("a1", "submitted"),
    ]
    submitted = board[2]
    assert submitted["roles"] == ["Koordinator Liputan"]
    assert submitted["people"] == ["Koordinator Liputan"]
    assert submitted["limit_hours"] == 24.0
    assert submitted["since"] is not None
    assert board[1]["since"] is None
    text = laman("status").output
    assert "Diserahkan untuk verifikasi (1)" in text
    assert "belum di-commit" in text


def test_status_prints_titles_with_square_brackets_as_written(office: Office) -> None:
    office.write("a1", "planned", "pj", title='"[FOTO] [/]"')
    result = laman("status")
    assert result.exit_code == 0, result.output
    assert "[FOTO] [/]" in result.output


def test_check_names_an_article_with_square_brackets_as_written(office: Office) -> None:
    office.walk("a1", to="submitted", title='"[FOTO] [/]"')
    office.write("a1", "verified", "writer", title='"[FOTO] [/]"')
    result = laman("check", "--no-cache")
    assert result.exit_code == 1, result.output
    assert "[FOTO] [/] (a1)" in result.output and "SOP004" in result.output


def test_status_marks_overdue_items(office: Office) -> None:
    office.create("a1")
    office.repo.write(office.file("a1"), article_text("a1", "dispositioned"))
    office.repo.commit("disposisi", office.keys["pj"], date="2023-03-06T10:00:00+07:00")
    board = json.loads(laman("status", "--json").output)
    assert board[0]["overdue"] is True
    assert "lewat batas" in laman("status").output


def test_the_workflows_return_values_and_print_nothing(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the browser application will call: values back, refusals raised, no output."""
    office.walk("a1")
    office.write("a2", "planned", "pj", title="Rencana liputan")
    assert [i for i in publish.check(office.path, use_cache=False).publishable] == ["a1"]
    board = editorial.status(office.path, datetime.now(UTC), "id")
    assert [(stage.id, [r.id for r in rows]) for stage, rows in board.stages] == [
        ("planned", ["a2"]),
        ("verified", ["a1"]),
    ]
    assert editorial.validate(office.path).articles == 2
    with pytest.raises(LamanError) as refused:
        editorial.advance(office.path, office.path / "content/berita/a2.md", "published", None)
    assert [p.code for p in refused.value.problems] == ["ADV001"]
    assert capsys.readouterr() == ("", "")


def test_starting_laman_loads_no_room_of_the_pipeline() -> None:
    """The commands import what they need when they run: `laman check` does not wait for the
    recap, the builder or the disposition sheet's templates to load."""
    done = subprocess.run(
        [sys.executable, "-P", "-c", "import sys, pipeline.cli; print(*sorted(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = {m for m in done.stdout.split() if m.startswith("pipeline")}
    assert loaded == {"pipeline", "pipeline.cli", "pipeline.cli.output", "pipeline.messages"}


def test_check_exit_codes_and_json(office: Office) -> None:
    office.walk("a1")
    ok = laman("check", "--json", "--no-cache")
    assert ok.exit_code == 0
    data = json.loads(ok.output)
    assert data["enforced"] is True
    assert [p["id"] for p in data["publishable"]] == ["a1"]
    office.write("a1", "verified", "writer", body="Diubah.\n")
    bad = laman("check", "--no-cache")
    assert bad.exit_code == 1
    assert "SOP008" in bad.output


def test_check_lists_what_is_publishable_or_says_nothing_is(office: Office) -> None:
    office.walk("a1", to="submitted")
    none_yet = laman("check", "--no-cache")
    assert none_yet.exit_code == 0, none_yet.output
    assert "Belum ada naskah yang boleh tayang." in none_yet.output
    assert "Blob terverifikasi" not in none_yet.output
    office.write("a1", "verified", "koor")
    listed = laman("check", "--no-cache")
    assert "Boleh tayang" in listed.output and "content/berita/a1.md" in listed.output


def test_a_long_listing_is_printed_in_plain_columns() -> None:
    rows = [(f"Berita {i}", f"content/berita/b{i:04d}.md", f"{i:012x}") for i in range(cli._BOXED_ROWS + 1)]
    with cli.out.capture() as captured:
        cli.print_table("Boleh tayang", ["Naskah", "Berkas", "Blob terverifikasi"], rows)
    lines = captured.get().splitlines()
    assert lines[0] == "Boleh tayang" and len(lines) == 3 + len(rows)
    header, first = lines[1], lines[3]
    assert first.split() == ["Berita", "0", "content/berita/b0000.md", "000000000000"]
    assert header.index("Berkas") == first.index("content") and header.index("Blob") == first.index(
        "000000000000"
    )
    assert "│" not in captured.get()
    with cli.out.capture() as captured:
        cli.print_table("Boleh tayang", ["Naskah", "Berkas", "Blob terverifikasi"], rows[:3])
    assert "│" in captured.get() or "┃" in captured.get()


def test_advance_moves_one_step_with_a_signed_commit(office: Office) -> None:
    office.walk("a1", to="corrected")
    office.sign_as("redaktur")
    result = laman("advance", office.file("a1"), "submitted")
    assert result.exit_code == 0, result.output
    assert "corrected → submitted" in result.output
    message = office.repo.git("log", "-1", "--format=%B")
    assert "SOP-Step: 6\nSOP-From: corrected\nSOP-To: submitted" in message
    diff = office.repo.git("show", "--format=", "--unified=0", "HEAD")
    assert "-stage: corrected\n+stage: submitted" in diff
    assert diff.count("\n+") == 2  # the header line and the stage line
    office.sign_as("koor")
    back = laman("advance", office.file("a1"), "drafted", "--reason", "Angka DPT keliru")
    assert back.exit_code == 0, back.output
    assert 'revision: "Angka DPT keliru"' in (office.path / office.file("a1")).read_text()
    assert office.check().violations == ()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("stage: corrected", "stage:\n  corrected"),
        ("stage: corrected", "stage : corrected"),
    ],
    ids=["the value on the next line", "a space before the colon"],
)
def test_advance_rewrites_the_whole_stage_line_however_it_was_written(
    office: Office, old: str, new: str
) -> None:
    office.walk("a1", to="corrected")
    path = office.path / office.file("a1")
    path.write_text(path.read_text().replace(old, new, 1))
    office.repo.commit("a1: catatan", office.keys["pasca"])
    office.sign_as("redaktur")
    result = laman("advance", office.file("a1"), "submitted")
    assert result.exit_code == 0, result.output
    moved = parse_article(path.read_text(), office.file("a1"))
    assert moved.stage == "submitted"
    assert [v.code for v in office.check().violations] == []


def test_advance_keeps_the_line_ends_of_a_file_written_with_crlf(office: Office) -> None:
    office.walk("a1", to="submitted")
    path = office.path / office.file("a1")
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    office.repo.commit("a1: CRLF", office.keys["redaktur"])
    office.sign_as("koor")
    result = laman("advance", office.file("a1"), "drafted", "--reason", "Angka DPT keliru")
    assert result.exit_code == 0, result.output
    raw = path.read_bytes()
    assert b"\r\nstage: drafted\r\n" in raw and b'\r\nrevision: "Angka DPT keliru"\r\n' in raw
    assert raw.count(b"\n") == raw.count(b"\r\n")


def test_advance_replaces_a_reason_written_as_a_block(office: Office) -> None:
    office.walk("a1", to="submitted", revision="|\n  catatan lama\n  dua baris")
    office.sign_as("koor")
    result = laman("advance", office.file("a1"), "drafted", "--reason", "Angka DPT keliru")
    assert result.exit_code == 0, result.output
    moved = parse_article((office.path / office.file("a1")).read_text(), office.file("a1"))
    assert (moved.stage, moved.meta["revision"]) == ("drafted", "Angka DPT keliru")
    assert [v.code for v in office.check().violations] == []


def test_advance_refuses_an_edit_that_would_change_other_lines(office: Office) -> None:
    office.walk("a1", to="corrected")
    path = office.path / office.file("a1")
    # A value continued past a blank line: replacing the stage line would leave the rest behind.
    path.write_text(path.read_text().replace("stage: corrected", "stage:\n\n  corrected"))
    office.repo.commit("a1: catatan", office.keys["pasca"])
    before = path.read_text()
    office.sign_as("redaktur")
    result = laman("advance", office.file("a1"), "submitted")
    assert result.exit_code == 1
    assert "ADV006" in result.output and "pada satu baris" in result.output
    assert path.read_text() == before
    assert office.repo.git("log", "-1", "--format=%s").strip() == "a1: catatan"


def test_advance_refuses_with_a_clear_message(office: Office) -> None:
    office.walk("a1", to="corrected")
    office.sign_as("writer")
    wrong_role = laman("advance", office.file("a1"), "submitted")
    assert wrong_role.exit_code == 1
    assert (
        "SOP004 Penulis Satu (Tim Peliputan) tidak berwenang memindahkan naskah `corrected` → `submitted`."
        in wrong_role.output
    )
    skip = laman("advance", office.file("a1"), "verified")
    assert "SOP003" in skip.output
    office.sign_as("attacker")
    stranger = laman("advance", office.file("a1"), "submitted")
    assert "ADV002" in stranger.output
    office.repo.git("config", "--unset", "user.signingkey")
    unset = laman("advance", office.file("a1"), "submitted")
    assert "ADV001" in unset.output
    assert office.repo.git("log", "-1", "--format=%s").strip() == "a1: corrected"


def test_init_records_the_anchor_and_first_person(
    tmp_path: Path, keys: Keys, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = Office(tmp_path, keys, anchor=False, site=True)
    monkeypatch.chdir(office.path)
    assert [n.code for n in office.check().notices] == ["SOP021"]
    office.sign_as("pj")
    result = laman("init")
    assert result.exit_code == 0, result.output
    anchor = re.search(r"^trust_anchor: ([0-9a-f]{40})$", (office.path / "sop.yml").read_text(), re.M)
    assert anchor
    # The anchor lives outside the history: the person is told where else to record it.
    said = " ".join(result.output.split())
    assert f"LAMAN_TRUST_ANCHOR dengan {anchor[1]}" in said and f"git config laman.anchor {anchor[1]}" in said
    team = (office.path / "team.yml").read_text()
    assert "roles: [penanggung_jawab]" in team and keys["pj"].email in team
    result = office.check()
    assert result.enforced and result.violations == ()


def test_build_publishes_only_the_verified(office: Office) -> None:
    office.walk("a1", title="Rapat Pleno Terverifikasi")
    office.walk("a2", to="submitted", title="Naskah Belum Terverifikasi")
    result = laman("build", "--local")
    assert result.exit_code == 0, result.output
    output = office.path / "output"
    assert (output / "a1" / "index.html").exists()
    assert not (output / "a2").exists()
    everything = "".join(p.read_text(errors="replace") for p in output.rglob("*") if p.is_file())
    assert "Rapat Pleno Terverifikasi" in everything
    assert "Belum Terverifikasi" not in everything
    marker = json.loads((output / ".laman-build.json").read_text())
    assert marker["enforced"] is True and marker["commit"] == office.repo.head()


def test_a_failed_build_leaves_the_previous_site(office: Office) -> None:
    office.walk("a1")
    assert laman("build", "--local").exit_code == 0
    before = (office.path / "output/a1/index.html").read_text()
    (office.path / "theme/templates/article.html").write_text(
        "{% extends 'base.html' %}{% block content %}{{ broken( }}{% endblock %}"
    )
    office.repo.commit("Tema rusak", office.keys["pj"])  # the build reads the theme of the judged commit
    failed = laman("build", "--local")
    assert failed.exit_code == 1
    assert "CMD004" in failed.output
    assert (office.path / "output/a1/index.html").read_text() == before
    assert not list(office.path.glob(".laman-build-*"))


def test_build_holds_what_breaks_the_sop_and_stops_on_a_broken_proof(office: Office) -> None:
    office.walk("a1")
    office.write("a1", "verified", "writer", body="Diubah.\n")
    result = laman("build", "--local")  # a1 held at its verified text, the rest built (hold.py)
    assert result.exit_code == 0 and "SOP008" in result.output, result.output
    assert "Diubah." not in (office.path / "output/a1/index.html").read_text("utf-8")
    # A published commit main no longer holds: the proof itself is broken, nothing is built.
    elsewhere = office.repo.git("commit-tree", "HEAD^{tree}", "-m", "lain").strip()
    office.repo.git("update-ref", "refs/laman/published", elsewhere)
    stopped = laman("build", "--local", "--output", "lagi")
    assert stopped.exit_code == 1 and "SOP019" in stopped.output
    assert not (office.path / "lagi").exists()


def test_preview_shows_the_draft_with_a_banner(office: Office) -> None:
    office.walk("a1", title="Sudah Terverifikasi")
    office.walk("a2", to="drafted", title="Masih Draf Penulis")
    result = laman("preview", office.file("a2"))
    assert result.exit_code == 0, result.output
    page = (office.path / "preview/a2/index.html").read_text()
    assert "DRAF — belum terverifikasi" in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert (office.path / "preview/a1/index.html").exists()
    marker = json.loads((office.path / "preview/.laman-build.json").read_text())
    assert marker["preview"] is True and marker["enforced"] is False
    assert not (office.path / "output").exists()


def test_odd_files_get_a_message_never_a_traceback(office: Office) -> None:
    berita = office.path / "content/berita"
    berita.mkdir(parents=True)
    (berita / "folder.md").mkdir()
    (berita / "kosong.md").write_text("")
    (berita / "crlf.md").write_bytes(b"---\r\nid: crlf\r\ntitle: x\r\nstage: planned\r\n---\r\nisi\r\n")
    (berita / "biner.md").write_bytes(
        b"---\nid: ab\ntitle: x\nstage: planned\nsummary: !!binary aGVsbG8=\n---\n"
    )
    (berita / "direktif.md").write_text("---\n%YAML 1.2\n---\n")
    result = laman("validate")
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "crash.log" not in result.output
    lines = [line for line in result.output.splitlines() if line.startswith("content/")]
    assert [line.split(" ")[0] for line in lines] == [
        "content/berita/biner.md:5:10:",
        "content/berita/direktif.md:3:1:",
        "content/berita/kosong.md:1:1:",
    ]


def test_preview_of_a_published_article_replaces_its_verified_copy(office: Office) -> None:
    office.walk("a1", title="Judul Lama", slug="berita-satu")
    (office.path / office.file("a1")).write_text(
        article_text("a1", "verified", title="Judul Baru", slug="berita-satu")
    )
    assert laman("preview", office.file("a1")).exit_code == 0
    page = (office.path / "preview/berita-satu/index.html").read_text()
    assert "Judul Baru" in page and "Judul Lama" not in page
