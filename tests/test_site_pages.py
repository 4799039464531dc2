"""The public site as citizens and auditors meet it, page by page, in Chromium at 320, 390 and
1280 px: the stock site and a corpus of tricky Markdown (tests/corpus/) fit the screen, pass axe
and the Nu HTML checker, keep table alignment, photos and footnotes, and search stays light."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from pipeline.errors import LamanError
from pipeline.model import content
from pipeline.model.article import parse
from pipeline.model.dates import WIB
from pipeline.model.project import load_project
from pipeline.site import attached, build
from tests.browser import chromium, look, nu_errors, served
from tests.office import Keys, Office, article_text, laman

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "corpus"
SETUP = ("sop.yml", "team.yml", "pelicanconf.py", "publishconf.py", "theme")
TYPES = load_project(ROOT).sop.files.asset_types  # the stock sop.yml's, as the check passes them
WIDTHS = (320, 390, 1280)
NOW = datetime(2024, 11, 26, 8, 0, tzinfo=WIB)


def _office(folder: Path) -> Path:
    for name in SETUP:
        source, target = ROOT / name, folder / name
        shutil.copytree(source, target) if source.is_dir() else shutil.copy(source, target)
    return folder


def _build(folder: Path, files: dict[str, bytes]) -> Path:
    root = _office(folder)
    project = load_project(root)
    return build.build(project, files, commit=None, enforced=False, output=root / "output", now=NOW).output


def _verified(folder: Path) -> dict[str, bytes]:
    """The files of a content folder whose stage may be published, and the files they link to
    that are there, by their repository path (as `build.plan` takes them)."""
    found = {}
    for path in sorted(folder.rglob("*.md")):
        raw = path.read_bytes()
        name = f"content/{path.relative_to(folder).as_posix()}"
        item = parse(raw, name)
        if item.stage == "verified":
            found[name] = raw
            linked = (folder / p.removeprefix("content/") for p in attached.linked(item, name, TYPES))
            found.update(
                {f"content/{f.relative_to(folder).as_posix()}": f.read_bytes() for f in linked if f.is_file()}
            )
    return found


def _photo(size: tuple[int, int], colour: str) -> bytes:
    """A photograph's worth of detail (noise compresses like a photo, a flat colour does not),
    with EXIF saying where it was taken."""
    import io

    image = Image.effect_noise(size, 64).convert("RGB")
    image = Image.blend(image, Image.new("RGB", size, colour), 0.6)
    exif = Image.Exif()
    exif[0x8825] = {1: "S", 2: (2.0, 10.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif.tobytes())
    return out.getvalue()


@pytest.fixture(scope="module")
def stock(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("stock"), _verified(ROOT / "content"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = _verified(CORPUS)
    files["content/berita/bimtek.jpg"] = _photo((4000, 3000), "#6b8e23")
    files["content/berita/formulir.jpg"] = _photo((1600, 1200), "#8a1c1c")
    return _build(tmp_path_factory.mktemp("corpus"), files)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


STOCK_PAGES = (
    "/",
    "/ppid/",
    "/ppid/daftar-informasi-publik/",
    "/cari/",
    "/kategori/pengumuman/",
    "/rekapitulasi-hasil-pemilu-2024-tingkat-kabupaten/",
    "/pemindahan-tps-saumanganyak/",
)
CORPUS_PAGES = (
    "/",
    "/tabel-lebar/",
    "/kode-dan-tautan/",
    "/judul-dan-catatan/",
    "/foto-kegiatan/",
    "/tentang-korpus/",
)


@pytest.mark.parametrize(("which", "paths"), [("stock", STOCK_PAGES), ("corpus", CORPUS_PAGES)])
def test_every_page_fits_the_screen_and_passes_axe(
    which: str, paths: tuple[str, ...], request: pytest.FixtureRequest, browser: Any, tmp_path: Path
) -> None:
    site = request.getfixturevalue(which)
    with served(site, tmp_path) as base:
        seen = look(browser, base, paths, WIDTHS)
    assert [s for s in seen if s.sideways or s.serious] == []


def test_every_page_passes_the_nu_html_checker(stock: Path, corpus: Path) -> None:
    pages = [p for site in (stock, corpus) for p in site.rglob("*.html")]
    assert nu_errors(pages) == []


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.h1 = 0
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.h1 += tag == "h1"
        self.ids += [v or "" for k, v in attrs if k == "id"]


def test_one_h1_no_id_twice_and_the_markup_people_need(corpus: Path) -> None:
    for page in corpus.rglob("*.html"):
        outline = _Outline()
        outline.feed(page.read_text())
        assert outline.h1 == 1, page
        assert len(outline.ids) == len(set(outline.ids)), page
    table = (corpus / "tabel-lebar/index.html").read_text()
    assert '<td style="text-align:right">11.516</td>' in table
    assert '<div class="gulir" role="region" tabindex="0" aria-label="Tabel 2"><table>' in table
    code = (corpus / "kode-dan-tautan/index.html").read_text()
    assert code.count('<pre tabindex="0">') == 3
    assert "&lt;script&gt;" in code and "<script" not in code
    notes = (corpus / "judul-dan-catatan/index.html").read_text()
    assert 'title="Kembali ke catatan kaki 1 dalam teks"' in notes
    assert '<h3 id="isi_1">Isi</h3>' in notes and 'href="#isi_1"' in notes


def test_validate_finds_nothing_in_code_or_autolinks(sop: Any) -> None:
    files = {str(p): p.read_bytes() for p in CORPUS.rglob("*.md")}
    problems = content.check(files, sop, None).problems
    assert [p for p in problems if p.code.startswith("HTML")] == []


def test_the_lead_photo_is_light_and_shared(corpus: Path) -> None:
    page = (corpus / "foto-kegiatan/index.html").read_text()
    folder = corpus / "foto-kegiatan"
    assert sorted(p.name for p in folder.glob("*.jpg")) == [
        "bimtek-1200.jpg",
        "bimtek-480.jpg",
        "bimtek-800.jpg",
        "formulir-1200.jpg",
        "formulir-480.jpg",
        "formulir-800.jpg",
    ]
    for photo in folder.glob("*.jpg"):
        with Image.open(photo) as image:
            assert not image.getexif(), photo
    assert (folder / "bimtek-480.jpg").stat().st_size <= 120_000
    css = sum(p.stat().st_size for p in (corpus / "tema").rglob("*.css"))
    assert len(page.encode()) + css <= 50_000
    assert (
        '<meta property="og:image" content="https://kab-kepulauanmentawai.kpu.example/foto-kegiatan/bimtek-1200.jpg">'
        in page
    )
    assert "<figcaption>Peserta bimbingan teknis KPPS di aula kantor KPU, Tuapejat." in page
    assert "Foto: Tim Peliputan" in page
    assert 'srcset="https://kab-kepulauanmentawai.kpu.example/foto-kegiatan/formulir-480.jpg 480w' in page
    home = (corpus / "index.html").read_text()
    assert "https://kab-kepulauanmentawai.kpu.example/foto-kegiatan/bimtek-480.jpg 480w" in home


def test_feeds_say_their_language_and_pages_link_them(corpus: Path) -> None:
    assert '<feed xml:lang="id"' in (corpus / "feeds/semua.atom.xml").read_text()
    assert "<language>id</language>" in (corpus / "feeds/semua.rss.xml").read_text()
    category = (corpus / "kategori/berita/index.html").read_text()
    assert 'type="application/rss+xml"' in category and "/feeds/berita.rss.xml" in category
    assert "/feeds/semua.rss.xml" in (corpus / "index.html").read_text()


def test_the_menu_leaves_out_what_is_empty_and_the_dip_is_one_click_away(corpus: Path, stock: Path) -> None:
    home = (corpus / "index.html").read_text()
    assert "kategori/pengumuman/" not in home and "kategori/berita/" in home
    assert 'href="https://kab-kepulauanmentawai.kpu.example/ppid/daftar-informasi-publik/"' in home
    ppid = (stock / "ppid/index.html").read_text()
    assert '<a href="/ppid/daftar-informasi-publik/"' in ppid


def test_search_from_the_header_is_light(stock: Path, browser: Any, tmp_path: Path) -> None:
    with served(stock, tmp_path) as base:
        page = browser.new_page(viewport={"width": 390, "height": 800})
        page.goto(base + "/")
        sizes: dict[str, int] = {}
        page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body())) if r.ok else None)
        page.fill("#cari-kata", "pemilih disabilitas")
        page.press("#cari-kata", "Enter")
        page.wait_for_selector("#cari-hasil li a")
        results = page.eval_on_selector_all("#cari-hasil li", "items => items.map(i => i.innerText)")
        page.close()
    assert any("Disabilitas" in r for r in results)
    searched = {url: n for url, n in sizes.items() if "/cari/indeks/" in url or url.endswith("cari.js")}
    # The list of shards, the shards of the two words, three pages' texts and the script: about
    # 16 KB as plain files, where Pagefind's script and WebAssembly alone were 115 KB (its first
    # query 134,541 B); see bench/build.py.
    print(
        f"first search: {sum(searched.values()):,} B in {len(searched)} requests (Pagefind: 134,541 B in 9)"
    )
    assert sum(searched.values()) <= 100_000, json.dumps(sizes)
    assert len([url for url in searched if "/naskah-" in url]) == 3, json.dumps(sizes)


def test_an_empty_site_says_so_and_its_menu_has_no_dead_links(tmp_path: Path) -> None:
    page = (CORPUS / "halaman/tentang-korpus.md").read_bytes()
    site = _build(tmp_path, {"content/halaman/tentang-korpus.md": page})
    home = (site / "index.html").read_text()
    assert "Belum ada berita yang tayang." in home
    assert "kategori/berita/" not in home and "profil/" not in home
    assert 'href="https://kab-kepulauanmentawai.kpu.example/tentang-korpus/"' not in home  # not in the menu


def test_a_missing_image_fails_the_build_with_its_file_and_line(tmp_path: Path) -> None:
    text = (CORPUS / "berita/foto-kegiatan.md").read_bytes()
    with pytest.raises(LamanError) as raised:
        _build(tmp_path, {"content/berita/foto-kegiatan.md": text})
    detail = str(raised.value.problems[0].args["detail"])
    assert "content/berita/foto-kegiatan.md:11:8: IMG001 Gambar `bimtek.jpg` tidak ada" in detail
    assert "content/berita/foto-kegiatan.md:18:50: IMG001 Gambar `formulir.jpg` tidak ada" in detail


def test_a_drafts_photo_shows_in_its_preview_and_validate_names_a_missing_one(
    tmp_path: Path, keys: Keys, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = Office(tmp_path, keys, site=True)
    monkeypatch.chdir(office.path)
    image = "\n  src: rapat.jpg\n  alt: Rapat pleno di aula\n  credit: Tim Peliputan"
    office.walk("a1", to="drafted", title="Rapat dengan Foto")
    office.repo.write(
        office.file("a1"), article_text("a1", "drafted", "Rapat dengan Foto", "Isi.\n", image=image)
    )
    result = laman("validate")
    assert result.exit_code == 1
    assert "content/berita/a1.md:25:8: IMG001 Gambar `rapat.jpg` tidak ada" in result.output
    (office.path / "content/berita/rapat.jpg").write_bytes(_photo((900, 600), "#336699"))  # not committed
    assert laman("validate").exit_code == 0
    result = laman("preview", office.file("a1"))
    assert result.exit_code == 0, result.output
    page = (office.path / "preview/a1/index.html").read_text()
    assert 'srcset="../a1/rapat-480.jpg 480w, ../a1/rapat-900.jpg 900w"' in page
    assert (office.path / "preview/a1/rapat-900.jpg").is_file()


def test_images_of_one_name_from_other_folders_keep_their_own_copies(tmp_path: Path) -> None:
    """`foto.jpg`, `a/foto.jpg` and `b/foto.jpg` in one article are three photos, not one: each
    keeps its copies; a second article showing `foto.jpg` gets its own beside it."""
    image = "\n  src: foto.jpg\n  alt: Foto utama"
    body = "![Foto A](a/foto.jpg)\n\n![Foto B](b/foto.jpg)\n"
    colours = {"foto.jpg": "#c00000", "a/foto.jpg": "#00a000", "b/foto.jpg": "#0000c0"}
    files = {f"content/berita/{name}": _photo((600, 400), colour) for name, colour in colours.items()}
    files["content/berita/dua.md"] = article_text("dua", "verified", "Tiga Foto", body, image=image).encode()
    files["content/berita/lain.md"] = article_text(
        "lain", "verified", "Foto Lain", "Isi.\n", image=image
    ).encode()
    site = _build(tmp_path, files)
    page = (site / "dua/index.html").read_text()
    shown = re.findall(
        r'<img src="https://kab-kepulauanmentawai\.kpu\.example/dua/([^"]+)"[^>]*alt="([^"]+)"', page
    )
    assert [alt for _, alt in shown] == ["Foto utama", "Foto A", "Foto B"]
    assert len({name for name, _ in shown}) == 3, shown
    for (name, _), colour in zip(shown, colours.values(), strict=True):
        with Image.open(site / "dua" / name) as copy:
            red, green, blue = copy.convert("RGB").resize((1, 1)).getpixel((0, 0))
        wanted = Image.new("RGB", (1, 1), colour).getpixel((0, 0))
        assert max(abs(a - b) for a, b in zip((red, green, blue), wanted, strict=True)) < 60, (name, colour)
    assert (site / "lain/foto-600.jpg").is_file() and (site / "dua/foto-600.jpg").is_file()


def test_the_stock_site_shows_its_sample_illustrations(stock: Path) -> None:
    """Three sample articles carry a drawn illustration (scripts/sample_photos.py), committed
    beside them, small, with alt text: on the page, its card and as the share image; a page
    (halaman) shows its lead photo as an article does."""
    committed = subprocess.run(
        ["git", "ls-files", "content/*.jpg"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert len(committed) >= 3, committed
    assert all((ROOT / name).stat().st_size <= 40_000 for name in committed), committed
    profil = (stock / "profil/index.html").read_text()
    assert '<figure class="lead-photo">' in profil and 'alt="Ilustrasi empat pulau besar' in profil
    assert "Bukan peta berskala." in profil and "Foto: Tim Humas" in profil
    assert (
        '<meta property="og:image" content="https://kab-kepulauanmentawai.kpu.example/profil/wilayah-kerja-1200.jpg">'
        in profil
    )
    assert (stock / "profil/wilayah-kerja-480.jpg").is_file()
    story = "rekapitulasi-hasil-pemilu-2024-tingkat-kabupaten"
    assert '<figure class="lead-photo">' in (stock / story / "index.html").read_text()
    card = f"https://kab-kepulauanmentawai.kpu.example/{story}/rekapitulasi-kabupaten-480.jpg 480w"
    assert card in (stock / "index.html").read_text()
    assert card in (stock / "kategori/berita/index.html").read_text()
