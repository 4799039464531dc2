"""The rooms of `pipeline/` keep to docs/architecture.md: imports run one way only, git runs in one
module and Pelican in one room."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PIPELINE = Path(__file__).resolve().parent.parent / "pipeline"

# Lower parts first; a module may import its own part, any lower part, and nothing above. Parts
# on the same level are siblings that may not import each other.
LEVELS = {
    "errors": 0,
    "messages": 0,
    "model": 1,
    "proof": 2,
    "duties": 3,
    "site": 4,
    "recap": 4,
    "wordpress": 4,
    "app": 5,
    "redaksi": 5.5,
    "cli": 6,
    "__main__": 7,
}
BASE = {"errors", "messages"}
GIT_ROOM = "proof/history.py"
PELICAN_ROOM = "site"


def _part(dotted: str) -> str | None:
    names = dotted.split(".")
    return names[1] if names[0] == "pipeline" and len(names) > 1 else None


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, dotted module) of every import, at the top or inside a function alike."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
            if node.module == "pipeline":  # `from pipeline import model` names a part itself
                found += [(node.lineno, f"pipeline.{alias.name}") for alias in node.names]
    return found


def _runs_git(tree: ast.AST) -> list[int]:
    """Lines of a command list or tuple whose first word is `git`."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.List | ast.Tuple)
        and node.elts
        and isinstance(node.elts[0], ast.Constant)
        and node.elts[0].value == "git"
    ]


def _modules() -> list[Path]:
    return sorted(PIPELINE.rglob("*.py"))


def _own_part(path: Path) -> str:
    relative = path.relative_to(PIPELINE)
    return relative.parts[0].removesuffix(".py")


def test_every_part_has_a_level() -> None:
    parts = {_own_part(p) for p in _modules()} - {"__init__"}
    assert parts <= set(LEVELS), (
        f"a new part needs a level here and in docs/architecture.md: {parts - set(LEVELS)}"
    )


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PIPELINE)))
def test_imports_run_one_way(path: Path) -> None:
    own = _own_part(path)
    if own == "__init__":
        return
    wrong = []
    for line, module in _imports(ast.parse(path.read_text("utf-8"))):
        part = _part(module)
        if part is None or part == own or part not in LEVELS:
            continue
        sibling = LEVELS[part] == LEVELS[own] and not {part, own} <= BASE
        if LEVELS[part] > LEVELS[own] or sibling:
            wrong.append(f"{path.relative_to(PIPELINE)}:{line} imports {module}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PIPELINE)))
def test_git_runs_in_one_module_and_pelican_in_one_room(path: Path) -> None:
    relative = path.relative_to(PIPELINE).as_posix()
    tree = ast.parse(path.read_text("utf-8"))
    imported = [(line, module.split(".")[0]) for line, module in _imports(tree)]
    if relative != GIT_ROOM:
        assert [line for line, top in imported if top == "git"] == [], f"{relative} imports GitPython"
        assert _runs_git(tree) == [], f"{relative} starts git"
    if _own_part(path) != PELICAN_ROOM:
        assert [line for line, top in imported if top == "pelican"] == [], f"{relative} imports Pelican"


def test_the_rule_catches_a_lower_part_importing_a_higher_one(tmp_path: Path) -> None:
    tree = ast.parse("def f():\n    from pipeline.cli import main\n")
    assert [_part(m) for _, m in _imports(tree)] == ["cli"]
    assert _runs_git(ast.parse("run(['git', 'update-ref', 'x'])")) == [1]


MODULE_LINES, FUNCTION_LINES = 500, 60
# Left longer on purpose, each with its reason; anything else over the limits fails.
LONGER = {
    "recap/readers.py:Counter._feed": "the per-line loop of the log count; a call per line costs 5%",
}


def _long_functions(tree: ast.AST, relative: str) -> list[str]:
    found = []
    for parent in ast.walk(tree):
        for node in ast.iter_child_nodes(parent):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                owner = f"{parent.name}." if isinstance(parent, ast.ClassDef) else ""
                name = f"{relative}:{owner}{node.name}"
                if length > FUNCTION_LINES and name not in LONGER:
                    found.append(f"{name} has {length} lines")
    return found


def test_no_room_too_big_and_no_function_that_needs_scrolling() -> None:
    too_long = []
    for path in _modules():
        relative = path.relative_to(PIPELINE).as_posix()
        text = path.read_text("utf-8")
        lines = len(text.splitlines())
        if lines > MODULE_LINES and relative not in LONGER:
            too_long.append(f"{relative} has {lines} lines")
        too_long += _long_functions(ast.parse(text), relative)
    assert not too_long, "split these, or say why in LONGER:\n" + "\n".join(too_long)
