"""Mistakes caught before the commit (issue 21): the fields a stage requires, asked alike by
`laman advance`, `laman validate` and the check; who may start an article; stage names as people
write them; and a next step in every fix, never a bare "—"."""

from __future__ import annotations

import os
import re
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pipeline.messages import catalog, render
from pipeline.model import html
from tests.office import DIP_COLUMNS, ROOT, Keys, Office, codes, laman

BIN = Path(sys.executable).parent


pytestmark = pytest.mark.usefixtures("isolated_git")  # conftest.py


@pytest.fixture
def office(tmp_path: Path, keys: Keys, monkeypatch: pytest.MonkeyPatch) -> Office:
    made = Office(tmp_path, keys)
    monkeypatch.chdir(made.path)
    return made


def _untouched(office: Office, head: str, file: str, text: str) -> None:
    assert office.repo.head() == head
    assert (office.path / file).read_text() == text
    assert office.repo.git("status", "--porcelain") == ""


def test_advance_refuses_a_disposition_stage_without_a_disposition(office: Office) -> None:
    office.create("a1")  # planned, no disposition yet
    office.sign_as("pj")
    file, head = office.file("a1"), office.repo.head()
    text = (office.path / file).read_text()
    refused = laman("advance", file, "dispositioned")
    assert refused.exit_code == 1
    assert "ADV007" in refused.output and "`disposition` masih kosong" in refused.output
    assert f"laman advance {file} dispositioned" in refused.output  # how to go on, once filled
    _untouched(office, head, file, text)
    # `laman validate` says the same of the file moved by hand, and the check of such a commit.
    (office.path / file).write_text(text.replace("stage: planned", "stage: dispositioned"))
    validated = laman("validate")
    assert validated.exit_code == 1 and "ART002" in validated.output and "`disposition`" in validated.output
    office.repo.commit("a1: didisposisikan tanpa lembar disposisi", office.keys["pj"])
    found = office.check().violations
    assert [(v.code, v.args["key"]) for v in found] == [("SOP080", "disposition")]


def test_advance_asks_the_public_information_columns_at_submission(office: Office) -> None:
    office.walk("a1", to="corrected", information={"class": "berkala"})  # the class, none of the columns
    office.sign_as("redaktur")
    file, head = office.file("a1"), office.repo.head()
    text = (office.path / file).read_text()
    refused = laman("--lang", "en", "advance", file, "submitted")
    assert refused.exit_code == 1
    assert refused.output.count("ADV007") == 6
    assert "`information.responsible` is empty. No commit was made." in refused.output
    _untouched(office, head, file, text)
    # Filled in by the managing editor (an editor at `corrected`), the step goes through.
    (office.path / file).write_text(
        text.replace("  class: berkala\n", "  class: berkala\n" + "\n".join(DIP_COLUMNS) + "\n")
    )
    office.repo.commit("a1: kolom DIP", office.keys["redaktur"])
    assert laman("advance", file, "submitted").exit_code == 0
    assert codes(office.check()) == []


def test_validate_and_the_check_find_the_missing_columns_at_submission(office: Office) -> None:
    office.walk("a1", to="submitted", information={"class": "berkala"})
    assert [(v.code, v.args["key"]) for v in office.check().violations] == [
        ("SOP080", f"information.{key}")
        for key in ("unit", "responsible", "made", "place", "format", "retention")
    ]
    validated = laman("validate")
    assert validated.exit_code == 1 and validated.output.count("DIP001") == 6


def test_new_by_someone_who_may_not_create_is_refused_before_anything_is_written(office: Office) -> None:
    office.sign_as("writer")
    branches = office.repo.git("branch", "--list")
    refused = laman("new", "Sosialisasi Pemilih Pemula")
    assert refused.exit_code == 1
    assert "NEW001" in refused.output
    assert "Penulis Satu (Tim Peliputan) tidak boleh membuat naskah baru" in refused.output
    assert "Penanggung Jawab (Pemimpin Redaksi/Wakil Pemimpin Redaksi) (Penanggung Jawab)" in refused.output
    assert not (office.path / "content").exists()
    assert office.repo.git("branch", "--list") == branches
    office.sign_as("pj")
    assert laman("new", "Sosialisasi Pemilih Pemula").exit_code == 0


@pytest.mark.parametrize("name", ["terverifikasi", "Terverifikasi", "TERVERIFIKASI", "Verified"])
def test_a_stage_named_by_its_label(office: Office, name: str) -> None:
    office.walk("a1", to="submitted")
    office.sign_as("koor")
    moved = laman("advance", office.file("a1"), name)
    assert moved.exit_code == 0, moved.output
    assert "submitted → verified" in moved.output
    assert "stage: verified\n" in (office.path / office.file("a1")).read_text()
    assert codes(office.check()) == []


def test_a_mistyped_stage_suggests_the_nearest(office: Office) -> None:
    office.walk("a1", to="submitted")
    office.sign_as("koor")
    head = office.repo.head()
    refused = laman("advance", office.file("a1"), "verifed")
    assert refused.exit_code == 1
    assert "ADV008" in refused.output and "maksud Anda `verified`?" in refused.output
    assert "did you mean `verified`?" in laman("--lang", "en", "advance", office.file("a1"), "verifed").output
    assert "ART001" in laman("advance", office.file("a1"), "zzzz").output  # nothing near: the list
    assert office.repo.head() == head


def test_an_edit_where_nobody_may_edit_names_who_sends_it_back(office: Office) -> None:
    office.walk("a1", to="submitted")
    office.write("a1", "submitted", "writer", body="Isi yang diubah penulis.\n")
    (found,) = office.check().violations
    assert found.code == "SOP007"
    assert found.fix("id") == (
        "Pada tahap ini yang boleh mengubah isi: tidak seorang pun; minta Koordinator Liputan "
        'mengembalikannya untuk perbaikan: `laman advance content/berita/a1.md corrected --reason "…"`.'
    )


def test_a_step_out_of_the_last_stage_names_a_new_article(office: Office) -> None:
    office.create("a1")
    office.write("a1", "withdrawn", "pj", withdrawal="Batal")
    office.sign_as("pj")
    refused = laman("advance", office.file("a1"), "planned")
    assert refused.exit_code == 1 and "SOP003" in refused.output and "`laman new`" in refused.output
    again = laman("advance", office.file("a1"), "ditarik")  # where it already is
    assert again.exit_code == 1 and "ADV009" in again.output and "`laman new`" in again.output
    office.write("a1", "planned", "pj", withdrawal="Batal")
    (found,) = office.check().violations
    assert found.code == "SOP003"
    assert found.fix("en") == (
        "One step per commit. From `withdrawn` the allowed moves are: none; write a new article with "
        "`laman new` (who may: Penanggung Jawab (Pemimpin Redaksi/Wakil Pemimpin Redaksi))."
    )


# The fixes that end in a list of names, and why that list is never empty: each of the others
# gives a next step in place of an empty list (tested above and below).
NEVER_EMPTY = {
    "ART001": "sop.yml has stages (its schema)",
    "CFG002": "sop.yml has stages (its schema)",
    "ART005": "sop.yml's categories (its schema: at least one)",
    "TEAM001": "sop.yml's roles (its schema: at least one)",
    "SOP004": "a transition's roles (its schema: at least one)",
    "SOP005": "`create_roles` (its schema: at least one)",
    "SOP020": "`files.site_code.roles` (its schema: at least one)",
    "ADV003": "only when a move leads on; otherwise ADV009",
    "ADV008": "sop.yml has stages",
    "SCH001": "a suggestion the schema check always makes",
    "SCH003": "the type the schema names",
    "SCH004": "an enum of the schema (never empty)",
    "SCH005": "the form the schema names",
    "REC004": "the columns a recap file needs",
    "ART002": "a field's name",
    "ART007": "a field's name",
    "SOP010": "a stage's name",
    "ADV006": "a stage's name",
    "ADV007": "a stage's name",
    "TEAM005": "the name of a field of team.yml",
    "SOP003": "the moves from a stage, or a new article (rule_step)",
    "SOP007": "the stage's editors, or who sends it back (rule_editor)",
    "HTML002": "the allowed hosts, or who adds one",
    "SOC002": "the article's channels, or how to name them",
    "SOP008": "the correction move and who takes it, or that sop.yml has none (correction.py)",
    "SOP090": "a file's path",
    "WAV005": "a rule's code",
}


def test_no_fix_ends_in_a_bare_dash() -> None:
    """Render every fix with each argument as the "—" an empty list once rendered as: the fixes
    that would then end in it are exactly those whose list is never empty, or is replaced."""
    ending = set()
    for lang in ("id", "en"):
        for key, text in catalog(lang).items():
            if key.endswith(".fix"):
                names = {name for _, name, _, _ in string.Formatter().parse(text) if name}
                rendered = render(key[:-4], "fix", lang, dict.fromkeys(names, "—"))
                if re.search(r"—[.)`]*$", rendered):
                    ending.add(key[:-4])
    assert ending == set(NEVER_EMPTY)


def test_an_iframe_where_sop_yml_allows_none_says_who_adds_a_host() -> None:
    (found,) = html.findings('<iframe src="https://example.org/x"></iframe>\n', ())
    fix = render(found.code, "fix", "id", found.args)
    assert fix.endswith("belum ada; penanggung jawab menambahkan host-nya ke `html.iframe_hosts` di sop.yml.")


def test_review_fails_on_a_missing_public_information_field(office: Office, tmp_path: Path) -> None:
    """review.yml's steps run as the workflow runs them, on a pull request whose article was
    submitted without the public-information columns: the check and the validation both fail."""
    office.walk("a0")
    base = office.repo.head()
    office.repo.git("checkout", "-q", "-b", "naskah/a1")
    office.walk("a1", to="submitted", information={"class": "berkala"})
    head = office.repo.head()
    runner = tmp_path / "runner"
    (runner / "venv/bin").mkdir(parents=True)
    # The one step not run here installs the base branch's pipeline: this one, already installed.
    (runner / "venv/bin/laman").symlink_to(BIN / "laman")
    summary = tmp_path / "summary.md"
    env = {**os.environ, "RUNNER_TEMP": str(runner), "GITHUB_STEP_SUMMARY": str(summary)}
    env |= {"BASE_SHA": base, "HEAD_SHA": head}
    workflow = yaml.safe_load((ROOT / ".github/workflows/review.yml").read_text())
    steps = [s for s in workflow["jobs"]["check"]["steps"] if "run" in s and "pip" not in s["run"]]
    assert len(steps) == 2
    results = [
        subprocess.run(  # GitHub's own `shell: bash`
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=office.path,
            env=env,
            capture_output=True,
            text=True,
        )
        for step in steps
    ]
    assert [r.returncode for r in results] == [1, 1]
    assert "**SOP080**" in results[0].stdout
    assert results[1].stdout.count("DIP001") == 6
    assert "information.responsible" in summary.read_text()


PATH = f"{BIN}{os.pathsep}{os.environ['PATH']}"  # `laman` on the path, as installed


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env={**os.environ, "PATH": PATH}, capture_output=True, text=True)


def test_make_site_installs_the_hook_once_and_never_over_another(office: Office) -> None:
    office.repo.env["PATH"] = PATH  # the office's commits run the hook too
    shutil.copy(ROOT / "Makefile", office.path / "Makefile")
    shutil.copytree(ROOT / "scripts", office.path / "scripts")
    assert "sh scripts/install-hook" in _run(["make", "-n", "site"], ROOT).stdout  # -n: printed, not run
    first = _run(["make", "-s", "hook"], office.path)
    assert first.returncode == 0 and "Hook pre-commit terpasang" in first.stdout
    hook = office.path / ".git/hooks/pre-commit"
    installed = hook.read_text()
    again = _run(["make", "-s", "hook"], office.path)
    assert (again.returncode, again.stdout, hook.read_text()) == (0, "", installed)
    # The hook refuses a commit whose article lacks what its stage requires, naming it.
    office.sign_as("pj")
    office.create("a1")
    path = office.path / office.file("a1")
    path.write_text(path.read_text().replace("stage: planned", "stage: dispositioned"))
    office.repo.git("add", "-A")
    refused = _run(["git", "commit", "-q", "-S", "-m", "a1: disposisi"], office.path)
    assert refused.returncode != 0 and "ART002" in refused.stdout + refused.stderr
    assert office.repo.git("status", "--porcelain").startswith("M ")  # nothing committed
    # Somebody's own hook stays as it was.
    hook.write_text("#!/bin/sh\necho mine\n")
    other = _run(["make", "-s", "hook"], office.path)
    assert other.returncode == 0 and "tidak ditimpa" in other.stdout
    assert hook.read_text() == "#!/bin/sh\necho mine\n"
