"""What one line of a web-server access log (nginx/Apache combined) says: its time, whether
its address is a page, whether its user agent is a program, and where its reader came from.
Pure: each answer a function of the value alone, so that the counter can cache it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from crawlerdetect import CrawlerDetect

from pipeline.messages import Phrase

# Channels, in the order reports list them.
CHANNELS = ("search", "facebook", "instagram", "whatsapp", "x", "direct", "internal", "other")
CHANNEL_LABELS = {name: Phrase(f"recap.channel.{name}") for name in CHANNELS}
CHANNEL_INDEX = {name: i for i, name in enumerate(CHANNELS)}

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
COMBINED = re.compile(
    rb'^(\S+) \S+ \S+ \[([^\]]+)\] "((?:[^"\\]|\\.)*)" (\d{3}) \S+'
    rb'(?: "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)")?'
)


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


def campaign_source(query: bytes) -> str | None:
    for pair in query.split(b"&"):
        if pair.startswith(b"utm_source="):
            return unquote_to_bytes(pair[11:].replace(b"+", b" ")).decode("utf-8", "replace")
    return None


def parse_minute(key: bytes) -> tuple[int, int] | None:
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
