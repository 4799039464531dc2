"""`laman waive`: the person in charge accepts a past violation, with a reason, in a signed
commit of its own that the check reads (`proof/waivers.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import LamanError, Problem
from pipeline.messages import say
from pipeline.model.project import TEAM_FILE, load_project
from pipeline.proof import identity, waivers
from pipeline.proof.check import run_check
from pipeline.proof.history import Repository


@dataclass(frozen=True)
class Waived:
    commit: str  # the waiver's own commit
    person: str
    target: str  # the commit whose violations it forgives
    violations: int


def waive(root: Path, commit: str, article: str | None, reason: str | None) -> Waived:
    """Commit a signed waiver of the violations of `commit` (of `article` alone, if named),
    refused before it is made if the signer may not waive, if there is nothing to waive, or if
    any violation it names can never be waived."""
    project = load_project(root)
    if not reason or not reason.strip():
        raise LamanError([Problem("WAV006", ".", args={"target": commit})])
    allowed = project.sop.roles[waivers.ROLE].label if waivers.ROLE in project.sop.roles else waivers.ROLE
    with Repository(project.root) as repo:
        person = identity.current_person(repo, project.team)
        if not person.has(waivers.ROLE):
            args = {"person": person.name, "allowed": allowed, "target": commit}
            raise LamanError([Problem("WAV007", TEAM_FILE, args=args)])
        target = repo.resolve(commit) or commit
        checked = run_check(project.root)
        named = waivers.named(waivers.Waiver("", target, article, reason), checked.violations)
        args = {"waiver": "—", "target": target[:10], "article": article or "—"}
        if not named:
            raise LamanError([Problem("WAV002", ".", args=args)])
        refused = [
            Problem(code, v.file, v.line, None, {**args, "code": v.code})
            for v in named
            if (code := waivers.refusal(v, project.sop.files)) is not None
        ]
        if refused:
            raise LamanError(refused)
        title = say("waive.title", "id", commit=target[:10])
        made = repo.commit_empty(waivers.message(target, article, reason, title))
    return Waived(made, person.name, target, len(named))
