"""The classes of file that can change the site, as `sop.yml`'s `files:` declares them: every path
belongs to exactly one, and each class is judged its own way (see `classify`)."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import cached_property
from pathlib import PurePosixPath

from pipeline.errors import LamanError
from pipeline.model import strictyaml

CONTENT = "content/"

# The site's code whatever sop.yml says: a sop.yml that drops one of these from its list must not
# leave the settings, the theme or the build open to anyone's commit.
SITE_CODE_FLOOR = (
    "sop.yml",
    "team.yml",
    "pipeline/",
    ".github/",
    "theme/",
    "pelicanconf.py",
    "publishconf.py",
    "pyproject.toml",
    "Makefile",
    "scripts/",
)

ARTICLE = "article"  # content/**/*.md: through the SOP, step by step
SITE_CODE = "site_code"  # signed by the roles sop.yml names for the site's code
ASSET = "asset"  # an image or PDF under content/: signed by a member of the team
DOCUMENT = "document"  # a DIP document: approved by the roles sop.yml names for documents
REFUSED = "refused"  # anything else under content/: never published, refused by check and validate
OTHER = "other"  # outside content/ and the site's code (README, docs, tests): not on the site


@dataclass(frozen=True)
class FileClasses:
    site_code: tuple[str, ...]  # files, and folders written with a closing `/`
    site_code_roles: tuple[str, ...]
    asset_types: tuple[str, ...]  # suffixes, with their dot, in lower case
    documents: str  # the folder of the DIP documents, `content/dokumen/`
    document_roles: tuple[str, ...]

    @cached_property
    def _code(self) -> tuple[frozenset[str], tuple[str, ...]]:
        paths = (*SITE_CODE_FLOOR, *self.site_code)
        return frozenset(paths), tuple(p for p in paths if p.endswith("/"))

    def is_site_code(self, path: str) -> bool:
        files, folders = self._code
        return path in files or path.startswith(folders)

    @cached_property
    def _classes(self) -> dict[str, str]:
        return {}

    def classify(self, path: str) -> str:
        """The class of the file at `path` (relative to the repository's root, with `/`); each
        path worked out once (the check asks of every file of every commit)."""
        found = self._classes.get(path)
        if found is None:
            found = self._classes[path] = self._classify(path)
        return found

    def _classify(self, path: str) -> str:
        if self.is_site_code(path):
            return SITE_CODE
        if not path.startswith(CONTENT):
            return OTHER
        if any(part.startswith(".") for part in PurePosixPath(path).parts):
            return REFUSED  # hidden: `.env`, `.htaccess`, a hidden folder
        suffix = PurePosixPath(path).suffix.lower()
        if path.endswith(".md"):
            return ARTICLE
        if path.startswith(self.documents) and suffix == ".yml" and "/" not in path[len(self.documents) :]:
            return DOCUMENT
        if suffix in self.asset_types:
            return ASSET
        return REFUSED


def site_code_floor() -> FileClasses:
    """The classes when sop.yml cannot be read: its floor of site code, no asset, no document."""
    return FileClasses((), (), (), f"{CONTENT}dokumen/", ())


def document_file(target: object) -> str | None:
    """The `content/...` path a DIP document's `file:` names, if it names one inside content/."""
    if not isinstance(target, str) or not target.strip():
        return None
    path = f"{CONTENT}{posixpath.normpath(target.strip().lstrip('/'))}"
    return path if "/../" not in f"/{path}" else None


def document_target(raw: bytes, file: str) -> str | None:
    """The file a DIP document's text names (`file:`); None for a document that cannot be read,
    which the check refuses on its own."""
    try:
        loaded = strictyaml.load(raw.decode("utf-8"), file)
    except (LamanError, UnicodeDecodeError):
        return None
    return document_file(loaded.data.get("file")) if isinstance(loaded.data, dict) else None
