"""The text of a new article: a fresh id, the initial stage, and the fields to fill in."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipeline.article import slugify
from pipeline.errors import LamanError, Problem
from pipeline.project import Project, folder_for


@dataclass(frozen=True)
class NewArticle:
    id: str
    slug: str
    path: Path
    text: str


def new_article(project: Project, title: str, category: str, now: datetime, token: str) -> NewArticle:
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
        f"# Isi menurut tahapnya / fill in as the stages require: {fill}\n"
        "---\n\n"
        "Tulis naskah di sini.\n"
    )
    return NewArticle(article_id, slug, path, text)
