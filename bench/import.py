"""Benchmark `laman import wordpress` on a generated export of 5,000 posts, beside the obvious
floor: markdownify alone over the same 5,000 bodies (what any importer must at least spend).
Figures only.

.venv/bin/python bench/import.py               # 5,000 posts
.venv/bin/python bench/import.py --posts 500   # a quick look
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.synthetic import ROOT

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Bench</title><link>https://lama.example</link>
<wp:base_site_url>https://lama.example</wp:base_site_url>
<wp:author><wp:author_login>admin</wp:author_login><wp:author_email>admin@lama.example</wp:author_email>
<wp:author_display_name>Admin</wp:author_display_name></wp:author>
"""


def body(n: int) -> str:
    """A news post as WordPress's block editor stores one: paragraphs, a heading, a captioned
    photo, a list and a table (about 2 KB)."""
    return (
        f"<!-- wp:paragraph --><p>KPU Kabupaten Kepulauan Mentawai menggelar rapat ke-{n} di Tuapejat. "
        "Rapat membahas <strong>daftar pemilih</strong> dan distribusi logistik ke pulau-pulau.</p>"
        "<!-- /wp:paragraph -->\n\n<!-- wp:heading --><h2>Hasil rapat</h2><!-- /wp:heading -->\n\n"
        f'[caption id="attachment_{n}" width="800"]<img src="https://lama.example/wp-content/uploads/2023/03/foto-{n}.jpg" '
        'alt="" /> Suasana rapat di aula kantor.[/caption]\n\n'
        + "<p>Peserta rapat sepakat mempercepat pengiriman logistik sebelum gelombang tinggi.</p>\n\n"
        * 6
        + "<ul><li>Siberut Selatan: 12 TPS</li><li>Sikakap: 9 TPS</li><li>Pagai Utara: 7 TPS</li></ul>\n\n"
        "<table><tr><th>Kecamatan</th><th>Pemilih</th></tr><tr><td>Sipora Utara</td><td>12.345</td></tr>"
        "<tr><td>Sikakap</td><td>8.765</td></tr></table>"
    )


def export(count: int) -> str:
    items = []
    for n in range(1, count + 1):
        items.append(
            f"<item><title>Rapat koordinasi ke-{n}</title><link>https://lama.example/?p={n}</link>"
            f"<dc:creator>admin</dc:creator><content:encoded><![CDATA[{body(n)}]]></content:encoded>"
            f"<excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>{n}</wp:post_id>"
            f"<wp:post_date_gmt>2023-03-{1 + n % 28:02d} 03:00:00</wp:post_date_gmt>"
            f"<wp:post_name>rapat-koordinasi-ke-{n}</wp:post_name><wp:status>publish</wp:status>"
            '<wp:post_type>post</wp:post_type><category domain="category" nicename="berita">Berita</category>'
            "</item>\n"
        )
    return HEAD + "".join(items) + "</channel></rss>\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=5000)
    count = parser.parse_args().posts
    from markdownify import markdownify

    from pipeline.app.importer import import_wordpress

    with tempfile.TemporaryDirectory(prefix="laman-bench-import-") as work:
        repo = Path(work) / "repo"
        repo.mkdir()
        for name in ("sop.yml", "team.yml"):
            shutil.copy(ROOT / name, repo / name)
        subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
        source = Path(work) / "export.xml"
        source.write_text(export(count), "utf-8")
        bodies = [body(n) for n in range(1, count + 1)]
        # CPU time for the ratio: the machine may be shared, and waiting for it is nobody's cost.
        start, cpu = time.perf_counter(), time.process_time()
        for text in bodies:
            markdownify(text)
        floor, floor_cpu = time.perf_counter() - start, time.process_time() - cpu
        start, cpu = time.perf_counter(), time.process_time()
        done = import_wordpress(
            repo, source, media_dir=None, since=None, sections_file=None, today=date(2026, 1, 1)
        )
        took, took_cpu = time.perf_counter() - start, time.process_time() - cpu
        written = sum(1 for r in done.rows if r.path)
        size = source.stat().st_size / 1e6
    print(f"import of {count:,} posts ({size:.1f} MB export, {written:,} articles written)")
    print(f"  {took:.2f} s ({took_cpu:.2f} s CPU): {took_cpu / count * 1000:.2f} ms CPU per post")
    print(f"floor, markdownify alone over the same bodies: {floor:.2f} s ({floor_cpu:.2f} s CPU)")
    print(f"  {floor_cpu / count * 1000:.2f} ms CPU per post")
    print(f"ratio: {took_cpu / floor_cpu:.2f}x the floor (CPU time)")


if __name__ == "__main__":
    main()
