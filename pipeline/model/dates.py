"""Dates, times and numbers as the office writes them: WIB (Asia/Jakarta), `6 Maret 2023`,
`10.00 WIB`, `55.155`."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date

from pipeline.messages import say

WIB = ZoneInfo("Asia/Jakarta")

_DATETIME = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[ T](?P<h>\d{2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?"
    r"(?: ?(?P<tz>Z|[+-]\d{2}:?\d{2}))?)?$"
)
# At most five digits, as sop.schema.json asks: timedelta cannot hold every larger number of days.
_DURATION = re.compile(r"^(?P<n>\d{1,5}) ?(?P<unit>h|d|jam|hari)$")


@lru_cache(maxsize=4096)  # front matters repeat their dates; the result is immutable
def parse_datetime(text: str) -> datetime:
    """`2023-03-06 10:00` (WIB), `2023-03-06` (00:00 WIB) or with an offset; aware.

    Raises ValueError for text that is not a real date and time.
    """
    match = _DATETIME.match(text.strip())
    if not match:
        raise ValueError(text)
    day = date.fromisoformat(match["date"])
    hour, minute, second = (int(match[k] or 0) for k in ("h", "m", "s"))
    tz_text = match["tz"]
    if tz_text is None:
        tz: timezone | ZoneInfo = WIB
    elif tz_text == "Z":
        tz = UTC
    else:
        digits = tz_text.replace(":", "")
        sign = -1 if digits[0] == "-" else 1
        tz = timezone(sign * timedelta(hours=int(digits[1:3]), minutes=int(digits[3:5])))
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=tz)


def parse_duration(text: str) -> timedelta:
    """`4 jam`/`4h` or `2 hari`/`2d`."""
    match = _DURATION.match(text.strip())
    if not match:
        raise ValueError(text)
    n = int(match["n"])
    return timedelta(hours=n) if match["unit"] in ("h", "jam") else timedelta(days=n)


def tanggal(value: date | datetime | str, lang: str = "id") -> str:
    """`6 Maret 2023` (or `6 March 2023`), in WIB for a datetime (or an ISO 8601 text)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        value = value.astimezone(WIB).date()
    return format_date(value, "d MMMM y", locale="id" if lang == "id" else "en")


def jam(value: datetime) -> str:
    """`10.00 WIB`."""
    return value.astimezone(WIB).strftime("%H.%M") + " WIB"


def tanggal_jam(value: datetime, lang: str = "id") -> str:
    """`6 Maret 2023, 10.00 WIB`."""
    return f"{tanggal(value, lang)}, {jam(value)}"


def durasi(delta: timedelta, lang: str = "id") -> str:
    """A waiting time people read at a glance: `3 hari 4 jam`, `45 menit`."""
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(say("dates.days", lang, n=days))
    if hours:
        parts.append(say("dates.hours", lang, n=hours))
    if not days and (mins or not parts):
        parts.append(say("dates.minutes", lang, n=mins))
    return " ".join(parts)


def angka(n: int) -> str:
    """`55155` -> `55.155`."""
    return f"{n:,}".replace(",", ".")


def count(n: int, lang: str = "id") -> str:
    """A count written the language's way: `55.155`, `55,155`."""
    return angka(n) if lang == "id" else f"{n:,}"
