"""The leak test: a unique marker planted in every place a file could slip onto the site — other
file types, unlinked images and PDFs, hidden files, unapproved DIP documents, CSV and XLSX,
drafts, another branch, an exempt item, a stale edit, an embargo, front-matter fields and
e-mails — then the site is built and every output file (pages, feeds, sitemap, search index,
provenance record, unzipped XLSX, images' metadata, file names) searched for each marker.

The build is run from the check's verdict whatever violations it found: the build's own choice
of files is the line of defence tested here (the check refusing such files is the other).
"""

from __future__ import annotations

import io
import os
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from PIL import Image

from pipeline.model.dates import WIB
from pipeline.model.project import load_project
from pipeline.proof.check import run_check
from pipeline.proof.history import Repository
from pipeline.site import build
from tests.office import FLOW, STEP_BY, Keys, Office, article_text, every_text

NOW = datetime(2024, 11, 26, 8, 0, tzinfo=WIB)
# Where each marker is planted (the marker is `zq<name>`: letters only, as a slug keeps them).
PLACES = (
    "htmlarticle",
    "htmlundated",
    "markdownext",
    "mkdext",
    "mdownext",
    "rstarticle",
    "draftphoto",
    "draftpdf",
    "secretpdf",
    "hiddenfile",
    "htmlinimages",
    "linkedhtml",
    "orphanimage",
    "document",
    "csvfile",
    "linkedcsv",
    "xlsxfile",
    "drafttitle",
    "draftbody",
    "draftpage",
    "branch",
    "exempt",
    "staleedit",
    "embargo",
    "instruction",
    "email",
    "exifdescription",
    "exifartist",
    "replacedphoto",
    "gifcomment",
)


def mark(place: str) -> str:
    return f"zq{place}"


def photo(colour: str, **exif: str) -> bytes:
    """A small JPEG with EXIF text (ImageDescription 0x010E, Artist 0x013B)."""
    image = Image.new("RGB", (64, 48), colour)
    tags = Image.Exif()
    tags[0x010E] = exif.get("description", "")
    tags[0x013B] = exif.get("artist", "")
    out = io.BytesIO()
    image.save(out, "JPEG", exif=tags)
    return out.getvalue()


def animation(comment: str) -> bytes:
    """A two-frame GIF with a comment block."""
    frames = [Image.new("RGB", (40, 30), c).convert("P") for c in ("red", "blue")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], comment=comment.encode(), loop=0)
    return out.getvalue()


def walk(office: Office, ident: str, to: str, text: str, path: str | None = None) -> None:
    """Like `Office.walk`, with the article's whole text given for every stage."""
    target = path or office.file(ident)
    for stage in FLOW[: FLOW.index(to) + 1]:
        office.repo.write(target, text.replace("stage: STAGE", f"stage: {stage}"))
        office.repo.commit(f"{ident}: {stage}", office.keys[STEP_BY.get(stage, "pj")])


def text(ident: str, **fields: object) -> str:
    return article_text(ident, "STAGE", **fields)


def plant(office: Office) -> None:
    m = mark
    repo = office.repo
    # The published article: an EXIF-laden photo, a public PDF, a link to an .html among the images,
    # a marker in its disposition's instruction and in its assignee's e-mail.
    repo.write(
        "content/images/foto.jpg", photo("red", description=m("exifdescription"), artist=m("exifartist"))
    )
    repo.write("content/images/gerak.gif", animation(m("gifcomment")))
    repo.write("content/dokumen/publik.pdf", b"%PDF-1.4\n% publik\n")
    repo.write("content/images/sisip.html", f"<p>{m('linkedhtml')}</p>\n")
    repo.write("content/dokumen/tabel.csv", f"kolom\n{m('linkedcsv')}\n")  # a type sop.yml does not admit
    repo.commit("Foto dan dokumen", office.keys["writer"])
    body = (
        "Rapat pleno berjalan tertib.\n\n![Rapat pleno](/images/foto.jpg)\n\n![Gerak](/images/gerak.gif)\n\n"
        "[Unduh SK](/dokumen/publik.pdf), [tabel](/dokumen/tabel.csv) dan [sisipan](/images/sisip.html).\n"
    )
    published = text("terbit", title="Rapat Pleno Terbit", body=body, assignee=f"{m('email')}@kpu.example")
    published = published.replace(
        "instruction: Segera susun materi", f"instruction: Susun {m('instruction')}"
    )
    walk(office, "terbit", "verified", published)
    # After verification the photo is replaced: the site keeps the verified one.
    repo.write("content/images/foto.jpg", photo("blue", description=m("replacedphoto")))
    repo.commit("Foto diganti", office.keys["writer"])
    # Files of other kinds and files nobody published links to.
    others = {
        "content/berita/x.html": f"<html><head><title>{m('htmlarticle')}</title>"
        '<meta name="date" content="2024-01-01"></head><body><script>alert(1)</script></body></html>',
        "content/berita/tanpa-tanggal.html": f"<html><head><title>{m('htmlundated')}</title></head></html>",
        "content/berita/y.markdown": f"Title: {m('markdownext')}\nDate: 2024-01-01\n\nIsi.\n",
        "content/berita/z.mkd": f"Title: {m('mkdext')}\nDate: 2024-01-01\n\nIsi.\n",
        "content/pengumuman/w.mdown": f"Title: {m('mdownext')}\nDate: 2024-01-01\n\nIsi.\n",
        "content/berita/r.rst": f"{m('rstarticle')}\n##########\n\n:date: 2024-01-01\n\nIsi.\n",
        f"content/dokumen/rahasia-{m('secretpdf')}.pdf": f"%PDF-1.4\n% {m('secretpdf')}\n",
        "content/images/.env": f"SECRET={m('hiddenfile')}\n",
        "content/images/halaman.html": f"<p>{m('htmlinimages')}</p>\n",
        f"content/images/{m('orphanimage')}.jpg": photo("green"),
        "content/dokumen/data.csv": f"kolom\n{m('csvfile')}\n",
        "content/dokumen/bocor.yml": (
            f"title: {m('document')}\nclass: setiap-saat\nunit: Unit\nresponsible: Sekretaris\n"
            "made: 2023-06-21\nplace: Tuapejat\nformat: [softcopy]\n"
            "retention: {active: 5 tahun, inactive: permanen}\nfile: dokumen/publik.pdf\n"
        ),
    }
    for path, content in others.items():
        repo.write(path, content)
    book = openpyxl.Workbook()
    book.active["A1"] = m("xlsxfile")
    book.save(office.path / "content/dokumen/data.xlsx")
    repo.commit("Berkas lain", office.keys["writer"])
    # A draft with its own photo and PDF; a draft page.
    repo.write(f"content/images/{m('draftphoto')}.jpg", photo("yellow"))
    repo.write(f"content/dokumen/{m('draftpdf')}.pdf", b"%PDF-1.4\n")
    draft_body = (
        f"{m('draftbody')}\n\n![x](/images/{m('draftphoto')}.jpg)\n\n[y](/dokumen/{m('draftpdf')}.pdf)\n"
    )
    walk(office, "draf", "drafted", text("draf", title=m("drafttitle"), body=draft_body))
    walk(
        office, "halaman-draf", "drafted", text("halaman-draf", title=m("draftpage")), "content/halaman/d.md"
    )
    # An exempt item at its last step before verification; an embargoed article.
    exempt = text("kecuali", title=m("exempt"), body=f"{m('exempt')}\n", information="dikecualikan")
    walk(office, "kecuali", "submitted", exempt)
    walk(office, "embargo", "verified", text("embargo", title=m("embargo"), publish_at="2030-01-01 08:00"))
    # A verified article, then edited by its writer (a stale edit, never re-verified).
    walk(office, "basi", "verified", text("basi", title="Naskah Basi"))
    repo.write(
        office.file("basi"), article_text("basi", "verified", title="Naskah Basi", body=m("staleedit"))
    )
    repo.commit("basi: sunting", office.keys["writer"])
    # Another branch, verified there, never merged.
    repo.git("switch", "-q", "-c", "naskah/cabang")
    walk(office, "cabang", "verified", text("cabang", title=m("branch")))
    repo.git("switch", "-q", "main")


def image_metadata(folder: Path) -> list[tuple[str, str]]:
    """Every published image's metadata (EXIF, text chunks, XMP), as text."""
    found = []
    for path in folder.rglob("*"):
        if path.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp", ".gif"):
            with Image.open(path) as image:
                found.append((path.name, f"{image.info!r} {dict(image.getexif())!r}"))
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, keys: Keys) -> Path:
    office = Office(tmp_path_factory.mktemp("leaks"), keys, site=True)
    plant(office)
    checked = run_check(office.path, use_cache=False)
    with Repository(office.path) as repo:
        planned = build.plan(repo, checked, NOW)
    built = build.build(
        load_project(office.path),
        planned.files,
        commit=checked.head,
        enforced=checked.enforced,
        output=office.path / "output",
        entries=planned.entries,
        notices=planned.notices,
        now=NOW,
        code=planned.code,
    )
    return built.output


def test_no_marker_reaches_the_site(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    texts = [
        *every_text(site),
        *image_metadata(site),
        ("(file names)", "\n".join(p.relative_to(site).as_posix() for p in site.rglob("*"))),
    ]
    leaked = sorted({p for p in PLACES for where, t in texts if mark(p) in t.lower()})
    with capsys.disabled():
        print(f"\nleak test: {len(leaked)} of {len(PLACES)} markers reached output {leaked or ''}")
    assert leaked == []


def test_what_was_published_is_there(site: Path) -> None:
    """Not a vacuous pass: the published article, its photo and its PDF are on the site."""
    page = (site / "terbit/index.html").read_text("utf-8")
    assert "Rapat Pleno Terbit" in page
    assert (site / "dokumen/publik.pdf").is_file()
    photos = sorted((site / "terbit").glob("foto-*.jpg"))
    assert photos and (site / ".well-known/laman-provenance.json").is_file()
    assert not (site / "images").exists() and not list(site.rglob("*.html.*"))
    assert "<script>alert" not in "".join(t for _, t in every_text(site))
    assert os.path.exists(site / "sitemap.xml")


def test_the_photo_is_the_verified_one_without_its_metadata(site: Path) -> None:
    """Replaced after verification (blue), the photo shown is still the verified one (red)."""
    for path in sorted((site / "terbit").glob("foto-*.jpg")):
        with Image.open(path) as image:
            red, _, blue = image.convert("RGB").getpixel((10, 10))
            assert red > 200 and blue < 60, path.name
    for path in site.rglob("*"):
        if path.suffix in (".jpg", ".png", ".webp", ".gif"):
            with Image.open(path) as image:
                assert not image.getexif() and not {"exif", "xmp", "comment"} & set(image.info), path
