"""`make demo` runs from start to end, and shows what it promises."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_demo_tour_runs() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts/demo.py")], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "submitted → drafted oleh Maria Sababalat" in out
    assert "submitted → verified oleh Maria Sababalat" in out
    assert (
        "SOP004 Rina Sakerebau (Tim Peliputan) tidak berwenang memindahkan naskah `submitted` → `verified`."
        in out
    )
    assert "SOP001 Commit tidak ditandatangani" in out
    assert "Situs dibangun: 1 naskah" in out
