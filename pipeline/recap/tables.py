"""A recap as plain tables, in reading order, each cell a value (a count, a duration, a time)
that every format renders its own way; `cell_text` is how people read one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from pipeline.messages import Phrase, say
from pipeline.model.dates import count, durasi, tanggal, tanggal_jam
from pipeline.model.sop import Sop
from pipeline.recap.compute import Recap
from pipeline.recap.logline import CHANNEL_LABELS, CHANNELS
from pipeline.recap.readers import Counts


@dataclass(frozen=True)
class Column:
    key: str  # the CSV header
    name: Phrase
    kind: str = "text"  # text | int | duration | datetime | date

    def label(self, lang: str) -> str:
        return self.name.say(lang)


@dataclass(frozen=True)
class Table:
    """A table whose texts are `recap.table.<key>` in the catalogs: its title, the note under it
    (`noted`), and a shorter name for the workbook's tab, at most 31 characters (`tab`)."""

    key: str  # file and sheet name part
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    noted: bool = False
    tab: bool = False

    def title(self, lang: str) -> str:
        return say(f"recap.table.{self.key}.title", lang)

    def sheet(self, lang: str) -> str:
        return say(f"recap.table.{self.key}.sheet", lang) if self.tab else self.title(lang)

    def note(self, lang: str) -> str:
        return say(f"recap.table.{self.key}.note", lang) if self.noted else ""


def _columns(table: str, *specs: str) -> tuple[Column, ...]:
    """The columns of `table`, each `key` or `key:kind`, named in the catalogs by their key."""
    out = []
    for spec in specs:
        key, _, kind = spec.partition(":")
        out.append(Column(key, Phrase(f"recap.table.{table}.column.{key}"), kind or "text"))
    return tuple(out)


def _stage_label(sop: Sop, stage: str, lang: str) -> str:
    if not sop.has_stage(stage):
        return stage
    found = sop.stage(stage)
    prefix = say("sop.step", lang, step=found.step) if found.step else ""
    return prefix + found.title(lang)


def _role_label(sop: Sop, role: str | None, lang: str) -> str:
    if role is None or role not in sop.roles:
        return "—"
    return sop.roles[role].title(lang)


def _person(recap: Recap, person: str | None, lang: str) -> str:
    found = recap.people.get(person or "")
    if found is not None:
        return found.name
    return say("recap.unsigned", lang)


def _yes_no(value: bool, lang: str) -> str:
    return say("recap.yes" if value else "recap.no", lang)


def tables(recap: Recap, sop: Sop, lang: str = "id") -> tuple[Table, ...]:
    """Every table of the recap, in reading order (`ringkasan` first)."""
    out = [
        Table("ringkasan", _columns("ringkasan", "uraian", "nilai:auto"), tuple(_summary(recap, lang))),
        _published(recap, lang),
        Table(
            "per_kategori",
            _columns("per_kategori", "kategori", "jumlah:int"),
            tuple((c or "—", n) for c, n in recap.by_category),
        ),
        Table(
            "per_kelas",
            _columns("per_kelas", "kelas_informasi", "jumlah:int"),
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
    if recap.waived:  # a month without waivers keeps its tables as they were
        out.append(_waived(recap, lang))
    return tuple(out)


def _waived(recap: Recap, lang: str) -> Table:
    return Table(
        "dimaafkan",
        _columns("dimaafkan", "waktu:datetime", "kode", "naskah", "commit", "pemaafan", "oleh", "alasan"),
        tuple(
            (w.at, w.code, w.article, w.commit[:10], w.waiver[:10], _person(recap, w.by, lang), w.reason)
            for w in recap.waived
        ),
        noted=True,
    )


def _summary(recap: Recap, lang: str) -> list[tuple[Any, ...]]:
    summary = [
        _row("period", recap.period.title(lang), lang),
        _row("published", len(recap.publications), lang),
        _row("revisions", len(recap.revisions), lang),
        _row("open", len(recap.open_items), lang),
        _row("overruns", len(recap.overruns), lang),
    ]
    if recap.counts is not None:
        summary += _reader_summary(recap.counts, lang)
    enforced = say("recap.summary.enforced" if recap.enforced else "recap.summary.not_enforced", lang)
    summary.append(_row("enforcement", enforced, lang))
    if recap.violations:
        summary.append(_row("violations", recap.violations, lang))
    if recap.head:
        summary.append(_row("commit", recap.head[:12], lang))
    return summary


def _row(key: str, value: Any, lang: str) -> tuple[Any, ...]:
    """A row of the summary: what it counts (`recap.summary.<key>`), and the count."""
    return (say(f"recap.summary.{key}", lang), value)


def _reader_summary(counts: Counts, lang: str) -> list[tuple[Any, ...]]:
    """What was counted, and what was left out and why."""
    summary = [_row("views", counts.views, lang), _row("reader_days", counts.reader_days, lang)]
    if counts.source != "log":
        return [*summary, _row("csv_malformed", counts.malformed, lang)]
    return [
        *summary,
        _row("lines", counts.lines, lang),
        _row("malformed", counts.malformed, lang),
        _row("bots", counts.bots, lang),
        _row("static", counts.static, lang),
        _row("not_ok", counts.not_ok, lang),
        _row("not_get", counts.not_get, lang),
        _row("other_pages", counts.other_pages, lang),
        _row("outside", counts.outside, lang),
    ]


def _published(recap: Recap, lang: str) -> Table:
    return Table(
        "terbit",
        _columns(
            "terbit",
            "waktu:datetime",
            "id",
            "judul",
            "kategori",
            "kelas_informasi",
            "diverifikasi_oleh",
            "commit",
            "embargo",
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
                _yes_no(p.embargoed, lang),
            )
            for p in recap.publications
        ),
        noted=True,
    )


def _steps(recap: Recap, sop: Sop, lang: str) -> Table:
    return Table(
        "per_orang",
        _columns("per_orang", "tahap", "jenis", "orang", "peran", "jumlah:int"),
        tuple(
            (
                _stage_label(sop, s.stage, lang),
                say(f"recap.kind.{s.kind}", lang) or "—",
                _person(recap, s.person, lang),
                _role_label(sop, s.role, lang),
                s.count,
            )
            for s in recap.steps
        ),
        noted=True,
    )


def _stage_times(recap: Recap, sop: Sop, lang: str) -> Table:
    return Table(
        "waktu_tahap",
        _columns(
            "waktu_tahap",
            "tahap",
            "batas:duration",
            "jumlah:int",
            "median:duration",
            "terlama:duration",
            "lewat_batas:int",
        ),
        tuple(
            (_stage_label(sop, s.stage, lang), s.limit, s.stays, s.median, s.worst, s.overran)
            for s in recap.stages
        ),
        noted=True,
    )


def _overruns(recap: Recap, sop: Sop, lang: str) -> Table:
    return Table(
        "lewat_batas",
        _columns(
            "lewat_batas",
            "id",
            "judul",
            "tahap",
            "masuk:datetime",
            "keluar:datetime",
            "lama:duration",
            "batas:duration",
        ),
        tuple(
            (s.article, s.title, _stage_label(sop, s.stage, lang), s.entered, s.left, s.waited, s.limit)
            for s in recap.overruns
        ),
        noted=True,
    )


def _revisions(recap: Recap, sop: Sop, lang: str) -> Table:
    return Table(
        "revisi",
        _columns("revisi", "waktu:datetime", "id", "judul", "dari", "ke", "oleh", "alasan"),
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
    return Table(
        "terbuka",
        _columns(
            "terbuka",
            "id",
            "judul",
            "tahap",
            "sejak:datetime",
            "lama:duration",
            "batas:duration",
            "lewat_batas",
        ),
        tuple(
            (
                s.article,
                s.title,
                _stage_label(sop, s.stage, lang),
                s.entered,
                s.waited,
                s.limit,
                _yes_no(s.overran, lang),
            )
            for s in recap.open_items
        ),
        noted=True,
        tab=True,
    )


def _readers(recap: Recap) -> Table:
    assert recap.counts is not None
    # Channels only from a log: a static host's export does not say where readers came from.
    with_channels = recap.counts.source == "log"
    channel_columns = tuple(Column(f"pembaca_{c}", CHANNEL_LABELS[c], "int") for c in CHANNELS)
    return Table(
        "pembaca",
        (
            *_columns("pembaca", "id", "judul", "alamat", "tayangan:int", "pembaca_hari:int"),
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
        noted=True,
    )


def _per_day(recap: Recap) -> Table:
    counted = recap.counts is not None
    readers = ("tayangan:int", "pembaca:int") if counted else ()
    return Table(
        "harian",
        _columns("harian", "tanggal:date", "terbit:int", *readers),
        tuple((d.day, d.published, *((d.views, d.readers) if counted else ())) for d in recap.days),
        noted=counted,
    )


def cell_text(value: Any, kind: str, lang: str) -> str:
    """A cell as people read it."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return count(value, lang)
    if isinstance(value, timedelta):
        return durasi(value, lang)
    if isinstance(value, datetime):
        return tanggal_jam(value, lang)
    if isinstance(value, date):
        return tanggal(value, lang)
    return str(value)


def heading(recap: Recap, sop: Sop, lang: str) -> tuple[str, str]:
    """The report's title and the line under it."""
    name = say("recap.title", lang)
    header = sop.header
    sub = f"{header.get('issuer', '')} · SOP {header.get('number', '')}: {header.get('title', '')}"
    return f"{name} — {recap.period.title(lang)}", sub
