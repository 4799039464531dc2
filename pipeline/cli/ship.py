"""Commands that send the site live: deploy, rollback, releases."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import click

from pipeline.cli import output
from pipeline.cli.boundary import OK, boundary
from pipeline.errors import Problem

_WAIT = click.option(
    "--wait",
    type=click.IntRange(0, 86400),
    default=300,
    show_default=True,
    help="Detik menunggu deploy atau rollback lain ke tujuan yang sama.",
)


@click.command(name="deploy")
@click.argument("target")
@click.option(
    "--site", type=click.Path(path_type=Path, file_okay=False), default=Path("output"), show_default=True
)
@click.option(
    "--keep", type=click.IntRange(2, 100), default=5, show_default=True, help="Rilis yang disimpan."
)
@_WAIT
@click.option("--ssh-option", "ssh_options", multiple=True, help="Opsi tambahan untuk ssh (-o …).")
@boundary
def deploy_command(target: str, site: Path, keep: int, wait: int, ssh_options: tuple[str, ...]) -> int:
    """Tayangkan hasil build secara atomik ke dir:/folder atau ssh://pengguna@host/folder."""
    from pipeline.app import ship
    from pipeline.site import releases

    done = ship.deploy(
        Path.cwd(),
        target,
        site,
        datetime.now(UTC),
        keep=keep,
        wait=wait,
        ssh_options=ssh_options,
        on_wait=_waiting(target, wait),
    )
    articles = len(ship.release.read_marker(site).get("articles") or [])
    commit, before = done.commit[:10], _before(done.before, releases.short)
    if not done.switched:
        output.say(
            f"Sudah tayang: commit {commit} di {target}; tidak ada yang berubah.",
            f"Already live: commit {commit} at {target}; nothing changed.",
        )
    elif not done.copied:
        output.say(
            f"Tayang: commit {commit} di {target} ({articles} naskah), dari rilis yang sudah ada di sana"
            f" (tidak ada yang disalin). Sebelumnya: {before[0]}.",
            f"Live: commit {commit} at {target} ({articles} articles), from the release already there"
            f" (nothing copied). Before: {before[1]}.",
        )
    else:
        output.say(
            f"Tayang: commit {commit} di {target} ({articles} naskah). Sebelumnya: {before[0]}.",
            f"Live: commit {commit} at {target} ({articles} articles). Before: {before[1]}.",
        )
    _warn(done.warnings)
    return OK


@click.command(name="rollback")
@click.argument("target")
@click.option("--to", "to", metavar="COMMIT", help="Commit rilis yang ditayangkan lagi (bawaan: sebelumnya).")
@_WAIT
@click.option("--ssh-option", "ssh_options", multiple=True)
@boundary
def rollback_command(target: str, to: str | None, wait: int, ssh_options: tuple[str, ...]) -> int:
    """Kembalikan situs ke rilis commit sebelumnya, atau ke commit yang disebut (--to)."""
    from pipeline.app import ship
    from pipeline.site import releases

    done = ship.rollback(
        Path.cwd(),
        target,
        datetime.now(UTC),
        to=to,
        wait=wait,
        ssh_options=ssh_options,
        on_wait=_waiting(target, wait),
    )
    release, before = releases.short(done.release), _before(done.before, releases.short)
    if not done.switched:
        output.say(
            f"Rilis {release} sudah tayang di {target}; tidak ada yang berubah.",
            f"Release {release} is live at {target} already; nothing changed.",
        )
    else:
        output.say(
            f"Dikembalikan ke rilis {release} di {target}. Sebelumnya: {before[0]}.",
            f"Rolled back to release {release} at {target}. Before: {before[1]}.",
        )
    _warn(done.warnings)
    return OK


@click.command(name="releases")
@click.argument("target")
@click.option("--ssh-option", "ssh_options", multiple=True)
@boundary
def releases_command(target: str, ssh_options: tuple[str, ...]) -> int:
    """Daftar rilis di tujuan: commit, kapan tayang, dan mana yang tayang sekarang."""
    from pipeline.app import ship
    from pipeline.site import releases

    en = output.lang() == "en"
    rows = ship.releases(target, ssh_options)
    if not rows:
        output.say(f"Belum ada rilis di {target}.", f"No releases at {target} yet.")
        return OK
    headings = (
        ("", "release (commit)", "first live", "last live")
        if en
        else ("", "rilis (commit)", "pertama tayang", "terakhir tayang")
    )
    live = ("tayang", "live")[en]
    cells = [
        (live if row.live else "", releases.short(row.release), row.first or "-", row.last or "-")
        for row in rows
    ]
    output.print_table((f"Rilis di {target}", f"Releases at {target}")[en], headings, cells)
    return OK


def _waiting(target: str, wait: int) -> Callable[[], None]:
    return lambda: output.say(
        f"Deploy atau rollback lain ke {target} sedang berjalan; menunggu hingga {wait} detik…",
        f"Another deploy or rollback to {target} is running; waiting up to {wait} seconds…",
    )


def _before(release: str | None, short: Callable[[str], str]) -> tuple[str, str]:
    if release is None:
        return "belum ada situs yang tayang", "no site was live"
    return f"rilis {short(release)}", f"release {short(release)}"


def _warn(problems: Sequence[Problem]) -> None:
    """Problems after the switch: the command succeeded, and says what is left to tidy."""
    for problem in problems:
        output.err.print(problem.format(output.lang()), markup=False)
