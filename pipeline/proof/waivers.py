"""Signed waivers: the person in charge accepts a past violation, with a reason, in a commit of its
own whose trailers name what it forgives (`laman waive`).

Pure. A waiver is honoured only when its commit is signed by a person who holds the waiving role
under the policy in force (the check's, never a tree's), and only for the violations of the
commit it names (and the article, if it names one) that are behind it in history. Some
violations are never forgiven: exempt information on the site (the law, not the office, decides
it), a site-code change without the right signature (nobody vouched for the code that runs), and
the proof's own violations. A waiver that is not honoured is no violation: the check says why in
a notice and forgives nothing with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.model.files import SITE_CODE
from pipeline.proof.hold import PROOF_CODES, Key, key
from pipeline.proof.policy import Record, Signer, Violation

if TYPE_CHECKING:
    from pipeline.model.files import FileClasses
    from pipeline.model.sop import Sop

WAIVE = "SOP-Waive"
ARTICLE = "SOP-Waive-Article"
REASON = "SOP-Reason"
ROLE = "penanggung_jawab"  # who may forgive: the person in charge of the site
EXEMPT = "SOP012"  # exempt information on the site
_SIGNATURE = frozenset({"SOP001", "SOP002", "SOP011"})


@dataclass(frozen=True)
class Waiver:
    commit: str  # the waiver's own commit
    target: str  # the commit whose violations it forgives, as written
    article: str | None
    reason: str
    signer: Signer | None = None  # who signed the waiver's commit (the check fills it in)
    behind: bool = False  # is `target` a commit behind the waiver (the check fills it in)


def parse(commit: str, trailers: str) -> Waiver | None:
    """A waiver from a commit's trailers (`Key: value` lines), or None if it names no commit."""
    found: dict[str, str] = {}
    for line in trailers.splitlines():
        name, sep, value = line.partition(":")
        if sep and name.strip() in (WAIVE, ARTICLE, REASON):
            found.setdefault(name.strip(), value.strip())
    if not found.get(WAIVE):
        return None
    return Waiver(commit, found[WAIVE], found.get(ARTICLE) or None, found.get(REASON, ""))


def message(target: str, article: str | None, reason: str, title: str) -> str:
    """The waiver's commit message: a title, the reason, and the trailers the check reads."""
    lines = [f"{WAIVE}: {target}"]
    if article:
        lines.append(f"{ARTICLE}: {article}")
    lines.append(f"{REASON}: {' '.join(reason.split())}")
    return f"{title}\n\n{reason.strip()}\n\n" + "\n".join(lines) + "\n"


def refusal(violation: Violation, kinds: FileClasses) -> str | None:
    """Why a violation can never be waived (a message code), or None if it can."""
    if violation.code == EXEMPT:
        return "WAV003"
    if violation.code in _SIGNATURE and kinds.classify(violation.file) == SITE_CODE:
        return "WAV004"
    if violation.code in PROOF_CODES:
        return "WAV005"
    return None


def named(waiver: Waiver, violations: Iterable[Violation]) -> list[Violation]:
    """The violations a waiver names: of its commit (a full id or an unambiguous prefix of at
    least seven digits) and, if it names one, of its article."""
    target = waiver.target.lower()
    if len(target) < 7:
        return []
    return [
        v
        for v in violations
        if v.commit.startswith(target) and (waiver.article is None or v.article == waiver.article)
    ]


def apply(
    waivers: Iterable[Waiver], violations: Iterable[Violation], kinds: FileClasses, sop: Sop | None
) -> tuple[dict[Key, Waiver], list[Violation]]:
    """The violations forgiven (by key, with the waiver that forgave each) and a notice for each
    waiver, or part of one, that is not honoured."""
    violations = list(violations)
    forgiven: dict[Key, Waiver] = {}
    notices: list[Violation] = []
    allowed = _labels(sop)
    for waiver in waivers:
        args: Mapping[str, object] = {"waiver": waiver.commit[:10], "target": waiver.target[:10]}
        signer = waiver.signer
        if signer is None or signer.status != "G" or ROLE not in signer.roles():
            who = signer.name() if signer else "—"
            notices.append(_notice("WAV001", waiver, {**args, "person": who, "allowed": allowed}))
            continue
        found = named(waiver, violations)
        if not waiver.behind or not found:
            notices.append(_notice("WAV002", waiver, {**args, "article": waiver.article or "—"}))
            continue
        for violation in found:
            code = refusal(violation, kinds)
            if code is not None:
                notices.append(_notice(code, waiver, {**args, "code": violation.code}))
            else:
                forgiven.setdefault(key(violation), waiver)
    return forgiven, notices


def _labels(sop: Sop | None) -> str:
    role = sop.roles.get(ROLE) if sop else None
    return role.label if role else ROLE


def _notice(code: str, waiver: Waiver, args: Mapping[str, object]) -> Violation:
    return Violation(code, waiver.commit, ".", None, waiver.article, dict(args))


def accepted(records: Mapping[str, Record], forgiven: Mapping[Key, Waiver]) -> dict[str, Record]:
    """Article id -> its record accepted as it stands, for each article whose every violation a
    waiver forgave: the person in charge signed for that text, so the waiver stands where a
    verification would (its commit and key go into the public record)."""
    found = {}
    for ident, record in records.items():
        if not record.held or any(key(v) not in forgiven for v in record.held):
            continue
        waiver = forgiven[key(record.held[-1])]
        signer = waiver.signer
        person = signer.person.id if signer and signer.person else None
        fingerprint = signer.fingerprint if signer else None
        found[ident] = record._replace(
            approved=True,
            verified_by=person,
            verified_in=waiver.commit,
            verified_key=fingerprint,
            held=(),
            good=None,
        )
    return found
