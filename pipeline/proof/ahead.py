"""Work done ahead of a walk through history, in other processes, in the order the walk needs it.

Each job is a module-level function of a `Repository` and its arguments that returns results by
key (commit or blob id). Worker processes open the repository themselves and read what they need
through their own `git cat-file`, so nothing large crosses between processes but the results.
When the walk needs a job that no worker has started, it takes the job back and runs it itself:
the walk never waits for queued work. While it waits for a worker, it does the next queued job
marked `here_too` itself: one whose results cost about as much to send as to make.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.proof.history import Repository

Job = Callable[..., dict[Hashable, Any]]


@dataclass(eq=False)  # tasks are told apart by identity
class _Task:
    job: Job
    args: tuple[Any, ...]
    keys: tuple[Hashable, ...]
    future: Future[dict[Hashable, Any]] | None
    here_too: bool = False


class Ahead:
    """Jobs queued as the history streams in (newest first); `take(key)` gives the results of
    the job holding `key`. Workers take the job queued last, the oldest history seen so far, so
    that once the stream ends they work in the walk's order, just ahead of it."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self._pool: ProcessPoolExecutor | None = None
        self._in_flight = 0
        self._owner: dict[Hashable, _Task] = {}
        self._waiting: list[_Task] = []
        self._running: list[_Task] = []

    def start_pool(self, workers: int) -> None:
        """From now on jobs go to `workers` processes, those queued so far too."""
        if self._pool is not None:
            return
        self._pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_open,
            initargs=(self.repo.root,),
        )
        self._in_flight = 2 * workers  # each worker has the next job at hand
        self._pump()

    def add(self, job: Job, keys: tuple[Hashable, ...], *args: Any, here_too: bool = False) -> None:
        """Queue `job(repo, *args)`, which answers for `keys`; with `here_too`, the walk may do
        it while it waits for another."""
        keys = tuple(k for k in keys if k not in self._owner)
        if not keys:
            return
        task = _Task(job, args, keys, None, here_too)
        for key in keys:
            self._owner[key] = task
        self._waiting.append(task)
        self._pump()

    def take(self, key: Hashable) -> dict[Hashable, Any]:
        """The results of the job that answers for `key` (empty if none does), once."""
        task = self._owner.get(key)
        if task is None:
            return {}
        for done in task.keys:
            self._owner.pop(done, None)
        if task.future is None:  # no worker has it: do it here rather than wait
            self._waiting.remove(task)
            self._pump()
            return task.job(self.repo, *task.args)
        # While it waits, it keeps the other workers supplied, and does what it may itself.
        while not task.future.done():
            if not self._do_one_here():
                wait([task.future], timeout=0.005)
            self._pump()
        try:
            results = task.future.result()
        except Exception:  # a worker that died (or a job that fails: it fails again here, loudly)
            results = task.job(self.repo, *task.args)
        self._pump()
        return results

    def _do_one_here(self) -> bool:
        """Do the next queued job marked `here_too` in this process, if there is one."""
        for task in reversed(self._waiting):
            if task.here_too:
                self._waiting.remove(task)
                task.future = Future()
                task.future.set_result(task.job(self.repo, *task.args))
                return True
        return False

    def _pump(self) -> None:
        """Keep the workers supplied, the job queued last first; first of all with those the
        walk cannot do as cheaply itself, so that the others are left for it while it waits."""
        if self._pool is None:
            return
        self._running = [t for t in self._running if t.future is not None and not t.future.done()]
        while self._waiting and len(self._running) < self._in_flight:
            task = next((t for t in reversed(self._waiting) if not t.here_too), self._waiting[-1])
            try:
                task.future = self._pool.submit(_in_worker, task.job, *task.args)
            except BrokenProcessPool:  # the rest is done here, as without a pool
                self._pool = None
                return
            self._waiting.remove(task)
            self._running.append(task)

    def close(self) -> None:
        self._owner.clear()
        self._waiting.clear()
        self._running.clear()
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


_repository: Repository | None = None


def _open(root: Path) -> None:
    global _repository
    # A worker's results are freed by reference counting; the cyclic collector would only scan,
    # and touch every page of, what the walk had made before the fork.
    gc.disable()
    # The walk and git's log are the path everything waits on; a worker takes the CPU they
    # leave (measured: the cores idle a tenth less of the time, where the walk caught up).
    os.nice(10)
    _repository = Repository(root)


def _in_worker(job: Job, *args: Any) -> dict[Hashable, Any]:
    assert _repository is not None
    return job(_repository, *args)
