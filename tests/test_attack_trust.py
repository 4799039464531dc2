"""Attacks on what the check trusts, each built with real git and real signatures: the trust
anchor (kept outside the history it judges), YAML nested to crash the loaders, and a policy file
broken by a signed commit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.gitrepo import GitRepo
from tests.office import SOP_TEXT, Keys, Office, article_text, codes, laman, team_yaml


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("LAMAN_LANG", "en")
    monkeypatch.setenv("COLUMNS", "250")


@pytest.fixture
def office(tmp_path: Path, keys: Keys, monkeypatch: pytest.MonkeyPatch) -> Office:
    made = Office(tmp_path, keys, site=True)
    monkeypatch.chdir(made.path)
    return made


def _anchor_at(commit: str | None) -> str:
    return re.sub(r"^trust_anchor:.*$", f"trust_anchor: {commit or 'null'}", SOP_TEXT, flags=re.M)


# ---- the trust anchor ----------------------------------------------------------------------------


def test_a_writer_cannot_move_the_anchor_past_her_own_promotion(office: Office) -> None:
    people = {"pj": ["penanggung_jawab"], "koor": ["koordinator_liputan"], "writer": ["penanggung_jawab"]}
    office.repo.write("team.yml", team_yaml(office.keys, people))
    office.repo.write(office.file("a1"), article_text("a1", "verified"))
    promoted = office.repo.commit("writer in charge", office.keys["writer"])
    office.set_sop(_anchor_at(promoted))
    office.repo.commit("anchor moved on", office.keys["writer"])
    result = office.check()
    assert codes(result) == ["SOP044"]
    assert result.violations[0].args["found"] == promoted
    assert result.violations[0].args["anchor"] == office.legacy
    assert result.publishable == {}
    shown = laman("check", "--no-cache")
    assert shown.exit_code == 1 and "SOP044" in shown.output


def test_a_blanked_anchor_and_a_forged_trailer_change_nothing(office: Office) -> None:
    office.set_sop(_anchor_at(None))
    blanked = office.repo.commit("no anchor", office.keys["writer"])
    office.repo.write(office.file("a1"), article_text("a1", "verified"))
    office.repo.commit("a1", office.keys["writer"])
    office.repo.commit(f"tidy\n\nSOP-Anchor: {office.repo.head()}", office.keys["writer"], allow_empty=True)
    result = office.check()
    assert (result.violations[0].code, result.violations[0].commit) == ("SOP011", blanked)
    assert result.enforced and "a1" not in result.publishable


def test_a_clone_without_the_anchor_fails_closed_and_says_how_to_record_it(office: Office) -> None:
    office.walk("a1")
    office.repo.git("config", "--unset", "laman.anchor")
    result = office.check()
    assert codes(result) == ["SOP043"]
    assert result.violations[0].args["commit"] == office.legacy
    assert result.publishable == {}
    shown = laman("check", "--no-cache")
    assert shown.exit_code == 1
    assert f"git config laman.anchor {office.legacy}" in shown.output
    assert "LAMAN_TRUST_ANCHOR" in shown.output


def test_without_sop_anchor_the_trailer_still_keeps_enforcement_on(office: Office) -> None:
    office.repo.git("config", "--unset", "laman.anchor")
    office.set_sop(_anchor_at(None))
    office.repo.commit("no anchor", office.keys["pj"])
    result = office.check()
    assert codes(result) == ["SOP043"]
    assert result.violations[0].args["commit"] == office.legacy


def test_ci_reads_the_anchor_from_its_variable(
    office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    office.walk("a1")
    clone = GitRepo(tmp_path / "ci")
    clone.git("fetch", "--quiet", str(office.path), "main")
    clone.git("reset", "--quiet", "--hard", "FETCH_HEAD")
    monkeypatch.chdir(clone.path)
    assert laman("check", "--no-cache").exit_code == 1  # no anchor outside: SOP043
    monkeypatch.setenv("LAMAN_TRUST_ANCHOR", office.legacy)
    shown = laman("check", "--no-cache")
    assert shown.exit_code == 0, shown.output
    monkeypatch.setenv("LAMAN_TRUST_ANCHOR", office.repo.head())
    shown = laman("check", "--no-cache")
    assert shown.exit_code == 1 and "SOP044" in shown.output


def test_the_config_and_the_variable_must_agree(office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    office.walk("a1")
    monkeypatch.setenv("LAMAN_TRUST_ANCHOR", office.repo.head())
    result = office.check()
    assert codes(result) == ["SOP044"]
    assert result.violations[0].args["where"] == "git config laman.anchor"


def test_init_keeps_the_anchor_in_git_config(
    tmp_path: Path, keys: Keys, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = Office(tmp_path, keys, anchor=False, site=True)
    office.sign_as("pj")
    monkeypatch.chdir(office.path)
    assert laman("init").exit_code == 0
    written = re.search(r"^trust_anchor: ([0-9a-f]{40})$", (office.path / "sop.yml").read_text(), re.M)
    assert written and office.repo.git("config", "laman.anchor").strip() == written[1]
    assert office.check().enforced and office.check().ok


# ---- YAML nested to crash the loaders ---------------------------------------------------------------

# The tags, and what the check says of the draft: it reads a draft's id and stage alone (which a
# bracket left open on the tags' line stops), and the whole front matter only of what goes live.
DEEP = {
    "lists 500 deep": ("[" * 500 + "pemilu" + "]" * 500, ["SOP015"]),
    "50,000 open brackets": ("[" * 50_000, ["SOP015"]),
    "block lists 500 deep": ("".join(f"\n{'  ' * level}-" for level in range(1, 501)) + " pemilu", []),
}


@pytest.mark.parametrize(("tags", "found"), DEEP.values(), ids=DEEP.keys())
def test_deep_nesting_is_refused_by_every_command(office: Office, tags: str, found: list[str]) -> None:
    office.walk("a1")
    office.repo.write(office.file("a2"), article_text("a2", "planned", tags=tags))
    office.repo.commit("a2", office.keys["pj"])
    validated = laman("validate")
    assert validated.exit_code == 1, validated.output
    assert "content/berita/a2.md:" in validated.output and "YAML010" in validated.output
    result = office.check()
    assert codes(result) == found and all("YAML010" in v.args["detail"] for v in result.violations)
    assert list(result.publishable) == ["a1"]
    assert laman("check", "--no-cache").exit_code == (1 if found else 0)
    assert laman("status").exit_code in (0, 1)
    built = laman("build")
    assert built.exit_code in (0, 1), built.output


def test_a_huge_front_matter_is_refused(office: Office) -> None:
    office.repo.write(office.file("a2"), article_text("a2", "planned", summary="x" * 300_000))
    validated = laman("validate")
    assert validated.exit_code == 1 and "YAML011" in validated.output


# ---- a policy file broken by a signed commit ---------------------------------------------------------


def test_a_broken_team_file_is_named_once(office: Office) -> None:
    office.walk("a1")
    text = team_yaml(office.keys).replace("roles: [penanggung_jawab]", "roles: &pj [penanggung_jawab]")
    office.repo.write("team.yml", text.replace("roles: [koordinator_liputan]", "roles: *pj"))
    broke = office.repo.commit("tim", office.keys["pj"])
    office.repo.write("README.md", "Laman kantor\n")
    office.repo.commit("readme", office.keys["pj"])
    result = office.check()
    assert [(v.code, v.commit, v.file) for v in result.violations] == [("SOP045", broke, "team.yml")]
    assert "YAML004" in result.violations[0].args["detail"]
    shown = laman("check", "--no-cache")
    assert shown.exit_code == 1 and "SOP045" in shown.output and broke[:10] in shown.output
