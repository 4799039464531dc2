"""A golden site: the sample content of this repository, built, against the recorded listing.

`UPDATE_GOLDEN=1 make test` rewrites the listing after a deliberate change."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests/golden/site-files.txt"


def test_sample_site_matches_the_golden_listing(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    env = {**os.environ, "LAMAN_LANG": "id"}
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "build", "--now", "2024-11-26 08:00"],
        cwd=clone,
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    site = clone / "output"
    listing = sorted(
        p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and "indeks" not in p.parts
    )
    text = "\n".join(listing) + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(text)
    assert text == GOLDEN.read_text()
    home = (site / "index.html").read_text()
    assert "Informasi serta-merta" in home and "Saumanganyak" in home
    assert "kajian" not in text and "monitoring-coklit" not in text
