"""The build's side of the gate: Pelican reads with Laman's reader alone, the theme and settings
come from the judged commit, and `laman deploy` sends only a build of main live."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from pipeline.model.dates import WIB
from pipeline.model.project import load_project
from pipeline.proof.history import Repository
from pipeline.site import build
from tests.office import Keys, Office, article_text, laman

NOW = datetime(2024, 11, 26, 8, 0, tzinfo=WIB)


@pytest.fixture
def office(tmp_path: Path, keys: Keys, monkeypatch: pytest.MonkeyPatch) -> Office:
    made = Office(tmp_path, keys, site=True)
    made.repo.git("config", "user.name", "Petugas CI")
    monkeypatch.chdir(made.path)
    monkeypatch.setenv("COLUMNS", "200")
    return made


def test_pelican_reads_no_other_kind_of_file(tmp_path: Path, keys: Keys) -> None:
    """Were an `.html`, `.rst` or `.markdown` file ever staged, Pelican would not read it: no
    page, no feed entry, and an undated one does not break the build."""
    office = Office(tmp_path, keys, site=True)
    files = {
        "content/berita/a1.md": article_text("a1", "verified", title="Naskah Sah").encode(),
        "content/berita/x.html": b"<html><head><title>Sisipan</title>"
        b'<meta name="date" content="2024-01-01"></head><body><script>alert(1)</script></body></html>',
        "content/berita/tanpa.html": b"<html><head><title>Tanpa Tanggal</title></head></html>",
        "content/berita/y.markdown": b"Title: Sisipan Markdown\nDate: 2024-01-01\n\nIsi.\n",
        "content/berita/r.rst": b"Sisipan RST\n###########\n\n:date: 2024-01-01\n\nIsi.\n",
    }
    built = build.build(load_project(office.path), files, commit=None, enforced=False, now=NOW)
    pages = "".join(p.read_text("utf-8") for p in built.output.rglob("*.html"))
    feed = (built.output / "feeds/semua.atom.xml").read_text("utf-8")
    assert "Naskah Sah" in pages and "Naskah Sah" in feed
    assert not [w for w in ("Sisipan", "Tanpa Tanggal", "alert(1)") if w in pages + feed]


def test_theme_and_settings_come_from_the_judged_commit(office: Office) -> None:
    """An edit to the theme or the settings not committed (so never judged) changes nothing."""
    office.walk("a1", title="Rapat Pleno")
    base = office.path / "theme/templates/base.html"
    base.write_text(base.read_text("utf-8").replace("<body", "<body data-planted='TANAM-TEMA'", 1), "utf-8")
    with (office.path / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write("SITENAME = 'TANAM-SETELAN'\nopen('TANAM-BERKAS', 'w').write('x')\n")
    result = laman("build", "--now", "2024-11-26 08:00")
    assert result.exit_code == 0, result.output
    page = (office.path / "output/a1/index.html").read_text("utf-8")
    assert "Rapat Pleno" in page and "TANAM-TEMA" not in page and "TANAM-SETELAN" not in page
    assert not list(office.path.rglob("TANAM-BERKAS"))
    # Committed, the same edit is what the site shows (that it be signed is the check's to say).
    office.repo.commit("Tema", office.keys["pj"])
    assert laman("build", "--now", "2024-11-26 08:00").exit_code == 0
    assert "TANAM-TEMA" in (office.path / "output/a1/index.html").read_text("utf-8")


def test_deploy_refuses_a_build_made_on_another_branch(office: Office, tmp_path: Path) -> None:
    served = tmp_path / "srv"
    office.walk("a1")
    office.repo.git("switch", "-q", "-c", "naskah/a2")
    office.walk("a2", title="Belum Digabung")
    assert laman("build").exit_code == 0
    refused = laman("deploy", f"dir:{served}")
    main = office.repo.git("rev-parse", "main").strip()
    assert refused.exit_code == 1 and "DEP024" in refused.output and main in refused.output, refused.output
    assert not served.exists() or not (served / "current").exists()
    office.repo.git("switch", "-q", "main")
    assert laman("build").exit_code == 0
    shipped = laman("deploy", f"dir:{served}")
    assert shipped.exit_code == 0, shipped.output
    assert (served / "current/a1/index.html").is_file() and not (served / "current/a2").exists()


def test_the_dip_lists_approved_documents_only(tmp_path: Path, keys: Keys) -> None:
    """The DIP page takes `content/dokumen/*.yml` from the check's approved set, each as approved
    (with the file it names), never from the head."""
    office = Office(tmp_path, keys, site=True)
    office.walk("a1")
    document = (
        "title: {title}\nclass: setiap-saat\nunit: Unit\nresponsible: Sekretaris\nmade: 2023-06-21\n"
        "place: Tuapejat\nformat: [softcopy]\nretention: {{active: 5 tahun, inactive: permanen}}\n"
        "file: dokumen/{name}.pdf\n"
    )
    for name, title in (("sk", "SK Disetujui"), ("draf", "Dokumen Belum Disetujui")):
        office.repo.write(f"content/dokumen/{name}.yml", document.format(title=title, name=name))
        office.repo.write(f"content/dokumen/{name}.pdf", b"%PDF-1.4\n")
    office.repo.commit("Dokumen", office.keys["pj"])
    approved = office.repo.git("rev-parse", "HEAD:content/dokumen/sk.yml").strip()
    office.repo.write("content/dokumen/sk.yml", document.format(title="SK Diubah Kemudian", name="sk"))
    office.repo.commit("Dokumen diubah", office.keys["writer"])
    checked = replace(office.check(), documents={"content/dokumen/sk.yml": approved})
    with Repository(office.path) as repo:
        planned = build.plan(repo, checked, NOW)
    assert sorted(p for p in planned.files if "dokumen/" in p) == [
        "content/dokumen/sk.pdf",
        "content/dokumen/sk.yml",
    ]
    built = build.build(
        load_project(office.path),
        planned.files,
        commit=checked.head,
        enforced=True,
        code=planned.code,
        now=NOW,
    )
    page = (built.output / "ppid/daftar-informasi-publik/index.html").read_text("utf-8")
    assert "SK Disetujui" in page and "Diubah Kemudian" not in page and "Belum Disetujui" not in page
    assert (built.output / "dokumen/sk.pdf").is_file() and not (built.output / "dokumen/draf.pdf").exists()
