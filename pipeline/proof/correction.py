"""A correction (ralat) of a live page, as the check remembers it.

A move of sop.yml from a publishable stage back into the flow (`Sop.reopens`) opens a
correction: while the article goes round the loop again, the version verified last stays live
(the record's `standing` version, whose verification the `verified_*` fields keep describing),
and the reason the move gave waits in `correcting`. Once the correction is verified, the new
version goes live with that reason (`correction`), and the version it replaced joins
`superseded`, for the public record. A withdrawal ends it all: the page leaves the site.

Pure: `policy.judge` hands the change and the record it would keep; no I/O.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from pipeline.proof.policy import Change, Record, Violation


class Superseded(NamedTuple):
    """A verified version that a verified correction replaced."""

    path: str
    blob: str
    commit: str | None  # the commit that verified it
    by: str | None  # the verifier's person id
    key: str | None  # the verifier's key fingerprint
    correction: str | None  # the reason of the correction that made this version, if one did


def verified(before: Record | None, fresh: Record) -> Record:
    """A version just verified: if it ends a correction, the standing version it replaces is
    superseded, and the new one carries the correction's reason."""
    if before is None or (before.standing is None and not before.superseded):
        return fresh
    if before.standing is None:
        return fresh._replace(superseded=before.superseded)
    old = before.standing
    replaced = Superseded(
        old.path, old.blob, before.verified_in, before.verified_by, before.verified_key, before.correction
    )
    return fresh._replace(correction=before.correcting, superseded=(*before.superseded, replaced))


def unverified(change: Change, fresh: Record) -> Record:
    """A version not (yet) verified. A correction move keeps the verified version live; so does
    every later change until the correction is verified, but a withdrawal (a terminal stage)."""
    before = change.before
    if before is None or not (before.approved or before.standing or before.superseded):
        return fresh  # most changes: no verified version behind them
    opens = change.transition is not None and change.sop.reopens(change.transition)
    standing = before.version if (opens and before.approved) else before.standing
    if standing is None or _ends(change):
        return fresh._replace(superseded=before.superseded) if before.superseded else fresh
    correcting = before.correcting
    if opens:
        reason = change.after.value(change.transition.reason or "") if change.after else None
        correcting = str(reason) if reason else None
    return fresh._replace(
        verified_by=before.verified_by,
        verified_in=before.verified_in,
        verified_key=before.verified_key,
        standing=standing,
        correction=before.correction,
        correcting=correcting,
        superseded=before.superseded,
    )


def _ends(change: Change) -> bool:
    """Does this change take the article to a terminal stage (a withdrawal)?"""
    sop, target = change.policy.sop, change.target
    return sop is not None and target is not None and sop.has_stage(target) and sop.stage(target).terminal


def rule_fresh_reason(change: Change) -> list[Violation]:
    """A correction names its own reason: the field still holding the last correction's would
    put an old reason on the new note (the reason rule only asks that the field be filled)."""
    transition = change.transition
    if transition is None or not transition.reason or change.before is None or change.after is None:
        return []
    if not change.sop.reopens(transition):
        return []
    given = change.after.value(transition.reason)
    if not given or given != change.before.version.value(transition.reason):
        return []
    args = {"key": transition.reason, "reason": given, "file": change.file, "target": change.target}
    return [change.violation("RAL001", **args)]
