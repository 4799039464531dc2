"""Benchmark `laman build` beside a plain `pelican` run on the same articles; figures only.
Also what a reader on a slow link downloads: the home and an article page, and the first search
(in Chromium, as served without compression and as a server that gzips text would send it), for
the sample site of this repository and for each size.

.venv/bin/python bench/build.py                # 1,000 and 5,000 articles
.venv/bin/python bench/build.py --sizes 300    # a quick look
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
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


def page_weights(site: Path, article: str) -> str:
    """The home page and one article page with the stylesheet, in bytes (what a first visit
    loads before any image)."""
    css = sum(p.stat().st_size for p in (site / "tema").rglob("*.css"))
    home = (site / "index.html").stat().st_size + css
    page = (site / article / "index.html").stat().st_size + css
    return f"home {home:,} B, article {page:,} B (HTML + CSS; budgets 100,000 and 50,000)"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def search_transfer(site: Path, words: str) -> str:
    """Bytes the first query fetches for search (the index's files and the page's script), from
    the search page's load to the first results, in Chromium. Pagefind, used before, fetched
    134,541 B for the sample site's first query (9 requests), its own script and WebAssembly
    115 KB of it whatever the site."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fetched: dict[str, bytes] = {}
    try:
        with sync_playwright() as play:
            browser = play.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page()
            page.on("response", lambda r: fetched.__setitem__(r.url, r.body()) if r.ok else None)
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/cari/?q={words}")
            page.wait_for_selector("#cari-hasil li a", timeout=60_000)
            browser.close()
    finally:
        server.shutdown()
    search = {u: b for u, b in fetched.items() if "/cari/indeks/" in u or u.endswith("cari.js")}
    raw = sum(len(b) for b in search.values())
    sent = sum(len(gzip.compress(b)) for b in search.values())  # all of it text a server may gzip
    return f"{raw:,} B as files, {sent:,} B with gzip, {len(search)} requests (goal ≤ 100,000 as files)"


def sample_site(folder: Path) -> Path:
    """This repository's sample site, its publishable articles built as `laman build --local`."""
    repo = folder / "sample"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(repo)], check=True)
    out = repo / "output"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "build",
            "--local",
            "--now",
            "2024-11-26 08:00",
            "--output",
            str(out),
        ],
        cwd=repo,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    args = parser.parse_args()
    laman = [sys.executable, "-m", "pipeline"]
    folder = Path(tempfile.mkdtemp(prefix="laman-bench-sample-"))
    try:
        sample = sample_site(folder)
        print("sample site of this repository")
        print(f"  page weights: {page_weights(sample, 'pemungutan-suara-pemilu-2024-berjalan-lancar')}")
        print(f"  first search ('pemilih'): {search_transfer(sample, 'pemilih')}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for count in args.sizes:
        sized(laman, count)


def sized(laman: list[str], count: int) -> None:
    """One size: the build against plain Pelican, what a reader downloads, and a rebuild."""
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
        print(f"  page weights: {page_weights(folder / 'ours', 'bench-00001')}")
        print(f"  first search ('rapat'): {search_transfer(folder / 'ours', 'rapat')}")
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
