"""`laman redaksi`: the Ruang Redaksi, the browser app for office staff, on this computer."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import click

from pipeline.cli import output
from pipeline.cli.boundary import OK, boundary


@click.command(name="redaksi")
@click.option("--port", type=int, default=0, help="Port di 127.0.0.1 (bawaan: yang bebas).")
@click.option("--no-browser", is_flag=True, help="Jangan buka peramban; cetak alamatnya saja.")
@boundary
def redaksi_command(port: int, no_browser: bool) -> int:
    """Buka Ruang Redaksi: papan, tugas, penyuntingan dan langkah SOP di peramban."""
    from pipeline.model.project import load_project
    from pipeline.redaksi.server import Running

    project = load_project(Path.cwd())
    running = Running(project.root, port).start()
    output.say("redaksi.cli.started", url=running.url)
    if not no_browser:
        webbrowser.open(running.url)
    try:
        running.wait()
    except KeyboardInterrupt:
        running.stop()
    return OK
