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
this hour) is made once per distinct value and cached.
"""

from __future__ import annotations

import csv
import gc
import gzip
import hashlib
import io
import re
import secrets
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from crawlerdetect import CrawlerDetect

from pipeline.errors import LamanError, Problem

# Channels, in the order reports list them.
CHANNELS = ("search", "facebook", "instagram", "whatsapp", "x", "direct", "internal", "other")
CHANNEL_LABELS = {
    "search": ("Mesin pencari", "Search engines"),
    "facebook": ("Facebook", "Facebook"),
    "instagram": ("Instagram", "Instagram"),
    "whatsapp": ("WhatsApp", "WhatsApp"),
    "x": ("X (Twitter)", "X (Twitter)"),
    "direct": ("Langsung", "Direct"),
    "internal": ("Dari laman ini", "From this site"),
    "other": ("Lainnya", "Other"),
}
_CHANNEL_INDEX = {name: i for i, name in enumerate(CHANNELS)}

# Tools and headless browsers that crawlerdetect's list may miss or may one day drop.
_EXTRA_BOTS = re.compile(
    r"curl|wget|python-requests|python-urllib|go-http-client|headlesschrome|phantomjs|"
    r"libwww-perl|okhttp|java/|apache-httpclient|node-fetch|axios/|scrapy",
    re.IGNORECASE,
)
# In-app browsers of social networks are people reading, whatever a generic pattern says.
_IN_APP = re.compile(r"FBAN/|FBAV/|FB_IAB/|Instagram \d|LinkedInApp|Twitter for |TwitterAndroid")

# Files that are not pages: assets, feeds, downloads, the search index.
_PAGE_SUFFIXES = (".html", ".htm")
WIB_OFFSET = 7 * 3600
_DAY = 86400
_MONTHS = {
    m.encode(): i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
# The slow path, for lines whose quoted fields hold escaped quotes (Apache writes `\"`).
_COMBINED = re.compile(
    rb'^(\S+) \S+ \S+ \[([^\]]+)\] "((?:[^"\\]|\\.)*)" (\d{3}) \S+'
    rb'(?: "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)")?'
)
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


def normalize(target: str) -> str | None:
    """The page an address shows, or None for a file that is not a page.

    The query string is dropped, percent-escapes decoded, `/x/index.html` is `/x/`, and an
    address without a file name ends with `/` (the server redirects `/x` there)."""
    path = target.split("?", 1)[0].split("#", 1)[0]
    if path.startswith(("http://", "https://")):
        path = urlsplit(path).path or "/"
    if not path.startswith("/"):
        return None
    path = unquote(path, errors="replace")
    path = re.sub(r"/{2,}", "/", path)
    last = path.rsplit("/", 1)[1]
    if last in ("index.html", "index.htm"):
        return path[: -len(last)]
    if "." in last:
        return path if last.endswith(_PAGE_SUFFIXES) else None
    return path if path.endswith("/") else path + "/"


def is_bot(agent: str) -> bool:
    """A user agent that is a program, not a person reading (an empty one too)."""
    agent = agent.strip()
    if not agent or agent == "-" or _EXTRA_BOTS.search(agent):
        return True
    if _IN_APP.search(agent):
        return False
    return _DETECTOR.is_crawler(agent)


_DETECTOR = CrawlerDetect()

_SEARCH_LABELS = {"google", "bing", "yahoo", "yandex", "baidu", "duckduckgo", "ecosia", "startpage"}
_HOSTS = (
    ("facebook", ("facebook.com", "fb.com", "fb.me", "messenger.com")),
    ("instagram", ("instagram.com",)),
    ("whatsapp", ("whatsapp.com", "whatsapp.net", "wa.me")),
    ("x", ("t.co", "twitter.com", "x.com")),
    ("search", ("search.brave.com",)),
)
_APPS = {
    "com.google.android.googlequicksearchbox": "search",
    "com.google.android.gm": "other",
    "com.facebook.katana": "facebook",
    "com.facebook.orca": "facebook",
    "com.instagram.android": "instagram",
    "com.whatsapp": "whatsapp",
    "com.twitter.android": "x",
}
_UTM = {
    "google": "search",
    "bing": "search",
    "search": "search",
    "facebook": "facebook",
    "fb": "facebook",
    "instagram": "instagram",
    "ig": "instagram",
    "whatsapp": "whatsapp",
    "wa": "whatsapp",
    "twitter": "x",
    "x": "x",
    "t.co": "x",
}


def channel(referer: str, utm_source: str | None = None, own_hosts: Iterable[str] = ()) -> str:
    """Where a reader came from: `utm_source` if the address names one, else the referer."""
    if utm_source:
        return _UTM.get(utm_source.strip().lower(), "other")
    referer = referer.strip()
    if referer in ("", "-"):
        return "direct"
    if referer.startswith("android-app://"):
        app = referer[len("android-app://") :].split("/", 1)[0].lower()
        return _APPS.get(app, "other")
    try:
        host = (urlsplit(referer).hostname or "").lower()
    except ValueError:
        return "other"
    if not host:
        return "other"
    if host in {h.lower() for h in own_hosts}:
        return "internal"
    labels = host.split(".")
    if _SEARCH_LABELS & set(labels[:-1]):
        return "search"
    for name, domains in _HOSTS:
        if any(host == d or host.endswith("." + d) for d in domains):
            return name
    return "other"


def _utm(query: bytes) -> str | None:
    for pair in query.split(b"&"):
        if pair.startswith(b"utm_source="):
            return unquote_to_bytes(pair[11:].replace(b"+", b" ")).decode("utf-8", "replace")
    return None


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

    # ---- decisions, each made once per distinct value ---------------------------------------

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

    def _minute(self, key: bytes) -> tuple[int, int] | None:
        """(epoch second, day number in WIB) of `dd/Mon/yyyy:hh:mm +zzzz`, or None."""
        try:
            if key[2:3] != b"/" or key[6:7] != b"/" or key[11:12] != b":" or key[14:15] != b":":
                return None
            day, month, year = int(key[0:2]), _MONTHS[key[3:6]], int(key[7:11])
            hour, minute = int(key[12:14]), int(key[15:17])
            if key[17:18] != b" " or key[18:19] not in (b"+", b"-") or len(key) != 23:
                return None
            sign = -1 if key[18:19] == b"-" else 1
            offset = sign * (int(key[19:21]) * 3600 + int(key[21:23]) * 60)
            local = datetime(year, month, day, hour, minute, tzinfo=UTC)
        except (KeyError, ValueError):
            return None
        second = int(local.timestamp()) - offset
        return second, (second + WIB_OFFSET) // _DAY

    def _request(self, request: bytes) -> tuple[int, bytes]:
        """(what the request is: a page index, _STATIC, _OTHER or _NOT_GET; its query)."""
        if request[:4] != b"GET ":
            return _NOT_GET, b""
        end = request.rfind(b" ")
        path, _, query = (request[4:end] if end > 4 else request[4:]).partition(b"?")
        page = self._paths.get(path)
        if page is None:
            page = self._paths[path] = self._page(path)
            if len(self._paths) > _CACHE_LIMIT:
                self._paths.clear()
        return page, query

    def _agent(self, raw: bytes) -> bytes:
        """b"" for a bot; otherwise a keyed digest of the user agent, so that a reader's hash
        is made from the client and this short tag (one hash block, whatever the agent's size)."""
        if is_bot(raw.decode("utf-8", "replace")):
            return b""
        tag = self._hasher.copy()
        tag.update(b"ua\0" + raw)
        return tag.digest()

    def _referer(self, raw: bytes) -> int:
        return _CHANNEL_INDEX[channel(raw.decode("utf-8", "replace"), None, self._own)]

    def _campaign(self, query: bytes) -> int:
        return _CHANNEL_INDEX[channel("", _utm(query))]

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
        requests, agents, minutes, referers = self._requests, self._agents, self._minutes, self._referers
        first_seen, day_readers, day_views, views = (
            self._first_seen,
            self._day_readers,
            self._day_views,
            self._views,
        )
        lo, hi, hasher = self._lo, self._hi, self._hasher
        from_bytes = int.from_bytes
        request_of, minute_of, referer_of, agent_of = self._request, self._minute, self._referer, self._agent
        campaign_of = self._campaign
        combined = _COMBINED.match
        count = malformed = outside = not_get = not_ok = static = other = bots = 0
        for line in lines:
            if not line or line == b"\r":
                continue
            count += 1
            parts = line.split(b'"')
            if len(parts) == 7 and parts[4] == b" ":
                head, request, middle, referer, _, agent, _ = parts
                client = head[: head.find(b" ")]
                minute_key = head[-28:-2]
            else:
                match = combined(line)
                if match is None:
                    malformed += 1
                    continue
                client, stamp, request, status = match.group(1, 2, 3, 4)
                referer, agent = match.group(5) or b"-", match.group(6) or b""
                # Shaped like the fast path's pieces, so the same code reads them.
                middle, minute_key = b" " + status + b" ", stamp
            try:
                # Cached per minute (with its offset): the seconds are the only part that varies.
                seconds = minute_key[18:20]
                minute_key = minute_key[:17] + minute_key[20:]
                known = minutes.get(minute_key)
                if known is None:
                    known = minute_of(minute_key)
                    if known is None:
                        raise ValueError
                    minutes[minute_key] = known
                    if len(minutes) > _CACHE_LIMIT:
                        minutes.clear()
                day = known[1] - lo
                if day < 0 or day > hi - lo:
                    outside += 1
                    continue
                found = requests.get(request)
                if found is None:
                    found = request_of(request)
                    if not found[1]:  # addresses with a query string vary too much to cache
                        requests[request] = found
                        if len(requests) > _CACHE_LIMIT:
                            requests.clear()
                page = found[0]
                if page == _NOT_GET:
                    not_get += 1
                    continue
                if middle[1:2] != b"2":
                    not_ok += 1
                    continue
                if page < 0:
                    if page == _STATIC:
                        static += 1
                    else:
                        other += 1
                    continue
                tag = agents.get(agent)
                if tag is None:
                    tag = agents[agent] = agent_of(agent)
                    if len(agents) > _CACHE_LIMIT:
                        agents.clear()
                if not tag:
                    bots += 1
                    continue
                query = found[1]
                if query and b"utm_source=" in query:
                    chan = campaign_of(query)
                else:
                    chan = referers.get(referer, -1)
                    if chan == -1:
                        chan = referers[referer] = referer_of(referer)
                        if len(referers) > _CACHE_LIMIT:
                            referers.clear()
                second = known[0] + int(seconds)
            except ValueError:
                malformed += 1
                continue
            reader = hasher.copy()
            reader.update(client + tag)
            who = from_bytes(reader.digest(), "little")
            views[page] += 1
            day_views[day] += 1
            day_readers.add(day << 64 | who)
            slot = page << 80 | day << 64 | who
            seen = second << 3 | chan
            earlier = first_seen.get(slot)
            if earlier is None or seen < earlier:
                first_seen[slot] = seen
        self.lines += count
        self.malformed += malformed
        self.outside += outside
        self.not_get += not_get
        self.not_ok += not_ok
        self.static += static
        self.other_pages += other
        self.bots += bots

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
    wanted = set(pages) if pages is not None else None
    views: dict[str, int] = {}
    visitors: dict[str, int] = {}
    day_views: dict[date, int] = {}
    day_readers: dict[date, int] = {}
    lines = malformed = outside = other = static = 0
    for row in rows:
        lines += 1
        try:
            day = date.fromisoformat((row["date"] or "").strip())
            n_views, n_visitors = int(row["views"]), int(row["visitors"])
            if n_views < 0 or n_visitors < 0:
                raise ValueError
        except (ValueError, TypeError):
            malformed += 1
            continue
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
    pages_found = {p: PageCount(v, visitors[p], {}) for p, v in views.items() if v}
    days = {d: DayCount(v, day_readers[d]) for d, v in sorted(day_views.items())}
    return Counts(
        first,
        last,
        pages_found,
        days,
        lines=lines,
        malformed=malformed,
        outside=outside,
        static=static,
        other_pages=other,
        views=sum(views.values()),
        source="csv",
        files=(path.name,),
    )
