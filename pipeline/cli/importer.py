"""`laman import wordpress`: the old site's archive brought into content/."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from pipeline.cli import output
from pipeline.cli.boundary import OK, boundary


@click.group(name="import")
def import_group() -> None:
    """Impor arsip laman lama ke content/."""


@import_group.command()
@click.argument("export", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--media", "media_dir", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Folder uploads/ dari server lama / the old server's uploads/ folder.")  # fmt: skip
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Hanya yang terbit sejak TTTT-BB-HH / only items published since.")  # fmt: skip
@click.option("--sections", "sections_file", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="Berkas YAML: kategori WordPress -> rubrik / category mapping file.")  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Tulis laporan saja / write only the report.")
@boundary
def wordpress(
    export: Path, media_dir: Path | None, since: datetime | None, sections_file: Path | None, dry_run: bool
) -> int:
    """Impor ekspor WordPress (WXR) sebagai konten lama yang sudah terbit."""
    from rich.progress import Progress

    from pipeline.app.importer import import_wordpress
    from pipeline.model.dates import WIB
    from pipeline.wordpress.report import counts

    with Progress(console=output.err, transient=True, disable=not output.err.is_terminal) as bar:
        task = bar.add_task("WordPress", total=None)
        done = import_wordpress(
            Path.cwd(),
            export,
            media_dir=media_dir,
            since=since.date() if since else None,
            sections_file=sections_file,
            today=datetime.now(WIB).date(),
            dry_run=dry_run,
            lang=output.lang(),
            progress=lambda total: bar.update(task, total=total),
            step=lambda: bar.advance(task),
        )
    total = counts(done.rows)
    output.say(
        "import.done",
        imported=total["imported"],
        lossy=total["lossy"],
        skipped=total["skipped"],
        md=done.report_md,
        csv=done.report_csv,
    )
    output.say("import.dry_run" if dry_run else "import.next", n=len(done.written))
    return OK
