"""The one error boundary of every command, and the exit codes it promises.

Exit codes: 0 ok, 1 problems found (or the command refused), 2 usage, 3 unexpected error.
"""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from pipeline.cli import output
from pipeline.errors import LamanError
from pipeline.messages import say

OK, PROBLEMS, UNEXPECTED = 0, 1, 3
CRASH_LOG = Path(".laman-cache") / "crash.log"


def boundary(command: Callable[..., int]) -> Callable[..., None]:
    """Expected failures print their problems and exit 1; others log and exit 3."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        lang = output.lang()
        try:
            code = command(*args, **kwargs)
        except LamanError as failure:
            output.print_problems(failure.problems, lang)
            sys.exit(PROBLEMS)
        except (click.exceptions.Exit, click.ClickException, KeyboardInterrupt):
            raise
        except Exception:
            CRASH_LOG.parent.mkdir(exist_ok=True)
            CRASH_LOG.write_text(traceback.format_exc(), "utf-8")
            output.err.print(say("cli.crash", lang, log=CRASH_LOG), markup=False)
            sys.exit(UNEXPECTED)
        sys.exit(code)

    return run
