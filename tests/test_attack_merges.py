"""Merges judged against their base: a branch's approval counts only if main left the article as
it stood when the branch forked. Each attack built with real git and real signatures."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.office import STEP_BY, Keys, Office, article_text, codes, team_yaml

UNSIGNED = ("-c", "commit.gpgSign=false")


@pytest.fixture
def office(tmp_path: Path, keys: Keys) -> Office:
    return Office(tmp_path, keys)


def _fork(office: Office) -> None:
    """A branch with work of its own (a new article), main switched back to."""
    office.repo.git("switch", "-q", "-c", "naskah/lain")
    office.create("a2")
    office.repo.git("switch", "-q", "main")


def _merge_taking_branch(office: Office, ident: str, by: str | None) -> str:
    """Merge naskah/lain into main, the article resolved to the branch's version."""
    office.repo.git(*UNSIGNED, "merge", "-q", "--no-ff", "--no-commit", "-X", "theirs", "naskah/lain")
    office.repo.git("checkout", "naskah/lain", "--", office.file(ident))
    who = office.keys[by] if by else None
    return office.repo.commit("Merge naskah/lain", who, sign=by is not None)


def test_unsigned_merge_brings_back_a_withdrawn_article(office: Office) -> None:
    office.walk("a1")
    _fork(office)
    office.write("a1", "withdrawn", "pj", withdrawal="Data keliru")
    merge = _merge_taking_branch(office, "a1", None)
    result = office.check()
    assert codes(result) == ["SOP030", "SOP001"]  # refused, and unsigned besides
    refused = result.violations[0]
    assert (refused.commit, refused.file) == (merge, office.file("a1"))
    assert "a1" not in result.publishable
    assert "main" in refused.fix("en")


def test_signed_merge_brings_back_an_older_verified_version(office: Office) -> None:
    office.walk("a1", to="submitted")
    office.repo.git("switch", "-q", "-c", "naskah/lain")
    office.write("a1", "verified", "koor")  # v1, verified on the branch
    office.repo.git("switch", "-q", "main")
    # On main the verifier sends it back; it is rewritten and verified again (v2).
    revised = {"revision": "Perbaiki angka", "body": "Isi naskah yang direvisi.\n"}
    office.write("a1", "drafted", "koor", revision="Perbaiki angka")
    for stage in ("drafted", "corrected", "submitted", "verified"):
        office.write("a1", stage, STEP_BY[stage], **revised)
    verified = office.check().publishable["a1"].blob  # v2
    _merge_taking_branch(office, "a1", "pj")
    result = office.check()
    assert codes(result) == ["SOP030"]
    # Held: v2 stays live, the approval brought back is not published.
    assert result.publishable["a1"].blob == verified and list(result.held) == ["a1"]


def test_merge_taking_the_fork_version_over_main_verification(office: Office) -> None:
    # At the fork a1 was submitted; main verified it; the merge puts the submitted text back.
    office.walk("a1", to="submitted")
    _fork(office)
    office.write("a1", "verified", "koor")
    verified = office.check().publishable["a1"].blob
    _merge_taking_branch(office, "a1", None)
    result = office.check()
    # Not an approval brought back (the branch's copy was never approved): the unsigned signer's
    # own move from verified back to submitted, which holds the article at its verified text.
    assert "SOP030" not in codes(result)
    assert codes(result)
    assert result.publishable["a1"].blob == verified and "a1" in result.held


def test_unsigned_merge_brings_back_an_old_team(office: Office, keys: Keys) -> None:
    _fork(office)
    people = {"pj": ["penanggung_jawab"], "koor": ["koordinator_liputan"]}
    office.repo.write("team.yml", team_yaml(keys, people))
    office.repo.commit("team: fewer people", keys["pj"])
    office.repo.git(*UNSIGNED, "merge", "-q", "--no-ff", "--no-commit", "naskah/lain")
    office.repo.git("checkout", "naskah/lain", "--", "team.yml")
    office.repo.commit("Merge naskah/lain", None, sign=False)
    assert codes(office.check()) == ["SOP011"]


def test_conflict_taken_from_the_branch_is_the_signers_edit(office: Office) -> None:
    # Both sides edited a draft; the writer, whose stage it is, resolves to the branch's text.
    office.walk("a1", to="drafted")
    office.repo.git("switch", "-q", "-c", "naskah/lain")
    office.write("a1", "drafted", "writer", body="Versi cabang.\n")
    office.repo.git("switch", "-q", "main")
    office.write("a1", "drafted", "writer", body="Versi main.\n")
    _merge_taking_branch(office, "a1", "writer")
    assert codes(office.check()) == []


def test_conflict_taken_by_an_unsigned_merge(office: Office) -> None:
    office.walk("a1", to="drafted")
    office.repo.git("switch", "-q", "-c", "naskah/lain")
    office.write("a1", "drafted", "writer", body="Versi cabang.\n")
    office.repo.git("switch", "-q", "main")
    office.write("a1", "drafted", "writer", body="Versi main.\n")
    _merge_taking_branch(office, "a1", None)
    assert codes(office.check()) == ["SOP001"]


def test_pull_request_merge_of_a_verified_article(office: Office) -> None:
    # A pull request merged while main moved other articles (every commit on main is signed: by
    # the forge's key through its merge button, here by the penanggung jawab's).
    office.walk("a1", to="submitted")
    office.repo.git("switch", "-q", "-c", "naskah/a1")
    office.write("a1", "verified", "koor")
    office.repo.git("switch", "-q", "main")
    office.walk("a3", to="assigned")
    office.merge_signed("naskah/a1")
    result = office.check()
    assert codes(result) == []
    assert sorted(result.publishable) == ["a1"]


def test_branch_that_took_main_in_first(office: Office) -> None:
    # The honest way after main withdrew the article: the branch merges main, then is merged.
    office.walk("a1")
    _fork(office)
    office.write("a1", "withdrawn", "pj", withdrawal="Data keliru")
    office.repo.git("switch", "-q", "naskah/lain")
    office.merge_signed("main", by="writer")
    office.repo.git("switch", "-q", "main")
    office.merge_signed("naskah/lain")
    result = office.check()
    assert codes(result) == []
    assert "a1" not in result.publishable


def test_article_text_of_the_branch_is_unchanged_by_the_refusal(office: Office) -> None:
    office.walk("a1")
    _fork(office)
    office.write("a1", "withdrawn", "pj", withdrawal="Data keliru")
    _merge_taking_branch(office, "a1", "pj")
    assert office.path.joinpath(office.file("a1")).read_text() == article_text("a1", "verified")
    assert codes(office.check()) == ["SOP030"]
