"""team.yml: people, roles and keys, and every mistake named with its line."""

from __future__ import annotations

import pytest

from pipeline.errors import LamanError
from pipeline.model.sop import Sop
from pipeline.model.team import Team, load_team

KEY_A = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOUElBD6XFqmeoegxQt0paZHmhMwsByIb6sdVFIsVZDb a@x"
KEY_B = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICEMyQMjePq+Jmh4hcDGPnwbC9qgzs1ySB7jujQIPOax b@x"


def person(ident: str, email: str, roles: str, key: str) -> str:
    return f"  - id: {ident}\n    name: Orang {ident}\n    email: {email}\n    roles: [{roles}]\n    keys:\n      - {key}\n"


def problems(text: str, sop: Sop) -> list[str]:
    with pytest.raises(LamanError) as caught:
        load_team(text, sop)
    return [p.format("en") for p in caught.value.problems]


def test_sample_team_loads(team: Team) -> None:
    assert [p.id for p in team.people] == ["yohanes", "maria", "darius", "rina", "yosef", "agnes"]
    maria = team.by_email["maria@kpu-mentawai.example"]
    assert maria.roles == ("koordinator_liputan",)
    assert team.by_fingerprint[maria.keys[0].fingerprint] is maria
    assert team.allowed_signers().splitlines()[1].startswith("maria@kpu-mentawai.example ssh-ed25519 AAAA")


def test_unknown_role(sop: Sop) -> None:
    assert problems("people:\n" + person("a", "a@x.example", "verifikator", KEY_A), sop) == [
        "team.yml:5:13: TEAM001 The role `verifikator` of Orang a does not exist in sop.yml.\n"
        "    → Use one of the roles: penanggung_jawab, koordinator_liputan, redaktur_pelaksana, tim_peliputan, tim_pasca_produksi."
    ]


def test_key_listed_twice(sop: Sop) -> None:
    text = (
        "people:\n"
        + person("a", "a@x.example", "tim_peliputan", KEY_A)
        + person("b", "b@x.example", "koordinator_liputan", KEY_A)
    )
    found = problems(text, sop)
    assert len(found) == 1
    assert found[0].startswith("team.yml:13:9: TEAM002 The SSH key SHA256:")
    assert "is listed more than once (Orang a, Orang b)." in found[0]


def test_wildcard_principal(sop: Sop) -> None:
    assert problems("people:\n" + person("a", '"*@x.example"', "tim_peliputan", KEY_A), sop) == [
        "team.yml:4:12: TEAM003 The e-mail address `*@x.example` is not valid as a signing principal.\n"
        "    → Write one complete e-mail address, without `*`, `?` or commas."
    ]


def test_unreadable_key(sop: Sop) -> None:
    assert problems(
        "people:\n" + person("a", "a@x.example", "tim_peliputan", "ssh-ed25519 bukan-kunci"), sop
    ) == [
        "team.yml:7:9: TEAM004 The SSH public key of Orang a cannot be read: the key is not valid base64 key data.\n"
        "    → Copy the `.pub` file's content as it is, one line per key."
    ]


def test_same_id_and_email_twice(sop: Sop) -> None:
    text = (
        "people:\n"
        + person("a", "a@x.example", "tim_peliputan", KEY_A)
        + person("a", "A@x.example", "tim_peliputan", KEY_B)
    )
    found = problems(text, sop)
    assert found == [
        "team.yml:8:9: TEAM005 id `a` is used by more than one person.\n    → Every person has their own id.",
        "team.yml:10:12: TEAM005 e-mail address `a@x.example` is used by more than one person.\n"
        "    → Every person has their own e-mail address.",
    ]


def test_inactive_people_are_not_signers(sop: Sop) -> None:
    team = load_team(
        "people:\n"
        + person("a", "a@x.example", "tim_peliputan", KEY_A).replace(
            "    keys:", "    active: false\n    keys:"
        ),
        sop,
    )
    assert team.keys() == {} and team.by_fingerprint == {}
