"""Offline full-text search (Pagefind), indexed while Pelican writes the site.

Each page goes to a Pagefind service process as soon as Pelican has written it, so the index
is built on the other core while Pelican renders the rest; when Pelican is done the index is
written under `pagefind/` in the output, as `pagefind --site` would write it. A failure is
logged as an error on Pelican's logger, which fails the build.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from pathlib import Path
from typing import Any

from pagefind.index import IndexConfig, PagefindIndex
from pelican import signals

logger = logging.getLogger("pelican.laman.search")
BUNDLE = "pagefind"


class _Indexer:
    """A Pagefind service driven from its own thread's event loop; Pelican's thread only
    hands it pages."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.error: BaseException | None = None
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: asyncio.Queue[tuple[str, str] | None] | None = None
        self._thread = threading.Thread(target=self._run, name="pagefind", daemon=True)
        self._thread.start()
        self._ready.wait()

    def add(self, page: Path) -> None:
        if self._loop is None or self._queue is None or not self._thread.is_alive():
            return  # the service failed: `finish` reports why
        relative = page.relative_to(self.output).as_posix()
        url = "/" + relative.removesuffix("index.html")
        item = (url, page.read_text("utf-8"))
        self._loop.call_soon_threadsafe(self._queue.put_nowait, item)

    def finish(self) -> BaseException | None:
        """Write the index and stop the service; the error that stopped it, if any."""
        if self._loop is not None and self._queue is not None:
            self._loop.call_soon_threadsafe(self._queue.put_nowait, None)
        self._thread.join()
        return self.error

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as err:  # handed to Pelican's thread, which logs it
            self.error = err
        finally:
            self._ready.set()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._queue = asyncio.Queue()
        # Leaving the block without an error writes the bundle (as `pagefind --site` would).
        async with PagefindIndex(IndexConfig(output_path=str(self.output / BUNDLE))) as index:
            self._ready.set()
            sent = []
            while (item := await self._queue.get()) is not None:
                url, content = item
                sent.append(asyncio.ensure_future(index.add_html_file(content=content, url=url)))
            await asyncio.gather(*sent)


_indexer: _Indexer | None = None


def start(pelican: Any) -> None:
    global _indexer
    _indexer = _Indexer(Path(pelican.settings["OUTPUT_PATH"]).resolve())


def page_written(path: str, context: Any = None) -> None:
    if _indexer is not None and path.endswith(".html"):
        _indexer.add(Path(path).resolve())


def finish(pelican: Any) -> None:
    global _indexer
    if _indexer is None:
        return
    error = _indexer.finish()
    _indexer = None
    if error is not None:
        logger.error("Indeks pencarian gagal / search index failed: %s: %s", type(error).__name__, error)


def register() -> None:
    signals.initialized.connect(start)
    signals.content_written.connect(page_written)
    signals.finalized.connect(finish)
