"""Article events: what each commit did to each article, read from its changes and the blobs
they name. One reading of history for the recap and the board.

Pure: the caller reads history (`history.py`) and the blobs, and says what each blob is (its
peeked or parsed `Version`); this module only pairs them up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import NamedTuple

from pipeline.model.project import CONTENT_DIR
from pipeline.proof.gitlog import CommitInfo, FileChange
from pipeline.proof.policy import Version

_CONTENT = f"{CONTENT_DIR}/"


class ArticleEvent(NamedTuple):
    """One article's change in one commit."""

    commit: str
    at: datetime  # committer time
    article: str
    path: str
    source: str | None  # stage before (None: the article is new)
    target: str | None  # stage after (None: the file was deleted)
    new_blob: str | None  # the file's blob after (None: deleted)
    old_blob: str | None  # the blob at this path before (None: a new path, a rename's too)


def own_changes(commit: CommitInfo) -> list[FileChange]:
    """Changes to article files that this commit made itself.

    A merge carries its branches' changes, already counted on the branch: only a path changed
    against every parent (the merge's own edit) is its own."""
    mine = [c for c in commit.changes if c.path.startswith(_CONTENT) and c.path.endswith(".md")]
    if not commit.merge_changes:
        return mine
    per_parent = [{c.path for c in diff} for diff in commit.merge_changes]
    return [c for c in mine if all(c.path in paths for paths in per_parent)]


def article_events(
    commits: Iterable[CommitInfo], version: Callable[[str], Version | None]
) -> Iterator[ArticleEvent]:
    """The events of each commit in turn (in the order given). `version` says what a blob is
    (None: unknown); a blob without an article id makes no event."""
    for commit in commits:
        mine = own_changes(commit)
        if mine:
            yield from _events(commit, mine, version)


def _events(
    commit: CommitInfo, mine: list[FileChange], version: Callable[[str], Version | None]
) -> Iterator[ArticleEvent]:
    def known(blob: str | None) -> tuple[str | None, str | None]:
        found = version(blob) if blob else None
        return (found.id, found.stage) if found else (None, None)

    at = commit.committer_time
    added = {known(c.new_blob)[0] for c in mine if c.new_blob}
    # A file deleted and its id added elsewhere in the same commit is a rename.
    gone = dict(known(c.old_blob) for c in mine if c.new_blob is None)  # id -> stage
    for change in mine:
        old_id, old_stage = known(change.old_blob)
        if change.new_blob is None:
            if old_id is not None and old_id not in added:
                yield ArticleEvent(commit.id, at, old_id, change.path, old_stage, None, None, change.old_blob)
            continue
        new_id, new_stage = known(change.new_blob)
        if new_id is None:
            continue
        new_path = change.old_blob is None  # from the stage it left elsewhere, if renamed
        source = gone.get(new_id) if new_path else (old_stage if old_id == new_id else None)
        yield ArticleEvent(
            commit.id, at, new_id, change.path, source, new_stage, change.new_blob, change.old_blob
        )
