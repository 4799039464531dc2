"""Benchmark `laman check` on a synthetic office history; prints figures, asserts nothing.

.venv/bin/python bench/check.py                 # 5,000 articles, 50,000 commits
.venv/bin/python bench/check.py --small         # 500 articles, 5,000 commits
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import git

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.synthetic import add_commit, build
from pipeline.proof.check import CACHE_DIR, run_check


def timed(label: str, work: object) -> tuple[float, object]:
    start = time.perf_counter()
    result = work()  # type: ignore[operator]
    elapsed = time.perf_counter() - start
    print(f"  {label:<48} {elapsed:8.2f} s")
    return elapsed, result


_SPIN = [sys.executable, "-c", "sum(range(30_000_000))"]


def _run_command(command: list[str], repo_path: Path) -> None:
    """`laman check` as a person runs it: exit 1 is its verdict on the history's unsigned bot
    commits (every commit on main must be signed), not a failure of the benchmark."""
    done = subprocess.run(command, cwd=repo_path, stdout=subprocess.DEVNULL)
    if done.returncode not in (0, 1):
        raise subprocess.CalledProcessError(done.returncode, command)


def second_core_slowdown() -> float:
    """How much longer two busy processes take at once than one alone: the floor uses one core,
    the check two, so the ratio between them moves with this (1.0: two free cores)."""
    start = time.perf_counter()
    subprocess.run(_SPIN, check=True)
    alone = time.perf_counter() - start
    start = time.perf_counter()
    pair = [subprocess.Popen(_SPIN) for _ in range(2)]
    for process in pair:
        process.wait()
    return (time.perf_counter() - start) / alone


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--commits", type=int, default=50000)
    parser.add_argument("--small", action="store_true", help="500 articles, 5,000 commits")
    parser.add_argument("--sample", type=int, default=10, help="articles walked the obvious way")
    parser.add_argument(
        "--runs", type=int, default=5, help="runs of the floor and the cold check, each after its floor"
    )
    args = parser.parse_args()
    if args.small:
        args.articles, args.commits = 500, 5000
    folder = Path(tempfile.mkdtemp(prefix="laman-bench-check-"))
    repo_path = folder / "repo"
    try:
        print(f"Synthetic history: {args.articles:,} articles, {args.commits:,} commits")
        _, facts = timed(
            "build the repository (objects written in-process)",
            lambda: build(repo_path, args.articles, args.commits),
        )
        print(
            f"  {facts['commits']:,} commits, {facts['articles']:,} articles, {facts['signed']:,} SSH-signed"
        )
        log = [
            *("git", "-C", str(repo_path), "log"),
            *("--raw", "-z", "--no-renames", "--no-abbrev", "--format=%H"),
        ]

        def cold_check() -> object:
            shutil.rmtree(repo_path / CACHE_DIR, ignore_errors=True)
            return run_check(repo_path, use_cache=True)

        # Each cold check right after its floor: a machine whose speed drifts from minute to
        # minute gives each ratio both of its figures at the same speed. The floor, a fifth as
        # long, jumps by a third from one run to the next here: each is the middle of three.
        floors, colds = [], []
        for run in range(1, args.runs + 1):
            three = sorted(
                timed(
                    f"floor: git log --raw -z --no-renames --no-abbrev ({run}/{args.runs})",
                    lambda: subprocess.run(log, check=True, stdout=subprocess.DEVNULL),
                )[0]
                for _ in range(3)
            )
            floors.append(three[1])
            colds.append(timed(f"laman check, cold (no cache) ({run}/{args.runs})", cold_check))
        slowdown = second_core_slowdown()
        floor = min(floors)
        ratios = sorted(c / f for (c, _), f in zip(colds, floors, strict=True))
        cold, result = min(colds, key=lambda pair: pair[0])
        print(
            f"  judged {result.judged:,} commits, {len(result.violations)} violations, {len(result.publishable):,} publishable"
        )
        # The command as a person runs it: Python's start-up, the imports and the printed report too.
        command = [sys.executable, "-m", "pipeline", "check"]
        shutil.rmtree(repo_path / CACHE_DIR, ignore_errors=True)
        whole, _ = timed(
            "laman check as a command, cold (with start-up)",
            lambda: _run_command(command, repo_path),
        )
        warm_same, _ = timed("laman check, warm (nothing new)", lambda: run_check(repo_path))
        add_commit(repo_path, facts["signers"]["pj"], "pj")
        warm, again = timed("laman check, warm after one new commit", lambda: run_check(repo_path))
        print(f"  judged {again.judged} new commit(s), {len(again.violations)} violations")
        repo = git.Repo(repo_path)
        sample = [
            f"content/berita/{i // 50:03d}/bench-{i:05d}.md"
            for i in range(0, facts["articles"], max(1, facts["articles"] // args.sample))
        ][: args.sample]
        per, _ = timed(
            f"obvious: GitPython iter_commits(paths=…) on {len(sample)} articles",
            lambda: [list(repo.iter_commits("main", paths=p)) for p in sample],
        )
        obvious = per / len(sample) * facts["articles"]
        print()
        print(f"  obvious walk, extrapolated to {facts['articles']:,} articles: {obvious:,.1f} s")
        print(f"  best floor, best cold check:   {floor:6.2f} s, {cold:.2f} s")
        print(f"  best cold / best floor:        {cold / floor:6.2f}x")
        print(f"  each run's cold / its floor:   {', '.join(f'{r:.2f}x' for r in ratios)}")
        print(f"  cold check / floor, median:    {ratios[len(ratios) // 2]:6.2f}x   (target ≤ 5)")
        print(
            f"  two busy processes against one: {slowdown:5.2f}x   (this machine then; 1.00 is two free cores)"
        )
        print(f"  the command, cold / floor:     {whole / floor:6.2f}x   (start-up and report included)")
        print(f"  obvious walk / cold check:     {obvious / cold:6.1f}x   (target ≥ 50)")
        print(f"  warm after one commit:         {warm:6.2f} s   (target < 1 s)")
        print(f"  warm with nothing new:         {warm_same:6.2f} s")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
