"""Benchmark the Ruang Redaksi on a 1,000-article office with 50 article branches: the board's
load (first, again, and after a branch moved) and the live preview of an edit (p50/p95), beside
`laman build` and `laman preview` of the same article; figures only.

.venv/bin/python bench/redaksi.py                    # 1,000 articles, 50 branches
.venv/bin/python bench/redaksi.py --articles 300     # a quick look
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.build import make_office
from pipeline.redaksi.server import Running

GIT = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.invalid", "-c", "commit.gpgSign=false"]


def branches(repo: Path, count: int) -> None:
    """`count` articles each on its own `naskah/` branch, sent back to drafting there."""
    for index in range(count):
        name = f"bench-{index:05d}"
        path = repo / "content" / "berita" / f"{name}.md"
        subprocess.run([*GIT, "-C", str(repo), "switch", "-q", "-c", f"naskah/{name}", "main"], check=True)
        path.write_text(path.read_text().replace("stage: verified", "stage: drafted"))
        subprocess.run([*GIT, "-C", str(repo), "commit", "-q", "-am", f"{name}: drafted"], check=True)
    subprocess.run([*GIT, "-C", str(repo), "switch", "-q", "main"], check=True)


def percentiles(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   (n={len(ordered)})"


class Client:
    def __init__(self, running: Running) -> None:
        self.host = f"127.0.0.1:{running.port}"
        self.cookie = f"laman_redaksi={running.guard.token}"
        self.csrf = hmac.new(running.guard.token.encode(), b"csrf", hashlib.sha256).hexdigest()

    def timed(self, method: str, path: str, form: dict[str, str] | None = None) -> float:
        connection = http.client.HTTPConnection(self.host, timeout=600)
        headers = {"Host": self.host, "Cookie": self.cookie}
        body = None
        if form is not None:
            body = urllib.parse.urlencode({"csrf": self.csrf, **form})
            headers |= {"Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://{self.host}"}
        start = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        elapsed = time.perf_counter() - start
        connection.close()
        assert response.status == 200, response.status
        return elapsed


def command(repo: Path, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=repo, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--branches", type=int, default=50)
    parser.add_argument("--runs", type=int, default=40, help="previews timed")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="laman-bench-redaksi-"))
    try:
        repo = make_office(folder, args.articles)
        branches(repo, args.branches)
        remote = folder / "remote.git"
        subprocess.run(["git", "clone", "-q", "--bare", str(repo), str(remote)], check=True)
        subprocess.run(["git", "-C", str(repo), "remote", "add", "origin", str(remote)], check=True)
        print(f"{args.articles:,} articles on main, {args.branches} naskah/* branches, a bare remote")
        running = Running(repo).start()
        client = Client(running)
        try:
            print(f"  board, first load (every article read):     {client.timed('GET', '/') * 1000:9.1f} ms")
            again = [client.timed("GET", "/") for _ in range(10)]
            print(f"  board, again (fetch, nothing moved):        {percentiles(again)}")
            moved = []
            for index in range(5):
                subprocess.run([*GIT, "-C", str(repo), "switch", "-q", "naskah/bench-00000"], check=True)
                path = repo / "content" / "berita" / "bench-00000.md"
                path.write_text(path.read_text() + f"\nTambahan {index}.\n")
                subprocess.run([*GIT, "-C", str(repo), "commit", "-q", "-am", "suntingan"], check=True)
                moved.append(client.timed("GET", "/"))
            print(f"  board, after a branch moved:                {percentiles(moved)}")
            body = (repo / "content" / "berita" / "bench-00001.md").read_text().split("\n---\n", 1)[1]
            ident = next(
                line.split(": ", 1)[1]
                for line in (repo / "content" / "berita" / "bench-00001.md").read_text().splitlines()
                if line.startswith("id: ")
            )
            previews = [
                client.timed("POST", f"/pratinjau/{ident}", {"body": body + f"\nSuntingan {n}.\n"})
                for n in range(args.runs)
            ]
            print(
                f"  live preview of an edit:                    {percentiles(previews)}  (goal: p95 < 300 ms)"
            )
        finally:
            running.stop()
        subprocess.run([*GIT, "-C", str(repo), "switch", "-q", "main"], check=True)
        built = command(repo, "build", "--local", "--output", str(folder / "site"))
        print(f"  laman build of the same site:               {built * 1000:9.1f} ms")
        draft = repo / "content" / "berita" / "bench-00001.md"
        draft.write_text(draft.read_text() + "\nSuntingan pratinjau.\n")
        shown = command(repo, "preview", str(draft.relative_to(repo)))
        print(f"  laman preview of the edited article:        {shown * 1000:9.1f} ms")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
