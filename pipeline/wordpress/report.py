"""The import's report, in Markdown for people and CSV for a spreadsheet: every item of the
export imported, converted with loss, or skipped, and why. Pure."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from pipeline.messages import render, say
from pipeline.wordpress.plan import IMPORTED, LOSSY, SKIPPED, Row

OUTCOMES = (IMPORTED, LOSSY, SKIPPED)


def note(code: str, what: str, lang: str) -> str:
    return f"{code} {render(code, 'message', lang, {'what': what})}"


def counts(rows: Iterable[Row]) -> dict[str, int]:
    found = dict.fromkeys(OUTCOMES, 0)
    for row in rows:
        found[row.outcome] += 1
    return found


def markdown(rows: list[Row], source: str, lang: str = "id") -> str:
    total = counts(rows)
    lines = [f"# {say('import.report.title', lang, source=source)}", ""]
    lines += [f"- {say(f'import.outcome.{o}', lang)}: {total[o]}" for o in OUTCOMES]
    for outcome in OUTCOMES:
        chosen = [r for r in rows if r.outcome == outcome]
        if not chosen:
            continue
        lines += ["", f"## {say(f'import.outcome.{outcome}', lang)}", ""]
        lines += [
            "| ID | "
            + " | ".join(say(f"import.column.{c}", lang) for c in ("title", "old", "new", "notes"))
            + " |"
        ]
        lines += ["|---:|---|---|---|---|"]
        for row in chosen:
            notes = " ".join(note(c, w, lang) for c, w in row.notes)  # each ends with its full stop
            cells = (str(row.post_id), row.title or "—", row.old_url or "—", row.path or "—", notes or "—")
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def csv_text(rows: Iterable[Row], lang: str = "id") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["post_id", "kind", "outcome", "title", "old_url", "path", "codes", "notes"])
    for row in rows:
        codes = " ".join(c for c, _ in row.notes)
        notes = "; ".join(note(c, w, lang) for c, w in row.notes)
        writer.writerow([row.post_id, row.kind, row.outcome, row.title, row.old_url, row.path, codes, notes])
    return out.getvalue()
