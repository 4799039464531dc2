"""The office's repository on disk: where its policy files and content are."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.model.sop import Sop, load_sop_file
from pipeline.model.team import Team, load_team_file

SOP_FILE = "sop.yml"
TEAM_FILE = "team.yml"
CONTENT_DIR = "content"
# Content folder -> Pelican kind; a page has no date and is not in the news listings.
PAGE_DIRS = ("halaman",)
CATEGORY_DIRS = {"Berita": "berita", "Pengumuman": "pengumuman"}


@dataclass(frozen=True)
class Project:
    root: Path
    sop: Sop
    team: Team

    @property
    def content(self) -> Path:
        return self.root / CONTENT_DIR

    def relative(self, path: Path) -> str:
        """`path` as the repository names it, such as `content/berita/x.md`."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()


def load_project(root: Path) -> Project:
    sop = load_sop_file(root / SOP_FILE)
    return Project(root, sop, load_team_file(root / TEAM_FILE, sop))


def folder_for(category: str) -> str:
    """Where `laman new` puts an article of this category."""
    return CATEGORY_DIRS.get(category, PAGE_DIRS[0])
