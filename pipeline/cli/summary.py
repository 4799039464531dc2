"""`laman check --markdown`: the verdict as a pull request's reviewers read it."""

from __future__ import annotations

from pipeline.proof.check import CheckResult


def markdown(result: CheckResult, lang: str = "id") -> str:
    en = lang == "en"
    lines = [f"## {'SOP 27/2023 check' if en else 'Pemeriksaan SOP 27/2023'}", ""]
    verdict = (
        ("✅ Tidak ada pelanggaran.", "✅ No violations.")[en]
        if result.ok
        else (f"❌ {len(result.violations)} pelanggaran.", f"❌ {len(result.violations)} violation(s).")[en]
    )
    lines += [f"{verdict} {result.judged} {'commits judged' if en else 'commit dinilai'}.", ""]
    for notice in result.notices:
        lines += [f"> ⚠️ {notice.message(lang)} {notice.fix(lang)}", ""]
    if result.steps:
        head = (
            ("Naskah", "Berkas", "Langkah", "Oleh", "Putusan")
            if not en
            else ("Article", "File", "Step", "By", "Verdict")
        )
        lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for step in result.steps:
            moved = (
                f"`{step.source}` → `{step.target}`"
                if step.source != step.target
                else f"`{step.target}` ({'edit' if en else 'suntingan'})"
            )
            if step.source is None:
                moved = f"{'new' if en else 'baru'}: `{step.target}`"
            ok = "✅" if not step.violations else f"❌ {step.violations}"
            lines.append(f"| {step.article} | `{step.file}` | {moved} | {step.signer} | {ok} |")
        lines.append("")
    if result.violations:
        lines += [f"### {'What to fix' if en else 'Yang harus diperbaiki'}", ""]
        for v in result.violations:
            where = f"`{v.file}`" + (
                f" baris {v.line}" if v.line and not en else (f" line {v.line}" if v.line else "")
            )
            lines.append(
                f"- **{v.code}** {where}, commit `{v.commit[:10]}`: {v.message(lang)}  \n  → {v.fix(lang)}"
            )
        lines.append("")
    return "\n".join(lines)
