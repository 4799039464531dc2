"""Rekapitulasi bulanan: what the SOP asks the secretariat to keep every month ("Rekapitulasi
Postingan/Konten website setiap bulan dan jumlah pembaca").

A functional core and a thin shell, as elsewhere:

- `compute` is pure: from history events (plain data), the SOP, the people and, when given,
  reader counts, it computes for one period (days in WIB) the articles that became publishable,
  by category, information class, person and role; time spent in each stage against its limit;
  revisions sent back; items still open at the period's end; readers per article and per day.
- `tables` turns a recap into plain tables; `markdown`, `csv_files`, `xlsx` and `html` render
  them (pure: they return text or bytes).
- `gather` is the shell: one pass over git history through `history.py`, blobs peeked with
  `policy.peek`/`policy.version`, signatures verified in-process; `write` puts files on disk.
"""

from __future__ import annotations

import csv
import html as html_lib
import io
import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from babel.dates import format_date

from pipeline.errors import LamanError, Problem
from pipeline.model import schemas, signature
from pipeline.model.article import EXEMPT, slug_of
from pipeline.model.dates import WIB, angka, durasi, parse_datetime, tanggal, tanggal_jam
from pipeline.model.project import CONTENT_DIR, SOP_FILE, TEAM_FILE
from pipeline.model.sop import Sop
from pipeline.model.team import Team
from pipeline.proof import events, policy
from pipeline.proof.check import Checker, CheckResult
from pipeline.proof.history import CommitInfo, Repository
from pipeline.recap.readers import CHANNEL_LABELS, CHANNELS, Counts

REVISION, WITHDRAWAL = "revision", "withdrawal"
UNKNOWN_PERSON = "?"
# Excel and LibreOffice read `#,##0` with the reader's locale (1,234 in an English Excel). The
# office writes 55.155 whatever the machine: literal dots between conditional digit groups
# show every count the Indonesian way, and the cells stay numbers that sum.
ID_NUMBER_FORMAT = '[>=1000000]#"."###"."###;[>=1000]#"."###;0'
DURATION_FORMAT = "[h]:mm"
# LCID 0x421 (Indonesian): month names in Indonesian.
DATETIME_FORMAT = "[$-421]d mmmm yyyy hh.mm"
DATE_FORMAT = "[$-421]d mmmm yyyy"


# ---- plain data in ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Meta:
    """What the recap reads of one blob of an article (None: not read)."""

    title: str | None = None
    category: str | None = None
    info_class: str | None = None
    slug: str | None = None
    publish_at: datetime | None = None
    revision: str | None = None
    withdrawal: str | None = None


@dataclass(frozen=True)
class Event:
    """One article's change in one commit on main's history."""

    commit: str
    at: datetime  # committer time
    article: str
    path: str
    source: str | None  # stage before (None: the file is new)
    target: str | None  # stage after (None: the file was deleted)
    signer: str | None  # person id proven by the commit's SSH signature
    meta: Meta = field(default_factory=Meta)


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # inclusive

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), WIB)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(), WIB)

    def __contains__(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    @property
    def is_month(self) -> bool:
        return (
            self.first.day == 1
            and (self.last + timedelta(days=1)).day == 1
            and (self.first.month == self.last.month)
        )

    @property
    def name(self) -> str:
        """File name stem: `2023-03`, or `2023-03-01_2023-03-15`."""
        if self.is_month:
            return self.first.strftime("%Y-%m")
        return f"{self.first.isoformat()}_{self.last.isoformat()}"

    def title(self, lang: str = "id") -> str:
        if self.is_month:
            return format_date(self.first, "MMMM y", locale="id" if lang == "id" else "en")
        return f"{tanggal(self.first, lang)} – {tanggal(self.last, lang)}"

    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# git's times start in 1970; a period must also end a day before the calendar's last one.
_YEARS = range(1970, 9999)


def month_period(text: str) -> Period:
    """`2023-03` -> 1 to 31 March 2023."""
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) not in _YEARS:
        raise LamanError([Problem("REC001", text, args={"value": text})])
    first = date(int(match[1]), int(match[2]), 1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return Period(first, following - timedelta(days=1))


def range_period(first: str, last: str) -> Period:
    try:
        start, end = date.fromisoformat(first.strip()), date.fromisoformat(last.strip())
    except ValueError:
        raise LamanError([Problem("REC002", "--from/--to", args={"first": first, "last": last})]) from None
    if end < start or start.year not in _YEARS or end.year not in _YEARS:
        raise LamanError([Problem("REC002", "--from/--to", args={"first": first, "last": last})])
    return Period(start, end)


def previous_month(today: date) -> Period:
    return month_period((today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m"))


# ---- results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Publication:
    at: datetime  # when it became publishable on main (the embargo's end, if later)
    article: str
    title: str
    category: str | None
    info_class: str | None
    verified_by: str | None  # person id
    commit: str
    embargoed: bool  # `at` is the end of an embargo, later than the verification


@dataclass(frozen=True)
class StepCount:
    stage: str
    kind: str  # "step", "revision", "withdrawal", "created"
    person: str  # person id, or UNKNOWN_PERSON
    role: str | None
    count: int


@dataclass(frozen=True)
class Stay:
    article: str
    title: str
    stage: str
    entered: datetime
    left: datetime | None  # None: still waiting at the period's end
    waited: timedelta
    limit: timedelta | None

    @property
    def overran(self) -> bool:
        return self.limit is not None and self.waited > self.limit


@dataclass(frozen=True)
class StageStat:
    stage: str
    stays: int  # stays that ended in the period
    median: timedelta | None
    worst: timedelta | None
    limit: timedelta | None  # the stage's own limit (a class's track may be faster)
    overran: int


@dataclass(frozen=True)
class Revision:
    at: datetime
    article: str
    title: str
    source: str
    target: str
    by: str  # person id, or UNKNOWN_PERSON
    reason: str


@dataclass(frozen=True)
class Reading:
    article: str
    title: str
    path: str
    views: int
    reader_days: int
    channels: Mapping[str, int]


@dataclass(frozen=True)
class Day:
    day: date
    published: int
    views: int | None
    readers: int | None


@dataclass(frozen=True)
class Recap:
    period: Period
    publications: tuple[Publication, ...]
    by_category: tuple[tuple[str, int], ...]
    by_class: tuple[tuple[str, int], ...]
    steps: tuple[StepCount, ...]
    stages: tuple[StageStat, ...]
    overruns: tuple[Stay, ...]
    revisions: tuple[Revision, ...]
    open_items: tuple[Stay, ...]
    readings: tuple[Reading, ...]
    days: tuple[Day, ...]
    people: Mapping[str, Person]
    counts: Counts | None = None
    enforced: bool = True
    violations: int = 0
    head: str | None = None


# ---- the pure core ------------------------------------------------------------------------------


def info_classes() -> tuple[str, ...]:
    """The public classes an article may be published under (never the exempt one)."""
    enum = schemas.schema("article")["properties"]["information"]["properties"]["class"]["enum"]
    return tuple(c for c in enum if c != EXEMPT)


def _waiting_stage(sop: Sop, stage: str | None) -> bool:
    """A stage where an item waits for someone to act (not published, not closed)."""
    if not stage or not sop.has_stage(stage):
        return False
    found = sop.stage(stage)
    return not found.publishable and not found.terminal


def _titles(events: Sequence[Event], until: datetime) -> dict[str, str]:
    """Each article's latest known title by `until` (or its first known one after)."""
    titles: dict[str, str] = {}
    for event in events:
        if event.meta.title and (event.at < until or event.article not in titles):
            titles[event.article] = event.meta.title
    return titles


def _role(sop: Sop, person: Person | None, allowed: Iterable[str]) -> str | None:
    if person is None:
        return None
    return next((r for r in allowed if r in person.roles), None)


def _accepted(
    event: Event,
    sop: Sop,
    people: Mapping[str, Person],
    approved: frozenset[str],
    was_published: frozenset[str],
    enforced: bool,
) -> bool:
    """Did this move into a publishable stage make the article publishable?

    `laman check` vouches for the verification that stands at HEAD (`approved`). An article
    verified and then withdrawn or edited keeps only `was_published`; its verification is then
    taken as valid when a proven signer held a role allowed for the step. Without enforcement
    (no trust anchor) every verification counts, as the build publishes them all."""
    if event.meta.info_class == EXEMPT:
        return False
    if not enforced or event.commit in approved:
        return True
    transition = sop.transition(event.source or "", event.target or "")
    person = people.get(event.signer or "")
    return (
        event.article in was_published
        and transition is not None
        and _role(sop, person, transition.roles) is not None
    )


def publications(
    events: Sequence[Event],
    sop: Sop,
    people: Mapping[str, Person],
    period: Period,
    approved: frozenset[str],
    was_published: frozenset[str],
    enforced: bool,
) -> list[Publication]:
    found: dict[str, Publication] = {}
    titles = _titles(events, period.end)
    for event in events:
        if event.target is None or event.source == event.target or not sop.has_stage(event.target):
            continue
        if not sop.stage(event.target).publishable:
            continue
        if not _accepted(event, sop, people, approved, was_published, enforced):
            continue
        embargo = event.meta.publish_at
        moment = max(event.at, embargo) if embargo else event.at
        if moment not in period or event.article in found:
            continue
        found[event.article] = Publication(
            at=moment,
            article=event.article,
            title=event.meta.title or titles.get(event.article, event.article),
            category=event.meta.category,
            info_class=event.meta.info_class,
            verified_by=event.signer,
            commit=event.commit,
            embargoed=bool(embargo and embargo > event.at),
        )
    return sorted(found.values(), key=lambda p: (p.at, p.title))


def _kind(sop: Sop, event: Event) -> tuple[str, tuple[str, ...]]:
    """What a move is, and the roles that may make it."""
    if event.source is None:
        return "created", sop.create_roles
    transition = sop.transition(event.source, event.target or "")
    if transition is None:
        return "step", ()
    if transition.reason == REVISION:
        return "revision", transition.roles
    if transition.reason == WITHDRAWAL:
        return "withdrawal", transition.roles
    return "step", transition.roles


def steps(events: Sequence[Event], sop: Sop, people: Mapping[str, Person], period: Period) -> list[StepCount]:
    """Who took each step in the period, and in which role."""
    counts: dict[tuple[str, str, str, str | None], int] = {}
    for event in events:
        if event.target is None or event.source == event.target or event.at not in period:
            continue
        kind, allowed = _kind(sop, event)
        person = people.get(event.signer or "")
        key = (event.target, kind, person.id if person else UNKNOWN_PERSON, _role(sop, person, allowed))
        counts[key] = counts.get(key, 0) + 1

    def order(item: tuple[tuple[str, str, str, str | None], int]) -> tuple[int, int, str]:
        (stage, kind, person, _), _ = item
        position = sop.order(stage) if sop.has_stage(stage) else len(sop.stages)
        name = people[person].name if person in people else person
        return (position, ("created", "step", "revision", "withdrawal").index(kind), name)

    return [StepCount(s, k, p, r, n) for (s, k, p, r), n in sorted(counts.items(), key=order)]


def stays(events: Sequence[Event], sop: Sop, period: Period) -> tuple[list[Stay], list[Stay]]:
    """Waits in the SOP's working stages: those that ended in the period, and those still
    going on at its end (the open items). Events are in history order."""
    titles = _titles(events, period.end)
    current: dict[str, tuple[str, datetime, str | None]] = {}  # article -> (stage, since, class)
    ended: list[Stay] = []

    def close(article: str, moment: datetime) -> None:
        stage, since, info_class = current.pop(article)
        if _waiting_stage(sop, stage) and moment in period:
            ended.append(
                Stay(
                    article,
                    titles.get(article, article),
                    stage,
                    since,
                    moment,
                    max(moment - since, timedelta()),
                    sop.time_limit(stage, info_class),
                )
            )

    for event in events:
        if event.at >= period.end:
            continue
        here = current.get(event.article)
        if event.target is None:  # deleted: a wait cut short, not one that ended
            current.pop(event.article, None)
            continue
        if here is not None and here[0] == event.target:
            if event.meta.info_class:  # reclassified while waiting: the new track applies
                current[event.article] = (here[0], here[1], event.meta.info_class)
            continue
        if here is not None:
            close(event.article, event.at)
        info_class = event.meta.info_class or (here[2] if here else None)
        current[event.article] = (event.target, event.at, info_class)
    still: list[Stay] = []
    for article, (stage, since, info_class) in current.items():
        if not _waiting_stage(sop, stage):
            continue
        waited = max(period.end - since, timedelta())
        still.append(
            Stay(
                article,
                titles.get(article, article),
                stage,
                since,
                None,
                waited,
                sop.time_limit(stage, info_class),
            )
        )
    still.sort(key=lambda s: (sop.order(s.stage), s.entered, s.title))
    ended.sort(key=lambda s: (s.left or s.entered, s.title))
    return ended, still


def stage_stats(ended: Sequence[Stay], sop: Sop) -> list[StageStat]:
    out = []
    for stage in sop.stages:
        if stage.publishable or stage.terminal:
            continue
        here = [s.waited for s in ended if s.stage == stage.id]
        out.append(
            StageStat(
                stage.id,
                len(here),
                statistics.median_low(here) if here else None,
                max(here) if here else None,
                stage.time_limit,
                sum(1 for s in ended if s.stage == stage.id and s.overran),
            )
        )
    return out


def revisions(events: Sequence[Event], sop: Sop, period: Period) -> list[Revision]:
    titles = _titles(events, period.end)
    found = []
    for event in events:
        if event.at not in period or event.target is None or event.source == event.target:
            continue
        transition = sop.transition(event.source or "", event.target)
        if transition is None or transition.reason != REVISION:
            continue
        found.append(
            Revision(
                event.at,
                event.article,
                event.meta.title or titles.get(event.article, event.article),
                event.source or "",
                event.target,
                event.signer or UNKNOWN_PERSON,
                event.meta.revision or "",
            )
        )
    return found


def article_pages(events: Sequence[Event], extra: Mapping[str, Meta] | None = None) -> dict[str, str]:
    """Address (`/slug/`) -> article id, from each article's latest known slug or title."""
    latest: dict[str, Meta] = {}
    for event in events:
        if event.meta.slug or event.meta.title:
            latest[event.article] = event.meta
    latest.update(extra or {})
    pages: dict[str, str] = {}
    for article, meta in latest.items():
        slug = slug_of({"slug": meta.slug, "title": meta.title})
        pages[f"/{slug}/"] = article
    return pages


def readings(counts: Counts, pages: Mapping[str, str], titles: Mapping[str, str]) -> list[Reading]:
    found = []
    for path, page in counts.pages.items():
        article = pages.get(path)
        if article is None:
            continue
        found.append(
            Reading(article, titles.get(article, article), path, page.views, page.reader_days, page.channels)
        )
    return sorted(found, key=lambda r: (-r.reader_days, -r.views, r.title))


def compute(
    events: Sequence[Event],
    sop: Sop,
    people: Mapping[str, Person],
    period: Period,
    *,
    approved: frozenset[str] = frozenset(),
    was_published: frozenset[str] = frozenset(),
    enforced: bool = True,
    counts: Counts | None = None,
    pages: Mapping[str, str] | None = None,
    violations: int = 0,
    head: str | None = None,
) -> Recap:
    """The recap of one period, from plain data."""
    published = publications(events, sop, people, period, approved, was_published, enforced)
    categories = list(sop.categories)
    categories += sorted({p.category for p in published if p.category and p.category not in categories})
    by_category = tuple((c, sum(1 for p in published if p.category == c)) for c in categories)
    classes = list(info_classes())
    classes += sorted({p.info_class for p in published if p.info_class and p.info_class not in classes})
    by_class = tuple((c, sum(1 for p in published if p.info_class == c)) for c in classes)
    unclassified = sum(1 for p in published if not p.info_class)
    if unclassified:
        by_class += (("", unclassified),)
    ended, still = stays(events, sop, period)
    overruns = [s for s in ended if s.overran] + [s for s in still if s.overran]
    titles = _titles(events, period.end)
    found_readings = readings(counts, pages or {}, titles) if counts is not None else []
    per_day = {d: 0 for d in period.days()}
    for p in published:
        per_day[p.at.astimezone(WIB).date()] += 1
    days = tuple(
        Day(
            d,
            n,
            (counts.days[d].views if d in counts.days else 0) if counts is not None else None,
            (counts.days[d].readers if d in counts.days else 0) if counts is not None else None,
        )
        for d, n in per_day.items()
    )
    return Recap(
        period=period,
        publications=tuple(published),
        by_category=by_category,
        by_class=by_class,
        steps=tuple(steps(events, sop, people, period)),
        stages=tuple(stage_stats(ended, sop)),
        overruns=tuple(overruns),
        revisions=tuple(revisions(events, sop, period)),
        open_items=tuple(still),
        readings=tuple(found_readings),
        days=days,
        people=people,
        counts=counts,
        enforced=enforced,
        violations=violations,
        head=head,
    )


# ---- tables -------------------------------------------------------------------------------------


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
    en = lang == "en"
    counts = recap.counts
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
    if counts is not None:
        summary += [
            (("Tayangan halaman naskah", "Article page views")[en], counts.views),
            (
                ("Pembaca-hari (jumlah pembaca unik per hari)", "Reader-days (unique readers per day)")[en],
                counts.reader_days,
            ),
        ]
        if counts.source == "log":
            summary += [
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
        else:
            summary += [
                (("Baris CSV rusak (dilewati)", "Malformed CSV rows (skipped)")[en], counts.malformed)
            ]
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

    def cls(value: str | None) -> str:
        return value or "—"

    out = [
        Table(
            "ringkasan",
            "Ringkasan",
            "Summary",
            (Column("uraian", "Uraian", "Item"), Column("nilai", "Nilai", "Value", "auto")),
            tuple(summary),
        ),
        Table(
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
                    cls(p.info_class),
                    _person(recap, p.verified_by, lang),
                    p.commit[:12],
                    ("ya", "yes")[en] if p.embargoed else ("tidak", "no")[en],
                )
                for p in recap.publications
            ),
            "Terbit: saat commit verifikasi (langkah 7) di riwayat main, atau akhir embargo (publish_at) bila lebih akhir.",
            "Published: the verifying commit (step 7) on main's history, or the end of its embargo (publish_at) if later.",
        ),
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
        Table(
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
                    _KIND_LABELS[s.kind][en] or "—",
                    _person(recap, s.person, lang),
                    _role_label(sop, s.role, lang),
                    s.count,
                )
                for s in recap.steps
            ),
            "Orang dikenali dari tanda tangan SSH commit, bukan dari e-mail penulis commit.",
            "People are known by the commit's SSH signature, never by the author e-mail.",
        ),
        Table(
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
        ),
        Table(
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
        ),
        Table(
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
        ),
        Table(
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
        ),
    ]
    if counts is not None:
        channel_columns = tuple(
            Column(f"pembaca_{c}", CHANNEL_LABELS[c][0], CHANNEL_LABELS[c][1], "int") for c in CHANNELS
        )
        with_channels = counts.source == "log"
        out.append(
            Table(
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
        )
    day_columns: tuple[Column, ...] = (
        Column("tanggal", "Tanggal", "Date", "date"),
        Column("terbit", "Naskah terbit", "Published", "int"),
    )
    if counts is not None:
        day_columns += (
            Column("tayangan", "Tayangan", "Page views", "int"),
            Column("pembaca", "Pembaca", "Readers", "int"),
        )
    out.append(
        Table(
            "harian",
            "Per hari",
            "Per day",
            day_columns,
            tuple(
                (d.day, d.published, *((d.views, d.readers) if counts is not None else ()))
                for d in recap.days
            ),
            "Pembaca per hari: pembaca unik naskah mana pun pada hari itu (WIB)."
            if counts is not None
            else "",
            "Readers per day: unique readers of any article that day (WIB)." if counts is not None else "",
        )
    )
    return tuple(out)


# ---- rendering ----------------------------------------------------------------------------------


def _text(value: Any, kind: str, lang: str) -> str:
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


def _machine(value: Any) -> str:
    """A cell for a CSV: integers plain, durations in minutes, times ISO 8601 in WIB."""
    if value is None:
        return ""
    if isinstance(value, timedelta):
        return str(int(value.total_seconds() // 60))
    if isinstance(value, datetime):
        return value.astimezone(WIB).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def heading(recap: Recap, sop: Sop, lang: str) -> tuple[str, str]:
    """The report's title and the line under it."""
    if lang == "id":
        title = f"Rekapitulasi Bulanan Laman — {recap.period.title(lang)}"
        sub = f"{sop.header.get('issuer', '')} · SOP {sop.header.get('number', '')}: {sop.header.get('title', '')}"
    else:
        title = f"Monthly website recap — {recap.period.title(lang)}"
        sub = f"{sop.header.get('issuer', '')} · SOP {sop.header.get('number', '')}: {sop.header.get('title', '')}"
    return title, sub


def markdown(recap: Recap, sop: Sop, lang: str = "id", generated: datetime | None = None) -> str:
    title, sub = heading(recap, sop, lang)
    lines = [f"# {title}", "", sub, ""]
    if generated is not None:
        lines += [("Dibuat: " if lang == "id" else "Made: ") + tanggal_jam(generated, lang), ""]
    for table in tables(recap, sop, lang):
        lines += [f"## {table.title(lang)}", ""]
        if table.note(lang):
            lines += [table.note(lang), ""]
        if not table.rows:
            lines += ["Tidak ada." if lang == "id" else "None.", ""]
            continue
        lines.append("| " + " | ".join(_md_cell(c.label(lang)) for c in table.columns) + " |")
        lines.append(
            "|" + "|".join("---:" if c.kind in ("int", "duration") else "---" for c in table.columns) + "|"
        )
        for row in table.rows:
            cells = (_md_cell(_text(v, c.kind, lang)) for c, v in zip(table.columns, row, strict=True))
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def csv_files(recap: Recap, sop: Sop, lang: str = "id") -> dict[str, str]:
    """One CSV per table: `rekap-2023-03-<table>.csv` -> its text (comma, UTF-8, header row of
    column keys; counts as plain integers, durations in minutes, times ISO 8601 in WIB)."""
    files = {}
    for table in tables(recap, sop, lang):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(c.key for c in table.columns)
        for row in table.rows:
            writer.writerow(_machine(v) for v in row)
        files[f"rekap-{recap.period.name}-{table.key}.csv"] = buffer.getvalue()
    return files


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def xlsx(recap: Recap, sop: Sop, lang: str = "id") -> bytes:
    """The workbook: one sheet per table, a bold frozen header row, numbers as numbers in the
    Indonesian format, durations as [h]:mm, column widths set to the content."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for table in tables(recap, sop, lang):
        sheet = book.create_sheet(_SHEET_BAD.sub("-", table.sheet(lang))[:31])
        sheet.append([c.label(lang) for c in table.columns])
        for cell in sheet[1]:
            cell.font = bold
            cell.alignment = Alignment(vertical="top", wrap_text=False)
        widths = [len(c.label(lang)) for c in table.columns]
        for row in table.rows:
            values = []
            for i, (column, value) in enumerate(zip(table.columns, row, strict=True)):
                if isinstance(value, datetime):
                    value = value.astimezone(WIB).replace(tzinfo=None)
                values.append(value)
                widths[i] = max(widths[i], len(_text(row[i], column.kind, lang)))
            sheet.append(values)
            for cell, value in zip(sheet[sheet.max_row], values, strict=True):
                if isinstance(value, bool):
                    continue
                if isinstance(value, int):
                    cell.number_format = ID_NUMBER_FORMAT
                elif isinstance(value, timedelta):
                    cell.number_format = DURATION_FORMAT
                elif isinstance(value, datetime):
                    cell.number_format = DATETIME_FORMAT
                elif isinstance(value, date):
                    cell.number_format = DATE_FORMAT
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(max(width + 2, 8), 80)
        sheet.freeze_panes = "A2"
    book.properties.title = heading(recap, sop, lang)[0]
    book.properties.creator = "laman recap"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _svg_panel(
    days: Sequence[Day],
    values: Sequence[int],
    top: int,
    height: int,
    label: str,
    css: str,
    unit: str,
    lang: str,
) -> list[str]:
    left, width = 48, 720
    step = width / max(len(days), 1)
    peak = max([*values, 1])
    parts = [
        f'<text x="{left}" y="{top - 8}" class="label">{html_lib.escape(label)}</text>',
        f'<line x1="{left}" y1="{top + height}" x2="{left + width}" y2="{top + height}" class="axis"/>',
        f'<text x="{left - 6}" y="{top + 4}" class="tick" text-anchor="end">{_text(peak, "int", lang)}</text>',
        f'<text x="{left - 6}" y="{top + height}" class="tick" text-anchor="end">0</text>',
    ]
    for i, (day, value) in enumerate(zip(days, values, strict=True)):
        bar = height * value / peak
        x = left + i * step + step * 0.15
        parts.append(
            f'<rect class="{css}" x="{x:.1f}" y="{top + height - bar:.1f}" width="{step * 0.7:.1f}" '
            f'height="{bar:.1f}" data-day="{day.day.isoformat()}" data-value="{value}">'
            f"<title>{html_lib.escape(tanggal(day.day, lang))}: {_text(value, 'int', lang)} {unit}</title></rect>"
        )
    return parts


def svg_chart(recap: Recap, lang: str = "id") -> str:
    """Posts and readers per day as an inline SVG: two panels sharing the day axis."""
    en = lang == "en"
    days = list(recap.days)
    with_readers = recap.counts is not None
    panel = 120
    top = 30
    parts: list[str] = []
    if with_readers:
        parts += _svg_panel(
            days,
            [d.readers or 0 for d in days],
            top,
            panel,
            ("Pembaca per hari", "Readers per day")[en],
            "bar-readers",
            ("pembaca", "readers")[en],
            lang,
        )
        top += panel + 50
    parts += _svg_panel(
        days,
        [d.published for d in days],
        top,
        panel // 2,
        ("Naskah terbit per hari", "Articles published per day")[en],
        "bar-posts",
        ("naskah", "articles")[en],
        lang,
    )
    bottom = top + panel // 2
    step = 720 / max(len(days), 1)
    for i, day in enumerate(days):
        if len(days) <= 16 or day.day.day in (1, 5, 10, 15, 20, 25) or i == len(days) - 1:
            x = 48 + i * step + step / 2
            parts.append(
                f'<text x="{x:.1f}" y="{bottom + 16}" class="tick" text-anchor="middle">{day.day.day}</text>'
            )
    total_height = bottom + 30
    total_readers = sum(d.readers or 0 for d in days)
    desc = (
        f"{len(recap.publications)} naskah terbit"
        + (f" dan {angka(total_readers)} pembaca harian" if with_readers else "")
        + f" dalam periode {recap.period.title(lang)}."
        if not en
        else f"{len(recap.publications)} articles published"
        + (f" and {total_readers:,} daily readers" if with_readers else "")
        + f" in {recap.period.title(lang)}."
    )
    title = ("Naskah terbit dan pembaca per hari", "Articles published and readers per day")[en]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 780 {total_height}" role="img" '
        f'aria-labelledby="grafik-judul grafik-ket" class="chart">'
        f'<title id="grafik-judul">{html_lib.escape(title)}</title>'
        f'<desc id="grafik-ket">{html_lib.escape(desc)}</desc>' + "".join(parts) + "</svg>"
    )


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:72rem;
padding:1rem 1.25rem;color:#1a1a1a;line-height:1.45;background:#fff}
h1{font-size:1.6rem;color:#7a0c0c;margin-bottom:.25rem}h2{font-size:1.2rem;margin-top:2rem;
border-bottom:2px solid #7a0c0c;padding-bottom:.2rem}p.sub{color:#444;margin-top:0}
table{border-collapse:collapse;width:100%;font-size:.92rem}caption{text-align:left;color:#444;
padding:.3rem 0}th,td{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}
th{background:#f3eded}td.num{text-align:right;font-variant-numeric:tabular-nums}
.wrap{overflow-x:auto}.chart{width:100%;height:auto;max-width:60rem}.chart .bar-readers{fill:#7a0c0c}
.chart .bar-posts{fill:#2b5d8a}.chart .axis{stroke:#555}.chart .tick{font-size:11px;fill:#333}
.chart .label{font-size:13px;font-weight:600;fill:#1a1a1a}footer{margin-top:2rem;color:#555;font-size:.85rem}
"""


def html(recap: Recap, sop: Sop, lang: str = "id", generated: datetime | None = None) -> str:
    """One self-contained page: no script, no external file; the chart is inline SVG."""
    title, sub = heading(recap, sop, lang)
    esc = html_lib.escape
    body = [
        f"<h1>{esc(title)}</h1>",
        f'<p class="sub">{esc(sub)}</p>',
        f"<h2>{esc(('Grafik harian', 'Daily chart')[lang == 'en'])}</h2>",
        f"<figure>{svg_chart(recap, lang)}</figure>",
    ]
    for table in tables(recap, sop, lang):
        body.append(f'<section id="{table.key}"><h2>{esc(table.title(lang))}</h2>')
        if not table.rows:
            body.append(f"<p>{('Tidak ada.', 'None.')[lang == 'en']}</p></section>")
            continue
        body.append('<div class="wrap"><table>')
        if table.note(lang):
            body.append(f"<caption>{esc(table.note(lang))}</caption>")
        body.append(
            "<thead><tr>"
            + "".join(f'<th scope="col">{esc(c.label(lang))}</th>' for c in table.columns)
            + "</tr></thead><tbody>"
        )
        for row in table.rows:
            cells = []
            for column, value in zip(table.columns, row, strict=True):
                numeric = isinstance(value, int | timedelta) and not isinstance(value, bool)
                attr = ' class="num"' if numeric else ""
                cells.append(f"<td{attr}>{esc(_text(value, column.kind, lang))}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        body.append("</tbody></table></div></section>")
    if generated is not None:
        made = ("Dibuat", "Made")[lang == "en"]
        body.append(f"<footer>{made}: {esc(tanggal_jam(generated, lang))} · laman recap</footer>")
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + "\n</main>\n</body>\n</html>\n"
    )


# ---- the shell: git history in, files out ---------------------------------------------------------


@dataclass(frozen=True)
class Gathered:
    events: tuple[Event, ...]
    people: Mapping[str, Person]
    approved: frozenset[str]
    was_published: frozenset[str]
    enforced: bool
    violations: int
    head: str | None
    extra: Mapping[str, Meta]  # article id -> metadata of what is publishable at HEAD


def _meta(version: policy.Version) -> Meta:
    meta = version.meta
    if meta is None:
        return Meta(revision=version.fields.get(REVISION), withdrawal=version.fields.get(WITHDRAWAL))
    info = meta.get("information") or {}
    publish_at = meta.get("publish_at")
    try:
        embargo = parse_datetime(str(publish_at)) if publish_at else None
    except ValueError:
        embargo = None
    return Meta(
        title=meta.get("title"),
        category=meta.get("category"),
        info_class=info.get("class") if isinstance(info, Mapping) else None,
        slug=meta.get("slug"),
        publish_at=embargo,
        revision=meta.get(REVISION),
        withdrawal=meta.get(WITHDRAWAL),
    )


def people_of(team: Team) -> dict[str, Person]:
    return {p.id: Person(p.id, p.name, p.roles) for p in team.people}


def gather(repo: Repository, sop: Sop, team: Team, checked: CheckResult, period: Period) -> Gathered:
    """Events from one pass over main's history of `content/`; signatures verified for the
    commits the period needs; full metadata parsed only for the blobs the period reads."""
    commits = list(repo.commits(["HEAD"], [CONTENT_DIR], oldest_first=True))
    changes = [c for commit in commits for c in events.own_changes(commit)]
    # Each blob as its newest path and mode named it: a peek needs no more.
    where = {c.new_blob: (c.path, c.new_mode) for c in changes if c.new_blob}
    versions = _versions(repo, {b for c in changes for b in (c.new_blob, c.old_blob) if b}, where, full=False)
    found = list(events.article_events(commits, versions.get))
    full, needed = _period_needs(found, sop, period)
    versions.update(_versions(repo, [b for b in full if b in versions and not versions[b].parsed], where))
    metas = {oid: _meta(versions[oid]) for oid in full if oid in versions}
    signers = _signers(repo, [c for c in commits if c.id in needed])
    return Gathered(
        events=tuple(
            Event(
                e.commit,
                e.at,
                e.article,
                e.path,
                e.source,
                e.target,
                signers.get(e.commit),
                metas.get(e.new_blob or "")
                or (_meta(versions[e.new_blob]) if e.new_blob in versions else Meta()),
            )
            for e in found
        ),
        people=people_of(team),
        approved=frozenset(r.verified_in for r in checked.records.values() if r.approved and r.verified_in),
        was_published=frozenset(i for i, r in checked.records.items() if r.was_published),
        enforced=checked.enforced,
        violations=len(checked.violations),
        head=checked.head,
        extra={i: _meta(v) for i, v in checked.publishable.items() if v.meta is not None},
    )


def _versions(
    repo: Repository, blobs: Iterable[str], where: Mapping[str, tuple[str, str]], *, full: bool = True
) -> dict[str, policy.Version]:
    """These blobs read and peeked (or with `full`, parsed), each as a regular file."""
    found = {}
    for oid, raw in repo.objects(blobs).items():
        path, mode = where.get(oid, ("", "100644"))
        found[oid] = policy.version(path, oid, mode if mode in policy.REGULAR else "100644", raw, full=full)
    return found


def _period_needs(
    found: Sequence[events.ArticleEvent], sop: Sop, period: Period
) -> tuple[set[str], set[str]]:
    """The blobs the period reads in full and the commits whose signers it names: per article,
    from the state at the period's start to its end, and every move into a publishable stage
    (an embargo may end later)."""
    full: set[str] = set()
    needed: set[str] = set()
    by_article: dict[str, list[events.ArticleEvent]] = {}
    for event in found:
        by_article.setdefault(event.article, []).append(event)
    for own in by_article.values():
        before = [e for e in own if e.at < period.start]
        inside = [e for e in own if e.at in period]
        full.update(e.new_blob for e in before[-1:] + inside if e.new_blob)
        needed.update(e.commit for e in inside)
        for event in own:
            target = event.target
            if target and event.new_blob and sop.has_stage(target) and sop.stage(target).publishable:
                full.add(event.new_blob)
                needed.add(event.commit)
    return full, needed


def _signers(repo: Repository, commits: Sequence[CommitInfo]) -> dict[str, str]:
    """commit id -> the person its signature proves, as `laman check` resolves it: under the
    sop.yml and team.yml in force at the commit (its first parent's), a forge's key vouching for
    the author it names (people who left the office since included: the recap tells who did the
    work then)."""
    if not commits:
        return {}
    verdicts = signature.verdicts([c.raw for c in commits])
    in_force = repo.top_files((c.parents[0] for c in commits if c.parents), (SOP_FILE, TEAM_FILE))
    policies = Checker(repo, None)  # reads sop.yml and team.yml blobs as the check does
    out = {}
    for commit, (status, fingerprint) in zip(commits, verdicts, strict=True):
        sop_blob, team_blob = (
            in_force.get(commit.parents[0], (None, None)) if commit.parents else (None, None)
        )
        found = policy.resolve_signer(
            status, fingerprint, commit.author_email, policies.policy((sop_blob, team_blob))
        )
        if found.person is not None:
            out[commit.id] = found.person.id
    return out


def write(
    recap: Recap, sop: Sop, out_dir: Path, lang: str = "id", generated: datetime | None = None
) -> list[Path]:
    """Write the Markdown, one CSV per table, the workbook and the HTML page; their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"rekap-{recap.period.name}"
    written = []
    target = out_dir / f"{stem}.md"
    target.write_text(markdown(recap, sop, lang, generated), "utf-8")
    written.append(target)
    for name, text in csv_files(recap, sop, lang).items():
        target = out_dir / name
        target.write_text(text, "utf-8")
        written.append(target)
    target = out_dir / f"{stem}.xlsx"
    target.write_bytes(xlsx(recap, sop, lang))
    written.append(target)
    target = out_dir / f"{stem}.html"
    target.write_text(html(recap, sop, lang, generated), "utf-8")
    written.append(target)
    return written
