"""The pages: the board, *Tugas saya*, an article (edit, preview, moves), a new article. Each
step is the CLI's own workflow (`app.editorial`); this module only reads forms and shows pages."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask, Response, abort, current_app, redirect, render_template, request
from PIL import UnidentifiedImageError
from werkzeug.datastructures import FileStorage

from pipeline.app import editorial
from pipeline.duties import disposisi
from pipeline.errors import LamanError, Problem
from pipeline.messages import say
from pipeline.model import body as markdown_body
from pipeline.model import html as html_policy
from pipeline.model import samples
from pipeline.model.article import parse as parse_article
from pipeline.model.project import Project
from pipeline.model.team import Person
from pipeline.proof import identity, waivers
from pipeline.proof.history import Repository
from pipeline.proof.policy import Violation
from pipeline.redaksi import editing, moves, notify, views_team, workspace
from pipeline.redaksi.branches import MAIN, WORK_PREFIX, Entry, pull_request_url, tips
from pipeline.redaksi.server import lang_of
from pipeline.site import settings

if TYPE_CHECKING:
    from pipeline.redaksi.server import Office


def _person(repo: Repository, project: Project) -> tuple[Person | None, list[Problem]]:
    try:
        return identity.current_person(repo, project.team), []
    except LamanError as err:
        return None, list(err.problems)


def _entry(office: Office, repo: Repository, project: Project, article_id: str) -> Entry:
    entry = office.board.snapshot(project, repo).entries.get(article_id)
    if entry is None:  # made by someone else since this clone last fetched
        workspace.sync(repo)
        entry = office.board.snapshot(project, repo).entries.get(article_id)
    if entry is None:
        abort(404)
    return entry


def _work_branch(repo: Repository, entry: Entry) -> tuple[str, str, str | None]:
    """(branch, base, start) to change an article on: its own `naskah/` branch, made from main
    when the article has none yet."""
    if entry.branch != MAIN:
        return entry.branch, entry.tip, None
    branch = WORK_PREFIX + entry.article.slug
    existing = tips(repo).get(branch)
    return (branch, existing, None) if existing else (branch, entry.tip, entry.tip)


def board_page(mine_only: bool) -> str:
    lang, now = lang_of(), datetime.now(UTC)
    with Repository(_office().root) as repo:
        problems = workspace.sync(repo)  # first: team.yml as main has it now
        project = _office().project()
        person, missing = _person(repo, project)
        snap = _office().board.snapshot(project, repo)
        checked = _office().board.checked(project, repo)
    rows = _office().board.rows(project, snap, now, lang)
    held = dict(checked.held) if checked else {}
    stopped = [Problem(v.code, v.file, v.line, args=v.args) for v in checked.stopped] if checked else []
    mine = [r for r in rows if person is not None and (person.name in r.people or _mends(person, r.id, held))]
    stages = [(s, [r for r in rows if r.stage == s.id]) for s in project.sop.stages]
    return render_template(
        "board.html",
        mine_only=mine_only,
        mine=mine,
        stages=[(s, here) for s, here in stages if here],
        person=person,
        problems=[*problems, *missing, *stopped],
        entries=snap.entries,
        held=held,
        samples=samples.present(
            _office().root, [e.article.file for e in snap.entries.values() if e.branch == MAIN]
        ),
        initialised=bool(checked and checked.enforced),
        can_create=person is not None and moves.may_create(project.sop, person),
    )


def _mends(person: Person, article_id: str, held: dict[str, tuple[Violation, ...]]) -> bool:
    """A held article is the penanggung jawab's to mend: correct it, or accept it with a waiver."""
    return article_id in held and person.has(waivers.ROLE)


def board() -> str:
    return board_page(False)


def tasks() -> str:
    return board_page(True)


def article_page(
    article_id: str,
    problems: list[Problem],
    form: dict[str, str] | None = None,
    done: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    with Repository(_office().root) as repo:
        fetched = workspace.sync(repo)
        project = _office().project()
        person, missing = _person(repo, project)
        entry = _entry(_office(), repo, project, article_id)
        _branch, base, _start = _work_branch(repo, entry)
        forge = pull_request_url(repo.config("remote.origin.url"), entry.branch)
    item = entry.article
    stage = project.sop.stage(item.stage)
    return render_template(
        "article.html",
        item=item,
        entry=entry,
        base=base,
        forge=forge,
        stage=stage,
        body=(form or {}).get("body", item.body),
        form=form or {},
        person=person,
        problems=[*fetched, *missing, *problems],
        done=done,
        editable=person is not None and moves.may_edit(project.sop, stage, person),
        offered=moves.offered(project.sop, item, person) if person else [],
        sop=project.sop,
        team=project.team,
        preview=_render(project, item.id, item.body),
    ), status


def article(article_id: str) -> tuple[str, int]:
    return article_page(article_id, [], done=request.args.get("selesai"))


def save(article_id: str) -> Response | tuple[str, int]:
    form = {k: v for k, v in request.form.items() if k != "csrf"}
    project = _office().project()
    with Repository(project.root) as repo:
        person, _ = _person(repo, project)
        entry = _entry(_office(), repo, project, article_id)
        stage = project.sop.stage(entry.article.stage)
        if person is None or not moves.may_edit(project.sop, stage, person):
            problem = Problem("RED003", entry.article.file, args={"stage": stage.id})
            return article_page(article_id, [problem], form, status=403)
        branch, base, start = _work_branch(repo, entry)
        if form.get("base") != base:
            return _conflict(article_id, branch, form, entry)
        photo = request.files.get("photo")
        result = _commit_edit(project, repo, entry, form, photo, (branch, base, start))
    if isinstance(result, list):
        return article_page(article_id, result, form, status=409 if _is_conflict(result) else 400)
    return redirect(f"/naskah/{article_id}?selesai=simpan")


def _conflict(article_id: str, branch: str, form: dict[str, str], entry: Entry) -> tuple[str, int]:
    kept = workspace.keep(_office().root, entry.article.id, form.get("body", ""), datetime.now(UTC))
    return article_page(article_id, [workspace.conflict(_office().root, branch, kept)], form, status=409)


def move(article_id: str) -> Response | tuple[str, int]:
    form = {k: v for k, v in request.form.items() if k != "csrf"}
    target, reason = form.get("target", ""), form.get("reason", "").strip() or None
    project = _office().project()
    with Repository(project.root) as repo:
        entry = _entry(_office(), repo, project, article_id)
        branch, base, start = _work_branch(repo, entry)
        if form.get("base") != base:
            return _conflict(article_id, branch, form, entry)
        path = _office().root / entry.article.file

        def kept() -> Path:
            return workspace.keep(
                _office().root, entry.article.id, path.read_text("utf-8"), datetime.now(UTC)
            )

        try:
            workspace.on_branch(
                repo,
                branch,
                base,
                start,
                lambda: editorial.advance(_office().root, path, target, reason),
                kept,
            )
        except LamanError as err:
            return article_page(article_id, list(err.problems), form, status=400)
        except workspace.Conflict as err:
            return article_page(article_id, [err.problem(_office().root)], form, status=409)
        person, _ = _person(repo, project)
        moved = parse_article(path.read_bytes(), entry.article.file)
    sent = (
        notify.send(
            moved,
            notify.recipients(moved, project.sop, project.team),
            person,
            project.sop.stage(moved.stage).title(lang_of()),
            lang_of(),
        )
        if person
        else []
    )
    if sent:
        return article_page(article_id, sent, status=200)
    return redirect(f"/naskah/{article_id}?selesai=pindah")


def preview(article_id: str) -> str:
    return _render(_office().project(), article_id, request.form.get("body", ""))


def photo(article_id: str, name: str) -> Response:
    project = _office().project()
    with Repository(project.root) as repo:
        entry = _entry(_office(), repo, project, article_id)
        folder = Path(entry.article.file).parent.as_posix()
        found = repo.tree_files(entry.tip, f"{folder}/{name}").get(f"{folder}/{name}")
        if found is None:
            abort(404)
        data = repo.blob(found[1])
    return Response(data, mimetype="image/jpeg" if name.endswith((".jpg", ".jpeg")) else "image/png")


def new() -> Response | tuple[str, int]:
    project = _office().project()
    form = {k: v for k, v in request.form.items() if k != "csrf"}
    problems: list[Problem] = []
    if request.method == "POST":
        with Repository(project.root) as repo:
            person, problems = _person(repo, project)
        if person is None or not moves.may_create(project.sop, person):
            problems = problems or [Problem("RED012", "sop.yml")]
            return render_template("new.html", sop=project.sop, form=form, problems=problems), 403
        created = _create(project, form)
        if isinstance(created, str):
            return redirect(f"/naskah/{created}?selesai=baru")
        problems = created
    return render_template(
        "new.html", sop=project.sop, form=form, problems=problems
    ), 400 if problems else 200


def _create(project: Project, form: dict[str, str]) -> str | list[Problem]:
    title, category = form.get("title", "").strip(), form.get("category", "")
    if not title:
        return [Problem("RED005", "title")]
    with Repository(project.root) as repo:
        workspace.sync(repo)
        main = tips(repo).get(MAIN)
        if main is None:
            return [Problem("RED006", MAIN)]
        repo.switch(MAIN, main)
        try:
            made = editorial.create_article(_office().root, title, category, datetime.now(UTC))
            path = _office().root / made.path
            text = path.read_text("utf-8")
            meta = parse_article(text, made.path).meta
            path.write_text(editing.edited(text, meta, form, None), "utf-8")
            repo.commit_paths([made.path], f"{project.sop.initial.label}: {title}")
            branch = repo.current_branch() or ""
            if workspace.REMOTE in repo.remotes() and not repo.push(workspace.REMOTE, branch):
                return [Problem("RED004", branch, args={"branch": branch, "kept": made.path})]
        except LamanError as err:
            repo.reset_hard(main)
            repo.switch(MAIN)
            return list(err.problems)
    return made.id


def language(chosen: str) -> Response:
    back = request.args.get("ke", "/")
    response = redirect(back if back.startswith("/") and not back.startswith("//") else "/")
    response.set_cookie("lang", chosen if chosen in ("id", "en") else "id", samesite="Strict")
    return response


def theme_css() -> Response:
    css = _office().root / "theme" / "static" / "css" / "laman.css"
    return Response(css.read_text("utf-8") if css.exists() else "", mimetype="text/css")


def register(app: Flask, office: Office) -> None:
    for rule, view, methods in (
        ("/", board, ["GET"]),
        ("/tugas", tasks, ["GET"]),
        ("/naskah/<article_id>", article, ["GET"]),
        ("/naskah/<article_id>/simpan", save, ["POST"]),
        ("/naskah/<article_id>/pindah", move, ["POST"]),
        ("/pratinjau/<article_id>", preview, ["POST"]),
        ("/berkas/<article_id>/<name>", photo, ["GET"]),
        ("/naskah/<article_id>/disposisi", sheet, ["GET"]),
        ("/baru", new, ["GET", "POST"]),
        ("/bahasa/<chosen>", language, ["GET"]),
        ("/tema/laman.css", theme_css, ["GET"]),
    ):
        app.add_url_rule(rule, view_func=view, methods=methods)
    views_team.register(app)


def sheet(article_id: str) -> str:
    """The article's lembar disposisi, printable (A4), as `laman disposisi` writes it."""
    project = _office().project()
    with Repository(project.root) as repo:
        entry = _entry(_office(), repo, project, article_id)
    issuer = project.sop.header.get("issuer") or ""
    return disposisi.sheet(entry.article, issuer, settings.office_address(project.root), lang_of())


def _office() -> Office:
    return current_app.extensions["laman"]


def _is_conflict(problems: list[Problem]) -> bool:
    return any(p.code == "RED004" for p in problems)


def _render(project: Project, article_id: str, text: str) -> str:
    """The body as the site renders it: the site's Markdown, then the site's sanitiser; photos
    beside the article are served from its branch."""
    rendered = html_policy.sanitize(markdown_body.render(text), project.sop.iframe_hosts)
    return editing.local_images(rendered, f"/berkas/{article_id}/")


def _commit_edit(
    project: Project,
    repo: Repository,
    entry: Entry,
    form: dict[str, str],
    photo: FileStorage | None,
    where: tuple[str, str, str | None],
) -> list[Problem] | None:
    """The edit (and its photo) as one signed commit on the branch, pushed; problems otherwise."""
    root = project.root
    path = root / entry.article.file
    body = form.get("body")
    data = photo.read() if photo is not None and photo.filename else b""
    if data and not form.get("alt", "").strip():
        return [Problem("RED007", entry.article.file)]

    def change() -> str:
        text = path.read_text("utf-8")
        new_body = body
        paths = [entry.article.file]
        if data:
            try:
                saved = editing.save_photo(data, path.parent, entry.article.slug)
            except UnidentifiedImageError:
                raise LamanError([Problem("RED008", photo.filename or "")]) from None
            paths.append(project.relative(saved))
            new_body = (body or "").rstrip() + editing.photo_markdown(form["alt"], saved.name)
        try:
            new_text = editing.edited(text, entry.article.meta, form, new_body)
            parse_article(new_text, entry.article.file)  # a broken edit is named here, not committed
            path.write_text(new_text, "utf-8")
            title = form.get("title") or entry.article.title
            return repo.commit_paths(paths, say("redaksi.commit.edit", "id", title=title))
        except BaseException:
            for added in paths[1:]:  # a photo of an edit not committed: no stray file left behind
                (root / added).unlink(missing_ok=True)
            raise

    def kept() -> Path:
        return workspace.keep(root, entry.article.id, body or "", datetime.now(UTC))

    try:
        workspace.on_branch(repo, *where, change, kept)
    except LamanError as err:
        return list(err.problems)
    except workspace.Conflict as err:
        return [err.problem(root)]
    return None
