"""Every text the pipeline shows a person, in Indonesian and English, and the one way to say it.

The texts live in one data file per language beside this module, `id.toml` and `en.toml`,
read with the standard library's `tomllib` (translation tools such as Weblate read such files as
monolingual key-value catalogs). A key names one text in both files:

- a problem's stable code is a table with its `message` and `fix`: `[SOP004]` holds the keys
  `SOP004.message` and `SOP004.fix`;
- any other text is keyed by where it is shown: `[dip.heading]` `number = "Nomor"` is the key
  `dip.heading.number`; a command's lines are under `[cli.<command>]`, the recap's tables under
  `[recap.table.<table>]`.

A text is a Python format string: `{name}` takes an argument, `{{` and `}}` stand for a brace.
tests/test_messages.py fails when a key is in one file and not the other, when the two
languages' placeholders differ, or when a code or key the code base uses is in neither.

Saying a text:

- `say(key, lang, **args)`: the text, now, in `lang`. A command prints a line with
  `output.say(key, **args)`, in the language `laman --lang` chose.
- `Phrase(key, **args)`: the same text said later, in whichever language it is shown in. It is
  an argument of a Problem or of another text (`Problem("TEAM005", file, args={"what":
  Phrase("team.field.email"), ...})`), or a constant such as a table's headings.
  `phrase.say(lang)` says it; `phrase[0]` and `phrase[1]` are its Indonesian and English.
- `render(code, part, lang, args)`: a problem's `message` or `fix`, which `Problem` calls.

An argument written {"id": ..., "en": ...} is a text that comes already translated in the
office's data (a schema's `x-form`), not a text of the code: the code's texts are all here.

Turning a hand-made pair into a key, should one be written again:

    ("Tahap naskah", "Article stages")[lang == "en"]      ->  say("cli.sop.stages", lang)
    ("Dibuat: " if lang == "id" else "Made: ") + when     ->  say("recap.made", lang, when=when)
    {"id": f"... {log} ...", "en": f"... {log} ..."}[lang]  ->  say("cli.crash", lang, log=log)
    HEADINGS = (("Nomor", "Number"), ...)                 ->  HEADINGS = (Phrase("dip.heading.number"), ...)
    output.say(f"Ditulis: {path}", f"Written: {path}")    ->  output.say("cli.dip.written", path=path)

Add the key to both files with the same placeholders, keep each text byte for byte, and run
tests/test_messages.py. Numbers and dates go in as arguments already written the language's way
(`model.dates`); a count each language writes its own way (`55.155`, `55,155`) goes in as
`{"id": ..., "en": ...}`, which `cli.output.number` makes. Left as they are, on purpose: a text
shown in one language only (the public site is in Indonesian), data that carries its own
translations (sop.yml's `label`/`label_en`), and a text written in both languages at once
("symbolic link / tautan simbolik"), which would print differently if it followed the language.

The files are read on first use, not at import: about 10 ms for the first text of a language
(importing tomllib 5, reading the file 5), so a command that shows no text pays nothing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
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
    # Imported here, not at the top: only a command that shows a text pays for the parser. The
    # file is found beside this module, as setuptools installs it; importlib.resources would
    # add 7 ms of imports to find the same path.
    import tomllib

    with open(os.path.join(os.path.dirname(__file__), f"{lang}.toml"), "rb") as file:
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
    if isinstance(value, Phrase):
        return value.say(lang)
    if isinstance(value, Mapping) and set(value) == set(LANGS):
        return value[lang]
    return value


class Phrase:
    """A text by key whose language is chosen only when it is shown.

    An argument of a Problem or of another text (said in the language the message is shown
    in), or a heading in a table of constants. Indexing gives the language by position,
    `phrase[0]` Indonesian and `phrase[1]` English.
    """

    __slots__ = ("args", "key")

    def __init__(self, key: str, /, **args: object) -> None:
        self.key = key
        self.args = args

    def say(self, lang: str) -> str:
        return say(self.key, lang, **self.args)

    def __getitem__(self, index: int) -> str:
        return self.say(LANGS[index])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Phrase) and (self.key, self.args) == (other.key, other.args)

    def __hash__(self) -> int:
        return hash(self.key)

    def __repr__(self) -> str:
        args = "".join(f", {name}={value!r}" for name, value in self.args.items())
        return f"Phrase({self.key!r}{args})"
