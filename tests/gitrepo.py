"""Real git repositories for tests: isolated configuration, real SSH keys, signed commits.

alice = make_identity(tmp_path / "keys", "Alice", "alice@example.org")
repo = GitRepo(tmp_path / "repo")
repo.write("a.md", "hello\n")
commit_id = repo.commit("add a", alice)          # signed with alice's key
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import weakref
from dataclasses import dataclass
from pathlib import Path

KEY_BITS = {"rsa": "2048"}  # ssh-keygen's default of 3072 bits is slow to make and adds nothing here


@dataclass(frozen=True)
class Identity:
    name: str
    email: str
    key_path: Path
    public_line: str
    fingerprint: str


def make_identity(folder: Path, name: str, email: str, key_type: str = "ed25519") -> Identity:
    """A person with a fresh SSH key pair made by `ssh-keygen -t key_type` (ed25519, ecdsa, rsa)."""
    folder.mkdir(parents=True, exist_ok=True)
    key = folder / f"{email.replace('@', '_at_')}_{key_type}"
    bits = ["-b", KEY_BITS[key_type]] if key_type in KEY_BITS else []
    _run(["ssh-keygen", "-q", "-t", key_type, *bits, "-N", "", "-C", email, "-f", str(key)])
    public = Path(f"{key}.pub").read_text("utf-8").strip()
    listing = _run(["ssh-keygen", "-lf", f"{key}.pub"]).decode()  # "256 SHA256:… comment (ED25519)"
    return Identity(name, email, key, public, listing.split()[1])


def _run(
    args: list[str],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    input: bytes | None = None,
    check: bool = True,
) -> bytes:
    done = subprocess.run(
        args,
        cwd=cwd,
        env=env,
        input=input,
        capture_output=True,
        stdin=None if input is not None else subprocess.DEVNULL,
    )
    if check and done.returncode != 0:
        raise RuntimeError(
            f"`{' '.join(args)}` exited {done.returncode}\n"
            f"stdout: {done.stdout.decode(errors='replace')}\n"
            f"stderr: {done.stderr.decode(errors='replace')}"
        )
    return done.stdout


class GitRepo:
    """A repository whose git sees no user or system configuration, only what the test sets."""

    def __init__(self, path: Path, allowed_signers: Path | None = None) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        home = tempfile.mkdtemp(prefix="git-home-")
        weakref.finalize(self, shutil.rmtree, home, ignore_errors=True)
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "SSH_"))},
            "HOME": home,
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

    def run(
        self, *args: str, input: bytes | None = None, check: bool = True, env: dict[str, str] | None = None
    ) -> bytes:
        """git's raw output; on failure (when `check`) an error with command, exit code and output."""
        return _run(["git", *args], cwd=self.path, env={**self.env, **(env or {})}, input=input, check=check)

    def git(
        self, *args: str, input: bytes | None = None, check: bool = True, env: dict[str, str] | None = None
    ) -> str:
        return self.run(*args, input=input, check=check, env=env).decode("utf-8", "replace")

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
        """Stage everything and commit as `by` (author and committer), signed with its key unless
        `sign` is False; `author` (name, e-mail) overrides the author alone. Returns the commit id."""
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
        """The commit object as git stores it (`git cat-file commit`)."""
        return self.run("cat-file", "commit", rev)

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()
