"""`laman recap`: a month of real, signed SOP history and generated access logs, every figure
asserted; the workbook read back; the HTML page opened in headless Chromium."""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from pipeline import recap
from pipeline.cli import main
from pipeline.errors import LamanError
from pipeline.model.dates import WIB
from pipeline.model.project import load_project
from pipeline.model.sop import Sop, load_sop
from pipeline.proof.check import run_check
from pipeline.proof.history import Repository
from pipeline.recap import workbook
from pipeline.recap.readers import Counts, DayCount, PageCount
from tests.gitrepo import make_identity
from tests.office import BY, FLOW, SOP_TEXT, Keys, Office, article_text, make_keys
from tests.test_readers import CHROME, FIREFOX, GOOGLEBOT, INSTAGRAM, ln

CHROMIUM = "/usr/bin/chromium"
TITLES = {
    "a1": "Rapat Pleno DPT",
    "b2": "Pengumuman Jadwal Kampanye",
    "c3": "Bimtek KPPS",
    "d4": "Rekrutmen PPK",
    "e5": "Rapat Koordinasi Logistik",
    "f6": "Sosialisasi Pemilih Pemula",
    "g7": "Penetapan Daftar Calon Tetap",
    "h9": "Pengumuman Hasil Seleksi",
    "s8": "Pemindahan TPS Saumanganyak",
}


def wib(text: str) -> str:
    """`03-01 08:00` -> an ISO 8601 time in 2023, WIB."""
    return f"2023-{text[:5]}T{text[6:]}:00+07:00"


@dataclass(frozen=True)
class Built:
    office: Office
    root: Path
    logs: tuple[Path, ...]


def _step(office: Office, ident: str, stage: str, who: str, when: str, **fields: object) -> str:
    office.repo.write(office.file(ident), article_text(ident, stage, title=TITLES[ident], **fields))
    return office.repo.commit(f"{ident}: {stage}", office.keys[who], date=when)


def _walk(office: Office, ident: str, times: list[str], **fields: object) -> None:
    """Take the article through the flow, one signed commit per step at the given WIB times."""
    for stage, when in zip(FLOW, times, strict=False):
        _step(office, ident, stage, BY[stage], wib(when) if "T" not in when else when, **fields)


def _history(office: Office) -> None:
    # f6: written in February, verified at 18.30 UTC on 28 February = 1 March 01.30 WIB.
    _walk(
        office,
        "f6",
        [
            "02-27 08:00",
            "02-27 09:00",
            "02-27 10:00",
            "02-27 14:00",
            "02-28 08:00",
            "02-28 10:00",
            "2023-02-28T18:30:00+00:00",
        ],
    )
    # a1: the plain flow.
    _walk(
        office,
        "a1",
        [
            "03-01 08:00",
            "03-01 10:00",
            "03-01 14:00",
            "03-02 09:00",
            "03-02 15:00",
            "03-03 09:00",
            "03-03 11:00",
        ],
    )
    # b2: sent back at step 7 with a reason, corrected, submitted again, verified.
    for stage, when in zip(
        FLOW[:6],
        ["03-06 08:00", "03-06 09:00", "03-06 10:00", "03-06 16:00", "03-07 08:00", "03-07 10:00"],
        strict=True,
    ):
        _step(office, "b2", stage, BY[stage], wib(when), category="Pengumuman")
    reason = "Foto belum diberi keterangan"
    _step(office, "b2", "corrected", "koor", wib("03-07 13:00"), category="Pengumuman", revision=reason)
    fixed = {"category": "Pengumuman", "revision": reason, "body": "Isi naskah, foto diberi keterangan.\n"}
    _step(office, "b2", "corrected", "pasca", wib("03-08 09:00"), **fixed)
    _step(office, "b2", "submitted", "redaktur", wib("03-08 10:00"), **fixed)
    _step(office, "b2", "verified", "koor", wib("03-08 11:00"), **fixed)
    # c3: three days and three hours in `drafted`, over its limit of two days.
    _walk(
        office,
        "c3",
        [
            "03-09 08:00",
            "03-09 09:00",
            "03-09 10:00",
            "03-10 09:00",
            "03-13 12:00",
            "03-13 14:00",
            "03-14 09:00",
        ],
    )
    # g7: verified on 15 March under an embargo that ends on 16 March.
    _walk(
        office,
        "g7",
        [
            "03-13 08:00",
            "03-13 09:00",
            "03-13 10:00",
            "03-13 15:00",
            "03-14 10:00",
            "03-14 12:00",
            "03-15 10:00",
        ],
        publish_at="2023-03-16 08:00",
    )
    # d4: still being written at the month's end, long over the limit.
    _walk(office, "d4", ["03-20 08:00", "03-20 09:00", "03-20 10:00", "03-21 09:00"])
    # s8: urgent information, on the fast track: five hours in `drafted` against three.
    _walk(
        office,
        "s8",
        [
            "03-22 08:00",
            "03-22 08:30",
            "03-22 09:00",
            "03-22 10:00",
            "03-22 15:00",
            "03-22 15:30",
            "03-22 16:00",
        ],
        category="Pengumuman",
        information="serta-merta",
    )
    # h9: verified in March, but its embargo ends in April.
    _walk(
        office,
        "h9",
        [
            "03-23 08:00",
            "03-23 09:00",
            "03-23 10:00",
            "03-23 16:00",
            "03-24 08:00",
            "03-24 09:00",
            "03-24 10:00",
        ],
        publish_at="2023-04-02 08:00",
    )
    # e5: verified at 20.00 UTC on 31 March = 1 April 03.00 WIB: April's, waiting at March's end.
    _walk(
        office,
        "e5",
        [
            "03-30 08:00",
            "03-30 09:00",
            "03-30 10:00",
            "03-30 14:00",
            "03-31 09:00",
            "03-31 13:00",
            "2023-03-31T20:00:00+00:00",
        ],
    )


IPS = ("203.0.113.5", "2001:db8::7", "198.51.100.9", "192.0.2.1", "66.249.66.1", "203.0.113.44")
AGENTS = (CHROME, FIREFOX, INSTAGRAM, GOOGLEBOT, "curl/7.88.1")


def _logs(folder: Path) -> tuple[Path, ...]:
    """A rotated nginx log set: the newest plain, one older plain, the oldest gzipped, with
    lines out of order across the files."""
    folder.mkdir()
    newest = [
        ln("203.0.113.5", "03/Mar/2023:12:00:00 +0700", "/a1/", referer="https://www.google.com/"),
        ln("2001:db8::7", "04/Mar/2023:09:00:00 +0700", "/a1/?utm_source=whatsapp", agent=FIREFOX),
        ln("2001:db8::7", "31/Mar/2023:17:30:00 +0000", "/b2/", agent=FIREFOX),  # 1 April WIB
        ln("66.249.66.1", "05/Mar/2023:01:00:00 +0700", "/a1/", agent=GOOGLEBOT),
        ln("192.0.2.1", "05/Mar/2023:01:00:01 +0700", "/b2/", agent="curl/7.88.1"),
        ln("203.0.113.5", "05/Mar/2023:01:00:02 +0700", "/theme/css/style.css"),
        b"\x16\x03\x01\x02\x00\x01\x00",
    ]
    older = [
        ln(
            "203.0.113.5",
            "08/Mar/2023:12:00:00 +0700",
            "/b2/",
            referer="https://l.instagram.com/",
            agent=INSTAGRAM,
        ),
        ln("203.0.113.5", "14/Mar/2023:10:00:00 +0700", "/c%33/", referer="https://t.co/k"),
        ln("203.0.113.5", "14/Mar/2023:10:05:00 +0700", "/tidak-ada/", status=404),
        ln("203.0.113.5", "14/Mar/2023:10:06:00 +0700", "/c3/", status=304),
        ln("203.0.113.5", "14/Mar/2023:10:07:00 +0700", "/c3/", method="HEAD"),
    ]
    oldest = [
        ln("203.0.113.5", "03/Mar/2023:15:00:00 +0700", "/a1/index.html"),  # later than a newer file's line
        ln("198.51.100.9", "28/Feb/2023:17:30:00 +0000", "/f6/"),  # 1 March 00.30 WIB
        ln("203.0.113.44", "28/Feb/2023:23:00:00 +0700", "/f6/"),
        ln("203.0.113.5", "02/Mar/2023:10:00:00 +0700", "/"),
    ]
    (folder / "access.log").write_bytes(b"\n".join(newest) + b"\n")
    (folder / "access.log.1").write_bytes(b"\r\n".join(older) + b"\r\n")
    with gzip.open(folder / "access.log.2.gz", "wb") as gz:
        gz.write(b"\n".join(oldest) + b"\n")
    return (folder / "access.log", folder / "access.log.1", folder / "access.log.2.gz")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("recap")
    office = Office(folder, make_keys(folder / "keys"))
    _history(office)
    checked = office.check()
    assert checked.violations == (), [v.format("en") for v in checked.violations]
    return Built(office, office.path, _logs(folder / "logs"))


@pytest.fixture(scope="module")
def report(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("rekap")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(built.root)
        patch.delenv("LAMAN_SITEURL", raising=False)
        result = CliRunner().invoke(
            main, ["--lang", "id", "recap", "2023-03", "--logs", *map(str, built.logs), "--out", str(out)]
        )
    assert result.exit_code == 0, result.output + repr(result.exception)
    assert "Rekap Maret 2023: 6 naskah terbit, 1 dikembalikan, 2 masih dalam proses." in result.output
    assert "Pembaca: 6 tayangan, 5 pembaca-hari (16 baris, 1 rusak, 2 bot)." in result.output
    return out


def _csv(folder: Path, table: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((folder / f"rekap-2023-03-{table}.csv").read_text("utf-8"))))


# ---- every figure -------------------------------------------------------------------------------------


def test_published_in_march(report: Path) -> None:
    assert _csv(report, "terbit") == [
        ["waktu", "id", "judul", "kategori", "kelas_informasi", "diverifikasi_oleh", "commit", "embargo"],
        [
            "2023-03-01T01:30+07:00",
            "f6",
            TITLES["f6"],
            "Berita",
            "berkala",
            "Koordinator Liputan",
            *_any(1),
            "tidak",
        ],
        [
            "2023-03-03T11:00+07:00",
            "a1",
            TITLES["a1"],
            "Berita",
            "berkala",
            "Koordinator Liputan",
            *_any(1),
            "tidak",
        ],
        [
            "2023-03-08T11:00+07:00",
            "b2",
            TITLES["b2"],
            "Pengumuman",
            "berkala",
            "Koordinator Liputan",
            *_any(1),
            "tidak",
        ],
        [
            "2023-03-14T09:00+07:00",
            "c3",
            TITLES["c3"],
            "Berita",
            "berkala",
            "Koordinator Liputan",
            *_any(1),
            "tidak",
        ],
        [
            "2023-03-16T08:00+07:00",
            "g7",
            TITLES["g7"],
            "Berita",
            "berkala",
            "Koordinator Liputan",
            *_any(1),
            "ya",
        ],
        [
            "2023-03-22T16:00+07:00",
            "s8",
            TITLES["s8"],
            "Pengumuman",
            "serta-merta",
            "Koordinator Liputan",
            *_any(1),
            "tidak",
        ],
    ]
    assert _csv(report, "per_kategori") == [
        ["kategori", "jumlah"],
        ["Berita", "4"],
        ["Pengumuman", "2"],
        ["Profil", "0"],
        ["PPID", "0"],
        ["Regulasi", "0"],
        ["Kontak", "0"],
    ]
    assert _csv(report, "per_kelas") == [
        ["kelas_informasi", "jumlah"],
        ["berkala", "5"],
        ["serta-merta", "1"],
        ["setiap-saat", "0"],
    ]


class _Any(str):
    """A commit id: any 12 hex digits."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and len(other) == 12 and all(c in "0123456789abcdef" for c in other)

    __hash__ = str.__hash__


def _any(n: int) -> list[str]:
    return [_Any("commit")] * n


def test_the_commit_named_is_the_verifying_one(report: Path, built: Built) -> None:
    verified = built.office.repo.git("log", "--format=%h %s", "--abbrev=12", "--grep=: verified$").split("\n")
    by_article = {line.split()[1].rstrip(":"): line.split()[0] for line in verified if line}
    rows = _csv(report, "terbit")[1:]
    assert {r[1]: r[6] for r in rows} == {k: by_article[k] for k in ("f6", "a1", "b2", "c3", "g7", "s8")}


PJ = "Penanggung Jawab (Pemimpin Redaksi/Wakil Pemimpin Redaksi)"


def test_steps_by_person_and_role(report: Path) -> None:
    assert _csv(report, "per_orang") == [
        ["tahap", "jenis", "orang", "peran", "jumlah"],
        ["Langkah 1: Proyeksi redaksi", "dibuat", "Penanggung Jawab", PJ, "8"],
        ["Langkah 2: Disposisi diteruskan ke sekretariat", "—", "Penanggung Jawab", PJ, "8"],
        ["Langkah 3: Penugasan penyusunan materi", "—", "Redaktur Pelaksana", "Redaktur Pelaksana", "8"],
        ["Langkah 5: Materi publikasi disusun", "—", "Penulis Satu", "Tim Peliputan", "8"],
        ["Langkah 5: Materi terkoreksi", "—", "Pasca Produksi", "Tim Pasca Produksi", "7"],
        [
            "Langkah 5: Materi terkoreksi",
            "dikembalikan untuk perbaikan",
            "Koordinator Liputan",
            "Koordinator Liputan",
            "1",
        ],
        ["Langkah 6: Diserahkan untuk verifikasi", "—", "Redaktur Pelaksana", "Redaktur Pelaksana", "8"],
        ["Langkah 7: Terverifikasi", "—", "Koordinator Liputan", "Koordinator Liputan", "7"],
    ]


def test_time_in_each_stage_against_its_limit(report: Path) -> None:
    # Minutes: limit, stays ended in March, median (the lower middle), longest, overran.
    assert _csv(report, "waktu_tahap") == [
        ["tahap", "batas", "jumlah", "median", "terlama", "lewat_batas"],
        ["Langkah 1: Proyeksi redaksi", "2880", "8", "60", "120", "0"],
        ["Langkah 2: Disposisi diteruskan ke sekretariat", "1440", "8", "60", "240", "0"],
        ["Langkah 3: Penugasan penyusunan materi", "1440", "8", "360", "1380", "0"],
        ["Langkah 5: Materi publikasi disusun", "2880", "7", "960", "4500", "2"],
        ["Langkah 5: Materi terkoreksi", "1440", "8", "120", "1260", "0"],
        ["Langkah 6: Diserahkan untuk verifikasi", "1440", "8", "120", "1320", "0"],
    ]
    assert _csv(report, "lewat_batas") == [
        ["id", "judul", "tahap", "masuk", "keluar", "lama", "batas"],
        [
            "c3",
            TITLES["c3"],
            "Langkah 5: Materi publikasi disusun",
            "2023-03-10T09:00+07:00",
            "2023-03-13T12:00+07:00",
            "4500",
            "2880",
        ],
        # The fast track of urgent information: three hours, not two days.
        [
            "s8",
            TITLES["s8"],
            "Langkah 5: Materi publikasi disusun",
            "2023-03-22T10:00+07:00",
            "2023-03-22T15:00+07:00",
            "300",
            "180",
        ],
        [
            "d4",
            TITLES["d4"],
            "Langkah 5: Materi publikasi disusun",
            "2023-03-21T09:00+07:00",
            "",
            "15300",
            "2880",
        ],
    ]


def test_revisions_and_open_items(report: Path) -> None:
    assert _csv(report, "revisi") == [
        ["waktu", "id", "judul", "dari", "ke", "oleh", "alasan"],
        [
            "2023-03-07T13:00+07:00",
            "b2",
            TITLES["b2"],
            "Langkah 6: Diserahkan untuk verifikasi",
            "Langkah 5: Materi terkoreksi",
            "Koordinator Liputan",
            "Foto belum diberi keterangan",
        ],
    ]
    assert _csv(report, "terbuka") == [
        ["id", "judul", "tahap", "sejak", "lama", "batas", "lewat_batas"],
        [
            "d4",
            TITLES["d4"],
            "Langkah 5: Materi publikasi disusun",
            "2023-03-21T09:00+07:00",
            "15300",
            "2880",
            "ya",
        ],
        [
            "e5",
            TITLES["e5"],
            "Langkah 6: Diserahkan untuk verifikasi",
            "2023-03-31T13:00+07:00",
            "660",
            "1440",
            "tidak",
        ],
    ]


def test_readers(report: Path) -> None:
    channels = ["search", "facebook", "instagram", "whatsapp", "x", "direct", "internal", "other"]
    assert _csv(report, "pembaca") == [
        ["id", "judul", "alamat", "tayangan", "pembaca_hari", *(f"pembaca_{c}" for c in channels)],
        ["a1", TITLES["a1"], "/a1/", "3", "2", "1", "0", "0", "1", "0", "0", "0", "0"],
        ["c3", TITLES["c3"], "/c3/", "1", "1", "0", "0", "0", "0", "1", "0", "0", "0"],
        ["b2", TITLES["b2"], "/b2/", "1", "1", "0", "0", "1", "0", "0", "0", "0", "0"],
        ["f6", TITLES["f6"], "/f6/", "1", "1", "0", "0", "0", "0", "0", "1", "0", "0"],
    ]
    days = _csv(report, "harian")
    assert days[0] == ["tanggal", "terbit", "tayangan", "pembaca"]
    assert len(days) == 32
    busy = {row[0]: row[1:] for row in days[1:] if row[1:] != ["0", "0", "0"]}
    assert busy == {
        "2023-03-01": ["1", "1", "1"],
        "2023-03-03": ["1", "2", "1"],
        "2023-03-04": ["0", "1", "1"],
        "2023-03-08": ["1", "1", "1"],
        "2023-03-14": ["1", "1", "1"],
        "2023-03-16": ["1", "0", "0"],
        "2023-03-22": ["1", "0", "0"],
    }


def test_summary(report: Path) -> None:
    assert _csv(report, "ringkasan")[1:] == [
        ["Periode", "Maret 2023"],
        ["Naskah terbit", "6"],
        ["Dikembalikan untuk perbaikan (langkah 7)", "1"],
        ["Masih dalam proses di akhir periode", "2"],
        ["Tahap yang melewati batas waktu", "3"],
        ["Tayangan halaman naskah", "6"],
        ["Pembaca-hari (jumlah pembaca unik per hari)", "5"],
        ["Baris log dibaca", "16"],
        ["Baris log rusak (dilewati)", "1"],
        ["Permintaan bot (tidak dihitung)", "2"],
        ["Berkas statis (tidak dihitung)", "1"],
        ["Bukan 2xx, termasuk 304 (tidak dihitung)", "2"],
        ["Bukan GET, termasuk HEAD (tidak dihitung)", "1"],
        ["Halaman lain (bukan naskah)", "1"],
        ["Di luar periode", "2"],
        ["Penegakan SOP", "aktif"],
        ["Commit", _Any("head")],
    ]


def test_markdown(report: Path) -> None:
    text = (report / "rekap-2023-03.md").read_text("utf-8")
    assert text.startswith("# Rekapitulasi Bulanan Laman — Maret 2023\n")
    assert "| 1 Maret 2023, 01.30 WIB | f6 | Sosialisasi Pemilih Pemula | Berita | berkala |" in text
    assert "| Langkah 5: Materi publikasi disusun | 2 hari | 7 | 16 jam | 3 hari 3 jam | 2 |" in text
    assert (
        "| d4 | Rekrutmen PPK | Langkah 5: Materi publikasi disusun | 21 Maret 2023, 09.00 WIB | 10 hari 15 jam | 2 hari | ya |"
        in text
    )


# ---- the workbook, read back ----------------------------------------------------------------------------


def test_workbook(report: Path) -> None:
    book = load_workbook(report / "rekap-2023-03.xlsx")
    assert book.sheetnames == [
        "Ringkasan",
        "Naskah terbit",
        "Terbit per kategori",
        "Terbit per kelas informasi",
        "Langkah SOP per orang dan peran",
        "Lama di setiap tahap",
        "Melewati batas waktu",
        "Dikembalikan untuk perbaikan",
        "Masih dalam proses",
        "Pembaca per naskah",
        "Per hari",
    ]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert all(cell.font.bold for cell in sheet[1]), sheet.title
        assert all(sheet.column_dimensions[c.column_letter].width >= 8 for c in sheet[1]), sheet.title
    published = book["Naskah terbit"]
    assert [c.value for c in published[1]] == [
        "Waktu terbit",
        "ID",
        "Judul",
        "Kategori",
        "Kelas informasi",
        "Diverifikasi oleh",
        "Commit",
        "Embargo",
    ]
    assert [r[1] for r in published.iter_rows(min_row=2, values_only=True)] == [
        "f6",
        "a1",
        "b2",
        "c3",
        "g7",
        "s8",
    ]
    first = published["A2"]
    assert first.value == datetime(2023, 3, 1, 1, 30)
    assert first.number_format == workbook.DATETIME_FORMAT
    assert published.column_dimensions["C"].width == len(TITLES["g7"]) + 2  # the longest title
    stages = book["Lama di setiap tahap"]
    drafted = next(
        r for r in stages.iter_rows(min_row=2) if r[0].value == "Langkah 5: Materi publikasi disusun"
    )
    assert [c.value for c in drafted[2:]] == [7, timedelta(hours=16), timedelta(hours=75), 2]
    assert drafted[3].number_format == workbook.DURATION_FORMAT
    assert drafted[2].number_format == workbook.ID_NUMBER_FORMAT
    days = book["Per hari"]
    assert days["A4"].value == datetime(2023, 3, 3) and days["A4"].number_format == workbook.DATE_FORMAT
    assert [c.value for c in days[4][1:]] == [1, 2, 1]
    summary = book["Ringkasan"]
    assert list(summary.iter_rows(values_only=True))[8] == ("Baris log dibaca", 16)


def test_the_indonesian_number_format_shows_dots() -> None:
    """The format's sections are what Excel applies: 1234 -> 1.234, 1234567 -> 1.234.567."""
    sections = workbook.ID_NUMBER_FORMAT.split(";")
    assert sections == ['[>=1000000]#"."###"."###', '[>=1000]#"."###', "0"]


# ---- the page, in a real browser -------------------------------------------------------------------------


def test_html_in_headless_chromium(report: Path, tmp_path: Path) -> None:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: `make system-deps` installs it"
    page_file = report / "rekap-2023-03.html"
    requests: list[str] = []
    problems: list[str] = []
    with sync_playwright() as play:
        browser = play.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(page_file.as_uri())
        assert page.locator("h1").inner_text() == "Rekapitulasi Bulanan Laman — Maret 2023"
        headings = page.locator("h2").all_inner_texts()
        assert headings[:3] == ["Grafik harian", "Ringkasan", "Naskah terbit"]
        assert "Pembaca per naskah" in headings and "Dikembalikan untuk perbaikan" in headings
        assert page.locator("svg rect.bar-readers").count() == 31
        assert page.locator("svg rect.bar-posts").count() == 31
        posts = page.locator('rect.bar-posts[data-day="2023-03-03"]')
        assert posts.get_attribute("data-value") == "1"
        readers = page.locator('rect.bar-readers[data-day="2023-03-03"]')
        assert readers.get_attribute("data-value") == "1"
        assert readers.bounding_box()["height"] > 50  # the tallest bar of the month
        assert page.locator('rect.bar-readers[data-day="2023-03-02"]').bounding_box()["height"] == 0
        assert page.locator("svg title").first.text_content() == "Naskah terbit dan pembaca per hari"
        assert page.locator("#terbit tbody tr").count() == 6
        assert page.locator("#pembaca tbody tr").first.locator("td").nth(3).inner_text() == "3"
        results = Axe().run(page)
        bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert bad == [], [(v["id"], v["help"]) for v in bad]
        page.screenshot(path=str(tmp_path / "rekap.png"), full_page=True)
        browser.close()
    assert problems == []
    assert requests == [page_file.as_uri()]  # self-contained: nothing else is fetched
    assert (tmp_path / "rekap.png").stat().st_size > 20_000


# ---- privacy ---------------------------------------------------------------------------------------------


def test_no_address_or_user_agent_is_written(report: Path) -> None:
    texts = []
    for path in report.iterdir():
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                texts += [book.read(name).decode("utf-8", "replace") for name in book.namelist()]
        else:
            texts.append(path.read_text("utf-8"))
    assert len(texts) > 12
    for text in texts:
        for secret in (*IPS, *AGENTS, "Firefox", "Googlebot", "Instagram 273"):
            assert secret not in text


# ---- the command line --------------------------------------------------------------------------------------


def _run(root: Path, *args: str) -> tuple[int, str]:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_logs_given_as_a_quoted_pattern_and_in_english(built: Built, tmp_path: Path) -> None:
    pattern = str(built.logs[0].parent / "access.log*")
    code, output = _run(
        built.root, "--lang", "en", "recap", "2023-03", "--logs", pattern, "--out", str(tmp_path)
    )
    assert code == 0, output
    assert "Recap March 2023: 6 published, 1 sent back, 2 still open." in output
    assert "Readers: 6 views, 5 reader-days (16 lines, 1 malformed, 2 bots)." in output
    text = (tmp_path / "rekap-2023-03.md").read_text("utf-8")
    assert text.startswith("# Monthly website recap — March 2023\n")


def test_a_period_and_a_views_csv(built: Built, tmp_path: Path) -> None:
    export = tmp_path / "views.csv"
    export.write_text("date,path,views,visitors\n2023-03-03,/a1/,40,30\n2023-03-09,/a1/,5,5\n", "utf-8")
    out = tmp_path / "out"
    code, output = _run(
        built.root,
        "recap",
        "--from",
        "2023-03-01",
        "--to",
        "2023-03-08",
        "--views-csv",
        str(export),
        "--out",
        str(out),
    )
    assert code == 0, output
    assert "3 naskah terbit" in output
    rows = list(csv.reader((out / "rekap-2023-03-01_2023-03-08-pembaca.csv").open(encoding="utf-8")))
    assert rows == [
        ["id", "judul", "alamat", "tayangan", "pembaca_hari"],
        ["a1", TITLES["a1"], "/a1/", "40", "30"],
    ]


@pytest.mark.parametrize(
    ("args", "code", "text"),
    [
        (["recap"], "REC006", "Sebutkan satu periode"),
        (
            ["recap", "2023-03", "--from", "2023-03-01", "--to", "2023-03-02"],
            "REC006",
            "Sebutkan satu periode",
        ),
        (["recap", "2023-13"], "REC001", "`2023-13` bukan bulan yang sah."),
        (["recap", "--from", "2023-03-09", "--to", "2023-03-01"], "REC002", "tidak sah"),
        (["recap", "2023-03", "--logs", "/tidak/ada/access.log*"], "REC005", "Tidak ada berkas log"),
    ],
)
def test_refusals(built: Built, tmp_path: Path, args: list[str], code: str, text: str) -> None:
    exit_code, output = _run(built.root, *args, "--out", str(tmp_path))
    assert exit_code == 1
    assert code in output and text in output


# ---- the pure core on its own --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2023-03", date(2023, 3, 1), date(2023, 3, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2023-12", date(2023, 12, 1), date(2023, 12, 31)),
    ],
)
def test_month_period(text: str, first: date, last: date) -> None:
    period = recap.month_period(text)
    assert (period.first, period.last, period.name) == (first, last, text)
    assert period.start == datetime(first.year, first.month, 1, tzinfo=WIB)
    assert period.end - period.start == timedelta(days=(last - first).days + 1)


def test_previous_month() -> None:
    assert recap.previous_month(date(2024, 1, 1)) == recap.month_period("2023-12")
    with pytest.raises(LamanError):
        recap.month_period("2023-3")


@pytest.mark.parametrize("month", ["0000-01", "9999-12", "1969-12"])
def test_a_month_outside_the_calendar_git_keeps_is_refused_not_crashed_on(month: str) -> None:
    with pytest.raises(LamanError) as refused:
        recap.month_period(month)
    assert [p.code for p in refused.value.problems] == ["REC001"]
    with pytest.raises(LamanError) as refused:
        recap.range_period("9999-12-31", "9999-12-31")
    assert [p.code for p in refused.value.problems] == ["REC002"]


def _event(
    commit: str,
    at: str,
    article: str,
    source: str | None,
    target: str | None,
    signer: str | None,
    **meta: object,
) -> recap.Event:
    return recap.Event(
        commit,
        datetime.fromisoformat(at).astimezone(UTC),
        article,
        f"content/berita/{article}.md",
        source,
        target,
        signer,
        recap.Meta(**meta),
    )  # type: ignore[arg-type]


PEOPLE = {
    "koor": recap.Person("koor", "Koor", ("koordinator_liputan",)),
    "writer": recap.Person("writer", "Penulis", ("tim_peliputan",)),
}


def test_a_verification_counts_only_when_the_check_vouches_for_it(sop: Sop) -> None:
    events = [
        _event("c1", "2023-03-02T10:00+07:00", "x", "submitted", "verified", "koor", title="X"),
        _event("c2", "2023-03-02T10:00+07:00", "y", "submitted", "verified", "writer", title="Y"),
        _event(
            "c3",
            "2023-03-02T10:00+07:00",
            "z",
            "submitted",
            "verified",
            "koor",
            title="Z",
            info_class="dikecualikan",
        ),
        _event("c4", "2023-03-03T10:00+07:00", "w", "submitted", "verified", "koor", title="W"),
    ]
    period = recap.month_period("2023-03")
    # x: what the check vouches for at HEAD; w: published, then withdrawn (a valid signer);
    # y: its signer could not verify; z: exempt information is never published.
    found = recap.compute(
        events, sop, PEOPLE, period, approved=frozenset({"c1", "c3"}), was_published=frozenset({"w", "y"})
    )
    assert [p.article for p in found.publications] == ["x", "w"]
    legacy = recap.compute(events, sop, PEOPLE, period, enforced=False)
    assert [p.article for p in legacy.publications] == ["x", "y", "w"]


def test_a_corrected_page_is_not_published_again(sop: Sop) -> None:
    """A ralat verified in April is the March post corrected, not an April post."""
    events = [
        _event("c1", "2023-03-02T10:00+07:00", "x", "submitted", "verified", "koor", title="X"),
        _event("c2", "2023-04-03T10:00+07:00", "x", "verified", "corrected", "koor", title="X"),
        _event("c3", "2023-04-04T10:00+07:00", "x", "submitted", "verified", "koor", title="X"),
    ]
    vouched = {"approved": frozenset({"c3"}), "was_published": frozenset({"x"})}
    march = recap.compute(events, sop, PEOPLE, recap.month_period("2023-03"), **vouched)
    april = recap.compute(events, sop, PEOPLE, recap.month_period("2023-04"), **vouched)
    assert [p.commit for p in march.publications] == ["c1"]
    assert april.publications == ()


def test_reader_counts_join_articles_by_their_address(sop: Sop) -> None:
    events = [
        _event("c1", "2023-03-02T10:00+07:00", "x", None, "planned", None, title="Rapat Pleno", slug=None)
    ]
    pages = recap.article_pages(events)
    assert pages == {"/rapat-pleno/": "x"}
    counts = Counts(
        date(2023, 3, 1),
        date(2023, 3, 31),
        {"/rapat-pleno/": PageCount(4, 3, {"direct": 3}), "/lain/": PageCount(1, 1, {})},
        {date(2023, 3, 2): DayCount(5, 4)},
        views=5,
    )
    found = recap.compute(events, sop, PEOPLE, recap.month_period("2023-03"), counts=counts, pages=pages)
    assert [(r.article, r.views, r.reader_days) for r in found.readings] == [("x", 4, 3)]
    assert found.days[1] == recap.Day(date(2023, 3, 2), 0, 5, 4)


def test_a_renamed_file_is_the_same_article_and_a_deleted_one_leaves_no_wait(
    tmp_path: Path, sop: Sop
) -> None:
    office = Office(tmp_path, make_keys(tmp_path / "keys"))
    _walk(office, "a1", ["03-01 08:00", "03-01 09:00", "03-01 10:00", "03-02 09:00"])
    office.repo.git("mv", office.file("a1"), "content/berita/rapat-pleno.md")
    office.repo.commit("a1: pindah", office.keys["writer"], date=wib("03-02 12:00"))
    office.repo.write("content/berita/rapat-pleno.md", article_text("a1", "corrected", title=TITLES["a1"]))
    office.repo.commit("a1: corrected", office.keys["pasca"], date=wib("03-03 09:00"))
    _step(office, "d4", "planned", "pj", wib("03-05 08:00"))
    office.repo.remove(office.file("d4"))
    office.repo.commit("d4: hapus", office.keys["pj"], date=wib("03-06 08:00"))
    checked = office.check()
    assert checked.violations == (), [v.format("en") for v in checked.violations]
    project = load_project(office.path)
    period = recap.month_period("2023-03")
    with Repository(office.path) as repo:
        gathered = recap.gather(repo, project.sop, project.team, checked, period)
    found = recap.compute(gathered.events, project.sop, gathered.people, period)
    assert [(s.stage, s.kind, s.person, s.count) for s in found.steps] == [
        ("planned", "created", "pj", 2),
        ("dispositioned", "step", "pj", 1),
        ("assigned", "step", "redaktur", 1),
        ("drafted", "step", "writer", 1),
        ("corrected", "step", "pasca", 1),
    ]
    drafted = next(s for s in found.stages if s.stage == "drafted")
    assert (drafted.stays, drafted.worst) == (1, timedelta(hours=24))  # across the rename
    assert [(s.article, s.stage) for s in found.open_items] == [("a1", "corrected")]
    planned = next(s for s in found.stages if s.stage == "planned")
    assert planned.stays == 1  # d4's deletion ended no wait


def test_the_recap_names_whoever_the_check_names_a_forge_vouching_from_when_trusted(
    tmp_path: Path, keys: Keys
) -> None:
    """A forge's web editor signs with its own key for the author it names: the recap takes the
    step's person from the policy in force at each commit, as the check does."""
    office = Office(tmp_path, keys)
    forge = make_identity(tmp_path / "forge", "Forge", "noreply@forge.example")

    def by_forge(stage: str, who: str, when: str) -> None:
        office.repo.write(office.file("a1"), article_text("a1", stage, title=TITLES["a1"]))
        author = (keys[who].name, keys[who].email) if who in BY.values() else ("Orang Asing", who)
        office.repo.commit(f"a1: {stage}", forge, author=author, date=wib(when))

    _step(office, "a1", "planned", "pj", wib("03-01 08:00"))
    by_forge("dispositioned", "pj", "03-01 09:00")  # before the forge is trusted: no one
    sop = (office.path / "sop.yml").read_text("utf-8")
    office.set_sop(
        sop.replace("  forge_keys: []", f"  forge_keys:\n    - name: Forge\n      key: {forge.public_line}")
    )
    office.repo.commit("trust the forge's web editor", keys["pj"], date=wib("03-01 10:00"))
    by_forge("assigned", "redaktur", "03-01 11:00")
    _step(office, "a1", "drafted", "writer", wib("03-02 09:00"))
    by_forge("corrected", "pasca", "03-02 10:00")
    by_forge("submitted", "asing@example.invalid", "03-02 11:00")  # vouched for, but no one here
    by_forge("verified", "koor", "03-02 12:00")
    judged = run_check(office.path, base=office.legacy, use_cache=False)
    project = load_project(office.path)
    period = recap.month_period("2023-03")
    with Repository(office.path) as repo:
        gathered = recap.gather(repo, project.sop, project.team, office.check(), period)
    names = {p.id: p.name for p in gathered.people.values()}
    recapped = {(e.commit, e.article): names.get(e.signer or "") for e in gathered.events}
    checked = {(s.commit, s.article): s.signer if s.signer in names.values() else None for s in judged.steps}
    assert recapped == checked
    assert list(recapped.values()) == [
        keys["pj"].name,
        None,
        keys["redaktur"].name,
        keys["writer"].name,
        keys["pasca"].name,
        None,
        keys["koor"].name,
    ]


def test_what_a_move_is_and_its_reason_come_from_the_sop(sop: Sop) -> None:
    """A move that must give a reason (sop.yml's `reason:`) is a revision when it sends the item
    back and a withdrawal when it closes it; the reason is read from the field the SOP names."""
    reasons = {"revision": "Foto tanpa keterangan", "summary": "Ringkasan kurang"}
    events = [
        _event(
            "c1", "2023-03-02T10:00+07:00", "x", "submitted", "corrected", "koor", title="X", reasons=reasons
        ),
        _event("c2", "2023-03-03T10:00+07:00", "y", "drafted", "withdrawn", None, title="Y"),
    ]
    period = recap.month_period("2023-03")
    found = recap.compute(events, sop, PEOPLE, period)
    assert [(s.stage, s.kind) for s in found.steps] == [
        ("corrected", "revision"),
        ("withdrawn", "withdrawal"),
    ]
    assert [(r.article, r.reason) for r in found.revisions] == [("x", "Foto tanpa keterangan")]
    summary = load_sop(SOP_TEXT.replace("reason: revision", "reason: summary"), "sop.yml")
    found = recap.compute(events, summary, PEOPLE, period)
    assert [(r.article, r.reason) for r in found.revisions] == [("x", "Ringkasan kurang")]
