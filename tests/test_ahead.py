"""The work-ahead pool: jobs run in worker processes, or here when no worker has them."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from pipeline.ahead import Ahead
from pipeline.history import Repository
from tests.gitrepo import GitRepo


def where(repo: Repository, key: str) -> dict[str, int]:
    """A job that answers with the process it ran in, and reads the repository there."""
    assert repo.head() is not None
    return {key: os.getpid()}


def _repository(tmp_path: Path) -> Repository:
    git = GitRepo(tmp_path / "repo")
    git.write("README.md", "Laman\n")
    git.commit("first", None, sign=False)
    return Repository(git.path)


def test_queued_last_goes_to_a_worker_and_unstarted_work_is_done_here(tmp_path: Path) -> None:
    with _repository(tmp_path) as repo:
        ahead = Ahead(repo)
        for n in range(10):
            ahead.add(where, (f"job{n}",), f"job{n}")
        ahead.start_pool(2)  # four jobs in flight: the four queued last
        try:
            assert ahead.take("job9") != {"job9": os.getpid()}
            assert ahead.take("job0") == {"job0": os.getpid()}
            assert ahead.take("job0") == {}  # answered once
            assert ahead.take("nobody") == {}
        finally:
            ahead.close()


def test_work_of_a_dead_worker_is_done_here(tmp_path: Path) -> None:
    with _repository(tmp_path) as repo:
        ahead = Ahead(repo)
        ahead.start_pool(2)
        ahead.add(where, ("first",), "first")
        assert "first" in ahead.take("first")  # the workers are up
        for process in list(ahead._pool._processes.values()):  # type: ignore[union-attr]
            os.kill(process.pid, signal.SIGKILL)
        time.sleep(0.2)
        try:
            for n in range(6):
                ahead.add(where, (f"job{n}",), f"job{n}")
            assert [ahead.take(f"job{n}") for n in range(6)] == [{f"job{n}": os.getpid()} for n in range(6)]
        finally:
            ahead.close()
