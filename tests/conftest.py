from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pipeline.model.sop import Sop, load_sop_file
from tests.office import Keys, make_keys

if TYPE_CHECKING:
    from pipeline.model.team import Team

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    """Real SSH keys for the sample office's people, made once per test run."""
    return make_keys(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="session")
def sop() -> Sop:
    return load_sop_file(ROOT / "sop.yml")


@pytest.fixture(scope="session")
def team(sop: Sop) -> Team:
    from pipeline.model.team import load_team_file

    return load_team_file(ROOT / "team.yml", sop)
