"""Commands that send the site live: deploy, rollback, releases."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import click

from pipeline.cli import output
from pipeline.cli.boundary import OK, boundary
from pipeline.errors import Problem
from pipeline.messages import Phrase, say

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
        output.say("cli.deploy.unchanged", commit=commit, target=target)
    elif done.copied:
        output.say("cli.deploy.live", commit=commit, target=target, n=articles, before=before)
    else:
        output.say("cli.deploy.reused", commit=commit, target=target, n=articles, before=before)
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
        output.say("cli.rollback.unchanged", release=release, target=target)
    else:
        output.say("cli.rollback.done", release=release, target=target, before=before)
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

    lang = output.lang()
    rows = ship.releases(target, ssh_options)
    if not rows:
        output.say("cli.releases.none", target=target)
        return OK
    headings = ("", *(say(f"cli.releases.heading.{h}", lang) for h in ("release", "first", "last")))
    live = say("cli.releases.live", lang)
    cells = [
        (live if row.live else "", releases.short(row.release), row.first or "-", row.last or "-")
        for row in rows
    ]
    output.print_table(say("cli.releases.title", lang, target=target), headings, cells)
    return OK


def _waiting(target: str, wait: int) -> Callable[[], None]:
    return lambda: output.say("cli.deploy.waiting", target=target, wait=wait)


def _before(release: str | None, short: Callable[[str], str]) -> Phrase:
    if release is None:
        return Phrase("cli.deploy.before.none")
    return Phrase("cli.deploy.before.release", release=short(release))


def _warn(problems: Sequence[Problem]) -> None:
    """Problems after the switch: the command succeeded, and says what is left to tidy."""
    for problem in problems:
        output.err.print(problem.format(output.lang()), markup=False)
