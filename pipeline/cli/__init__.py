"""The `laman` command: parses arguments, calls the pipeline, prints. No logic of its own.

Exit codes: 0 ok, 1 problems found (or the command refused), 2 usage, 3 unexpected error.
"""

from __future__ import annotations

import functools
import glob
import json
import secrets
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.progress import DownloadColumn, Progress
from rich.table import Table
from rich.text import Text

from pipeline import recap
from pipeline.cli import diagram, summary
from pipeline.duties import board, dip, disposisi, social
from pipeline.errors import LamanError, Problem
from pipeline.messages import choose_lang
from pipeline.model import content
from pipeline.model.article import decode as decode_article
from pipeline.model.article import parse as parse_article
from pipeline.model.article import slug_of
from pipeline.model.dates import WIB, angka, durasi, parse_datetime, tanggal_jam
from pipeline.model.newarticle import from_issue as issue_fields
from pipeline.model.newarticle import new_article
from pipeline.model.project import CONTENT_DIR, Project, load_project
from pipeline.proof import identity
from pipeline.proof.advance import plan as advance_plan
from pipeline.proof.check import PUBLISHED_REF, CheckResult, run_check
from pipeline.proof.history import Repository
from pipeline.proof.policy import Violation
from pipeline.recap import readers
from pipeline.site import build, deploy, provenance

OK, PROBLEMS, UNEXPECTED = 0, 1, 3
CRASH_LOG = Path(".laman-cache") / "crash.log"

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _print_problems(problems: Sequence[Problem], lang: str) -> None:
    # One print for all: rich lays out each call on its own (28,386 problems took 2 s one by one).
    err.print("\n".join(problem.format(lang) for problem in problems), markup=False)
    count = (f"{angka(len(problems))} masalah", f"{len(problems):,} problem(s)")[lang == "en"]
    err.print(count, markup=False)


def boundary(command: Callable[..., int]) -> Callable[..., None]:
    """The one error boundary: expected failures print and exit 1, others log and exit 3."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        lang = click.get_current_context().find_root().obj["lang"]
        try:
            code = command(*args, **kwargs)
        except LamanError as failure:
            _print_problems(failure.problems, lang)
            sys.exit(PROBLEMS)
        except (click.exceptions.Exit, click.ClickException, KeyboardInterrupt):
            raise
        except Exception:
            CRASH_LOG.parent.mkdir(exist_ok=True)
            CRASH_LOG.write_text(traceback.format_exc(), "utf-8")
            err.print(
                {
                    "id": f"Galat tak terduga; rinciannya ada di {CRASH_LOG}. Laporkan berkas itu.",
                    "en": f"Unexpected error; details are in {CRASH_LOG}. Report that file.",
                }[lang],
                markup=False,
            )
            sys.exit(UNEXPECTED)
        sys.exit(code)

    return run


def _lang() -> str:
    return click.get_current_context().find_root().obj["lang"]


def _say(id_text: str, en_text: str) -> None:
    """One line to the user, in their language."""
    out.print(en_text if _lang() == "en" else id_text, markup=False)


def _project() -> Project:
    return load_project(Path.cwd())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--lang", type=click.Choice(["id", "en"]), default=None, help="Bahasa pesan / message language."
)
@click.pass_context
def main(ctx: click.Context, lang: str | None) -> None:
    """Laman: situs yang dikelola sesuai SOP 27/2023, dibuktikan dari riwayat git."""
    global out, err
    # Made per run, so that the width (COLUMNS) is read when the command runs.
    out = Console(highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    ctx.obj = {"lang": choose_lang(lang)}


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@boundary
def validate(paths: tuple[Path, ...]) -> int:
    """Periksa front matter naskah terhadap skema dan SOP."""
    project = _project()
    files, problems = content.find(paths or (Path(CONTENT_DIR),))
    raw, unreadable = content.read(files)
    checked = content.check(raw, project.sop, project.team)
    problems = [*problems, *unreadable, *checked.problems]
    if not paths:  # the documents listed in the DIP without an article: content/dokumen/*.yml
        problems += dip.load_documents(Path(CONTENT_DIR))[1]
    if problems:
        _print_problems(problems, _lang())
        return PROBLEMS
    word = ("naskah sah", "valid file(s)")[_lang() == "en"]
    out.print(f"{len(checked.articles)} {word}", markup=False)
    return OK


@main.command()
@click.argument("title", required=False)
@click.option("--category", default="Berita", show_default=True)
@click.option("--no-branch", is_flag=True, help="Jangan buat cabang naskah/<slug>.")
@click.option(
    "--from-issue",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="JSON isu disposisi (`gh issue view N --json title,body`).",
)
@boundary
def new(title: str | None, category: str, no_branch: bool, from_issue: Path | None) -> int:
    """Buat naskah baru pada tahap awal, di cabang naskah/<slug>."""
    project = _project()
    now = datetime.now(WIB)
    disposition = None
    if from_issue is not None:
        title, disposition = issue_fields(json.loads(from_issue.read_text("utf-8")))
    if not title:
        raise click.UsageError("JUDUL / TITLE")
    created = new_article(project, title, category, now, secrets.token_hex(3), disposition)
    with Repository(project.root) as repo:
        if not no_branch:
            repo.create_branch(f"naskah/{created.slug}")
        created.path.parent.mkdir(parents=True, exist_ok=True)
        created.path.write_text(created.text, "utf-8")
    rel = project.relative(created.path)
    _say(
        f"Naskah dibuat: {rel} (id {created.id}).\nBerikutnya: lengkapi, lalu `git add {rel}` dan `git commit -S`.",
        f"Created {rel} (id {created.id}).\nNext: fill it in, then `git add {rel}` and `git commit -S`.",
    )
    return OK


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Keluaran JSON.")
@boundary
def status(as_json: bool) -> int:
    """Papan redaksi: naskah per tahap, siapa yang harus bertindak, dan lama menunggu."""
    project = _project()
    lang = _lang()
    files, problems = content.find((Path(CONTENT_DIR),))
    raw, unreadable = content.read(files)
    problems += unreadable
    checked = content.check(raw, project.sop, project.team)
    current = {project.relative(Path(a.file)): a.stage for a in checked.articles}
    with Repository(project.root) as repo:
        entered = board.stage_entered(repo.commits(["HEAD"], ["content"]), current, repo.blob)
    rows = board.rows(checked.articles, project.sop, project.team, entered, datetime.now(UTC), lang)
    if as_json:
        out.print(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2), markup=False)
        return OK
    _print_board(rows, project, lang)
    if problems or checked.problems:
        _print_problems([*problems, *checked.problems], lang)
    return OK


# Laying out a table with box lines measures every cell: for thousands of rows that takes
# seconds (1.1 s for 4,731), while plain columns take a tenth of that and read as well.
_BOXED_ROWS = 200


def _print_table(title: str, headings: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Cells in rich markup (plain text escaped): a boxed table, or plain columns where it
    would be long."""
    if len(rows) <= _BOXED_ROWS:
        table = Table(title=escape(title), title_justify="left")
        for heading in headings:
            table.add_column(heading)
        for row in rows:
            table.add_row(*row)
        out.print(table)
        return
    shown = [[Text.from_markup(cell).cell_len for cell in row] for row in rows]
    widths = [max(cell_len(h), *(row[i] for row in shown)) for i, h in enumerate(headings)]

    def line(cells: Sequence[str], lengths: Sequence[int]) -> str:
        padded = (c + " " * (w - n) for c, n, w in zip(cells, lengths, widths, strict=True))
        return "  ".join(padded).rstrip()

    rule = ["─" * w for w in widths]
    lines = [line([escape(h) for h in headings], [cell_len(h) for h in headings]), line(rule, widths)]
    lines += map(line, rows, shown)
    out.print(f"[bold]{escape(title)}[/]")
    out.print("\n".join(lines), highlight=False)


def _print_board(rows: list[board.Row], project: Project, lang: str) -> None:
    en = lang == "en"
    headings = [
        heading[en]
        for heading in (
            ("Judul", "Title"),
            ("Menunggu", "Waiting for"),
            ("Sejak", "Since"),
            ("Lama", "Waited"),
            ("Batas", "Limit"),
        )
    ]
    for stage in project.sop.stages:
        here = [r for r in rows if r.stage == stage.id]
        if not here:
            continue
        cells = []
        for r in here:
            who = ", ".join(r.roles) + (f" ({', '.join(r.people)})" if r.people else "")
            waited = durasi(r.waited, lang) if r.waited else "—"
            if r.overdue:
                waited = f"[bold red]{waited} ⚠ {('lewat batas', 'overdue')[en]}[/]"
            title = escape(click.unstyle(r.title))  # a title may hold `[FOTO]`: text, not markup
            if r.stale_periodic:  # UU 14/2008 Pasal 9: periodic information at least every 6 months
                stale = ("berkala: belum diperbarui 6 bulan", "periodic: not updated for 6 months")[en]
                title = f"{title} [bold yellow]⚠ {stale}[/]"
            cells.append(
                (
                    title,
                    escape(who) or "—",
                    tanggal_jam(r.since, lang) if r.since else ("belum di-commit", "not committed")[en],
                    waited,
                    durasi(r.limit, lang) if r.limit else "—",
                )
            )
        _print_table(f"{stage.title(lang)} ({angka(len(here))})", headings, cells)


@main.command(name="sop")
@click.option("--mermaid", is_flag=True, help="Cetak diagram Mermaid.")
@boundary
def sop_command(mermaid: bool) -> int:
    """Tampilkan prosedur SOP sebagai tabel (atau diagram Mermaid)."""
    project = _project()
    lang = _lang()
    if mermaid:
        out.print(diagram.mermaid(project.sop, lang), markup=False, end="")
        return OK
    en = lang == "en"
    header = project.sop.header
    sop_title = escape(f"SOP {header['number']} — {header['title']}")
    out.print(f"[bold]{sop_title}[/] ({escape(str(header['issuer']))})")
    steps = Table(title=("Alur pengelolaan website", "Procedure")[en], title_justify="left", show_lines=True)
    for heading in (
        ("No.", "No."),
        ("Uraian prosedur", "Procedure"),
        ("Pelaksana", "Lane"),
        ("Kelengkapan", "Equipment"),
        ("Waktu", "Time"),
        ("Output", "Output"),
    ):
        steps.add_column(heading[en])
    for row in diagram.step_rows(project.sop, lang):
        steps.add_row(*map(escape, row))
    out.print(steps)
    stages = Table(title=("Tahap naskah", "Article stages")[en], title_justify="left")
    for heading in (
        ("Tahap", "Stage"),
        ("Nama", "Name"),
        ("Langkah", "Step"),
        ("Dipindahkan oleh", "Moved in by"),
        ("Batas waktu", "Time limit"),
    ):
        stages.add_column(heading[en])
    for row in diagram.stage_rows(project.sop, lang):
        stages.add_row(*map(escape, row))
    out.print(stages)
    return OK


@main.command(name="build")
@click.option(
    "--local", is_flag=True, help="Pakai pelicanconf.py (pratinjau lokal) alih-alih publishconf.py."
)
@click.option("--output", type=click.Path(path_type=Path), default=None)
@click.option(
    "--now",
    "now_text",
    metavar="TTTT-BB-HH JJ:MM",
    help="Waktu yang diwakili build (embargo); bawaan: sekarang.",
)
@boundary
def build_command(local: bool, output: Path | None, now_text: str | None) -> int:
    """Bangun situs dari naskah yang boleh tayang."""
    project = _project()
    lang = _lang()
    now = parse_datetime(now_text) if now_text else datetime.now(UTC)
    checked = run_check(project.root)
    _print_notices(checked, lang)
    if checked.violations:
        _print_violations(checked, lang)
        return PROBLEMS
    with Repository(project.root) as repo:
        planned = build.plan(repo, checked, now)
    result = build.build(
        project,
        planned.files,
        commit=checked.head,
        enforced=checked.enforced,
        settings_file="pelicanconf.py" if local else "publishconf.py",
        output=output,
        entries=planned.entries,
        notices=planned.notices,
        now=now,
    )
    count = sum(1 for p in result.published if p.endswith(".md"))
    where = result.output.resolve()
    _say(f"Situs dibangun: {count} naskah di {where}", f"Site built: {count} articles in {where}")
    if planned.embargoed:
        held = ", ".join(planned.embargoed)
        _say(f"Ditahan embargo: {held}", f"Held back by embargo: {held}")
    return OK


@main.command()
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--output", type=click.Path(path_type=Path), default=Path("preview"), show_default=True)
@boundary
def preview(file: Path, output: Path) -> int:
    """Pratinjau lokal: situs terverifikasi ditambah satu draf, dengan pita DRAF."""
    project = _project()
    rel = project.relative(file)
    raw = file.read_bytes()
    draft = parse_article(raw, rel)  # a broken draft is named here, not deep in Pelican
    checked = run_check(project.root)
    with Repository(project.root) as repo:
        files = build.plan(repo, checked, datetime.now(UTC)).files
    # The draft replaces its own verified version, if it has one: the check knows where it is.
    published = checked.publishable.get(draft.id)
    if published is not None:
        files.pop(published.path, None)
    files[rel] = raw
    result = build.build(
        project,
        files,
        commit=checked.head,
        enforced=False,
        settings_file="pelicanconf.py",
        output=output,
        preview=True,
    )
    _say(
        f"Pratinjau (DRAF) di {result.output.resolve()}; jalankan `python -m http.server -d {output}` untuk melihatnya.",
        f"Preview (DRAFT) in {result.output.resolve()}; run `python -m http.server -d {output}` to look at it.",
    )
    return OK


def _print_notices(result: CheckResult, lang: str) -> None:
    for notice in result.notices:
        err.print(f"[bold yellow]{escape(notice.message(lang))}[/]\n    → {escape(notice.fix(lang))}")


def _print_violations(result: CheckResult, lang: str) -> None:
    groups: dict[str, list[Violation]] = {}
    for violation in result.violations:
        groups.setdefault(violation.article or violation.file, []).append(violation)
    for key, found in groups.items():
        record = result.records.get(key)
        title = record.version.meta.get("title") if record and record.version.meta else None
        err.print(f"[bold]{escape(str(title or key))}[/] ({escape(key)})")  # titles are text, not markup
        for violation in found:
            err.print("  " + violation.format(lang).replace("\n", "\n  "), markup=False)
    word = ("pelanggaran SOP", "SOP violation(s)")[lang == "en"]
    err.print(f"{len(result.violations)} {word}", markup=False)


@main.command(name="check")
@click.option(
    "--range", "rev_range", metavar="BASE..HEAD", help="Nilai commit pull request (kebijakan dari BASE)."
)
@click.option(
    "--published", metavar="COMMIT", help="Commit terakhir yang ditayangkan (bawaan: refs/laman/published)."
)
@click.option("--json", "as_json", is_flag=True, help="Keluaran JSON.")
@click.option("--markdown", "as_markdown", is_flag=True, help="Ringkasan Markdown untuk pull request.")
@click.option("--no-cache", is_flag=True, help="Abaikan cache.")
@boundary
def check_command(
    rev_range: str | None, published: str | None, as_json: bool, as_markdown: bool, no_cache: bool
) -> int:
    """Buktikan dari riwayat git bahwa setiap langkah diambil oleh orang yang berwenang."""
    project_root = Path.cwd()
    lang = _lang()
    base, head = None, "HEAD"
    if rev_range:
        if ".." not in rev_range:
            raise click.BadParameter("BASE..HEAD", param_hint="--range")
        base, head = rev_range.split("..", 1)
        head = head or "HEAD"
    result = run_check(project_root, base=base, head=head, published=published, use_cache=not no_cache)
    if as_markdown:
        out.print(summary.markdown(result, lang), markup=False)
        return PROBLEMS if result.violations else OK
    if as_json:
        data = {
            "head": result.head,
            "enforced": result.enforced,
            "judged_commits": result.judged,
            "notices": [n.as_dict(lang) for n in result.notices],
            "violations": [v.as_dict(lang) for v in result.violations],
            "publishable": [
                {"id": ident, "file": v.path, "blob": v.blob, "title": (v.meta or {}).get("title")}
                for ident, v in sorted(result.publishable.items())
            ],
        }
        out.print(json.dumps(data, ensure_ascii=False, indent=2), markup=False)
        return PROBLEMS if result.violations else OK
    _print_notices(result, lang)
    if result.violations:
        _print_violations(result, lang)
    if result.publishable:
        headings = (("Naskah", "Article"), ("Berkas", "File"), ("Blob terverifikasi", "Verified blob"))
        _print_table(
            ("Boleh tayang", "Publishable")[lang == "en"],
            [h[lang == "en"] for h in headings],
            [
                (
                    escape(str((version.meta or {}).get("title", ident))),
                    escape(version.path),
                    version.blob[:12],
                )
                for ident, version in sorted(result.publishable.items(), key=lambda kv: kv[1].path)
            ],
        )
    else:  # an empty table reads as a broken one
        out.print(("Belum ada naskah yang boleh tayang.", "No article is publishable yet.")[lang == "en"])
    judged, found, ready = result.judged, len(result.violations), len(result.publishable)
    totals = (
        f"{angka(judged)} commit dinilai, {angka(found)} pelanggaran, {angka(ready)} boleh tayang",
        f"{judged:,} commits judged, {found:,} violations, {ready:,} publishable",
    )[lang == "en"]
    out.print(totals, markup=False)
    return PROBLEMS if result.violations else OK


@main.command()
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.argument("stage")
@click.option("--reason", help="Alasan (wajib saat dikembalikan untuk perbaikan atau ditarik).")
@boundary
def advance(file: Path, stage: str, reason: str | None) -> int:
    """Pindahkan naskah satu langkah SOP dan buat commit bertanda tangan."""
    project = _project()
    rel = project.relative(file)
    text = decode_article(file.read_bytes(), rel)  # as written: CRLF line ends stay
    item = parse_article(text, rel)
    with Repository(project.root) as repo:
        person = identity.current_person(repo, project.team)
        if not repo.is_clean(rel) and repo.head() is not None and rel in repo.tree_files("HEAD", rel):
            raise LamanError([Problem("ADV005", rel, args={"path": rel})])
        step = advance_plan(item, text, project.sop, person, stage, reason)
        file.write_bytes(step.text.encode("utf-8"))
        commit = repo.commit_file(rel, step.message)
    _say(
        f"{rel}: {item.stage} → {stage} oleh {person.name}, commit {commit[:10]} (bertanda tangan).",
        f"{rel}: {item.stage} → {stage} by {person.name}, commit {commit[:10]} (signed).",
    )
    return OK


@main.command()
@boundary
def init() -> int:
    """Mulai penegakan SOP: catat trust anchor dan penanggung jawab pertama."""
    project = _project()
    with Repository(project.root) as repo:
        first = identity.init_office(repo, project)
    _say(
        f"Penegakan SOP dimulai pada commit {first.anchor[:10]}; penanggung jawab: {first.person}.",
        f"SOP enforcement starts at commit {first.anchor[:10]}; person in charge: {first.person}.",
    )
    return OK


@main.command(name="deploy")
@click.argument("target")
@click.option(
    "--site", type=click.Path(path_type=Path, file_okay=False), default=Path("output"), show_default=True
)
@click.option(
    "--keep", type=click.IntRange(2, 100), default=5, show_default=True, help="Rilis yang disimpan."
)
@click.option("--ssh-option", "ssh_options", multiple=True, help="Opsi tambahan untuk ssh (-o …).")
@boundary
def deploy_command(target: str, site: Path, keep: int, ssh_options: tuple[str, ...]) -> int:
    """Tayangkan hasil build secara atomik ke dir:/folder atau ssh://pengguna@host/folder."""
    project_root = Path.cwd()
    where = deploy.parse_target(target)
    marker = deploy.read_marker(site)
    checked = run_check(project_root)
    refused = deploy.refusals(marker, checked.head, not checked.violations, str(site))
    if refused:
        raise LamanError(refused)
    commit = str(marker["commit"])
    with Repository(project_root) as repo:
        who = repo.config("user.name") or "CI"
        articles = len(marker.get("articles") or [])
        deploy.upload(
            site,
            where,
            commit,
            keep,
            deploy.log_line(commit, who, articles, "deploy", datetime.now(UTC)),
            [f"-o{o}" for o in ssh_options],
        )
        repo.run("update-ref", PUBLISHED_REF, commit)
    _say(
        f"Tayang: commit {commit[:10]} di {target} ({articles} naskah).",
        f"Live: commit {commit[:10]} at {target} ({articles} articles).",
    )
    return OK


@main.command(name="rollback")
@click.argument("target")
@click.option("--ssh-option", "ssh_options", multiple=True)
@boundary
def rollback_command(target: str, ssh_options: tuple[str, ...]) -> int:
    """Kembalikan situs ke rilis sebelumnya."""
    where = deploy.parse_target(target)
    with Repository(Path.cwd()) as repo:
        who = repo.config("user.name") or "CI"
    line = deploy.log_line("-", who, 0, "rollback", datetime.now(UTC))
    release = deploy.rollback(where, line, [f"-o{o}" for o in ssh_options])
    _say(f"Dikembalikan ke rilis {release}.", f"Rolled back to release {release}.")
    return OK


@main.command(name="verify-site")
@click.argument("site", type=click.Path(path_type=Path, file_okay=False, exists=True))
@boundary
def verify_site(site: Path) -> int:
    """Cocokkan salinan situs yang tayang dengan repositori dan riwayatnya."""
    lang = _lang()
    try:
        record = json.loads((site / provenance.PATH).read_text("utf-8"))
    except (OSError, ValueError):
        raise LamanError([Problem("VER005", str(site), args={"site": str(site)})]) from None
    problems = provenance.check_files(site, record)
    if record.get("commit"):
        checked = run_check(Path.cwd(), head=record["commit"])
        verified = {
            ident: (r.version.blob, r.verified_in, r.verified_key)
            for ident, r in checked.records.items()
            if r.approved
        }
        problems += provenance.check_articles(record, verified)
    if problems:
        _print_problems(problems, lang)
        return PROBLEMS
    count = len(record.get("articles", []))
    _say(
        f"Situs cocok dengan repositori: {count} naskah, {len(record['files'])} berkas.",
        f"The site matches the repository: {count} articles, {len(record['files'])} files.",
    )
    return OK


@main.command(name="dip")
@click.option(
    "--exempt", is_flag=True, help="Daftar informasi yang dikecualikan (internal, tidak pernah tayang)."
)
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Tulis juga ke berkas .csv, .xlsx atau .md.",
)
@boundary
def dip_command(exempt: bool, output: Path | None) -> int:
    """Daftar Informasi Publik dari naskah yang boleh tayang (atau, dengan --exempt, yang dikecualikan)."""
    project = _project()
    lang = _lang()
    en = lang == "en"
    if exempt:
        if output is not None:
            _refuse_public_folder(project, output)
        files, problems = content.find((Path(CONTENT_DIR),))
        raw, unreadable = content.read(files)
        checked = content.check(raw, project.sop, project.team)
        rows = dip.exempt_rows((project.relative(Path(a.file)), a.meta) for a in checked.articles)
        headings = dip.EXEMPT_HEADINGS
        cells = [dip.exempt_cells(r) for r in rows]
        title = ("Daftar Informasi yang Dikecualikan (internal)", "List of exempt information (internal)")[en]
        missing = [Problem("DIP005", r.file, args={"file": r.file}) for r in rows if not r.recorded]
        problems = [*problems, *unreadable, *missing]
    else:
        checked_history = run_check(project.root)
        items = [
            dip.item_from_meta(v.meta, url=f"{slug_of(v.meta)}/", source=v.path)
            for v in checked_history.publishable.values()
            if v.meta is not None
        ]
        documents, problems = dip.load_documents(Path(CONTENT_DIR))
        groups = dip.table([i for i in items if i is not None] + documents)
        headings = (*dip.HEADINGS, dip.EXTRA_HEADINGS[0])
        cells = [(*dip.cells(r, lang), g.info_class) for g in groups for r in g.rows]
        title = ("Daftar Informasi Publik", "Public information list")[en]
    table = Table(title=title, title_justify="left", show_lines=True)
    for heading in headings:
        table.add_column(heading[en])
    for row in cells:
        table.add_row(*(escape(str(cell)) for cell in row))
    out.print(table)
    if output is not None:
        if exempt:
            dip.write_exempt(rows, output, lang)
        elif output.suffix.lower() == ".xlsx":
            dip.write_xlsx(dip.download_rows(groups, lang=lang), output, title, dip.DIP_WIDTHS)
        else:
            output.write_text(dip.to_csv(dip.download_rows(groups, lang=lang)), "utf-8", newline="")
        _say(f"Ditulis: {output}", f"Written: {output}")
    if problems:
        _print_problems(problems, lang)
        return PROBLEMS
    return OK


def _refuse_public_folder(project: Project, target: Path) -> None:
    """The exempt list never goes where the site is built from or into."""
    where = target.resolve()
    for folder in (project.root / CONTENT_DIR, project.root / "output", project.root / "preview"):
        if where.is_relative_to(folder.resolve()):
            raise LamanError([Problem("DIP004", str(target), args={"path": str(target)})])


@main.command(name="disposisi")
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Berkas HTML (bawaan: lembar-disposisi-<slug>.html).",
)
@click.option("--pdf/--no-pdf", default=None, help="PDF juga (bawaan: bila WeasyPrint terpasang).")
@boundary
def disposisi_command(file: Path, output: Path | None, pdf: bool | None) -> int:
    """Cetak lembar disposisi naskah (HTML siap cetak A4, dan PDF bila bisa)."""
    project = _project()
    lang = _lang()
    item = parse_article(file.read_bytes(), project.relative(file))
    page = disposisi.sheet(item, project.sop.header.get("issuer") or "", _address(project), lang)
    target = output or Path(disposisi.default_name(item))
    _refuse_public_folder(project, target)  # an .html in content/ would be read as an article
    written = disposisi.write(page, target, pdf=pdf)
    for path in written:
        _say(f"Lembar disposisi: {path}", f"Disposition sheet: {path}")
    return OK


def _address(project: Project) -> str | None:
    """The office's address for the letterhead, from the site's settings if it has them."""
    settings_file = project.root / "pelicanconf.py"
    if not settings_file.is_file():
        return None
    from pelican.settings import read_settings

    return read_settings(str(settings_file)).get("LAMAN_ADDRESS")


@main.command(name="social")
@click.option("--posted", "posted_slug", metavar="SLUG", help="Catat naskah ini sudah diunggah.")
@click.option(
    "--channel",
    "channels",
    multiple=True,
    type=click.Choice(social.CHANNELS),
    help="Kanal (bawaan: semua yang tercantum).",
)
@click.option("--json", "as_json", is_flag=True, help="Keluaran JSON.")
@boundary
def social_command(posted_slug: str | None, channels: tuple[str, ...], as_json: bool) -> int:
    """Kit media sosial yang menunggu diunggah (social/posted.json mencatat yang sudah)."""
    project = _project()
    lang = _lang()
    en = lang == "en"
    now = datetime.now(WIB)
    checked = run_check(project.root)
    posts = []
    for version in checked.publishable.values():
        meta = version.meta
        if meta is None or (meta.get("publish_at") and parse_datetime(meta["publish_at"]) > now):
            continue
        slug = slug_of(meta)
        date = parse_datetime(meta["date"]) if meta.get("date") else None
        posts.append(social.post_from_meta(meta, f"/{slug}/", slug, date))
    record_path = project.root / social.POSTED_FILE
    record = social.load_posted(record_path)
    if posted_slug:
        social.save_posted(record_path, social.mark(posts, record, posted_slug, channels, now))
        _say(
            f"Dicatat di {social.POSTED_FILE}; commit berkas itu.",
            f"Recorded in {social.POSTED_FILE}; commit that file.",
        )
        return OK
    pending = social.waiting(posts, record)
    kit = Path("output") / social.FOLDER
    if as_json:
        data = [
            {"slug": p.slug, "title": p.title, "channel": c, "caption": str(kit / p.slug / f"{c}.txt")}
            for p, c in pending
        ]
        out.print(json.dumps(data, ensure_ascii=False, indent=2), markup=False)
        return OK
    table = Table(title=("Menunggu diunggah", "Waiting to be posted")[en], title_justify="left")
    for heading in (("Judul", "Title"), ("Kanal", "Channel"), ("Keterangan", "Caption")):
        table.add_column(heading[en])
    for post, channel in pending:
        caption = str(kit / post.slug / f"{channel}.txt")
        table.add_row(escape(click.unstyle(post.title)), social.LABELS[channel], escape(caption))
    out.print(table)
    _say(
        f"{len(pending)} unggahan menunggu. Setelah mengunggah: `laman social --posted SLUG`.",
        f"{len(pending)} posts waiting. After posting: `laman social --posted SLUG`.",
    )
    return OK


def _log_files(values: Sequence[str]) -> list[Path]:
    """Files named, folders (their `*access*` files) and quoted patterns, each file once."""
    found: list[Path] = []
    for value in values:
        path = Path(value).expanduser()
        if path.is_dir():
            matches = sorted(p for p in path.iterdir() if p.is_file() and "access" in p.name)
        elif path.is_file():
            matches = [path]
        else:
            matches = sorted(Path(p) for p in glob.glob(str(path)) if Path(p).is_file())
        if not matches:
            raise LamanError([Problem("REC005", value, args={"pattern": value})])
        found.extend(m for m in matches if m not in found)
    return found


@main.command(name="recap")
@click.argument("args", nargs=-1, metavar="[TTTT-BB] [LOG...]")
@click.option("--from", "date_from", metavar="TTTT-BB-HH", help="Awal periode (bukan bulan penuh).")
@click.option("--to", "date_to", metavar="TTTT-BB-HH", help="Akhir periode, termasuk hari itu.")
@click.option(
    "--logs",
    multiple=True,
    metavar="PATH",
    help="Log akses nginx/Apache (combined; .gz dan rotasi boleh): berkas, folder atau pola.",
)
@click.option(
    "--views-csv",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Untuk hosting statis: CSV dengan kolom date,path,views,visitors.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("rekap"),
    show_default=True,
)
@click.option("--lang", "report_lang", type=click.Choice(["id", "en"]), default=None, help="Bahasa laporan.")
@click.option(
    "--site",
    "site_url",
    envvar="LAMAN_SITEURL",
    help="Alamat situs, untuk mengenali rujukan dari laman sendiri.",
)
@boundary
def recap_command(
    args: tuple[str, ...],
    date_from: str | None,
    date_to: str | None,
    logs: tuple[str, ...],
    views_csv: Path | None,
    out_dir: Path,
    report_lang: str | None,
    site_url: str | None,
) -> int:
    """Rekapitulasi bulanan: naskah terbit, lama tiap tahap, revisi dan jumlah pembaca."""
    lang = _lang()
    report = report_lang or lang
    month, *more_logs = args or (None,)
    if more_logs and not logs:
        raise click.UsageError("LOG… (--logs)")
    if (month is None) == (date_from is None and date_to is None) or (date_from is None) != (date_to is None):
        raise LamanError([Problem("REC006", "recap")])
    period = recap.month_period(month) if month else recap.range_period(date_from or "", date_to or "")
    project = _project()
    checked = run_check(project.root)
    with Repository(project.root) as repo:
        gathered = recap.gather(repo, project.sop, project.team, checked, period)
    pages = recap.article_pages(gathered.events, gathered.extra)
    counts = None
    if logs:
        files = _log_files([*logs, *more_logs])
        own = [h for h in [urlsplit(site_url).hostname if site_url else None] if h]
        with Progress(
            *Progress.get_default_columns(),
            DownloadColumn(),
            console=err,
            transient=True,
            disable=not err.is_terminal,
        ) as bar:
            task = bar.add_task(
                ("Membaca log", "Reading logs")[lang == "en"], total=sum(f.stat().st_size for f in files)
            )
            counts = readers.read_logs(
                files, period.first, period.last, list(pages), own, lambda n: bar.advance(task, n)
            )
    elif views_csv is not None:
        counts = readers.read_views_csv(views_csv, period.first, period.last, list(pages))
    result = recap.compute(
        gathered.events,
        project.sop,
        gathered.people,
        period,
        approved=gathered.approved,
        was_published=gathered.was_published,
        enforced=gathered.enforced,
        counts=counts,
        pages=pages,
        violations=gathered.violations,
        head=gathered.head,
    )
    written = recap.write(result, project.sop, out_dir, report, datetime.now(WIB))
    en = lang == "en"
    out.print(
        (
            f"Rekap {period.title(lang)}: {len(result.publications)} naskah terbit, "
            f"{len(result.revisions)} dikembalikan, {len(result.open_items)} masih dalam proses.",
            f"Recap {period.title(lang)}: {len(result.publications)} published, "
            f"{len(result.revisions)} sent back, {len(result.open_items)} still open.",
        )[en],
        markup=False,
    )
    if counts is not None:
        out.print(
            (
                f"Pembaca: {angka(counts.views)} tayangan, {angka(counts.reader_days)} pembaca-hari "
                f"({angka(counts.lines)} baris, {angka(counts.malformed)} rusak, {angka(counts.bots)} bot).",
                f"Readers: {counts.views:,} views, {counts.reader_days:,} reader-days "
                f"({counts.lines:,} lines, {counts.malformed:,} malformed, {counts.bots:,} bots).",
            )[en],
            markup=False,
        )
    if gathered.violations:
        err.print(
            (
                f"Catatan: {gathered.violations} pelanggaran SOP di HEAD; lihat `laman check`.",
                f"Note: {gathered.violations} SOP violation(s) at HEAD; see `laman check`.",
            )[en],
            markup=False,
        )
    for path in written:
        out.print(f"  {path}", markup=False)
    return OK


if __name__ == "__main__":  # pragma: no cover
    main()
