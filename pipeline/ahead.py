"""Work done ahead of a walk through history, in other processes, in the order the walk needs it.

Each job is a module-level function of a `Repository` and its arguments that returns results by
key (commit or blob id). Worker processes open the repository themselves and read what they need
through their own `git cat-file`, so nothing large crosses between processes but the results.
When the walk needs a job that no worker has started, it takes the job back and runs it itself:
the walk never waits for queued work, and the two cores stay busy to the end.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.history import Repository

Job = Callable[..., dict[Hashable, Any]]


@dataclass
class _Task:
    job: Job
    args: tuple[Any, ...]
    keys: tuple[Hashable, ...]
    future: Future[dict[Hashable, Any]] | None


class Ahead:
    """Jobs queued in history order; `take(key)` gives the results of the job holding `key`."""

    def __init__(self, repo: Repository, workers: int) -> None:
        self.repo = repo
        self._pool = (
            ProcessPoolExecutor(
                workers,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_open,
                initargs=(repo.root,),
            )
            if workers > 1
            else None
        )
        self._owner: dict[Hashable, _Task] = {}

    def add(self, job: Job, keys: tuple[Hashable, ...], *args: Any) -> None:
        """Queue `job(repo, *args)`, which answers for `keys`."""
        keys = tuple(k for k in keys if k not in self._owner)
        if not keys:
            return
        future = self._pool.submit(_in_worker, job, *args) if self._pool else None
        task = _Task(job, args, keys, future)
        for key in keys:
            self._owner[key] = task

    def take(self, key: Hashable) -> dict[Hashable, Any]:
        """The results of the job that answers for `key` (empty if none does), once."""
        task = self._owner.get(key)
        if task is None:
            return {}
        if task.future is None or task.future.cancel():
            results = task.job(self.repo, *task.args)
        else:
            results = task.future.result()
        for done in task.keys:
            self._owner.pop(done, None)
        return results

    def close(self) -> None:
        self._owner.clear()
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


_repository: Repository | None = None


def _open(root: Path) -> None:
    global _repository
    _repository = Repository(root)


def _in_worker(job: Job, *args: Any) -> dict[Hashable, Any]:
    assert _repository is not None
    return job(_repository, *args)
