"""Benchmark SSH signature verdicts: git's `%G?` (ssh-keygen per commit) against our in-process check.

.venv/bin/python bench/signature.py                   # 200 commits signed with an Ed25519 key
.venv/bin/python bench/signature.py --commits 1000 --key-type rsa

Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pipeline.model.keys import allowed_signers_text, parse_public_key
from pipeline.proof.signature import verify_commit
from tests.gitrepo import GitRepo, make_identity


def read_commits(repo: GitRepo, ids: list[str]) -> list[bytes]:
    """The raw commit objects, all through one `git cat-file --batch`."""
    done = subprocess.run(
        ["git", "cat-file", "--batch"],
        cwd=repo.path,
        env=repo.env,
        input="".join(f"{i}\n" for i in ids).encode(),
        capture_output=True,
        check=True,
    )
    out, at, raws = done.stdout, 0, []
    for _ in ids:
        end = out.index(b"\n", at)
        _, kind, size = out[at:end].split()
        if kind != b"commit":
            raise ValueError(f"expected a commit, got {out[at:end].decode()}")
        raws.append(out[end + 1 : end + 1 + int(size)])
        at = end + 1 + int(size) + 1
    return raws


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--commits", type=int, default=200)
    parser.add_argument("--key-type", choices=["ed25519", "ecdsa", "rsa"], default="ed25519")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="laman-bench-signature-") as temp:
        folder = Path(temp)
        person = make_identity(folder / "keys", "Ana", "ana@kpu.example", args.key_type)
        allowed_file = folder / "allowed_signers"
        allowed_file.write_text(allowed_signers_text([(person.email, person.public_line)]))
        allowed = {person.fingerprint: parse_public_key(person.public_line)}
        repo = GitRepo(folder / "repo", allowed_signers=allowed_file)

        print(f"Making {args.commits:,} commits signed with an {args.key_type} key …")
        start = time.perf_counter()
        for i in range(args.commits):
            repo.write("berita/a.md", f"versi {i}\n")
            repo.commit(f"versi {i}", person)
        print(f"  {time.perf_counter() - start:.2f} s")

        start = time.perf_counter()
        log = repo.git("log", "--format=%H %G?")
        git_seconds = time.perf_counter() - start
        git_verdicts = dict(line.split() for line in log.splitlines())

        ids = list(git_verdicts)
        start = time.perf_counter()
        raws = read_commits(repo, ids)
        read_seconds = time.perf_counter() - start
        ours = [verify_commit(raw, allowed).status for raw in raws]
        our_seconds = time.perf_counter() - start

        same = sum(git_verdicts[i] == status for i, status in zip(ids, ours, strict=True))
        n = len(ids)
        print(
            f"  git log --format=%G?          {git_seconds / n * 1e3:8.3f} ms per commit  ({git_seconds:.2f} s)"
        )
        print(
            f"  cat-file --batch + verify     {our_seconds / n * 1e3:8.3f} ms per commit  ({our_seconds:.3f} s,"
            f" of which reading {read_seconds:.3f} s)"
        )
        print(f"  ratio git / ours              {git_seconds / our_seconds:8.1f}x")
        print(f"  same verdict as git           {same:,} of {n:,} ({', '.join(sorted(set(ours)))})")


if __name__ == "__main__":
    main()
