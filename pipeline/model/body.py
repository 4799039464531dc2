"""An article's body: its Markdown rendered the site's way, and the source with its code blanked.

`laman validate` judges the HTML the site would publish, so one rendering serves both: the
reader that Pelican runs and the check. Where a finding of the rendered HTML was written is found
again in the source with `without_code`: text inside code is what the author shows, not markup.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as etree
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.treeprocessors import Treeprocessor

# Ids the theme's templates give their own elements (the skip link's target, the search box):
# a body heading named like one gets another, or the page would hold the id twice.
TEMPLATE_IDS = frozenset({"isi", "cari", "cari-kata", "menu"})
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")

MARKDOWN: dict[str, Any] = {
    "extensions": ["markdown.extensions.extra", "markdown.extensions.toc", "markdown.extensions.sane_lists"],
    "extension_configs": {
        "markdown.extensions.extra": {
            "footnotes": {"BACKLINK_TITLE": "Kembali ke catatan kaki %d dalam teks"},
        },
        "markdown.extensions.toc": {},
        "markdown.extensions.sane_lists": {},
    },
    "output_format": "html5",
}


class _PageHeadings(Treeprocessor):
    """The page's title is its only <h1>: a body that starts its own headings at `#` is moved one
    level down as a whole, so its outline keeps its shape. An id the theme uses is given a suffix."""

    def run(self, root: etree.Element) -> None:
        headings = [e for e in root.iter() if e.tag in _HEADINGS]
        if any(e.tag == "h1" for e in headings):
            for heading in headings:
                heading.tag = f"h{min(int(heading.tag[1]) + 1, 6)}"
        used = {e.get("id") for e in root.iter()} - {None}
        renamed = {}
        for element in root.iter():
            old = element.get("id")
            if old in TEMPLATE_IDS:
                renamed[f"#{old}"] = new = next(
                    f"{old}_{n}" for n in range(1, 99) if f"{old}_{n}" not in used
                )
                element.set("id", new)
                used.add(new)
        for link in root.iter("a") if renamed else ():
            if link.get("href") in renamed:
                link.set("href", f"#{renamed[link.get('href')]}")


class _PageHeadingsExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_PageHeadings(md), "laman_headings", 4)  # after toc's ids (5)


_renderer: markdown.Markdown | None = None


@functools.lru_cache(maxsize=8)
def render(text: str) -> str:
    """The body's HTML as the site renders it (before the sanitiser and the images). Remembered
    for the last few bodies: the check, the image check and the reader each ask for the same."""
    global _renderer
    if _renderer is None:  # building one loads every extension: once per process
        _renderer = markdown.Markdown(
            extensions=[*MARKDOWN["extensions"], _PageHeadingsExtension()],
            extension_configs=MARKDOWN["extension_configs"],
            output_format=MARKDOWN["output_format"],
        )
    return _renderer.reset().convert(text)


_FENCED = FencedBlockPreprocessor.FENCED_BLOCK_RE
_CODE_SPAN = re.compile(r"(?<![\\`])(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ESCAPED = re.compile(r"\\[`\[!]")  # what Markdown unescapes (a `\<` it leaves as it is)
_LIST_ITEM = re.compile(r"^ {0,3}(?:[*+-]|\d+[.)])\s")
_INDENTED = re.compile(r"^(?: {4}|\t)")


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def _indented_code(lines: list[str]) -> list[bool]:
    """Which lines are an indented code block: indented after a blank line, outside a list
    (where indentation continues the item instead)."""
    code, in_list, previous_blank, previous_code = [], False, True, False
    for line in lines:
        blank = not line.strip()
        indented = bool(_INDENTED.match(line)) and not blank
        if not blank and not indented:
            in_list = bool(_LIST_ITEM.match(line)) or (in_list and not previous_blank)
        is_code = indented and not in_list and (previous_blank or previous_code)
        code.append(is_code)
        previous_code = is_code or (blank and previous_code)
        previous_blank = blank
    return code


def without_code(text: str) -> str:
    """The Markdown source with fenced and indented code, code spans, comments and escaped
    characters blanked (same length, same lines): what is left is what the renderer reads as
    Markdown and markup."""
    text = _FENCED.sub(_blank, text)
    lines = text.split("\n")
    lines = [
        " " * len(line) if code else line for line, code in zip(lines, _indented_code(lines), strict=True)
    ]
    paragraphs = re.split(r"(\n[ \t]*\n)", "\n".join(lines))
    text = "".join(_CODE_SPAN.sub(_blank, part) for part in paragraphs)
    return _ESCAPED.sub(_blank, _COMMENT.sub(_blank, text))
