"""What git writes, read: the records of `git log --pretty=raw -z --raw`, commit objects and tree
objects, as bytes in and values out. No git is run here (`history.py` runs it)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import NamedTuple

from pipeline.errors import LamanError, Problem

ZERO = "0" * 40


class FileChange(NamedTuple):
    path: str
    old_mode: str
    new_mode: str
    old_blob: str | None
    new_blob: str | None
    status: str


class CommitInfo(NamedTuple):
    id: str
    parents: tuple[str, ...]
    changes: tuple[FileChange, ...]
    raw: bytes  # the commit object as stored, which its id hashes (and its signature covers)
    # For a merge, its changes against each parent in turn (the first is `changes`).
    merge_changes: tuple[tuple[FileChange, ...], ...] = ()

    # Read from the object when asked: a walk over history needs neither for most commits.
    @property
    def author_email(self) -> str:
        return _ident(self.raw, b"\nauthor ")[0].decode("utf-8", "replace")

    @property
    def committer_time(self) -> datetime:
        return datetime.fromtimestamp(_ident(self.raw, b"\ncommitter ")[1], UTC)


def record_end(fields: list[bytes], start: int) -> int | None:
    """Where the commit starting at `start` ends, once that is known; else None.

    `--pretty=raw -z` writes the commit and its message (each line indented) in one field that
    ends in a line end, unless the first changed file's line follows; then its path, and a
    (line, path) pair per further file; then an empty field if another commit follows.
    """
    if start >= len(fields):
        return None
    end = start + 1
    if not fields[start].endswith(b"\n"):  # the first changed file
        end += 1
        while end < len(fields) and fields[end].startswith(b":"):
            end += 2
        if end >= len(fields):
            return None  # more changed files may follow
        if fields[end] == b"":
            end += 1
    return end


def parse_log(
    records: Iterator[list[bytes]], stored: Callable[[str], bytes]
) -> Iterator[tuple[CommitInfo, str | None]]:
    """Each commit as shown, with the parent its changes are shown against when git says so
    (`commit <id> (from <parent>)`, a merge's diff against one of its parents)."""
    for fields in records:
        shown = fields[0]
        if not shown.startswith(b"commit "):
            raise _unexpected(fields)
        first_line = shown.find(b"\n")
        commit_id, _, against = shown[7:first_line].decode("ascii", "replace").partition(" (from ")
        rest = fields[1:-1] if fields[-1] == b"" else fields[1:]  # no path is empty: a separator
        shown_object, metas, paths = shown[first_line + 1 :], rest[1::2], rest[0::2]
        if not shown.endswith(b"\n"):  # the first changed file's line ends it
            meta_at = shown.rfind(b"\n") + 1
            shown_object, metas = shown[first_line + 1 : meta_at - 1], [shown[meta_at:], *metas]
        if len(metas) != len(paths):
            raise _unexpected(fields)
        raw = _as_stored(shown_object)
        if not _hashes_to(raw, commit_id):  # a message git shows changed (trailing spaces, an encoding)
            raw = stored(commit_id)
            if not _hashes_to(raw, commit_id):
                raise _unexpected(fields)
        changes = []
        for meta, path in zip(metas, paths, strict=True):
            parts = meta[1:].decode("ascii", "replace").split(" ")
            if not meta.startswith(b":") or len(parts) != 5:
                raise _unexpected(fields)
            old_mode, new_mode, old_blob, new_blob, status = parts
            changes.append(
                FileChange(
                    path=path.decode("utf-8", "surrogateescape"),
                    old_mode=old_mode,
                    new_mode=new_mode,
                    old_blob=None if old_blob == ZERO else old_blob,
                    new_blob=None if new_blob == ZERO else new_blob,
                    status=status,
                )
            )
        commit = CommitInfo(id=commit_id, parents=_parents(raw), changes=tuple(changes), raw=raw)
        yield commit, against.rstrip(")") or None


def _as_stored(shown: bytes) -> bytes:
    """The commit object from what `--pretty=raw` shows of it: the header as it is, the message
    with each line's indent of four spaces taken off."""
    header_end = shown.find(b"\n\n") + 2
    message = shown[header_end:].replace(b"\n    ", b"\n")
    return shown[:header_end] + (message[4:] if message.startswith(b"    ") else message)


def _hashes_to(raw: bytes, commit_id: str) -> bool:
    digest = hashlib.sha256() if len(commit_id) == 64 else hashlib.sha1()
    digest.update(b"commit %d\0" % len(raw))
    digest.update(raw)
    return digest.hexdigest() == commit_id


def _parents(raw: bytes) -> tuple[str, ...]:
    """As git's parse_commit_buffer reads them: the `parent` lines right after `tree`."""
    parents = []
    at = raw.find(b"\n") + 1
    while raw.startswith(b"parent ", at):
        end = raw.find(b"\n", at)
        parents.append(raw[at + 7 : end].decode("ascii", "replace"))
        at = end + 1
    return tuple(parents)


def _ident(raw: bytes, key: bytes) -> tuple[bytes, int]:
    """The e-mail and time of the header's first `key` line, as git's split_ident_line reads
    `Name <email> time zone`; empty and 0 where there is none."""
    header_end = raw.find(b"\n\n")
    header = raw[:header_end] if header_end >= 0 else raw
    start = header.find(key)
    if start < 0:
        return b"", 0
    end = header.find(b"\n", start + 1)
    line = header[start + len(key) : end if end >= 0 else len(header)]
    begin = line.find(b"<")
    close = line.find(b">", begin + 1)
    if begin < 0 or close < 0:
        return b"", 0
    when = line[close + 1 :].split(None, 1)[:1]
    return line[begin + 1 : close], int(when[0]) if when and when[0].isdigit() else 0


def top_entries(tree: bytes, names: Sequence[bytes], size: int) -> tuple[str | None, ...]:
    """The ids of `names` among a tree object's entries (`<mode> <name>NUL<id>`, the id `size`
    bytes of binary); None for a name missing or a folder's."""
    found: dict[bytes, str] = {}
    at = 0
    while at < len(tree):
        space = tree.index(b" ", at)
        end = tree.index(b"\0", space)
        if tree[space + 1 : end] in names and tree[at:space] != b"40000":
            found[tree[space + 1 : end]] = tree[end + 1 : end + 1 + size].hex()
        at = end + 1 + size
    return tuple(found.get(name) for name in names)


def group_merges(shown: Iterator[tuple[CommitInfo, str | None]]) -> Iterator[CommitInfo]:
    """`--diff-merges=separate` shows a merge once for each parent it differs from; make it one
    CommitInfo with its changes against every parent in turn, none where git showed none (a
    merge of a branch main had not moved past equals that branch: no diff against it)."""
    pending: CommitInfo | None = None
    diffs: dict[str | None, tuple[FileChange, ...]] = {}
    for commit, against in shown:
        if pending is not None and commit.id == pending.id:
            diffs[against] = commit.changes
            continue
        if pending is not None:
            yield _with_every_parent(pending, diffs)
        pending, diffs = commit, {against: commit.changes}
    if pending is not None:
        yield _with_every_parent(pending, diffs)


def _with_every_parent(commit: CommitInfo, diffs: dict[str | None, tuple[FileChange, ...]]) -> CommitInfo:
    if len(commit.parents) < 2:
        return commit
    each = tuple(diffs.get(parent, ()) for parent in commit.parents)
    return commit._replace(changes=each[0], merge_changes=each)


def _unexpected(fields: list[bytes]) -> LamanError:
    shown = b"\0".join(fields[:3])[:300]  # shown as bytes: \x00 between fields
    detail = f"`git log` wrote what this version of laman does not read: {shown!r}"
    return LamanError([Problem("CMD002", "git log", args={"detail": detail})])
