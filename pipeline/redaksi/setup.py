"""First run on a person's computer, and the person in charge adding a colleague: an SSH key
found or made, this clone's identity and SSH signing set, and the team.yml entry that names
them. No passphrase passes through here: signing is git's, with the key or the ssh-agent."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import LamanError, Problem
from pipeline.model.keys import KeyParseError, PublicKey, parse_public_key
from pipeline.model.sop import Sop
from pipeline.model.team import key_line, load_team
from pipeline.proof.history import Repository

KEY_NAMES = ("id_ed25519", "id_ecdsa", "id_rsa")


@dataclass(frozen=True)
class State:
    name: str | None
    email: str | None
    signing_key: str | None
    ssh_format: bool
    sign_always: bool
    remote: bool
    found_keys: tuple[Path, ...]  # private keys in ~/.ssh that have their .pub beside them
    anchor: str | None = None  # the office's trust anchor as this clone records it

    @property
    def ready(self) -> bool:
        return bool(self.name and self.email and self.signing_key and self.ssh_format)


def state(repo: Repository, home: Path) -> State:
    found = tuple(home / ".ssh" / n for n in KEY_NAMES if (home / ".ssh" / f"{n}.pub").exists())
    return State(
        repo.config("user.name"),
        repo.config("user.email"),
        repo.config("user.signingkey"),
        repo.config("gpg.format") == "ssh",
        repo.config("commit.gpgsign") == "true",
        "origin" in repo.remotes(),
        found,
        repo.config("laman.anchor"),
    )


def record_anchor(repo: Repository, given: str) -> list[Problem]:
    """Record the office's trust anchor, as the person in charge gave it (printed by `laman init`),
    in this clone's git config. Typed in, never taken from the history it judges: a commit can
    write anything into sop.yml."""
    commit = given.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{40}", commit) or repo.resolve(commit) != commit:
        return [Problem("RED013", "git config laman.anchor", args={"given": given.strip() or "—"})]
    repo.record_anchor(commit)
    return []


def make_key(home: Path, email: str) -> Path:
    """A new ed25519 key in ~/.ssh (never over an existing one). It has no passphrase of ours:
    the person adds one with `ssh-keygen -p` and keeps it in their ssh-agent."""
    folder = home / ".ssh"
    folder.mkdir(mode=0o700, exist_ok=True)
    key = folder / "id_ed25519"
    if not key.exists():
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", email, "-f", str(key)],
            check=True,
            capture_output=True,
            stdin=subprocess.DEVNULL,
        )
    return key


def configure(repo: Repository, name: str, email: str, key: Path) -> None:
    """This clone signs every commit with `key` as `name <email>`."""
    for setting, value in (
        ("user.name", name),
        ("user.email", email),
        ("user.signingkey", str(key)),
        ("gpg.format", "ssh"),
        ("commit.gpgsign", "true"),
    ):
        repo.set_config(setting, value)


def public_key(key: Path) -> PublicKey:
    line = (
        key.with_name(key.name + ".pub").read_text("utf-8")
        if key.suffix != ".pub"
        else key.read_text("utf-8")
    )
    return parse_public_key(line)


def person_id(email: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", email.split("@")[0].lower()).strip("-") or "staf"


def team_entry(name: str, email: str, roles: list[str], key: PublicKey) -> str:
    """The lines of team.yml that name a person (what the person in charge adds)."""
    return (
        f"  - id: {person_id(email)}\n"
        f"    name: {json.dumps(name, ensure_ascii=False)}\n"
        f"    email: {email}\n"
        f"    roles: [{', '.join(roles)}]\n"
        "    keys:\n"
        f"      - {key_line(key)} {email}\n"
    )


def with_person(team_text: str, sop: Sop, name: str, email: str, roles: list[str], key_text: str) -> str:
    """team.yml with one more person, checked as the check will read it; a LamanError names what
    is wrong (an unknown role, a second entry of the e-mail, a key that is no key)."""
    if not name.strip() or "@" not in email or not roles:
        raise LamanError([Problem("RED009", "team.yml")])
    try:
        key = parse_public_key(key_text)
    except KeyParseError as err:
        raise LamanError([Problem("RED010", "team.yml", args={"detail": str(err)})]) from None
    text = team_text.rstrip("\n") + "\n" + team_entry(name.strip(), email.strip().lower(), roles, key)
    load_team(text, sop)
    return text
