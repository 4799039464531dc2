"""Public proof: which verified blob, verified in which commit by which key, each page came from,
and the SHA-256 of every file the build wrote. `laman verify-site` checks a served copy."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import Problem

PATH = ".well-known/laman-provenance.json"
# What a build says of itself (commit, enforced, preview, articles): written by the build, read
# by the deploy before it sends anything live.
MARKER = ".laman-build.json"


@dataclass(frozen=True)
class Entry:
    id: str
    url: str
    file: str  # the article's path in the repository
    blob: str
    commit: str | None  # the commit that verified it (None: legacy content before the anchor)
    key: str | None  # the verifier's key fingerprint
    verified_at: str | None  # ISO time of that commit


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest(site: Path) -> dict[str, str]:
    """Every file of the site (but the record itself) -> its SHA-256."""
    return {
        p.relative_to(site).as_posix(): digest(p)
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.relative_to(site).as_posix() != PATH
    }


def write(site: Path, commit: str | None, entries: Iterable[Entry]) -> dict[str, object]:
    files = manifest(site)
    articles = []
    for entry in entries:
        page = entry.url.strip("/") + "/index.html"
        articles.append({**entry.__dict__, "files": {page: files[page]} if page in files else {}})
    record = {"sop": "SOP 27/2023", "commit": commit, "articles": articles, "files": files}
    target = site / PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(record, ensure_ascii=False, indent=1), "utf-8")
    return record


def check_files(site: Path, record: Mapping[str, object]) -> list[Problem]:
    """Files changed, missing, or present without being in the record."""
    recorded: Mapping[str, str] = record.get("files", {})  # type: ignore[assignment]
    served = manifest(site)
    problems = [
        Problem("VER001", path, args={"path": path})
        for path, sha in served.items()
        if path in recorded and recorded[path] != sha
    ]
    problems += [Problem("VER002", path, args={"path": path}) for path in served if path not in recorded]
    problems += [Problem("VER003", path, args={"path": path}) for path in recorded if path not in served]
    return problems


def check_articles(
    record: Mapping[str, object], verified: Mapping[str, tuple[str, str | None, str | None]]
) -> list[Problem]:
    """Each entry against history: `verified` is article id -> (blob, commit, key) as `laman check`
    finds them at the recorded commit."""
    problems = []
    for entry in record.get("articles", []):  # type: ignore[union-attr]
        found = verified.get(entry["id"])
        claimed = (entry["blob"], entry["commit"], entry["key"])
        if found is None or found != claimed:
            problems.append(
                Problem("VER004", entry["url"], args={"id": entry["id"], "blob": entry["blob"][:12]})
            )
    return problems
