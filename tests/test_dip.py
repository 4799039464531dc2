"""Daftar Informasi Publik, exempt information, serta-merta and berkala: real repositories,
real builds, the downloads read back with the csv module and openpyxl."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from xml.etree import ElementTree

import openpyxl
import pytest

from pipeline.duties import board, dip, social
from pipeline.errors import LamanError
from pipeline.model import article, information
from pipeline.site.pelican_plugin import urgent_band
from tests.office import DIP_COLUMNS, FLOW, STEP_BY, Keys, Office, article_text, every_text, laman

MARKER = "BOCOR-EXEMPT-9Z"
NOW = "2024-11-26 08:00"
SITE = "https://kab-kepulauanmentawai.kpu.example"
FULL = (
    "  unit: Subbagian Perencanaan, Data dan Informasi\n"
    "  responsible: Ketua KPU Kabupaten Kepulauan Mentawai\n"
    "  place: Tuapejat\n"
    "  made: {made}\n"
    "  format: [softcopy, hardcopy]\n"
    "  retention: {{active: 2 tahun, inactive: 3 tahun}}\n"
)
DOCUMENT = """title: Keputusan KPU tentang Penetapan DPT Pemilu 2024
summary: Salinan keputusan penetapan rekapitulasi DPT tingkat kabupaten.
class: setiap-saat
unit: Subbagian Perencanaan, Data dan Informasi
responsible: Sekretaris KPU Kabupaten Kepulauan Mentawai
made: 2023-06-21
place: Tuapejat
format: [softcopy, hardcopy]
retention: {active: 5 tahun, inactive: permanen}
file: dokumen/sk-dpt-2024.pdf
"""


def walk_full(
    office: Office,
    ident: str,
    info_class: str,
    *,
    to: str = "verified",
    made: str = "2023-06-21",
    **fields: object,
) -> None:
    """Like `Office.walk`, with a complete `information` block (the DIP's columns)."""
    path = str(fields.pop("path", office.file(ident)))
    extra = FULL.format(made=made)
    swaps = dict(fields.pop("swaps", {}))  # type: ignore[call-overload]

    def text(stage: str) -> str:
        plain = without_dip_columns(article_text(ident, stage, information=info_class, **fields))
        head = f"information:\n  class: {info_class}\n"
        plain = plain.replace(head, head + extra, 1)
        for old, new in swaps.items():
            plain = plain.replace(old, new)
        return plain

    for stage in FLOW[: FLOW.index(to) + 1]:
        office.repo.write(path, text(stage))
        office.repo.commit(f"{ident}: {stage}", office.keys[STEP_BY.get(stage, "pj")])


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory, keys: Keys) -> Office:
    """One item of each public class, a page, a listed document, and an exempt item with a
    marker everywhere it could be written."""
    made = Office(tmp_path_factory.mktemp("dip"), keys, site=True)
    walk_full(made, "dpt", "berkala", title="Penetapan DPT Pemilu 2024", summary="Rekapitulasi DPT.")
    walk_full(
        made,
        "tps",
        "serta-merta",
        made="2024-11-25",
        title="TPS 02 Saumanganyak Dipindahkan",
        summary="Gelombang tinggi, TPS dipindahkan.",
        date="2024-11-25 16:00",
        category="Pengumuman",
        channels="[website, facebook, x, whatsapp]",
    )
    walk_full(
        made,
        "ppid",
        "setiap-saat",
        title="PPID",
        summary="Layanan informasi publik.",
        category="PPID",
        path="content/halaman/ppid.md",
    )
    made.repo.write("content/dokumen/sk-dpt-2024.yml", DOCUMENT)
    made.repo.write("content/dokumen/sk-dpt-2024.pdf", b"%PDF-1.4\n% contoh\n")
    made.repo.commit("DIP: SK penetapan DPT", keys["pj"])
    walk_full(
        made,
        "rahasia",
        "dikecualikan",
        to="submitted",
        title=f"Kajian {MARKER}",
        summary=f"Ringkas {MARKER}",
        body=f"Teks {MARKER}\n",
        channels="[website, facebook, x]",
        swaps={
            "legal_basis: UU 14/2008 Pasal 17 huruf c": f"legal_basis: UU 14/2008 Pasal 17 huruf c {MARKER}",
            "unit: Subbagian Perencanaan, Data dan Informasi": f"unit: Unit {MARKER}",
        },
    )
    return made


@pytest.fixture(scope="module")
def built(office: Office) -> Path:
    here = os.getcwd()
    os.chdir(office.path)
    try:
        result = laman("build", "--now", NOW)
    finally:
        os.chdir(here)
    assert result.exit_code == 0, result.output
    return office.path / "output"


@pytest.fixture
def in_office(office: Office, monkeypatch: pytest.MonkeyPatch) -> Office:
    monkeypatch.chdir(office.path)
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.delenv("LAMAN_LANG", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    return office


# ---- the public list --------------------------------------------------------------------------


def test_dip_page_has_the_seven_columns_grouped_by_class(built: Path) -> None:
    page = (built / "ppid/daftar-informasi-publik/index.html").read_text()
    headings = re.findall(r'<th scope="col">([^<]+)</th>', page)
    assert headings == [h[0] for h in dip.HEADINGS]
    groups = re.findall(r'<th scope="rowgroup"[^>]*>([^<]+)</th>', page)
    assert groups == [dip.GROUPS[c][0] for c in ("berkala", "serta-merta", "setiap-saat")]
    table = page[page.index("<table") :]
    assert (
        table.index("Penetapan DPT Pemilu 2024") < table.index("TPS 02 Saumanganyak") < table.index(">PPID<")
    )
    assert "21 Juni 2023, Tuapejat" in page and "aktif 2 tahun; inaktif 3 tahun" in page
    assert 'href="https://kab-kepulauanmentawai.kpu.example/ppid/daftar-informasi-publik/dip.csv"' in page
    assert 'href="https://kab-kepulauanmentawai.kpu.example/ppid/daftar-informasi-publik/dip.xlsx"' in page
    assert 'href="https://kab-kepulauanmentawai.kpu.example/dokumen/sk-dpt-2024.pdf"' in page
    assert (built / "dokumen/sk-dpt-2024.pdf").is_file()
    assert not (built / "dokumen/sk-dpt-2024.yml").exists()  # the listing, not a stray file


def _csv_rows(built: Path) -> list[dict[str, str]]:
    raw = (built / "ppid/daftar-informasi-publik/dip.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_download_reads_back(built: Path) -> None:
    rows = _csv_rows(built)
    assert list(rows[0]) == [h[0] for h in (*dip.HEADINGS, *dip.EXTRA_HEADINGS)]
    assert [r["Nomor"] for r in rows] == ["1", "2", "3", "4"]
    assert [r["Klasifikasi informasi"] for r in rows] == [
        "berkala",
        "serta-merta",
        "setiap-saat",
        "setiap-saat",
    ]
    first = rows[0]
    assert first["Ringkasan isi informasi"] == "Penetapan DPT Pemilu 2024 — Rekapitulasi DPT."
    assert first["Pejabat atau unit/satuan kerja yang menguasai informasi"] == (
        "Subbagian Perencanaan, Data dan Informasi"
    )
    assert (
        first["Penanggung jawab pembuatan atau penerbitan informasi"]
        == "Ketua KPU Kabupaten Kepulauan Mentawai"
    )
    assert first["Waktu dan tempat pembuatan informasi"] == "21 Juni 2023, Tuapejat"
    assert first["Bentuk informasi yang tersedia"] == "softcopy, hardcopy"
    assert first["Jangka waktu penyimpanan atau retensi arsip"] == "aktif 2 tahun; inaktif 3 tahun"
    assert first["Tautan"] == "https://kab-kepulauanmentawai.kpu.example/dpt/"
    document = next(r for r in rows if r["Ringkasan isi informasi"].startswith("Keputusan KPU"))
    assert document["Tautan"] == "https://kab-kepulauanmentawai.kpu.example/dokumen/sk-dpt-2024.pdf"
    assert document["Jangka waktu penyimpanan atau retensi arsip"] == "aktif 5 tahun; inaktif permanen"


def test_xlsx_download_reads_back(built: Path) -> None:
    book = openpyxl.load_workbook(built / "ppid/daftar-informasi-publik/dip.xlsx")
    sheet = book.active
    values = [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
    csv_rows = _csv_rows(built)
    assert values[0] == list(csv_rows[0])
    assert values[1:] == [list(r.values()) for r in csv_rows]
    assert all(cell.font.bold for cell in sheet[1])
    assert not sheet["A2"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width == dip.DIP_WIDTHS[1]
    assert sheet.auto_filter.ref == f"A1:I{len(values)}"


def test_laman_dip_lists_the_publishable(in_office: Office, tmp_path: Path) -> None:
    result = laman("dip", "--output", str(tmp_path / "dip.xlsx"))
    assert result.exit_code == 0, result.output
    assert "Penetapan DPT Pemilu 2024" in result.output and "Keputusan KPU" in result.output
    assert MARKER not in result.output
    rows = list(openpyxl.load_workbook(tmp_path / "dip.xlsx").active.iter_rows(values_only=True))
    assert len(rows) == 5


# ---- exempt information -----------------------------------------------------------------------


def test_exempt_item_leaks_nowhere(built: Path) -> None:
    leaks = [(where, m) for where, text in every_text(built) for m in re.findall(MARKER, text)]
    assert leaks == []
    names = [p.relative_to(built).as_posix() for p in built.rglob("*")]
    assert not [n for n in names if "rahasia" in n]  # no page, no social kit, no image
    assert sorted(p.name for p in (built / "social").iterdir()) == ["dpt", "tps"]
    urls = [e.text or "" for e in ElementTree.parse(built / "sitemap.xml").iter() if e.tag.endswith("loc")]
    assert urls and not [u for u in urls if "rahasia" in u]
    # The places it would be looked for are there, and hold the public items.
    assert "Penetapan DPT Pemilu 2024" in (built / "feeds/semua.atom.xml").read_text()
    assert any("Penetapan DPT" in text for where, text in every_text(built / "cari/indeks"))
    assert len(_csv_rows(built)) == 4


def test_exempt_is_refused_again_by_the_dip_and_the_kit(tmp_path: Path) -> None:
    """Second locks: were an exempt item ever handed to them, neither the DIP nor the social kit
    would write it."""
    meta = {
        "title": MARKER,
        "summary": MARKER,
        "channels": ["facebook", "x"],
        "information": {"class": "dikecualikan", "unit": MARKER},
    }
    assert dip.item_from_meta(meta, url="x/", source="x.md") is None
    listed = dip.Item("dikecualikan", MARKER, None, None, None, None, None, (), None, None, "x.md")
    assert dip.table([listed]) == ()
    post = social.post_from_meta(meta, "https://example.id/x/", "x", None)
    assert social.captions(post) == {}
    assert social.write_kit(tmp_path, post, "KPU", "example.id") == []
    assert list(tmp_path.iterdir()) == []


def test_exempt_list_is_internal(in_office: Office, tmp_path: Path) -> None:
    result = laman("dip", "--exempt", "--output", str(tmp_path / "dikecualikan.xlsx"))
    assert result.exit_code == 0, result.output
    assert "Daftar Informasi yang Dikecualikan" in result.output
    rows = list(openpyxl.load_workbook(tmp_path / "dikecualikan.xlsx").active.iter_rows(values_only=True))
    assert rows[0] == tuple(h[0] for h in dip.EXEMPT_HEADINGS)
    assert rows[1][1:4] == (f"Kajian {MARKER}", "content/berita/rahasia.md", "submitted")
    assert rows[1][5:] == (
        f"UU 14/2008 Pasal 17 huruf c {MARKER}",
        "Membahayakan pengamanan logistik",
        "2 tahun",
        "01/PPID/2023",
    )
    assert laman("dip", "--exempt", "--output", str(tmp_path / "d.md")).exit_code == 0
    assert "| 1 | Kajian BOCOR-EXEMPT-9Z | content/berita/rahasia.md |" in (tmp_path / "d.md").read_text()
    for folder in ("output", "content/dokumen"):
        refused = laman("dip", "--exempt", "--output", f"{folder}/dikecualikan.csv")
        assert refused.exit_code == 1
        assert (
            f"DIP004 Daftar informasi yang dikecualikan tidak boleh ditulis ke `{folder}/dikecualikan.csv`"
            in (refused.output)
        )
        assert not (in_office.path / folder / "dikecualikan.csv").exists()


EXEMPT_NO_RECORD = (
    "---\nid: tanpa-uji\ntitle: Kajian\nstage: planned\ninformation:\n  class: dikecualikan\n---\nTeks.\n"
)


def test_exempt_item_without_its_record_is_refused(in_office: Office) -> None:
    path = "content/berita/tanpa-uji.md"
    in_office.repo.write(path, EXEMPT_NO_RECORD)
    try:
        result = laman("validate", path)
        assert result.exit_code == 1
        assert result.output == (
            f"{path}:6:10: ART008 Informasi yang dikecualikan tidak punya catatan uji konsekuensi "
            "(`information.exemption`).\n"
            "    → Isi `exemption` dengan `legal_basis` (pasal UU 14/2008 Pasal 17), `consequence`, "
            "`period` dan `decision` (nomor keputusan PPID).\n"
            "1 masalah\n"
        )
        english = laman("--lang", "en", "validate", path)
        assert (
            f"{path}:6:10: ART008 Exempt information has no consequence-test record (`information.exemption`)."
            in (english.output)
        )
        listed = laman("dip", "--exempt")
        assert listed.exit_code == 1
        assert (
            f"{path}: DIP005 Informasi yang dikecualikan `{path}` belum punya catatan uji konsekuensi."
            in (listed.output)
        )
    finally:
        (in_office.path / path).unlink()


# ---- what a publishable item and a listed document must carry --------------------------------


def without_dip_columns(text: str) -> str:
    """`information: {class: berkala}` and nothing more."""
    return "".join(line for line in text.splitlines(keepends=True) if line.rstrip("\n") not in DIP_COLUMNS)


def test_publishable_item_needs_the_dip_fields(sop: object) -> None:
    text = without_dip_columns(article_text("a1", "verified"))
    item = article.parse(text, "content/berita/a1.md")
    problems = article.check(item, sop)  # type: ignore[arg-type]
    assert [(p.code, p.args["key"]) for p in problems] == [("DIP001", k) for k in information.REQUIRED]
    first = problems[0]
    assert first.format() == (
        "content/berita/a1.md:17:3: DIP001 Naskah yang diserahkan untuk verifikasi wajib mengisi kolom "
        "Daftar Informasi Publik `information.unit`.\n"
        "    → Isi `information.unit` (pejabat atau unit yang menguasai informasi) sebelum naskah diserahkan "
        "untuk verifikasi."
    )
    # Asked from the submission on, while someone may still fill them in; not before.
    for stage, expected in (("submitted", 6), ("corrected", 0)):
        found = article.check(article.parse(without_dip_columns(article_text("a1", stage)), "a.md"), sop)  # type: ignore[arg-type]
        assert [p.code for p in found] == ["DIP001"] * expected


def test_document_files_are_strict(tmp_path: Path) -> None:
    assert dip.load_document(DOCUMENT.replace("file: dokumen/sk-dpt-2024.pdf\n", ""), "d.yml").unit
    cases = {
        "class: setiap-saat": ("class: dikecualikan", "SCH004"),
        "unit: Subbagian": ("unitt: Subbagian", "SCH001"),
        "made: 2023-06-21": ("made: 2023-02-30", "SCH008"),
        "place: Tuapejat": ("place: Tuapejat\nplace: Sipora", "YAML002"),
        "format: [softcopy, hardcopy]": ("format: !!str softcopy", "YAML003"),
    }
    for old, (new, code) in cases.items():
        with pytest.raises(LamanError) as caught:
            dip.load_document(DOCUMENT.replace(old, new), "content/dokumen/d.yml", tmp_path)
        assert code in [p.code for p in caught.value.problems], (new, caught.value)
    with pytest.raises(LamanError) as missing_file:
        dip.load_document(DOCUMENT, "content/dokumen/d.yml", tmp_path)
    assert [(p.code, p.line) for p in missing_file.value.problems] == [("DIP003", 10)]


def test_validate_checks_the_listed_documents(in_office: Office) -> None:
    assert laman("validate").exit_code == 0
    broken = in_office.path / "content/dokumen/rusak.yml"
    broken.write_text(DOCUMENT.replace("unit:", "unit_:"))
    try:
        result = laman("validate")
        assert result.exit_code == 1
        assert "content/dokumen/rusak.yml:4:1: SCH001 Kunci `unit_` tidak dikenal." in result.output
    finally:
        broken.unlink()


# ---- serta-merta ------------------------------------------------------------------------------


def test_serta_merta_has_its_own_feed(built: Path) -> None:
    feed = ElementTree.parse(built / "feeds/serta-merta.atom.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [t.text for t in feed.findall("a:entry/a:title", ns)]
    assert titles == ["TPS 02 Saumanganyak Dipindahkan"]
    assert "serta-merta" in (feed.findtext("a:title", namespaces=ns) or "")


def _band(home: Path) -> bool:
    return 'class="urgent"' in home.read_text()


def test_urgent_band_appears_while_current_and_goes_after(
    in_office: Office, built: Path, tmp_path: Path
) -> None:
    home = (built / "index.html").read_text()
    assert _band(built / "index.html")
    assert "Informasi serta-merta" in home and "TPS 02 Saumanganyak Dipindahkan" in home
    later = tmp_path / "later"
    result = laman("build", "--now", "2024-12-03 08:00", "--output", str(later))  # 7 days and a bit
    assert result.exit_code == 0, result.output
    assert not _band(later / "index.html")
    assert "TPS 02 Saumanganyak Dipindahkan" in (later / "index.html").read_text()  # still in the news


def test_urgent_band_window_and_now_settings() -> None:
    item = SimpleNamespace(
        laman_information={"class": "serta-merta"}, date=datetime(2024, 11, 25, 9, tzinfo=UTC)
    )
    other = SimpleNamespace(
        laman_information={"class": "berkala"}, date=datetime(2024, 11, 25, 9, tzinfo=UTC)
    )

    def band(now: datetime, **settings: object) -> list[object]:
        generator = SimpleNamespace(
            articles=[item, other], settings={"LAMAN_NOW": now, **settings}, context={}
        )
        urgent_band(generator)
        return generator.context["LAMAN_URGENT"]

    day = timedelta(days=1)
    assert band(item.date + day) == [item]
    assert band(item.date - day) == []  # not before it was dated
    assert band(item.date + 8 * day) == []
    assert band(item.date + 2 * day, LAMAN_URGENT_DAYS=1) == []
    assert band(item.date + 2 * day, LAMAN_URGENT_DAYS=3) == [item]


# ---- berkala ----------------------------------------------------------------------------------


def test_periodic_items_warn_after_six_months(sop: object, team: object) -> None:
    def row(stage: str, info: str, date: str, modified: str | None = None) -> board.Row:
        text = article_text(
            "a1", stage, information=info, date=date, **({"modified": modified} if modified else {})
        )
        item = article.parse(text, "a1.md")
        now = datetime(2024, 11, 26, 8, tzinfo=UTC)
        return board.rows([item], sop, team, {}, now)[0]  # type: ignore[arg-type]

    assert row("verified", "berkala", "2024-05-25 10:00").stale_periodic
    assert not row("verified", "berkala", "2024-05-27 10:00").stale_periodic
    assert not row("verified", "berkala", "2023-01-01 10:00", modified="2024-10-01 10:00").stale_periodic
    assert not row("verified", "setiap-saat", "2020-01-01 10:00").stale_periodic
    assert not row("drafted", "berkala", "2020-01-01 10:00").stale_periodic  # not published yet
    assert board.months_before(datetime(2024, 8, 31, tzinfo=UTC), 6) == datetime(2024, 2, 29, tzinfo=UTC)
    assert row("verified", "berkala", "2020-01-01 10:00").as_dict()["stale_periodic"] is True


def test_status_shows_the_periodic_warning(in_office: Office) -> None:
    board_json = laman("status", "--json").output
    rows = {r["id"]: r for r in json.loads(board_json)}
    assert rows["dpt"]["stale_periodic"] is True  # dated 6 March 2023
    assert rows["tps"]["stale_periodic"] is False  # serta-merta: not periodic
    text = laman("status").output
    assert "Penetapan DPT Pemilu 2024 ⚠ berkala: belum diperbarui 6 bulan" in text
    assert "periodic: not updated for 6 months" in laman("--lang", "en", "status").output


def test_dip_page_is_accessible_in_a_browser(built: Path, tmp_path: Path) -> None:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    local = tmp_path / "site"
    shutil.copytree(built, local)
    # The published settings write absolute addresses; point them at the copy on disk.
    page_file = local / "ppid/daftar-informasi-publik/index.html"
    page_file.write_text(page_file.read_text().replace(SITE, local.as_uri()))
    with sync_playwright() as play:
        browser = play.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for width in (390, 1280):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(page_file.as_uri())
            assert page.locator("table tbody tr").count() == 3 + 4  # a heading row per group
            results = Axe().run(page)
            bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
            assert bad == [], [(v["id"], v["help"]) for v in bad]
            page.screenshot(path=str(tmp_path / f"dip-{width}.png"), full_page=True)
        browser.close()
