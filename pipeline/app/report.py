"""The monthly recap: what was published, how long each stage took, what was sent back, and
how many read it (from the web server's logs or a hosting dashboard's CSV)."""

from __future__ import annotations

import glob
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from pipeline import recap
from pipeline.errors import LamanError, Problem
from pipeline.model.project import load_project
from pipeline.proof.check import run_check
from pipeline.proof.history import Repository
from pipeline.recap import readers

# Given the bytes to read, a context in which the reader reports each chunk it has read.
Progress = Callable[[int], AbstractContextManager[Callable[[int], None]]]


@contextmanager
def quietly(total: int) -> Iterator[Callable[[int], None]]:
    """No progress shown: the default."""
    yield lambda done: None


@dataclass(frozen=True)
class Recapped:
    period: recap.Period
    result: recap.Recap
    counts: readers.Counts | None
    violations: int  # at HEAD, when the recap was made
    written: list[Path]


def period_of(month: str | None, first: str | None, last: str | None) -> recap.Period:
    """A month (`TTTT-BB`) or a range of days (`--from`, `--to`), never both nor half a range."""
    if (month is None) == (first is None and last is None) or (first is None) != (last is None):
        raise LamanError([Problem("REC006", "recap")])
    return recap.month_period(month) if month else recap.range_period(first or "", last or "")


def recap_period(
    root: Path,
    period: recap.Period,
    now: datetime,
    *,
    out_dir: Path,
    lang: str = "id",
    logs: Sequence[str] = (),
    views_csv: Path | None = None,
    site_url: str | None = None,
    progress: Progress = quietly,
) -> Recapped:
    """The recap of `period`, written to `out_dir` in `lang`; readers counted from `logs`
    (files, folders or patterns) or else `views_csv`."""
    project = load_project(root)
    checked = run_check(project.root)
    with Repository(project.root) as repo:
        gathered = recap.gather(repo, project.sop, project.team, checked, period)
    pages = recap.article_pages(gathered.events, gathered.extra)
    counts = None
    if logs:
        files = log_files(logs)
        own = [h for h in [urlsplit(site_url).hostname if site_url else None] if h]
        with progress(sum(f.stat().st_size for f in files)) as advance:
            counts = readers.read_logs(files, period.first, period.last, list(pages), own, advance)
    elif views_csv is not None:
        counts = readers.read_views_csv(views_csv, period.first, period.last, list(pages))
    result = recap.compute(
        gathered.events,
        project.sop,
        gathered.people,
        period,
        approved=gathered.approved,
        was_published=gathered.was_published,
        enforced=gathered.enforced,
        counts=counts,
        pages=pages,
        violations=gathered.violations,
        head=gathered.head,
        waived=gathered.waived,
    )
    written = recap.write(result, project.sop, out_dir, lang, now)
    return Recapped(period, result, counts, gathered.violations, written)


def log_files(values: Sequence[str]) -> list[Path]:
    """Files named, folders (their `*access*` files) and quoted patterns, each file once."""
    found: list[Path] = []
    for value in values:
        path = Path(value).expanduser()
        if path.is_dir():
            matches = sorted(p for p in path.iterdir() if p.is_file() and "access" in p.name)
        elif path.is_file():
            matches = [path]
        else:
            matches = sorted(Path(p) for p in glob.glob(str(path)) if Path(p).is_file())
        if not matches:
            raise LamanError([Problem("REC005", value, args={"pattern": value})])
        found.extend(m for m in matches if m not in found)
    return found
