"""The public site: built from verified text only, complete, light, and accessible in a browser."""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.office import Keys, Office, every_text

CHROMIUM = "/usr/bin/chromium"
STAGES_NOT_PUBLIC = ("planned", "dispositioned", "assigned", "drafted", "corrected", "submitted")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, keys: Keys) -> tuple[Office, Path]:
    """An office with one verified article per category, a page, and a marked item at every
    stage that must stay private; built with the published settings."""
    office = Office(tmp_path_factory.mktemp("site"), keys, site=True)
    body = "Tuapejat – Isi berita yang sudah diverifikasi.\n\n| Kecamatan | Pemilih |\n|---|---:|\n| Sipora Utara | 11.516 |\n"
    office.walk(
        "terbit",
        title="Rapat Pleno Terverifikasi",
        body=body,
        tags="[Pemilu 2024, DPT]",
        dateline="Tuapejat",
        corrects="tarik",
    )
    office.walk("umum", title="Pengumuman Terverifikasi", category="Pengumuman")
    for stage in STAGES_NOT_PUBLIC:
        marker = f"BOCOR-{stage.upper()}-7Q"
        office.walk(
            f"draf-{stage}",
            to=stage,
            title=f"Draf {marker}",
            body=f"Teks {marker}\n",
            summary=f"Ringkas {marker}",
        )
    # A withdrawn article keeps a notice with its (once public) title; its text goes.
    gone = {
        "title": "Berita Ditarik",
        "body": "Teks BOCOR-WITHDRAWN-7Q\n",
        "summary": "Ringkas BOCOR-WITHDRAWN-7Q",
    }
    office.walk("tarik", **gone)
    office.write("tarik", "withdrawn", "pj", withdrawal="Angka keliru", **gone)
    office.walk(
        "rahasia",
        to="submitted",
        title="Kajian BOCOR-EXEMPT-7Q",
        body="Teks BOCOR-EXEMPT-7Q\n",
        information="dikecualikan",
    )
    return office, office.path / "output"


@pytest.fixture(scope="module")
def built(site: tuple[Office, Path]) -> Path:
    office, output = site
    here = os.getcwd()
    os.chdir(office.path)
    try:
        result = CliRunner().invoke(main, ["build"], catch_exceptions=False)
    finally:
        os.chdir(here)
    assert result.exit_code == 0, result.output
    return output


def test_no_unverified_text_anywhere(built: Path) -> None:
    leaks = [
        (p.relative_to(built), m)
        for p, text in every_text(built)
        for m in re.findall(r"BOCOR-[A-Z]+-7Q", text)
    ]
    assert leaks == []
    assert any("Rapat Pleno Terverifikasi" in text for _, text in every_text(built / "cari/indeks"))


def test_site_has_what_people_expect(built: Path) -> None:
    for path in (
        "index.html",
        "terbit/index.html",
        "umum/index.html",
        "kategori/berita/index.html",
        "kategori/pengumuman/index.html",
        "topik/pemilu-2024/index.html",
        "arsip/index.html",
        "404.html",
        "cari/index.html",
        "robots.txt",
        "sitemap.xml",
        "feeds/semua.atom.xml",
        "feeds/semua.rss.xml",
        "feeds/berita.atom.xml",
        "tema/logo.svg",
        "cari/indeks/info.json",
    ):
        assert (built / path).is_file(), path
    urls = [e.text for e in ElementTree.parse(built / "sitemap.xml").iter() if e.tag.endswith("loc")]
    assert "https://kab-kepulauanmentawai.kpu.example/terbit/" in urls
    assert not [u for u in urls if "draf" in u or "tarik" in u or "rahasia" in u]
    notice = (built / "tarik/index.html").read_text()
    assert "Berita Ditarik" in notice and "Angka keliru" in notice and 'content="noindex"' in notice
    feed = (built / "feeds/semua.atom.xml").read_text()
    assert "Rapat Pleno Terverifikasi" in feed and "Draf" not in feed
    marker = json.loads((built / ".laman-build.json").read_text())
    assert marker["enforced"] is True
    assert sorted(marker["articles"]) == ["content/berita/terbit.md", "content/berita/umum.md"]


def test_article_page_in_indonesian(built: Path) -> None:
    html = (built / "terbit/index.html").read_text()
    assert '<html lang="id">' in html
    assert '<link rel="canonical" href="https://kab-kepulauanmentawai.kpu.example/terbit/">' in html
    assert '<meta property="og:title" content="Rapat Pleno Terverifikasi">' in html
    assert 'name="twitter:card"' in html
    assert "6 Maret 2023, 10.00 WIB" in html
    assert "Diverifikasi sesuai SOP 27/2023 — " in html
    assert "Tuapejat, " in html
    assert 'href="#isi"' in html and '<main id="isi"' in html
    assert "<script" not in html


def test_pages_are_light(built: Path) -> None:
    css = sum(p.stat().st_size for p in (built / "tema").rglob("*.css"))
    article = (built / "terbit/index.html").stat().st_size + css
    home = (built / "index.html").stat().st_size + css
    assert article < 50_000, article
    assert home < 100_000, home
    for html in (built / "terbit/index.html", built / "index.html"):
        assert not re.search(
            r'(src|href)="(https?:)?//(?!kab-kepulauanmentawai\.kpu\.example)', html.read_text()
        )


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(built: Path) -> Iterator[str]:
    local = built.parent / "output-local"
    shutil.copytree(built, local, dirs_exist_ok=True)
    # The published settings write absolute URLs; serve the same pages under that prefix.
    for page in local.rglob("*.html"):
        page.write_text(page.read_text().replace("https://kab-kepulauanmentawai.kpu.example", ""))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(local)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_in_a_real_browser(served: str, tmp_path: Path) -> None:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: `make system-deps` installs it"
    outside: list[str] = []
    with sync_playwright() as play:
        browser = play.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        for width in (390, 1280):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(served) else None)
            for name, path in (("beranda", "/"), ("artikel", "/terbit/")):
                page.goto(served + path)
                page.screenshot(path=str(tmp_path / f"{name}-{width}.png"), full_page=True)
                results = Axe().run(page)
                bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
                assert bad == [], [(v["id"], v["help"]) for v in bad]
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.getAttribute('href')") == "#isi"
        browser.close()
    assert outside == []
    assert (tmp_path / "artikel-390.png").stat().st_size > 10_000


def _indexed_pages(site: Path) -> set[tuple[str, str, int]]:
    pages = set()
    for fragment in (site / "cari/indeks").glob("naskah-*.json"):
        record = json.loads(fragment.read_text())
        pages.add((f"/{record['u']}", record["t"], len(record["x"].split())))
    return pages


def test_search_indexes_article_bodies_not_listings(built: Path) -> None:
    pages = _indexed_pages(built)
    assert ("/terbit/", "Rapat Pleno Terverifikasi") in {(url, title) for url, title, _ in pages}
    assert not [url for url, _, _ in pages if url.startswith(("/kategori/", "/topik/", "/arsip/"))]
    assert all(words > 0 for _, _, words in pages)


def test_the_withdrawal_notice_says_when_and_where_the_correction_is(built: Path) -> None:
    notice = (built / "tarik/index.html").read_text()
    assert re.search(r"ditarik</strong> pada \d{1,2} [A-Z][a-z]+ 20\d\d oleh", notice)
    assert (
        '<a href="https://kab-kepulauanmentawai.kpu.example/terbit/">Baca ralat dan informasi yang benar</a>'
        in notice
    )


def test_without_enforcement_a_withdrawn_article_that_stood_on_main_leaves_its_notice(
    tmp_path: Path, keys: Keys
) -> None:
    """No trust anchor (SOP021): main's tree is the site. An article main once had at a
    publishable stage, then withdrawn, keeps the same notice as under enforcement (its date, the
    correction); one withdrawn before it was ever verified, or renamed after, is judged by its
    own history: the first leaves nothing, the second its notice."""
    office = Office(tmp_path, keys, anchor=False, site=True)
    gone = {"title": "Berita Ditarik Tanpa Jangkar", "body": "Teks lama.\n"}
    office.walk("tarik", **gone)
    office.write("tarik", "withdrawn", "pj", withdrawal="Angka TPS keliru", **gone)
    office.walk("ralat", title="Ralat Jumlah TPS", corrects="tarik")
    office.walk("draf", to="submitted", title="Draf Tak Pernah Tayang")
    office.write("draf", "withdrawn", "pj", withdrawal="Batal", title="Draf Tak Pernah Tayang")
    office.walk("pindah", title="Berita Dipindah")
    office.repo.git("mv", office.file("pindah"), "content/berita/pindah-baru.md")
    office.write("pindah", "withdrawn", "pj", path="content/berita/pindah-baru.md", withdrawal="Salah")
    assert office.check().enforced is False
    output = tmp_path / "site"
    here = os.getcwd()
    os.chdir(office.path)
    try:
        result = CliRunner().invoke(main, ["build", "--output", str(output)], catch_exceptions=False)
    finally:
        os.chdir(here)
    assert result.exit_code == 0, result.output
    notice = (output / "tarik/index.html").read_text()
    assert "Berita Ditarik Tanpa Jangkar" in notice and "Angka TPS keliru" in notice
    assert re.search(r"ditarik</strong> pada \d{1,2} [A-Z][a-z]+ 20\d\d oleh", notice)
    assert (
        '<a href="https://kab-kepulauanmentawai.kpu.example/ralat/">Baca ralat dan informasi yang benar</a>'
        in notice
    )
    assert "Teks lama" not in notice and 'content="noindex"' in notice
    assert not (output / "draf").exists()
    assert "Salah" in (output / "pindah/index.html").read_text()
