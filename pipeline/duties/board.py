"""The editorial board: every article grouped by stage, who must act, how long it has waited."""

from __future__ import annotations

import calendar
import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from pipeline.errors import LamanError
from pipeline.model import article
from pipeline.model.article import Article
from pipeline.model.dates import parse_datetime
from pipeline.model.sop import Sop
from pipeline.model.team import Team
from pipeline.proof import events
from pipeline.proof.gitlog import CommitInfo
from pipeline.proof.version import version as read_version


@dataclass(frozen=True)
class Row:
    id: str
    title: str
    file: str
    stage: str
    stage_label: str
    info_class: str | None
    roles: tuple[str, ...]
    people: tuple[str, ...]
    since: datetime | None
    waited: timedelta | None
    limit: timedelta | None
    overdue: bool
    # A published periodic item (UU 14/2008 Pasal 9) not updated for six months.
    stale_periodic: bool = False

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["since"] = self.since.isoformat() if self.since else None
        data["waited_hours"] = round(self.waited.total_seconds() / 3600, 1) if self.waited else None
        data["limit_hours"] = round(self.limit.total_seconds() / 3600, 1) if self.limit else None
        del data["waited"], data["limit"]
        return data


def rows(
    articles: Iterable[Article],
    sop: Sop,
    team: Team,
    entered: Mapping[str, datetime],
    now: datetime,
    lang: str = "id",
) -> list[Row]:
    """One row per article, in SOP order, the longest-waiting first within a stage."""
    out = []
    for item in articles:
        if not sop.has_stage(item.stage):
            continue
        stage = sop.stage(item.stage)
        roles = () if stage.terminal or stage.publishable else sop.next_roles(stage.id)
        people = _people(item, sop, team, roles)
        since = entered.get(item.file)
        waited = now - since if since else None
        limit = None if (stage.terminal or stage.publishable) else sop.time_limit(stage.id, item.info_class)
        out.append(
            Row(
                id=item.id,
                title=item.title,
                file=item.file,
                stage=stage.id,
                stage_label=stage.title(lang),
                info_class=item.info_class,
                roles=tuple(sop.roles[r].title(lang) for r in roles),
                people=people,
                since=since,
                waited=waited,
                limit=limit,
                overdue=bool(limit and waited and waited > limit),
                stale_periodic=stage.publishable and stale_periodic(item, now),
            )
        )
    return sorted(out, key=lambda r: (sop.order(r.stage), -(r.waited or timedelta()).total_seconds()))


PERIODIC = "berkala"
PERIODIC_MONTHS = 6


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` earlier (the month's last day if that day does not exist)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def stale_periodic(item: Article, now: datetime) -> bool:
    """Periodic information must be published at least every six months (UU 14/2008 Pasal 9):
    true when the newer of `date` and `modified` is older than that."""
    if item.info_class != PERIODIC:
        return False
    moments = [item.date]
    if item.meta.get("modified"):
        moments.append(parse_datetime(item.meta["modified"]))
    known = [m for m in moments if m is not None]
    return bool(known) and max(known) < months_before(now, PERIODIC_MONTHS)


def _people(item: Article, sop: Sop, team: Team, roles: tuple[str, ...]) -> tuple[str, ...]:
    # The one assigned is the one who must write; otherwise everyone holding the role.
    writer_step = any(t.assignee_only for t in sop.transitions_from(item.stage))
    assignee = item.meta.get("assignee")
    if writer_step and assignee and assignee.lower() in team.by_email:
        return (team.by_email[assignee.lower()].name,)
    return tuple(p.name for r in roles for p in team.with_role(r))


def stage_entered(
    commits: Iterable[CommitInfo], current: Mapping[str, str], blob: Callable[[str], bytes]
) -> dict[str, datetime]:
    """When each file (path -> its stage now) entered that stage, from history newest first:
    the newest commit that changed it from a blob in another stage or in none (one that is not
    a valid article; a file renamed had no blob at its new path), or created it there."""
    entered: dict[str, datetime] = {}
    pending = dict(current)
    peeked = functools.lru_cache(maxsize=4096)(
        lambda oid: read_version("", oid, "100644", blob(oid), full=False)
    )
    # Only commits that touch a file still pending are read (each whole: a rename pairs paths).
    touching = (c for c in commits if any(change.path in pending for change in c.changes))
    for event in events.article_events(touching, peeked):
        if event.path not in pending or event.target is None:
            continue
        before = peeked(event.old_blob).stage if event.old_blob else None
        # A peek reads the stage, not whether the rest is valid: asked only when it matters.
        if before != pending[event.path] or not _valid(blob, event.old_blob or ""):
            entered[event.path] = event.at
            del pending[event.path]
            if not pending:
                break
    return entered


def _valid(blob: Callable[[str], bytes], blob_id: str) -> bool:
    try:
        article.parse(blob(blob_id), blob_id)
    except LamanError:
        return False
    return True
