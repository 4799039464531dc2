"""`laman check` against real repositories with real SSH signatures: one test per attack or case."""

from __future__ import annotations

import copy
import hashlib
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.errors import LamanError
from pipeline.model import schemas
from pipeline.proof.check import run_check
from pipeline.proof.gitlog import parse_log
from pipeline.proof.history import Repository
from pipeline.proof.reader import parents_first
from pipeline.proof.walk import Checker
from tests.gitrepo import GitRepo, make_identity
from tests.office import (
    FLOW,
    ROLES,
    SOP_TEXT,
    STEP_BY,
    Keys,
    Office,
    article_text,
    codes,
    team_yaml,
)


@pytest.fixture
def office(tmp_path: Path, keys: Keys) -> Office:
    return Office(tmp_path, keys)


def test_the_whole_flow_is_accepted_and_publishable(office: Office) -> None:
    office.walk("a1")
    result = office.check()
    assert codes(result) == []
    assert result.enforced
    assert list(result.publishable) == ["a1"]
    assert result.publishable["a1"].path == "content/berita/a1.md"
    blob = office.repo.git("rev-parse", "HEAD:content/berita/a1.md").strip()
    assert result.publishable["a1"].blob == blob


def test_sent_back_for_revision_then_verified(office: Office) -> None:
    office.walk("a1", to="submitted")
    office.write("a1", "drafted", "koor", revision="Perbaiki angka DPT")
    office.write("a1", "corrected", "pasca", revision="Perbaiki angka DPT", body="Angka diperbaiki.\n")
    office.write("a1", "submitted", "redaktur", revision="Perbaiki angka DPT", body="Angka diperbaiki.\n")
    office.write("a1", "verified", "koor", revision="Perbaiki angka DPT", body="Angka diperbaiki.\n")
    result = office.check()
    assert codes(result) == []
    assert list(result.publishable) == ["a1"]


def test_unsigned_transition(office: Office) -> None:
    office.walk("a1", to="submitted")
    office.write("a1", "verified", "koor", sign=False)
    result = office.check()
    assert codes(result) == ["SOP001"]
    assert result.violations[0].args["status"] == "N"
    assert result.publishable == {}


def test_attacker_key_with_spoofed_author_email(office: Office, keys: Keys, tmp_path: Path) -> None:
    office.walk("a1", to="submitted")
    office.repo.write(office.file("a1"), article_text("a1", "verified"))
    office.repo.commit("verify", keys["attacker"], author=(keys["koor"].name, keys["koor"].email))
    result = office.check()
    assert codes(result) == ["SOP001"]
    assert result.violations[0].args["status"] == "U"
    assert result.publishable == {}


def test_writer_key_with_verifier_email(office: Office, keys: Keys) -> None:
    office.walk("a1", to="submitted")
    office.repo.write(office.file("a1"), article_text("a1", "verified"))
    office.repo.commit("verify", keys["writer"], author=(keys["koor"].name, keys["koor"].email))
    result = office.check()
    assert codes(result) == ["SOP004", "SOP006"]
    assert result.publishable == {}


def test_tampered_commit(office: Office) -> None:
    office.walk("a1", to="submitted")
    signed = office.write("a1", "verified", "koor")
    raw = office.repo.raw_commit(signed).replace(b"a1: verified", b"a1: verifiEd")
    forged = office.repo.git("hash-object", "-t", "commit", "-w", "--stdin", input=raw).strip()
    office.repo.git("update-ref", "refs/heads/main", forged)
    result = office.check()
    assert codes(result) == ["SOP002"]
    assert result.publishable == {}


def test_self_verification(office: Office, keys: Keys) -> None:
    office.repo.write(
        "team.yml", team_yaml(keys, {**_roles(), "pasca": ["tim_pasca_produksi", "koordinator_liputan"]})
    )
    office.repo.commit("pasca also verifies", keys["pj"])
    office.walk("a1", to="corrected")
    office.write("a1", "submitted", "redaktur")
    office.write("a1", "verified", "pasca")
    result = office.check()
    assert codes(result) == ["SOP006"]
    assert result.publishable == {}


def test_person_listed_twice_breaks_the_policy(office: Office, keys: Keys) -> None:
    office.repo.write(
        "team.yml", team_yaml(keys, _roles(), extra_keys={"writer": [keys["koor"].public_line]})
    )
    broke = office.repo.commit("duplicate key", keys["pj"])
    office.walk("a1")
    result = office.check()
    assert (codes(result)[0], result.violations[0].commit) == ("SOP045", broke)  # named once, there
    assert set(codes(result)[1:]) == {"SOP017"}
    assert "TEAM002" in result.violations[0].args["detail"]
    assert result.publishable == {}


def test_skipped_step(office: Office) -> None:
    office.walk("a1", to="assigned")
    office.write("a1", "corrected", "writer")
    result = office.check()
    assert codes(result) == ["SOP003"]


def test_new_file_created_as_verified(office: Office) -> None:
    office.write("a1", "verified", "koor")
    result = office.check()
    assert codes(result) == ["SOP005"]
    assert result.publishable == {}


def test_new_file_created_by_a_writer(office: Office) -> None:
    office.write("a1", "planned", "writer")
    assert codes(office.check()) == ["SOP005"]


def test_verified_file_copied_to_a_new_path(office: Office) -> None:
    office.walk("a1")
    office.repo.write("content/berita/salinan.md", (office.path / office.file("a1")).read_text())
    office.repo.commit("copy", office.keys["koor"])
    result = office.check()
    # The copy claims another article's id, and a new file cannot start out verified.
    assert codes(result) == ["SOP014", "SOP005"]
    assert {v.path for v in result.publishable.values()} == {"content/berita/a1.md"}


def test_verified_file_copied_under_a_new_id(office: Office) -> None:
    office.walk("a1")
    text = (office.path / office.file("a1")).read_text().replace("id: a1", "id: a2")
    office.repo.write("content/berita/a2.md", text)
    office.repo.commit("copy as new", office.keys["koor"])
    result = office.check()
    assert codes(result) == ["SOP005"]
    assert list(result.publishable) == ["a1"]


def test_body_edited_after_verification(office: Office) -> None:
    office.walk("a1")
    verified = office.repo.git("rev-parse", f"HEAD:{office.file('a1')}").strip()
    office.write("a1", "verified", "writer", body="Isi yang diubah diam-diam.\n")
    result = office.check()
    assert codes(result) == ["SOP007", "SOP008"]
    # Held: the text verified last stays live, the change does not (hold.py).
    assert result.publishable["a1"].blob == verified and list(result.held) == ["a1"]


def test_verifier_edits_then_reverifies(office: Office) -> None:
    office.walk("a1")
    verified = office.repo.git("rev-parse", f"HEAD:{office.file('a1')}").strip()
    office.write("a1", "verified", "koor", body="Diubah oleh verifikator.\n")
    result = office.check()
    assert codes(result) == ["SOP007", "SOP008"]
    # Held: the text verified last stays live, the change does not (hold.py).
    assert result.publishable["a1"].blob == verified and list(result.held) == ["a1"]


def test_whitespace_only_edit_after_verification(office: Office) -> None:
    office.walk("a1")
    verified = office.repo.git("rev-parse", f"HEAD:{office.file('a1')}").strip()
    office.write("a1", "verified", "pasca", body="Isi naskah. \n")
    result = office.check()
    assert codes(result) == ["SOP007", "SOP008"]
    # Held: the text verified last stays live, the change does not (hold.py).
    assert result.publishable["a1"].blob == verified and list(result.held) == ["a1"]


def test_replay_of_an_old_approval(office: Office) -> None:
    office.walk("a1")
    approved = (office.path / office.file("a1")).read_text()
    office.write("a1", "withdrawn", "pj", withdrawal="Data keliru")
    office.repo.write(office.file("a1"), approved)
    office.repo.commit("restore", office.keys["writer"])
    result = office.check()
    assert codes(result) == ["SOP003"]
    assert result.publishable == {}


def test_branch_adds_its_own_key_then_verifies(office: Office, keys: Keys) -> None:
    office.walk("a1", to="submitted")
    office.repo.git("switch", "-c", "naskah/a1")
    office.repo.write("team.yml", team_yaml(keys, {**_roles(), "attacker": ["koordinator_liputan"]}))
    office.repo.commit("add me", keys["attacker"])
    office.repo.write(office.file("a1"), article_text("a1", "verified"))
    office.repo.commit("verify", keys["attacker"])
    result = office.check()
    assert codes(result) == ["SOP011", "SOP001"]
    assert result.publishable == {}


def test_policy_file_deleted(office: Office) -> None:
    office.repo.remove("sop.yml")
    office.repo.commit("remove sop", office.keys["pj"])
    office.walk("a1")
    result = office.check()
    assert codes(result)[0] == "SOP045" and result.violations[0].file == "sop.yml"
    assert set(codes(result)[1:]) == {"SOP017"}
    assert result.publishable == {}


def test_policy_file_broken(office: Office) -> None:
    office.set_sop(SOP_TEXT.replace("stages:\n", "stages:\n  - id: planned\n    label: x\n", 1))
    office.repo.commit("break sop", office.keys["pj"])
    office.walk("a1")
    result = office.check()
    assert codes(result)[0] == "SOP045"  # the breaking commit, named once
    assert set(codes(result)[1:]) == {"SOP017"}
    assert "CFG005" in result.violations[0].args["detail"]


def test_policy_change_by_someone_else_is_refused_and_ignored(office: Office) -> None:
    office.set_sop(
        SOP_TEXT.replace(
            "roles: [koordinator_liputan], four_eyes: true", "roles: [tim_peliputan], four_eyes: true"
        )
    )
    office.repo.commit("writers verify now", office.keys["writer"])
    office.walk("a1", to="submitted")
    office.write("a1", "verified", "koor")
    result = office.check()
    assert codes(result) == ["SOP011"]
    assert list(result.publishable) == ["a1"]  # the refused change never took effect


def test_evil_merge(office: Office) -> None:
    office.walk("a1", to="submitted")
    office.repo.git("switch", "-c", "naskah/a1")
    office.write("a1", "verified", "koor")
    office.repo.git("switch", "main")
    office.repo.git("merge", "--no-ff", "--no-commit", "naskah/a1")
    office.repo.write(office.file("a1"), article_text("a1", "verified", body="Disisipkan saat merge.\n"))
    office.repo.commit("Merge naskah/a1", office.keys["koor"])
    result = office.check()
    # Judged as the merger's edit of the submitted text: not theirs to edit, nor then to verify.
    assert codes(result) == ["SOP013", "SOP007", "SOP006"]
    assert result.publishable == {}


def test_clean_merge_of_a_signed_branch(office: Office) -> None:
    office.walk("a1", to="submitted")
    office.repo.git("switch", "-c", "naskah/a1")
    office.write("a1", "verified", "koor")
    office.repo.git("switch", "main")
    office.write("a2", "planned", "pj")
    office.merge_signed("naskah/a1")
    result = office.check()
    assert codes(result) == []
    assert list(result.publishable) == ["a1"]


def test_merge_of_a_branch_main_had_not_moved_past(office: Office) -> None:
    # The pull request merged as soon as it was approved: the merge equals the branch, and git
    # shows no diff against it. The branch's signed step is carried, not the merger's edit (the
    # merger, a writer, could not have verified it).
    office.walk("a1", to="submitted")
    office.repo.git("switch", "-c", "naskah/a1")
    office.write("a1", "verified", "koor")
    office.repo.git("switch", "main")
    office.merge_signed("naskah/a1", by="writer")
    result = office.check()
    assert codes(result) == []
    assert list(result.publishable) == ["a1"]


def test_squash_merge(office: Office) -> None:
    office.create("a1")
    office.repo.git("switch", "-c", "naskah/a1")
    for stage in FLOW[1:]:
        office.write("a1", stage, STEP_BY[stage])
    office.repo.git("switch", "main")
    office.repo.git("merge", "--squash", "naskah/a1")
    office.repo.commit("Squash naskah/a1", office.keys["koor"])
    result = office.check()
    # Six steps in one commit by one person: not a step of the SOP, and not theirs to write.
    assert codes(result) == ["SOP003", "SOP007"]
    assert result.publishable == {}


def test_rebase_merge(office: Office) -> None:
    office.walk("a1", to="submitted")
    office.repo.git("switch", "-c", "naskah/a1")
    office.write("a1", "verified", "koor")
    office.repo.git("switch", "main")
    office.write("a2", "planned", "pj")
    office.repo.git("switch", "naskah/a1")
    office.repo.git("rebase", "main")  # re-creates the commit without its signature
    office.repo.git("switch", "main")
    office.repo.git("merge", "--ff-only", "naskah/a1")
    result = office.check()
    assert codes(result) == ["SOP001"]
    assert result.publishable == {}


def test_force_push_over_a_published_commit(office: Office) -> None:
    office.walk("a1")
    office.repo.git("update-ref", "refs/laman/published", "HEAD")
    office.repo.git("reset", "--hard", "HEAD~1")
    office.write("a1", "verified", "koor", title="Judul lain")
    result = office.check()
    assert "SOP019" in codes(result)


def test_shallow_clone_fails_closed(office: Office, tmp_path: Path) -> None:
    office.walk("a1")
    shallow = tmp_path / "shallow"
    office.repo.git("clone", "--quiet", "--depth", "2", f"file://{office.path}", str(shallow))
    found = run_check(shallow, use_cache=False)
    assert [v.code for v in found.violations] == ["SOP018"]
    assert found.publishable == {}


def test_key_removed_from_team_but_commit_backdated(office: Office, keys: Keys) -> None:
    office.walk("a1", to="submitted")
    office.repo.write("team.yml", team_yaml(keys, {k: v for k, v in _roles().items() if k != "koor"}))
    office.repo.commit("koor leaves", keys["pj"])
    office.repo.write(office.file("a1"), article_text("a1", "verified"))
    office.repo.commit("verify", keys["koor"], date="2023-01-01T10:00:00+07:00")
    result = office.check()
    assert codes(result) == ["SOP001"]
    assert result.publishable == {}


def test_revoked_key(office: Office, keys: Keys) -> None:
    office.walk("a1", to="submitted")
    text = team_yaml(keys).replace(
        "    name: Koordinator Liputan\n", "    name: Koordinator Liputan\n    active: false\n"
    )
    office.repo.write("team.yml", text)
    office.repo.commit("revoke koor", keys["pj"])
    office.write("a1", "verified", "koor")
    result = office.check()
    assert codes(result) == ["SOP001"]


def test_openpgp_signature(office: Office) -> None:
    office.walk("a1", to="submitted")
    office.repo.write(office.file("a1"), article_text("a1", "verified"))
    unsigned = office.repo.commit("verify", office.keys["koor"], sign=False)
    raw = office.repo.raw_commit(unsigned)
    header, _, message = raw.partition(b"\n\n")
    pgp = (
        b"gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n =abcd\n -----END PGP SIGNATURE-----\n"
    )
    forged = office.repo.git(
        "hash-object", "-t", "commit", "-w", "--stdin", input=header + b"\n" + pgp + b"\n" + message
    ).strip()
    office.repo.git("update-ref", "refs/heads/main", forged)
    result = office.check()
    assert codes(result) == ["SOP001"]
    assert result.violations[0].args["status"] == "E"


def test_pure_rename_is_accepted(office: Office) -> None:
    office.walk("a1")
    office.repo.git("mv", office.file("a1"), "content/berita/nama-baru.md")
    office.repo.commit("rename", office.keys["pj"])
    result = office.check()
    assert codes(result) == []
    assert result.publishable["a1"].path == "content/berita/nama-baru.md"


def test_rename_plus_edit(office: Office) -> None:
    office.walk("a1")
    verified = office.repo.git("rev-parse", f"HEAD:{office.file('a1')}").strip()
    office.repo.remove(office.file("a1"))
    office.repo.write("content/berita/nama-baru.md", article_text("a1", "verified", body="Diubah.\n"))
    office.repo.commit("rename and edit", office.keys["pasca"])
    result = office.check()
    assert codes(result) == ["SOP007", "SOP008"]
    # Held: the text verified last stays live, the change does not (hold.py).
    assert result.publishable["a1"].blob == verified and list(result.held) == ["a1"]


@pytest.mark.parametrize(
    ("front", "detail"),
    [
        ("stage: submitted\nstage: verified", "YAML002"),
        ("stage: !!str verified", "YAML003"),
        ("stage: &s verified\nslug: *s", "YAML004"),
    ],
    ids=["duplicate stage keys", "yaml tag", "anchor and alias"],
)
def test_malformed_yaml_in_history(office: Office, front: str, detail: str) -> None:
    office.walk("a1", to="submitted")
    text = article_text("a1", "submitted").replace("stage: submitted", front)
    office.repo.write(office.file("a1"), text)
    office.repo.commit("sneaky", office.keys["koor"])
    result = office.check()
    assert codes(result) == ["SOP015"]
    assert detail in result.violations[0].args["detail"]
    assert result.publishable == {}


def test_symlink_as_an_article(office: Office) -> None:
    office.walk("a1")
    (office.path / "content/berita/tautan.md").symlink_to("a1.md")
    office.repo.commit("link", office.keys["pj"])
    result = office.check()
    assert codes(result) == ["SOP016"]
    assert list(result.publishable) == ["a1"]


def test_submodule_as_an_article(office: Office) -> None:
    office.walk("a1")
    # A folder holding its own repository is committed as a gitlink (mode 160000).
    nested = GitRepo(office.path / "content/berita/modul.md")
    nested.write("x.txt", "x\n")
    nested.commit("inner", office.keys["pj"])
    office.repo.commit("submodule", office.keys["pj"])
    result = office.check()
    assert codes(result) == ["SOP016"]


def test_exempt_information_moved_to_verified(office: Office) -> None:
    office.walk("a1", to="submitted", information="dikecualikan")
    office.write("a1", "verified", "koor", information="dikecualikan")
    result = office.check()
    assert codes(result) == ["SOP012"]
    assert result.publishable == {}


def test_withdrawal_by_the_wrong_role(office: Office) -> None:
    office.walk("a1")
    verified = office.repo.git("rev-parse", f"HEAD:{office.file('a1')}").strip()
    office.write("a1", "withdrawn", "koor", withdrawal="Salah data")
    result = office.check()
    assert codes(result) == ["SOP004"]
    # Held: the text verified last stays live, the change does not (hold.py).
    assert result.publishable["a1"].blob == verified and list(result.held) == ["a1"]


def test_withdrawal_without_reason(office: Office) -> None:
    office.walk("a1")
    office.write("a1", "withdrawn", "pj")
    assert codes(office.check()) == ["SOP009"]


def test_a_comment_on_the_stage_line_is_read_as_yaml_reads_it(office: Office) -> None:
    office.walk("a1", to="corrected")
    # A comment on the stage line is part of the step, not an edit of the text.
    text = article_text("a1", "submitted").replace("stage: submitted", "stage: submitted  # siap")
    office.repo.write(office.file("a1"), text)
    office.repo.commit("a1: submitted", office.keys[STEP_BY["submitted"]])
    office.write("a1", "verified", STEP_BY["verified"])
    result = office.check()
    assert codes(result) == []
    assert list(result.publishable) == ["a1"]


def test_a_reason_read_from_any_field_the_sop_names(office: Office) -> None:
    # The peek reads only the step fields and the assignee; a reason kept elsewhere is read in full.
    office.set_sop(
        office.path.joinpath("sop.yml")
        .read_text()
        .replace("reason: withdrawal", "reason: dateline")
        .replace("requires: [title, withdrawal]", "requires: [title, dateline]")
    )
    office.repo.commit("Alasan penarikan di dateline", office.keys["pj"])
    office.create("a1")
    office.write("a1", "withdrawn", "pj", dateline="Ditarik atas permintaan PPID")
    office.create("a2")
    office.write("a2", "withdrawn", "pj")
    assert [(v.code, v.article) for v in office.check().violations] == [("SOP009", "a2")]


def test_draft_by_someone_not_assigned(office: Office) -> None:
    office.walk("a1", to="assigned")
    office.write("a1", "drafted", "writer2")
    assert codes(office.check()) == ["SOP010"]


def test_deleting_an_article_needs_the_person_in_charge(office: Office) -> None:
    office.walk("a1")
    office.repo.remove(office.file("a1"))
    office.repo.commit("delete", office.keys["writer"])
    assert codes(office.check()) == ["SOP020"]


def test_pull_request_range_reads_policy_from_base(office: Office, keys: Keys) -> None:
    office.walk("a1", to="submitted")
    base = office.repo.head()
    office.repo.git("switch", "-c", "naskah/a1")
    office.write("a1", "verified", "koor")
    result = office.check(base=base, head="naskah/a1")
    assert codes(result) == []
    assert list(result.publishable) == ["a1"]


def test_without_anchor_enforcement_is_off(tmp_path: Path, keys: Keys) -> None:
    office = Office(tmp_path, keys, anchor=False)
    office.write("a1", "verified", None, sign=False)
    result = office.check()
    assert not result.enforced
    assert [n.code for n in result.notices] == ["SOP021"]
    assert codes(result) == []
    assert list(result.publishable) == ["a1"]


@pytest.mark.parametrize("cached", [False, True], ids=["cold", "after-a-cached-run"])
def test_anchor_not_in_history(office: Office, keys: Keys, cached: bool) -> None:
    office.walk("a1")
    if cached:
        run_check(office.path)
    office.repo.git("switch", "-q", "--orphan", "elsewhere")
    office.repo.write("README.md", "Laman lain\n")
    stranger = office.repo.commit("unrelated history", keys["pj"])
    office.repo.git("switch", "-q", "main")
    office.set_sop(re.sub(r"^trust_anchor:.*$", f"trust_anchor: {stranger}", SOP_TEXT, flags=re.M))
    office.repo.commit("anchor moved", keys["pj"])
    office.repo.git("config", "laman.anchor", stranger)  # recorded outside as well: they agree
    result = run_check(office.path, use_cache=cached)
    assert codes(result) == ["SOP022"]
    assert result.publishable == {}


def test_cache_resumes_from_the_last_head(office: Office) -> None:
    office.walk("a1")
    first = run_check(office.path)
    assert first.judged == 8
    office.walk("a2", to="planned")
    second = run_check(office.path)
    assert second.judged == 1
    assert codes(second) == []
    assert list(second.publishable) == ["a1"]
    # What the cache kept, the verified front matter with it, is what a cold walk finds.
    assert second.records == run_check(office.path, use_cache=False).records
    assert second.publishable["a1"].meta["title"]
    shutil.rmtree(office.path / ".laman-cache")


def test_signature_verdicts_match_git(office: Office, keys: Keys) -> None:
    """Our in-process verdicts against `git log --format=%G?` on the same commits."""
    office.walk("a1", to="submitted")
    office.repo.write(office.file("a1"), article_text("a1", "verified"))
    office.repo.commit("attacker", keys["attacker"])
    allowed = office.path.parent / "allowed"
    allowed.write_text(
        "".join(f"{i.email} {i.public_line}\n" for w, i in keys.people.items() if w != "attacker")
    )
    office.repo.git("config", "gpg.ssh.allowedSignersFile", str(allowed))
    log = office.repo.git("log", "--format=%H %G? %GF", office.repo.head())
    with Repository(office.path) as repo:
        checker = Checker(repo, None)
        state = checker.tree_state(office.repo.head())
        policy_ = checker.reader.policy(state.policy_key)
        for line in log.splitlines():
            commit_id, status, *fp = line.split(" ")
            commit = next(repo.commits([commit_id, "-1"]))
            signer = checker.reader.signer(commit, policy_)
            assert (signer.status, signer.fingerprint) == (
                status,
                fp[0] if fp and fp[0] else signer.fingerprint,
            ), line


def _roles() -> dict[str, list[str]]:
    return {who: [role] for who, role in ROLES.items()}


def test_make_identity_gives_distinct_keys(tmp_path: Path) -> None:
    one = make_identity(tmp_path, "Satu", "satu@kpu.example")
    two = make_identity(tmp_path, "Dua", "dua@kpu.example")
    assert one.fingerprint != two.fingerprint
    assert re.match(r"SHA256:[A-Za-z0-9+/]{43}$", one.fingerprint)


def test_forge_web_editor_key_vouches_for_its_author(office: Office, keys: Keys, tmp_path: Path) -> None:
    forge = make_identity(tmp_path / "forge", "Forge", "noreply@forge.example")
    office.set_sop(
        (office.path / "sop.yml")
        .read_text()
        .replace("  forge_keys: []", f"  forge_keys:\n    - name: Forge\n      key: {forge.public_line}")
    )
    office.repo.commit("trust the forge's web editor", keys["pj"])
    office.walk("a1", to="submitted")
    office.repo.write(office.file("a1"), article_text("a1", "verified"))
    office.repo.commit("verify in the web editor", forge, author=(keys["koor"].name, keys["koor"].email))
    office.repo.write(office.file("a1"), article_text("a1", "verified", body="Disunting di web.\n"))
    office.repo.commit(
        "edit in the web editor as a stranger", forge, author=("Orang Asing", "asing@example.invalid")
    )
    result = office.check()
    # The verification the forge vouched for stands; the stranger's edit does not.
    assert codes(result) == ["SOP001", "SOP008"]
    assert {v.commit for v in result.violations} == {office.repo.head()}


def test_unsigned_image_change_is_refused(office: Office) -> None:
    office.walk("a1")
    office.repo.write("content/images/foto.png", b"\x89PNG\r\n\x1a\n")
    office.repo.commit("image", None, sign=False)
    result = office.check()
    assert [(v.code, v.file) for v in result.violations] == [("SOP001", "content/images/foto.png")]


def test_signatures_verified_in_worker_processes_give_the_same_verdicts(
    office: Office, keys: Keys, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A long history hands its signatures to a process pool; a short one stays in-process.
    office.walk("a1")
    office.walk("a2", to="submitted")
    office.write("a2", "verified", "koor", sign=False)
    office.walk("a3", to="submitted")
    office.repo.write(office.file("a3"), article_text("a3", "verified"))
    office.repo.commit("verify", keys["attacker"], author=(keys["koor"].name, keys["koor"].email))
    here = office.check()
    monkeypatch.setattr("pipeline.proof.reader.PARALLEL_FROM", 1)
    monkeypatch.setattr("pipeline.proof.reader.CHUNK", 3)
    pooled = run_check(office.path)
    assert codes(pooled) == codes(here) == ["SOP001", "SOP001"]
    assert [v.args for v in pooled.violations] == [v.args for v in here.violations]
    assert list(pooled.publishable) == ["a1"]
    cached = (office.path / ".laman-cache" / "signatures-v2.txt").read_text().splitlines()
    assert len(cached) == pooled.judged > 20  # every commit walked, verified by the pool


def test_walk_order_is_gits_topological_order(tmp_path: Path) -> None:
    # The log is streamed newest first and ordered here; skewed clocks must not matter.
    repo = GitRepo(tmp_path / "repo")
    repo.write("a", "0")
    repo.commit("root", sign=False, date="2024-01-01T10:00:00+07:00")
    for n, minute in enumerate((50, 5, 30)):
        repo.git("switch", "-q", "-c", f"b{n}")
        for step in range(n + 1):
            repo.write(f"b{n}", str(step))
            repo.commit(f"b{n}-{step}", sign=False, date=f"2024-01-0{n + 2}T10:{minute - step:02d}:00+07:00")
        repo.git("switch", "-q", "main")
        repo.write(f"m{n}", "x")
        repo.commit(f"main-{n}", sign=False, date=f"2024-01-0{n + 2}T09:00:00+07:00")
        repo.git("-c", "commit.gpgSign=false", "merge", "-q", "--no-ff", "-m", f"merge b{n}", f"b{n}")
    with Repository(repo.path) as opened:
        streamed = list(opened.commits(["HEAD"], merge_diffs=True))
    ours = [c.id for c in parents_first(streamed)]
    assert ours == repo.git("rev-list", "--topo-order", "--reverse", "HEAD").split()
    assert len(ours) == 1 + 6 + 3 + 3
    # One line of history, its clocks running backwards: still oldest first.
    repo.git("switch", "-q", "--orphan", "line")
    for n in range(4):
        repo.write("a", str(n))
        repo.commit(f"line-{n}", sign=False, date=f"2024-02-0{9 - n}T10:00:00+07:00")
    with Repository(repo.path) as opened:
        streamed = list(opened.commits(["line"], merge_diffs=True))
    assert [c.id for c in parents_first(streamed)] == repo.git("rev-list", "--reverse", "line").split()


_HEADER = b"tree %s\nauthor A <a@b> 1 +0000\ncommitter A <a@b> 7 +0000\n\n" % (b"0" * 40)
_ID = hashlib.sha1(b"commit %d\0%sm\n" % (len(_HEADER) + 2, _HEADER)).hexdigest().encode()
_SHOWN = b"commit %s\n%s    m\n" % (_ID, _HEADER)  # as `git log --pretty=raw` shows it
_CHANGE = b"\n:100644 100644 %s %s M" % (b"1" * 40, b"2" * 40)


def test_any_byte_but_nul_in_subjects_and_paths(office: Office, keys: Keys) -> None:
    # git log's fields are told apart by position: a \x01, a newline or a leading colon in a
    # subject or a path must neither end a commit early nor lend its changes to another.
    office.walk("a1", to="submitted")
    office.repo.write(office.file("a1"), article_text("a1", "verified"))
    verified = office.repo.commit("a1\x01verified\n\nbody\x01", keys["koor"])
    office.walk("a2", to="submitted")
    odd = ["content/berita/0\x01" + verified, "content/berita/\n", "content/berita/:1 2 3 4 M"]
    for path in odd:
        office.repo.write(path, b"x")
    office.repo.write(office.file("a2"), article_text("a2", "verified"))
    office.repo.commit("unsigned\x01" + verified, None, sign=False)
    result = office.check()
    assert sorted((v.code, v.file) for v in result.violations) == sorted(
        [("SOP001", office.file("a2")), *(("SOP040", path) for path in odd)]
    )
    assert list(result.publishable) == ["a1"]


def test_log_settings_of_the_office_do_not_change_what_is_read(office: Office) -> None:
    # A signer's usual settings: git would print each verification into the log's output.
    office.walk("a1")
    plain = office.check()
    for key, value in (("log.showSignature", "true"), ("color.ui", "always"), ("diff.relative", "true")):
        office.repo.git("config", key, value)
    configured = office.check()
    assert configured.ok and plain.ok
    assert configured.publishable == plain.publishable == {"a1": plain.publishable["a1"]}
    assert configured.judged == plain.judged


@pytest.mark.parametrize(
    "fields",
    [
        [b"no commit line"],
        [_SHOWN + b"\nnot a changed file's line", b"path"],
        [_SHOWN + b"\n:100644 100644 M", b"path"],
        [_SHOWN + _CHANGE],
        [_SHOWN.replace(b"    m", b"    changed")],
    ],
    ids=["no-commit-line", "not-a-change", "short-change", "no-path", "not-the-object"],
)
def test_a_log_not_as_expected_is_a_clear_error(fields: list[bytes]) -> None:
    # The object shown must hash to its id (else it is read from the store, and must hash then).
    ((read, against),) = parse_log(iter([[_SHOWN + _CHANGE, b"path"]]), lambda _: b"")
    assert against is None
    assert (read.id, read.raw, read.author_email) == (_ID.decode(), _HEADER + b"m\n", "a@b")
    assert (read.committer_time.timestamp(), read.changes[0].path) == (7, "path")
    with pytest.raises(LamanError) as raised:
        list(parse_log(iter([fields]), lambda _: b""))
    assert raised.value.problems[0].code == "CMD002"
    assert "git log" in raised.value.problems[0].args["detail"]


@pytest.mark.parametrize("version", [(2, 39, 5), (2, 34, 1)], ids=["batch-command", "older-git"])
def test_objects_read_in_one_cat_file(
    office: Office, version: tuple[int, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    # git before 2.36 has no --batch-command: the plain --batch gives the same objects.
    import git

    office.walk("a1", to="drafted")
    monkeypatch.setattr(git.cmd.Git, "version_info", property(lambda _: version))
    ids = [line.split()[0] for line in office.repo.git("rev-list", "--all", "--objects").splitlines()]
    with Repository(office.path) as repo:
        first = repo.objects([*ids, "0" * 40])  # one missing: left out
        again = repo.objects(reversed(ids))  # the same process, a second time
    assert first == again
    assert list(first) == ids
    for oid in ids:
        kind = office.repo.git("cat-file", "-t", oid).strip()
        assert first[oid] == office.repo.run("cat-file", kind, oid)


def test_messages_git_log_shows_changed_are_read_as_stored(office: Office, keys: Keys) -> None:
    # `--pretty=raw` trims trailing spaces and re-encodes a message in another encoding: such a
    # commit is read from the object store, and its signature still verifies.
    office.walk("a1", to="submitted")
    office.repo.write(office.file("a1"), article_text("a1", "verified"))
    office.repo.git("config", "i18n.commitEncoding", "ISO-8859-1")
    office.repo.git(
        "-c", f"user.signingkey={keys['koor'].key_path}", "commit", "-aqS", "-m", "Verifikasi \xe9"
    )
    office.repo.git("config", "--unset", "i18n.commitEncoding")
    assert b"encoding ISO-8859-1" in office.repo.raw_commit("HEAD")
    office.walk("a2", to="submitted")
    office.repo.write(office.file("a2"), article_text("a2", "verified"))
    key = f"user.signingkey={keys['koor'].key_path}"
    office.repo.git("-c", key, "commit", "-aqS", "--cleanup=verbatim", "-m", "\n  Verifikasi   \n\n")
    result = office.check()
    assert result.ok
    assert sorted(result.publishable) == ["a1", "a2"]


def test_replacement_objects_are_not_what_is_judged(office: Office) -> None:
    # `git replace` shows another object under a commit's id; what was signed is the original.
    office.walk("a1", to="submitted")
    unsigned = office.write("a1", "verified", "koor", sign=False)
    office.walk("a2")
    signed = office.repo.git("rev-parse", "HEAD").strip()
    office.repo.git("replace", "-f", unsigned, office.repo.git("rev-parse", f"{signed}~6").strip())
    result = office.check()
    assert codes(result) == ["SOP001"]
    assert result.violations[0].commit == unsigned
    assert list(result.publishable) == ["a2"]


def test_a_replaced_anchor_cannot_hide_commits_behind_it(office: Office) -> None:
    # The walk may skip what lies behind its start: the start's history is read as stored.
    office.walk("a1", to="submitted")
    unsigned = office.write("a1", "verified", "koor", sign=False)
    trailer = "--format=%(trailers:key=SOP-Anchor,valueonly)"
    anchor = office.repo.git("log", "-1", "--grep=^SOP-Anchor:", trailer).strip()
    raw = office.repo.raw_commit(anchor).replace(b"\nauthor ", f"\nparent {unsigned}\nauthor ".encode(), 1)
    fake = office.repo.git("hash-object", "-t", "commit", "-w", "--stdin", input=raw).strip()
    office.repo.git("replace", "-f", anchor, fake)
    assert codes(office.check()) == ["SOP001"]


def test_walk_from_head_or_over_the_range_judges_the_same(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Few commits behind the start: git log runs from HEAD and they are skipped here. Many: git
    # excludes them itself (`start..head`). Both must judge the same commits the same way.
    office.walk("a1", to="submitted")
    base = office.repo.head()
    office.repo.git("switch", "-c", "naskah/a1")
    office.write("a1", "verified", "koor")
    office.repo.git("switch", "main")
    office.write("a2", "planned", "pj")
    office.write("a2", "verified", "koor", sign=False)
    office.merge_signed("naskah/a1")
    results = {}
    for listed in (2000, 0):
        monkeypatch.setattr("pipeline.proof.reader.LISTED_BEHIND", listed)
        results[listed] = (office.check(), run_check(office.path, base=base, use_cache=False))
    for main_check, pull_request in results.values():
        assert codes(main_check) == codes(pull_request) == ["SOP001", "SOP003"]
        assert list(main_check.publishable) == list(pull_request.publishable) == ["a1"]
    assert results[0][0].judged == results[2000][0].judged > results[0][1].judged == 4


@pytest.fixture
def perbaikan_in_schema(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The article schema with a field `perbaikan`. The schema refuses keys it does not list, and
    sop.yml may only name a reason field it lists (CFG011): an office that renames the field adds
    it to its `pipeline/schema/article.schema.json` too."""
    article = copy.deepcopy(schemas.schema("article"))
    article["properties"]["perbaikan"] = article["properties"]["revision"]
    stock = schemas.schema
    monkeypatch.setattr(schemas, "schema", lambda name: article if name == "article" else stock(name))
    schemas._validator.cache_clear()
    schemas._gate.cache_clear()
    yield
    schemas._validator.cache_clear()
    schemas._gate.cache_clear()


@pytest.mark.usefixtures("perbaikan_in_schema")
def test_a_reason_field_the_sop_names_is_part_of_the_step(office: Office) -> None:
    # Sent back once under the stock sop.yml: its `revision` line stays in the file.
    office.walk("a1", to="submitted")
    office.write("a1", "drafted", "koor", revision="Sumber belum disebut")
    office.write("a1", "corrected", "pasca", revision="Sumber belum disebut")
    office.write("a1", "submitted", "redaktur", revision="Sumber belum disebut")
    sop = office.path.joinpath("sop.yml").read_text()
    office.set_sop(sop.replace("reason: revision", "reason: perbaikan"))
    office.repo.commit("Alasan perbaikan di `perbaikan`", office.keys["pj"])
    # Sent back again with the reason in the field the SOP now names: a step, not an edit.
    again = {"revision": "Sumber belum disebut", "perbaikan": "Angka DPT keliru"}
    office.write("a1", "drafted", "koor", **again)
    office.write("a1", "corrected", "pasca", **again, body="Angka diperbaiki.\n")
    office.write("a1", "submitted", "redaktur", **again, body="Angka diperbaiki.\n")
    office.write("a1", "verified", "koor", **again, body="Angka diperbaiki.\n")
    result = office.check()
    assert codes(result) == []
    assert list(result.publishable) == ["a1"]


def test_a_step_in_a_file_written_with_crlf_is_not_an_edit(office: Office) -> None:
    office.walk("a1", to="corrected")
    for stage in ("corrected", "submitted", "verified"):
        office.repo.write(office.file("a1"), article_text("a1", stage).replace("\n", "\r\n"))
        office.repo.commit(f"a1: {stage}", office.keys[STEP_BY[stage]])
    result = office.check()
    assert codes(result) == []
    assert list(result.publishable) == ["a1"]
