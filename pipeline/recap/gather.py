"""The shell: main's history read once into the recap's events (`proof.events`), blobs peeked
and parsed through `policy`, signers resolved as the check resolves them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pipeline.model.dates import parse_datetime
from pipeline.model.project import CONTENT_DIR, SOP_FILE, TEAM_FILE
from pipeline.model.sop import Sop
from pipeline.model.team import Team
from pipeline.proof import events, policy, signature
from pipeline.proof.check import CheckResult
from pipeline.proof.gitlog import CommitInfo
from pipeline.proof.history import Repository
from pipeline.proof.reader import Reader
from pipeline.proof.version import REGULAR, Version
from pipeline.proof.version import version as read_version
from pipeline.recap.compute import Waived
from pipeline.recap.period import Period
from pipeline.recap.posts import Event, Meta, Person, reason_fields


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
    waived: tuple[Waived, ...] = ()  # every violation waived at HEAD, with when and by whom


def _meta(version: Version, reasons: Sequence[str]) -> Meta:
    """What the recap reads of a blob: of a peeked one, only the reasons the peek read."""
    given = {field: value for field in reasons if (value := version.value(field))}
    meta = version.meta
    if meta is None:
        return Meta(reasons=given)
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
        reasons=given,
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
    versions = _versions(
        repo, {b for c in changes for b in (c.new_blob, c.old_blob) if b}, where, sop.step_fields, full=False
    )
    found = list(events.article_events(commits, versions.get))
    full, needed = _period_needs(found, sop, period)
    versions.update(
        _versions(repo, [b for b in full if b in versions and not versions[b].parsed], where, sop.step_fields)
    )
    reasons = reason_fields(sop)
    metas = {oid: _meta(versions[oid], reasons) for oid in full if oid in versions}
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
                or (_meta(versions[e.new_blob], reasons) if e.new_blob in versions else Meta()),
            )
            for e in found
        ),
        people=people_of(team),
        approved=frozenset(r.verified_in for r in checked.records.values() if r.approved and r.verified_in),
        was_published=frozenset(i for i, r in checked.records.items() if r.was_published),
        enforced=checked.enforced,
        violations=len(checked.violations),
        head=checked.head,
        extra={i: _meta(v, reasons) for i, v in checked.publishable.items() if v.meta is not None},
        waived=_waived(repo, checked),
    )


def _waived(repo: Repository, checked: CheckResult) -> tuple[Waived, ...]:
    times = repo.commit_times(w.commit for _, w in checked.waived)
    return tuple(
        Waived(
            times[w.commit],
            v.code,
            v.article or v.file,
            v.commit,
            w.commit,
            w.signer.person.id if w.signer and w.signer.person else None,
            w.reason,
        )
        for v, w in checked.waived
        if w.commit in times
    )


def _versions(
    repo: Repository,
    blobs: Iterable[str],
    where: Mapping[str, tuple[str, str]],
    step_fields: tuple[str, ...],
    *,
    full: bool = True,
) -> dict[str, Version]:
    """These blobs read and peeked (or with `full`, parsed), each as a regular file."""
    found = {}
    for oid, raw in repo.objects(blobs).items():
        path, mode = where.get(oid, ("", "100644"))
        found[oid] = read_version(
            path, oid, mode if mode in REGULAR else "100644", raw, full=full, step_fields=step_fields
        )
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
    policies = Reader(repo, {})  # reads sop.yml and team.yml blobs as the check does
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
