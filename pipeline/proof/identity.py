"""Who is at the keyboard: the SSH key git signs with, and the team member it belongs to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import LamanError, Problem
from pipeline.model.keys import KeyParseError, PublicKey, parse_public_key
from pipeline.model.project import SOP_FILE, TEAM_FILE, Project
from pipeline.model.team import Person, Team, key_line
from pipeline.proof.check import ANCHOR_TRAILER
from pipeline.proof.history import Repository


def signing_key(repo: Repository) -> PublicKey:
    """The public half of `user.signingkey` (a `.pub` file, a private key beside its `.pub`,
    or a literal `key::ssh-…`)."""
    configured = repo.config("user.signingkey")
    if not configured or (repo.config("gpg.format") or "openpgp") != "ssh":
        raise LamanError([Problem("ADV001", "git config")])
    if configured.startswith("key::"):
        line = configured[5:]
        where = "user.signingkey"
    else:
        path = Path(configured).expanduser()
        if not path.is_absolute():
            path = repo.root / path
        candidates = [path] if path.suffix == ".pub" else [path.with_name(path.name + ".pub"), path]
        where = str(candidates[0])
        line = ""
        for candidate in candidates:
            try:
                line = candidate.read_text("utf-8").strip()
            except (OSError, UnicodeDecodeError):
                continue
            if line.startswith(("ssh-", "ecdsa-", "sk-")):
                break
    try:
        return parse_public_key(line)
    except KeyParseError as err:
        raise LamanError([Problem("ADV004", where, args={"path": where, "detail": str(err)})]) from None


def current_person(repo: Repository, team: Team) -> Person:
    key = signing_key(repo)
    person = team.by_fingerprint.get(key.fingerprint)
    if person is None:
        raise LamanError([Problem("ADV002", TEAM_FILE, args={"fingerprint": key.fingerprint})])
    return person


@dataclass(frozen=True)
class Started:
    anchor: str
    person: str


def team_text(name: str, email: str, key: PublicKey, role: str) -> str:
    ident = re.sub(r"[^a-z0-9]+", "-", email.split("@")[0].lower()).strip("-") or "pj"
    return (
        "# The office's people, their SOP roles and the SSH keys they sign commits with.\n"
        "# Changes to this file are accepted only in commits signed by a penanggung_jawab.\n"
        "people:\n"
        f"  - id: {ident}\n"
        f"    name: {name}\n"
        f"    email: {email}\n"
        f"    roles: [{role}]\n"
        "    keys:\n"
        f"      - {key_line(key)} {email}\n"
    )


def init_office(repo: Repository, project: Project) -> Started:
    """Two signed commits: the first penanggung jawab in team.yml, then the trust anchor in
    sop.yml pointing at that commit, so that the anchor is judged by the team it names. The
    anchor the check believes is kept outside the history, in this clone's git config."""
    key = signing_key(repo)
    name = repo.config("user.name") or "Penanggung Jawab"
    email = (repo.config("user.email") or "").lower()
    role = project.sop.protected_roles[0]
    (project.root / TEAM_FILE).write_text(team_text(name, email, key, role), "utf-8")
    anchor = repo.commit_paths([TEAM_FILE], "Penanggung jawab pertama / first person in charge")
    sop_path = project.root / SOP_FILE
    text = sop_path.read_text("utf-8")
    text, count = re.subn(r"^trust_anchor:.*$", f"trust_anchor: {anchor}", text, count=1, flags=re.MULTILINE)
    if not count:
        text = text.rstrip("\n") + f"\ntrust_anchor: {anchor}\n"
    sop_path.write_text(text, "utf-8")
    repo.commit_paths(
        [SOP_FILE], f"Penegakan SOP dimulai / SOP enforcement starts\n\n{ANCHOR_TRAILER}: {anchor}\n"
    )
    repo.record_anchor(anchor)
    return Started(anchor, name)
