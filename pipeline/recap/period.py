"""The period a recap covers: whole days in WIB, a month or any range of days."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from babel.dates import format_date

from pipeline.errors import LamanError, Problem
from pipeline.model.dates import WIB, tanggal


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # inclusive

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), WIB)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(), WIB)

    def __contains__(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    @property
    def is_month(self) -> bool:
        return (
            self.first.day == 1
            and (self.last + timedelta(days=1)).day == 1
            and (self.first.month == self.last.month)
        )

    @property
    def name(self) -> str:
        """File name stem: `2023-03`, or `2023-03-01_2023-03-15`."""
        if self.is_month:
            return self.first.strftime("%Y-%m")
        return f"{self.first.isoformat()}_{self.last.isoformat()}"

    def title(self, lang: str = "id") -> str:
        if self.is_month:
            return format_date(self.first, "MMMM y", locale="id" if lang == "id" else "en")
        return f"{tanggal(self.first, lang)} – {tanggal(self.last, lang)}"

    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# git's times start in 1970; a period must also end a day before the calendar's last one.
_YEARS = range(1970, 9999)


def month_period(text: str) -> Period:
    """`2023-03` -> 1 to 31 March 2023."""
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) not in _YEARS:
        raise LamanError([Problem("REC001", text, args={"value": text})])
    first = date(int(match[1]), int(match[2]), 1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return Period(first, following - timedelta(days=1))


def range_period(first: str, last: str) -> Period:
    try:
        start, end = date.fromisoformat(first.strip()), date.fromisoformat(last.strip())
    except ValueError:
        raise LamanError([Problem("REC002", "--from/--to", args={"first": first, "last": last})]) from None
    if end < start or start.year not in _YEARS or end.year not in _YEARS:
        raise LamanError([Problem("REC002", "--from/--to", args={"first": first, "last": last})])
    return Period(start, end)


def previous_month(today: date) -> Period:
    return month_period((today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m"))
