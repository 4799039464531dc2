"""What a violation holds: the article it touches, or the site's code, never the whole office.

Pure functions over the check's violations and records. An article with a violation is *held*:
its last publishable record before the violation stays live (`Record.good`), or nothing if it had
none, while every other article builds. The walk (`policy.judge`) keeps on each record the
violations since the article was last cleared: a clean verification by the right person (who
approved that exact text) or a clean withdrawal clears them; a waiver (`waivers.py`) forgives
them. A violation of the site's code holds the code at the last commit before it, until the roles
that sign site code sign the file again. Violations about the proof itself (the history, the
trust anchor, the policy) hold everything: there is nothing to judge an article by.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING

from pipeline.model.files import SITE_CODE
from pipeline.proof import policy
from pipeline.proof.policy import Record, Violation

if TYPE_CHECKING:
    from pipeline.model.files import FileClasses
    from pipeline.model.sop import Sop

# A shallow clone, a lost or moved trust anchor, an unreadable or broken policy, a published
# commit main no longer holds: what the whole proof stands on.
PROOF_CODES = frozenset({"SOP017", "SOP018", "SOP019", "SOP022", "SOP043", "SOP044", "SOP045"})

Key = tuple[str, str, str, str | None]  # code, commit, file, article: a violation, hashable


def key(violation: Violation) -> Key:
    return violation.code, violation.commit, violation.file, violation.article


def stopping(violations: Iterable[Violation]) -> tuple[Violation, ...]:
    """The violations that stop every build and deploy."""
    return tuple(v for v in violations if v.code in PROOF_CODES)


def held_articles(records: Mapping[str, Record], waived: Collection[Key]) -> dict[str, tuple[Violation, ...]]:
    """Article id -> the violations that hold it, those forgiven left out."""
    held = {}
    for ident, record in records.items():
        left = tuple(v for v in record.held if key(v) not in waived)
        if left:
            held[ident] = left
    return held


def live(records: Mapping[str, Record], held: Collection[str], sop: Sop | None) -> dict[str, Record]:
    """Article id -> the record whose version goes live (`policy.live`: its approved version, or
    during a correction its standing one): its own if not held, else the last good one before its
    violations. (An article whose every violation a waiver
    forgave comes here approved by it: `waivers.accepted`.)"""
    if sop is None:
        return {}
    found = {}
    for ident, record in records.items():
        if ident not in held and policy.live(record, sop) is not None:
            found[ident] = record
        elif record.good is not None and policy.live(record.good, sop) is not None:
            found[ident] = record.good
    return found


def site_code(
    violations: Iterable[Violation], kinds: FileClasses, signed_again: Mapping[str, bool]
) -> tuple[Violation, ...]:
    """The violations that hold the site's code: those on a site-code file that the roles of site
    code have not signed again since (`signed_again`: path -> whether the file as it stands at the
    head is the one they last signed)."""
    return tuple(
        v
        for v in violations
        if v.code not in PROOF_CODES and kinds.classify(v.file) == SITE_CODE and not signed_again.get(v.file)
    )


def squash(violations: Iterable[Violation], sop: Sop | None) -> Violation | None:
    """One notice for a squash or rebase merge: a commit that moved an article forward over more
    than one step of the SOP at once (what a merge that folds a branch into one commit does)."""
    if sop is None:
        return None
    for v in violations:
        source, target = str(v.args.get("source") or ""), str(v.args.get("target") or "")
        if v.code != "SOP003" or not (sop.has_stage(source) and sop.has_stage(target)):
            continue
        if sop.order(target) > sop.order(source) and not sop.stage(target).terminal:
            return Violation("SOP050", v.commit, v.file, None, None, {"commit": v.commit[:10]})
    return None
