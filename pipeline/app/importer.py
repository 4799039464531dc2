"""`laman import wordpress`: an old WordPress site's published posts and pages brought into
`content/` as legacy content, with their images, and a report of every item.

Nothing half-written reaches `content/`: the articles and images are written into a temporary
folder beside it, and moved in, file by file on the same disk, only once all were written and
none would replace a file already there.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from pipeline.errors import LamanError, Problem
from pipeline.model import article, content, media
from pipeline.model.project import CONTENT_DIR, SOP_FILE, load_project
from pipeline.proof.history import Repository
from pipeline.wordpress import plan as planner
from pipeline.wordpress import report, sections, wxr

REPORT_DIR = Path(".laman-cache") / "impor"
# The widths tried, widest first, for a photo too heavy for the repository: the build publishes
# at most 1200 px (site/images.py); wider leaves room for a sharper screen later.
_NARROWER = (2400, 1600, 1200)


@dataclass(frozen=True)
class Imported:
    rows: tuple[planner.Row, ...]
    written: tuple[str, ...]  # files moved into content/
    report_md: Path
    report_csv: Path


def import_wordpress(
    root: Path,
    export: Path,
    *,
    media_dir: Path | None,
    since: date | None,
    sections_file: Path | None,
    today: date,
    dry_run: bool = False,
    lang: str = "id",
    progress: Callable[[int], None] = lambda total: None,
    step: Callable[[], None] = lambda: None,
) -> Imported:
    """Import `export`; `progress(total)` is told how many items there are, `step()` each one."""
    project = load_project(root)
    if not dry_run:
        _before_the_anchor(root)
    try:
        raw = export.read_bytes()
    except OSError as err:
        raise LamanError([Problem("CMD001", str(export), args={"path": str(export)})]) from err
    parsed = wxr.read(raw, str(export))
    mapping = sections.load(
        sections_file.read_text("utf-8") if sections_file else sections.DEFAULT,
        str(sections_file or "sections"),
        project.sop,
    )
    taken = _addresses(project.content)
    uploads = media_dir.resolve() if media_dir else None

    def upload_exists(rel: str) -> bool:
        return (
            uploads is not None and (uploads / rel).is_file() and uploads in (uploads / rel).resolve().parents
        )

    progress(len(parsed.items))
    made = planner.plan(
        parsed,
        project.sop,
        project.team,
        mapping,
        since=since,
        today=today,
        taken=taken.__contains__,
        upload_exists=upload_exists,
        step=step,
    )
    rows = list(made.rows)
    written = tuple(a.path for a in made.articles)  # a dry run: what would be written
    if not dry_run:
        rows, written = _write(root, made, uploads)
    folder = root / REPORT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    md, csv = folder / "laporan.md", folder / "laporan.csv"
    md.write_text(report.markdown(rows, export.name, lang), "utf-8")
    csv.write_text(report.csv_text(rows, lang), "utf-8")
    return Imported(tuple(rows), written, md, csv)


def _before_the_anchor(root: Path) -> None:
    """Imported articles enter at the publishable stage with no SOP step behind them: the check
    accepts that only as the history before its trust anchor (legacy content). Once enforcement
    has started, such a commit would be refused, so the import is refused before it writes."""
    if not (root / ".git").exists():
        return
    with Repository(root) as repo:
        anchors = repo.outside_anchors()
    if anchors:
        where, commit = sorted(anchors.items())[0]
        raise LamanError([Problem("IMP007", SOP_FILE, args={"where": where, "commit": commit})])


def _addresses(content_root: Path) -> set[str]:
    """The slugs the site's articles already take."""
    files, _ = content.find([content_root]) if content_root.is_dir() else ([], [])
    slugs = set()
    for path in files:
        slugs.add(path.stem)
        try:
            slugs.add(article.parse(path.read_bytes(), str(path)).slug)
        except LamanError:
            continue  # `laman validate` names it; its file name still takes the address
    return slugs


def _write(root: Path, made: planner.Plan, uploads: Path | None) -> tuple[list[planner.Row], tuple[str, ...]]:
    """Everything into a temporary folder, then moved into content/; the rows with the images
    that could not be read."""
    work = Path(tempfile.mkdtemp(prefix=".laman-import-", dir=root))
    unreadable: dict[str, list[tuple[str, str]]] = {}
    try:
        staged: list[str] = []
        for item in made.articles:
            (work / item.path).parent.mkdir(parents=True, exist_ok=True)
            (work / item.path).write_text(item.text, "utf-8")
            staged.append(item.path)
            for target, rel in item.images.items():
                assert uploads is not None  # an image is planned only when found under uploads/
                if _keep_image(uploads / rel, work / target):
                    staged.append(target)
                else:
                    unreadable.setdefault(item.path, []).append(("IMP014", rel))
        clash = [p for p in staged if (root / p).exists()]
        if clash:
            raise LamanError([Problem("IMP006", clash[0], args={"path": clash[0]})])
        for path in staged:
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            os.replace(work / path, root / path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rows = [
        planner.Row(
            r.post_id, r.kind, r.title, r.old_url, planner.LOSSY, r.path, (*r.notes, *unreadable[r.path])
        )
        if r.path in unreadable
        else r
        for r in made.rows
    ]
    return rows, tuple(p for p in staged if p.startswith(f"{CONTENT_DIR}/"))


def _keep_image(source: Path, target: Path) -> bool:
    """The original beside the article, as the site keeps photos (the build makes the published
    widths); one over the repository's limit (`media.MAX_BYTES`) made narrower, in its own
    format, until it fits. False: not an image, or one that cannot be made to fit."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with Image.open(source) as image:
            image.verify()
        if source.stat().st_size <= media.MAX_BYTES:
            shutil.copyfile(source, target)
            return True
        with Image.open(source) as image:
            kind = image.format or "JPEG"
            for width in _NARROWER:
                if width < image.width:
                    height = max(1, round(image.height * width / image.width))
                    image.resize((width, height), Image.Resampling.LANCZOS).save(target, kind, quality=85)
                    if target.stat().st_size <= media.MAX_BYTES:
                        return True
        return False
    except (UnidentifiedImageError, OSError, ValueError):
        return False
