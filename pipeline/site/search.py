"""Offline full-text search (Pagefind, from its PyPI wheel), indexed as the last step of the
Pelican build: the index belongs to the site like the sitemap does, so whoever runs Pelican on
these settings gets it. A failure is logged as an error on Pelican's logger, which fails the
build (see `pipeline.site.pelican_run`).

Pagefind's Python API was tried for indexing each page as Pelican writes it; its service client
waits 0.1 s before reading each reply, so a page at a time costs minutes on a large site.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from typing import Any

from pelican import signals

logger = logging.getLogger("pelican.laman.search")


def index_site(pelican: Any) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(pelican.settings["OUTPUT_PATH"]), "--silent"],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        detail = " ".join((done.stderr.strip() or done.stdout.strip()).split())
        logger.error(
            "Indeks pencarian gagal / search index failed: pagefind exit %s: %s", done.returncode, detail
        )


def register() -> None:
    signals.finalized.connect(index_site)
