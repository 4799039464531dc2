"""Every format of a recap, written to disk."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pipeline.model.sop import Sop
from pipeline.recap.compute import Recap
from pipeline.recap.csvfiles import csv_files
from pipeline.recap.markdown import markdown
from pipeline.recap.page import html
from pipeline.recap.workbook import xlsx


def write(
    recap: Recap, sop: Sop, out_dir: Path, lang: str = "id", generated: datetime | None = None
) -> list[Path]:
    """Write the Markdown, one CSV per table, the workbook and the HTML page; their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"rekap-{recap.period.name}"
    written = []
    target = out_dir / f"{stem}.md"
    target.write_text(markdown(recap, sop, lang, generated), "utf-8")
    written.append(target)
    for name, text in csv_files(recap, sop, lang).items():
        target = out_dir / name
        target.write_text(text, "utf-8")
        written.append(target)
    target = out_dir / f"{stem}.xlsx"
    target.write_bytes(xlsx(recap, sop, lang))
    written.append(target)
    target = out_dir / f"{stem}.html"
    target.write_text(html(recap, sop, lang, generated), "utf-8")
    written.append(target)
    return written
