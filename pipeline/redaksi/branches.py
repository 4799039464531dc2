"""Every article where the office's work stands: main and each `naskah/*` branch, local or
fetched from the remote, read from git (never the working tree, which shows one branch only)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import quote

from pipeline.duties import board
from pipeline.errors import LamanError
from pipeline.model import article
from pipeline.model.article import Article
from pipeline.model.project import CONTENT_DIR, Project
from pipeline.proof.check import CheckResult, run_check
from pipeline.proof.history import Repository

MAIN = "main"
WORK_PREFIX = "naskah/"
REMOTE = "origin"
_LOCAL, _REMOTE = "refs/heads/", f"refs/remotes/{REMOTE}/"


@dataclass(frozen=True)
class Entry:
    article: Article  # its `file` is the path in the repository
    branch: str  # where this version of it lives: `main` or `naskah/…`
    tip: str  # the branch's commit the version was read from
    blob: str
    at: datetime  # the tip's committer time


def tips(repo: Repository) -> dict[str, str]:
    """branch -> the commit to read it at: of a local branch and its remote copy, the one that
    contains the other (the remote's when they have parted: what everyone else sees)."""
    found: dict[str, dict[str, str]] = {}
    for ref, commit in repo.refs(
        _LOCAL + MAIN, _REMOTE + MAIN, _LOCAL + WORK_PREFIX, _REMOTE + WORK_PREFIX
    ).items():
        side = "local" if ref.startswith(_LOCAL) else "remote"
        name = ref.removeprefix(_LOCAL).removeprefix(_REMOTE)
        found.setdefault(name, {})[side] = commit
    chosen = {}
    for name, sides in found.items():
        local, remote = sides.get("local"), sides.get("remote")
        if local and remote and local != remote:
            chosen[name] = local if repo.is_ancestor(remote, local) else remote
        else:
            chosen[name] = local or remote or ""
    return chosen


class Reader:
    """Articles of many branches, each blob parsed once for the life of the app."""

    def __init__(self) -> None:
        self._parsed: dict[str, Article | None] = {}
        self._raw: dict[str, bytes] = {}
        self._files: dict[str, dict[str, str]] = {}  # tip -> path -> blob of its articles
        self._entered: dict[tuple[str, tuple[tuple[str, str], ...]], dict[str, datetime]] = {}

    def _parse(self, repo: Repository, blobs: dict[str, str]) -> None:
        wanted = [b for b in blobs if b not in self._parsed]
        for blob, raw in repo.objects(wanted).items():
            self._raw[blob] = raw  # asked again when the history is read for the days waited
            try:
                self._parsed[blob] = article.parse(raw, blobs[blob])
            except LamanError:
                self._parsed[blob] = None  # a broken file: `laman validate` names it

    def _blob(self, repo: Repository) -> Callable[[str], bytes]:
        return lambda blob: self._raw[blob] if blob in self._raw else repo.blob(blob)

    def files(self, repo: Repository, tip: str) -> dict[str, str]:
        if tip not in self._files:
            listed = repo.tree_files(tip, CONTENT_DIR).items()
            self._files[tip] = {path: blob for path, (_mode, blob) in listed if path.endswith(".md")}
        return self._files[tip]

    def entries(self, repo: Repository, branches: dict[str, str]) -> list[Entry]:
        """One entry per article id: main's version, unless a branch holds another (the newest)."""
        times = repo.commit_times(branches.values())
        found: dict[str, Entry] = {}
        on_main = self.files(repo, branches[MAIN]) if MAIN in branches else {}
        for name, tip in sorted(branches.items(), key=lambda item: item[0] != MAIN):
            files = self.files(repo, tip)
            if name != MAIN:  # a branch's own versions: what it changed against main
                files = {path: blob for path, blob in files.items() if on_main.get(path) != blob}
            self._parse(repo, {blob: path for path, blob in files.items()})
            for path, blob in files.items():
                parsed = self._parsed.get(blob)
                if parsed is None:
                    continue
                known = found.get(parsed.id)
                if known is None or (known.blob != blob and (known.branch == MAIN or times[tip] > known.at)):
                    found[parsed.id] = Entry(replace(parsed, file=path), name, tip, blob, times[tip])
        return list(found.values())

    def entered(self, repo: Repository, entries: Iterable[Entry]) -> dict[str, datetime]:
        """article id -> when it entered its stage, from its own branch's history (remembered
        for as long as that branch stays where it is)."""
        by_tip: dict[str, list[Entry]] = {}
        for entry in entries:
            by_tip.setdefault(entry.tip, []).append(entry)
        since: dict[str, datetime] = {}
        for tip, here in by_tip.items():
            current = {e.article.file: e.article.stage for e in here}
            key = (tip, tuple(sorted(current.items())))
            if key not in self._entered:
                paths = list(current) if len(current) < 50 else [CONTENT_DIR]
                self._entered[key] = board.stage_entered(
                    repo.commits([tip], paths), current, self._blob(repo)
                )
            times = self._entered[key]
            since.update({e.article.id: times[e.article.file] for e in here if e.article.file in times})
        return since


@dataclass(frozen=True)
class Snapshot:
    entries: dict[str, Entry]  # by article id
    entered: dict[str, datetime]  # by article id


class Board:
    """The whole office's board, read again only when a branch moved."""

    def __init__(self) -> None:
        self._reader = Reader()
        self._last: tuple[tuple[tuple[str, str], ...], Snapshot] | None = None
        self._checked: tuple[str, CheckResult] | None = None

    def checked(self, project: Project, repo: Repository) -> CheckResult | None:
        """`laman check` of main as this clone sees it (what it holds, and why), run again only
        when main moved; the check goes on from its own cache in `.laman-cache/`. Branches are
        judged at review, not here."""
        main = tips(repo).get(MAIN)
        if main is None or not (repo.outside_anchors() or project.sop.trust_anchor):
            return None  # before `laman init` nothing is judged, so nothing is held
        if self._checked is None or self._checked[0] != main:
            self._checked = (main, run_check(project.root, head=main))
        return self._checked[1]

    def snapshot(self, project: Project, repo: Repository) -> Snapshot:
        branches = tips(repo)
        key = tuple(sorted(branches.items()))
        if self._last is None or self._last[0] != key:
            found = self._reader.entries(repo, branches)
            snap = Snapshot({e.article.id: e for e in found}, self._reader.entered(repo, found))
            self._last = (key, snap)
        return self._last[1]

    def rows(self, project: Project, snap: Snapshot, now: datetime, lang: str) -> list[board.Row]:
        articles = [e.article for e in snap.entries.values()]
        by_file = {e.article.file: snap.entered[i] for i, e in snap.entries.items() if i in snap.entered}
        return board.rows(articles, project.sop, project.team, by_file, now, lang)


_FORGE = re.compile(
    r"^(?:https://(?:[^@/]+@)?|ssh://git@|git@)(github\.com|gitlab\.com)[:/](.+?)(?:\.git)?/?$"
)


def pull_request_url(remote_url: str | None, branch: str) -> str | None:
    """Where the forge opens (or shows) the pull request of `branch` into main: GitHub's compare
    page, GitLab's new merge request; None for a remote on no known forge."""
    found = _FORGE.match(remote_url or "")
    if found is None or branch == MAIN:
        return None
    host, path = found.groups()
    if host == "github.com":
        return f"https://github.com/{path}/compare/{MAIN}...{quote(branch)}?expand=1"
    source = quote(branch, safe="")
    return f"https://gitlab.com/{path}/-/merge_requests/new?merge_request%5Bsource_branch%5D={source}"
