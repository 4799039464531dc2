"""The files under `content/` that are not articles: an asset needs a team member's signature, a
DIP document the signature of a role sop.yml names for documents, and anything else is refused.
What passes is admitted at its blob; what fails leaves the blob admitted before, if any."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from pipeline.model import files as classes
from pipeline.proof.policy import Policy, Signer, Violation
from pipeline.proof.rules.people import holds, labels
from pipeline.proof.version import REGULAR

if TYPE_CHECKING:
    from pipeline.model.files import FileClasses
    from pipeline.proof.gitlog import FileChange

Admitted = dict[str, str | None]  # path -> the blob now admitted; None: no longer admitted


def judge_files(
    commit: str,
    signer: Signer,
    pol: Policy,
    kinds: FileClasses,
    by_class: Mapping[str, Iterable[FileChange]],
    guarded: Mapping[str, str] | None = None,
) -> tuple[list[Violation], Admitted]:
    """The violations of one commit's changes to assets, documents and refused files, and what
    they admit. `guarded`: the files approved DIP documents name (file -> document), part of
    what was approved, so changed only by whom may approve documents."""
    guarded = guarded or {}
    if pol.broken:  # no team to know signers by: nothing is admitted (the policy's own rule says why)
        return [], {}
    signed = signer.status == "G" and signer.person is not None
    key = f", {signer.fingerprint}" if signer.fingerprint else ""
    violations: list[Violation] = []
    admitted: Admitted = {}

    def refused(path: str) -> dict[str, object]:
        return {"path": path, "types": ", ".join(kinds.asset_types) or "—"}

    for change in by_class.get(classes.REFUSED, ()):
        if change.new_blob is not None:  # removing a refused file is what the message asks for
            violations.append(Violation("SOP040", commit, change.path, None, None, refused(change.path)))
    for kind in (classes.ASSET, classes.DOCUMENT):
        for change in by_class.get(kind, ()):
            if change.new_blob is not None and change.new_mode not in REGULAR:
                violations.append(Violation("SOP040", commit, change.path, None, None, refused(change.path)))
                admitted[change.path] = None
            elif not signed:
                violations.append(
                    Violation(
                        "SOP001", commit, change.path, None, None, {"status": signer.status, "key": key}
                    )
                )
            elif kind == classes.DOCUMENT and not holds(signer, kinds.document_roles):
                allowed = labels(pol.sop, kinds.document_roles) if pol.sop else "—"
                args = {"path": change.path, "person": signer.name(), "allowed": allowed}
                violations.append(Violation("SOP041", commit, change.path, None, None, args))
            elif change.path in guarded and not holds(signer, kinds.document_roles):
                allowed = labels(pol.sop, kinds.document_roles) if pol.sop else "—"
                args = {"path": change.path, "document": guarded[change.path], "person": signer.name()}
                violations.append(
                    Violation("SOP090", commit, change.path, None, None, {**args, "allowed": allowed})
                )
            else:
                admitted[change.path] = change.new_blob
    return violations, admitted
