"""`laman check`: walk history once, hand every change to the policy, remember the verdicts.

The shell around `policy.py`: from the trust anchor (or a pull request's base) to the head, the
walk (`walk.py`) judges every commit with what `reader.py` reads from git; what never changes is
kept in `.laman-cache/` (`cache.py`), so that the next check goes on from the last head.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.errors import LamanError, Problem
from pipeline.model.files import ASSET, DOCUMENT, SITE_CODE, FileClasses
from pipeline.model.project import SOP_FILE
from pipeline.proof import hold, policy, waivers
from pipeline.proof.cache import CACHE_DIR, Cache
from pipeline.proof.history import Repository
from pipeline.proof.policy import Record, Violation
from pipeline.proof.version import Version
from pipeline.proof.waivers import Waiver
from pipeline.proof.walk import Checker, NeedColdRun, State, Step

PUBLISHED_REF = "refs/laman/published"
ANCHOR_TRAILER = "SOP-Anchor"


@dataclass(frozen=True)
class CheckResult:
    head: str | None
    base: str | None
    enforced: bool
    violations: tuple[Violation, ...]
    records: Mapping[str, Record]
    publishable: Mapping[str, Version]  # article id -> the version live (hold.py; correction.py)
    judged: int = 0
    notices: tuple[Violation, ...] = field(default_factory=tuple)
    steps: tuple[Step, ...] = field(default_factory=tuple)
    # What the build may publish besides articles: each admitted by a signed commit, at its blob.
    assets: Mapping[str, str] = field(default_factory=dict)  # path -> the blob admitted
    documents: Mapping[str, str] = field(default_factory=dict)  # path -> the blob approved
    asset_types: tuple[str, ...] = ()  # what sop.yml in force lets be an asset, by suffix
    # What violations hold (hold.py): articles by id, and the site's code.
    held: Mapping[str, tuple[Violation, ...]] = field(default_factory=dict)
    code_held: tuple[Violation, ...] = ()
    code_commit: str | None = None  # the commit whose site code the build runs (None: the head)
    standing: Mapping[str, Record] = field(default_factory=dict)  # id -> the record live
    waived: tuple[tuple[Violation, Waiver], ...] = ()  # forgiven by a signed waiver

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def stopped(self) -> tuple[Violation, ...]:
        """The violations about the proof itself, which stop every build and deploy."""
        return hold.stopping(self.violations)


def run_check(
    root: Path,
    *,
    base: str | None = None,
    head: str = "HEAD",
    published: str | None = None,
    use_cache: bool = True,
) -> CheckResult:
    """Judge main from the trust anchor (or `base..head` for a pull request)."""
    with Repository(root) as repo:
        head_id = repo.resolve(head)
        if head_id is None:
            return CheckResult(None, base, False, (), {}, {})
        if repo.is_shallow():
            return CheckResult(head_id, base, True, (Violation("SOP018", head_id, "."),), {}, {})
        cache = Cache(root / CACHE_DIR) if use_cache else None
        checker = Checker(repo, cache.signatures() if cache else None, record_steps=base is not None)
        history: list[Violation] = []
        published = published or repo.resolve(PUBLISHED_REF)
        if published and not repo.is_ancestor(published, head_id):
            history.append(Violation("SOP019", head_id, ".", None, None, {"commit": published}))
        if base is None:
            return _check_main(checker, cache, head_id, history)
        start = repo.resolve(base)
        if start is None:
            raise LamanError([Problem("CMD002", base, args={"detail": f"unknown revision `{base}`"})])
        final, found, judged = checker.walk(start, head_id, checker.tree_state(start))
        return _result(checker, head_id, base, True, final, [*history, *found], judged)


def _check_main(checker: Checker, cache: Cache | None, head: str, history: list[Violation]) -> CheckResult:
    """Main from its trust anchor, going on from the cached state where there is one."""
    reader = checker.reader
    head_policy = reader.policy(reader.policy_key_at(head))
    anchor, refused = _anchor(reader.repo, head, head_policy.sop.trust_anchor if head_policy.sop else None)
    if refused is not None:
        return CheckResult(head, None, True, (refused, *history), {}, {})
    if anchor is None:
        if head_policy.sop is None:
            broken = Violation("SOP017", head, SOP_FILE, None, None, {"detail": head_policy.broken})
            return CheckResult(head, None, True, (broken, *history), {}, {})
        notice = Violation("SOP021", head, SOP_FILE)
        legacy = checker.tree_state(head)
        return replace(_result(checker, head, None, False, legacy, history, 0), notices=(notice,))
    gone = Violation("SOP022", head, SOP_FILE, None, None, {"commit": anchor})
    lost = CheckResult(head, None, True, (gone, *history), {}, {})
    if reader.repo.resolve(anchor) != anchor:
        return lost
    walked = _walk_from(checker, cache, anchor, head)
    if walked is None:
        return lost
    final, found, judged = walked
    if judged and cache is not None:
        cache.save(anchor, head, final, found, reader.signatures)
    waiver_log = _waiver_log(reader.repo, head, cache, anchor)
    return _result(checker, head, None, True, final, [*history, *found], judged, waiver_log)


def _waiver_log(
    repo: Repository, head: str, cache: Cache | None, anchor: str
) -> Callable[[], list[tuple[str, str]]]:
    """The commits on main's line with a waiver trailer, read when first asked: those up to the
    head last scanned from the cache, the rest from git (the whole log costs 0.4 s at 50,000
    commits, every check that finds a violation)."""

    def read() -> list[tuple[str, str]]:
        kept = cache.waiver_commits(anchor) if cache is not None else None
        if kept is not None and repo.on_first_parent_line(kept[0], head):
            found = [*kept[1], *repo.trailer_commits(waivers.WAIVE, f"{kept[0]}..{head}")]
        else:
            found = repo.trailer_commits(waivers.WAIVE, head)
        if cache is not None:
            cache.save_waiver_commits(anchor, head, found)
        return found

    return read


def _anchor(repo: Repository, head: str, written: str | None) -> tuple[str | None, Violation | None]:
    """The trust anchor, from outside the history it judges (the clone's git config, CI's
    variable): a commit can move sop.yml's `trust_anchor` or write any trailer, so neither is
    believed. They only tell that enforcement was on, which then cannot be switched off by
    losing the outside record (SOP043); sop.yml repeating another anchor fails too (SOP044).
    (None, None): enforcement never started."""
    outside = sorted(repo.outside_anchors().items())
    if not outside:
        hint = written or repo.last_trailer(ANCHOR_TRAILER, head)
        return None, (Violation("SOP043", head, SOP_FILE, None, None, {"commit": hint}) if hint else None)
    source, anchor = outside[0]
    others = [(where, found) for where, found in outside[1:] if found != anchor]
    if written is not None and written != anchor:
        others.append((SOP_FILE, written))
    if others:
        where, found = others[0]
        args = {"found": found, "where": where, "anchor": anchor, "source": source}
        return None, Violation("SOP044", head, SOP_FILE, None, None, args)
    return anchor, None


def _walk_from(
    checker: Checker, cache: Cache | None, anchor: str, head: str
) -> tuple[State, list[Violation], int] | None:
    """The walk from the cached head, or else from the anchor; None if the anchor is not behind
    `head`. A cached head was walked to from the anchor, and descends to `head`: the anchor is an
    ancestor. A cold walk finds out on its way (no second pass over history for it)."""
    resumed = cache.state(anchor) if cache is not None else None
    try:
        if resumed is None or not checker.reader.repo.is_ancestor(resumed[0], head):
            raise NeedColdRun
        cached_head, state, old = resumed
        final, found, judged = checker.walk(cached_head, head, state, resumed=True)
        return final, [*old, *found], judged
    except NeedColdRun:
        final, found, judged = checker.walk(anchor, head, checker.tree_state(anchor))
        return (final, found, judged) if checker.start_reached else None


def _result(
    checker: Checker,
    head: str,
    base: str | None,
    enforced: bool,
    state: State,
    violations: Iterable[Violation],
    judged: int,
    waiver_log: Callable[[], list[tuple[str, str]]] | None = None,
) -> CheckResult:
    pol = checker.reader.policy(state.policy_key)
    records = dict(state.articles.items())
    violations = list(violations)
    kinds = pol.sop.files if pol.sop else None  # no policy in force: nothing is admitted
    forgiven: dict[hold.Key, Waiver] = {}
    notices: list[Violation] = []
    # A pull request is judged strictly; a history without violations has nothing to forgive.
    if base is None and enforced and kinds is not None and violations:
        log = waiver_log() if waiver_log else checker.reader.repo.trailer_commits(waivers.WAIVE, head)
        forgiven, notices = _forgive(checker, pol, kinds, violations, log)
    left = [v for v in violations if hold.key(v) not in forgiven]
    held = hold.held_articles(records, forgiven)
    accepted = {ident: _parsed(checker, r, pol) for ident, r in waivers.accepted(records, forgiven).items()}
    standing = hold.live({**records, **accepted}, held, pol.sop)
    admitted = {kind: {} for kind in (ASSET, DOCUMENT)}
    for path, blob in state.files.items() if kinds else ():
        admitted.get(kinds.classify(path), {})[path] = blob  # type: ignore[union-attr]
    code_held: tuple[Violation, ...] = ()
    if kinds is not None:
        code_held = hold.site_code(left, kinds, _signed_again(checker, head, state, left, kinds))
    squash = hold.squash(left, pol.sop)
    return CheckResult(
        head,
        base,
        enforced,
        tuple(left),
        records,
        {ident: policy.live(record, pol.sop) for ident, record in standing.items()} if pol.sop else {},
        judged,
        notices=(*([squash] if squash else []), *notices),
        steps=tuple(checker.steps or ()),
        assets=admitted[ASSET],
        documents=admitted[DOCUMENT],
        asset_types=kinds.asset_types if kinds else (),
        held=held,
        code_held=code_held,
        code_commit=_before(checker.reader.repo, code_held[0].commit) if code_held else None,
        standing=standing,
        waived=tuple((v, forgiven[hold.key(v)]) for v in violations if hold.key(v) in forgiven),
    )


def _forgive(
    checker: Checker,
    pol: policy.Policy,
    kinds: FileClasses,
    violations: list[Violation],
    log: list[tuple[str, str]],
) -> tuple[dict[hold.Key, Waiver], list[Violation]]:
    """The waivers on main's line, each with its signer under the policy in force at the head
    (the walk's, never a tree's: an unsigned team.yml cannot make its author a waiver)."""
    repo, verdicts = checker.reader.repo, checker.reader.signatures
    found = []
    for commit, trailers in log:
        waiver = waivers.parse(commit, trailers)
        if waiver is None:
            continue
        status, fingerprint = verdicts.get(commit, ("N", None))
        signer = policy.resolve_signer(status, fingerprint, "", pol)  # a forge vouches for no waiver
        target = repo.resolve(waiver.target) if len(waiver.target) >= 7 else None
        behind = target is not None and target != commit and repo.is_ancestor(target, commit)
        found.append(replace(waiver, signer=signer, behind=behind))
    return waivers.apply(found, violations, kinds, pol.sop)


def _signed_again(
    checker: Checker, head: str, state: State, violations: list[Violation], kinds: FileClasses
) -> dict[str, bool]:
    """For each site-code file with a violation: is the file at the head the one the roles of
    site code last signed (the walk admits site code only from their clean commits)?"""
    paths = sorted({v.file for v in violations if kinds.classify(v.file) == SITE_CODE})
    at_head = checker.reader.repo.blobs_at(head, paths)
    return {path: path in state.files and state.files[path] == at_head.get(path) for path in paths}


def _parsed(checker: Checker, record: Record, pol: policy.Policy) -> Record:
    """A record with its version read in full: what goes live is always parsed (an edit that is
    no step was only peeked at)."""
    ver = record.version
    if ver.parsed:
        return record
    full = checker.reader.version(ver.path, ver.blob, ver.mode, pol.step_fields, full=True)
    return record._replace(version=full)


def _before(repo: Repository, commit: str) -> str | None:
    """The commit before `commit` on its first-parent line: the last good site code."""
    return repo.resolve(f"{commit}^")
