"""The `laman` command: parses arguments, calls the application (`pipeline.app`), prints.

One module per group of commands (`content`, `proof`, `site`, `duties`, `recap`), imported
only when one of its commands runs, and each command imports what it needs when it runs: so
starting `laman` loads click and rich and little else. The error boundary and the exit codes
are in `boundary`; the consoles and the printing commands share, in `output`.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

import click

from pipeline.cli import output
from pipeline.messages import choose_lang

# Every command: its name -> (its module in pipeline.cli, its function). A list, not discovery:
# what `laman` can do is read here.
COMMANDS = {
    "advance": ("proof", "advance"),
    "build": ("site", "build_command"),
    "check": ("proof", "check_command"),
    "deploy": ("ship", "deploy_command"),
    "dip": ("duties", "dip_command"),
    "import": ("importer", "import_group"),
    "disposisi": ("duties", "disposisi_command"),
    "init": ("proof", "init"),
    "new": ("content", "new"),
    "preview": ("site", "preview"),
    "recap": ("recap", "recap_command"),
    "redaksi": ("redaksi", "redaksi_command"),
    "releases": ("ship", "releases_command"),
    "rollback": ("ship", "rollback_command"),
    "social": ("duties", "social_command"),
    "sop": ("content", "sop_command"),
    "status": ("content", "status"),
    "validate": ("content", "validate"),
    "verify-site": ("site", "verify_site"),
    "waive": ("proof", "waive_command"),
}


class _Commands(Mapping[str, click.Command]):
    """The commands by name, each imported from its module when first asked for: click finds,
    lists and suggests commands through this mapping, and adds none at run time."""

    def __getitem__(self, name: str) -> click.Command:
        module, function = COMMANDS[name]
        return getattr(importlib.import_module(f"pipeline.cli.{module}"), function)

    def __iter__(self) -> Iterator[str]:
        return iter(COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS)


@click.group(
    commands=_Commands(),  # type: ignore[arg-type]  # read-only, as above
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--lang", type=click.Choice(["id", "en"]), default=None, help="Bahasa pesan / message language."
)
@click.pass_context
def main(ctx: click.Context, lang: str | None) -> None:
    """Laman: situs yang dikelola sesuai SOP 27/2023, dibuktikan dari riwayat git."""
    output.open_consoles()
    ctx.obj = {"lang": choose_lang(lang)}
