"""`laman verify-site` believes nothing of the copy it checks: it builds the site of the commit the
copy names again, from the repository, and compares every file. So the build must give the same
bytes for one commit wherever and whenever it runs; and each way of dressing a changed site up
as an honest one is caught (real git, real signatures, real builds)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from tests.office import Keys, Office, laman

RECORD = ".well-known/laman-provenance.json"
NOW = "2024-05-01 09:00"


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def office(tmp_path: Path, keys: Keys, monkeypatch: pytest.MonkeyPatch) -> Office:
    """An office with one published article carrying a photo (resized on the way), a DIP page
    with its workbook, feeds, a sitemap and a search index: every kind of file a build writes."""
    made = Office(tmp_path, keys, site=True)
    made.repo.git("config", "user.name", "Petugas CI")
    monkeypatch.chdir(made.path)
    monkeypatch.setenv("COLUMNS", "200")
    photo = made.path / "content/images/foto.jpg"
    photo.parent.mkdir(parents=True)
    Image.new("RGB", (1000, 600), "#8a1c1c").save(photo)
    made.repo.commit("foto rapat", keys["pj"])
    made.walk("a1", body="Isi naskah.\n\n![Rapat pleno](/images/foto.jpg)\n")
    # The judged commit is older than the builds: their dates must be its, not the clock's.
    made.repo.commit("catatan", keys["pj"], date="2024-04-30T10:00:00+07:00", allow_empty=True)
    return made


@pytest.fixture
def served(office: Office, tmp_path: Path) -> Path:
    assert laman("build", "--now", NOW).exit_code == 0
    done = laman("deploy", f"dir:{tmp_path / 'srv'}")
    assert done.exit_code == 0, done.output
    return tmp_path / "srv/current"


def edit_record(site: Path, change: object) -> None:
    path = site / RECORD
    record = json.loads(path.read_text("utf-8"))
    path.write_text(json.dumps(change(record) if callable(change) else change), "utf-8")


def verify(site: Path) -> tuple[int, str]:
    done = laman("verify-site", str(site))
    return done.exit_code, done.output


def test_two_builds_of_one_commit_in_two_folders_at_two_times_are_the_same_bytes(
    office: Office, tmp_path: Path
) -> None:
    first = laman("build", "--now", NOW, "--output", str(tmp_path / "satu/site"))
    assert first.exit_code == 0, first.output
    time.sleep(2.1)  # past the zip format's two-second clock, and the sitemap's second
    shutil.rmtree(office.path / ".laman-cache", ignore_errors=True)  # every image made again
    second = laman("build", "--now", NOW, "--output", str(tmp_path / "dua/lain/site"))
    assert second.exit_code == 0, second.output
    one, two = tree_digest(tmp_path / "satu/site"), tree_digest(tmp_path / "dua/lain/site")
    assert {"sitemap.xml", "ppid/daftar-informasi-publik/dip.xlsx", "feeds/semua.atom.xml", RECORD} <= set(
        one
    )
    assert any(p.startswith("cari/indeks/") for p in one) and any(p.endswith("-480.jpg") for p in one)
    assert [p for p in one if one[p] != two.get(p)] == [] and one == two
    # The dates that are no article's are the commit's, not the clock's.
    committed = datetime.fromtimestamp(int(office.repo.git("log", "-1", "--format=%ct")), UTC)
    sitemap = (tmp_path / "satu/site/sitemap.xml").read_text()
    assert f"<lastmod>{committed:%Y-%m-%dT%H:%M:%S}+00:00</lastmod>" in sitemap
    workbook = zipfile.ZipFile(tmp_path / "satu/site/ppid/daftar-informasi-publik/dip.xlsx")
    assert {i.date_time for i in workbook.infolist()} == {(2024, 4, 30, 3, 0, 0)}
    assert b"2024-04-30T03:00:00Z" in workbook.read("docProps/core.xml")


def test_the_honest_site_matches(served: Path) -> None:
    code, output = verify(served)
    assert code == 0, output
    assert "Situs cocok dengan repositori: 1 naskah" in output


def test_a_page_edited_with_its_new_digest_in_the_record_is_caught(served: Path) -> None:
    page = served / "a1/index.html"
    page.write_text(page.read_text().replace("Isi naskah.", "Isi yang disisipkan."))
    sha = hashlib.sha256(page.read_bytes()).hexdigest()

    def forged(record: dict) -> dict:
        record["files"]["a1/index.html"] = sha
        record["articles"][0]["files"]["a1/index.html"] = sha
        return record

    edit_record(served, forged)
    code, output = verify(served)
    assert code == 1
    assert "a1/index.html: VER001" in output and f"{RECORD}: VER001" in output


def test_a_page_added_with_a_record_entry_is_caught(served: Path, office: Office) -> None:
    fake = served / "palsu/index.html"
    fake.parent.mkdir()
    fake.write_text("<p>Pengumuman palsu</p>")
    sha = hashlib.sha256(fake.read_bytes()).hexdigest()

    def forged(record: dict) -> dict:
        record["files"]["palsu/index.html"] = sha
        entry = {**record["articles"][0], "id": "palsu", "url": "/palsu/", "files": {"palsu/index.html": sha}}
        record["articles"].append(entry)
        return record

    edit_record(served, forged)
    code, output = verify(served)
    assert code == 1
    assert "palsu/index.html: VER002" in output and f"{RECORD}: VER001" in output
    assert "/palsu/: VER004" in output


def test_a_deleted_page_is_caught(served: Path) -> None:
    (served / "a1/index.html").unlink()
    code, output = verify(served)
    assert code == 1 and "a1/index.html: VER003" in output


def test_a_record_without_a_commit_or_that_is_a_list_is_refused_with_a_message(served: Path) -> None:
    def nameless(record: dict) -> dict:
        record["commit"] = None
        record["articles"] = [
            {"id": "palsu", "url": "/palsu/", "blob": "0" * 40, "commit": None, "key": None}
        ]
        return record

    edit_record(served, nameless)
    code, output = verify(served)
    assert code == 1 and f"{RECORD}: VER006" in output and "Traceback" not in output
    edit_record(served, ["bukan", "objek"])
    code, output = verify(served)
    assert code == 1 and f"{RECORD}: VER006" in output
    (served / RECORD).write_text("{ bukan json")
    assert "VER005" in verify(served)[1]


def test_a_commit_outside_main_and_what_was_deployed_is_refused(served: Path, office: Office) -> None:
    office.repo.git("switch", "--quiet", "-c", "naskah/lain")
    office.walk("b1", title="Berita Cabang")
    branch = office.repo.head()
    office.repo.git("switch", "--quiet", "main")
    edit_record(served, lambda r: {**r, "commit": branch})
    code, output = verify(served)
    assert code == 1 and f"{RECORD}: VER007" in output


def test_a_build_claimed_for_a_time_not_yet_come_is_refused(served: Path) -> None:
    edit_record(served, lambda r: {**r, "built_for": "2999-01-01T00:00:00+07:00"})
    code, output = verify(served)
    assert code == 1 and f"{RECORD}: VER009" in output


def test_symlinked_folders_are_followed_as_the_web_server_follows_them(served: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.move(served / "a1", elsewhere / "a1")
    os.symlink(elsewhere / "a1", served / "a1")
    code, output = verify(served)
    assert code == 0, output
    page = elsewhere / "a1/index.html"
    page.write_text(page.read_text().replace("Isi naskah.", "Isi yang disisipkan."))
    extra = tmp_path / "tambahan"
    extra.mkdir()
    (extra / "index.html").write_text("<p>palsu</p>")
    os.symlink(extra, served / "tambahan")
    os.symlink(served, served / "putaran")  # a loop: each real folder is read once
    code, output = verify(served)
    assert code == 1
    assert "a1/index.html: VER001" in output and "tambahan/index.html: VER002" in output


def test_a_commit_of_main_whose_proof_is_broken_is_refused(served: Path, office: Office) -> None:
    # A held article is built at its last good version, and rebuilt the same (hold.py); a commit
    # that leaves the policy unreadable stops the check itself.
    policy = (office.path / "sop.yml").read_text("utf-8")
    office.repo.write("sop.yml", "stages: [\n")
    broken = office.repo.commit("sop.yml rusak", office.keys["pj"])
    office.repo.write("sop.yml", policy)  # the working tree as it was: only the commit is judged
    edit_record(served, lambda r: {**r, "commit": broken})
    code, output = verify(served)
    assert code == 1 and f"{RECORD}: VER008" in output
