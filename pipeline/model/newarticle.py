"""The text of a new article: a fresh id, the initial stage, and the fields to fill in."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipeline.errors import LamanError, Problem
from pipeline.model.article import slugify
from pipeline.model.project import Project, folder_for


@dataclass(frozen=True)
class NewArticle:
    id: str
    slug: str
    path: Path
    text: str


# Issue-form labels (.github/ISSUE_TEMPLATE/disposisi.yml) -> disposition keys.
ISSUE_FIELDS = {
    "Surat dari": "from",
    "Nomor surat": "number",
    "Tanggal surat": "date",
    "Sifat": "nature",
    "Perihal": "subject",
    "Isi disposisi": "instruction",
}


def from_issue(issue: dict[str, str]) -> tuple[str, dict[str, str]]:
    """(title, disposition) from a disposition issue as `gh issue view N --json title,body` gives it."""
    fields: dict[str, str] = {}
    for section in re.split(r"^### ", issue.get("body", ""), flags=re.MULTILINE)[1:]:
        label, _, value = section.partition("\n")
        value = value.strip()
        if label.strip() in ISSUE_FIELDS and value and value != "_No response_":
            fields[ISSUE_FIELDS[label.strip()]] = " ".join(value.split())
    title = re.sub(r"^Disposisi:\s*", "", issue.get("title", "")).strip() or fields.get("subject", "")
    return title, fields


def new_article(
    project: Project,
    title: str,
    category: str,
    now: datetime,
    token: str,
    disposition: dict[str, str] | None = None,
) -> NewArticle:
    """A new article in the initial stage; refuses an unknown category or an existing file."""
    if category not in project.sop.categories:
        raise LamanError(
            [
                Problem(
                    "ART005",
                    "--category",
                    args={"category": category, "categories": ", ".join(project.sop.categories)},
                )
            ]
        )
    slug = slugify(title)
    article_id = f"{now:%Y%m%d}-{token}"
    path = project.content / folder_for(category) / f"{slug}.md"
    if path.exists():
        raise LamanError([Problem("CMD003", str(path), args={"path": str(path)})])
    initial = project.sop.initial
    later = [s for s in project.sop.stages if not s.terminal]
    to_fill = [key for s in later for key in s.requires if key not in ("title", "category")]
    fill = ", ".join(dict.fromkeys(to_fill))
    text = (
        "---\n"
        f"id: {article_id}\n"
        f"title: {json.dumps(title, ensure_ascii=False)}\n"
        f"stage: {initial.id}\n"
        f"category: {category}\n"
        f"slug: {slug}\n"
        + "".join(
            ("disposition:\n" if i == 0 else "") + f"  {key}: {json.dumps(value, ensure_ascii=False)}\n"
            for i, (key, value) in enumerate((disposition or {}).items())
        )
        + f"# Isi menurut tahapnya / fill in as the stages require: {fill}\n"
        "---\n\n"
        "Tulis naskah di sini.\n"
    )
    return NewArticle(article_id, slug, path, text)
