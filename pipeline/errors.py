"""Problems found in the office's files, and the one error type the command line catches."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pipeline.messages import render


@dataclass(frozen=True)
class Problem:
    """One thing wrong, where it is, and how to fix it (the text lives in `messages`)."""

    code: str
    file: str
    line: int | None = None
    column: int | None = None
    args: Mapping[str, object] = field(default_factory=dict)

    def where(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def message(self, lang: str = "id") -> str:
        return render(self.code, "message", lang, self.args)

    def fix(self, lang: str = "id") -> str:
        return render(self.code, "fix", lang, self.args)

    def format(self, lang: str = "id") -> str:
        return f"{self.where()}: {self.code} {self.message(lang)}\n    → {self.fix(lang)}"

    def as_dict(self, lang: str = "id") -> dict[str, object]:
        return {
            "code": self.code,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message(lang),
            "fix": self.fix(lang),
        }


class LamanError(Exception):
    """An expected failure: the command line prints its problems and exits 1."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(p.format("en") for p in self.problems))
