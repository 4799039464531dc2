"""The monthly recap. (Re-exported here for the commands; the recap's own branch owns this file.)"""

from pipeline.recap.report import (
    Period,
    Recap,
    article_pages,
    compute,
    gather,
    month_period,
    range_period,
    write,
)

__all__ = ["Period", "Recap", "article_pages", "compute", "gather", "month_period", "range_period", "write"]
