"""The forge side: workflows valid and without security findings, the disposition issue form,
and the pull-request summary."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.office import Office, make_keys

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORKFLOWS = sorted((ROOT / ".github/workflows").glob("*.yml"))


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=[w.name for w in WORKFLOWS])
def test_workflow_matches_the_github_schema(workflow: Path) -> None:
    done = subprocess.run(
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_issue_form_matches_the_github_schema() -> None:
    form = ROOT / ".github/ISSUE_TEMPLATE/disposisi.yml"
    done = subprocess.run(
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.github-issue-forms", str(form)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_zizmor_finds_nothing() -> None:
    done = subprocess.run(
        [BIN / "zizmor", "--offline", "--format", "json", str(ROOT / ".github/workflows")],
        capture_output=True,
        text=True,
    )
    findings = json.loads(done.stdout or "[]")
    assert [(f["ident"], f["determinations"]["severity"]) for f in findings] == []


def test_review_runs_the_base_branch_pipeline() -> None:
    review = (ROOT / ".github/workflows/review.yml").read_text()
    assert "fetch-depth: 0" in review
    assert 'git worktree add --detach "$RUNNER_TEMP/base" "$BASE_SHA"' in review
    assert '"$RUNNER_TEMP/venv/bin/laman" check --no-cache --range "$BASE_SHA..$HEAD_SHA"' in review
    assert "pull_request_target" not in review


@pytest.mark.parametrize("name", ["publish.yml", "recap.yml"])
def test_ci_takes_the_trust_anchor_from_a_repository_variable(name: str) -> None:
    workflow = (ROOT / ".github/workflows" / name).read_text()
    assert "LAMAN_TRUST_ANCHOR: ${{ vars.LAMAN_TRUST_ANCHOR }}" in workflow


def test_codeowners_guard_the_policy() -> None:
    owners = (ROOT / ".github/CODEOWNERS").read_text()
    for path in ("/sop.yml", "/team.yml", "/pipeline/", "/.github/"):
        assert any(line.startswith(path + " ") for line in owners.splitlines()), path


def test_new_from_a_disposition_issue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    office = Office(tmp_path, make_keys(tmp_path / "keys"), site=True)
    monkeypatch.chdir(office.path)
    issue = {
        "title": "Disposisi: Publikasi Rapat Pleno DPS",
        "body": "### Surat dari\n\nPPID Pembantu\n\n### Nomor surat\n\n181/PL.02.1/VIII/2024\n\n### Tanggal surat\n\n"
        "2024-08-14\n\n### Sifat\n\nsegera\n\n### Perihal\n\nPengumuman DPS\n\n### Isi disposisi\n\nTayangkan pengumuman DPS.\n",
    }
    (tmp_path / "issue.json").write_text(json.dumps(issue))
    result = CliRunner().invoke(
        main, ["new", "--from-issue", str(tmp_path / "issue.json"), "--no-branch"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    text = (office.path / "content/berita/publikasi-rapat-pleno-dps.md").read_text()
    assert 'title: "Publikasi Rapat Pleno DPS"' in text
    assert '  number: "181/PL.02.1/VIII/2024"\n' in text and '  nature: "segera"\n' in text
    assert CliRunner().invoke(main, ["validate"]).exit_code == 0


def test_markdown_summary_for_a_pull_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    office = Office(tmp_path, make_keys(tmp_path / "keys"))
    monkeypatch.chdir(office.path)
    office.walk("a1", to="submitted")
    base = office.repo.head()
    office.write("a1", "verified", "writer")
    result = CliRunner().invoke(
        main, ["check", "--markdown", "--range", f"{base}..HEAD"], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert "| a1 | `content/berita/a1.md` | `submitted` → `verified` | Penulis Satu | ❌ 1 |" in result.output
    assert "- **SOP004** `content/berita/a1.md` baris 4" in result.output


def test_pages_never_get_an_unenforced_build() -> None:
    publish = (ROOT / ".github/workflows/publish.yml").read_text()
    assert 'if not marker["enforced"] or marker["preview"]:' in publish
    assert publish.index("laman build") < publish.index("upload-pages-artifact")
