"""`laman check --markdown`: the verdict as a pull request's reviewers read it."""

from __future__ import annotations

from pipeline.messages import say
from pipeline.proof.check import CheckResult

_HEADINGS = ("article", "file", "step", "by", "verdict")


def markdown(result: CheckResult, lang: str = "id") -> str:
    lines = [f"## {say('cli.summary.title', lang)}", ""]
    verdict = (
        say("cli.summary.clean", lang)
        if result.ok
        else say("cli.summary.found", lang, n=len(result.violations))
    )
    lines += [say("cli.summary.judged", lang, verdict=verdict, n=result.judged), ""]
    for notice in result.notices:
        lines += [f"> ⚠️ {notice.message(lang)} {notice.fix(lang)}", ""]
    if result.steps:
        head = [say(f"cli.summary.heading.{h}", lang) for h in _HEADINGS]
        lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for step in result.steps:
            moved = (
                f"`{step.source}` → `{step.target}`"
                if step.source != step.target
                else f"`{step.target}` ({say('cli.summary.edit', lang)})"
            )
            if step.source is None:
                moved = f"{say('cli.summary.new', lang)}: `{step.target}`"
            ok = "✅" if not step.violations else f"❌ {step.violations}"
            lines.append(f"| {step.article} | `{step.file}` | {moved} | {step.signer} | {ok} |")
        lines.append("")
    if result.violations:
        lines += [f"### {say('cli.summary.fix', lang)}", ""]
        for v in result.violations:
            where = f"`{v.file}`" + (say("cli.summary.line", lang, line=v.line) if v.line else "")
            lines.append(
                f"- **{v.code}** {where}, commit `{v.commit[:10]}`: {v.message(lang)}  \n  → {v.fix(lang)}"
            )
        lines.append("")
    return "\n".join(lines)
