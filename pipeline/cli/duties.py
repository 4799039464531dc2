"""Commands about the office's other duties: dip, disposisi, social."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.markup import escape

from pipeline.cli import output
from pipeline.cli.boundary import OK, PROBLEMS, boundary
from pipeline.duties.social import CHANNELS

if TYPE_CHECKING:
    from pipeline.app.duties import Waiting


@click.command(name="dip")
@click.option(
    "--exempt", is_flag=True, help="Daftar informasi yang dikecualikan (internal, tidak pernah tayang)."
)
@click.option(
    "--output",
    "target",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Tulis juga ke berkas .csv, .xlsx atau .md.",
)
@boundary
def dip_command(exempt: bool, target: Path | None) -> int:
    """Daftar Informasi Publik dari naskah yang boleh tayang (atau, dengan --exempt, yang dikecualikan)."""
    from rich.table import Table

    from pipeline.app import duties

    lang, root = output.lang(), Path.cwd()
    listing = duties.exempt_list(root, lang, target) if exempt else duties.public_list(root, lang)
    table = Table(title=listing.title, title_justify="left", show_lines=True)
    for heading in listing.headings:
        table.add_column(heading)
    for row in listing.cells:
        table.add_row(*(escape(str(cell)) for cell in row))
    output.out.print(table)
    if target is not None:
        duties.write_list(listing, target, lang)
        output.say("cli.dip.written", path=target)
    if listing.problems:
        output.print_problems(listing.problems, lang)
        return PROBLEMS
    return OK


@click.command(name="disposisi")
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--output",
    "target",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Berkas HTML (bawaan: lembar-disposisi-<slug>.html).",
)
@click.option("--pdf/--no-pdf", default=None, help="PDF juga (bawaan: bila WeasyPrint terpasang).")
@boundary
def disposisi_command(file: Path, target: Path | None, pdf: bool | None) -> int:
    """Cetak lembar disposisi naskah (HTML siap cetak A4, dan PDF bila bisa)."""
    from pipeline.app import duties

    for path in duties.disposition_sheet(Path.cwd(), file, output.lang(), target, pdf):
        output.say("cli.disposisi.sheet", path=path)
    return OK


@click.command(name="social")
@click.option("--posted", "posted_slug", metavar="SLUG", help="Catat naskah ini sudah diunggah.")
@click.option(
    "--channel",
    "channels",
    multiple=True,
    type=click.Choice(CHANNELS),
    help="Kanal (bawaan: semua yang tercantum).",
)
@click.option("--json", "as_json", is_flag=True, help="Keluaran JSON.")
@boundary
def social_command(posted_slug: str | None, channels: tuple[str, ...], as_json: bool) -> int:
    """Kit media sosial yang menunggu diunggah (social/posted.json mencatat yang sudah)."""
    from pipeline.app import duties
    from pipeline.model.dates import WIB

    now = datetime.now(WIB)
    if posted_slug:
        record = duties.social_posted(Path.cwd(), posted_slug, channels, now)
        output.say("cli.social.recorded", record=record)
        return OK
    pending = duties.social_waiting(Path.cwd(), now)
    if as_json:
        data = [
            {"slug": w.post.slug, "title": w.post.title, "channel": w.channel, "caption": w.caption}
            for w in pending
        ]
        output.out.print(json.dumps(data, ensure_ascii=False, indent=2), markup=False)
        return OK
    _print_waiting(pending, output.lang())
    output.say("cli.social.waiting", n=len(pending))
    return OK


def _print_waiting(pending: list[Waiting], lang: str) -> None:
    from rich.table import Table

    from pipeline.duties.social import LABELS
    from pipeline.messages import say

    table = Table(title=say("cli.social.title", lang), title_justify="left")
    for heading in ("title", "channel", "caption"):
        table.add_column(say(f"cli.social.heading.{heading}", lang))
    for w in pending:
        table.add_row(escape(click.unstyle(w.post.title)), LABELS[w.channel], escape(w.caption))
    output.out.print(table)
