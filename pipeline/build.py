"""Build the site from exactly the publishable blobs: stage them, run Pelican, swap atomically."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings

from pipeline.errors import LamanError, Problem
from pipeline.history import Repository
from pipeline.policy import REGULAR, Version
from pipeline.project import CONTENT_DIR, Project

MARKER = ".laman-build.json"


@dataclass(frozen=True)
class BuildResult:
    output: Path
    commit: str | None
    enforced: bool
    published: tuple[str, ...]


def export(repo: Repository, publishable: Mapping[str, Version], head: str | None) -> dict[str, bytes]:
    """The verified blobs, byte for byte, and the regular non-Markdown files (images) at HEAD."""
    files = {version.path: repo.blob(version.blob) for version in publishable.values()}
    if head is not None:
        for path, (mode, blob_id) in repo.tree_files(head, CONTENT_DIR).items():
            if mode in REGULAR and not path.endswith(".md"):
                files[path] = repo.blob(blob_id)
    return files


def stage_files(files: Mapping[str, bytes], staging: Path) -> None:
    """Write `content/...` blobs under `staging/` (the prefix dropped)."""
    for path, raw in files.items():
        target = staging / Path(path).relative_to(CONTENT_DIR)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(raw)


class _Failures(logging.Handler):
    """Pelican logs a broken article ("Could not process") and carries on; we collect them."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run_pelican(
    root: Path, settings_file: str, content: Path, output: Path, override: Mapping[str, object]
) -> None:
    settings = read_settings(
        str(root / settings_file),
        override={"PATH": str(content), "OUTPUT_PATH": str(output), "THEME": str(root / "theme"), **override},
    )
    failures = _Failures()
    logger = logging.getLogger("pelican")
    logger.addHandler(failures)
    try:
        Pelican(settings).run()
    except Exception as err:  # Pelican raises many kinds; all mean the build failed
        raise LamanError(
            [Problem("CMD004", settings_file, args={"detail": f"{type(err).__name__}: {err}"})]
        ) from err
    finally:
        logger.removeHandler(failures)
    if failures.messages:
        raise LamanError([Problem("CMD004", settings_file, args={"detail": "; ".join(failures.messages)})])


def index_search(site: Path) -> None:
    """A full-text index that works offline on a static host (Pagefind, from its PyPI wheel)."""
    done = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"], capture_output=True, text=True
    )
    if done.returncode != 0:
        detail = f"pagefind exit {done.returncode}: {done.stderr.strip() or done.stdout.strip()}"
        raise LamanError([Problem("CMD004", "pagefind", args={"detail": detail})])


def build(
    project: Project,
    files: Mapping[str, bytes],
    *,
    commit: str | None,
    enforced: bool,
    settings_file: str = "publishconf.py",
    output: Path | None = None,
    preview: bool = False,
) -> BuildResult:
    """Build `files` into `output`, replacing it only when the whole build succeeded.

    A `preview` build shows a draft banner, asks robots not to index it, and is marked so that
    `laman deploy` refuses it.
    """
    output = output or project.root / "output"
    output.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".laman-build-", dir=output.parent))
    try:
        staging, fresh = work / "content", work / "site"
        staging.mkdir()
        stage_files(files, staging)
        override = {"LAMAN_IFRAME_HOSTS": project.sop.iframe_hosts, "LAMAN_PREVIEW": preview}
        run_pelican(project.root, settings_file, staging, fresh, override)
        index_search(fresh)
        published = tuple(sorted(p for p in files if p.endswith(".md")))
        (fresh / MARKER).write_text(
            json.dumps(
                {"commit": commit, "enforced": enforced, "preview": preview, "articles": published}, indent=2
            ),
            "utf-8",
        )
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
