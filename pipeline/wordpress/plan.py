"""Which items of an export become which Laman articles, with what front matter, images and
report lines. Pure: the caller says which upload files exist and reads nothing for it.

An imported item is legacy content, published as it was: it enters at the publishable stage
(`verified`), its disposition says it was imported (no lembar disposisi existed), and
`imported` keeps the old address and post id, from which the build writes the redirects.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from pipeline.model.article import slugify
from pipeline.model.dates import WIB
from pipeline.model.project import CONTENT_DIR, PAGE_DIRS, folder_for
from pipeline.model.sop import Sop
from pipeline.model.team import Team
from pipeline.wordpress import convert
from pipeline.wordpress.wxr import Export, Item

IMPORTED, LOSSY, SKIPPED = "imported", "lossy", "skipped"
_PUBLISHED = "publish"
_UPLOADS = "/wp-content/uploads/"
TITLE_MAX = 200  # the schema's maxLength of `title`
_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")  # foto-300x200.jpg, a resized copy


@dataclass(frozen=True)
class Sections:
    """The mapping file: WordPress categories -> the site's sections, and the DIP columns."""

    categories: Mapping[str, str]  # a WordPress category's name or slug, lower case -> category
    posts: str  # the category of a post no mapped category names
    pages: str  # the category of a page whose slug names none
    information: Mapping[str, Any]


@dataclass(frozen=True)
class Row:
    """One line of the report."""

    post_id: int
    kind: str
    title: str
    old_url: str
    outcome: str  # IMPORTED, LOSSY or SKIPPED
    path: str = ""
    notes: tuple[tuple[str, str], ...] = ()  # (code, what): why skipped, what was lost


@dataclass(frozen=True)
class Planned:
    path: str  # content/<folder>/<slug>.md
    text: str
    images: dict[str, str] = field(default_factory=dict)  # content/... -> file under uploads/


@dataclass(frozen=True)
class Plan:
    articles: tuple[Planned, ...]
    rows: tuple[Row, ...]


def plan(
    export: Export,
    sop: Sop,
    team: Team,
    sections: Sections,
    *,
    since: date | None,
    today: date,
    taken: Callable[[str], bool],
    upload_exists: Callable[[str], bool],
    step: Callable[[], None] = lambda: None,
) -> Plan:
    """Every item as a planned article or a skipped row. `taken(slug)`: an address the site
    already has; `upload_exists(rel)`: a file under the uploads folder; `step()` after each item."""
    attachments = {
        i.post_id: convert.Attachment(i.attachment_url, i.title)
        for i in export.items
        if i.kind == "attachment" and i.attachment_url
    }
    rows: dict[int, Row] = {}
    chosen: list[tuple[int, Item, str, str]] = []  # (place in the export, item, slug, category)
    slugs: dict[str, int] = {}
    for n, item in enumerate(export.items):
        step()
        if item.kind not in ("post", "page"):
            continue
        reason = _skip(item, since, slugs, taken)
        if reason:
            rows[n] = Row(item.post_id, item.kind, item.title, item.link, SKIPPED, notes=(reason,))
            continue
        slugs[_slug(item)] = item.post_id
        chosen.append((n, item, _slug(item), _category(item, sop, sections)))
    # Links between imported items point at their new files (Pelican's `{filename}`), so that
    # they work on a static host too, where `/?p=123` cannot be sent on.
    links = {}
    for _, item, slug, category in chosen:
        target = f"{{filename}}/{_folder(item, category)}/{slug}.md"
        links[f"p={item.post_id}"] = target
        links[_old_path(item.link)] = target
    context = _Context(export, sop, team, sections, attachments, today, upload_exists, links)
    articles = []
    for n, item, slug, category in chosen:
        planned, rows[n] = _article(item, slug, category, context)
        articles.append(planned)
    return Plan(tuple(articles), tuple(rows[n] for n in sorted(rows)))


@dataclass(frozen=True)
class _Context:
    export: Export
    sop: Sop
    team: Team
    sections: Sections
    attachments: Mapping[int, convert.Attachment]
    today: date
    upload_exists: Callable[[str], bool]
    links: Mapping[str, str]  # an old address's path, or `p=123` -> `{filename}/folder/slug.md`


def _folder(item: Item, category: str) -> str:
    return PAGE_DIRS[0] if item.kind == "page" else folder_for(category)


def _old_path(url: str) -> str:
    """The key of an old address in `_Context.links`: its `p=` query, or its path with one slash."""
    parts = urlsplit(url)
    found = parse_qs(parts.query).get("p", [""])[0]
    return f"p={found}" if found.isdigit() else "/" + parts.path.strip("/")


def _skip(
    item: Item, since: date | None, slugs: Mapping[str, int], taken: Callable[[str], bool]
) -> tuple[str, str] | None:
    if item.status != _PUBLISHED:
        return ("IMP020", item.status or "—")
    if not item.title.strip():
        return ("IMP021", "judul / title")
    if item.date_gmt is None:
        return ("IMP021", "tanggal / date")
    if since is not None and _wib(item.date_gmt).date() < since:
        return ("IMP022", since.isoformat())
    slug = _slug(item)
    if slug in slugs:
        return ("IMP023", f"{slug} (post {slugs[slug]})")
    if taken(slug):
        return ("IMP024", slug)
    return None


def _slug(item: Item) -> str:
    return slugify(unquote(item.slug) or item.title)


def _wib(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC).astimezone(WIB)


def _article(item: Item, slug: str, category: str, context: _Context) -> tuple[Planned, Row]:
    export, sop = context.export, context.sop
    folder = _folder(item, category)
    images: dict[str, str] = {}
    notes: list[tuple[str, str]] = []

    def image_src(src: str) -> str:
        upload = _upload(src, export.base_url)
        if upload is None:
            return src  # another site's image stays where it is
        found = next((u for u in (upload, _SIZE_SUFFIX.sub("", upload)) if context.upload_exists(u)), None)
        if found is None:
            notes.append(("IMP013", upload))
            return src
        name = _file_name(found, images, f"{CONTENT_DIR}/{folder}/{slug}/")
        images[f"{CONTENT_DIR}/{folder}/{slug}/{name}"] = found
        return f"{slug}/{name}"

    def link_href(href: str) -> str:
        parts = urlsplit(href)
        if parts.netloc and parts.netloc != urlsplit(export.base_url).netloc:
            return href
        found = context.links.get(_old_path(href))
        return found + (f"#{parts.fragment}" if parts.fragment else "") if found else href

    body = convert.convert(
        item.content, context.attachments, image_src, sop.iframe_hosts, item.title, link_href
    )
    notes += [(loss.code, loss.what) for loss in body.losses]
    if len(item.title.strip()) > TITLE_MAX:
        notes.append(("IMP015", str(TITLE_MAX)))
    front = _front_matter(item, slug, category, export, context.team, sop, context.sections, context.today)
    text = front + body.markdown
    path = f"{CONTENT_DIR}/{folder}/{slug}.md"
    row = Row(
        item.post_id, item.kind, item.title, item.link, LOSSY if notes else IMPORTED, path, tuple(notes)
    )
    return Planned(path, text, images), row


def _file_name(upload: str, taken: Mapping[str, str], folder: str) -> str:
    """The name an upload gets beside its article: safe in a Markdown link (no spaces or
    brackets), and another than a different upload's of the same name (`2023/04/foto.jpg`)."""
    stem, ext = posixpath.splitext(posixpath.basename(upload))
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-") or "gambar"
    name, n = f"{stem}{ext.lower()}", 1
    while taken.get(folder + name, upload) != upload:
        n += 1
        name = f"{stem}-{n}{ext.lower()}"
    return name


def _category(item: Item, sop: Sop, sections: Sections) -> str:
    if item.kind == "page":
        named = {c.lower(): c for c in sop.categories}
        return named.get(_slug(item), sections.pages)
    for name in item.categories:
        found = sections.categories.get(name.lower()) or sections.categories.get(slugify(name))
        if found:
            return found
    return sections.posts


def _upload(src: str, base_url: str) -> str | None:
    """The file under uploads/ an image address of the old site names, or None."""
    parts = urlsplit(src)
    base = urlsplit(base_url)
    if parts.netloc and parts.netloc != base.netloc:
        return None
    at = parts.path.find(_UPLOADS)
    if at < 0:
        return None
    rel = posixpath.normpath(unquote(parts.path[at + len(_UPLOADS) :]))
    return None if rel.startswith("..") or rel.startswith("/") else rel


def _summary(item: Item, body_html: str) -> str:
    """The excerpt, or the body's first paragraph, as plain text."""
    first = re.split(r"</p>|\n\s*\n", re.sub(r"<!--.*?-->", "", body_html, flags=re.S).strip(), maxsplit=1)[0]
    text = re.sub(r"<[^>]+>|\[[^\]]*\]", " ", item.excerpt or first, flags=re.S)
    text = re.sub(r"\s+", " ", text).strip() or item.title
    return text if len(text) <= 300 else text[:297].rsplit(" ", 1)[0] + "…"


def _front_matter(
    item: Item,
    slug: str,
    category: str,
    export: Export,
    team: Team,
    sop: Sop,
    sections: Sections,
    today: date,
) -> str:
    assert item.date_gmt is not None
    when = _wib(item.date_gmt)
    email, name = export.authors.get(item.creator, ("", item.creator))
    # The assignee must be a writer of the team (ART006): the author where the e-mail matches
    # one, else the first writer, so that the article says who answers for it now.
    writing = {r for t in sop.transitions if t.assignee_only for r in t.roles}
    writers = [p for p in team.people if p.active and writing & set(p.roles)]
    person = team.by_email.get(email.lower())
    assignee = person if person in writers else (writers[0] if writers else None)
    lines = {
        "id": f"{when:%Y%m%d}-wp{item.post_id}",
        "title": _title(item.title),
        "stage": "verified",
        "category": category,
        "tags": [t for t in dict.fromkeys((*item.categories, *item.tags)) if not _is_section(t, sections)],
        "date": f"{when:%Y-%m-%d %H:%M}",
        "summary": _summary(item, item.content),
        "slug": slug,
        "author": (person.name if person else name) or item.creator or "—",
        "disposition": {
            "number": f"IMPOR-WP-{item.post_id}",
            "date": today.isoformat(),
            "from": "Penanggung Jawab",
            "subject": "Impor arsip laman lama",
            "instruction": f"Dimuat apa adanya dari laman lama: {item.link}",
        },
        "assignee": assignee.email if assignee else "",
        "information": {**sections.information, "made": f"{when:%Y-%m-%d}"},
        "imported": {
            "from": "wordpress",
            "url": item.link,
            "post_id": item.post_id,
            "date": today.isoformat(),
        },
    }
    for key in ("tags", "assignee"):
        if not lines[key]:
            del lines[key]
    return "---\n" + "".join(_yaml(k, v, "") for k, v in lines.items()) + "---\n"


def _title(title: str) -> str:
    """The title, within the schema's 200 characters."""
    title = re.sub(r"\s+", " ", title).strip()
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1].rsplit(" ", 1)[0] + "…"


def _is_section(name: str, sections: Sections) -> bool:
    return name.lower() in sections.categories or slugify(name) in sections.categories


def _yaml(key: str, value: Any, indent: str) -> str:
    """One key of the front matter; every text double-quoted (a JSON string is a YAML one), so
    no title reads as a number, a date or a mapping."""
    if isinstance(value, dict):
        return f"{indent}{key}:\n" + "".join(_yaml(k, v, indent + "  ") for k, v in value.items())
    return f"{indent}{key}: {json.dumps(value, ensure_ascii=False)}\n"
