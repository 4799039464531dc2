"""The recap as a Markdown document."""

from __future__ import annotations

from datetime import datetime

from pipeline.messages import say
from pipeline.model.dates import tanggal_jam
from pipeline.model.sop import Sop
from pipeline.recap.compute import Recap
from pipeline.recap.tables import cell_text, heading, tables


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown(recap: Recap, sop: Sop, lang: str = "id", generated: datetime | None = None) -> str:
    title, sub = heading(recap, sop, lang)
    lines = [f"# {title}", "", sub, ""]
    if generated is not None:
        lines += [say("recap.made", lang, when=tanggal_jam(generated, lang)), ""]
    for table in tables(recap, sop, lang):
        lines += [f"## {table.title(lang)}", ""]
        if table.note(lang):
            lines += [table.note(lang), ""]
        if not table.rows:
            lines += [say("recap.none", lang), ""]
            continue
        lines.append("| " + " | ".join(_md_cell(c.label(lang)) for c in table.columns) + " |")
        lines.append(
            "|" + "|".join("---:" if c.kind in ("int", "duration") else "---" for c in table.columns) + "|"
        )
        for row in table.rows:
            cells = (_md_cell(cell_text(v, c.kind, lang)) for c, v in zip(table.columns, row, strict=True))
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)
