"""The newsroom's own steps: validate the content, start an article, see the board, move an
article one SOP step, start enforcement."""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipeline.duties import board, dip
from pipeline.errors import LamanError, Problem
from pipeline.model import content, samples
from pipeline.model.article import decode as decode_article
from pipeline.model.article import parse as parse_article
from pipeline.model.newarticle import from_issue, new_article
from pipeline.model.project import CONTENT_DIR, Project, load_project
from pipeline.model.sop import Stage
from pipeline.proof import identity
from pipeline.proof.advance import plan as advance_plan
from pipeline.proof.history import Repository
from pipeline.proof.identity import Started


def _content_folder(root: Path) -> Path:
    """The content folder named from the working directory (`content` when it is the root), so
    that problems name files as the person there would type them."""
    folder = root / CONTENT_DIR
    try:
        return folder.relative_to(Path.cwd())
    except ValueError:
        return folder


def read_content(project: Project, paths: Sequence[Path] = ()) -> tuple[content.Checked, list[Problem]]:
    """The articles in `paths` (by default the content folder) checked, and the files that could
    not be found or read."""
    files, problems = content.find(paths or (_content_folder(project.root),))
    raw, unreadable = content.read(files)
    return content.check(raw, project.sop, project.team), [*problems, *unreadable]


@dataclass(frozen=True)
class Validated:
    articles: int
    problems: list[Problem]


def validate(root: Path, paths: Sequence[Path] = ()) -> Validated:
    """Every front matter in `paths` (or the whole content folder, with the listed documents)
    checked against the schema and the SOP."""
    project = load_project(root)
    checked, problems = read_content(project, paths)
    problems += checked.problems
    problems += content.image_problems(checked.articles, project.content)
    problems += content.refused(paths or (_content_folder(project.root),), project.root, project.sop.files)
    if not paths:  # the documents listed in the DIP without an article: content/dokumen/*.yml
        problems += dip.load_documents(project.content)[1]
    return Validated(len(checked.articles), problems)


class MissingTitle(Exception):
    """Neither a title nor an issue that names one: a usage error for the caller to report."""


@dataclass(frozen=True)
class Created:
    path: str  # as the repository names it
    id: str


def create_article(
    root: Path,
    title: str | None,
    category: str,
    now: datetime,
    *,
    issue: Path | None = None,
    branch: bool = True,
) -> Created:
    """A new article in the initial stage, on its own branch `naskah/<slug>` unless not asked;
    `issue` is a disposition issue's JSON (`gh issue view N --json title,body`)."""
    project = load_project(root)
    disposition = None
    if issue is not None:
        title, disposition = from_issue(json.loads(issue.read_text("utf-8")))
    if not title:
        raise MissingTitle
    created = new_article(project, title, category, now, secrets.token_hex(3), disposition)
    with Repository(project.root) as repo:
        _may_create(repo, project)
        if branch:
            repo.create_branch(f"naskah/{created.slug}")
        created.path.parent.mkdir(parents=True, exist_ok=True)
        created.path.write_text(created.text, "utf-8")
    return Created(project.relative(created.path), created.id)


def _may_create(repo: Repository, project: Project) -> None:
    """Refuse, before anything is written, a person whose signing key is not one of the roles
    that may create an article (the check would flag the commit, SOP005). Without a signing key
    set up, nobody is known yet, and the commit cannot be signed either: the check says so then."""
    try:
        person = identity.current_person(repo, project.team)
    except LamanError as err:
        if [p.code for p in err.problems] == ["ADV001"]:
            return
        raise
    sop = project.sop
    if not set(person.roles) & set(sop.create_roles):
        roles = ", ".join(sop.roles[r].label for r in person.roles if r in sop.roles) or person.email
        allowed = ", ".join(_role_and_people(project, r) for r in sop.create_roles)
        raise LamanError(
            [Problem("NEW001", "team.yml", args={"person": person.name, "roles": roles, "allowed": allowed})]
        )


def _role_and_people(project: Project, role: str) -> str:
    """`Penanggung Jawab (…) (Ani, Budi)`: a role by its label, and who holds it in team.yml."""
    people = ", ".join(p.name for p in project.team.with_role(role))
    label = project.sop.roles[role].label
    return f"{label} ({people})" if people else label


@dataclass(frozen=True)
class Board:
    stages: list[tuple[Stage, list[board.Row]]]  # in SOP order, each stage with articles in it
    rows: list[board.Row]
    problems: list[Problem]


def status(root: Path, now: datetime, lang: str) -> Board:
    """The editorial board: each article's stage, who must act, since when and for how long."""
    project = load_project(root)
    checked, problems = read_content(project)
    current = {project.relative(Path(a.file)): a.stage for a in checked.articles}
    with Repository(project.root) as repo:
        entered = board.stage_entered(repo.commits(["HEAD"], ["content"]), current, repo.blob)
    rows = board.rows(checked.articles, project.sop, project.team, entered, now, lang)
    stages = [(stage, [r for r in rows if r.stage == stage.id]) for stage in project.sop.stages]
    return Board([(s, here) for s, here in stages if here], rows, [*problems, *checked.problems])


@dataclass(frozen=True)
class Advanced:
    path: str
    source: str
    target: str
    person: str
    commit: str


def advance(root: Path, file: Path, stage: str, reason: str | None) -> Advanced:
    """Move an article one SOP step: its front matter changed and committed, signed."""
    project = load_project(root)
    rel = project.relative(file)
    text = decode_article(file.read_bytes(), rel)  # as written: CRLF line ends stay
    item = parse_article(text, rel)
    with Repository(project.root) as repo:
        person = identity.current_person(repo, project.team)
        if not repo.is_clean(rel) and repo.head() is not None and rel in repo.tree_files("HEAD", rel):
            raise LamanError([Problem("ADV005", rel, args={"path": rel})])
        step = advance_plan(item, text, project.sop, person, stage, reason)
        file.write_bytes(step.text.encode("utf-8"))
        commit = repo.commit_paths([rel], step.message)
    return Advanced(rel, item.stage, step.transition.target, person.name, commit)


def init(root: Path) -> Started:
    """Start enforcing the SOP: the first person in charge, then the trust anchor."""
    project = load_project(root)
    with Repository(project.root) as repo:
        return identity.init_office(repo, project)


def sample_files(root: Path) -> tuple[str, ...]:
    """The stock sample files (`samples.txt`) still in the working tree."""
    return tuple(path for path in samples.listed(root) if (root / path).is_file())


def settle_samples(root: Path, *, remove: bool, keep: bool) -> tuple[str, ...]:
    """Before `laman init`: the sample files removed (`remove`), or kept knowingly (`keep`);
    neither, while there are any, is refused with their names, so that none reaches a real site
    by accident. The files removed."""
    if remove:
        return remove_samples(root)
    left = sample_files(root)
    if left and not keep:
        files = "\n".join(f"  - {path}" for path in left)
        raise LamanError([Problem("SMP002", samples.SAMPLES_FILE, args={"n": len(left), "files": files})])
    return ()


def remove_samples(root: Path) -> tuple[str, ...]:
    """The sample files and their list removed in one signed commit, only before `laman init`:
    history before the trust anchor is not judged, so nothing is left to hold (after it, deleting
    a published article is a violation, and each is withdrawn instead)."""
    project = load_project(root)
    gone = sample_files(project.root)
    with Repository(project.root) as repo:
        anchor = next(iter(repo.outside_anchors().values()), None) or project.sop.trust_anchor
        if anchor:
            raise LamanError([Problem("SMP001", samples.SAMPLES_FILE, args={"anchor": anchor[:10]})])
        if not gone:
            return ()
        for path in gone:
            (project.root / path).unlink()
        (project.root / samples.SAMPLES_FILE).unlink()
        repo.commit_paths([*gone, samples.SAMPLES_FILE], "Berita contoh dihapus / sample news removed")
    return gone
