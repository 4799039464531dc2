"""What the commands print, and where: the two consoles, problems, tables, the check's verdict.

The consoles are made again for every run (`open_consoles`), so that the width (COLUMNS) and
whether output is a terminal are read when the command runs; use them as `output.out`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from pipeline.errors import Problem
    from pipeline.proof.check import CheckResult
    from pipeline.proof.policy import Violation

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

# Laying out a table with box lines measures every cell: for thousands of rows that takes
# seconds (1.1 s for 4,731), while plain columns take a tenth of that and read as well.
_BOXED_ROWS = 200


def open_consoles() -> None:
    global out, err
    out = Console(highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False, soft_wrap=True)


def lang() -> str:
    """The language of messages, as `laman --lang` (or the environment) chose it."""
    return click.get_current_context().find_root().obj["lang"]


def say(key: str, /, **args: object) -> None:
    """One line to the user: the text `key` of the catalogs, in their language."""
    from pipeline.messages import say as text

    out.print(text(key, lang(), **args), markup=False)


def number(n: int) -> dict[str, str]:
    """A count written each language's way (`55.155`, `55,155`), as an argument of a text."""
    from pipeline.model.dates import count

    return {lang: count(n, lang) for lang in ("id", "en")}


def print_problems(problems: Sequence[Problem], lang: str) -> None:
    from pipeline.messages import say

    # One print for all: rich lays out each call on its own (28,386 problems took 2 s one by one).
    err.print("\n".join(problem.format(lang) for problem in problems), markup=False)
    err.print(say("cli.problems", lang, n=number(len(problems))), markup=False)


def print_table(title: str, headings: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Cells in rich markup (plain text escaped): a boxed table, or plain columns where it
    would be long."""
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    if len(rows) <= _BOXED_ROWS:
        table = Table(title=escape(title), title_justify="left")
        for heading in headings:
            table.add_column(heading)
        for row in rows:
            table.add_row(*row)
        out.print(table)
        return
    shown = [[Text.from_markup(cell).cell_len for cell in row] for row in rows]
    widths = [max(cell_len(h), *(row[i] for row in shown)) for i, h in enumerate(headings)]

    def line(cells: Sequence[str], lengths: Sequence[int]) -> str:
        padded = (c + " " * (w - n) for c, n, w in zip(cells, lengths, widths, strict=True))
        return "  ".join(padded).rstrip()

    rule = ["─" * w for w in widths]
    lines = [line([escape(h) for h in headings], [cell_len(h) for h in headings]), line(rule, widths)]
    lines += map(line, rows, shown)
    out.print(f"[bold]{escape(title)}[/]")
    out.print("\n".join(lines), highlight=False)


def print_notices(result: CheckResult, lang: str) -> None:
    for notice in result.notices:
        err.print(f"[bold yellow]{escape(notice.message(lang))}[/]\n    → {escape(notice.fix(lang))}")


def print_violations(result: CheckResult, lang: str) -> None:
    """The violations by article, each under the article's title."""
    groups: dict[str, list[Violation]] = {}
    for violation in result.violations:
        groups.setdefault(violation.article or violation.file, []).append(violation)
    for key, found in groups.items():
        record = result.records.get(key)
        title = record.version.meta.get("title") if record and record.version.meta else None
        err.print(f"[bold]{escape(str(title or key))}[/] ({escape(key)})")  # titles are text, not markup
        for violation in found:
            err.print("  " + violation.format(lang).replace("\n", "\n  "), markup=False)
    from pipeline.messages import say

    err.print(say("cli.violations", lang, n=len(result.violations)), markup=False)


def print_held(result: CheckResult, lang: str) -> None:
    """What the check's violations hold, and what was waived: on stdout, and in CI's job summary
    (`$GITHUB_STEP_SUMMARY`) when there is one, so the office sees it where the run is shown."""
    from pipeline.messages import say

    if result.held:
        rows = []
        for ident, found in sorted(result.held.items()):
            live = result.standing.get(ident)
            shown = live.version.blob[:12] if live else say("cli.hold.none", lang)
            codes = ", ".join(sorted({f"{v.code} @ {v.commit[:10]}" for v in found}))
            rows.append((escape(ident), shown, escape(codes)))
        headings = [say(f"cli.hold.{h}", lang) for h in ("article", "live", "why")]
        print_table(say("cli.hold.title", lang), headings, rows)
        out.print(say("cli.hold.summary", lang, n=len(result.held)), markup=False)
    if result.code_held:
        commit = (result.code_commit or "-")[:10]
        out.print(say("cli.hold.code", lang, commit=commit, n=len(result.code_held)), markup=False)
    if result.waived:
        rows = [
            (escape(f"{v.code} @ {v.commit[:10]} {v.article or v.file}"), w.commit[:10], escape(w.reason))
            for v, w in result.waived
        ]
        headings = [say(f"cli.waived.{h}", lang) for h in ("violation", "waiver", "reason")]
        print_table(say("cli.waived.title", lang), headings, rows)
    _job_summary(result, lang)


def _job_summary(result: CheckResult, lang: str) -> None:
    import os

    from pipeline.messages import say

    where = os.environ.get("GITHUB_STEP_SUMMARY")
    if not where or not (result.held or result.code_held or result.waived):
        return
    lines = []
    if result.held:
        lines += [
            f"### {say('cli.hold.title', lang)}",
            "",
            say("cli.hold.summary", lang, n=len(result.held)),
            "",
        ]
        for ident, found in sorted(result.held.items()):
            lines += [
                f"- `{ident}`: " + "; ".join(f"{v.code} @ `{v.commit[:10]}` {v.message(lang)}" for v in found)
            ]
    if result.code_held:
        lines += [
            "",
            say("cli.hold.code", lang, commit=(result.code_commit or "-")[:10], n=len(result.code_held)),
        ]
    if result.waived:
        lines += ["", f"### {say('cli.waived.title', lang)}", ""]
        lines += [f"- {v.code} @ `{v.commit[:10]}`: {w.reason}" for v, w in result.waived]
    with open(where, "a", encoding="utf-8") as summary:
        summary.write("\n".join(lines) + "\n")
