"""Articles published and readers per day, as an inline SVG chart."""

from __future__ import annotations

import html as html_lib
from collections.abc import Sequence

from pipeline.messages import say
from pipeline.model.dates import tanggal
from pipeline.recap.compute import Day, Recap
from pipeline.recap.tables import cell_text


def _svg_panel(
    days: Sequence[Day],
    values: Sequence[int],
    top: int,
    height: int,
    label: str,
    css: str,
    unit: str,
    lang: str,
) -> list[str]:
    left, width = 48, 720
    step = width / max(len(days), 1)
    peak = max([*values, 1])
    parts = [
        f'<text x="{left}" y="{top - 8}" class="label">{html_lib.escape(label)}</text>',
        f'<line x1="{left}" y1="{top + height}" x2="{left + width}" y2="{top + height}" class="axis"/>',
        f'<text x="{left - 6}" y="{top + 4}" class="tick" text-anchor="end">{cell_text(peak, "int", lang)}</text>',
        f'<text x="{left - 6}" y="{top + height}" class="tick" text-anchor="end">0</text>',
    ]
    for i, (day, value) in enumerate(zip(days, values, strict=True)):
        bar = height * value / peak
        x = left + i * step + step * 0.15
        parts.append(
            f'<rect class="{css}" x="{x:.1f}" y="{top + height - bar:.1f}" width="{step * 0.7:.1f}" '
            f'height="{bar:.1f}" data-day="{day.day.isoformat()}" data-value="{value}">'
            f"<title>{html_lib.escape(tanggal(day.day, lang))}: {cell_text(value, 'int', lang)} {unit}</title></rect>"
        )
    return parts


def svg_chart(recap: Recap, lang: str = "id") -> str:
    """Posts and readers per day as an inline SVG: two panels sharing the day axis."""
    days = list(recap.days)
    with_readers = recap.counts is not None
    panel = 120
    top = 30
    parts: list[str] = []
    if with_readers:
        parts += _svg_panel(
            days,
            [d.readers or 0 for d in days],
            top,
            panel,
            say("recap.chart.readers", lang),
            "bar-readers",
            say("recap.chart.readers_unit", lang),
            lang,
        )
        top += panel + 50
    parts += _svg_panel(
        days,
        [d.published for d in days],
        top,
        panel // 2,
        say("recap.chart.posts", lang),
        "bar-posts",
        say("recap.chart.posts_unit", lang),
        lang,
    )
    bottom = top + panel // 2
    step = 720 / max(len(days), 1)
    for i, day in enumerate(days):
        if len(days) <= 16 or day.day.day in (1, 5, 10, 15, 20, 25) or i == len(days) - 1:
            x = 48 + i * step + step / 2
            parts.append(
                f'<text x="{x:.1f}" y="{bottom + 16}" class="tick" text-anchor="middle">{day.day.day}</text>'
            )
    total_height = bottom + 30
    total_readers = sum(d.readers or 0 for d in days)
    readers = cell_text(total_readers, "int", lang)
    desc = say(
        "recap.chart.desc",
        lang,
        published=len(recap.publications),
        readers=say("recap.chart.desc_readers", lang, readers=readers) if with_readers else "",
        period=recap.period.title(lang),
    )
    title = say("recap.chart.title", lang)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 780 {total_height}" role="img" '
        f'aria-labelledby="grafik-judul grafik-ket" class="chart">'
        f'<title id="grafik-judul">{html_lib.escape(title)}</title>'
        f'<desc id="grafik-ket">{html_lib.escape(desc)}</desc>' + "".join(parts) + "</svg>"
    )
