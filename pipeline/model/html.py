"""Raw HTML in articles: found and refused at `laman validate`, sanitised again at build."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import SplitResult, urlsplit

import nh3

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
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_MD_LINK = re.compile(r"\]\(\s*<?\s*((?:javascript|vbscript|data):[^)\s>]*)", re.IGNORECASE)
_MD_IMAGE_NO_ALT = re.compile(r"!\[\s*\]\(")


@dataclass(frozen=True)
class Finding:
    code: str
    line: int  # within the text given, 1-based
    column: int
    args: dict[str, str]


class _Scanner(HTMLParser):
    def __init__(self, iframe_hosts: Iterable[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.hosts = set(iframe_hosts)
        self.findings: list[Finding] = []

    def _add(self, code: str, **args: str) -> None:
        line, col = self.getpos()
        self.findings.append(Finding(code, line, col + 1, args))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "script":
            self._add("HTML001", tag=tag)
        elif tag == "iframe":
            host = _host(values.get("src", "")) or ""
            if host not in self.hosts:
                self._add("HTML002", host=host or "—", hosts=", ".join(sorted(self.hosts)) or "—")
        elif tag not in ALLOWED_TAGS:
            self._add("HTML006", tag=tag)
        for name, value in values.items():
            if name.startswith("on"):
                self._add("HTML003", attribute=name)
            elif name in ("href", "src") and _unsafe_url(value):
                self._add("HTML004", url=value[:60])
        if tag == "img" and not values.get("alt", "").strip():
            self._add("HTML005")

    handle_startendtag = handle_starttag


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
    """Unsafe raw HTML and links in a Markdown body, with their positions."""
    scanner = _Scanner(iframe_hosts)
    try:
        scanner.feed(markdown_text)
        scanner.close()
    except AssertionError:  # Python's parser gives up on some `<![…` (before 3.13): say where
        line, col = scanner.getpos()
        scanner.findings.append(Finding("HTML007", line, col + 1, {}))
    found = list(scanner.findings)
    for number, line in enumerate(markdown_text.split("\n"), start=1):
        for match in _MD_LINK.finditer(line):
            found.append(Finding("HTML004", number, match.start(1) + 1, {"url": match.group(1)[:60]}))
        for match in _MD_IMAGE_NO_ALT.finditer(line):
            found.append(Finding("HTML005", number, match.start() + 1, {}))
    return sorted(found, key=lambda f: (f.line, f.column))


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
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
