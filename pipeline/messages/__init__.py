"""Every text the pipeline shows, in Indonesian and English, kept in one data file per language.

`id.toml` and `en.toml` beside this module hold the texts; a key names one text in both files.
A problem's stable code is a table with its `message` and `fix` (`[SOP004]`); any other text is
keyed by where it is shown (`[dip.heading] number = "Nomor"` is the key `dip.heading.number`).
A text is a Python format string: `{name}` takes an argument, and an argument may itself be a
text that depends on the language (see `say`). The files are read on first use, not at import,
so a command that shows no text pays nothing for them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

LANGS = ("id", "en")


def choose_lang(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """`--lang` first, then LAMAN_LANG, then the locale; Indonesian unless English is asked."""
    env = os.environ if environ is None else environ
    if explicit:
        return explicit
    if env.get("LAMAN_LANG") in LANGS:
        return env["LAMAN_LANG"]
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            return "en" if value.startswith("en") else "id"
    return "id"


@cache
def catalog(lang: str) -> Mapping[str, str]:
    """Every text of one language by its dotted key, read from `<lang>.toml` once."""
    if lang not in LANGS:
        raise KeyError(lang)
    import tomllib  # here, not at the top: only a command that shows a text pays for the parser

    with resources.files(__name__).joinpath(f"{lang}.toml").open("rb") as file:
        return _flat(tomllib.load(file))


def _flat(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, Mapping):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def say(key: str, lang: str, /, **args: object) -> str:
    """The text `key` in `lang`, its `{placeholders}` filled from `args`."""
    return catalog(lang)[key].format(**{name: _pick(value, lang) for name, value in args.items()})


def render(code: str, part: str, lang: str, args: Mapping[str, object]) -> str:
    """A problem's `message` or `fix` (`part`) in `lang`."""
    return say(f"{code}.{part}", lang, **args)


def _pick(value: object, lang: str) -> object:
    if isinstance(value, Mapping) and set(value) == set(LANGS):
        return value[lang]
    return value


def both(id_text: str, en_text: str) -> dict[str, str]:
    """An argument whose words depend on the language."""
    return {"id": id_text, "en": en_text}
