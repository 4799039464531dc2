"""The JSON Schemas in `schema/`, and their errors turned into Problems that point at a line."""

from __future__ import annotations

import difflib
import json
from functools import cache, reduce
from importlib import resources
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from pipeline.errors import LamanError, Problem
from pipeline.messages import Phrase
from pipeline.model import strictyaml
from pipeline.model.strictyaml import Loaded

_TYPE_WORDS = {
    kind: Phrase(f"schema.type.{kind}")
    for kind in ("string", "array", "object", "integer", "number", "boolean", "null")
}


@cache
def schema(name: str) -> dict[str, Any]:
    """The schema `pipeline/schema/<name>.schema.json`."""
    text = resources.files("pipeline").joinpath(f"schema/{name}.schema.json").read_text("utf-8")
    return json.loads(text)


@cache
def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(schema(name))


@cache
def _gate(name: str) -> jsonschema_rs.Validator:
    return jsonschema_rs.validator_for(schema(name))


def check(name: str, loaded: Loaded, file: str) -> list[Problem]:
    """Every schema problem of `loaded.data`, in the order they stand in the file."""
    # The Rust validator answers "valid?" a hundred times faster; the detailed errors, with
    # the schema node each one failed, come from jsonschema only when something is wrong.
    if _gate(name).is_valid(loaded.data):
        return []
    problems: list[Problem] = []
    for error in _validator(name).iter_errors(loaded.data):
        problems.extend(_problems(error, loaded, file))
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0, p.code))


def field_name(path: tuple[Any, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "front matter"


def _problems(error: ValidationError, loaded: Loaded, file: str) -> list[Problem]:
    path = tuple(error.absolute_path)
    line, col = loaded.position(path)
    field = field_name(path)
    kind = error.validator
    if kind == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        out = []
        for key in sorted(set(error.instance) - set(known)):
            k_line, k_col = loaded.position((*path, key), key=True)
            out.append(
                Problem("SCH001", file, k_line, k_col, {"key": key, "suggestion": _suggest(key, known)})
            )
        return out
    if kind == "required":
        return _missing(error, file, line, col)
    if kind == "type":
        expected = error.validator_value
        expected = [expected] if isinstance(expected, str) else list(expected)
        want = [_TYPE_WORDS[t] for t in expected if t != "null"] or [_TYPE_WORDS["null"]]
        got = _TYPE_WORDS[_json_type(error.instance)]
        return [
            Problem(
                "SCH003",
                file,
                line,
                col,
                {
                    "field": field,
                    "expected": reduce(_or, want),
                    "actual": got,
                },
            )
        ]
    if kind == "enum":
        allowed = ", ".join(f"`{v}`" for v in error.validator_value)
        return [
            Problem("SCH004", file, line, col, {"field": field, "value": error.instance, "allowed": allowed})
        ]
    if kind == "pattern":
        # A schema names its patterns in both languages (`x-form`, data like sop.yml's labels).
        form = error.schema.get("x-form") or Phrase("schema.pattern", pattern=error.validator_value)
        return [
            Problem(
                "SCH005",
                file,
                line,
                col,
                {"field": field, "value": error.instance, "form": form},
            )
        ]
    if kind in ("minLength", "minItems", "minProperties") and error.validator_value == 1:
        own = error.schema.get("x-code")  # an empty value said as its absence is
        return [
            Problem(own, file, line, col, {"key": field})
            if own
            else Problem("SCH006", file, line, col, {"field": field})
        ]
    return [Problem("SCH007", file, line, col, {"field": field, "detail": error.message})]


def _missing(error: ValidationError, file: str, line: int | None, col: int | None) -> list[Problem]:
    """Each required key that is not there: SCH002, or the code a field whose absence needs more
    words names itself (`x-code` in the schema: a photo's alt text, IMG004)."""
    path = tuple(error.absolute_path)
    fields = error.schema.get("properties", {})
    return [
        Problem(
            fields.get(key, {}).get("x-code", "SCH002"), file, line, col, {"key": field_name((*path, key))}
        )
        for key in error.validator_value
        if key not in error.instance
    ]


def _or(left: Phrase, right: Phrase) -> Phrase:
    # Two by two, so that any number of types reads "teks atau daftar atau angka".
    return Phrase("schema.or", left=left, right=right)


def _suggest(key: str, known: list[str]) -> Phrase:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    listing = ", ".join(known)
    if close:
        return Phrase("schema.did_you_mean", close=close[0], known=listing)
    return Phrase("schema.remove_key", known=listing)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def load(text: str, file: str, name: str) -> Loaded:
    """A policy file read strictly and held to the schema `name`; LamanError listing every problem."""
    loaded = strictyaml.load(text, file)
    if not isinstance(loaded.data, dict):
        raise LamanError([Problem("FM005", file, 1, 1)])
    problems = check(name, loaded, file)
    if problems:
        raise LamanError(problems)
    return loaded
