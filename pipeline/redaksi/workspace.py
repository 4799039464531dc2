"""The person's clone as the app uses it: fetched before it is read, put on an article's branch
before it is changed, each commit pushed at once; a push the remote refuses is undone here and
its text kept, so that nothing is lost and nothing is overwritten."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from pipeline.errors import LamanError, Problem
from pipeline.proof.history import Repository
from pipeline.redaksi.branches import MAIN, REMOTE, tips

KEPT = Path(".git") / "laman-redaksi" / "kept"
T = TypeVar("T")


def sync(repo: Repository) -> list[Problem]:
    """Fetch the remote, if there is one; a remote out of reach is said, not fatal."""
    if REMOTE not in repo.remotes():
        return []
    try:
        repo.fetch(REMOTE)
    except LamanError as err:
        return [Problem("RED001", REMOTE, args={"detail": err.problems[0].args.get("detail", "")})]
    _forward_main(repo)
    return []


def _forward_main(repo: Repository) -> None:
    """Local main brought up to the remote's when it is only behind: sop.yml and team.yml in
    force, read from the working tree, are the office's latest (a colleague just added)."""
    found = repo.refs(f"refs/heads/{MAIN}", f"refs/remotes/{REMOTE}/{MAIN}")
    local, remote = found.get(f"refs/heads/{MAIN}"), found.get(f"refs/remotes/{REMOTE}/{MAIN}")
    if not local or not remote or local == remote or not repo.is_ancestor(local, remote):
        return
    if repo.current_branch() != MAIN:
        repo.update_ref(f"refs/heads/{MAIN}", remote)
    else:
        # An edit in the way: main stays where it is; the board reads the remote's anyway.
        with contextlib.suppress(LamanError):
            repo.fast_forward(remote)


class Conflict(Exception):
    """Someone else moved the branch since the form was shown: nothing was committed."""

    def __init__(self, branch: str, kept: Path) -> None:
        super().__init__(branch)
        self.branch = branch
        self.kept = kept

    def problem(self, root: Path) -> Problem:
        return conflict(root, self.branch, self.kept)


def conflict(root: Path, branch: str, kept: Path) -> Problem:
    """RED004: the branch moved; the edit, kept at `kept`, is in the form still."""
    return Problem("RED004", branch, args={"branch": branch, "kept": str(kept.relative_to(root))})


def keep(root: Path, name: str, text: str, now: datetime) -> Path:
    """A copy of an edit that could not be committed, under .git where no branch switch reaches."""
    folder = root / KEPT
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{now:%Y%m%d-%H%M%S}-{name}.md"
    path.write_text(text, "utf-8")
    return path


def on_branch(
    repo: Repository,
    branch: str,
    base: str,
    start: str | None,
    change: Callable[[], T],
    kept: Callable[[], Path],
) -> tuple[T, str, bool]:
    """Run `change` (which commits) on `branch`, whose tip the form was made from (`base`); a new
    branch is made at `start`. Fetched first: a branch moved meanwhile is a Conflict. Pushed
    after: a refused push is undone, the edit kept, and a Conflict too."""
    sync(repo)
    now = tips(repo).get(branch)
    if start is None and now != base:
        raise Conflict(branch, kept())
    repo.switch(branch, start or base)
    try:
        value = change()
    except BaseException:
        repo.reset_hard(start or base)  # the file as it was: the form still holds the edit
        raise
    commit = repo.head() or ""
    if REMOTE not in repo.remotes():
        return value, commit, False
    if not repo.push(REMOTE, branch):
        path = kept()
        repo.reset_hard(start or base)
        raise Conflict(branch, path)
    return value, commit, True
