"""`laman deploy`, `laman rollback` and `laman releases`: a finished build, published atomically.

A release is unpacked under a temporary name, renamed to `releases/<commit>` once complete, and
only then is the `current` symlink switched by a rename over it. A reader of the web server sees
the old release or the new one, never half of one, whenever the deploy is interrupted. The
switch is the commit point: every message says which side of it the deploy ended on.

The target's side is one script (`remote`), run under the target's lock; the choices it carries
out are made here, from the state it reports (`releases`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipeline.errors import LamanError, Problem
from pipeline.model.dates import WIB, angka
from pipeline.proof.check import PUBLISHED_REF
from pipeline.proof.history import Repository
from pipeline.site import releases
from pipeline.site.provenance import MARKER
from pipeline.site.remote import Ended, Target, parse_target, session, space_needed

_FULL = re.compile(r"No space left on device|Disk quota exceeded")  # what tar says of a full disk


def read_marker(site: Path) -> dict[str, object]:
    try:
        return json.loads((site / MARKER).read_text("utf-8"))
    except (OSError, ValueError):
        raise LamanError([Problem("DEP002", str(site), args={"site": str(site)})]) from None


def refusals(marker: dict[str, object], head: str | None, history_ok: bool, site: str) -> list[Problem]:
    """Why this build must not go live (pure)."""
    problems = []
    if marker.get("preview"):
        problems.append(Problem("DEP003", site))
    if not marker.get("enforced"):
        problems.append(Problem("DEP004", site))
    if marker.get("commit") != head:
        problems.append(Problem("DEP005", site, args={"built": marker.get("commit"), "head": head}))
    if not history_ok:
        problems.append(Problem("DEP006", site))
    return problems


def log_line(commit: str, who: str, articles: int | None, action: str, now: datetime, release: str) -> str:
    """`when, action, commit, who, articles, release`, tab-separated: one line of `deploy.log`."""
    when = now.astimezone(WIB).strftime("%Y-%m-%d %H:%M:%S WIB")
    count = "-" if articles is None else str(articles)
    return "\t".join((when, action, commit, re.sub(r"\s+", " ", who), count, release))


@dataclass(frozen=True)
class Switched:
    """How a deploy or a rollback ended: the release live now, and what was live before."""

    target: str
    release: str
    commit: str
    before: str | None  # the release live before, None if none was
    switched: bool  # False: the release was live already, nothing moved
    copied: bool  # False: no files were sent (the release was there already)
    pruned: tuple[str, ...]
    warnings: tuple[Problem, ...]  # what failed after the switch, or did not stop it


Waiting = Callable[[], None]


def deploy(
    repo: Repository,
    site: Path,
    where: str,
    *,
    keep: int,
    wait: int,
    now: datetime,
    ssh_options: Sequence[str] = (),
    on_wait: Waiting = lambda: None,
) -> Switched:
    """Make the build in `site` live at `where`, under the target's lock (the build already
    passed `refusals`). Raises LamanError only when the live site did not change."""
    target = parse_target(where)
    marker = (site / MARKER).read_bytes()
    built = json.loads(marker)
    commit, articles = str(built["commit"]), len(built.get("articles") or [])
    needed = space_needed(site)
    with session(target, "deploy", wait, ssh_options) as run:
        state = _state(run.report(on_wait), where, wait, "DEP007")
        _refuse_backwards(repo, state, commit, where)
        if state.free is not None and needed > state.free:
            raise LamanError([Problem("DEP011", where, args=_space(needed, state.free))])
        plan = releases.plan_deploy(state, commit, hashlib.sha256(marker).hexdigest(), keep)
        line = log_line(commit, _who(repo), articles, "deploy", now, plan.name)
        ended = run.decide(
            [f"{'extract' if plan.copy else 'switch'} {plan.name}", line, " ".join(plan.prune)],
            site if plan.copy else None,
        )
    unpack = ended.first("error unpack")
    if unpack is not None and _FULL.search(ended.detail):
        free = int(unpack) * 1024 if unpack.isdigit() else 0
        detail = next(line for line in ended.detail.splitlines() if _FULL.search(line))
        raise LamanError([Problem("DEP012", where, args={**_space(needed, free), "detail": detail})])
    moved, warnings = _outcome(ended, target, where, plan.name, state, "DEP007", ssh_options)
    warnings += _record(repo, commit)
    kept = {said.partition(" ")[0] for said in ended.every("warning prune")}
    pruned = tuple(p for p in plan.prune if p not in kept)
    return Switched(where, plan.name, commit, state.live, moved, plan.copy, pruned, warnings)


def rollback(
    repo: Repository,
    where: str,
    *,
    to: str | None,
    wait: int,
    now: datetime,
    ssh_options: Sequence[str] = (),
    on_wait: Waiting = lambda: None,
) -> Switched:
    """Make an earlier release live again: the newest of commit `to`, or else the one that was
    live before the live commit went live (not merely the newest folder)."""
    target = parse_target(where)
    with session(target, "rollback", wait, ssh_options) as run:
        state = _state(run.report(on_wait), where, wait, "DEP008")
        chosen = releases.plan_rollback(state, to, where)
        if chosen.name == state.live:
            return Switched(where, chosen.name, chosen.commit, state.live, False, False, (), ())
        line = log_line(chosen.commit, _who(repo), None, "rollback", now, chosen.name)
        ended = run.decide([f"switch {chosen.name}", line, ""])
    moved, warnings = _outcome(ended, target, where, chosen.name, state, "DEP008", ssh_options)
    return Switched(where, chosen.name, chosen.commit, state.live, moved, False, (), warnings)


@dataclass(frozen=True)
class Listed:
    release: str
    commit: str
    first: str | None  # when it first went live, from `deploy.log`
    last: str | None  # when it last went live
    live: bool


def listing(where: str, ssh_options: Sequence[str] = ()) -> tuple[Listed, ...]:
    """The releases at `where`, the one most recently live first. It takes no lock: it only
    reads, and a deploy running meanwhile may show as not yet in the log."""
    state = _read(parse_target(where), where, ssh_options)
    whens: dict[str, list[str]] = {}
    for entry in state.log:
        whens.setdefault(entry.release, []).append(entry.when)
    return tuple(
        Listed(r.name, r.commit, *_ends(whens.get(r.name, [])), r.name == state.live)
        for r in releases.recency(state)
    )


def _ends(items: list[str]) -> tuple[str | None, str | None]:
    return (items[0], items[-1]) if items else (None, None)


def _read(target: Target, where: str, ssh_options: Sequence[str], code: str = "DEP023") -> releases.State:
    with session(target, "list", 0, ssh_options) as run:
        return _state(run.report(lambda: None), where, 0, code)


def _state(report: list[str] | Ended, where: str, wait: int, code: str) -> releases.State:
    """The target's state; or, if the script ended before reporting it, why (nothing changed)."""
    if not isinstance(report, Ended):
        return releases.parse_state(report)
    error = report.first("error")
    if error == "busy":
        raise LamanError([Problem("DEP009", where, args={"target": where, "wait": wait})])
    if error == "noflock":
        raise LamanError([Problem("DEP019", where, args={"target": where})])
    raise LamanError([Problem(code, where, args={"target": where, **_failure(report, None, known=False)})])


def _refuse_backwards(repo: Repository, state: releases.State, commit: str, where: str) -> None:
    """A build whose history lacks the live commit would take the site back (two pushes close
    together, the older one deployed last) or drop what another branch published: refused."""
    live = state.live_commit
    if state.live is None or live == commit or (live is not None and repo.is_ancestor(live, commit)):
        return
    args = {"live": releases.short(state.live), "commit": commit[:10], "target": where}
    raise LamanError([Problem("DEP010", where, args=args)])


def _outcome(
    ended: Ended,
    target: Target,
    where: str,
    name: str,
    state: releases.State,
    code: str,
    ssh_options: Sequence[str],
) -> tuple[bool, tuple[Problem, ...]]:
    """Which side of the switch the script ended on, and the warnings of what failed after it
    (or of leftovers it could not remove before). A script that ended without saying whether
    it switched, its connection cut, is asked again; raises if the live site did not change."""
    if ended.first("switched") is None and ended.first("unchanged") is None:
        error = ended.first("error")  # said just before the script stopped, short of the switch
        live = state.live if error is not None else _read(target, where, ssh_options, "DEP021").live
        if error is not None or live != name:
            raise LamanError([Problem(code, where, args={"target": where, **_failure(ended, live)})])
    warnings = [Problem("DEP018", where, args={"path": p}) for p in state.leftovers]
    warnings += [Problem("DEP017", where, args={"detail": d}) for d in ended.every("warning log")]
    for said in ended.every("warning prune"):
        release, _, detail = said.partition(" ")
        warnings.append(Problem("DEP016", where, args={"release": release, "detail": detail}))
    if "done" not in ended.said:
        detail = ended.detail or f"exit {ended.returncode}"
        args = {"target": where, "release": releases.short(name), "detail": detail}
        warnings.append(Problem("DEP020", where, args=args))
    return state.live != name, tuple(warnings)


def _failure(ended: Ended, live: str | None, known: bool = True) -> dict[str, object]:
    """What failed, and what is live now (when the target said)."""
    detail = ended.detail or f"exit {ended.returncode}"
    if not known:
        return {"detail": detail, "live": ""}
    if live is None:
        return {
            "detail": detail,
            "live": {"id": " (belum ada situs yang tayang)", "en": " (no site is live)"},
        }
    short = releases.short(live)
    return {"detail": detail, "live": {"id": f" (tetap rilis {short})", "en": f" (still release {short})"}}


def _record(repo: Repository, commit: str) -> tuple[Problem, ...]:
    """`refs/laman/published` to the commit now live; a failure here is only a warning."""
    try:
        repo.update_ref(PUBLISHED_REF, commit)
    except LamanError as failure:
        return tuple(
            Problem("DEP022", p.file, args={"commit": commit, "detail": p.args.get("detail", p.code)})
            for p in failure.problems
        )
    return ()


def _who(repo: Repository) -> str:
    return repo.config("user.name") or "CI"


def _space(needed: int, free: int) -> dict[str, object]:
    return {"needed": _size(needed), "free": _size(free)}


def _size(n: int) -> dict[str, str]:
    kb = -(-n // 1024)
    return {"id": f"{angka(kb)} KB", "en": f"{kb:,} KB"}
