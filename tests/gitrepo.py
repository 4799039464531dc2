"""Real git repositories for tests: isolated configuration, real SSH keys, signed commits."""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Identity:
    name: str
    email: str
    key_path: Path
    public_line: str
    fingerprint: str


def make_identity(folder: Path, name: str, email: str, key_type: str = "ed25519") -> Identity:
    """A person with a fresh SSH key pair made by `ssh-keygen`."""
    folder.mkdir(parents=True, exist_ok=True)
    key = folder / email.replace("@", "_at_")
    args = ["ssh-keygen", "-q", "-t", key_type, "-N", "", "-C", email, "-f", str(key)]
    if key_type == "rsa":
        args[4:4] = ["-b", "2048"]
    subprocess.run(args, check=True, capture_output=True)
    public = key.with_name(key.name + ".pub").read_text().strip()
    listing = subprocess.run(["ssh-keygen", "-lf", f"{key}.pub"], check=True, capture_output=True, text=True)
    return Identity(name, email, key, public, listing.stdout.split()[1])


class GitRepo:
    def __init__(self, path: Path, allowed_signers: Path | None = None) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        home = Path(tempfile.mkdtemp(prefix="git-home-"))
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
            "HOME": str(home),
            "GIT_CONFIG_GLOBAL": "/dev/null",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_COUNT": "2",
            "GIT_CONFIG_KEY_0": "gpg.format",
            "GIT_CONFIG_VALUE_0": "ssh",
            "GIT_CONFIG_KEY_1": "init.defaultBranch",
            "GIT_CONFIG_VALUE_1": "main",
            # Merges and rebases made by `git` directly need some committer.
            "GIT_AUTHOR_NAME": "Uji",
            "GIT_AUTHOR_EMAIL": "uji@example.invalid",
            "GIT_COMMITTER_NAME": "Uji",
            "GIT_COMMITTER_EMAIL": "uji@example.invalid",
        }
        self.git("init", "--quiet", "-b", "main")
        if allowed_signers is not None:
            self.git("config", "gpg.ssh.allowedSignersFile", str(allowed_signers))

    def git(
        self, *args: str, input: bytes | None = None, check: bool = True, env: dict[str, str] | None = None
    ) -> str:
        done = subprocess.run(
            ["git", *args], cwd=self.path, env={**self.env, **(env or {})}, input=input, capture_output=True
        )
        if check and done.returncode != 0:
            raise RuntimeError(
                f"git {' '.join(args)} exited {done.returncode}\nstdout: {done.stdout.decode(errors='replace')}"
                f"\nstderr: {done.stderr.decode(errors='replace')}"
            )
        return done.stdout.decode("utf-8", "replace")

    def write(self, relpath: str, text: str | bytes) -> Path:
        target = self.path / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, "utf-8")
        return target

    def remove(self, relpath: str) -> None:
        (self.path / relpath).unlink()

    def commit(
        self,
        message: str,
        by: Identity | None = None,
        *,
        author: tuple[str, str] | None = None,
        sign: bool = True,
        date: str | None = None,
        allow_empty: bool = False,
    ) -> str:
        """Stage everything and commit as `by`, signed with its key unless `sign` is False."""
        self.git("add", "-A")
        name, email = author or ((by.name, by.email) if by else ("Tanpa Nama", "anon@example.invalid"))
        env = {
            "GIT_AUTHOR_NAME": name,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_COMMITTER_NAME": by.name if by else name,
            "GIT_COMMITTER_EMAIL": by.email if by else email,
        }
        if date:
            env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        args = ["commit", "--quiet", "-m", message]
        if allow_empty:
            args.append("--allow-empty")
        if sign and by is not None:
            args = ["-c", f"user.signingkey={by.key_path}", *args, "-S"]
        else:
            args = ["-c", "commit.gpgSign=false", *args]
        self.git(*args, env=env)
        return self.head()

    def raw_commit(self, rev: str) -> bytes:
        return subprocess.run(
            ["git", "cat-file", "commit", rev], cwd=self.path, env=self.env, capture_output=True, check=True
        ).stdout

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()
