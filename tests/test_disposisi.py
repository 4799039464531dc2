"""The lembar disposisi: fields from the front matter, a self-contained page, one A4 sheet in a
real browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.duties import disposisi
from pipeline.errors import LamanError
from pipeline.model import article
from tests.office import laman

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
SAMPLE = "content/pengumuman/pemindahan-tps-gelombang-tinggi-pagai-utara.md"
OFFICE = "Komisi Pemilihan Umum Kabupaten Kepulauan Mentawai"
FULL = """---
id: 20230619-4be1a7
title: KPU Mentawai Tetapkan DPT Pemilu 2024
stage: assigned
disposition:
  number: 045/HM.03/VI/2023
  date: 2023-03-06
  received: 2023-03-07
  agenda: "112"
  from: PPID Pembantu
  nature: segera
  subject: Publikasi hasil rapat pleno rekapitulasi DPT
  forwarded_to: Redaktur Pelaksana
  actions: [tanggapan dan saran, koordinasikan]
  instruction: {instruction}
  given_by: Pemimpin Redaksi
assignee: rina@kpu-mentawai.example
---
"""


def sample(instruction: str = "Susun berita hasil rapat pleno & tayangkan <segera>.") -> article.Article:
    return article.parse(FULL.format(instruction=instruction), "content/berita/dpt.md")


def _cell(page: str, label: str) -> str:
    found = re.search(rf'<th scope="row">{re.escape(label)}</th>\s*<td[^>]*>(.*?)</td>', page, re.S)
    assert found, label
    return found.group(1).strip()


def test_every_field_from_the_front_matter() -> None:
    page = disposisi.sheet(sample(), OFFICE, "Jalan Raya Tuapejat Km 4")
    assert _cell(page, "Surat dari") == "PPID Pembantu"
    assert _cell(page, "Nomor surat") == "045/HM.03/VI/2023"
    assert _cell(page, "Tanggal surat") == "6 Maret 2023"
    assert _cell(page, "Diterima tanggal") == "7 Maret 2023"
    assert _cell(page, "Nomor agenda") == "112"
    assert _cell(page, "Perihal") == "Publikasi hasil rapat pleno rekapitulasi DPT"
    assert _cell(page, "Diteruskan kepada") == "Redaktur Pelaksana"
    assert _cell(page, "Pemberi disposisi") == "Pemimpin Redaksi"
    # Escaped: the sheet prints what was written, never markup from it.
    assert _cell(page, "Isi disposisi") == "Susun berita hasil rapat pleno &amp; tayangkan &lt;segera&gt;."
    checked = re.findall(r'aria-label="dicentang">X</span>([^<]+)</li>', page)
    assert checked == ["Segera", "Tanggapan dan saran", "Koordinasikan"]
    assert page.count('aria-label="tidak dicentang"></span>') == 3 + 1
    assert "@page { size: A4;" in page
    assert "Jalan Raya Tuapejat Km 4" in page and OFFICE in page
    assert '<span class="initials"></span>' in page  # the paraf is signed by hand


def test_the_page_is_self_contained() -> None:
    page = disposisi.sheet(sample(), OFFICE)
    assert not re.search(r"<(script|link|img|iframe)\b", page)
    assert not re.search(r"\b(src|href)=", page)
    assert "url(" not in page


def test_english_labels() -> None:
    page = disposisi.sheet(sample(), OFFICE, lang="en")
    assert _cell(page, "Letter date") == "6 March 2023"
    assert '<html lang="en">' in page and "Disposition sheet" in page


def test_an_article_without_a_disposition_has_no_sheet() -> None:
    item = article.parse("---\nid: a1\ntitle: Rencana\nstage: planned\n---\n", "content/berita/a1.md")
    with pytest.raises(LamanError) as caught:
        disposisi.sheet(item, OFFICE)
    problem = caught.value.problems[0]
    assert problem.format() == (
        "content/berita/a1.md:4:8: DSP001 Naskah ini belum punya lembar disposisi (`disposition`).\n"
        "    → Isi `disposition` (number, date, from, subject, instruction) pada langkah 1–3 SOP."
    )


def test_laman_disposisi_writes_the_sheet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("LAMAN_LANG", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    target = tmp_path / "lembar.html"
    result = laman("disposisi", SAMPLE, "--output", str(target), "--no-pdf")
    assert result.exit_code == 0, result.output
    assert result.output == f"Lembar disposisi: {target}\n"
    page = target.read_text()
    assert _cell(page, "Nomor surat") == "251/PL.02.4/XI/2024"
    assert _cell(page, "Tanggal surat") == "25 November 2024"
    assert "Jalan Raya Tuapejat Km 4" in page  # the letterhead's address, from the site's settings
    refused = laman("disposisi", SAMPLE, "--output", "content/berita/lembar.html", "--no-pdf")
    assert refused.exit_code == 1 and "DIP004" in refused.output
    assert not (ROOT / "content/berita/lembar.html").exists()
    if not disposisi.pdf_available():
        missing = laman("disposisi", SAMPLE, "--output", str(target), "--pdf")
        assert missing.exit_code == 1
        assert "DSP002 PDF tidak dapat dibuat: WeasyPrint tidak terpasang." in missing.output


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf))


@pytest.mark.parametrize(
    "instruction",
    [
        "Segera susun materi publikasi.",
        # A long instruction still fits: the box grows into the space left below it.
        "'"
        + "Koordinasikan dengan PPS, PPK dan kepala desa, lalu umumkan di laman dan media sosial. " * 6
        + "'",
    ],
)
def test_prints_on_one_a4_sheet_in_a_browser(instruction: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: `make system-deps` installs it"
    target = tmp_path / "lembar.html"
    disposisi.write(
        disposisi.sheet(sample(instruction), OFFICE, "Jalan Raya Tuapejat Km 4"), target, pdf=False
    )
    requests: list[str] = []
    with sync_playwright() as play:
        browser = play.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.goto(target.as_uri())
        assert page.locator("h1").inner_text().upper() == "LEMBAR DISPOSISI"
        assert page.locator('[aria-label="dicentang"]').count() == 3
        pdf = page.pdf(format="A4")
        page.screenshot(path=str(tmp_path / "lembar.png"), full_page=True)
        browser.close()
    assert requests == [target.as_uri()]  # nothing fetched from anywhere else
    assert pdf.startswith(b"%PDF")
    assert _pages(pdf) == 1
