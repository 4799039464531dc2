"""What a walk through history reads: the policy in force, each blob's version, each commit's
signer. While git streams the history, its reading, peeking and verifying is queued, and goes to
worker processes (`ahead.py`) once the history is long; signatures are verified in-process (no
ssh-keygen), and their verdicts, which never change, kept by commit id.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from itertools import pairwise

from pipeline.errors import LamanError
from pipeline.model import requirements
from pipeline.model.project import CONTENT_DIR, SOP_FILE, TEAM_FILE
from pipeline.model.sop import load_sop
from pipeline.model.team import load_team
from pipeline.proof import signature
from pipeline.proof.ahead import Ahead
from pipeline.proof.gitlog import CommitInfo
from pipeline.proof.history import Repository
from pipeline.proof.policy import Policy, Signer, resolve_signer
from pipeline.proof.version import REGULAR, Peek, Version, peek, peeked, version

PARALLEL_FROM = 2000  # commits to verify before a process pool pays for itself
CHUNK = 500  # commits a job of the pool reads, peeks or verifies
LISTED_BEHIND = 2000  # commits behind the walk's start it may skip rather than have git exclude
_CONTENT = f"{CONTENT_DIR}/"

PolicyKey = tuple[str | None, str | None]  # the blob ids of sop.yml and team.yml
Verdicts = dict[str, tuple[str, str | None]]  # commit id -> (git's %G? letter, key fingerprint)


class Reader:
    """Reads for one walk at a time; what never changes (policies, versions and verdicts by
    blob or commit id) is kept from one walk to the next."""

    def __init__(self, repo: Repository, signatures: Verdicts) -> None:
        self.repo = repo
        self.signatures = signatures  # added to as commits are verified
        self._policies: dict[PolicyKey, Policy] = {}
        self._versions: dict[str, Version] = {}
        self._full: dict[str, Version] = {}  # parsed ahead by a worker, in case a verdict needs it
        self._ahead_versions: dict[str, tuple[tuple[object, ...] | None, tuple[object, ...] | None]] = {}
        self._ahead: Ahead | None = None

    def policy(self, key: PolicyKey) -> Policy:
        if key not in self._policies:
            self._policies[key] = self._load_policy(key)
        return self._policies[key]

    def _load_policy(self, key: PolicyKey) -> Policy:
        sop_blob, team_blob = key
        if sop_blob is None or team_blob is None:
            missing = SOP_FILE if sop_blob is None else TEAM_FILE
            return Policy(None, None, f"{missing} is missing / {missing} tidak ada")
        try:
            sop = load_sop(self.repo.blob(sop_blob).decode("utf-8"), SOP_FILE)
            team = load_team(self.repo.blob(team_blob).decode("utf-8"), sop, TEAM_FILE)
        except (LamanError, UnicodeDecodeError) as err:
            detail = (
                "; ".join(p.format("en").splitlines()[0] for p in err.problems)
                if isinstance(err, LamanError)
                else str(err)
            )
            return Policy(None, None, detail)
        return Policy(sop, team)

    def policy_key_at(self, commit_id: str) -> PolicyKey:
        """The blob ids of sop.yml and team.yml as they stand in a commit's tree."""
        top = self.repo.tree_files(commit_id, SOP_FILE) | self.repo.tree_files(commit_id, TEAM_FILE)
        return top.get(SOP_FILE, (None, None))[1], top.get(TEAM_FILE, (None, None))[1]

    def history(self, start: str, head: str, pol: Policy) -> list[CommitInfo]:
        """The commits of `start..head`, parents first; while git streams them (newest first),
        their reading, peeking and verifying is queued, for other processes once the history
        is long. The walk starts from the oldest end, the workers from the newest."""
        self._ahead = Ahead(self.repo)
        workers = min(os.cpu_count() or 1, 4)
        # Blobs whose peeked stage is publishable are parsed ahead too: what goes live is; so are
        # those at a stage that asks for more fields than the one before (`walk.needs_parse`).
        sop = pol.sop
        full_stages = (
            frozenset(s.id for s in sop.stages if s.publishable) | requirements.demanding(sop)
            if sop
            else frozenset()
        )
        step_fields = pol.step_fields
        seen: set[str] = set(self._versions)
        commits: list[CommitInfo] = []
        batch: list[CommitInfo] = []
        # `start..head` makes git walk all history before the first commit comes out; when few
        # commits lie behind `start` (an anchor near the root), the log runs from `head` and
        # skips those, so that the work ahead starts at once.
        behind = self.repo.ancestors(start, most=LISTED_BEHIND)
        revs = [head] if behind is not None else [f"{start}..{head}"]
        for commit in self.repo.commits(revs, merge_diffs=True):
            if behind and commit.id in behind:
                continue
            batch.append(commit)
            if len(batch) == CHUNK:
                self._queue_batch(batch, seen, full_stages, step_fields)
                commits += batch
                batch = []
                if len(commits) >= PARALLEL_FROM and workers > 1:
                    self._ahead.start_pool(workers)
        self._queue_batch(batch, seen, full_stages, step_fields)
        commits += batch
        return parents_first(commits)

    def _queue_batch(
        self,
        batch: list[CommitInfo],
        seen: set[str],
        full_stages: frozenset[str],
        step_fields: tuple[str, ...],
    ) -> None:
        assert self._ahead is not None
        unknown = [c for c in batch if c.id not in self.signatures]
        ids = tuple(c.id for c in unknown)
        self._ahead.add(_signature_chunk, ids, ids, tuple(c.raw for c in unknown))
        items = []
        for commit in batch:
            for diff in commit.merge_changes or (commit.changes,):
                for ch in diff:
                    if (
                        ch.new_blob
                        and ch.new_blob not in seen
                        and ch.path.startswith(_CONTENT)
                        and ch.path.endswith(".md")
                        and ch.new_mode in REGULAR
                    ):
                        seen.add(ch.new_blob)
                        items.append((ch.path, ch.new_blob, ch.new_mode))
        # Sending a peek back costs a third of making it: the walk makes some itself while it
        # waits for signatures (measured: 3% less time in all).
        self._ahead.add(
            _version_chunk,
            tuple(b for _, b, _ in items),
            *(tuple(items), full_stages, step_fields),
            here_too=True,
        )

    def version(
        self,
        path: str,
        blob: str,
        mode: str,
        step_fields: tuple[str, ...],
        *,
        full: bool = False,
        raw: bytes | None = None,
    ) -> Version:
        """A blob peeked (or with `full`, parsed), its digest leaving out `step_fields`; each blob
        read and parsed at most once (again only for other step fields); `raw`, its bytes if the
        caller has them."""
        if blob not in self._versions and mode in REGULAR:
            self._take_ahead(path, blob, mode)
        cached = self._versions.get(blob)
        if full and cached is not None and not cached.parsed:
            cached = self._full.get(blob)
        if cached is None or cached.mode != mode or cached.step_fields != step_fields:
            if raw is None and mode in REGULAR:
                raw = self.repo.blob(blob)
            # `raw` is unread unless the file is regular.
            cached = version(path, blob, mode, raw, full=full, step_fields=step_fields)
        self._versions[blob] = cached
        return cached if cached.path == path else cached._replace(path=path)

    def unread(self, blob_ids: Iterable[str]) -> dict[str, bytes]:
        """The bytes of those of these blobs whose version is not known yet, in one read."""
        return self.repo.objects(blob for blob in blob_ids if blob not in self._versions)

    def _take_ahead(self, path: str, blob: str, mode: str) -> None:
        """Keep what a worker made of a blob: its peek, and its full parse where one was made."""
        if blob not in self._ahead_versions and self._ahead is not None:
            self._ahead_versions.update(self._ahead.take(blob))
        made = self._ahead_versions.pop(blob, None)
        if made is None:
            return
        plain, parsed = made
        if parsed is not None:
            self._full[blob] = Version(*parsed)
        self._versions[blob] = peeked(path, blob, mode, Peek(*plain)) if plain else self._full[blob]

    def signer(self, commit: CommitInfo, pol: Policy) -> Signer:
        if commit.id not in self.signatures and self._ahead is not None:
            self.signatures.update(self._ahead.take(commit.id))
        if commit.id not in self.signatures:
            verdict = signature.verify_commit(commit.raw, {})
            self.signatures[commit.id] = (verdict.status, verdict.fingerprint)
        status, fingerprint = self.signatures[commit.id]
        return resolve_signer(status, fingerprint, commit.author_email, pol)

    def done(self) -> None:
        """The walk is over: its workers stop, and what they made ahead for it is let go."""
        self._full = {}
        self._ahead_versions = {}
        if self._ahead is not None:
            self._ahead.close()
            self._ahead = None


def parents_first(commits: list[CommitInfo]) -> list[CommitInfo]:
    """Every commit after its parents (those among `commits`): each line of history in one run,
    first parents first, as `git log --topo-order --reverse` shows them."""
    if all(len(c.parents) == 1 and c.parents[0] == older.id for c, older in pairwise(commits)):
        return commits[::-1]  # one line of history, as streamed: its only such order
    by_id = {c.id: c for c in commits}
    placed: set[str] = set()
    ordered: list[CommitInfo] = []
    for tip in commits:  # newest first: the heads come before what they contain
        stack = [(tip, 0)]
        while stack:
            commit, next_parent = stack.pop()
            if commit.id in placed:
                continue
            while next_parent < len(commit.parents):
                parent = by_id.get(commit.parents[next_parent])
                next_parent += 1
                if parent is not None and parent.id not in placed:
                    stack.append((commit, next_parent))
                    stack.append((parent, 0))
                    break
            else:
                placed.add(commit.id)
                ordered.append(commit)
    return ordered


def _signature_chunk(
    repo: Repository, ids: tuple[str, ...], raws: tuple[bytes, ...]
) -> dict[str, tuple[str, str | None]]:
    """Verify the signatures of these commit objects (the verdicts the cache keeps)."""
    return dict(zip(ids, signature.verdicts(list(raws)), strict=True))


def _version_chunk(
    repo: Repository,
    items: tuple[tuple[str, str, str], ...],
    full_stages: frozenset[str],
    step_fields: tuple[str, ...],
) -> dict[str, tuple[tuple[object, ...] | None, tuple[object, ...] | None]]:
    """Read these blobs and peek each; parse fully those whose peeked stage is in `full_stages`,
    and those a line scan cannot read right. Each comes as (its plain peek, its full parse), as
    plain tuples of their fields (half the pickling of the named ones), either None where not
    made: the path and mode are the asker's to give."""
    raws = repo.objects(blob for _, blob, _ in items)
    out: dict[str, tuple[tuple[object, ...] | None, tuple[object, ...] | None]] = {}
    for path, blob, mode in items:
        raw = raws.get(blob)
        if raw is None:
            continue
        quick = peek(raw, step_fields)
        plain = tuple(quick) if quick.plain else None
        parsed = (
            tuple(version(path, blob, mode, raw, quick=quick, step_fields=step_fields))
            if not quick.plain or quick.stage in full_stages
            else None
        )
        out[blob] = (plain, parsed)
    return out
