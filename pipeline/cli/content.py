"""Commands about the articles in the working tree: validate, new, status, sop."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.markup import escape

from pipeline.cli import output
from pipeline.cli.boundary import OK, PROBLEMS, boundary
from pipeline.messages import Phrase, say

if TYPE_CHECKING:
    from pipeline.app.editorial import Board


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@boundary
def validate(paths: tuple[Path, ...]) -> int:
    """Periksa front matter naskah terhadap skema dan SOP."""
    from pipeline.app import editorial

    validated = editorial.validate(Path.cwd(), paths)
    if validated.problems:
        output.print_problems(validated.problems, output.lang())
        return PROBLEMS
    output.say("cli.validate.valid", n=validated.articles)
    return OK


@click.command()
@click.argument("title", required=False)
@click.option("--category", default="Berita", show_default=True)
@click.option("--no-branch", is_flag=True, help="Jangan buat cabang naskah/<slug>.")
@click.option(
    "--from-issue",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="JSON isu disposisi (`gh issue view N --json title,body`).",
)
@boundary
def new(title: str | None, category: str, no_branch: bool, from_issue: Path | None) -> int:
    """Buat naskah baru pada tahap awal, di cabang naskah/<slug>."""
    from pipeline.app import editorial
    from pipeline.model.dates import WIB

    try:
        created = editorial.create_article(
            Path.cwd(), title, category, datetime.now(WIB), issue=from_issue, branch=not no_branch
        )
    except editorial.MissingTitle:
        raise click.UsageError("JUDUL / TITLE") from None
    output.say("cli.new.created", rel=created.path, id=created.id)
    return OK


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Keluaran JSON.")
@boundary
def status(as_json: bool) -> int:
    """Papan redaksi: naskah per tahap, siapa yang harus bertindak, dan lama menunggu."""
    from pipeline.app import editorial

    lang = output.lang()
    board = editorial.status(Path.cwd(), datetime.now(UTC), lang)
    if as_json:
        rows = [r.as_dict() for r in board.rows]
        output.out.print(json.dumps(rows, ensure_ascii=False, indent=2), markup=False)
        return OK
    _print_board(board, lang)
    from pipeline.app import publish

    output.print_held(publish.check(Path.cwd()), lang)  # what history holds, and why
    if board.problems:
        output.print_problems(board.problems, lang)
    return OK


_BOARD_HEADINGS = tuple(
    Phrase(f"cli.status.heading.{key}") for key in ("title", "waiting", "since", "waited", "limit")
)


def _print_board(board: Board, lang: str) -> None:
    from pipeline.model.dates import angka, durasi, tanggal_jam

    headings = [heading.say(lang) for heading in _BOARD_HEADINGS]
    for stage, here in board.stages:
        cells = []
        for r in here:
            who = ", ".join(r.roles) + (f" ({', '.join(r.people)})" if r.people else "")
            waited = durasi(r.waited, lang) if r.waited else "—"
            if r.overdue:
                waited = f"[bold red]{waited} ⚠ {say('cli.status.overdue', lang)}[/]"
            title = escape(click.unstyle(r.title))  # a title may hold `[FOTO]`: text, not markup
            if r.stale_periodic:  # UU 14/2008 Pasal 9: periodic information at least every 6 months
                stale = say("cli.status.stale", lang)
                title = f"{title} [bold yellow]⚠ {stale}[/]"
            cells.append(
                (
                    title,
                    escape(who) or "—",
                    tanggal_jam(r.since, lang) if r.since else say("cli.status.uncommitted", lang),
                    waited,
                    durasi(r.limit, lang) if r.limit else "—",
                )
            )
        output.print_table(f"{stage.title(lang)} ({angka(len(here))})", headings, cells)


_STEP_HEADINGS = tuple(
    Phrase(f"cli.sop.step.{key}") for key in ("number", "procedure", "lane", "equipment", "time", "output")
)
_STAGE_HEADINGS = tuple(
    Phrase(f"cli.sop.stage.{key}") for key in ("stage", "name", "step", "moved_by", "limit")
)


@click.command(name="sop")
@click.option("--mermaid", is_flag=True, help="Cetak diagram Mermaid.")
@boundary
def sop_command(mermaid: bool) -> int:
    """Tampilkan prosedur SOP sebagai tabel (atau diagram Mermaid)."""
    from rich.table import Table

    from pipeline.cli import diagram
    from pipeline.model.project import load_project

    sop = load_project(Path.cwd()).sop
    lang = output.lang()
    if mermaid:
        output.out.print(diagram.mermaid(sop, lang), markup=False, end="")
        return OK
    sop_title = escape(f"SOP {sop.header['number']} — {sop.header['title']}")
    output.out.print(f"[bold]{sop_title}[/] ({escape(str(sop.header['issuer']))})")
    for title, headings, rows, lines in (
        (Phrase("cli.sop.steps"), _STEP_HEADINGS, diagram.step_rows(sop, lang), True),
        (Phrase("cli.sop.stages"), _STAGE_HEADINGS, diagram.stage_rows(sop, lang), False),
    ):
        table = Table(title=title.say(lang), title_justify="left", show_lines=lines)
        for heading in headings:
            table.add_column(heading.say(lang))
        for row in rows:
            table.add_row(*map(escape, row))
        output.out.print(table)
    return OK
