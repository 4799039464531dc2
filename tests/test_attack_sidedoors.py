"""Side doors to the site (issue 20, findings 1, 2 and 5), tried as an attacker would, on real
repositories with real signatures: every file that can change `output/` belongs to one class of
sop.yml's `files:` and is judged by it, and every commit on main is signed by a team key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.proof.check import CheckResult, run_check
from tests.office import SOP_TEXT, Keys, Office, article_text, codes, laman


@pytest.fixture
def office(tmp_path: Path, keys: Keys) -> Office:
    return Office(tmp_path, keys)


def both_modes(office: Office, base: str) -> list[CheckResult]:
    """The check of main from its anchor and of `base..HEAD` as a pull request."""
    return [office.check(), run_check(office.path, base=base, use_cache=False)]


def blob(office: Office, path: str, rev: str = "HEAD") -> str:
    return office.repo.git("rev-parse", f"{rev}:{path}").strip()


# ---- site code (finding 2) ----------------------------------------------------------------------

SITE_CODE = [
    "theme/templates/base.html",
    "pelicanconf.py",
    "publishconf.py",
    "pyproject.toml",
    "Makefile",
    "scripts/deploy.sh",
    ".github/workflows/laman.yml",
    "pipeline/site/build.py",
]


@pytest.mark.parametrize("path", SITE_CODE)
def test_an_outsiders_unsigned_change_to_site_code_is_refused(office: Office, path: str) -> None:
    office.walk("a1")
    base = office.repo.head()
    office.repo.write(path, "<script>tanam()</script>\n")
    planted = office.repo.commit("tema baru", None, sign=False)
    for result in both_modes(office, base):
        assert [(v.code, v.commit, v.file) for v in result.violations] == [("SOP011", planted, path)]
        assert list(result.publishable) == ["a1"]


def test_a_team_member_who_is_not_in_charge_may_not_change_site_code(office: Office) -> None:
    office.repo.write("theme/templates/base.html", "<p>tanam</p>\n")
    office.repo.commit("tema", office.keys["writer"])
    assert codes(office.check()) == ["SOP011"]


def test_the_person_in_charge_changes_site_code(office: Office) -> None:
    office.repo.write("theme/templates/base.html", "<p>tema</p>\n")
    office.repo.write("pelicanconf.py", "SITENAME = 'KPU'\n")
    office.repo.commit("tema dan pengaturan", office.keys["pj"])
    assert codes(office.check()) == []


def test_sop_yml_cannot_unprotect_the_site_code(office: Office, keys: Keys) -> None:
    # Even the person in charge's sop.yml that lists no site code leaves the floor in place.
    office.set_sop(
        re.sub(r"    paths: \[sop\.yml.*\]", "    paths: []", office.path.joinpath("sop.yml").read_text())
    )
    office.repo.commit("sop: daftar kode dikosongkan", keys["pj"])
    office.repo.write("pelicanconf.py", "import os; os.system('tanam')\n")
    office.repo.commit("pengaturan", keys["writer"])
    assert codes(office.check()) == ["SOP011"]


# ---- content that is not an article, an asset or a DIP document (findings 1 and 5) -------------

REFUSED = [
    "content/berita/x.html",
    "content/berita/x.markdown",
    "content/berita/x.mkd",
    "content/berita/x.mdown",
    "content/berita/x.rst",
    "content/images/.env",
    "content/images/x.html",
    "content/.rahasia/foto.png",
    "content/.draf/a.md",
    "content/berita/data.csv",
    "content/berita/data.xlsx",
    "content/dokumen/sub/d.yml",
]


@pytest.mark.parametrize("path", REFUSED)
def test_content_of_no_class_is_refused_even_when_signed(office: Office, path: str) -> None:
    base = office.repo.head()
    office.repo.write(path, "Title: x\nDate: 2024-01-01\n\n<script>alert(1)</script>\n")
    planted = office.repo.commit("berkas", office.keys["writer"])
    for result in both_modes(office, base):
        assert [(v.code, v.commit, v.file) for v in result.violations] == [("SOP040", planted, path)]
        assert result.assets == {} and result.documents == {}
    text = office.check().violations[0].format("en")
    assert f"git rm {path}" in text


def test_removing_a_refused_file_is_not_refused_again(office: Office) -> None:
    office.repo.write("content/berita/x.html", "<p>x</p>\n")
    office.repo.commit("berkas", office.keys["writer"])
    office.repo.remove("content/berita/x.html")
    office.repo.commit("hapus", office.keys["writer"])
    assert codes(office.check()) == ["SOP040"]  # the first commit's, once


def test_a_linked_asset_is_refused(office: Office) -> None:
    (office.path / "content/images").mkdir(parents=True)
    (office.path / "content/images/foto.png").symlink_to("/etc/passwd")
    office.repo.commit("foto", office.keys["writer"])
    result = office.check()
    assert codes(result) == ["SOP040"]
    assert result.assets == {}


@pytest.mark.parametrize("path", ["content/berita/x.html", "content/images/.env", "content/berita/x.rst"])
def test_validate_refuses_content_of_no_class(
    office: Office, path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(office.path)
    office.repo.write("content/berita/baik.md", article_text("baik", "planned"))
    office.repo.write("content/images/foto.png", b"\x89PNG\r\n")
    office.repo.write(path, "<script>alert(1)</script>\n")
    result = laman("validate")
    assert result.exit_code == 1
    assert f"{path}: CNT001 Berkas `{path}` bukan naskah (.md)" in result.output
    assert result.output.rstrip().endswith("1 masalah")
    assert laman("validate", "content/berita/baik.md").exit_code == 0  # a file named is judged alone


# ---- assets -------------------------------------------------------------------------------------


def test_assets_signed_by_a_team_member_are_admitted_at_their_blob(office: Office) -> None:
    office.repo.write("content/images/foto.png", b"\x89PNG\r\n1")
    office.repo.write("content/unduhan/sk.pdf", b"%PDF-1.4\n")
    office.repo.commit("foto dan sk", office.keys["writer"])
    admitted = {p: blob(office, p) for p in ("content/images/foto.png", "content/unduhan/sk.pdf")}
    # An outsider replaces the photo: refused, and the photo admitted stays the one signed.
    office.repo.write("content/images/foto.png", b"\x89PNG\r\n2")
    swapped = office.repo.commit("foto", None, sign=False)
    office.repo.write("content/images/lain.jpg", b"\xff\xd8")
    office.repo.commit("foto lain", office.keys["attacker"])
    result = office.check()
    assert [(v.code, v.commit) for v in result.violations][:1] == [("SOP001", swapped)]
    assert codes(result) == ["SOP001", "SOP001"]
    assert result.assets == admitted


def test_an_asset_removed_by_the_team_is_no_longer_admitted(office: Office) -> None:
    office.repo.write("content/images/foto.png", b"\x89PNG\r\n")
    office.repo.commit("foto", office.keys["writer"])
    office.repo.remove("content/images/foto.png")
    office.repo.commit("hapus foto", office.keys["writer"])
    result = office.check()
    assert codes(result) == [] and result.assets == {}


def test_the_anchor_s_assets_stand_as_they_are(tmp_path: Path, keys: Keys) -> None:
    office = Office(tmp_path, keys, anchor=False)
    office.repo.write("content/images/lama.png", b"\x89PNG\r\n")
    office.repo.write("content/berita/lama.html", "<p>lama</p>\n")
    office.repo.write("content/.draf/lama.md", article_text("lama", "verified"))
    legacy = office.repo.commit("konten lama", keys["pj"])
    office.set_sop(re.sub(r"^trust_anchor:.*$", f"trust_anchor: {legacy}", SOP_TEXT, flags=re.M))
    office.repo.commit(f"Penegakan SOP dimulai\n\nSOP-Anchor: {legacy}", keys["pj"])
    office.repo.git("config", "laman.anchor", legacy)  # as `laman init` keeps it
    result = office.check()
    assert codes(result) == []
    assert result.assets == {"content/images/lama.png": blob(office, "content/images/lama.png")}
    assert result.publishable == {}  # a hidden .md is no article


def test_an_asset_merged_from_a_signed_branch_is_admitted(office: Office) -> None:
    office.repo.git("switch", "-c", "naskah/foto")
    office.repo.write("content/images/foto.png", b"\x89PNG\r\n")
    office.repo.commit("foto", office.keys["writer"])
    office.repo.git("switch", "main")
    office.create("a2")
    office.merge_signed("naskah/foto")
    result = office.check()
    assert codes(result) == []
    assert result.assets == {"content/images/foto.png": blob(office, "content/images/foto.png")}


def test_a_resumed_check_keeps_what_was_admitted(office: Office) -> None:
    office.repo.write("content/images/foto.png", b"\x89PNG\r\n")
    office.repo.commit("foto", office.keys["writer"])
    cold = run_check(office.path)
    office.create("a2")
    warm = run_check(office.path)
    assert warm.judged == 1
    assert warm.assets == cold.assets == {"content/images/foto.png": blob(office, "content/images/foto.png")}


# ---- DIP documents ------------------------------------------------------------------------------

DOCUMENT = "judul: SK {n}\n"  # what the check judges is who signed it, not what it says


def test_a_dip_document_is_approved_by_the_person_in_charge_not_taken_from_head(office: Office) -> None:
    path = "content/dokumen/sk.yml"
    office.repo.write(path, DOCUMENT.format(n=1))
    office.repo.commit("DIP: SK", office.keys["pj"])
    approved = blob(office, path)
    office.repo.write(path, DOCUMENT.format(n=2))
    changed = office.repo.commit("DIP: SK diubah", office.keys["writer"])
    result = office.check()
    assert [(v.code, v.commit, v.file) for v in result.violations] == [("SOP041", changed, path)]
    assert result.documents == {path: approved}  # not HEAD's
    assert result.assets == {}


def test_a_dip_document_added_by_a_writer_is_not_approved(office: Office) -> None:
    office.repo.write("content/dokumen/sk.yml", DOCUMENT.format(n=1))
    office.repo.write("content/dokumen/sk.pdf", b"%PDF-1.4\n")
    office.repo.commit("DIP: SK", office.keys["writer"])
    result = office.check()
    assert codes(result) == ["SOP041"]
    assert result.documents == {}
    assert list(result.assets) == ["content/dokumen/sk.pdf"]  # the PDF is an asset, signed


def test_the_file_of_an_approved_dip_document_is_pinned_to_what_was_approved(office: Office) -> None:
    """A writer may sign images and PDFs, but not swap the PDF an approved DIP entry links to."""
    office.repo.write("content/dokumen/sk.yml", "title: SK\nfile: dokumen/sk.pdf\n")
    office.repo.write("content/dokumen/sk.pdf", b"%PDF-1.4 disetujui\n")
    office.repo.commit("DIP: SK", office.keys["pj"])
    approved = blob(office, "content/dokumen/sk.pdf")
    office.repo.write("content/dokumen/sk.pdf", b"%PDF-1.4 ditukar\n")
    swapped = office.repo.commit("SK baru", office.keys["writer"])
    office.repo.write("content/images/foto.png", b"\x89PNG\r\n")
    office.repo.commit("foto", office.keys["writer"])  # any other asset: still any member's
    result = office.check()
    assert [(v.code, v.commit, v.file) for v in result.violations] == [
        ("SOP090", swapped, "content/dokumen/sk.pdf")
    ]
    assert result.assets["content/dokumen/sk.pdf"] == approved
    office.repo.write("content/dokumen/sk.pdf", b"%PDF-1.4 versi kedua\n")
    office.repo.commit("SK versi kedua", office.keys["pj"])  # whom may approve documents may
    assert [v.code for v in office.check().violations] == ["SOP090"]


def test_the_file_of_an_approved_dip_document_swapped_on_a_branch_stays_as_approved(office: Office) -> None:
    """The same swap made on a branch and merged by the person in charge, signed: the merge takes
    what the branch admitted, which is still the approved file."""
    office.repo.write("content/dokumen/sk.yml", "title: SK\nfile: dokumen/sk.pdf\n")
    office.repo.write("content/dokumen/sk.pdf", b"%PDF-1.4 disetujui\n")
    office.repo.commit("DIP: SK", office.keys["pj"])
    approved = blob(office, "content/dokumen/sk.pdf")
    office.repo.git("switch", "-c", "naskah/sk")
    office.repo.write("content/dokumen/sk.pdf", b"%PDF-1.4 ditukar\n")
    swapped = office.repo.commit("SK baru", office.keys["writer"])
    office.repo.git("switch", "main")
    office.create("a2")
    office.merge_signed("naskah/sk")
    result = office.check()
    assert [(v.code, v.commit) for v in result.violations] == [("SOP090", swapped)]
    assert result.assets["content/dokumen/sk.pdf"] == approved


# ---- every commit on main is signed (finding 5) -----------------------------------------------


def test_an_unsigned_commit_outside_the_site_is_refused(office: Office) -> None:
    office.repo.write("README.md", "Laman\n\nDiubah.\n")
    unsigned = office.repo.commit("readme", None, sign=False)
    result = office.check()
    assert [(v.code, v.commit, v.file) for v in result.violations] == [("SOP001", unsigned, "README.md")]


def test_an_empty_commit_signed_by_an_unknown_key_is_refused(office: Office) -> None:
    empty = office.repo.commit("kosong", office.keys["attacker"], allow_empty=True)
    result = office.check()
    assert [(v.code, v.commit, v.file) for v in result.violations] == [("SOP001", empty, ".")]


def test_an_unsigned_merge_is_refused(office: Office) -> None:
    office.walk("a1", to="submitted")
    office.repo.git("switch", "-c", "naskah/a1")
    office.write("a1", "verified", "koor")
    office.repo.git("switch", "main")
    office.create("a2")
    office.repo.git("-c", "commit.gpgSign=false", "merge", "-q", "--no-ff", "-m", "Merge", "naskah/a1")
    result = office.check()
    assert [(v.code, v.commit) for v in result.violations] == [("SOP001", office.repo.head())]


def test_signed_commits_outside_the_site_pass(office: Office) -> None:
    office.repo.write("README.md", "Laman\n\nDiubah.\n")
    office.repo.write("docs/catatan.md", "catatan\n")
    office.repo.commit("readme", office.keys["writer"])
    office.repo.commit("kosong", office.keys["koor"], allow_empty=True)
    assert codes(office.check()) == []
