"""What a check keeps between runs, in `.laman-cache/`: the signature verdicts by commit id (they
never change), and the state at the last head checked, from which the next check goes on."""

from __future__ import annotations

import marshal
import os
import pickle
from pathlib import Path

import immutables

from pipeline.proof.policy import Record, Violation
from pipeline.proof.reader import Verdicts
from pipeline.proof.version import Version
from pipeline.proof.walk import State

CACHE_DIR = ".laman-cache"
SIGNATURES = "signatures-v2.txt"  # bump when verdicts change
STATE = "check-state.pickle"
WAIVERS = "waiver-commits.pickle"
# Bump when what the state holds changes (v2, v4: peek digests; v3: named tuples; v5: step fields;
# v7: the records of corrections, the `correction` step field; v8: what records hold, and site code
# admitted; v9: what a move's stage requires, SOP080).
_CACHE_VERSION = 9
_META = Version._fields.index("meta")


class Cache:
    """The cache in `folder`; a cache that cannot be read is a miss, never an error."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._saved = 0  # verdicts in the file already

    def signatures(self) -> Verdicts:
        """Verdicts never change for a commit id: an append-only file of `id status key` lines."""
        path = self.folder / SIGNATURES
        if not path.exists():
            return {}
        found: Verdicts = {}
        for line in path.read_text("ascii", errors="replace").splitlines():
            parts = line.split(" ")
            if len(parts) == 3 and len(parts[0]) == 40:
                found[parts[0]] = (parts[1], None if parts[2] == "-" else parts[2])
        self._saved = len(found)
        return found

    def save(
        self, anchor: str, head: str, state: State, violations: list[Violation], verdicts: Verdicts
    ) -> None:
        """Keep the verdicts added since `signatures()` read them, and the state at `head`."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if len(verdicts) > self._saved:
            self._append_signatures(list(verdicts.items())[self._saved :])
        records = dict(state.articles.items())
        # This write is the walk's last step, so it is kept quick: the parsed front matters are
        # plain data, which marshal writes five times as fast as pickle does; the records go as
        # plain tuples, which pickle writes without a call per named tuple (for 5,000 articles,
        # 0.05 s in all against 0.24 s).
        metas = {ident: r.version.meta for ident, r in records.items() if r.version.meta is not None}
        snapshot = {
            "version": (_CACHE_VERSION, marshal.version),
            "anchor": anchor,
            "head": head,
            "articles": {
                ident: ((*r.version[:_META], None, *r.version[_META + 1 :]), *r[1:])
                for ident, r in records.items()
            },
            "metas": marshal.dumps(metas),
            "paths": dict(state.paths.items()),
            "policy_key": state.policy_key,
            "files": dict(state.files.items()),
            "violations": violations,
        }
        _atomic_write(self.folder / STATE, pickle.dumps(snapshot))

    def _append_signatures(self, fresh: list[tuple[str, tuple[str, str | None]]]) -> None:
        lines = "".join(f"{c} {status} {key or '-'}\n" for c, (status, key) in fresh).encode("ascii")
        # One write to a file opened for appending: two checks running at once cannot interleave
        # their lines (a buffered file writes in pieces, which could splice one commit's id to
        # another's verdict).
        handle = os.open(self.folder / SIGNATURES, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            left = memoryview(lines)
            while left:  # a regular file takes it all at once; a short write goes on after
                left = left[os.write(handle, left) :]
        finally:
            os.close(handle)
        self._saved += len(fresh)

    def state(self, anchor: str) -> tuple[str, State, list[Violation]] | None:
        """The head last checked from `anchor`, the state there and the violations found."""
        path = self.folder / STATE
        if not path.exists():
            return None
        try:
            snapshot = pickle.loads(path.read_bytes())
            if snapshot.get("version") != (_CACHE_VERSION, marshal.version):
                return None
            metas = marshal.loads(snapshot["metas"])
        except Exception:  # a cache that cannot be read is a cache miss, never an error
            return None
        if snapshot.get("anchor") != anchor:
            return None
        articles = {
            ident: Record(Version(*version[:_META], metas.get(ident), *version[_META + 1 :]), *rest)
            for ident, (version, *rest) in snapshot["articles"].items()
        }
        state = State(
            immutables.Map(articles),
            immutables.Map(snapshot["paths"]),
            tuple(snapshot["policy_key"]),
            immutables.Map(snapshot["files"]),
        )
        return snapshot["head"], state, list(snapshot["violations"])

    def waiver_commits(self, anchor: str) -> tuple[str, list[tuple[str, str]]] | None:
        """The last head scanned for waivers from `anchor`, and the (commit, trailers) found."""
        try:
            kept = pickle.loads((self.folder / WAIVERS).read_bytes())
        except Exception:  # a cache that cannot be read is a cache miss, never an error
            return None
        if (
            not isinstance(kept, dict)
            or kept.get("version") != _CACHE_VERSION
            or kept.get("anchor") != anchor
        ):
            return None
        return kept["head"], list(kept["found"])

    def save_waiver_commits(self, anchor: str, head: str, found: list[tuple[str, str]]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        kept = {"version": _CACHE_VERSION, "anchor": anchor, "head": head, "found": found}
        _atomic_write(self.folder / WAIVERS, pickle.dumps(kept))


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(f"{path.suffix}.{os.getpid()}.tmp")  # each writer its own
    tmp.write_bytes(data)
    tmp.replace(path)
