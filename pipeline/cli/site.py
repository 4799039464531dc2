"""Commands about the site: build, preview, verify-site."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from pipeline.cli import output
from pipeline.cli.boundary import OK, PROBLEMS, boundary


@click.command(name="build")
@click.option(
    "--local", is_flag=True, help="Pakai pelicanconf.py (pratinjau lokal) alih-alih publishconf.py."
)
@click.option("--output", "folder", type=click.Path(path_type=Path), default=None)
@click.option(
    "--now",
    "now_text",
    metavar="TTTT-BB-HH JJ:MM",
    help="Waktu yang diwakili build (embargo); bawaan: sekarang.",
)
@boundary
def build_command(local: bool, folder: Path | None, now_text: str | None) -> int:
    """Bangun situs dari naskah yang boleh tayang."""
    from pipeline.app import publish
    from pipeline.model.dates import parse_datetime

    lang = output.lang()
    now = parse_datetime(now_text) if now_text else datetime.now(UTC)
    done = publish.publish(
        Path.cwd(), now, local=local, output=folder, on_checked=lambda c: output.print_notices(c, lang)
    )
    if done.built is None:
        output.print_violations(done.checked, lang)
        return PROBLEMS
    output.print_held(done.checked, lang)  # the rest is built: what is held is said, not fatal
    where = done.built.output.resolve()
    output.say("cli.build.built", n=done.articles, where=where)
    if done.embargoed:
        output.say("cli.build.embargoed", held=", ".join(done.embargoed))
    return OK


@click.command()
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--output", "folder", type=click.Path(path_type=Path), default=Path("preview"), show_default=True
)
@boundary
def preview(file: Path, folder: Path) -> int:
    """Pratinjau lokal: situs terverifikasi ditambah satu draf, dengan pita DRAF."""
    from pipeline.app import publish

    where = publish.preview(Path.cwd(), file, folder, datetime.now(UTC)).output.resolve()
    output.say("cli.preview.written", where=where, folder=folder)
    return OK


@click.command(name="verify-site")
@click.argument("site", type=click.Path(path_type=Path, file_okay=False, exists=True))
@boundary
def verify_site(site: Path) -> int:
    """Cocokkan salinan situs yang tayang dengan repositori dan riwayatnya."""
    from pipeline.app import ship

    found = ship.verify_site(Path.cwd(), site, datetime.now(UTC))
    if found.problems:
        output.print_problems(found.problems, output.lang())
        return PROBLEMS
    output.say("cli.verify_site.matches", articles=found.articles, files=found.files)
    return OK
