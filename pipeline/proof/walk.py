"""The walk through history: every commit judged in turn, parents first, each change to an article
handed to the policy, with per-commit state kept in persistent maps (a branch costs nothing to
fork)."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import NamedTuple

import immutables

from pipeline.model import files as classes
from pipeline.model import requirements
from pipeline.model.project import CONTENT_DIR, SOP_FILE, TEAM_FILE
from pipeline.proof import policy
from pipeline.proof.gitlog import CommitInfo, FileChange
from pipeline.proof.history import Repository
from pipeline.proof.policy import Change, Policy, Record, Signer, Violation
from pipeline.proof.reader import PolicyKey, Reader, Verdicts
from pipeline.proof.rules.files import judge_files
from pipeline.proof.version import REGULAR, Version

_FLOOR = classes.site_code_floor()  # sop.yml unreadable: its floor of site code still holds
_CONTENT = f"{CONTENT_DIR}/"
_SIGNATURE_CODES = frozenset({"SOP001", "SOP002", "SOP011"})  # a commit's signature, once judged


class State(NamedTuple):  # one per commit walked: a named tuple is the quickest to make
    """What is known at one commit: articles by id, ids by path, the policy files in force, and
    the assets and DIP documents admitted."""

    articles: immutables.Map  # id -> Record
    paths: immutables.Map  # path -> id
    policy_key: PolicyKey  # blob ids of sop.yml and team.yml in force
    files: immutables.Map = immutables.Map()  # asset or document path -> the blob admitted


@dataclass(frozen=True)
class Step:
    """One article's change in one commit, for the pull-request summary."""

    commit: str
    article: str
    file: str
    source: str | None
    target: str | None
    signer: str
    violations: int


class _Sources(NamedTuple):
    """A commit's changes by how they are judged (see `Checker._sources`)."""

    carried: dict[str, State]  # path -> the parent state whose version a merge took
    judged: list[FileChange]  # the merge's own changes
    taken: set[str]  # paths a merge took from a branch after main moved them: the signer's edits
    revived: dict[str, State]  # paths where a merge brought back a branch's approval


class NeedColdRun(Exception):
    """The cached state cannot continue this walk; start from the anchor."""


class _Judging(NamedTuple):
    """One commit being judged: who signed it, the policy in force at its parent, the state there,
    and the maps of the state it makes."""

    commit: CommitInfo
    signer: Signer
    pol: Policy
    parent: State
    articles: immutables.MapMutation
    paths: immutables.MapMutation
    taken: Collection[str] = ()  # a merge's: files taken from a branch, judged as edits

    def evil(self, path: str) -> bool:
        """A merge's own change to `path`: text it took from no parent (SOP013)."""
        return len(self.commit.parents) > 1 and path not in self.taken


_NONE: Mapping[str, State] = immutables.Map()
_EMPTY = State(immutables.Map(), immutables.Map(), (None, None), immutables.Map())


class Checker:
    def __init__(
        self, repo: Repository, signatures: Verdicts | None = None, *, record_steps: bool = False
    ) -> None:
        self.reader = Reader(repo, {} if signatures is None else signatures)
        self._states: dict[str, State] = {}
        self._targets: dict[str, str | None] = {}  # a DIP document's blob -> the file it names
        self._resumed = False
        self.start_reached = False  # did the last walk reach its start from its head?
        self.steps: list[Step] | None = [] if record_steps else None  # a pull request's, listed

    def tree_state(self, commit_id: str) -> State:
        """An article set accepted as it stands (the anchor, a pull request's base)."""
        reader = self.reader
        files = reader.repo.tree_files(commit_id, CONTENT_DIR)
        key = reader.policy_key_at(commit_id)
        pol = reader.policy(key)
        articles: dict[str, Record] = {}
        paths: dict[str, str] = {}
        raws = reader.unread(
            blob for path, (mode, blob) in files.items() if path.endswith(".md") and mode in REGULAR
        )
        kinds = pol.sop.files if pol.sop else _FLOOR
        admitted = {  # the anchor's assets and documents, accepted as they stand
            path: blob
            for path, (mode, blob) in files.items()
            if mode in REGULAR and kinds.classify(path) in (classes.ASSET, classes.DOCUMENT)
        }
        for path, (mode, blob) in files.items():
            if kinds.classify(path) != classes.ARTICLE:  # a hidden .md is no article either
                continue
            ver = reader.version(path, blob, mode, pol.step_fields, raw=raws.get(blob))
            if (
                pol.sop
                and ver.stage
                and pol.sop.has_stage(ver.stage)
                and pol.sop.stage(ver.stage).publishable
            ):
                ver = reader.version(path, blob, mode, pol.step_fields, full=True, raw=raws.get(blob))
            ident = ver.id or f"path:{path}"
            if ident in articles:
                ident = f"copy:{path}"
            record = policy.legacy(ver, pol.sop) if pol.sop else Record(ver)
            articles[ident] = record
            paths[path] = ident
        return State(immutables.Map(articles), immutables.Map(paths), key, immutables.Map(admitted))

    # ---- judging -----------------------------------------------------------------------------

    def walk(
        self, start: str, head: str, initial: State, *, resumed: bool = False
    ) -> tuple[State, list[Violation], int]:
        """Judge `start..head`, oldest first; the state at `head` and every violation found.

        A parent outside the walk (a branch that forked before the anchor) is taken as it
        stands, unless the walk resumes from a cache, which then cannot be trusted to go on.
        """
        self._states = {start: initial}
        self._resumed = resumed
        violations: list[Violation] = []
        judged = 0
        # The walk makes hundreds of thousands of small objects and no cycles: the cyclic
        # collector's rescans of them cost a quarter of its time.
        collecting = gc.isenabled()
        gc.disable()
        try:
            commits = self.reader.history(start, head, self.reader.policy(initial.policy_key))
            # `start..head` reaches `start` only if a commit in it has `start` as a parent.
            self.start_reached = start == head or any(start in c.parents for c in commits)
            # Each commit and each state is let go once the walk is past its last use, while the
            # workers still run beside it, rather than all at once at the end, alone (0.13 s).
            children = Counter(p for c in commits for p in c.parents)
            commits.reverse()
            while commits:
                commit = commits.pop()
                judged += 1
                parent = self._parent_state(commit.parents[0]) if commit.parents else _EMPTY
                found, state = self.judge_commit(commit, parent)
                violations.extend(found)
                self._states[commit.id] = state
                for parent_id in commit.parents:
                    children[parent_id] -= 1
                    if not children[parent_id]:
                        self._states.pop(parent_id, None)  # a parent outside the walk may be unread
            final = self._states.get(head, initial)
        finally:
            self._states = {}
            self.reader.done()
            if collecting:
                # What the walk made holds no cycles and goes by reference counting; frozen, the
                # collector's first pass after the walk need not scan all of it.
                gc.freeze()
                gc.enable()
        return final, violations, judged

    def _parent_state(self, parent: str) -> State:
        if parent not in self._states:
            if self._resumed:
                raise NeedColdRun
            self._states[parent] = self.tree_state(parent)
        return self._states[parent]

    def _sources(self, commit: CommitInfo) -> _Sources:
        """A merge's changes against its first parent, sorted by where the merge took them.

        A file taken whole from another parent carries that parent's state only if main left it
        as it stood at the fork (a pull request merged); if main moved it since, the branch's
        approval is refused (SOP030) and any other version is judged as the signer's edit.
        """
        sources = _Sources({}, [], set(), {})
        forks: dict[str, Mapping[str, str]] = {}
        taken_whole = {c.path: _carried_from(commit, c) for c in commit.changes}
        for change in commit.changes:
            source = taken_whole[change.path]
            if source is None:
                sources.judged.append(change)
                continue
            if source not in forks:
                paths = [p for p, s in taken_whole.items() if s == source]
                forks[source] = self.reader.repo.blobs_at_fork(commit.parents[0], source, paths)
            state = self._parent_state(source)
            if forks[source].get(change.path) == change.old_blob:  # main left it as at the fork
                sources.carried[change.path] = state
            elif _approved_in(state, change.path):
                sources.revived[change.path] = state
            else:
                sources.taken.add(change.path)
                sources.judged.append(change)
        return sources

    def judge_commit(self, commit: CommitInfo, parent: State) -> tuple[list[Violation], State]:
        pol = self.reader.policy(parent.policy_key)
        if commit.merge_changes:
            carried, judged_changes, taken, revived = self._sources(commit)
        else:  # most commits: their own changes, all judged
            carried, judged_changes, taken, revived = _NONE, commit.changes, (), _NONE
        kinds = pol.sop.files if pol.sop else _FLOOR
        by_class: dict[str, list[FileChange]] = {}
        for change in judged_changes:
            by_class.setdefault(kinds.classify(change.path), []).append(change)
        protected = [c.path for c in by_class.get(classes.SITE_CODE, ())]
        articles = by_class.get(classes.ARTICLE, [])
        # Every commit is signed by a team key, whatever it touches (README, docs, an empty one).
        signer = self.reader.signer(commit, pol)
        judged_files = [
            c for k in (classes.ASSET, classes.DOCUMENT, classes.REFUSED) for c in by_class.get(k, ())
        ]
        if not carried and not revived and not protected and not articles and not judged_files:
            return _unsigned(commit, signer, pol), parent  # the state carries over as it is
        violations = policy.judge_protected(commit.id, signer, pol, protected)
        policy_key = parent.policy_key
        new_key = _policy_key_after(commit, parent.policy_key, carried)
        if new_key != parent.policy_key and not violations:
            policy_key = new_key
            violations += _breaks_policy(self.reader, commit.id, parent.policy_key, new_key)
        at = _Judging(commit, signer, pol, parent, parent.articles.mutate(), parent.paths.mutate(), taken)
        _apply_carried(carried, at.articles, at.paths)
        violations += _refuse_revived(commit.id, revived, at.articles, at.paths)
        violations += self._judge_articles(at, articles)
        admitted = parent.files.mutate()
        _carry_files(carried, admitted)
        guarded = self._guarded(parent.files, kinds) if by_class.get(classes.ASSET) else None
        found, changed = judge_files(commit.id, signer, pol, kinds, by_class, guarded)
        if protected and not any(v.file in protected for v in violations):
            # Site code signed by its roles: what a held site code is released by (see `hold.py`).
            changed.update((c.path, c.new_blob) for c in by_class[classes.SITE_CODE])
        violations += found
        for path, blob in changed.items():
            if blob is not None:
                admitted[path] = blob
            elif path in admitted:
                del admitted[path]
        if not any(v.code in _SIGNATURE_CODES for v in violations):
            violations += _unsigned(commit, signer, pol)
        if carried and not pol.broken and not (signer.status == "G" and signer.person is not None):
            unsigned = next(v for v in violations if v.code in _SIGNATURE_CODES)
            _hold_carried(unsigned, carried, at, pol)
        return violations, State(at.articles.finish(), at.paths.finish(), policy_key, admitted.finish())

    def _guarded(self, admitted: Mapping[str, str], kinds: classes.FileClasses) -> dict[str, str]:
        """The files the admitted DIP documents name: file -> document."""
        documents = {
            path: blob for path, blob in admitted.items() if kinds.classify(path) == classes.DOCUMENT
        }
        unread = [blob for blob in documents.values() if blob not in self._targets]
        for blob, raw in self.reader.repo.objects(unread).items():
            self._targets[blob] = classes.document_target(raw, blob)
        named = ((self._targets.get(blob), path) for path, blob in sorted(documents.items()))
        return {target: path for target, path in named if target is not None}

    def _judge_articles(self, at: _Judging, changes: list[FileChange]) -> list[Violation]:
        violations: list[Violation] = []
        deleted = {c.path: at.parent.paths.get(c.path) for c in changes if c.new_blob is None}
        renamed: set[str] = set()  # ids of articles deleted at one path and added at another
        for change in changes:
            if change.new_blob is not None:
                violations += self._judge_added(at, change, deleted, renamed)
        articles, paths = at.articles, at.paths
        for path, old_id in deleted.items():
            if path in paths and paths[path] == old_id:
                del paths[path]
            if old_id is None or old_id in renamed:
                continue
            before = at.parent.articles.get(old_id)
            if before is not None and before.version.path == path:
                found, _ = policy.judge(
                    Change(at.commit.id, at.signer, at.pol, before, None, evil_merge=at.evil(path))
                )
                violations.extend(found)
                if old_id in articles and articles[old_id].version.path == path:
                    del articles[old_id]
        return violations

    def _judge_added(
        self, at: _Judging, change: FileChange, deleted: Mapping[str, str | None], renamed: set[str]
    ) -> list[Violation]:
        """Judge a file added or changed; keep what is remembered of its article."""
        step_fields = at.pol.step_fields
        after = self.reader.version(change.path, change.new_blob or "", change.new_mode, step_fields)
        old_id = at.parent.paths.get(change.path)
        before = at.parent.articles.get(old_id) if old_id is not None and change.old_blob else None
        ident = after.id or f"path:{change.path}"
        violations: list[Violation] = []
        if before is None and after.id is not None:
            if any(i == after.id for i in deleted.values()):  # a rename: the same article moved
                before = at.parent.articles.get(after.id)
                renamed.add(after.id)
            elif after.id in at.parent.articles and after.id in at.articles:
                other = at.parent.articles[after.id].version.path
                args = {"id": after.id, "other": other}
                violations.append(
                    Violation("SOP014", at.commit.id, change.path, after.stage_line, after.id, args)
                )
                ident = f"copy:{change.path}"
        if not after.parsed and needs_parse(at.pol, before, after):
            after = self.reader.version(
                change.path, change.new_blob or "", change.new_mode, step_fields, full=True
            )
        if before is not None and before.version.step_fields != step_fields:  # sop.yml changed them
            old = before.version
            again = self.reader.version(old.path, old.blob, old.mode, step_fields, full=old.parsed)
            before = before._replace(version=again)
        found, record = policy.judge(
            Change(at.commit.id, at.signer, at.pol, before, after, evil_merge=at.evil(change.path))
        )
        violations.extend(found)
        if self.steps is not None:
            source = before.version.stage if before else None
            name = at.signer.name()
            self.steps.append(
                Step(at.commit.id, after.id or ident, change.path, source, after.stage, name, len(found))
            )
        articles = at.articles
        # The path's article before, if it is another now, is gone unless it moved elsewhere.
        if (
            old_id not in (None, ident)
            and old_id in articles
            and articles[old_id].version.path == change.path
        ):
            del articles[old_id]
        if record is not None:
            articles[ident] = record
            if at.paths.get(change.path) != ident:  # most changes keep the path's article
                at.paths[change.path] = ident
        return violations


def needs_parse(pol: Policy, before: Record | None, after: Version) -> bool:
    """Does this change's verdict depend on the metadata (not only on id and stage)?

    A new article needs only its stage (it must start at the initial one); what goes live is
    always parsed fully, and so is a step into a stage that requires more than the one before
    (`rules.transitions.rule_required`).
    """
    if pol.sop is None:
        return True
    if before is None:
        return bool(after.stage and pol.sop.has_stage(after.stage) and pol.sop.stage(after.stage).publishable)
    source, target = before.version.stage, after.stage
    if source == target or not pol.sop.has_stage(target or ""):
        return False
    if pol.sop.transition(source or "", target or "") is None:
        return False
    entered, left = pol.sop.stage(target or ""), pol.sop.stage(source or "")
    return entered.publishable or bool(requirements.added(left, entered))


def _carried_from(commit: CommitInfo, change: FileChange) -> str | None:
    """For a merge: the parent whose version of this file the merge took, if any."""
    for parent, diff in zip(commit.parents[1:], commit.merge_changes[1:], strict=False):
        if all(other.path != change.path for other in diff):
            return parent
    return None


def _policy_key_after(commit: CommitInfo, key: PolicyKey, carried: Mapping[str, State]) -> PolicyKey:
    sop_blob, team_blob = key
    for change in commit.changes:
        if change.path in carried:
            if change.path in (SOP_FILE, TEAM_FILE):
                return carried[change.path].policy_key
            continue
        if change.path == SOP_FILE:
            sop_blob = change.new_blob
        elif change.path == TEAM_FILE:
            team_blob = change.new_blob
    return sop_blob, team_blob


def _unsigned(commit: CommitInfo, signer: Signer, pol: Policy) -> list[Violation]:
    """A commit not signed by a team key, once (a broken policy knows no team: its rule says so)."""
    if pol.broken or (signer.status == "G" and signer.person is not None):
        return []
    key = f", {signer.fingerprint}" if signer.fingerprint else ""
    path = commit.changes[0].path if commit.changes else "."
    return [Violation("SOP001", commit.id, path, None, None, {"status": signer.status, "key": key})]


def _carry_files(carried: Mapping[str, State], admitted: immutables.MapMutation) -> None:
    """A merge that took an asset or a document from a branch takes what the branch admitted."""
    for path, source in carried.items():
        if path in source.files:
            admitted[path] = source.files[path]
        elif path in admitted:
            del admitted[path]


def _breaks_policy(reader: Reader, commit_id: str, old: PolicyKey, new: PolicyKey) -> list[Violation]:
    """A signed change that leaves the policy unreadable, named once, at the commit that made it
    (SOP045): from there on every approval fails, and the site would empty without a word."""
    broken = reader.policy(new)
    if broken.sop is not None or reader.policy(old).sop is None:
        return []
    file = TEAM_FILE if new[0] == old[0] else SOP_FILE
    return [Violation("SOP045", commit_id, file, None, None, {"file": file, "detail": broken.broken})]


def _approved_in(state: State, path: str) -> bool:
    ident = state.paths.get(path)
    return ident is not None and state.articles[ident].approved


def _refuse_revived(
    commit: str, revived: Mapping[str, State], articles: immutables.MapMutation, paths: immutables.MapMutation
) -> list[Violation]:
    """A branch's approval brought back over main's later move (a withdrawal, a revision, a new
    verification): refused, and the article stands unapproved at the branch's version."""
    kept = {path: articles.get(paths.get(path)) for path in revived}  # main's, before the merge
    _apply_carried(revived, articles, paths)
    found = []
    for path in revived:
        ident = paths[path]
        record = articles[ident]
        args = {"path": path}
        refused = Violation("SOP030", commit, path, record.version.stage_line, record.version.id, args)
        main = kept[path]
        good = main.good if main is not None and (main.held or not main.approved) else main
        articles[ident] = Record(record.version, was_published=True, held=(refused,), good=good)
        found.append(refused)
    return found


def _hold_carried(unsigned: Violation, carried: Mapping[str, State], at: _Judging, pol: Policy) -> None:
    """A merge no team member signed holds the articles it brought in, however they stood on the
    branch: what main had live stays live (see `hold.py`)."""
    for path in carried:
        ident = at.paths.get(path)
        record = at.articles.get(ident) if ident is not None else None
        if record is None or pol.sop is None:
            continue
        before = at.parent.articles.get(ident)
        good = policy.standing(before, pol.sop) if before is not None else None
        at.articles[ident] = record._replace(held=(*record.held, unsigned), good=good)


def _apply_carried(
    carried: Mapping[str, State], articles: immutables.MapMutation, paths: immutables.MapMutation
) -> None:
    for path, source in carried.items():
        if not path.endswith(".md") or not path.startswith(_CONTENT):
            continue
        old_id = paths.get(path)
        if old_id is not None:
            del paths[path]
            if old_id in articles and articles[old_id].version.path == path:
                del articles[old_id]
        new_id = source.paths.get(path)
        if new_id is not None:
            paths[path] = new_id
            articles[new_id] = source.articles[new_id]
