"""Reading and checking the Markdown files of `content/` as they are on disk."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import LamanError, Problem
from pipeline.model import article, media
from pipeline.model.article import Article
from pipeline.model.files import ASSET, DOCUMENT, REFUSED, FileClasses
from pipeline.model.sop import Sop
from pipeline.model.team import Team

SUFFIX = ".md"


@dataclass(frozen=True)
class Checked:
    articles: tuple[Article, ...]
    problems: tuple[Problem, ...]


def find(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """The Markdown files named, folders expanded; missing paths and links are problems."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_symlink():
            problems.append(Problem("FM006", str(path), args={"detail": "symbolic link / tautan simbolik"}))
        elif path.is_dir():
            for found in sorted(path.rglob(f"*{SUFFIX}")):
                if found.is_dir() and not found.is_symlink():
                    continue
                if found.is_symlink():
                    problems.append(
                        Problem("FM006", str(found), args={"detail": "symbolic link / tautan simbolik"})
                    )
                else:
                    files.append(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem("CMD001", str(path), args={"path": str(path)}))
    return files, problems


def read(files: Iterable[Path]) -> tuple[dict[str, bytes], list[Problem]]:
    """The bytes of each file; one that cannot be read is a problem, not a crash."""
    found: dict[str, bytes] = {}
    problems: list[Problem] = []
    for path in files:
        try:
            found[str(path)] = path.read_bytes()
        except OSError as err:
            problems.append(Problem("FM006", str(path), args={"detail": err.strerror or str(err)}))
    return found, problems


def check(files: Mapping[str, bytes], sop: Sop, team: Team | None) -> Checked:
    """Parse and check every file; every problem of every file, and the articles that parsed."""
    articles: list[Article] = []
    problems: list[Problem] = []
    first_file: dict[str, str] = {}
    for name, raw in files.items():
        try:
            parsed = article.parse(raw, name)
        except LamanError as err:
            problems.extend(err.problems)
            continue
        problems.extend(article.check(parsed, sop, team))
        if parsed.id in first_file:
            line, col = parsed.position("id")
            problems.append(
                Problem("ART003", name, line, col, {"id": parsed.id, "other": first_file[parsed.id]})
            )
        else:
            first_file[parsed.id] = name
        articles.append(parsed)
    return Checked(tuple(articles), tuple(problems))


def _folder(path: Path, root: Path) -> str | None:
    """The folder of the file at `path` relative to `root` (`berita`, or '' at the top), None
    outside it."""
    try:
        folder = path.resolve().parent.relative_to(root).as_posix()
    except ValueError:
        return None
    return folder.removeprefix(".")


def image_files(item: Article, path: Path, content_root: Path) -> dict[str, bytes]:
    """The images the article at `path` shows, as `content/...` -> bytes: a draft's photos, not
    yet committed, for its preview."""
    root = content_root.resolve()
    folder = _folder(path, root)
    if folder is None:
        return {}
    files = {}
    for ref in media.references(item, folder):
        if (root / ref.path).is_file():
            files[f"{content_root.name}/{ref.path}"] = (root / ref.path).read_bytes()
    return files


def image_problems(articles: Iterable[Article], content_root: Path) -> list[Problem]:
    """The missing and oversized images of articles kept under `content_root`, on disk."""
    root = content_root.resolve()

    def size_of(path: str) -> int | None:
        file = root / path
        return file.stat().st_size if file.is_file() else None

    problems: list[Problem] = []
    for item in articles:
        folder = _folder(Path(item.file), root)
        if folder is not None:  # a file outside content/ is not published: its images neither
            problems += media.problems(item, folder, size_of)
    return problems


def refused(paths: Iterable[Path], root: Path, kinds: FileClasses) -> list[Problem]:
    """The files in the folders named that no class of `sop.yml`'s `files:` admits (another
    format, a hidden file, a link): never published, each a problem."""
    base = root.resolve()
    problems: list[Problem] = []
    for folder in paths:
        if folder.is_symlink() or not folder.is_dir():
            continue
        for found in sorted(folder.rglob("*")):
            if found.is_dir() and not found.is_symlink():
                continue
            try:
                name = (found.parent.resolve() / found.name).relative_to(base).as_posix()
            except ValueError:
                continue  # outside the project: not on the site
            kind = kinds.classify(name)
            link = found.is_symlink() and kind in (ASSET, DOCUMENT)  # a linked .md is FM006
            if kind == REFUSED or link:
                types = ", ".join(kinds.asset_types) or "—"
                problems.append(Problem("CNT001", str(found), args={"path": name, "types": types}))
    return problems
