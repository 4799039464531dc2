"""Offline full-text search for a slow link, written beside the site by the build.

Pagefind was used until its fixed cost was measured: every first query fetched its script
(45 KB) and its WebAssembly (70 KB, compressed already), 134 KB before any of the index, over
the home page's whole budget of 100 KB. The index here is plain JSON read by a small script of
ours (`theme/static/js/cari.js`), in three parts, each fetched only when a query needs it:

- `cari/indeks/info.json`: how many pages, and the names of the word shards;
- `cari/indeks/kata-<awal>.json`: the words beginning with `<awal>` (a shard is split by one
  more letter while it is over SHARD_BYTES, down to a word of its own), each with its pages as one list of numbers:
  `delta * 8 + weight`, the page's number less the previous one's, and how often the word stands
  in it (title words count thrice), at most 7;
- `cari/indeks/naskah-<n>.json`: page `n`'s address, title, date and text, for its excerpt:
  fetched for the few results shown, not for every match.

Pages are numbered newest first, so that among equal scores the newer comes first. Words are
lower-cased and without accents; a query word of three letters or more finds the words it
begins (`pemilih` finds `pemilihan`), and every query word must be found. What is indexed is the rendered body of every
published article and page with its summary, never a listing (home, category, archive).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from pelican import signals

FOLDER = "cari/indeks"
SHARD_BYTES = 12_000  # a shard over this is split by one more letter, down to a word of its own
TEXT_CHARS = 6_000  # of a page's text kept for its excerpt
TITLE_WEIGHT = 3
_WORD = re.compile(r"[^\W_]+")
# Elements after which the text reads as a new word: a table's cells are not glued together.
_BREAKS = {"p", "td", "th", "tr", "li", "br", "div", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption"}
_BREAKS |= {"blockquote", "pre", "dt", "dd", "caption"}


@dataclass(frozen=True)
class Page:
    url: str  # relative to the site's root
    title: str
    date: str  # ISO date, or ''
    text: str  # the body as plain text


def words(text: str) -> list[str]:
    """The words of `text` as the index keeps them: lower case, accents dropped. The page's
    script does the same to a query (`cari.js`: normalize NFKD, \\p{L}\\p{N})."""
    plain = unicodedata.normalize("NFKD", text.lower())
    return _WORD.findall("".join(c for c in plain if not unicodedata.combining(c)))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(html: str) -> str:
    reader = _Text()
    reader.feed(html)
    return " ".join("".join(reader.parts).split())


def postings(pages: list[Page]) -> dict[str, list[int]]:
    """Each word -> its pages, coded as the module says."""
    found: dict[str, list[int]] = defaultdict(list)
    last: dict[str, int] = {}
    for number, page in enumerate(pages):
        counts = Counter(words(page.text))
        for word in words(page.title):
            counts[word] += TITLE_WEIGHT
        for word, count in counts.items():
            found[word].append((number - last.get(word, 0)) * 8 + min(count, 7))
            last[word] = number
    return dict(found)


def shards(index: Mapping[str, list[int]], prefix: str = "") -> dict[str, dict[str, list[int]]]:
    """The words split by how they begin: every word lies in the shard named by a beginning of
    it (a word shorter than the shard's name, in one named by the word itself)."""
    groups: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for word, pages in index.items():
        groups[word[: len(prefix) + 1]][word] = pages
    out = {}
    for name, group in sorted(groups.items()):
        size = len(json.dumps(group, separators=(",", ":")))
        if size <= SHARD_BYTES or len(group) == 1:
            out[name] = group
            continue
        short = {w: p for w, p in group.items() if len(w) == len(name)}
        if short:
            out[name] = short
        out.update(shards({w: p for w, p in group.items() if len(w) > len(name)}, name))
    return out


def write(output: Path, pages: Iterable[Page]) -> None:
    """The index of `pages` under `output/cari/indeks/`, newest first."""
    ordered = sorted(pages, key=lambda p: (p.date, p.url), reverse=True)
    folder = output / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    split = shards(postings(ordered))
    for name, group in split.items():
        _json(folder / f"kata-{name}.json", group)
    for number, page in enumerate(ordered):
        record = {"u": page.url, "t": page.title, "d": page.date, "x": page.text[:TEXT_CHARS]}
        _json(folder / f"naskah-{number}.json", record)
    _json(folder / "info.json", {"halaman": len(ordered), "kata": sorted(split)})


def _json(path: Path, value: object) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True), "utf-8")


def index_site(generators: Any) -> None:
    """Every published article and page, once all are read (their bodies rendered)."""
    items = [
        item
        for generator in generators
        for name in ("articles", "pages")
        for item in getattr(generator, name, ())
    ]
    write(Path(generators[0].output_path), [_page(item) for item in items])


def _page(item: Any) -> Page:
    """A Pelican article or page as the index reads it: its summary (shown above the body,
    escaped by the reader) and its body."""
    when = getattr(item, "date", None)
    summary = item.metadata.get("summary") or ""
    text = plain_text(f"<p>{summary}</p>{item.content}")
    return Page(item.url, item.title, when.date().isoformat() if when else "", text)


def register() -> None:
    signals.all_generators_finalized.connect(index_site)
