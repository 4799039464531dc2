"""The recap as one self-contained HTML page, with its chart."""

from __future__ import annotations

import html as html_lib
from datetime import datetime, timedelta

from pipeline.messages import say
from pipeline.model.dates import tanggal_jam
from pipeline.model.sop import Sop
from pipeline.recap.chart import svg_chart
from pipeline.recap.compute import Recap
from pipeline.recap.tables import cell_text, heading, tables

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:72rem;
padding:1rem 1.25rem;color:#1a1a1a;line-height:1.45;background:#fff}
h1{font-size:1.6rem;color:#7a0c0c;margin-bottom:.25rem}h2{font-size:1.2rem;margin-top:2rem;
border-bottom:2px solid #7a0c0c;padding-bottom:.2rem}p.sub{color:#444;margin-top:0}
table{border-collapse:collapse;width:100%;font-size:.92rem}caption{text-align:left;color:#444;
padding:.3rem 0}th,td{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}
th{background:#f3eded}td.num{text-align:right;font-variant-numeric:tabular-nums}
.wrap{overflow-x:auto}.chart{width:100%;height:auto;max-width:60rem}.chart .bar-readers{fill:#7a0c0c}
.chart .bar-posts{fill:#2b5d8a}.chart .axis{stroke:#555}.chart .tick{font-size:11px;fill:#333}
.chart .label{font-size:13px;font-weight:600;fill:#1a1a1a}footer{margin-top:2rem;color:#555;font-size:.85rem}
"""


def html(recap: Recap, sop: Sop, lang: str = "id", generated: datetime | None = None) -> str:
    """One self-contained page: no script, no external file; the chart is inline SVG."""
    title, sub = heading(recap, sop, lang)
    esc = html_lib.escape
    body = [
        f"<h1>{esc(title)}</h1>",
        f'<p class="sub">{esc(sub)}</p>',
        f"<h2>{esc(say('recap.chart.heading', lang))}</h2>",
        f"<figure>{svg_chart(recap, lang)}</figure>",
    ]
    for table in tables(recap, sop, lang):
        body.append(f'<section id="{table.key}"><h2>{esc(table.title(lang))}</h2>')
        if not table.rows:
            body.append(f"<p>{esc(say('recap.none', lang))}</p></section>")
            continue
        body.append('<div class="wrap"><table>')
        if table.note(lang):
            body.append(f"<caption>{esc(table.note(lang))}</caption>")
        body.append(
            "<thead><tr>"
            + "".join(f'<th scope="col">{esc(c.label(lang))}</th>' for c in table.columns)
            + "</tr></thead><tbody>"
        )
        for row in table.rows:
            cells = []
            for column, value in zip(table.columns, row, strict=True):
                numeric = isinstance(value, int | timedelta) and not isinstance(value, bool)
                attr = ' class="num"' if numeric else ""
                cells.append(f"<td{attr}>{esc(cell_text(value, column.kind, lang))}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        body.append("</tbody></table></div></section>")
    if generated is not None:
        made = say("recap.made", lang, when=tanggal_jam(generated, lang))
        body.append(f"<footer>{esc(made)} · laman recap</footer>")
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + "\n</main>\n</body>\n</html>\n"
    )
