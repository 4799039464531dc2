"""The site after it is built: sent live atomically, rolled back, and checked where it is
served against the repository."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pipeline.errors import LamanError, Problem
from pipeline.proof.check import run_check
from pipeline.proof.history import Repository
from pipeline.site import deploy as release
from pipeline.site import provenance

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
    refused = release.refusals(marker, checked.head, not checked.violations, str(site))
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
    record: Mapping[str, Any]  # the site's provenance record
    problems: list[Problem]

    @property
    def articles(self) -> int:
        return len(self.record.get("articles", []))

    @property
    def files(self) -> int:
        return len(self.record["files"])


def verify_site(root: Path, site: Path) -> SiteCheck:
    """Match a served copy of the site with its provenance record and the repository's
    history: every file's digest, and every article's verified blob."""
    try:
        record = json.loads((site / provenance.PATH).read_text("utf-8"))
    except (OSError, ValueError):
        raise LamanError([Problem("VER005", str(site), args={"site": str(site)})]) from None
    problems = provenance.check_files(site, record)
    if record.get("commit"):
        checked = run_check(root, head=record["commit"])
        verified = {
            ident: (r.version.blob, r.verified_in, r.verified_key)
            for ident, r in checked.records.items()
            if r.approved
        }
        problems += provenance.check_articles(record, verified)
    return SiteCheck(record, problems)
