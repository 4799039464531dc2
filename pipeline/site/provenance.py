"""Public proof: which verified blob, verified in which commit by which key, each page came from,
and the SHA-256 of every file the build wrote. `laman verify-site` checks a served copy."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pipeline.errors import LamanError, Problem

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
    imported: str | None = None  # the old site's address of legacy content `laman import` brought
    correction: str | None = None  # why this version corrected the one before it (a ralat)
    # The versions verified before, which corrections replaced, oldest first: each its blob,
    # verifying commit and key, time and correction reason, as above.
    earlier: tuple[Mapping[str, str | None], ...] = ()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest(site: Path, *, record: bool = False) -> dict[str, str]:
    """Every file of the site (but the record itself, unless `record`) -> its SHA-256. Folders
    that are symbolic links are followed, as a web server serves them (each real folder once)."""
    found = {}
    seen: set[str] = set()
    for folder, dirs, names in os.walk(site, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:  # a link back up the tree: its files are reached by another path
            dirs.clear()
            continue
        seen.add(real)
        for name in names:
            path = Path(folder, name)
            if path.is_file():
                found[path.relative_to(site).as_posix()] = digest(path)
    if not record:
        found.pop(PATH, None)
    return dict(sorted(found.items()))


def write(site: Path, commit: str | None, entries: Iterable[Entry], now: datetime) -> dict[str, object]:
    """The record; `now` is the time the build stood for (embargoes, the serta-merta band), so
    that `laman verify-site` can build the same site again."""
    files = manifest(site)
    articles = []
    for entry in entries:
        page = entry.url.strip("/") + "/index.html"
        articles.append({**entry.__dict__, "files": {page: files[page]} if page in files else {}})
    record = {
        "sop": "SOP 27/2023",
        "commit": commit,
        "built_for": now.isoformat(),
        "articles": articles,
        "files": files,
    }
    target = site / PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(record, ensure_ascii=False, indent=1), "utf-8")
    return record


@dataclass(frozen=True)
class Claim:
    """What a served record says of its build: which commit, for which time."""

    commit: str
    built_for: datetime
    record: Mapping[str, Any]


_COMMIT = re.compile(r"[0-9a-f]{40}")


def read(site: Path) -> Claim:
    """The served record's claim; a record that is missing, not JSON, or says no commit or time
    is refused with a message, never a traceback."""
    try:
        record = json.loads((site / PATH).read_text("utf-8"))
    except (OSError, ValueError):
        raise LamanError([Problem("VER005", str(site), args={"site": str(site)})]) from None
    commit = record.get("commit") if isinstance(record, dict) else None
    when = record.get("built_for") if isinstance(record, dict) else None
    try:
        built_for = datetime.fromisoformat(when) if isinstance(when, str) else None
    except ValueError:
        built_for = None
    articles = record.get("articles", []) if isinstance(record, dict) else None
    if (
        not isinstance(commit, str)
        or not _COMMIT.fullmatch(commit)
        or built_for is None
        or built_for.tzinfo is None
        or not isinstance(articles, list)
        or not all(isinstance(a, dict) for a in articles)
    ):
        raise LamanError([Problem("VER006", PATH, args={"site": str(site)})])
    return Claim(commit, built_for, record)


def compare(served: Mapping[str, str], built: Mapping[str, str]) -> list[Problem]:
    """Files of the served copy changed, added or missing against a build of the repository."""
    problems = [
        Problem("VER001", path, args={"path": path})
        for path, sha in served.items()
        if path in built and built[path] != sha
    ]
    problems += [Problem("VER002", path, args={"path": path}) for path in served if path not in built]
    problems += [Problem("VER003", path, args={"path": path}) for path in built if path not in served]
    return problems


def check_articles(served: Mapping[str, Any], built: Mapping[str, Any]) -> list[Problem]:
    """Each article the served record names against the record of the rebuild: an entry that
    the repository's history does not give (another blob, commit or key) is named."""
    honest = {_claim(a) for a in built.get("articles", [])}
    problems = []
    for entry in served.get("articles", []):
        claimed = tuple(str(entry.get(k)) for k in ("id", "blob", "commit", "key"))
        if _claim(entry) not in honest:
            where = str(entry.get("url") or PATH)
            problems.append(Problem("VER004", where, args={"id": claimed[0], "blob": claimed[1][:12]}))
    return problems


def _claim(entry: Mapping[str, Any]) -> tuple[object, ...]:
    """What a record's entry says of its provenance: the version and every earlier one, each its
    blob, verifying commit and key (and the correction's reason)."""
    fields = ("blob", "commit", "key", "correction")
    earlier = entry.get("earlier") or ()
    past = tuple(tuple(str(e.get(k)) for k in fields) for e in earlier if isinstance(e, Mapping))
    return (entry.get("id"), *(str(entry.get(k)) for k in fields), past)
