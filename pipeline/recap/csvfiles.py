"""The recap as CSV files, one per table, for other programs to read."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from typing import Any

from pipeline.model.dates import WIB
from pipeline.model.sop import Sop
from pipeline.recap.compute import Recap
from pipeline.recap.tables import tables


def _machine(value: Any) -> str:
    """A cell for a CSV: integers plain, durations in minutes, times ISO 8601 in WIB."""
    if value is None:
        return ""
    if isinstance(value, timedelta):
        return str(int(value.total_seconds() // 60))
    if isinstance(value, datetime):
        return value.astimezone(WIB).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_files(recap: Recap, sop: Sop, lang: str = "id") -> dict[str, str]:
    """One CSV per table: `rekap-2023-03-<table>.csv` -> its text (comma, UTF-8, header row of
    column keys; counts as plain integers, durations in minutes, times ISO 8601 in WIB)."""
    files = {}
    for table in tables(recap, sop, lang):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(c.key for c in table.columns)
        for row in table.rows:
            writer.writerow(_machine(v) for v in row)
        files[f"rekap-{recap.period.name}-{table.key}.csv"] = buffer.getvalue()
    return files
