"""The mapping file of `laman import wordpress --sections`: which section of this site each
WordPress category goes to, and the public-information columns (the DIP's) of imported items.
Without a file, `DEFAULT` stands. Pure: it is given the file's text."""

from __future__ import annotations

from typing import Any

from pipeline.errors import LamanError, Problem
from pipeline.model import strictyaml
from pipeline.model.sop import Sop
from pipeline.wordpress.plan import Sections

DEFAULT = """\
# laman import wordpress --sections FILE: copy this, change it, pass it.
# A WordPress category (its name or its slug, any case) -> a category of sop.yml.
categories:
  pengumuman: Pengumuman
  announcement: Pengumuman
  berita: Berita
  news: Berita
# A post whose categories name none of the above; a page whose slug names no category.
posts: Berita
pages: Profil
# The Daftar Informasi Publik's columns for every imported item; `place` says where it came from.
information:
  class: berkala
  unit: Pengelola laman
  responsible: PPID
  place: Arsip laman lama
  format: [softcopy]
  retention: {active: 2 tahun, inactive: 3 tahun}
"""
_INFORMATION = ("class", "unit", "responsible", "place", "format", "retention")


def load(text: str, file: str, sop: Sop) -> Sections:
    """The mapping in `text`; LamanError naming each key that is wrong."""
    loaded = strictyaml.load(text, file)
    data: Any = loaded.data
    problems = []

    def bad(path: tuple[str, ...], what: str) -> None:
        line, column = loaded.position(path)
        problems.append(Problem("IMP005", file, line, column, {"key": ".".join(path) or "—", "what": what}))

    if not isinstance(data, dict):
        bad((), "mapping")
        raise LamanError(problems)
    categories = data.get("categories") or {}
    if not isinstance(categories, dict):
        bad(("categories",), "mapping")
        categories = {}
    for name, category in categories.items():
        if category not in sop.categories:
            bad(("categories", name), ", ".join(sop.categories))
    for key in ("posts", "pages"):
        if data.get(key) not in sop.categories:
            bad((key,), ", ".join(sop.categories))
    information = data.get("information")
    if not isinstance(information, dict) or set(information) - set(_INFORMATION):
        bad(("information",), ", ".join(_INFORMATION))
    if problems:
        raise LamanError(problems)
    return Sections(
        {str(k).lower(): v for k, v in categories.items()}, data["posts"], data["pages"], information
    )
