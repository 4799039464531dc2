"""The work-ahead pool: jobs run in worker processes, or here when no worker has them."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from pipeline.proof.ahead import Ahead
from pipeline.proof.history import Repository
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
            # job0 first: once job9 is done, the workers may be given the rest, job0 too.
            assert ahead.take("job0") == {"job0": os.getpid()}
            assert ahead.take("job9") != {"job9": os.getpid()}
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


def slow_where(repo: Repository, key: str) -> dict[str, int]:
    time.sleep(0.5)
    return where(repo, key)


def test_while_it_waits_the_walk_does_jobs_marked_here_too(tmp_path: Path) -> None:
    with _repository(tmp_path) as repo:
        ahead = Ahead(repo)
        ahead.start_pool(1)
        ahead.add(slow_where, ("slow1",), "slow1")  # the two in flight, for a second
        ahead.add(slow_where, ("slow2",), "slow2")
        ahead.add(where, ("here0",), "here0", here_too=True)
        ahead.add(where, ("plain",), "plain")
        ahead.add(where, ("here1",), "here1", here_too=True)
        try:
            assert ahead.take("slow1") != {"slow1": os.getpid()}
            # While the worker slept, the jobs marked here_too were done here; the other stayed
            # queued for the worker.
            assert all(ahead._owner[k].future and ahead._owner[k].future.done() for k in ("here0", "here1"))
            assert ahead.take("here0") == {"here0": os.getpid()}
            assert ahead.take("here1") == {"here1": os.getpid()}
            assert ahead.take("slow2") != {"slow2": os.getpid()}
            assert ahead.take("plain") != {"plain": os.getpid()}
        finally:
            ahead.close()


def test_workers_take_first_the_jobs_not_marked_here_too(tmp_path: Path) -> None:
    with _repository(tmp_path) as repo:
        ahead = Ahead(repo)
        ahead.add(where, ("here1",), "here1", here_too=True)
        ahead.add(slow_where, ("plain",), "plain")
        ahead.add(where, ("here2",), "here2", here_too=True)
        ahead.start_pool(1)  # two in flight: "plain" first, though queued before "here2"
        try:
            assert [t.keys for t in ahead._waiting] == [("here1",)]
            assert ahead.take("plain") != {"plain": os.getpid()}
            assert ahead.take("here1") == {"here1": os.getpid()}  # done here, while it waited
            assert "here2" in ahead.take("here2")
        finally:
            ahead.close()
