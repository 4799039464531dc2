"""What happened to the articles in a period, from history events (plain data): what became
publishable, who took each step, how long items waited in each stage, what was sent back.
Pure: no I/O."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pipeline.model.article import EXEMPT
from pipeline.model.sop import Sop, Transition
from pipeline.recap.period import Period

UNKNOWN_PERSON = "?"


# ---- plain data in ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Meta:
    """What the recap reads of one blob of an article (None: not read)."""

    title: str | None = None
    category: str | None = None
    info_class: str | None = None
    slug: str | None = None
    publish_at: datetime | None = None
    reasons: Mapping[str, Any] = field(default_factory=dict)  # reason field (sop.yml) -> value


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


def _waiting_stage(sop: Sop, stage: str | None) -> bool:
    """A stage where an item waits for someone to act (not published, not closed)."""
    if not stage or not sop.has_stage(stage):
        return False
    found = sop.stage(stage)
    return not found.publishable and not found.terminal


def latest_titles(events: Sequence[Event], until: datetime) -> dict[str, str]:
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
    titles = latest_titles(events, period.end)
    live: set[str] = set()  # articles published before: a later verification is a correction
    for event in events:
        if event.target is None or event.source == event.target or not sop.has_stage(event.target):
            continue
        if not sop.stage(event.target).publishable:
            continue
        if not _accepted(event, sop, people, approved, was_published, enforced) or event.article in live:
            continue
        live.add(event.article)
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


def reason_fields(sop: Sop) -> tuple[str, ...]:
    """The front-matter fields that hold why an article moved, as sop.yml's transitions name
    them (`reason:`)."""
    return tuple(dict.fromkeys(t.reason for t in sop.transitions if t.reason))


def move_kind(sop: Sop, transition: Transition) -> str:
    """A move that must give its reason is a withdrawal if it closes the item (a terminal
    stage) and a revision if it sends the item back (to an earlier stage); any other, a step."""
    if not transition.reason or not (sop.has_stage(transition.source) and sop.has_stage(transition.target)):
        return "step"
    if sop.stage(transition.target).terminal:
        return "withdrawal"
    return "revision" if sop.order(transition.target) < sop.order(transition.source) else "step"


def _kind(sop: Sop, event: Event) -> tuple[str, tuple[str, ...]]:
    """What a move is, and the roles that may make it."""
    if event.source is None:
        return "created", sop.create_roles
    transition = sop.transition(event.source, event.target or "")
    if transition is None:
        return "step", ()
    return move_kind(sop, transition), transition.roles


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
    titles = latest_titles(events, period.end)
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
    titles = latest_titles(events, period.end)
    found = []
    for event in events:
        if event.at not in period or event.target is None or event.source == event.target:
            continue
        transition = sop.transition(event.source or "", event.target)
        if transition is None or move_kind(sop, transition) != "revision":
            continue
        found.append(
            Revision(
                event.at,
                event.article,
                event.meta.title or titles.get(event.article, event.article),
                event.source or "",
                event.target,
                event.signer or UNKNOWN_PERSON,
                event.meta.reasons.get(transition.reason or "") or "",
            )
        )
    return found
