"""The recap command: the month's (or a range's) recap written, its totals printed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline.cli import output
from pipeline.cli.boundary import OK, boundary
from pipeline.messages import say

if TYPE_CHECKING:
    from pipeline.app.report import Recapped


@click.command(name="recap")
@click.argument("args", nargs=-1, metavar="[TTTT-BB] [LOG...]")
@click.option("--from", "date_from", metavar="TTTT-BB-HH", help="Awal periode (bukan bulan penuh).")
@click.option("--to", "date_to", metavar="TTTT-BB-HH", help="Akhir periode, termasuk hari itu.")
@click.option(
    "--logs",
    multiple=True,
    metavar="PATH",
    help="Log akses nginx/Apache (combined; .gz dan rotasi boleh): berkas, folder atau pola.",
)
@click.option(
    "--views-csv",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Untuk hosting statis: CSV dengan kolom date,path,views,visitors.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("rekap"),
    show_default=True,
)
@click.option("--lang", "report_lang", type=click.Choice(["id", "en"]), default=None, help="Bahasa laporan.")
@click.option(
    "--site",
    "site_url",
    envvar="LAMAN_SITEURL",
    help="Alamat situs, untuk mengenali rujukan dari laman sendiri.",
)
@boundary
def recap_command(
    args: tuple[str, ...],
    date_from: str | None,
    date_to: str | None,
    logs: tuple[str, ...],
    views_csv: Path | None,
    out_dir: Path,
    report_lang: str | None,
    site_url: str | None,
) -> int:
    """Rekapitulasi bulanan: naskah terbit, lama tiap tahap, revisi dan jumlah pembaca."""
    from pipeline.app import report
    from pipeline.model.dates import WIB

    lang = output.lang()
    month, *more_logs = args or (None,)
    if more_logs and not logs:
        raise click.UsageError("LOG… (--logs)")
    period = report.period_of(month, date_from, date_to)
    done = report.recap_period(
        Path.cwd(),
        period,
        datetime.now(WIB),
        out_dir=out_dir,
        lang=report_lang or lang,
        logs=[*logs, *more_logs] if logs else (),
        views_csv=views_csv,
        site_url=site_url,
        progress=_log_bar,
    )
    _print_recap(done, lang)
    return OK


@contextmanager
def _log_bar(total: int) -> Iterator[Callable[[int], None]]:
    """A bar for the bytes of logs read, on a terminal only; gone when done."""
    from rich.progress import DownloadColumn, Progress

    columns = (*Progress.get_default_columns(), DownloadColumn())
    with Progress(*columns, console=output.err, transient=True, disable=not output.err.is_terminal) as bar:
        task = bar.add_task(say("cli.recap.reading", output.lang()), total=total)
        yield lambda n: bar.advance(task, n)


def _print_recap(done: Recapped, lang: str) -> None:
    result, counts = done.result, done.counts
    output.say(
        "cli.recap.done",
        period=done.period.title(lang),
        published=len(result.publications),
        revised=len(result.revisions),
        open=len(result.open_items),
    )
    if counts is not None:
        output.say(
            "cli.recap.readers",
            views=output.number(counts.views),
            reader_days=output.number(counts.reader_days),
            lines=output.number(counts.lines),
            malformed=output.number(counts.malformed),
            bots=output.number(counts.bots),
        )
    if done.violations:
        output.err.print(say("cli.recap.violations", lang, n=done.violations), markup=False)
    for path in done.written:
        output.out.print(f"  {path}", markup=False)
