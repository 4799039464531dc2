"""Benchmark `laman build` beside a plain `pelican` run on the same articles; figures only.

.venv/bin/python bench/build.py                # 1,000 and 5,000 articles
.venv/bin/python bench/build.py --sizes 300    # a quick look
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.synthetic import ROOT, article


def make_office(folder: Path, count: int) -> Path:
    """A repository at the template's stage (no trust anchor) holding `count` verified articles."""
    repo = folder / "repo"
    repo.mkdir()
    for name in ("sop.yml", "team.yml", "pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, repo / name)
    shutil.copytree(ROOT / "theme", repo / "theme")
    berita = repo / "content/berita"
    berita.mkdir(parents=True)
    for index in range(count):
        text = (
            article(index, "verified", 0)
            .decode()
            .replace("assignee: writer@kpu.example\n", "assignee: rina@kpu-mentawai.example\n")
        )
        (berita / f"bench-{index:05d}.md").write_text(text)
    env = ["-c", "user.name=Bench", "-c", "user.email=bench@example.invalid", "-c", "commit.gpgSign=false"]
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    subprocess.run(["git", *env, "-C", str(repo), "add", "-A"], check=True)
    subprocess.run(["git", *env, "-C", str(repo), "commit", "-q", "-m", "bench"], check=True)
    return repo


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    args = parser.parse_args()
    laman = [sys.executable, "-m", "pipeline"]
    for count in args.sizes:
        folder = Path(tempfile.mkdtemp(prefix="laman-bench-build-"))
        try:
            repo = make_office(folder, count)
            print(f"{count:,} verified articles")
            ours = timed([*laman, "build", "--local", "--output", str(folder / "ours")], repo)
            plain = timed(
                [
                    sys.executable,
                    "-m",
                    "pelican",
                    "content",
                    "-s",
                    "pelicanconf.py",
                    "-o",
                    str(folder / "plain"),
                    "-q",
                ],
                repo,
            )
            print(f"  laman build (check + export + Pelican + search index): {ours:7.2f} s")
            print(f"  plain pelican on the same files:                       {plain:7.2f} s")
            print(
                f"  overhead ratio:                                         {ours / plain:7.2f}x  (target ≤ 1.10)"
            )
            path = repo / "content/berita/bench-00000.md"
            path.write_text(path.read_text().replace("suntingan 0", "suntingan 1"))
            subprocess.run(
                [
                    "git",
                    "-C",
                    str(repo),
                    "-c",
                    "user.name=B",
                    "-c",
                    "user.email=b@x.invalid",
                    "commit",
                    "-qam",
                    "edit",
                ],
                check=True,
            )
            again = timed([*laman, "build", "--local", "--output", str(folder / "ours")], repo)
            print(
                f"  rebuild after one article changed:                     {again:7.2f} s  ({ours / again:.2f}x faster than the first; target ≥ 3)"
            )
        finally:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
