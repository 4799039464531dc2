"""Rekapitulasi bulanan: what the SOP asks the secretariat to keep every month ("Rekapitulasi
Postingan/Konten website setiap bulan dan jumlah pembaca").

A functional core and a thin shell, as elsewhere:

- `gather` (gather.py) is the shell: one pass over main's history into events (plain data),
  through `proof.events`; signers resolved as `laman check` resolves them.
- `compute` (compute.py, from posts.py) is pure: from the events, the SOP, the people and, when
  given, reader counts (readers.py), the recap of one period (period.py, days in WIB): the
  articles that became publishable, by category, information class, person and role; time
  spent in each stage against its limit; revisions sent back; items still open at the period's
  end; readers per article and per day.
- `tables` (tables.py) turns a recap into plain tables; markdown.py, csvfiles.py, workbook.py
  and page.py (with chart.py) render them; `write` (output.py) puts them on disk.
"""

from __future__ import annotations

from pipeline.recap.compute import Day, Reading, Recap, article_pages, compute
from pipeline.recap.gather import Gathered, gather
from pipeline.recap.output import write
from pipeline.recap.period import Period, month_period, previous_month, range_period
from pipeline.recap.posts import Event, Meta, Person

__all__ = [
    "Day",
    "Event",
    "Gathered",
    "Meta",
    "Period",
    "Person",
    "Reading",
    "Recap",
    "article_pages",
    "compute",
    "gather",
    "month_period",
    "previous_month",
    "range_period",
    "write",
]
