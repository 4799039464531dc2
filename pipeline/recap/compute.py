"""The recap of one period as one value, from plain data: `compute`. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from pipeline.model import schemas
from pipeline.model.article import EXEMPT, slug_of
from pipeline.model.dates import WIB
from pipeline.model.sop import Sop
from pipeline.recap.period import Period
from pipeline.recap.posts import (
    Event,
    Meta,
    Person,
    Publication,
    Revision,
    StageStat,
    Stay,
    StepCount,
    latest_titles,
    publications,
    revisions,
    stage_stats,
    stays,
    steps,
)
from pipeline.recap.readers import Counts


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
    waived: tuple[Waived, ...] = ()  # waivers signed in the period


@dataclass(frozen=True)
class Waived:
    """A violation the person in charge waived (`laman waive`): "pelanggaran yang dimaafkan"."""

    at: datetime  # when the waiver was committed
    code: str
    article: str  # the article, or the file
    commit: str  # where the violation was made
    waiver: str  # the waiver's commit
    by: str | None  # the person who signed the waiver
    reason: str


def info_classes() -> tuple[str, ...]:
    """The public classes an article may be published under (never the exempt one)."""
    enum = schemas.schema("article")["properties"]["information"]["properties"]["class"]["enum"]
    return tuple(c for c in enum if c != EXEMPT)


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
    waived: Sequence[Waived] = (),
) -> Recap:
    """The recap of one period, from plain data."""
    published = publications(events, sop, people, period, approved, was_published, enforced)
    ended, still = stays(events, sop, period)
    titles = latest_titles(events, period.end)
    return Recap(
        period=period,
        publications=tuple(published),
        by_category=_by_category(published, sop),
        by_class=_by_class(published),
        steps=tuple(steps(events, sop, people, period)),
        stages=tuple(stage_stats(ended, sop)),
        overruns=tuple([s for s in ended if s.overran] + [s for s in still if s.overran]),
        revisions=tuple(revisions(events, sop, period)),
        open_items=tuple(still),
        readings=tuple(readings(counts, pages or {}, titles) if counts is not None else []),
        days=_days(published, period, counts),
        people=people,
        counts=counts,
        enforced=enforced,
        violations=violations,
        head=head,
        waived=tuple(w for w in waived if w.at in period),
    )


def _by_category(published: Sequence[Publication], sop: Sop) -> tuple[tuple[str, int], ...]:
    """Every category of the SOP, in its order, then any other an article named."""
    categories = list(sop.categories)
    categories += sorted({p.category for p in published if p.category and p.category not in categories})
    return tuple((c, sum(1 for p in published if p.category == c)) for c in categories)


def _by_class(published: Sequence[Publication]) -> tuple[tuple[str, int], ...]:
    """Every public information class, then any other named, then those with none (as "")."""
    classes = list(info_classes())
    classes += sorted({p.info_class for p in published if p.info_class and p.info_class not in classes})
    by_class = tuple((c, sum(1 for p in published if p.info_class == c)) for c in classes)
    unclassified = sum(1 for p in published if not p.info_class)
    return by_class + ((("", unclassified),) if unclassified else ())


def _days(published: Sequence[Publication], period: Period, counts: Counts | None) -> tuple[Day, ...]:
    per_day = {d: 0 for d in period.days()}
    for p in published:
        per_day[p.at.astimezone(WIB).date()] += 1
    return tuple(
        Day(
            d,
            n,
            (counts.days[d].views if d in counts.days else 0) if counts is not None else None,
            (counts.days[d].readers if d in counts.days else 0) if counts is not None else None,
        )
        for d, n in per_day.items()
    )
