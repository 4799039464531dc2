"""A WordPress body (blocks, shortcodes, classic-editor text) turned into the site's Markdown.

markdownify does the converting (MIT, over BeautifulSoup, one method per tag); what WordPress
adds around HTML is undone first: block comments, `wpautop`'s bare paragraphs, `[caption]`,
`[gallery]`, `[embed]`, figures. What Markdown cannot say (a table with merged cells, an embed)
stays as HTML passed through the site's sanitiser, and every such place is a `Loss`, so the
report lists it: nothing is dropped without a line saying so. Pure.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag
from markdownify import MarkdownConverter

from pipeline.model import html as site_html

_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.S)
# `[name attrs]…[/name]` or `[name attrs]`: a lower-case name, as WordPress registers them.
_SHORTCODE = re.compile(r"\[([a-z][a-z0-9_-]*)((?:\s+[^\]]*)?)\](?:(.*?)\[/\1\])?", re.S)
_ATTRS = re.compile(r'([a-z_]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|(\S+))')
_BLOCK_START = re.compile(r"^\s*<(?:p|div|h[1-6]|ul|ol|li|table|blockquote|figure|pre|hr|iframe)\b", re.I)
_KEEP_MARK = "LAMANHTML{}X"
_REMOVED = ("script", "style", "form", "object", "embed", "video", "audio", "noscript")


@dataclass(frozen=True)
class Loss:
    code: str  # IMP010 kept as HTML, IMP011 removed, IMP012 a shortcode removed
    what: str  # the tag or shortcode


@dataclass(frozen=True)
class Converted:
    markdown: str
    losses: tuple[Loss, ...]
    images: tuple[str, ...]  # image addresses as the body wrote them, in order


@dataclass(frozen=True)
class Attachment:
    url: str
    title: str


class _Converter(MarkdownConverter):
    """markdownify with the site's habits: ATX headings, `-` bullets, pipe tables."""

    def __init__(self) -> None:
        super().__init__(heading_style="ATX", bullets="-", table_infer_header=True, escape_misc=False)


_CONVERTER = _Converter()


def convert(
    text: str,
    attachments: Mapping[int, Attachment],
    image_src: Callable[[str], str],
    iframe_hosts: Iterable[str],
    fallback_alt: str,
    link_href: Callable[[str], str] = lambda href: href,
) -> Converted:
    """The Markdown of one body; `image_src` and `link_href` give the address an image and a
    link get on the new site."""
    losses: list[Loss] = []
    text = _autop(_shortcodes(_BLOCK_COMMENT.sub("", text), attachments, losses))
    soup = BeautifulSoup(text, "html.parser")
    # Each search walks the whole tree (a third of the import's time): none for a tag not written.
    written = text.lower()
    if "<figure" in written:
        _figures(soup)
    images = []
    for img in soup.find_all("img") if "<img" in written else ():
        src = str(img.get("src") or "")
        images.append(src)
        img["src"] = image_src(src)
        if not str(img.get("alt") or "").strip():
            img["alt"] = fallback_alt
    for link in soup.find_all("a", href=True) if "<a " in written else ():
        link["href"] = link_href(str(link["href"]))
    kept = _keep_as_html(soup, set(iframe_hosts), losses, written)
    markdown = _CONVERTER.convert_soup(soup)
    for n, raw in enumerate(kept):
        markdown = markdown.replace(_KEEP_MARK.format(n), f"\n\n{raw}\n\n")
    # Trailing blanks go, but for the two spaces that are Markdown's line break (`<br>`).
    markdown = re.sub(r"(?m)[ \t]+$", lambda m: "  " if m.group(0) == "  " else "", markdown)
    markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"
    return Converted(markdown, tuple(losses), tuple(images))


def _shortcodes(text: str, attachments: Mapping[int, Attachment], losses: list[Loss]) -> str:
    def one(match: re.Match[str]) -> str:
        name, attrs, inner = match.group(1), _attributes(match.group(2)), match.group(3) or ""
        if name in ("caption", "wp_caption"):
            image = re.search(r"<img\b[^>]*>", inner)
            words = re.sub(r"<img\b[^>]*>|</?a\b[^>]*>", "", inner).strip() or attrs.get("caption", "")
            return f"<figure>{image.group(0) if image else ''}<figcaption>{words}</figcaption></figure>"
        if name == "gallery":
            ids = [int(i) for i in re.findall(r"\d+", attrs.get("ids", ""))]
            shown = [attachments[i] for i in ids if i in attachments]
            if len(shown) < len(ids):
                losses.append(Loss("IMP012", f"[gallery] ({len(ids) - len(shown)})"))
            return "".join(
                f'<p><img src="{html.escape(a.url)}" alt="{html.escape(a.title)}"></p>' for a in shown
            )
        if name == "embed":
            url = inner.strip()
            return f'<p><a href="{html.escape(url)}">{html.escape(url)}</a></p>'
        losses.append(Loss("IMP012", f"[{name}]"))
        return inner

    return _SHORTCODE.sub(one, text)


def _attributes(text: str) -> dict[str, str]:
    return {m[0]: next(v for v in m[1:] if v is not None) for m in _ATTRS.findall(text)}


def _autop(text: str) -> str:
    """WordPress's `wpautop` in short: the classic editor stores paragraphs as blank lines."""
    chunks = re.split(r"\n\s*\n", text.strip())
    out = []
    for chunk in chunks:
        if _BLOCK_START.match(chunk) or not chunk.strip():
            out.append(chunk)
        else:
            out.append("<p>" + re.sub(r"\s*\n\s*", "<br>\n", chunk.strip()) + "</p>")
    return "\n\n".join(out)


def _figures(soup: BeautifulSoup) -> None:
    """A figure (a caption, a block image or a block gallery) as its images, each a paragraph,
    and its caption an emphasised line below: Markdown has no figure."""
    for figure in reversed(soup.find_all("figure")):
        if figure.find("table") is not None:
            figure.unwrap()
            continue
        caption = figure.find("figcaption")
        words = caption.get_text(" ", strip=True) if caption else ""
        if caption:
            caption.decompose()
        new = []
        for img in figure.find_all("img"):
            if words and not str(img.get("alt") or "").strip():
                img["alt"] = words
            paragraph = soup.new_tag("p")
            paragraph.append(img.extract())
            new.append(paragraph)
        if words:
            line = soup.new_tag("p")
            emphasis = soup.new_tag("em")
            emphasis.string = words
            line.append(emphasis)
            new.append(line)
        for tag in new:
            figure.insert_before(tag)
        figure.decompose()


def _keep_as_html(soup: BeautifulSoup, hosts: set[str], losses: list[Loss], written: str) -> list[str]:
    """Replace what Markdown cannot hold by a mark, and give the sanitised HTML of each."""
    kept: list[str] = []
    removed = [name for name in _REMOVED if f"<{name}" in written]
    for tag in soup.find_all(removed) if removed else ():
        if isinstance(tag, Tag) and tag.parent is not None:
            losses.append(Loss("IMP011", tag.name))
            tag.decompose()
    boxes = [name for name in ("table", "iframe") if f"<{name}" in written]
    for tag in soup.find_all(boxes) if boxes else ():
        if not isinstance(tag, Tag) or tag.parent is None or tag.find_parent("table") is not None:
            continue
        if tag.name == "iframe" and urlsplit(str(tag.get("src") or "")).hostname not in hosts:
            losses.append(Loss("IMP011", "iframe"))
            tag.decompose()
            continue
        if tag.name == "table" and _plain_table(tag):
            continue
        losses.append(Loss("IMP010", tag.name))
        mark = soup.new_tag("p")
        mark.string = _KEEP_MARK.format(len(kept))
        kept.append(site_html.sanitize(str(tag), hosts).replace(' style=""', "").strip())
        tag.replace_with(mark)
    return kept


def _plain_table(table: Tag) -> bool:
    """A table a Markdown pipe table can hold: no merged cells, no table inside, no lists or
    paragraphs in its cells, and every row as wide as the first."""
    if table.find("table") is not None or table.find(["ul", "ol", "p", "br", "img"]) is not None:
        return False
    cells = table.find_all(["td", "th"])
    if any(c.get("colspan") or c.get("rowspan") for c in cells):
        return False
    widths = {len(r.find_all(["td", "th"])) for r in table.find_all("tr")}
    return len(widths) == 1
