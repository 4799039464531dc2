"""The set-up page (a person's key, identity and signing in this clone) and the Tim page (the
person in charge adds a colleague: one signed commit to team.yml on main, pushed)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, Response, current_app, redirect, render_template, request

from pipeline.errors import LamanError, Problem
from pipeline.model.project import TEAM_FILE, Project
from pipeline.model.team import key_line
from pipeline.proof import identity
from pipeline.proof.history import Repository
from pipeline.redaksi import setup, workspace
from pipeline.redaksi.branches import MAIN, tips


def setup_page() -> Response | tuple[str, int]:
    project = current_app.extensions["laman"].project()
    problems: list[Problem] = []
    form = {k: v for k, v in request.form.items() if k != "csrf"}
    with Repository(project.root) as repo:
        if request.method == "POST":
            problems += _set_up(repo, form)
            if not problems:
                return redirect("/siapkan?selesai=1")
        now = setup.state(repo, Path.home())
        entry, person = "", None
        if now.ready:
            try:
                key = identity.signing_key(repo)
                entry = setup.team_entry(now.name or "", now.email or "", ["tim_peliputan"], key)
                person = project.team.by_fingerprint.get(key.fingerprint)
            except LamanError as err:
                problems += err.problems
    return render_template(
        "setup.html",
        state=now,
        entry=entry,
        person=person,
        problems=problems,
        form=form,
        done=request.args.get("selesai"),
    ), 400 if problems else 200


def _set_up(repo: Repository, form: dict[str, str]) -> list[Problem]:
    """One of the set-up page's two forms: the office's trust anchor, or identity and key."""
    if "anchor" in form:
        return setup.record_anchor(repo, form["anchor"])
    name, email = form.get("name", "").strip(), form.get("email", "").strip().lower()
    if not name or "@" not in email:
        return [Problem("RED009", "git config")]
    chosen = form.get("key", "")
    key = Path(chosen) if chosen and chosen != "new" else setup.make_key(Path.home(), email)
    setup.configure(repo, name, email, key)
    return []


def team_page() -> Response | tuple[str, int]:
    project = current_app.extensions["laman"].project()
    problems: list[Problem] = []
    form = {k: v for k, v in request.form.items() if k != "csrf"}
    with Repository(project.root) as repo:
        workspace.sync(repo)
        try:
            person = identity.current_person(repo, project.team)
        except LamanError as err:
            person, problems = None, list(err.problems)
        base = tips(repo).get(MAIN, "")
        allowed = person is not None and any(person.has(r) for r in project.sop.protected_roles)
        if request.method == "POST":
            if not allowed:
                problems.append(Problem("RED011", TEAM_FILE))
            else:
                problems += _add(project, repo, form)
                if not problems:
                    return redirect("/tim?selesai=1")
    return render_template(
        "team.html",
        team=project.team,
        sop=project.sop,
        person=person,
        allowed=allowed,
        base=base,
        problems=problems,
        form=form,
        key_line=key_line,
        done=request.args.get("selesai"),
    ), (403 if problems and not allowed else 400 if problems else 200)


def _add(project: Project, repo: Repository, form: dict[str, str]) -> list[Problem]:
    roles = [r for r in project.sop.roles if form.get(f"role.{r}")]
    path = project.root / TEAM_FILE
    name = form.get("name", "")

    def change() -> str:
        text = setup.with_person(
            path.read_text("utf-8"), project.sop, name, form.get("email", ""), roles, form.get("key", "")
        )
        path.write_text(text, "utf-8")
        return repo.commit_paths([TEAM_FILE], f"Tim: {name.strip()} ({', '.join(roles)})")

    def kept() -> Path:
        return workspace.keep(project.root, "team", repr(form), datetime.now(UTC))

    try:
        workspace.on_branch(repo, MAIN, form.get("base", ""), None, change, kept)
    except LamanError as err:
        return list(err.problems)
    except workspace.Conflict as err:
        return [err.problem(project.root)]
    return []


def register(app: Flask) -> None:
    app.add_url_rule("/siapkan", view_func=setup_page, methods=["GET", "POST"])
    app.add_url_rule("/tim", view_func=team_page, methods=["GET", "POST"])
