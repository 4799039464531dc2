"""Build the site from exactly the publishable blobs: stage them, run Pelican, swap atomically."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline.duties import dip
from pipeline.errors import LamanError, Problem
from pipeline.model.article import parse as parse_article
from pipeline.model.article import slug_of
from pipeline.model.dates import parse_datetime
from pipeline.model.project import CONTENT_DIR, SOP_FILE, Project
from pipeline.model.sop import load_sop
from pipeline.proof.check import CheckResult
from pipeline.proof.history import Repository
from pipeline.proof.policy import Record
from pipeline.proof.version import REGULAR, Version
from pipeline.site import attached, provenance


@dataclass(frozen=True)
class BuildResult:
    output: Path
    commit: str | None
    enforced: bool
    published: tuple[str, ...]


@dataclass(frozen=True)
class Notice:
    """What stays at the address of a withdrawn article: a short *Ralat / ditarik* page."""

    slug: str
    title: str
    reason: str
    date: str | None = None  # ISO; when the withdrawal was committed
    correction: str | None = None  # the slug of a published article that `corrects` this one


@dataclass(frozen=True)
class Plan:
    files: dict[str, bytes]  # content/... -> bytes, the verified blobs byte for byte
    entries: tuple[provenance.Entry, ...]
    notices: tuple[Notice, ...]
    embargoed: tuple[str, ...]  # article ids held back until their publish_at
    epoch: datetime | None  # the judged commit's time: the build's dates that are not an article's
    code: dict[str, bytes] = field(default_factory=dict)  # SITE_CODE at the judged commit


# What Pelican runs and renders with: read from the judged commit, never from the working tree.
SITE_CODE = ("theme", "pelicanconf.py", "publishconf.py")


def plan(repo: Repository, checked: CheckResult, now: datetime) -> Plan:
    """What a build publishes: verified blobs whose embargo has ended, the files they link to
    as they were when verified, the approved DIP documents, notices for withdrawn articles that
    had been published, and the provenance of each."""
    files: dict[str, bytes] = {}
    entries = []
    embargoed = []
    published = {i: v for i, v in checked.publishable.items() if v.meta is not None}
    live = {**checked.records, **checked.standing}  # a held article: its last good record
    dated = [c for r in live.values() for c in _verifying_commits(r) if c]
    times = repo.commit_times(dated + ([checked.head] if checked.head else []))
    blobs = repo.objects([v.blob for v in published.values()])
    wanted: dict[str, str | None] = {}  # a linked file -> the commit it is pinned to
    for ident, version in sorted(published.items()):
        when = version.meta.get("publish_at")  # type: ignore[union-attr]
        if when and parse_datetime(when) > now:
            embargoed.append(ident)
            continue
        files[version.path] = blobs[version.blob]
        record = live[ident]
        # An article's images are part of what its verifier approved: taken from that commit.
        pinned = record.verified_in if checked.enforced else None
        item = parse_article(blobs[version.blob], version.path)
        wanted.update(dict.fromkeys(sorted(attached.linked(item, version.path, checked.asset_types)), pinned))
        entries.append(_entry(ident, version, record, times))
    files.update(_attachments(repo, checked, wanted))
    notices = _notices(repo, checked, published)
    epoch = times.get(checked.head or "")
    # Site code held by a violation: the last good commit's (hold.py).
    code = site_code(repo, checked.code_commit or checked.head) if checked.head else {}
    return Plan(files, tuple(entries), tuple(notices), tuple(embargoed), epoch, code)


def _verifying_commits(record: Record) -> list[str | None]:
    return [record.verified_in, *(s.commit for s in record.superseded)]


def _entry(ident: str, version: Version, record: Record, times: Mapping[str, datetime]) -> provenance.Entry:
    """The public record of a live page: the version shown (during a correction, the standing
    one, which `record.verified_*` still describe) and the versions corrections replaced."""

    def at(commit: str | None) -> str | None:
        when = times.get(commit or "")
        return when.isoformat() if when else None

    earlier = tuple(
        {
            "blob": s.blob,
            "commit": s.commit,
            "key": s.key,
            "verified_at": at(s.commit),
            "correction": s.correction,
        }
        for s in record.superseded
    )
    slug = slug_of(version.meta)  # type: ignore[arg-type]
    return provenance.Entry(
        *(ident, f"/{slug}/", version.path, version.blob, record.verified_in, record.verified_key),
        at(record.verified_in),
        imported=(version.meta.get("imported") or {}).get("url"),  # type: ignore[union-attr]
        correction=record.correction,
        earlier=earlier,
    )


def _attachments(repo: Repository, checked: CheckResult, wanted: dict[str, str | None]) -> dict[str, bytes]:
    """The linked files and the DIP documents (with the files they name), as blobs. A file
    pinned to a commit is its blob there; another is the blob the check admitted."""
    wanted = dict(wanted)
    trees: dict[str | None, dict[str, str]] = {}

    def tree(commit: str | None) -> dict[str, str]:
        if commit not in trees:
            listed = repo.tree_files(commit or checked.head or "HEAD", CONTENT_DIR) if checked.head else {}
            trees[commit] = {p: b for p, (mode, b) in listed.items() if mode in REGULAR}
        return trees[commit]

    # Until the check admits assets itself (legacy sites, or before it classified files), an
    # unpinned file is the head's.
    admitted = checked.assets or tree(None)
    documents = dict(checked.documents) if checked.enforced else _head_documents(tree(None))
    blobs = repo.objects(documents.values())
    for path, blob_id in documents.items():
        try:
            target = dip.load_document(blobs[blob_id].decode("utf-8"), path).url
        except (LamanError, UnicodeDecodeError):
            continue  # the DIP page names the broken document when it loads it
        found = attached.document_file(target, checked.asset_types)
        if found is not None:
            wanted.setdefault(found, None)
    ids = {p: (tree(c) if c else admitted).get(p) for p, c in wanted.items()}
    ids.update(documents)
    blobs.update(repo.objects(b for b in ids.values() if b))
    return {p: blobs[b] for p, b in sorted(ids.items()) if b and b in blobs}


def _head_documents(tree: Mapping[str, str]) -> dict[str, str]:
    folder = f"{CONTENT_DIR}/{dip.DOCUMENTS}/"
    return {
        p: b
        for p, b in tree.items()
        if p.startswith(folder) and p.endswith(".yml") and "/" not in p[len(folder) :]
    }


def site_code(repo: Repository, commit: str) -> dict[str, bytes]:
    """The theme and the settings as `commit` has them: path -> bytes."""
    listed: dict[str, str] = {}
    for name in SITE_CODE:
        listed.update({p: b for p, (mode, b) in repo.tree_files(commit, name).items() if mode in REGULAR})
    blobs = repo.objects(listed.values())
    return {p: blobs[b] for p, b in listed.items()}


def _notices(repo: Repository, checked: CheckResult, published: Mapping[str, Any]) -> list[Notice]:
    """A notice for each withdrawn article that had been published (under enforcement, as the
    check proved; without, as main's history shows): when it was withdrawn (the last commit to
    its file) and which published article, if any, `corrects` it."""
    corrected_by = {
        v.meta.get("corrects"): slug_of(v.meta) for v in published.values() if v.meta.get("corrects")
    }
    ended, live = (frozenset(), frozenset()) if checked.enforced else _stages(repo, checked.head)
    notices = []
    for record in checked.records.values():
        version = record.version
        if version.stage is None or version.blob is None:
            continue
        stood = version.stage in ended and _was_live(repo, checked.head or "HEAD", version, live)
        if not (record.was_published or stood):
            continue
        try:
            item = parse_article(repo.blob(version.blob), version.path)
        except LamanError:
            continue
        if item.meta.get("withdrawal") and item.id not in published:
            when = repo.run("log", "-1", "--format=%cI", checked.head or "HEAD", "--", version.path).strip()
            notices.append(
                Notice(
                    item.slug, item.title, item.meta["withdrawal"], when or None, corrected_by.get(item.slug)
                )
            )
    return notices


def _stages(repo: Repository, head: str | None) -> tuple[frozenset[str], frozenset[str]]:
    """Without enforcement (SOP021), the stages of the judged commit's sop.yml that end an article
    off the site (a withdrawal: terminal, not publishable) and those that put it on."""
    try:
        sop = load_sop(repo.run("show", f"{head}:{SOP_FILE}")) if head else None
    except LamanError:
        sop = None
    stages = sop.stages if sop else ()
    ended = frozenset(s.id for s in stages if s.terminal and not s.publishable)
    return ended, frozenset(s.id for s in stages if s.publishable)


def _was_live(repo: Repository, head: str, version: Version, live: frozenset[str]) -> bool:
    """Without enforcement, main's tree is the site: an article stood on it if a commit of main
    had it at a publishable stage. Any earlier version of its file (renames followed), of the same
    article: git's rename guess pairs files by likeness, and articles share much front matter."""
    path = version.path
    log = repo.run("log", "--first-parent", "--follow", "--format=", "--raw", "--no-abbrev", head, "--", path)
    blobs = {line.split()[3] for line in log.splitlines() if line.startswith(":")}
    for raw in repo.objects(b for b in sorted(blobs) if b.strip("0")).values():
        try:
            item = parse_article(raw, path)
        except LamanError:
            continue
        if item.id == version.id and item.stage in live and not item.exempt:
            return True
    return False


def stage_files(files: Mapping[str, bytes], staging: Path) -> None:
    """Write `content/...` blobs under `staging/` (the prefix dropped)."""
    for path, raw in files.items():
        target = staging / Path(path).relative_to(CONTENT_DIR)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(raw)


def run_pelican(
    root: Path, settings_file: str, content: Path, output: Path, override: Mapping[str, object]
) -> None:
    """Run Pelican in a child process: its plugins keep module-level state (the sitemap's page
    queue survives a failed build), so every build starts from a clean interpreter."""
    job = {
        "settings": str(root / settings_file),
        "override": {
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "THEME": str(root / "theme"),
            **override,
        },
    }
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.site.pelican_run"],
        input=json.dumps(job, default=_plain),
        capture_output=True,
        text=True,
        cwd=root,
    )
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"
        raise LamanError([Problem("CMD004", settings_file, args={"detail": detail})])


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "__dataclass_fields__"):
        return value.__dict__
    raise TypeError(type(value).__name__)


def _written(files: Mapping[str, bytes], folder: Path) -> Path:
    """`files` (path -> bytes) written under `folder`; the folder."""
    for path, raw in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(raw)
    return folder


def build(
    project: Project,
    files: Mapping[str, bytes],
    *,
    commit: str | None,
    enforced: bool,
    settings_file: str = "publishconf.py",
    output: Path | None = None,
    preview: bool = False,
    entries: tuple[provenance.Entry, ...] = (),
    notices: tuple[Notice, ...] = (),
    now: datetime | None = None,
    epoch: datetime | None = None,
    cache: bool = True,
    code: Mapping[str, bytes] | None = None,
) -> BuildResult:
    """Build `files` into `output`, replacing it only when the whole build succeeded.

    `code` is the theme and settings of the judged commit (`site_code`); without it (a
    repository with no commit yet) they are the project's own files.
    A `preview` build shows a draft banner, asks robots not to index it, and is marked so that
    `laman deploy` refuses it. `epoch` (the commit's time, as SOURCE_DATE_EPOCH is elsewhere)
    dates what has no date of its own (the sitemap's index pages, an empty feed, the DIP's
    workbook), so that one commit built for one `now` gives the same bytes in any folder at any
    hour; `cache=False` makes every image again (`laman verify-site` trusts no local copy).
    """
    output = output or project.root / "output"
    output.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".laman-build-", dir=output.parent)).resolve()
    try:
        staging, fresh = work / "content", work / "site"
        staging.mkdir()
        stage_files(files, staging)
        root = project.root if code is None else _written(code, work / "code")
        override = {
            "LAMAN_IFRAME_HOSTS": project.sop.iframe_hosts,
            "LAMAN_PREVIEW": preview,
            "LAMAN_VERIFIED": {e.id: e for e in entries},
            "LAMAN_NOTICES": notices,
            "LAMAN_CACHE_PATH": str(project.root / ".laman-cache") if cache else "",
            **({"LAMAN_NOW": now} if now else {}),
            **({"LAMAN_EPOCH": epoch} if epoch else {}),
        }
        run_pelican(root, settings_file, staging, fresh, override)
        published = tuple(sorted(p for p in files if p.endswith(".md")))
        (fresh / provenance.MARKER).write_text(
            json.dumps(
                {"commit": commit, "enforced": enforced, "preview": preview, "articles": published}, indent=2
            ),
            "utf-8",
        )
        if not preview:
            provenance.write(fresh, commit, entries, now or datetime.now(UTC))
        _swap(fresh, output)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BuildResult(output, commit, enforced, published)


def _swap(fresh: Path, output: Path) -> None:
    """Put `fresh` where `output` is: two renames, so a reader never sees half a site."""
    old = output.with_name(output.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if output.exists():
        output.rename(old)
    fresh.rename(output)
    shutil.rmtree(old, ignore_errors=True)
