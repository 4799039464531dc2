"""Benchmark the reader count of `laman recap`; prints figures, asserts nothing.

.venv/bin/python bench/recap.py                  # a 1,000,000-line combined log
.venv/bin/python bench/recap.py --lines 200000

Beside `pipeline.recap.readers` it runs the obvious way (a regular expression per line, a date parsed
per line, the bot list matched per line, no cache) and GoAccess on the same file, and measures
peak memory of the reader count at full and at quarter size.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TypeVar
from urllib.parse import unquote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from crawlerdetect.crawlerdetect import get_compiled_crawler_regex, get_compiled_exclusions_regex

from pipeline.recap.readers import read_logs

FIRST, LAST = date(2023, 3, 1), date(2023, 3, 31)
T = TypeVar("T")
BROWSERS = [
    "Mozilla/5.0 (Linux; Android 13; SM-A536E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/{v}.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_{v} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/16.3 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 12; Redmi Note {v}) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/110.0.5481.153 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/40{v}.0.0.27.81;]",
    "Mozilla/5.0 (X11; Linux x86_64; rv:{v}.0) Gecko/20100101 Firefox/{v}.0",
]
BOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "curl/7.88.1",
    "python-requests/2.31.0",
    "Go-http-client/1.1",
    "-",
]
REFERERS = [
    "-",
    "-",
    "https://www.google.com/",
    "https://www.google.co.id/",
    "https://l.facebook.com/",
    "android-app://com.whatsapp/",
    "https://t.co/x1",
    "https://kab-kepulauanmentawai.kpu.example/",
]
STATIC = [
    "/theme/css/style.css",
    "/theme/js/cari.js",
    "/favicon.ico",
    "/images/foto-{n}.jpg",
    "/feeds/semua.atom.xml",
]


def generate(path: Path, lines: int, seed: int = 7) -> None:
    """A month of combined-format lines: readers, assets, bots, errors and a few broken lines."""
    rng = random.Random(seed)
    slugs = [f"naskah-{i:03d}" for i in range(400)]
    agents = [b.format(v=v) for b in BROWSERS for v in range(100, 160)]
    clients = [
        f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}"
        for _ in range(20000)
    ]
    clients += [f"2001:db8:{rng.randrange(65536):x}::{rng.randrange(65536):x}" for _ in range(2000)]
    # A reader is a client with its browser; most come back, so reader-days < views.
    readers = [(rng.choice(clients), rng.choice(agents)) for _ in range(5000)]
    start = datetime(2023, 2, 28, 12, tzinfo=timezone(timedelta(hours=7)))
    span = 33 * 86400
    with path.open("w", encoding="utf-8") as out:
        for n in range(lines):
            when = start + timedelta(seconds=span * n // lines)
            stamp = when.strftime("%d/%b/%Y:%H:%M:%S %z")
            roll = rng.random()
            client, agent = rng.choice(readers)
            referer = rng.choice(REFERERS)
            method, status = "GET", 200
            slug = slugs[int(len(slugs) * rng.random() ** 3)]  # a few articles are read most
            target = f"/{slug}/"
            if roll < 0.001:
                out.write(f'{client} - - [{stamp[:11]} "GET /\n')
                continue
            if roll < 0.2:
                target = rng.choice(STATIC).format(n=rng.randrange(300))
            elif roll < 0.3:
                agent = rng.choice(BOTS)
            elif roll < 0.34:
                status = rng.choice((404, 304, 301))
            elif roll < 0.36:
                method = "HEAD"
            elif roll < 0.45:
                target += f"?utm_source=facebook&fbclid={rng.randrange(10**9)}"
            elif roll < 0.48:
                target = f"/{slug}/index.html"
            elif roll < 0.52:
                target = rng.choice(("/", "/kategori/berita/", "/cari/"))
            out.write(
                f'{client} - - [{stamp}] "{method} {target} HTTP/1.1" {status} 5120 "{referer}" "{agent}"\n'
            )


_LINE = re.compile(r'^(\S+) \S+ \S+ \[([^\]]+)\] "(\S+) (\S+) [^"]*" (\d{3}) \S+ "([^"]*)" "([^"]*)"')
_STATIC = re.compile(r"\.(css|js|ico|jpg|jpeg|png|gif|svg|webp|xml|json|txt|woff2?|map)$")


def obvious(path: Path) -> tuple[int, int]:
    """The way one writes it first: a regex per line, strptime per line, the bot list per line."""
    crawler, exclusions = get_compiled_crawler_regex(), get_compiled_exclusions_regex()
    readers: set[tuple[str, date, str]] = set()
    views = 0
    with path.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            match = _LINE.match(line)
            if not match:
                continue
            client, stamp, method, target, status, _referer, agent = match.groups()
            when = datetime.strptime(stamp, "%d/%b/%Y:%H:%M:%S %z").astimezone(timezone(timedelta(hours=7)))
            if not FIRST <= when.date() <= LAST or method != "GET" or not status.startswith("2"):
                continue
            page = unquote(target.split("?")[0])
            if page.endswith("index.html"):
                page = page[: -len("index.html")]
            if _STATIC.search(page) or page in ("/", "/kategori/berita/", "/cari/"):
                continue
            if agent in ("", "-") or crawler.search(exclusions.sub("", agent)):
                continue
            views += 1
            reader = hashlib.blake2b(f"{client}\0{agent}".encode(), digest_size=8).hexdigest()
            readers.add((page, when.date(), reader))
    return views, len(readers)


def timed(work: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


_PEAK = """
import sys
from datetime import date
from pathlib import Path
from pipeline.recap.readers import read_logs
if len(sys.argv) > 1:
    read_logs([Path(sys.argv[1])], date(2023, 3, 1), date(2023, 3, 31))
status = Path("/proc/self/status").read_text()
print(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
"""


def peak_memory(path: Path | None) -> int:
    """Peak resident memory (bytes) of a fresh process that counts `path` (None: only imports).

    VmHWM, not ru_maxrss: a child inherits its parent's ru_maxrss across fork and exec."""
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, *([str(path)] if path else [])],
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
    )
    return int(done.stdout.strip()) * 1024  # kB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--no-obvious", action="store_true", help="skip the slow baseline")
    parser.add_argument("--sample", type=int, default=100_000, help="lines the obvious way reads")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="laman-bench-recap-"))
    try:
        log = folder / "access.log"
        quarter = folder / "quarter.log"
        generate(log, args.lines)
        generate(quarter, args.lines // 4)
        size = log.stat().st_size
        print(f"log: {args.lines:,} lines, {size / 2**20:.1f} MiB ({folder})")
        ours, counts = timed(lambda: read_logs([log], FIRST, LAST))
        rate = args.lines / ours
        print(f"  laman readers          {ours:8.2f} s  {rate:12,.0f} lines/s")
        print(
            f"    views {counts.views:,}, reader-days {counts.reader_days:,}, bots {counts.bots:,}, "
            f"malformed {counts.malformed:,}"
        )
        if not args.no_obvious:
            # The obvious way reads a few thousand lines a second: time it on a sample.
            sample = folder / "sample.log"
            sample_lines = min(args.lines, args.sample)
            generate(sample, sample_lines)
            slow, _ = timed(lambda: obvious(sample))
            ours_sample, _ = timed(lambda: read_logs([sample], FIRST, LAST))
            print(
                f"  obvious way ({sample_lines:,} lines) {slow:8.2f} s  {sample_lines / slow:12,.0f} lines/s  "
                f"(laman on the same sample {sample_lines / ours_sample:,.0f} lines/s: "
                f"{slow / ours_sample:.0f}x faster)"
            )
        goaccess = shutil.which("goaccess")
        if goaccess:
            out = folder / "goaccess.json"
            command = [
                goaccess,
                str(log),
                "--log-format=COMBINED",
                "-o",
                str(out),
                "--ignore-crawlers",
                "--no-query-string",
                "--no-progress",
                "--no-global-config",
            ]
            spent, done = timed(lambda: subprocess.run(command, capture_output=True, text=True))
            if done.returncode == 0:
                report = json.loads(out.read_text())
                visitors = report.get("general", {}).get("unique_visitors")
                print(
                    f"  goaccess               {spent:8.2f} s  {args.lines / spent:12,.0f} lines/s  "
                    f"(laman/goaccess time {ours / spent:.2f}; goaccess unique visitors {visitors:,})"
                )
            else:
                print(f"  goaccess failed: {done.stderr.strip()[:200]}")
        else:
            print("  goaccess: not installed (make system-deps)")
        base = peak_memory(None)
        full_peak, quarter_peak = peak_memory(log), peak_memory(quarter)
        print(
            f"  peak memory (RSS above the {base / 2**20:.0f} MiB of a bare interpreter): "
            f"full {(full_peak - base) / 2**20:.1f} MiB, quarter {(quarter_peak - base) / 2**20:.1f} MiB"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
