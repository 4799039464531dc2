"""Unsafe HTML in articles: found in the rendered body and refused at `laman validate`, with the
place in the Markdown where it was written; sanitised again at build."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import SplitResult, urlsplit

import nh3

from pipeline.messages import Phrase
from pipeline.model import body

# Tags an article may carry as raw HTML; everything else is refused at validation and
# stripped at build.
ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl", "dt",
        "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "iframe", "img", "ins",
        "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "iframe": {"src", "title", "width", "height", "allowfullscreen", "loading"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "ol": {"start"},
}
# Of a style, only a table column's alignment (Markdown's `|---:|`) is kept.
ALLOWED_STYLE_PROPERTIES = frozenset({"text-align"})
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


@dataclass(frozen=True)
class Finding:
    code: str
    line: int  # within the text given, 1-based
    column: int
    args: dict[str, str]


class _Scanner(HTMLParser):
    """Reads rendered HTML; each finding carries a pattern that finds where in the Markdown source
    it was written (see `_place`)."""

    def __init__(self, iframe_hosts: Iterable[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.hosts = set(iframe_hosts)
        self.found: list[tuple[str, dict[str, str], str]] = []

    def _add(self, code: str, written: str, **args: str) -> None:
        self.found.append((code, args, written))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        opening = rf"<{re.escape(tag)}(?=[\s/>])"
        if tag == "script":
            self._add("HTML001", opening, tag=tag)
        elif tag == "iframe":
            host = _host(values.get("src", "")) or ""
            if host not in self.hosts:
                written = rf"<iframe\b[^>]*?{re.escape(host)}"
                hosts = ", ".join(sorted(self.hosts)) or Phrase("rule.nobody.iframe_hosts")
                self._add("HTML002", written, host=host or "—", hosts=hosts)
        elif tag not in ALLOWED_TAGS:
            self._add("HTML006", opening, tag=tag)
        for name, value in values.items():
            if name.startswith("on"):
                self._add("HTML003", rf"<{re.escape(tag)}\b[^>]*?{re.escape(name)}\s*=", attribute=name)
            elif name in ("href", "src") and _unsafe_url(value):
                self._add("HTML004", _written_url(tag, value), url=value[:60])
        if tag == "img" and not values.get("alt", "").strip():
            self._add("HTML005", _written_image(values.get("src", "")))

    handle_startendtag = handle_starttag


def _written_url(tag: str, url: str) -> str:
    """Where a link or image address was written: in a raw tag (the tag's place), or after
    Markdown's `](`, `]:` or `<` (the address's place)."""
    escaped = re.escape(url.strip())
    return rf"<{re.escape(tag)}\b[^>]*?{escaped}|(?:\]\(\s*<?|^[ ]{{0,3}}\[[^\]]+\]:\s*<?|<)(?P<at>{escaped})"


def _written_image(src: str) -> str:
    escaped = re.escape(src.strip())
    return rf"<img\b[^>]*?{escaped}|!\[\s*\]\(\s*<?{escaped}|!\[\s*\]\[" if escaped else r"<img\b|!\["


def _parts(url: str) -> SplitResult | None:
    """A URL's parts, or None where it cannot be read at all (a `[` left open in its host)."""
    try:
        return urlsplit(url.strip())
    except ValueError:
        return None


def _host(url: str) -> str | None:
    parts = _parts(url)
    return parts.hostname if parts else None


def _unsafe_url(url: str) -> bool:
    parts = _parts(url)
    return parts is None or (bool(parts.scheme) and parts.scheme.lower() not in SAFE_SCHEMES)


def findings(markdown_text: str, iframe_hosts: Iterable[str]) -> list[Finding]:
    """Unsafe HTML and links in the HTML a Markdown body renders to, each placed where it was
    written in the body. Tags and links shown in code are text there, not markup, and Markdown's
    own `<https://…>` links are links."""
    if "<" not in markdown_text and "[" not in markdown_text:
        return []  # no markup, no link, no image: nothing to find (most paragraphs of news)
    scanner = _Scanner(iframe_hosts)
    rendered = body.render(markdown_text)
    try:
        scanner.feed(rendered)
        scanner.close()
    except AssertionError:  # Python's parser gives up on some `<![…` (before 3.13): the text there
        line, column = scanner.getpos()
        rest = rendered.split("\n")[line - 1][column:]
        scanner.found.append(("HTML007", {}, re.escape(rest[:40])))
    source = body.without_code(markdown_text)
    taken: Counter[str] = Counter()
    found = []
    for code, args, written in scanner.found:
        line, column = _place(source, written, taken[written])
        taken[written] += 1
        found.append(Finding(code, line, column, args))
    return sorted(found, key=lambda f: (f.line, f.column))


def _place(source: str, written: str, nth: int) -> tuple[int, int]:
    """(line, column) of the `nth` place in `source` where `written` matches (the last one when
    there are fewer; the body's start when none: the finding stands, its place is a guess)."""
    matches = list(re.finditer(written, source, re.IGNORECASE | re.MULTILINE))
    if not matches:
        return 1, 1
    match = matches[min(nth, len(matches) - 1)]
    at = match.start("at") if "at" in match.groupdict() and match.group("at") is not None else match.start()
    line = source.count("\n", 0, at) + 1
    return line, at - (source.rfind("\n", 0, at) + 1) + 1


def sanitize(html_text: str, iframe_hosts: Iterable[str]) -> str:
    """The rendered article HTML with only the allow-listed tags, attributes and hosts."""
    hosts = set(iframe_hosts)

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "iframe" and attribute == "src":
            return value if _host(value) in hosts else None
        return value

    return nh3.clean(
        html_text,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(SAFE_SCHEMES),
        attribute_filter=keep,
        filter_style_properties=set(ALLOWED_STYLE_PROPERTIES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        src = dict(attrs).get("src") if tag == "img" else None
        if src:
            self.sources.append(src)

    handle_startendtag = handle_starttag


def image_sources(markdown_text: str) -> list[tuple[str, int, int]]:
    """Every image address of the rendered body, with the (line, column) where it was written."""
    if "<" not in markdown_text and "![" not in markdown_text:
        return []
    reader = _Images()
    try:
        reader.feed(body.render(markdown_text))
        reader.close()
    except AssertionError:  # unreadable markup is HTML007's to report
        pass
    source = body.without_code(markdown_text)
    taken: Counter[str] = Counter()
    found = []
    for src in reader.sources:
        written = _written_url("img", src)
        found.append((src, *_place(source, written, taken[written])))
        taken[written] += 1
    return found
