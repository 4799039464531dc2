"""The site after it is built: sent live atomically, rolled back, and checked where it is
served against the repository."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pipeline.errors import LamanError, Problem
from pipeline.proof.check import PUBLISHED_REF, run_check
from pipeline.proof.history import Repository
from pipeline.site import deploy as release
from pipeline.site import provenance


@dataclass(frozen=True)
class Deployed:
    commit: str
    articles: int


def deploy(
    root: Path, target: str, site: Path, now: datetime, *, keep: int = 5, ssh_options: Sequence[str] = ()
) -> Deployed:
    """Send the finished build in `site` live at `target` (`dir:/folder` or
    `ssh://user@host/folder`), refused unless it is an enforced build of HEAD with a clean
    history; `refs/laman/published` then marks its commit."""
    where = release.parse_target(target)
    marker = release.read_marker(site)
    checked = run_check(root)
    refused = release.refusals(marker, checked.head, not checked.violations, str(site))
    if refused:
        raise LamanError(refused)
    commit = str(marker["commit"])
    articles = len(marker.get("articles") or [])
    with Repository(root) as repo:
        who = repo.config("user.name") or "CI"
        release.upload(
            site,
            where,
            commit,
            keep,
            release.log_line(commit, who, articles, "deploy", now),
            [f"-o{o}" for o in ssh_options],
        )
        repo.update_ref(PUBLISHED_REF, commit)
    return Deployed(commit, articles)


def rollback(root: Path, target: str, now: datetime, *, ssh_options: Sequence[str] = ()) -> str:
    """Serve the release before the current one again; its name."""
    where = release.parse_target(target)
    with Repository(root) as repo:
        who = repo.config("user.name") or "CI"
    line = release.log_line("-", who, 0, "rollback", now)
    return release.rollback(where, line, [f"-o{o}" for o in ssh_options])


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
