"""Readers of the site's articles, counted from web-server access logs (nginx/Apache combined).

A *reading* is a 2xx GET of an article page by someone who is not a bot. A *reader-day* is one
distinct (day in WIB, client, user agent) per article, summed over the days: what GoAccess calls
an URL's visitors. Each reader-day is credited to the channel of its earliest reading (from the
`utm_source` of the address, else the referer).

Privacy (UU 27/2022): a client address and user agent are personal data. They live only inside
the line being read: a reader is remembered as a keyed BLAKE2b hash whose random key exists in
memory for this run alone, and the results hold counts only.

Speed: a line is split on its quotes (no regular expression unless the line needs one), and
every decision that repeats (is this user agent a bot, is this path an article, which day is
this hour) is made once per distinct value and cached. The decisions themselves, each a pure
function of one value, are in `logline.py`.
"""

from __future__ import annotations

import csv
import gc
import gzip
import hashlib
import io
import secrets
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

from pipeline.errors import LamanError, Problem
from pipeline.recap.logline import (
    CHANNEL_INDEX,
    CHANNELS,
    COMBINED,
    campaign_source,
    channel,
    is_bot,
    normalize,
    parse_minute,
)

_T = TypeVar("_T")
_CACHE_LIMIT = 100_000  # distinct values per cache before it starts over (bounded memory)

_STATIC, _OTHER, _NOT_GET = -1, -2, -3  # request cache values that are not a page index


@dataclass(frozen=True)
class PageCount:
    views: int
    reader_days: int
    channels: Mapping[str, int]  # channel -> reader-days


@dataclass(frozen=True)
class DayCount:
    views: int
    readers: int  # distinct readers of any article that day


@dataclass(frozen=True)
class Counts:
    """What a run found: counts only, never who."""

    first: date
    last: date
    pages: Mapping[str, PageCount]  # normalised path -> counts, pages read at least once
    days: Mapping[date, DayCount]
    lines: int = 0
    malformed: int = 0
    outside: int = 0  # outside the period
    not_get: int = 0  # HEAD, POST, ...
    not_ok: int = 0  # not 2xx: 304, 404, redirects, errors
    static: int = 0  # assets, feeds, downloads
    other_pages: int = 0  # pages that are not articles
    bots: int = 0
    views: int = 0
    source: str = "log"  # "log" or "csv"
    files: tuple[str, ...] = field(default_factory=tuple)
    damaged: tuple[str, ...] = field(default_factory=tuple)  # files cut short (a broken .gz)

    @property
    def reader_days(self) -> int:
        return sum(p.reader_days for p in self.pages.values())


def _remember(cache: dict[bytes, _T], key: bytes, value: _T) -> _T:
    """Keep `value` for `key`; a cache grown past its limit starts over (bounded memory)."""
    cache[key] = value
    if len(cache) > _CACHE_LIMIT:
        cache.clear()
    return value


def _day_number(day: date) -> int:
    return (day - date(1970, 1, 1)).days


class Counter:
    """Counts readers from lines fed in any order, from any number of files."""

    def __init__(
        self,
        first: date,
        last: date,
        pages: Sequence[str] | None = None,
        own_hosts: Iterable[str] = (),
    ) -> None:
        self.first, self.last = first, last
        self._lo, self._hi = _day_number(first), _day_number(last)
        # Only in memory, only for this run: the hashes cannot be linked to anything later.
        self._hasher = hashlib.blake2b(key=secrets.token_bytes(32), digest_size=8)
        self._fixed = pages is not None
        self._pages: list[str] = list(dict.fromkeys(pages or ()))
        self._page_index = {p: i for i, p in enumerate(self._pages)}
        self._own = tuple(own_hosts)
        self._views: list[int] = [0] * len(self._pages)
        # (page << 80 | day << 64 | reader) -> earliest (second << 3 | channel) of that reader-day;
        # days are counted from the period's first
        self._first_seen: dict[int, int] = {}
        self._day_readers: set[int] = set()
        self._day_views: list[int] = [0] * (self._hi - self._lo + 1)
        self._paths: dict[bytes, int] = {}
        self._agents: dict[bytes, bytes] = {}
        self._requests: dict[bytes, tuple[int, bytes]] = {}
        self._minutes: dict[bytes, tuple[int, int]] = {}
        self._referers: dict[bytes, int] = {}
        self.lines = self.malformed = self.outside = self.not_get = self.not_ok = 0
        self.static = self.other_pages = self.bots = 0
        self.files: list[str] = []
        self.damaged: list[str] = []

    # ---- decisions, each made once per distinct value and remembered ------------------------

    def _page(self, raw: bytes) -> int:
        found = normalize(raw.decode("utf-8", "replace"))
        if found is None:
            return _STATIC
        index = self._page_index.get(found)
        if index is None:
            if self._fixed:
                return _OTHER
            index = self._page_index[found] = len(self._pages)
            self._pages.append(found)
            self._views.append(0)
        return index

    def _minute(self, key: bytes) -> tuple[int, int]:
        found = parse_minute(key)
        if found is None:
            raise ValueError(key)
        return _remember(self._minutes, key, found)

    def _request(self, request: bytes) -> tuple[int, bytes]:
        """(what the request is: a page index, _STATIC, _OTHER or _NOT_GET; its query)."""
        if request[:4] != b"GET ":
            return _remember(self._requests, request, (_NOT_GET, b""))
        end = request.rfind(b" ")
        path, _, query = (request[4:end] if end > 4 else request[4:]).partition(b"?")
        page = self._paths.get(path)
        if page is None:
            page = _remember(self._paths, path, self._page(path))
        if query:  # addresses with a query string vary too much to remember
            return page, query
        return _remember(self._requests, request, (page, query))

    def _agent(self, raw: bytes) -> bytes:
        """b"" for a bot; otherwise a keyed digest of the user agent, so that a reader's hash
        is made from the client and this short tag (one hash block, whatever the agent's size)."""
        if is_bot(raw.decode("utf-8", "replace")):
            return _remember(self._agents, raw, b"")
        tag = self._hasher.copy()
        tag.update(b"ua\0" + raw)
        return _remember(self._agents, raw, tag.digest())

    def _referer(self, raw: bytes) -> int:
        return _remember(
            self._referers, raw, CHANNEL_INDEX[channel(raw.decode("utf-8", "replace"), None, self._own)]
        )

    def _campaign(self, query: bytes) -> int:
        return CHANNEL_INDEX[channel("", campaign_source(query))]

    # ---- the loop ------------------------------------------------------------------------------

    def feed(self, lines: Iterable[bytes]) -> None:
        """Count lines of a combined-format access log; a line that cannot be read is counted
        as malformed and skipped."""
        # The loop makes no reference cycles: the collector would only walk the big tables.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._feed(lines)
        finally:
            if collecting:
                gc.enable()

    def _feed(self, lines: Iterable[bytes]) -> None:
        # One loop over the lines, each name it uses bound to a local: handing each line on to a
        # second function cost 5% more (a generator's 140 ns a line).
        requests, agents, minutes, referers = self._requests, self._agents, self._minutes, self._referers
        request_of, agent_of, referer_of, minute_of = self._request, self._agent, self._referer, self._minute
        first_seen, day_readers, day_views = self._first_seen, self._day_readers, self._day_views
        views, hasher, from_bytes, combined = self._views, self._hasher, int.from_bytes, COMBINED.match
        lo, span = self._lo, self._hi - self._lo
        count = malformed = outside = not_get = not_ok = bots = 0
        not_pages = [0, 0, 0]  # by request kind: [_OTHER] other pages, [_STATIC] static files
        for line in lines:
            if not line or line == b"\r":
                continue
            count += 1
            parts = line.split(b'"')
            if len(parts) == 7 and parts[4] == b" ":
                head, request, middle, referer, _, agent, _ = parts
                client, stamp = head[: head.find(b" ")], head[-28:-2]
            elif match := combined(line):
                client, stamp, request, status = match.group(1, 2, 3, 4)
                # Shaped like the fast path's pieces, so that the same code reads them.
                middle, referer, agent = b" " + status + b" ", match.group(5) or b"-", match.group(6) or b""
            else:
                malformed += 1
                continue
            try:
                # Remembered per minute (with its offset): the seconds are the only part that varies.
                minute_key = stamp[:17] + stamp[20:]
                known = minutes.get(minute_key) or minute_of(minute_key)
                day = known[1] - lo
                if day < 0 or day > span:
                    outside += 1
                    continue
                page, query = requests.get(request) or request_of(request)
                if page == _NOT_GET:
                    not_get += 1
                    continue
                if middle[1:2] != b"2":
                    not_ok += 1
                    continue
                if page < 0:
                    not_pages[page] += 1
                    continue
                if (tag := agents.get(agent)) is None:
                    tag = agent_of(agent)
                if not tag:
                    bots += 1
                    continue
                campaign = query and b"utm_source=" in query
                chan = self._campaign(query) if campaign else referers.get(referer, -1)
                if chan == -1:
                    chan = referer_of(referer)
                second = known[0] + int(stamp[18:20])
            except ValueError:
                malformed += 1
                continue
            reader = hasher.copy()
            reader.update(client + tag)
            who = from_bytes(reader.digest(), "little")
            views[page] += 1
            day_views[day] += 1
            day_readers.add(day << 64 | who)
            slot, seen = page << 80 | day << 64 | who, second << 3 | chan
            if seen < first_seen.get(slot, seen + 1):
                first_seen[slot] = seen
        self._add(
            lines=count, malformed=malformed, outside=outside, not_get=not_get, not_ok=not_ok, bots=bots
        )
        self._add(static=not_pages[_STATIC], other_pages=not_pages[_OTHER])

    def _add(self, **counts: int) -> None:
        """Add these counts to the run's totals of the same names."""
        for name, count in counts.items():
            setattr(self, name, getattr(self, name) + count)

    def result(self) -> Counts:
        reader_days = [0] * len(self._pages)
        channels = [[0] * len(CHANNELS) for _ in self._pages]
        for slot, seen in self._first_seen.items():
            page = slot >> 80
            reader_days[page] += 1
            channels[page][seen & 7] += 1
        pages = {
            self._pages[i]: PageCount(
                self._views[i],
                reader_days[i],
                {name: channels[i][c] for c, name in enumerate(CHANNELS) if channels[i][c]},
            )
            for i in range(len(self._pages))
            if self._views[i]
        }
        readers_by_day = [0] * len(self._day_views)
        for value in self._day_readers:
            readers_by_day[value >> 64] += 1
        days = {
            self.first + timedelta(days=d): DayCount(v, readers_by_day[d])
            for d, v in enumerate(self._day_views)
            if v
        }
        return Counts(
            self.first,
            self.last,
            pages,
            days,
            lines=self.lines,
            malformed=self.malformed,
            outside=self.outside,
            not_get=self.not_get,
            not_ok=self.not_ok,
            static=self.static,
            other_pages=self.other_pages,
            bots=self.bots,
            views=sum(self._views),
            files=tuple(self.files),
            damaged=tuple(self.damaged),
        )


# ---- the shell: files on disk ---------------------------------------------------------------

_CHUNK = 1 << 20


def _chunks(path: Path, progress: Callable[[int], None] | None) -> Iterable[bytes]:
    """The file's bytes in chunks, gunzipped when it is gzip (by its magic, not its name);
    `progress` is told how many bytes of the file on disk each chunk consumed."""
    with path.open("rb") as raw:
        gz = raw.read(2) == b"\x1f\x8b"
        raw.seek(0)
        stream: io.BufferedIOBase = gzip.GzipFile(fileobj=raw) if gz else raw  # type: ignore[assignment]
        done = 0
        # read1: a .gz cut short still gives up what it holds before the error.
        while data := stream.read1(_CHUNK):
            yield data
            if progress is not None:
                now = raw.tell()
                progress(now - done)
                done = now


def _lines(chunks: Iterable[bytes]) -> Iterable[list[bytes]]:
    carry = b""
    for data in chunks:
        lines = (carry + data).split(b"\n")
        carry = lines.pop()
        yield lines
    if carry:
        yield [carry]


def read_logs(
    paths: Sequence[Path],
    first: date,
    last: date,
    pages: Sequence[str] | None = None,
    own_hosts: Iterable[str] = (),
    progress: Callable[[int], None] | None = None,
) -> Counts:
    """Count readers in access logs (plain or gzip; rotated files in any order)."""
    counter = Counter(first, last, pages, own_hosts)
    for path in paths:
        try:
            for lines in _lines(_chunks(path, progress)):
                counter.feed(lines)
        except (EOFError, gzip.BadGzipFile, zlib.error):
            # A rotation caught mid-compression: what was read counts, the rest is one bad line.
            counter.malformed += 1
            counter.damaged.append(path.name)
        except OSError as err:
            raise LamanError(
                [Problem("REC003", str(path), args={"path": str(path), "detail": str(err)})]
            ) from None
        counter.files.append(path.name)
    return counter.result()


VIEWS_COLUMNS = ("date", "path", "views", "visitors")


def read_views_csv(path: Path, first: date, last: date, pages: Sequence[str] | None = None) -> Counts:
    """Counts from a static host's export: `date,path,views,visitors`, one row per day and page
    (visitors of a day are that day's distinct readers of the page, i.e. its reader-days)."""
    wanted = set(pages) if pages is not None else None
    views: dict[str, int] = {}
    visitors: dict[str, int] = {}
    day_views: dict[date, int] = {}
    day_readers: dict[date, int] = {}
    lines = malformed = outside = other = static = 0
    for row in _views_rows(path):
        lines += 1
        found = _views_row(row)
        if found is None:
            malformed += 1
            continue
        day, n_views, n_visitors = found
        if not first <= day <= last:
            outside += 1
            continue
        page = normalize((row["path"] or "").strip())
        if page is None:
            static += 1
            continue
        if wanted is not None and page not in wanted:
            other += 1
            continue
        views[page] = views.get(page, 0) + n_views
        visitors[page] = visitors.get(page, 0) + n_visitors
        day_views[day] = day_views.get(day, 0) + n_views
        # A static host's export cannot tell one reader of two pages from two readers.
        day_readers[day] = day_readers.get(day, 0) + n_visitors
    return Counts(
        first,
        last,
        {p: PageCount(v, visitors[p], {}) for p, v in views.items() if v},
        {d: DayCount(v, day_readers[d]) for d, v in sorted(day_views.items())},
        lines=lines,
        malformed=malformed,
        outside=outside,
        static=static,
        other_pages=other,
        views=sum(views.values()),
        source="csv",
        files=(path.name,),
    )


def _views_rows(path: Path) -> csv.DictReader[str]:
    """The export's rows, once its header names every column."""
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise LamanError(
            [Problem("REC003", str(path), args={"path": str(path), "detail": str(err)})]
        ) from None
    rows = csv.DictReader(io.StringIO(text))
    missing = [c for c in VIEWS_COLUMNS if c not in (rows.fieldnames or ())]
    if missing:
        raise LamanError(
            [
                Problem(
                    "REC004",
                    str(path),
                    1,
                    args={"columns": ", ".join(VIEWS_COLUMNS), "missing": ", ".join(missing)},
                )
            ]
        )
    return rows


def _views_row(row: Mapping[str, str | None]) -> tuple[date, int, int] | None:
    """A row's day, views and visitors; None if any cannot be read or a count is negative."""
    try:
        day = date.fromisoformat((row["date"] or "").strip())
        n_views, n_visitors = int(row["views"] or ""), int(row["visitors"] or "")
    except (ValueError, TypeError):
        return None
    return (day, n_views, n_visitors) if n_views >= 0 and n_visitors >= 0 else None
