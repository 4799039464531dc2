"""The `laman` command: parses arguments, calls the pipeline, prints. No logic of its own.

Exit codes: 0 ok, 1 problems found (or the command refused), 2 usage, 3 unexpected error.
"""

from __future__ import annotations

import functools
import json
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from pipeline.cli import diagram, summary
from pipeline.duties import social
from pipeline.errors import LamanError, Problem
from pipeline.messages import choose_lang
from pipeline.model.dates import WIB, angka, durasi, parse_datetime, tanggal_jam
from pipeline.model.project import Project, load_project
from pipeline.proof.check import CheckResult
from pipeline.proof.policy import Violation

if TYPE_CHECKING:
    from pipeline.app import editorial, report

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
    from pipeline.app import editorial

    validated = editorial.validate(Path.cwd(), paths)
    if validated.problems:
        _print_problems(validated.problems, _lang())
        return PROBLEMS
    word = ("naskah sah", "valid file(s)")[_lang() == "en"]
    out.print(f"{validated.articles} {word}", markup=False)
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
    from pipeline.app import editorial

    try:
        created = editorial.create_article(
            Path.cwd(), title, category, datetime.now(WIB), issue=from_issue, branch=not no_branch
        )
    except editorial.MissingTitle:
        raise click.UsageError("JUDUL / TITLE") from None
    rel = created.path
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
    from pipeline.app import editorial

    lang = _lang()
    board = editorial.status(Path.cwd(), datetime.now(UTC), lang)
    if as_json:
        out.print(json.dumps([r.as_dict() for r in board.rows], ensure_ascii=False, indent=2), markup=False)
        return OK
    _print_board(board, lang)
    if board.problems:
        _print_problems(board.problems, lang)
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


def _print_board(board: editorial.Board, lang: str) -> None:
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
    for stage, here in board.stages:
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
    from pipeline.app import publish

    lang = _lang()
    now = parse_datetime(now_text) if now_text else datetime.now(UTC)
    done = publish.publish(
        Path.cwd(), now, local=local, output=output, checked=lambda c: _print_notices(c, lang)
    )
    if done.built is None:
        _print_violations(done.checked, lang)
        return PROBLEMS
    count = done.articles
    where = done.built.output.resolve()
    _say(f"Situs dibangun: {count} naskah di {where}", f"Site built: {count} articles in {where}")
    if done.embargoed:
        held = ", ".join(done.embargoed)
        _say(f"Ditahan embargo: {held}", f"Held back by embargo: {held}")
    return OK


@main.command()
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--output", type=click.Path(path_type=Path), default=Path("preview"), show_default=True)
@boundary
def preview(file: Path, output: Path) -> int:
    """Pratinjau lokal: situs terverifikasi ditambah satu draf, dengan pita DRAF."""
    from pipeline.app import publish

    result = publish.preview(Path.cwd(), file, output, datetime.now(UTC))
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
    from pipeline.app import publish

    project_root = Path.cwd()
    lang = _lang()
    base, head = None, "HEAD"
    if rev_range:
        if ".." not in rev_range:
            raise click.BadParameter("BASE..HEAD", param_hint="--range")
        base, head = rev_range.split("..", 1)
        head = head or "HEAD"
    result = publish.check(project_root, base=base, head=head, published=published, use_cache=not no_cache)
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
    from pipeline.app import editorial

    moved = editorial.advance(Path.cwd(), file, stage, reason)
    rel, commit = moved.path, moved.commit
    _say(
        f"{rel}: {moved.source} → {moved.target} oleh {moved.person}, commit {commit[:10]} (bertanda tangan).",
        f"{rel}: {moved.source} → {moved.target} by {moved.person}, commit {commit[:10]} (signed).",
    )
    return OK


@main.command()
@boundary
def init() -> int:
    """Mulai penegakan SOP: catat trust anchor dan penanggung jawab pertama."""
    from pipeline.app import editorial

    first = editorial.init(Path.cwd())
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
    from pipeline.app import ship

    done = ship.deploy(Path.cwd(), target, site, datetime.now(UTC), keep=keep, ssh_options=ssh_options)
    _say(
        f"Tayang: commit {done.commit[:10]} di {target} ({done.articles} naskah).",
        f"Live: commit {done.commit[:10]} at {target} ({done.articles} articles).",
    )
    return OK


@main.command(name="rollback")
@click.argument("target")
@click.option("--ssh-option", "ssh_options", multiple=True)
@boundary
def rollback_command(target: str, ssh_options: tuple[str, ...]) -> int:
    """Kembalikan situs ke rilis sebelumnya."""
    from pipeline.app import ship

    release = ship.rollback(Path.cwd(), target, datetime.now(UTC), ssh_options=ssh_options)
    _say(f"Dikembalikan ke rilis {release}.", f"Rolled back to release {release}.")
    return OK


@main.command(name="verify-site")
@click.argument("site", type=click.Path(path_type=Path, file_okay=False, exists=True))
@boundary
def verify_site(site: Path) -> int:
    """Cocokkan salinan situs yang tayang dengan repositori dan riwayatnya."""
    from pipeline.app import ship

    found = ship.verify_site(Path.cwd(), site)
    if found.problems:
        _print_problems(found.problems, _lang())
        return PROBLEMS
    _say(
        f"Situs cocok dengan repositori: {found.articles} naskah, {found.files} berkas.",
        f"The site matches the repository: {found.articles} articles, {found.files} files.",
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
    from pipeline.app import duties

    lang = _lang()
    root = Path.cwd()
    listing = duties.exempt_list(root, lang, output) if exempt else duties.public_list(root, lang)
    table = Table(title=listing.title, title_justify="left", show_lines=True)
    for heading in listing.headings:
        table.add_column(heading)
    for row in listing.cells:
        table.add_row(*(escape(str(cell)) for cell in row))
    out.print(table)
    if output is not None:
        duties.write_list(listing, output, lang)
        _say(f"Ditulis: {output}", f"Written: {output}")
    if listing.problems:
        _print_problems(listing.problems, lang)
        return PROBLEMS
    return OK


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
    from pipeline.app import duties

    for path in duties.disposition_sheet(Path.cwd(), file, _lang(), output, pdf):
        _say(f"Lembar disposisi: {path}", f"Disposition sheet: {path}")
    return OK


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
    from pipeline.app import duties

    en = _lang() == "en"
    now = datetime.now(WIB)
    if posted_slug:
        record = duties.social_posted(Path.cwd(), posted_slug, channels, now)
        _say(f"Dicatat di {record}; commit berkas itu.", f"Recorded in {record}; commit that file.")
        return OK
    pending = duties.social_waiting(Path.cwd(), now)
    if as_json:
        data = [
            {"slug": w.post.slug, "title": w.post.title, "channel": w.channel, "caption": w.caption}
            for w in pending
        ]
        out.print(json.dumps(data, ensure_ascii=False, indent=2), markup=False)
        return OK
    table = Table(title=("Menunggu diunggah", "Waiting to be posted")[en], title_justify="left")
    for heading in (("Judul", "Title"), ("Kanal", "Channel"), ("Keterangan", "Caption")):
        table.add_column(heading[en])
    for w in pending:
        table.add_row(escape(click.unstyle(w.post.title)), social.LABELS[w.channel], escape(w.caption))
    out.print(table)
    _say(
        f"{len(pending)} unggahan menunggu. Setelah mengunggah: `laman social --posted SLUG`.",
        f"{len(pending)} posts waiting. After posting: `laman social --posted SLUG`.",
    )
    return OK


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
    from pipeline.app import report

    lang = _lang()
    month, *more_logs = args or (None,)
    if more_logs and not logs:
        raise click.UsageError("LOG… (--logs)")
    period = report.period_of(month, date_from, date_to)
    done = report.recap_period(
        Path.cwd(),
        period,
        datetime.now(WIB),
        out_dir=out_dir,
        lang=report_lang or lang,
        logs=[*logs, *more_logs] if logs else (),
        views_csv=views_csv,
        site_url=site_url,
        progress=_log_bar,
    )
    _print_recap(done, lang)
    return OK


@contextmanager
def _log_bar(total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar for reading logs, on a terminal (it is gone when done)."""
    from rich.progress import DownloadColumn, Progress

    columns = (*Progress.get_default_columns(), DownloadColumn())
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task(("Membaca log", "Reading logs")[_lang() == "en"], total=total)
        yield lambda n: bar.advance(task, n)


def _print_recap(done: report.Recapped, lang: str) -> None:
    en = lang == "en"
    result, counts, period = done.result, done.counts, done.period
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
    if done.violations:
        err.print(
            (
                f"Catatan: {done.violations} pelanggaran SOP di HEAD; lihat `laman check`.",
                f"Note: {done.violations} SOP violation(s) at HEAD; see `laman check`.",
            )[en],
            markup=False,
        )
    for path in done.written:
        out.print(f"  {path}", markup=False)


if __name__ == "__main__":  # pragma: no cover
    main()
