"""The releases at a deploy target, and which one a deploy or a rollback makes live (pure).

A release is a folder `releases/<commit>` (`<commit>.2`, `.3`… when the same commit was built
again with other articles, as when an embargo ended). Its identity is its build marker: two
builds of one commit with the same articles are the same site, so the second reuses the first.
`deploy.log` records every switch; the order of releases, and so rollback, is read from it,
never from modification times.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipeline.errors import LamanError, Problem

# `<commit>`, `<commit>.<n>`, and `<commit>-<time>-<pid>` as older versions named a second copy.
_NAME = re.compile(r"([0-9a-f]{7,64})(?:[.-][0-9]+)*")


def commit_of(name: str) -> str | None:
    """The commit a release folder was built from, or None if the name is not a release's."""
    found = _NAME.fullmatch(name)
    return found.group(1) if found else None


def short(name: str) -> str:
    """A release's name as people read it: the commit's first ten characters (and any `.2`)."""
    commit = commit_of(name)
    return commit[:10] + name[len(commit) :] if commit else name


@dataclass(frozen=True)
class Release:
    name: str
    commit: str
    identity: str | None  # sha256 of its `.laman-build.json`; None when it has none


@dataclass(frozen=True)
class Entry:
    """One line of `deploy.log`: a release made live (or kept live) by a deploy or a rollback."""

    when: str
    action: str
    commit: str
    who: str
    articles: str
    release: str


def parse_entry(text: str) -> Entry | None:
    fields = text.split("\t")
    if len(fields) < 5:
        return None
    when, action, commit, who, articles = fields[:5]
    # Older deploy lines had no release field: their release was named by the commit alone.
    release = fields[5] if len(fields) > 5 else commit
    return Entry(when, action, commit_of(release) or commit, who, articles, release)


@dataclass(frozen=True)
class State:
    """What the target's script reported, under its lock: the live release, every release,
    the end of `deploy.log`, the free space, and leftovers it could not remove."""

    live: str | None
    releases: tuple[Release, ...]
    log: tuple[Entry, ...]
    free: int | None  # bytes
    leftovers: tuple[str, ...]

    @property
    def live_commit(self) -> str | None:
        return commit_of(self.live) if self.live else None


def parse_state(lines: Iterable[str]) -> State:
    live, free = None, None
    releases, log, leftovers = [], [], []
    for line in lines:
        kind, _, rest = line.partition(" ")
        if kind == "live" and rest.startswith("releases/"):
            live = rest.removeprefix("releases/")
        elif kind == "live" and rest:
            live = rest
        elif kind == "free" and rest.isdigit():
            free = int(rest) * 1024
        elif kind == "release":
            name, _, identity = rest.partition(" ")
            commit = commit_of(name)
            if commit:  # a folder someone else put there is not ours to list or remove
                releases.append(Release(name, commit, identity if identity not in ("", "-") else None))
        elif kind == "log":
            entry = parse_entry(rest)
            if entry:
                log.append(entry)
        elif kind == "leftover":
            leftovers.append(rest)
    return State(live, tuple(releases), tuple(log), free, tuple(leftovers))


def recency(state: State) -> list[Release]:
    """Releases, the one most recently made live first; those the log never names last."""
    last = {entry.release: n for n, entry in enumerate(state.log)}
    return sorted(state.releases, key=lambda r: (last.get(r.name, -1), r.name), reverse=True)


def live_stack(entries: Sequence[Entry]) -> list[str]:
    """The releases that were live, in turn, with the ones rolled back taken off: a deploy puts
    its release on top, a rollback goes back down to its release. The top is live."""
    stack: list[str] = []
    for entry in entries:
        if entry.action == "rollback" and entry.release in stack:
            del stack[len(stack) - stack[::-1].index(entry.release) :]
        elif not stack or stack[-1] != entry.release:
            stack.append(entry.release)
    return stack


@dataclass(frozen=True)
class Plan:
    name: str
    copy: bool  # False: a release with this very build is there already; only `current` moves
    prune: tuple[str, ...]


def plan_deploy(state: State, commit: str, identity: str, keep: int) -> Plan:
    """The release this build goes to, and the releases beyond the `keep` most recent."""
    ordered = recency(state)
    same = [r for r in ordered if r.commit == commit and r.identity == identity]
    name = same[0].name if same else _free_name(state, commit)
    rest = [r.name for r in ordered if r.name != name]
    return Plan(name, not same, tuple(rest[keep - 1 :]))


def _free_name(state: State, commit: str) -> str:
    taken = {r.name for r in state.releases}
    return next(
        name for name in (commit, *(f"{commit}.{n}" for n in range(2, len(taken) + 3))) if name not in taken
    )


def plan_rollback(state: State, to: str | None, where: str) -> Release:
    """The release `laman rollback` makes live: the newest release of `to`, or else the one
    that was live before the live commit went live."""
    if to is not None:
        return _of_commit(state, to, where)
    present = {r.name: r for r in state.releases}
    for name in reversed(live_stack(state.log)):
        release = present.get(name)
        if release and release.commit != state.live_commit:
            return release
    commits = len({r.commit for r in state.releases})
    raise LamanError([Problem("DEP013", where, args={"commits": commits})])


def _of_commit(state: State, to: str, where: str) -> Release:
    prefix = to.lower()
    matches = [
        r for r in recency(state) if re.fullmatch(r"[0-9a-f]+", prefix) and r.commit.startswith(prefix)
    ]
    commits = sorted({r.commit for r in matches})
    if not commits:
        raise LamanError([Problem("DEP014", where, args={"commit": to})])
    if len(commits) > 1:
        listed = ", ".join(c[:10] for c in commits)
        raise LamanError([Problem("DEP015", where, args={"commit": to, "commits": listed})])
    return matches[0]
