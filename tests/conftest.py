from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pipeline.sop import Sop, load_sop_file

if TYPE_CHECKING:
    from pipeline.team import Team

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def sop() -> Sop:
    return load_sop_file(ROOT / "sop.yml")


@pytest.fixture(scope="session")
def team(sop: Sop) -> Team:
    from pipeline.team import load_team_file

    return load_team_file(ROOT / "team.yml", sop)
