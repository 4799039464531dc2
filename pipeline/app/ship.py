"""The site after it is built: sent live atomically, rolled back, and checked where it is
served against the repository."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipeline.errors import LamanError, Problem
from pipeline.model.project import load_project
from pipeline.proof.check import run_check
from pipeline.proof.history import Repository
from pipeline.site import build, provenance
from pipeline.site import deploy as release

# The branch whose judged commit is the site; the first of these the repository has.
MAIN_BRANCHES = ("main", "master")


def deploy(
    root: Path,
    target: str,
    site: Path,
    now: datetime,
    *,
    keep: int = 5,
    wait: int = 300,
    ssh_options: Sequence[str] = (),
    on_wait: Callable[[], None] = lambda: None,
) -> release.Switched:
    """Send the finished build in `site` live at `target` (`dir:/folder` or
    `ssh://user@host/folder`), refused unless it is an enforced build of main's commit with a
    clean history (a build made on a draft's branch would skip the merge, step 8); once the
    switch is made, `refs/laman/published` marks its commit."""
    release.parse_target(target)
    marker = release.read_marker(site)
    built = marker.get("commit")
    with Repository(root) as repo:
        main = next(filter(None, (repo.resolve(f"refs/heads/{b}") for b in MAIN_BRANCHES)), None)
        # Built from a commit main does not hold (a draft's branch): not merely stale.
        elsewhere = main is not None and built != main and not repo.is_ancestor(str(built), main)
    checked = run_check(root, head=main or "HEAD")
    # What a violation holds stays at its last good version in the build: only the proof's own
    # violations stop a deploy.
    refused = release.refusals(marker, checked.head, not checked.stopped, str(site))
    if elsewhere:
        refused = [p for p in refused if p.code != "DEP005"]
        refused.insert(0, Problem("DEP024", str(site), args={"built": built, "main": main}))
    if refused:
        raise LamanError(refused)
    with Repository(root) as repo:
        return release.deploy(
            repo,
            site,
            target,
            keep=keep,
            wait=wait,
            now=now,
            ssh_options=_options(ssh_options),
            on_wait=on_wait,
        )


def rollback(
    root: Path,
    target: str,
    now: datetime,
    *,
    to: str | None = None,
    wait: int = 300,
    ssh_options: Sequence[str] = (),
    on_wait: Callable[[], None] = lambda: None,
) -> release.Switched:
    """Serve again the release that was live before the live one, or the newest of commit `to`."""
    with Repository(root) as repo:
        return release.rollback(
            repo, target, to=to, wait=wait, now=now, ssh_options=_options(ssh_options), on_wait=on_wait
        )


def releases(target: str, ssh_options: Sequence[str] = ()) -> tuple[release.Listed, ...]:
    """The releases kept at `target`: commit, when each went live, and which is live now."""
    return release.listing(target, _options(ssh_options))


def _options(ssh_options: Sequence[str]) -> list[str]:
    return [f"-o{o}" for o in ssh_options]


@dataclass(frozen=True)
class SiteCheck:
    commit: str
    articles: int  # in the site the repository gives for that commit
    files: int
    problems: list[Problem]


# Where a served site's commit must be found: what was deployed, or main's history.
KNOWN_REFS = ("refs/laman/published", "refs/heads/main", "refs/remotes/origin/main")


def verify_site(root: Path, site: Path, now: datetime) -> SiteCheck:
    """Build again, into a temporary folder, the site of the commit a served copy names (for the
    time its record says it stood for) and compare every served file with it. Nothing of the
    served copy is believed but those two claims: the commit must be one that was deployed or is
    in main's history, pass `laman check`, and the time must not be after `now`."""
    claim = provenance.read(site)
    here = provenance.PATH
    if claim.built_for > now:
        raise LamanError([Problem("VER009", here, args={"when": claim.built_for.isoformat()})])
    project = load_project(root)
    with Repository(project.root) as repo:
        tips = [tip for tip in map(repo.resolve, KNOWN_REFS) if tip]
        known = any(repo.is_ancestor(claim.commit, tip) for tip in tips)
    if not known:
        raise LamanError([Problem("VER007", here, args={"commit": claim.commit})])
    checked = run_check(project.root, head=claim.commit, published=claim.commit)
    if checked.stopped:  # a held article was built at its last good version: rebuilt the same
        detail = f"{len(checked.stopped)} ({checked.stopped[0].code})"
        raise LamanError([Problem("VER008", here, args={"commit": claim.commit[:12], "detail": detail})])
    with Repository(project.root) as repo:
        planned = build.plan(repo, checked, claim.built_for)
    with tempfile.TemporaryDirectory(prefix="laman-verify-") as scratch:
        rebuilt = build.build(
            project,
            planned.files,
            commit=checked.head,
            enforced=checked.enforced,
            output=Path(scratch) / "site",
            entries=planned.entries,
            notices=planned.notices,
            now=claim.built_for,
            epoch=planned.epoch,
            cache=False,
            code=planned.code,  # the theme and settings of the claimed commit, not the working tree's
        ).output
        honest = json.loads((rebuilt / provenance.PATH).read_text("utf-8"))
        problems = provenance.compare(
            provenance.manifest(site, record=True), provenance.manifest(rebuilt, record=True)
        )
    problems += provenance.check_articles(claim.record, honest)
    return SiteCheck(claim.commit, len(honest["articles"]), len(honest["files"]) + 1, problems)
