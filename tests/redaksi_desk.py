"""Office staff at their own computers: one bare remote, and for each person a HOME, a clone
signing with their key, and `laman redaksi` running there as a process of its own."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.gitrepo import _run
from tests.office import Keys, Office, team_yaml

ROOT = Path(__file__).resolve().parent.parent


def shared_office(
    folder: Path,
    keys: Keys,
    people: dict[str, list[str]] | None = None,
    prepare: Callable[[Office], None] = lambda _: None,
    *,
    anchor: bool = True,
) -> Path:
    """The office's repository as a bare remote everyone clones (the forge); `people` (who ->
    roles) written to team.yml by the person in charge. The trust anchor is kept, as `laman init`
    keeps it, in the remote's config (`laman.anchor`) for the clones that check."""
    office = Office(folder, keys, anchor=anchor, site=True)
    if people is not None:
        office.repo.write("team.yml", team_yaml(keys, people))
        office.repo.commit("Tim redaksi", keys["pj"])
    prepare(office)
    remote = folder / "remote.git"
    _run(["git", "clone", "--quiet", "--bare", str(office.path), str(remote)], env=office.repo.env)
    if anchor:
        _run(["git", "config", "laman.anchor", office.legacy], cwd=remote, env=office.repo.env)
    return remote


def git_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "SSH_", "LAMAN_SMTP"))}
    return {**env, "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1", "PYTHONUNBUFFERED": "1"}


@dataclass
class Desk:
    """One person's computer: their clone and their running Ruang Redaksi."""

    who: str
    clone: Path
    env: dict[str, str]
    process: subprocess.Popen[str] | None = None
    base: str = ""
    token: str = ""
    cookie: str = field(default="", repr=False)

    def git(self, *args: str) -> str:
        return _run(["git", *args], cwd=self.clone, env=self.env).decode()

    def start(self, extra_env: dict[str, str] | None = None) -> Desk:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "redaksi", "--no-browser"],
            cwd=self.clone,
            env={**self.env, **(extra_env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        found = re.search(r"(http://127\.0\.0\.1:\d+)/\?token=(\S+)", line)
        assert found, line + self.process.stdout.read()
        self.base, self.token = found.group(1), found.group(2)
        status, headers, _ = self.request("GET", f"/?token={self.token}", cookie=False)
        assert status == 302, status
        self.cookie = headers["set-cookie"].split(";")[0]
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    @property
    def host(self) -> str:
        return self.base.removeprefix("http://")

    @property
    def csrf(self) -> str:
        import hashlib
        import hmac

        return hmac.new(self.token.encode(), b"csrf", hashlib.sha256).hexdigest()

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        *,
        cookie: bool = True,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], str]:
        """One request as a browser on this computer sends it (same-origin form posts)."""
        connection = http.client.HTTPConnection(self.host, timeout=120)
        sent = {"Host": self.host}
        if cookie and self.cookie:
            sent["Cookie"] = self.cookie
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            sent |= {"Content-Type": "application/x-www-form-urlencoded", "Origin": self.base}
            sent |= {"Sec-Fetch-Site": "same-origin"}
        sent |= headers or {}
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            got = {k.lower(): v for k, v in response.getheaders()}
            return response.status, got, response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def post(self, path: str, form: dict[str, str], **kwargs: object) -> tuple[int, dict[str, str], str]:
        return self.request("POST", path, {"csrf": self.csrf, **form}, **kwargs)  # type: ignore[arg-type]


def desk(folder: Path, remote: Path, keys: Keys, who: str) -> Desk:
    """`who`'s computer: their own HOME with their key in ~/.ssh, a clone of the remote, this
    repository's identity and SSH signing set as the set-up asks, and the office's trust anchor
    recorded once, as README asks of every clone."""
    ident = keys[who]
    home = folder / f"home-{who}"
    (home / ".ssh").mkdir(parents=True, exist_ok=True)
    key = home / ".ssh" / "id_ed25519"
    key.write_bytes(ident.key_path.read_bytes())
    key.chmod(0o600)
    key.with_suffix(".pub").write_text(ident.public_line + "\n")
    env = git_env(home)
    clone = folder / f"clone-{who}"
    _run(["git", "clone", "--quiet", str(remote), str(clone)], env=env)
    person = Desk(who, clone, env)
    for name, value in (
        ("user.name", ident.name),
        ("user.email", ident.email),
        ("user.signingkey", str(key)),
        ("gpg.format", "ssh"),
        ("commit.gpgsign", "true"),
    ):
        person.git("config", name, value)
    anchor = subprocess.run(
        ["git", "config", "laman.anchor"], cwd=remote, env=env, capture_output=True, text=True
    )
    if anchor.stdout.strip():
        person.git("config", "laman.anchor", anchor.stdout.strip())
    return person


def article_id(page: str) -> str:
    found = re.search(r'action="/naskah/([^/"]+)/', page)
    assert found, page[:2000]
    return found.group(1)


def base_of(page: str) -> str:
    found = re.search(r'name="base" value="([0-9a-f]+)"', page)
    assert found, page[:2000]
    return found.group(1)
