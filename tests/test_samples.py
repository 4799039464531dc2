"""Sample news never reaches a real site by accident (issue 22): `laman init` names the stock
sample files (`samples.txt`) and refuses to start over them unless told to remove or keep them;
`--remove-samples` removes them in one signed commit before the trust anchor, so the check is
clean and the build leaves them out. Real repositories, real SSH signatures."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.model import samples
from tests.office import Keys, Office, article_text, laman

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def office(tmp_path: Path, keys: Keys, monkeypatch: pytest.MonkeyPatch) -> Office:
    made = Office(tmp_path, keys, anchor=False, site=True)
    made.repo.write(made.file("contoh"), article_text("contoh", "verified", title="Berita Contoh"))
    made.repo.write(made.file("asli"), article_text("asli", "verified", title="Berita Kantor"))
    made.repo.write("samples.txt", "# sample news\ncontent/berita/contoh.md\n")
    made.repo.commit("Isi lama dan berita contoh", keys["pj"])
    monkeypatch.chdir(made.path)
    monkeypatch.setenv("COLUMNS", "200")
    made.sign_as("pj")
    return made


def test_init_names_the_samples_and_starts_only_when_told_what_to_do_with_them(office: Office) -> None:
    refused = laman("init")
    assert refused.exit_code == 1 and "SMP002" in refused.output
    said = " ".join(refused.output.split())
    assert "content/berita/contoh.md" in said and "laman init --remove-samples" in said
    assert office.repo.git("config", "--get", "laman.anchor", check=False).strip() == ""  # not started
    kept = laman("init", "--keep-samples")
    assert kept.exit_code == 0, kept.output
    assert "Berita contoh tetap ada (1 berkas)" in kept.output and "content/berita/contoh.md" in kept.output
    late = laman("init", "--remove-samples")  # after the anchor a deletion would be a violation
    assert late.exit_code == 1 and "SMP001" in late.output
    assert (office.path / office.file("contoh")).exists()


def test_remove_samples_leaves_the_check_clean_and_the_build_without_them(office: Office) -> None:
    done = laman("init", "--remove-samples")
    assert done.exit_code == 0, done.output
    assert "1 berkas berita contoh dihapus" in done.output and "Berita contoh tetap" not in done.output
    assert not (office.path / office.file("contoh")).exists() and not (office.path / "samples.txt").exists()
    log = office.repo.git("log", "--format=%H %s", "-3").splitlines()
    removal = log[2].split()[0]  # before the first person in charge and the anchor
    assert log[2].endswith("Berita contoh dihapus / sample news removed")
    assert "gpgsig" in office.repo.git("cat-file", "commit", removal)  # signed
    result = office.check()
    assert result.enforced and result.violations == () and list(result.publishable) == ["asli"]
    built = laman("build", "--local")
    assert built.exit_code == 0, built.output
    assert (office.path / "output/asli/index.html").exists() and not (office.path / "output/contoh").exists()


def test_the_stock_sample_list_names_files_that_exist_and_only_news() -> None:
    listed = samples.listed(ROOT)
    assert listed and all((ROOT / path).is_file() for path in listed)
    assert all(path.startswith(("content/berita/", "content/pengumuman/")) for path in listed)
    assert samples.parse("# c\n\ncontent/a.md  # note\n") == ("content/a.md",)
