"""The stock repository's sample news, named in `samples.txt` at the root, so that a new office
is told what is sample and can remove it before `laman init` (never put on a real site by
accident).

The list lives outside `content/` on purpose: the check refuses any hidden or unknown file under
`content/`, and a front-matter flag would be published with the article. A root file that is
neither site code nor content is, to `sop.yml`'s `files:`, OTHER: the check and the site ignore it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

SAMPLES_FILE = "samples.txt"


def parse(text: str) -> tuple[str, ...]:
    """The paths listed, one a line; `#` starts a comment, blank lines are skipped."""
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return tuple(line for line in lines if line)


def listed(root: Path) -> tuple[str, ...]:
    """The sample files `samples.txt` names (none when the office has removed it)."""
    found = root / SAMPLES_FILE
    return parse(found.read_text("utf-8")) if found.is_file() else ()


def present(root: Path, files: Iterable[str]) -> tuple[str, ...]:
    """Of `files` (paths in the repository), those that are sample content, in order."""
    names = set(listed(root))
    return tuple(sorted(f for f in files if f in names))
