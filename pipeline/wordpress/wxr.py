"""A WordPress eXtended RSS export (Tools → Export) read safely into plain values.

Parsed with defusedxml: a DTD's entities (the billion laughs) and external entities (XXE) are
refused, never expanded. Pure: it is given the file's bytes and name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from pipeline.errors import LamanError, Problem

WP = "{http://wordpress.org/export/1.2/}"
WP_NAMESPACES = re.compile(rb"http://wordpress\.org/export/1\.[0-2]/")
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
EXCERPT = "{http://wordpress.org/export/1.2/excerpt/}encoded"
CREATOR = "{http://purl.org/dc/elements/1.1/}creator"


@dataclass(frozen=True)
class Item:
    """One `<item>`: a post, a page, an attachment or anything else WordPress exports."""

    post_id: int
    kind: str  # wp:post_type: post, page, attachment, nav_menu_item …
    status: str  # wp:status: publish, draft, private, trash …
    title: str
    slug: str  # wp:post_name, percent-encoded as WordPress keeps it
    link: str
    date_gmt: datetime | None
    creator: str  # the author's login
    content: str
    excerpt: str
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    parent: int
    attachment_url: str  # an attachment's file
    line: int  # where the item opens in the export


@dataclass(frozen=True)
class Export:
    base_url: str  # wp:base_site_url, the old site's address
    authors: dict[str, tuple[str, str]]  # login -> (e-mail, display name)
    items: tuple[Item, ...]


def read(raw: bytes, file: str) -> Export:
    """The export in `raw`; LamanError naming the line and column of what makes it unreadable."""
    _utf8(raw, file)
    try:
        root = fromstring(raw, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as err:
        line, column = _at(raw, raw.find(b"<!ENTITY")) if b"<!ENTITY" in raw else (1, 1)
        raise LamanError([Problem("IMP003", file, line, column, {"detail": type(err).__name__})]) from None
    except ParseError as err:
        line, column = err.position
        detail = str(err).split(":")[0]
        raise LamanError([Problem("IMP001", file, line, column + 1, {"detail": detail})]) from None
    channel = root.find("channel")
    if root.tag != "rss" or channel is None or not WP_NAMESPACES.search(raw[:4096]):
        raise LamanError([Problem("IMP002", file, 1, 1, {"root": root.tag})])
    authors = {
        _text(a, f"{WP}author_login"): (_text(a, f"{WP}author_email"), _text(a, f"{WP}author_display_name"))
        for a in channel.iter(f"{WP}author")
    }
    lines = _item_lines(raw)
    items = tuple(
        _item(node, lines[n] if n < len(lines) else 1) for n, node in enumerate(channel.iter("item"))
    )
    return Export(_text(channel, f"{WP}base_site_url") or _text(channel, "link"), authors, items)


def _utf8(raw: bytes, file: str) -> None:
    # WordPress always exports UTF-8; an export re-saved in another encoding would otherwise
    # import garbled text without a word.
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line, column = _at(raw, err.start)
        raise LamanError(
            [Problem("IMP004", file, line, column, {"byte": f"0x{raw[err.start]:02x}"})]
        ) from None


def _at(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    return before.count(b"\n") + 1, offset - (before.rfind(b"\n") + 1) + 1


def _item_lines(raw: bytes) -> list[int]:
    return [raw.count(b"\n", 0, m.start()) + 1 for m in re.finditer(rb"<item[\s>]", raw)]


def _text(node: Element, tag: str) -> str:
    found = node.find(tag)
    return (found.text or "").strip() if found is not None else ""


def _int(text: str) -> int:
    return int(text) if text.isdigit() else 0


def _date(text: str) -> datetime | None:
    # WordPress writes `0000-00-00 00:00:00` for a date it never set.
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def _item(node: Element, line: int) -> Item:
    terms = [(c.get("domain"), (c.text or "").strip()) for c in node.findall("category")]
    content = node.find(CONTENT)
    return Item(
        post_id=_int(_text(node, f"{WP}post_id")),
        kind=_text(node, f"{WP}post_type"),
        status=_text(node, f"{WP}status"),
        title=_text(node, "title"),
        slug=_text(node, f"{WP}post_name"),
        link=_text(node, "link"),
        date_gmt=_date(_text(node, f"{WP}post_date_gmt")),
        creator=_text(node, CREATOR),
        content=(content.text or "") if content is not None else "",
        excerpt=_text(node, EXCERPT),
        categories=tuple(name for domain, name in terms if domain == "category" and name),
        tags=tuple(name for domain, name in terms if domain == "post_tag" and name),
        parent=_int(_text(node, f"{WP}post_parent")),
        attachment_url=_text(node, f"{WP}attachment_url"),
        line=line,
    )
