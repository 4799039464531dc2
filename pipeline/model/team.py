"""The office's people, their roles and SSH signing keys, loaded from `team.yml`."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from pipeline.errors import LamanError, Problem
from pipeline.messages import Phrase
from pipeline.model import schemas
from pipeline.model.keys import (
    KeyParseError,
    PublicKey,
    allowed_signers_text,
    parse_public_key,
    valid_principal,
)
from pipeline.model.sop import Sop


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    email: str
    roles: tuple[str, ...]
    keys: tuple[PublicKey, ...]
    position: str = ""
    active: bool = True

    def has(self, role: str) -> bool:
        return role in self.roles


@dataclass(frozen=True)
class Team:
    people: tuple[Person, ...]
    by_fingerprint: Mapping[str, Person]
    by_email: Mapping[str, Person]

    def keys(self) -> dict[str, PublicKey]:
        """fingerprint -> key, of active people: what signature checks accept."""
        return {key.fingerprint: key for p in self.people if p.active for key in p.keys}

    def with_role(self, role: str) -> tuple[Person, ...]:
        return tuple(p for p in self.people if p.active and p.has(role))

    def allowed_signers(self) -> str:
        """The text of git's `gpg.ssh.allowedSignersFile` for this team."""
        return allowed_signers_text((p.email, key_line(k)) for p in self.people if p.active for k in p.keys)


def key_line(key: PublicKey) -> str:
    """`ssh-ed25519 AAAA…`: the key as an OpenSSH public key line, without its comment."""
    return f"{key.keytype} {base64.b64encode(key.blob).decode('ascii')}"


def load_team_file(path: Path, sop: Sop) -> Team:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise LamanError([Problem("FM006", str(path), args={"detail": str(err)})]) from None
    return load_team(text, sop, str(path))


def load_team(text: str, sop: Sop, file: str = "team.yml") -> Team:
    """Parse and check team.yml against the roles of `sop`; raise LamanError listing problems."""
    loaded = schemas.load(text, file, "team")
    problems: list[Problem] = []
    people: list[Person] = []
    holders: dict[str, list[tuple[str, tuple[object, ...]]]] = {}
    seen_ids: set[str] = set()
    seen_emails: set[str] = set()
    role_list = ", ".join(sop.roles)

    def at(path: tuple[object, ...], code: str, **args: object) -> None:
        line, col = loaded.position(path)
        problems.append(Problem(code, file, line, col, args))

    for i, entry in enumerate(loaded.data["people"]):
        email = entry["email"].strip().lower()
        if "@" not in email or not valid_principal(email):
            at(("people", i, "email"), "TEAM003", email=entry["email"])
        if entry["id"] in seen_ids:
            at(("people", i, "id"), "TEAM005", what=Phrase("team.field.id"), value=entry["id"])
        if email in seen_emails:
            at(("people", i, "email"), "TEAM005", what=Phrase("team.field.email"), value=email)
        seen_ids.add(entry["id"])
        seen_emails.add(email)
        for j, role in enumerate(entry["roles"]):
            if role not in sop.roles:
                at(("people", i, "roles", j), "TEAM001", role=role, person=entry["name"], roles=role_list)
        keys: list[PublicKey] = []
        for j, line in enumerate(entry["keys"]):
            try:
                key = parse_public_key(line)
            except KeyParseError as err:
                at(("people", i, "keys", j), "TEAM004", person=entry["name"], detail=str(err))
                continue
            holders.setdefault(key.fingerprint, []).append((entry["name"], ("people", i, "keys", j)))
            keys.append(key)
        people.append(
            Person(
                id=entry["id"],
                name=entry["name"],
                email=email,
                roles=tuple(entry["roles"]),
                keys=tuple(keys),
                position=entry.get("position", ""),
                active=entry.get("active", True),
            )
        )
    for fingerprint, listed in holders.items():
        if len(listed) > 1:
            names = ", ".join(dict.fromkeys(name for name, _ in listed))
            at(listed[1][1], "TEAM002", fingerprint=fingerprint, people=names)
    if problems:
        raise LamanError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))
    by_fp = {k.fingerprint: p for p in people if p.active for k in p.keys}
    return Team(tuple(people), MappingProxyType(by_fp), MappingProxyType({p.email: p for p in people}))
