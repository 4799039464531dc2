"""The catalogs (pipeline/messages/id.toml, en.toml) against each other and against the code."""

from __future__ import annotations

import importlib
import pickle
import pkgutil
import re
import string
from pathlib import Path

import pytest

import pipeline
from pipeline.messages import LANGS, Phrase, catalog, choose_lang, render, say

SOURCE = Path(pipeline.__file__).parent
CODE = re.compile(r"""["']([A-Z]{2,5}[0-9]{3})["']""")
# A key said in the code: say("dip.title", ...), output.say("cli.dip.written", ...) or
# Phrase("dip.title"); with an f-string, the literal part before the first `{` must at least open
# a section of the catalogs.
SAID = re.compile(r"""(?:(?<![\w.])|(?<=output\.))(?:say|Phrase)\(\s*(f?)["']([^"'{]*)""")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def sources() -> list[Path]:
    return [p for p in SOURCE.rglob("*.py") if p.relative_to(SOURCE).parts[0] != "messages"]


def test_both_languages_have_the_same_keys() -> None:
    ids, ens = set(catalog("id")), set(catalog("en"))
    assert sorted(ids - ens) == [], "in id.toml but missing in en.toml"
    assert sorted(ens - ids) == [], "in en.toml but missing in id.toml"


def test_every_text_is_text_and_a_format_string_with_the_same_placeholders_in_both() -> None:
    ids, ens = catalog("id"), catalog("en")
    for key in ids.keys() & ens.keys():
        assert isinstance(ids[key], str) and isinstance(ens[key], str), key
        assert placeholders(ids[key]) == placeholders(ens[key]), key


def test_a_problem_code_has_a_message_and_a_fix_and_nothing_else() -> None:
    parts: dict[str, set[str]] = {}
    for key in catalog("id"):
        head, _, rest = key.partition(".")
        if CODE.fullmatch(f'"{head}"'):
            parts.setdefault(head, set()).add(rest)
    assert parts
    assert {code: p for code, p in parts.items() if p != {"message", "fix"}} == {}


def test_every_code_the_code_base_uses_is_in_both_catalogs() -> None:
    used = {(code, path.name) for path in sources() for code in CODE.findall(path.read_text("utf-8"))}
    assert len({code for code, _ in used}) > 100
    for lang in LANGS:
        texts = catalog(lang)
        missing = sorted((c, f) for c, f in used if f"{c}.message" not in texts or f"{c}.fix" not in texts)
        assert missing == [], f"missing in {lang}.toml"


def test_every_key_the_code_base_says_is_in_both_catalogs() -> None:
    said = [(m, path.name) for path in sources() for m in SAID.findall(path.read_text("utf-8"))]
    texts = catalog("id")
    for (formatted, key), file in said:
        if formatted:  # a key made at run time: its fixed start opens a section of the catalogs
            assert any(k.startswith(key) for k in texts), (key, file)
        else:
            assert key in texts, (key, file)


def test_a_key_is_found_said_by_a_command_a_function_or_a_phrase_and_a_language_is_not() -> None:
    code = 'output.say("cli.dip.written", path=p) say(f"cli.summary.{h}", lang) h.say("id") Phrase("a.b")'
    assert SAID.findall(code) == [("", "cli.dip.written"), ("f", "cli.summary."), ("", "a.b")]


def test_every_phrase_a_module_holds_is_said_in_both_languages() -> None:
    # The keys made at run time (f"dip.heading.{key}") meet the catalogs here, at their source.
    phrases = []
    for info in pkgutil.walk_packages(pipeline.__path__, "pipeline."):
        if info.name.endswith("__main__"):  # runs the command when imported
            continue
        for value in vars(importlib.import_module(info.name)).values():
            inner = value.values() if isinstance(value, dict) else value if isinstance(value, tuple) else ()
            phrases += [p for p in (value, *inner) if isinstance(p, Phrase)]
    assert len(phrases) > 30
    for phrase in phrases:
        assert [phrase.say(lang) for lang in LANGS] == list(phrase)


def test_a_phrase_stands_for_a_pair_is_equal_by_value_and_travels_to_a_worker() -> None:
    phrase = Phrase("schema.or", left=Phrase("schema.type.string"), right=Phrase("schema.type.array"))
    assert phrase.say("id") == phrase[0] == "teks atau daftar"
    assert phrase.say("en") == phrase[True] == "text or a list"
    assert tuple(phrase) == ("teks atau daftar", "text or a list")
    assert pickle.loads(pickle.dumps(phrase)) == phrase != Phrase("schema.or")


def test_a_message_is_said_with_its_arguments_and_a_text_by_language_inside_it() -> None:
    args = {"key": "x", "what": {"id": "kata", "en": "word"}}
    assert (
        render("DIP001", "fix", "id", args)
        == "Isi `information.x` (kata) sebelum naskah diserahkan untuk verifikasi."
    )
    assert (
        say("DIP001.fix", "en", **args)
        == "Fill in `information.x` (word) before the article is submitted for verification."
    )


def test_an_unknown_language_or_key_is_an_error() -> None:
    with pytest.raises(KeyError):
        catalog("fr")
    with pytest.raises(KeyError):
        say("NOPE001.message", "id")


def test_the_language_is_asked_first_then_the_environment_then_indonesian() -> None:
    assert choose_lang("en", {}) == "en"
    assert choose_lang(None, {"LAMAN_LANG": "en", "LANG": "id_ID.UTF-8"}) == "en"
    assert choose_lang(None, {"LANG": "en_US.UTF-8"}) == "en"
    assert choose_lang(None, {"LC_ALL": "de_DE.UTF-8"}) == "id"
    assert choose_lang(None, {}) == "id"
