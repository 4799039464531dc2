"""From history to a site: the check, the build of what it allows, and a draft's preview."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipeline.model import content
from pipeline.model.article import parse as parse_article
from pipeline.model.project import load_project
from pipeline.proof.check import CheckResult, run_check
from pipeline.proof.history import Repository
from pipeline.site import build

# Proving from git that every step was taken by someone allowed to take it is the check's own
# work: the workflow is the check itself, not a wrapper that repeats its signature.
check = run_check


@dataclass(frozen=True)
class Published:
    checked: CheckResult
    built: build.BuildResult | None  # None: a violation of the proof itself stopped the build
    embargoed: tuple[str, ...] = ()  # article ids held back until their publish_at

    @property
    def articles(self) -> int:
        return sum(1 for p in self.built.published if p.endswith(".md")) if self.built else 0


def publish(
    root: Path,
    now: datetime,
    *,
    local: bool = False,
    output: Path | None = None,
    on_checked: Callable[[CheckResult], None] = lambda _: None,
) -> Published:
    """Check, then build the site from the publishable articles whose embargo ended at `now`;
    `on_checked` hears the check's verdict before the build starts (it takes a while)."""
    project = load_project(root)
    result = run_check(project.root)
    on_checked(result)
    if result.stopped:  # held articles and site code stay at their last good versions
        return Published(result, None)
    with Repository(project.root) as repo:
        planned = build.plan(repo, result, now)
    built = build.build(
        project,
        planned.files,
        commit=result.head,
        enforced=result.enforced,
        settings_file="pelicanconf.py" if local else "publishconf.py",
        output=output,
        entries=planned.entries,
        notices=planned.notices,
        now=now,
        epoch=planned.epoch,
        code=planned.code if result.head else None,
    )
    return Published(result, built, planned.embargoed)


def preview(root: Path, file: Path, output: Path, now: datetime) -> build.BuildResult:
    """The verified site with one draft in it, under a DRAFT banner; never deployable."""
    project = load_project(root)
    rel = project.relative(file)
    raw = file.read_bytes()
    draft = parse_article(raw, rel)  # a broken draft is named here, not deep in Pelican
    checked = run_check(project.root)
    with Repository(project.root) as repo:
        planned = build.plan(repo, checked, now)
    files = planned.files
    # The draft replaces its own verified version, if it has one: the check knows where it is.
    published = checked.publishable.get(draft.id)
    if published is not None:
        files.pop(published.path, None)
    files[rel] = raw
    files.update(content.image_files(draft, file, project.content))  # its photos, perhaps not committed
    return build.build(
        project,
        files,
        commit=checked.head,
        enforced=False,
        settings_file="pelicanconf.py",
        output=output,
        preview=True,
        code=planned.code if checked.head else None,
    )
