"""A recap as plain tables, in reading order, each cell a value (a count, a duration, a time)
that every format renders its own way; `cell_text` is how people read one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from pipeline.model.dates import angka, durasi, tanggal, tanggal_jam
from pipeline.model.sop import Sop
from pipeline.recap.compute import Recap
from pipeline.recap.logline import CHANNEL_LABELS, CHANNELS
from pipeline.recap.readers import Counts


@dataclass(frozen=True)
class Column:
    key: str  # the CSV header
    id: str
    en: str
    kind: str = "text"  # text | int | duration | datetime | date

    def label(self, lang: str) -> str:
        return self.id if lang == "id" else self.en


@dataclass(frozen=True)
class Table:
    key: str  # file and sheet name part
    id: str
    en: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    note_id: str = ""
    note_en: str = ""
    sheet_id: str = ""  # a shorter name for the workbook's tab (at most 31 characters)
    sheet_en: str = ""

    def title(self, lang: str) -> str:
        return self.id if lang == "id" else self.en

    def sheet(self, lang: str) -> str:
        return (self.sheet_id if lang == "id" else self.sheet_en) or self.title(lang)

    def note(self, lang: str) -> str:
        return self.note_id if lang == "id" else self.note_en


def _stage_label(sop: Sop, stage: str, lang: str) -> str:
    if not sop.has_stage(stage):
        return stage
    found = sop.stage(stage)
    prefix = (f"Langkah {found.step}: " if lang == "id" else f"Step {found.step}: ") if found.step else ""
    return prefix + found.title(lang)


def _role_label(sop: Sop, role: str | None, lang: str) -> str:
    if role is None or role not in sop.roles:
        return "—"
    return sop.roles[role].label if lang == "id" else sop.roles[role].label_en


def _person(recap: Recap, person: str | None, lang: str) -> str:
    found = recap.people.get(person or "")
    if found is not None:
        return found.name
    return "tanpa tanda tangan sah" if lang == "id" else "no valid signature"


_KIND_LABELS = {
    "created": ("dibuat", "created"),
    "step": ("", ""),
    "revision": ("dikembalikan untuk perbaikan", "sent back for revision"),
    "withdrawal": ("ditarik", "withdrawn"),
}


def tables(recap: Recap, sop: Sop, lang: str = "id") -> tuple[Table, ...]:
    """Every table of the recap, in reading order (`ringkasan` first)."""
    out = [
        Table(
            "ringkasan",
            "Ringkasan",
            "Summary",
            (Column("uraian", "Uraian", "Item"), Column("nilai", "Nilai", "Value", "auto")),
            tuple(_summary(recap, lang)),
        ),
        _published(recap, lang),
        Table(
            "per_kategori",
            "Terbit per kategori",
            "Published by category",
            (Column("kategori", "Kategori", "Category"), Column("jumlah", "Jumlah", "Count", "int")),
            tuple((c or "—", n) for c, n in recap.by_category),
        ),
        Table(
            "per_kelas",
            "Terbit per kelas informasi",
            "Published by information class",
            (
                Column("kelas_informasi", "Kelas informasi", "Information class"),
                Column("jumlah", "Jumlah", "Count", "int"),
            ),
            tuple((c or "—", n) for c, n in recap.by_class),
        ),
        _steps(recap, sop, lang),
        _stage_times(recap, sop, lang),
        _overruns(recap, sop, lang),
        _revisions(recap, sop, lang),
        _open_items(recap, sop, lang),
    ]
    if recap.counts is not None:
        out.append(_readers(recap))
    out.append(_per_day(recap))
    return tuple(out)


def _summary(recap: Recap, lang: str) -> list[tuple[Any, ...]]:
    en = lang == "en"
    summary: list[tuple[Any, ...]] = [
        (("Periode", "Period")[en], recap.period.title(lang)),
        (("Naskah terbit", "Articles published")[en], len(recap.publications)),
        (
            ("Dikembalikan untuk perbaikan (langkah 7)", "Sent back for revision (step 7)")[en],
            len(recap.revisions),
        ),
        (
            ("Masih dalam proses di akhir periode", "Still open at the end of the period")[en],
            len(recap.open_items),
        ),
        (
            ("Tahap yang melewati batas waktu", "Stages that overran their time limit")[en],
            len(recap.overruns),
        ),
    ]
    if recap.counts is not None:
        summary += _reader_summary(recap.counts, en)
    summary.append(
        (
            ("Penegakan SOP", "SOP enforcement")[en],
            (
                ("aktif", "on")[en]
                if recap.enforced
                else ("belum aktif (tanpa trust anchor)", "off (no trust anchor)")[en]
            ),
        )
    )
    if recap.violations:
        summary.append((("Pelanggaran SOP di HEAD", "SOP violations at HEAD")[en], recap.violations))
    if recap.head:
        summary.append((("Commit", "Commit")[en], recap.head[:12]))
    return summary


def _reader_summary(counts: Counts, en: bool) -> list[tuple[Any, ...]]:
    """What was counted, and what was left out and why."""
    summary: list[tuple[Any, ...]] = [
        (("Tayangan halaman naskah", "Article page views")[en], counts.views),
        (
            ("Pembaca-hari (jumlah pembaca unik per hari)", "Reader-days (unique readers per day)")[en],
            counts.reader_days,
        ),
    ]
    if counts.source != "log":
        return [
            *summary,
            (("Baris CSV rusak (dilewati)", "Malformed CSV rows (skipped)")[en], counts.malformed),
        ]
    return [
        *summary,
        (("Baris log dibaca", "Log lines read")[en], counts.lines),
        (("Baris log rusak (dilewati)", "Malformed log lines (skipped)")[en], counts.malformed),
        (("Permintaan bot (tidak dihitung)", "Bot requests (not counted)")[en], counts.bots),
        (("Berkas statis (tidak dihitung)", "Static files (not counted)")[en], counts.static),
        (
            ("Bukan 2xx, termasuk 304 (tidak dihitung)", "Not 2xx, 304 included (not counted)")[en],
            counts.not_ok,
        ),
        (
            ("Bukan GET, termasuk HEAD (tidak dihitung)", "Not GET, HEAD included (not counted)")[en],
            counts.not_get,
        ),
        (("Halaman lain (bukan naskah)", "Other pages (not articles)")[en], counts.other_pages),
        (("Di luar periode", "Outside the period")[en], counts.outside),
    ]


def _published(recap: Recap, lang: str) -> Table:
    en = lang == "en"
    return Table(
        "terbit",
        "Naskah terbit",
        "Articles published",
        (
            Column("waktu", "Waktu terbit", "Published at", "datetime"),
            Column("id", "ID", "ID"),
            Column("judul", "Judul", "Title"),
            Column("kategori", "Kategori", "Category"),
            Column("kelas_informasi", "Kelas informasi", "Information class"),
            Column("diverifikasi_oleh", "Diverifikasi oleh", "Verified by"),
            Column("commit", "Commit", "Commit"),
            Column("embargo", "Embargo", "Embargo"),
        ),
        tuple(
            (
                p.at,
                p.article,
                p.title,
                p.category or "—",
                p.info_class or "—",
                _person(recap, p.verified_by, lang),
                p.commit[:12],
                ("ya", "yes")[en] if p.embargoed else ("tidak", "no")[en],
            )
            for p in recap.publications
        ),
        "Terbit: saat commit verifikasi (langkah 7) di riwayat main, atau akhir embargo (publish_at) bila lebih akhir.",
        "Published: the verifying commit (step 7) on main's history, or the end of its embargo (publish_at) if later.",
    )


def _steps(recap: Recap, sop: Sop, lang: str) -> Table:
    return Table(
        "per_orang",
        "Langkah SOP per orang dan peran",
        "SOP steps by person and role",
        (
            Column("tahap", "Tahap yang dituju", "Stage entered"),
            Column("jenis", "Jenis", "Kind"),
            Column("orang", "Orang", "Person"),
            Column("peran", "Peran", "Role"),
            Column("jumlah", "Jumlah", "Count", "int"),
        ),
        tuple(
            (
                _stage_label(sop, s.stage, lang),
                _KIND_LABELS[s.kind][lang == "en"] or "—",
                _person(recap, s.person, lang),
                _role_label(sop, s.role, lang),
                s.count,
            )
            for s in recap.steps
        ),
        "Orang dikenali dari tanda tangan SSH commit, bukan dari e-mail penulis commit.",
        "People are known by the commit's SSH signature, never by the author e-mail.",
    )


def _stage_times(recap: Recap, sop: Sop, lang: str) -> Table:
    return Table(
        "waktu_tahap",
        "Lama di setiap tahap",
        "Time spent in each stage",
        (
            Column("tahap", "Tahap", "Stage"),
            Column("batas", "Batas waktu", "Time limit", "duration"),
            Column("jumlah", "Selesai", "Completed", "int"),
            Column("median", "Median", "Median", "duration"),
            Column("terlama", "Terlama", "Longest", "duration"),
            Column("lewat_batas", "Lewat batas", "Overran", "int"),
        ),
        tuple(
            (_stage_label(sop, s.stage, lang), s.limit, s.stays, s.median, s.worst, s.overran)
            for s in recap.stages
        ),
        "Tahap yang selesai (naskah pindah ke tahap berikutnya) dalam periode ini; batas dari sop.yml.",
        "Stays that ended (the item moved on) in this period; limits from sop.yml.",
    )


def _overruns(recap: Recap, sop: Sop, lang: str) -> Table:
    return Table(
        "lewat_batas",
        "Melewati batas waktu",
        "Over the time limit",
        (
            Column("id", "ID", "ID"),
            Column("judul", "Judul", "Title"),
            Column("tahap", "Tahap", "Stage"),
            Column("masuk", "Masuk tahap", "Entered", "datetime"),
            Column("keluar", "Keluar tahap", "Left", "datetime"),
            Column("lama", "Lama", "Waited", "duration"),
            Column("batas", "Batas waktu", "Time limit", "duration"),
        ),
        tuple(
            (s.article, s.title, _stage_label(sop, s.stage, lang), s.entered, s.left, s.waited, s.limit)
            for s in recap.overruns
        ),
        "Keluar kosong: masih menunggu di akhir periode.",
        "Left empty: still waiting at the end of the period.",
    )


def _revisions(recap: Recap, sop: Sop, lang: str) -> Table:
    return Table(
        "revisi",
        "Dikembalikan untuk perbaikan",
        "Sent back for revision",
        (
            Column("waktu", "Waktu", "When", "datetime"),
            Column("id", "ID", "ID"),
            Column("judul", "Judul", "Title"),
            Column("dari", "Dari tahap", "From", "text"),
            Column("ke", "Ke tahap", "To", "text"),
            Column("oleh", "Oleh", "By"),
            Column("alasan", "Alasan", "Reason"),
        ),
        tuple(
            (
                r.at,
                r.article,
                r.title,
                _stage_label(sop, r.source, lang),
                _stage_label(sop, r.target, lang),
                _person(recap, r.by, lang),
                r.reason,
            )
            for r in recap.revisions
        ),
    )


def _open_items(recap: Recap, sop: Sop, lang: str) -> Table:
    en = lang == "en"
    return Table(
        "terbuka",
        "Masih dalam proses di akhir periode",
        "Still open at the end of the period",
        (
            Column("id", "ID", "ID"),
            Column("judul", "Judul", "Title"),
            Column("tahap", "Menunggu di tahap", "Waiting in", "text"),
            Column("sejak", "Sejak", "Since", "datetime"),
            Column("lama", "Lama menunggu", "Waited", "duration"),
            Column("batas", "Batas waktu", "Time limit", "duration"),
            Column("lewat_batas", "Lewat batas", "Overdue"),
        ),
        tuple(
            (
                s.article,
                s.title,
                _stage_label(sop, s.stage, lang),
                s.entered,
                s.waited,
                s.limit,
                ("ya", "yes")[en] if s.overran else ("tidak", "no")[en],
            )
            for s in recap.open_items
        ),
        "Lama menunggu dihitung sampai akhir periode.",
        "Waiting time counted up to the end of the period.",
        "Masih dalam proses",
        "Still open",
    )


def _readers(recap: Recap) -> Table:
    assert recap.counts is not None
    # Channels only from a log: a static host's export does not say where readers came from.
    with_channels = recap.counts.source == "log"
    channel_columns = tuple(
        Column(f"pembaca_{c}", CHANNEL_LABELS[c][0], CHANNEL_LABELS[c][1], "int") for c in CHANNELS
    )
    return Table(
        "pembaca",
        "Pembaca per naskah",
        "Readers per article",
        (
            Column("id", "ID", "ID"),
            Column("judul", "Judul", "Title"),
            Column("alamat", "Alamat", "Address"),
            Column("tayangan", "Tayangan", "Page views", "int"),
            Column("pembaca_hari", "Pembaca-hari", "Reader-days", "int"),
            *(channel_columns if with_channels else ()),
        ),
        tuple(
            (
                r.article,
                r.title,
                r.path,
                r.views,
                r.reader_days,
                *((r.channels.get(c, 0) for c in CHANNELS) if with_channels else ()),
            )
            for r in recap.readings
        ),
        "Pembaca-hari: pembaca unik per hari (WIB) per naskah, dijumlahkan; kanal menurut kunjungan pertama pembaca hari itu.",
        "Reader-days: unique readers per day (WIB) per article, summed; channel from the reader's first visit that day.",
    )


def _per_day(recap: Recap) -> Table:
    counted = recap.counts is not None
    columns: tuple[Column, ...] = (
        Column("tanggal", "Tanggal", "Date", "date"),
        Column("terbit", "Naskah terbit", "Published", "int"),
    )
    if counted:
        columns += (
            Column("tayangan", "Tayangan", "Page views", "int"),
            Column("pembaca", "Pembaca", "Readers", "int"),
        )
    return Table(
        "harian",
        "Per hari",
        "Per day",
        columns,
        tuple((d.day, d.published, *((d.views, d.readers) if counted else ())) for d in recap.days),
        "Pembaca per hari: pembaca unik naskah mana pun pada hari itu (WIB)." if counted else "",
        "Readers per day: unique readers of any article that day (WIB)." if counted else "",
    )


def cell_text(value: Any, kind: str, lang: str) -> str:
    """A cell as people read it."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return angka(value) if lang == "id" else f"{value:,}"
    if isinstance(value, timedelta):
        return durasi(value, lang)
    if isinstance(value, datetime):
        return tanggal_jam(value, lang)
    if isinstance(value, date):
        return tanggal(value, lang)
    return str(value)


def heading(recap: Recap, sop: Sop, lang: str) -> tuple[str, str]:
    """The report's title and the line under it."""
    name = "Rekapitulasi Bulanan Laman" if lang == "id" else "Monthly website recap"
    header = sop.header
    sub = f"{header.get('issuer', '')} · SOP {header.get('number', '')}: {header.get('title', '')}"
    return f"{name} — {recap.period.title(lang)}", sub
