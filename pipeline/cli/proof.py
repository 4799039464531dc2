"""Commands about the proof in git: check, advance, waive, init."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.markup import escape

from pipeline.cli import output
from pipeline.cli.boundary import OK, PROBLEMS, boundary

if TYPE_CHECKING:
    from pipeline.proof.check import CheckResult


@click.command(name="check")
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

    lang = output.lang()
    base, head = None, "HEAD"
    if rev_range:
        if ".." not in rev_range:
            raise click.BadParameter("BASE..HEAD", param_hint="--range")
        base, head = rev_range.split("..", 1)
        head = head or "HEAD"
    result = publish.check(Path.cwd(), base=base, head=head, published=published, use_cache=not no_cache)
    if as_markdown:
        from pipeline.cli import summary

        output.out.print(summary.markdown(result, lang), markup=False)
    elif as_json:
        output.out.print(json.dumps(_as_json(result, lang), ensure_ascii=False, indent=2), markup=False)
    else:
        _print_verdict(result, lang)
    return PROBLEMS if result.violations else OK


def _as_json(result: CheckResult, lang: str) -> dict[str, Any]:
    return {
        "head": result.head,
        "enforced": result.enforced,
        "judged_commits": result.judged,
        "notices": [n.as_dict(lang) for n in result.notices],
        "violations": [v.as_dict(lang) for v in result.violations],
        "held": {ident: [v.as_dict(lang) for v in found] for ident, found in sorted(result.held.items())},
        "code_held": [v.as_dict(lang) for v in result.code_held],
        "waived": [{**v.as_dict(lang), "waiver": w.commit, "reason": w.reason} for v, w in result.waived],
        "publishable": [
            {"id": ident, "file": v.path, "blob": v.blob, "title": (v.meta or {}).get("title")}
            for ident, v in sorted(result.publishable.items())
        ],
    }


def _print_verdict(result: CheckResult, lang: str) -> None:
    from pipeline.messages import say

    output.print_notices(result, lang)
    if result.violations:
        output.print_violations(result, lang)
    output.print_held(result, lang)
    if result.publishable:
        output.print_table(
            say("cli.check.publishable", lang),
            [say(f"cli.check.heading.{h}", lang) for h in ("article", "file", "blob")],
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
        output.out.print(say("cli.check.none", lang))
    judged, found, ready = (
        output.number(n) for n in (result.judged, len(result.violations), len(result.publishable))
    )
    output.out.print(say("cli.check.totals", lang, judged=judged, found=found, ready=ready), markup=False)


@click.command()
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.argument("stage")
@click.option("--reason", help="Alasan (wajib saat dikembalikan untuk perbaikan, diralat, atau ditarik).")
@boundary
def advance(file: Path, stage: str, reason: str | None) -> int:
    """Pindahkan naskah satu langkah SOP dan buat commit bertanda tangan."""
    from pipeline.app import editorial

    moved = editorial.advance(Path.cwd(), file, stage, reason)
    output.say(
        "cli.advance.moved",
        rel=moved.path,
        source=moved.source,
        target=moved.target,
        person=moved.person,
        commit=moved.commit[:10],
    )
    return OK


@click.command(name="waive")
@click.argument("commit")
@click.option("--article", metavar="ID", help="Maafkan hanya pelanggaran naskah ini di commit itu.")
@click.option("--reason", help="Alasan pemaafan (wajib).")
@boundary
def waive_command(commit: str, article: str | None, reason: str | None) -> int:
    """Penanggung jawab memaafkan pelanggaran di satu commit: commit pemaafan bertanda tangan."""
    from pipeline.app import waive

    done = waive.waive(Path.cwd(), commit, article, reason)
    output.say(
        "cli.waive.done",
        commit=done.commit[:10],
        person=done.person,
        n=done.violations,
        target=done.target[:10],
    )
    return OK


@click.command()
@click.option(
    "--remove-samples",
    is_flag=True,
    help="Hapus dulu berita contoh (samples.txt), satu commit bertanda tangan.",
)
@click.option(
    "--keep-samples", is_flag=True, help="Biarkan berita contoh tetap ada (dan tayang), dengan sadar."
)
@boundary
def init(remove_samples: bool, keep_samples: bool) -> int:
    """Mulai penegakan SOP: catat trust anchor dan penanggung jawab pertama."""
    from pipeline.app import editorial

    removed = editorial.settle_samples(Path.cwd(), remove=remove_samples, keep=keep_samples)
    first = editorial.init(Path.cwd())
    output.say("cli.init.started", anchor=first.anchor[:10], full=first.anchor, person=first.person)
    if removed:
        output.say("samples.removed", n=len(removed))
    left = editorial.sample_files(Path.cwd())
    if left:  # said plainly: sample news must not reach a real site by accident
        output.say("samples.present", n=len(left), files="\n".join(f"  - {f}" for f in left))
    return OK
