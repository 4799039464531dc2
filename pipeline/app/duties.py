"""What the office owes beyond the site: the DIP and its exempt list, the disposition sheet,
the social-media kit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipeline.app.editorial import read_content
from pipeline.duties import dip, disposisi, social
from pipeline.errors import LamanError, Problem
from pipeline.messages import say
from pipeline.model.article import parse as parse_article
from pipeline.model.article import slug_of
from pipeline.model.dates import parse_datetime
from pipeline.model.project import CONTENT_DIR, Project, load_project
from pipeline.proof.check import run_check
from pipeline.site import settings


@dataclass(frozen=True)
class InformationList:
    """The DIP (or the internal exempt list) as a table, and what it is written from."""

    title: str
    headings: tuple[str, ...]
    cells: list[tuple[str, ...]]
    problems: list[Problem]
    groups: tuple[dip.Group, ...] = ()  # the public list
    exempt: tuple[dip.ExemptRow, ...] | None = None  # the exempt list


def public_list(root: Path, lang: str) -> InformationList:
    """The Daftar Informasi Publik of the publishable articles and the listed documents."""
    project = load_project(root)  # the office's files read, and refused when broken, first
    checked = run_check(project.root)
    items = [
        dip.item_from_meta(v.meta, url=f"{slug_of(v.meta)}/", source=v.path)
        for v in checked.publishable.values()
        if v.meta is not None
    ]
    documents, problems = dip.load_documents(project.content)
    groups = dip.table([i for i in items if i is not None] + documents)
    return InformationList(
        say("dip.title", lang),
        tuple(h.say(lang) for h in (*dip.HEADINGS, dip.EXTRA_HEADINGS[0])),
        [(*dip.cells(r, lang), g.info_class) for g in groups for r in g.rows],
        problems,
        groups=groups,
    )


def exempt_list(root: Path, lang: str, output: Path | None = None) -> InformationList:
    """The internal list of exempt information (UU 14/2008 Pasal 17), from the working tree;
    refused when `output` is where the site is built from or into."""
    project = load_project(root)
    if output is not None:
        _refuse_public_folder(project, output)
    checked, problems = read_content(project)
    rows = dip.exempt_rows((project.relative(Path(a.file)), a.meta) for a in checked.articles)
    missing = [Problem("DIP005", r.file, args={"file": r.file}) for r in rows if not r.recorded]
    return InformationList(
        say("dip.exempt.internal", lang),
        tuple(h.say(lang) for h in dip.EXEMPT_HEADINGS),
        [dip.exempt_cells(r) for r in rows],
        [*problems, *missing],
        exempt=rows,
    )


def write_list(listing: InformationList, output: Path, lang: str) -> None:
    """The list as .csv or .xlsx (the exempt one also as .md), by the file's suffix."""
    if listing.exempt is not None:
        dip.write_exempt(listing.exempt, output, lang)
    elif output.suffix.lower() == ".xlsx":
        dip.write_xlsx(dip.download_rows(listing.groups, lang=lang), output, listing.title, dip.DIP_WIDTHS)
    else:
        output.write_text(dip.to_csv(dip.download_rows(listing.groups, lang=lang)), "utf-8", newline="")


def _refuse_public_folder(project: Project, target: Path) -> None:
    """Nothing internal goes where the site is built from or into."""
    where = target.resolve()
    for folder in (project.root / CONTENT_DIR, project.root / "output", project.root / "preview"):
        if where.is_relative_to(folder.resolve()):
            raise LamanError([Problem("DIP004", str(target), args={"path": str(target)})])


def disposition_sheet(root: Path, file: Path, lang: str, output: Path | None, pdf: bool | None) -> list[Path]:
    """The article's disposition sheet as printable HTML (A4), and as PDF when it can be or
    must be; the files written."""
    project = load_project(root)
    item = parse_article(file.read_bytes(), project.relative(file))
    page = disposisi.sheet(
        item, project.sop.header.get("issuer") or "", settings.office_address(project.root), lang
    )
    target = output or Path(disposisi.default_name(item))
    _refuse_public_folder(project, target)  # an .html in content/ would be read as an article
    return disposisi.write(page, target, pdf=pdf)


def _live_posts(root: Path, now: datetime) -> list[social.Post]:
    """The publishable articles whose embargo has ended, as social posts."""
    project = load_project(root)  # the office's files read, and refused when broken, first
    posts = []
    for version in run_check(project.root).publishable.values():
        meta = version.meta
        if meta is None or (meta.get("publish_at") and parse_datetime(meta["publish_at"]) > now):
            continue
        slug = slug_of(meta)
        date = parse_datetime(meta["date"]) if meta.get("date") else None
        posts.append(social.post_from_meta(meta, f"/{slug}/", slug, date))
    return posts


@dataclass(frozen=True)
class Waiting:
    post: social.Post
    channel: str
    caption: str  # the caption's file in the built kit


def social_waiting(root: Path, now: datetime) -> list[Waiting]:
    """What is waiting to be posted: each live article on each channel it lists, not yet
    recorded in social/posted.json."""
    posts = _live_posts(root, now)
    record = social.load_posted(root / social.POSTED_FILE)
    kit = Path("output") / social.FOLDER
    return [Waiting(p, c, str(kit / p.slug / f"{c}.txt")) for p, c in social.waiting(posts, record)]


def social_posted(root: Path, slug: str, channels: Sequence[str], now: datetime) -> str:
    """Record that `slug` was posted on `channels` (by default all it lists); the record's file."""
    posts = _live_posts(root, now)
    path = root / social.POSTED_FILE
    social.save_posted(path, social.mark(posts, social.load_posted(path), slug, channels, now))
    return social.POSTED_FILE
