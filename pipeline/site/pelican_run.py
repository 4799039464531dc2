"""One Pelican build in its own process (see `build.run_pelican`): a JSON job on stdin.

Exit 0 when the site was written with no error logged; otherwise exit 1 with the errors (Pelican
logs "Could not process …" and carries on) as the last line of stderr.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime

from pelican import Pelican
from pelican.settings import read_settings


class _Failures(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def main() -> int:
    job = json.loads(sys.stdin.read())
    override = job["override"]
    for key in ("LAMAN_NOW", "LAMAN_EPOCH"):
        if override.get(key):
            override[key] = datetime.fromisoformat(override[key])
    settings = read_settings(job["settings"], override=override)
    failures = _Failures()
    logging.getLogger("pelican").addHandler(failures)
    try:
        Pelican(settings).run()
    except Exception as err:  # Pelican raises many kinds; all mean the build failed
        print(f"{type(err).__name__}: {err}", file=sys.stderr)
        return 1
    if failures.messages:
        print("; ".join(" ".join(m.split()) for m in failures.messages), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
