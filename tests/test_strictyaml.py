"""The line reader of front matter against PyYAML's loaders: where it reads a text, it reads what
they read (values, and where each key and value stands); elsewhere it gives the text to them."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from pipeline.errors import LamanError
from pipeline.model import article, strictyaml
from tests.office import article_text

ROOT = Path(__file__).resolve().parent.parent
FULL = article_text(
    "a1",
    "verified",
    tags="[Pemilu 2024, Rapat Pleno]",
    channels="[website, facebook]",
    revision=2,
    information={"class": "berkala"},
).replace(
    "  class: berkala",
    "  class: berkala\n  format: [softcopy]\n  retention: {active: 2 tahun, inactive: 3 tahun}",
)
FRONT = article.split(FULL, "a1.md")[0]


def _as_the_loaders(text: str) -> object:
    try:
        found = strictyaml.parsed(text, "a1.md", first_line=2)
    except LamanError as err:
        return err.problems
    return (repr(found.data), found.values, found.keys)


def _read_alike(text: str) -> bool | None:
    """None where the line reader gives up; else whether it read what the loaders read."""
    read = strictyaml._plain_lines(text, 2)
    if read is None:
        return None
    return (repr(read.data), read.values, read.keys) == _as_the_loaders(text)


def test_the_template_and_the_sample_articles_are_read_line_by_line_as_yaml_reads_them() -> None:
    fronts = [FRONT] + [
        article.split(path.read_text("utf-8"), path.name)[0] for path in sorted(ROOT.glob("content/*/*.md"))
    ]
    assert len(fronts) > 10
    assert [_read_alike(front) for front in fronts] == [True] * len(fronts)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("revision: 2", "revision: 2.5"),
        ("revision: 2", "revision: ~"),
        ("revision: 2", "revision: yes"),
        ("revision: 2", "revision: 1:30"),  # YAML 1.1 reads a number of minutes
        ("revision: 2", "revision: 0x1f"),
        ("revision: 2", "revision: 2024-03-06"),  # dates stay text
        ("revision: 2", "revision: '2'"),
        ("revision: 2", 'revision: "2: dua"'),
        ("revision: 2", "revision: =="),
        ("revision: 2", "revision: C#, F#"),
        ("revision: 2", "revision: [1, true, null, ya]"),
        ("revision: 2", "revision: {}"),
        ("revision: 2", "revision: {a:   dua ,  b: 3}"),
        ("revision: 2", "revision: [ ]"),
        ("revision: 2", "revision:    dua   "),
        ("title: Rapat Pleno DPT", "title: Tuapejat – Rapat [Pleno] DPT, {2024}"),
        ("tags: [Pemilu 2024, Rapat Pleno]", "tags: [ Pemilu 2024 ,Rapat–Pleno ,'a: b', \"c\"]"),
        ("  class: berkala", "  # kelas informasi\n\n  class: berkala"),
        ("  class: berkala", "  class: berkala\n  sub:\n      deeper: 1\n  after: 2"),
    ],
)
def test_what_the_line_reader_reads_is_what_yaml_reads(old: str, new: str) -> None:
    assert old in FRONT
    assert _read_alike(FRONT.replace(old, new)) is True


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("revision: 2", "revision: 2 # catatan"),
        ("revision: 2", "revision: 'it''s'"),
        ("revision: 2", 'revision: "dua\\n"'),
        ("revision: 2", "revision: |\n  dua"),
        ("revision: 2", "revision:\n  - dua"),
        ("revision: 2", "revision:"),
        ("revision: 2", "revision: dua\n  tiga"),
        ("revision: 2", "revision: [a, [b]]"),
        ("revision: 2", "revision: [a,\n  b]"),
        ("revision: 2", "revision: [a, b: c]"),
        ("revision: 2", "revision: {a: b: c}"),
        ("revision: 2", "revision: {a: 1, a: 2}"),
        ("revision: 2", "revision: &x 2"),
        ("revision: 2", "revision: !!str 2"),
        ("revision: 2", "revision: a: b"),
        ("revision: 2", "revision :2"),
        ("revision: 2", "revision:2"),
        ("revision: 2", "yes: 2"),
        ("revision: 2", '"revision": 2'),
        ("revision: 2", "revision: 2\nrevision: 3"),
        ("revision: 2", "revision: 2\r"),
        ("revision: 2", "revision:\t2"),
        ("revision: 2", "revision: dua\u2028tiga"),
        ("revision: 2", "revision: -2"),
        ("  class: berkala", "   class: berkala"),
        ("  class: berkala", "class: berkala"),
        ("---", "---"),
    ],
    ids=[
        "a comment after a value",
        "an escaped single quote",
        "an escape in double quotes",
        "a block scalar",
        "a block sequence",
        "an empty value (null)",
        "a value over two lines",
        "a nested flow",
        "a flow over two lines",
        "a mapping in a flow sequence",
        "a colon in a flow value",
        "a repeated key in a flow mapping",
        "an anchor",
        "a tag",
        "a colon in a value",
        "a space before the colon",
        "no space after the colon",
        "a key that is not text",
        "a quoted key",
        "a repeated key",
        "a carriage return",
        "a tab",
        "a line separator",
        "an indicator first",
        "an indentation out of step",
        "a nested key at the top",
        "a document marker",
    ],
)
def test_what_the_line_reader_might_misread_is_left_to_yaml(old: str, new: str) -> None:
    text = FRONT.replace(old, new) if old != "---" else FRONT + "\n---\nid: a2"
    assert strictyaml._plain_lines(text, 2) is None


# Pieces of YAML syntax a hand edit might leave in the front matter.
_PIECES = (
    *(" ", "  ", "\n", "\n ", "\n  ", "\n    ", "\n- ", ":", ": ", "-", "- ", "#", " #", "~", "null", "true"),
    *("0x1", "1.5", "1:30", "2024-01-01", "yes", "No", "off", ".inf", "-.5", "0o7", "+1", "1_000", "Null"),
    *("a", "1", "x", "=", "<<", "[", "]", "{", "}", ",", ", ", "?", "|", ">", "%", "@", "`", "'", '"', "\\"),
    *("---", "...", "\r", "\t", "\nkey:", "\n  key: v", "\n# c\n", "[a, b]", "{a: b}", ": [", ": {", "''"),
    *("–", "é", "\U0001d54f", "\u2028", "\x85", "\ufeff", "\x7f", "&", "*", "!", "\n\n", " : "),
)


@pytest.mark.parametrize("seed", range(4))
def test_on_mutated_front_matter_the_line_reader_reads_as_yaml_or_gives_up(seed: int) -> None:
    rng = random.Random(seed)
    bases = [FRONT, article.split((ROOT / "content/berita/ralat-jumlah-tps-pilkada.md").read_text(), "x")[0]]
    wrong, read = [], 0
    for _ in range(1500):
        text = rng.choice(bases)
        for _ in range(rng.randint(1, 4)):
            at = rng.randint(0, len(text))
            text = text[:at] + rng.choice(_PIECES) + text[at:]
        alike = _read_alike(text)
        read += alike is not None
        if alike is False:
            wrong.append(text)
    assert wrong == []
    assert read > 200  # the search reaches texts the line reader reads, not only its refusals


def test_lines_read_before_give_each_text_its_own_values() -> None:
    # Lines are read once and remembered: a flow list or mapping must still be new in each text.
    first, second = strictyaml.load(FRONT, "a1.md").data, strictyaml.load(FRONT, "a2.md").data
    first["tags"].append("diubah")
    first["information"]["retention"]["active"] = "diubah"
    assert second == strictyaml.load(FRONT, "a3.md").data
    assert second["tags"] == ["Pemilu 2024", "Rapat Pleno"]
