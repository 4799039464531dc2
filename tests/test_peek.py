"""The peek (a line scan of `id`, `stage` and the step fields) against the full YAML parse: where
the peek says it read a blob right, it read what YAML reads; elsewhere it says so, and the
blob is parsed fully."""

from __future__ import annotations

import random

import pytest

from pipeline.proof.version import peek, version
from tests.office import article_text

BASE = article_text("a1", "drafted")
PATH = "content/berita/a1.md"


def _agree(raw: bytes) -> bool:
    quick = peek(raw)
    full = version(PATH, "blob", "100644", raw, full=True)
    return (
        not full.problems
        and (quick.id, quick.stage, quick.stage_line)
        == (
            full.id,
            full.stage,
            full.stage_line,
        )
        and all(quick.fields.get(k) == full.value(k) for k in ("assignee", "revision", "withdrawal"))
    )


@pytest.mark.parametrize(
    "text",
    [
        BASE,
        BASE.replace("stage: drafted", "stage: drafted   "),
        article_text("a1", "corrected", revision="Perbaiki angka partisipasi pemilih"),
        article_text("a1", "withdrawn", withdrawal="Ditarik atas permintaan PPID"),
        BASE.replace("slug: a1\n", "slug: a1\n...\n"),  # what follows `...` is the body
        BASE.replace("slug: a1\n", "slug: a1\n# Isi menurut tahapnya\n"),  # as `laman new` writes
        BASE.replace("slug: a1\n", "slug: a1\ntags: [Pemilu 2024, Uji]\n"),
        BASE.replace("  subject:", '  agenda: "019"\n  subject:'),
        BASE.replace("title: Rapat Pleno DPT", 'title: "Pemberitahuan: Rapat Pleno DPT"'),
        article_text("a1", "corrected", revision='"Angka DPT keliru"'),  # as `laman advance` writes
        BASE.replace("stage: drafted", "stage: 'drafted'"),
        BASE.replace("title: Rapat Pleno DPT", "title: Tuapejat – Rapat Pleno DPT"),
    ],
    ids=[
        "as written by laman",
        "trailing spaces",
        "a revision reason",
        "a withdrawal reason",
        "a document end before the fence",
        "a comment line",
        "a flow sequence on one line",
        "a quoted number",
        "a quoted title with a colon",
        "a reason in double quotes",
        "a stage in single quotes",
        "UTF-8 text",
    ],
)
def test_what_the_peek_reads_right_is_what_yaml_reads(text: str) -> None:
    assert peek(text.encode()).plain
    assert _agree(text.encode())


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("stage: drafted", "stage: drafted # catatan"),
        ("id: a1", "id: a1  # nomor naskah"),
        ("assignee: writer@kpu.example", "assignee: writer@kpu.example # penulis"),
        ("stage: drafted\n", "stage: drafted\n  verified\n"),
        ("stage: drafted", "stage: null"),
        ("stage: drafted", "stage: yes"),
        ("id: a1", "id: 2024"),
        ("stage: drafted", "stage: [drafted]"),
        ("stage: drafted", "stage:drafted"),
        ("stage: drafted", "stage:\n  name: drafted"),
        ("stage: drafted", "stage: drafted: lagi"),
        ("stage: drafted", "stage:"),
        ("assignee: writer", "assignee : writer"),
        ("assignee: writer@kpu.example", "tags: [Pemilu,\nassignee: writer2@kpu.example]"),
        ("assignee: writer@kpu.example", "? assignee\n: writer2@kpu.example"),
        ("assignee: writer@kpu.example", "assignee:\n# penulis\n  writer2@kpu.example"),
        ("title: Rapat Pleno DPT\n", 'title: "Rapat Pleno DPT\nstage: verified"\n'),
        ("stage: drafted", 'stage: "dra\\u0066ted"'),
        ("assignee: writer@kpu.example", "assignee: 'writer''s@kpu.example'"),
        ("title: Rapat Pleno DPT", "title: Rapat Pleno\u2028DPT"),
        ("title: Rapat Pleno DPT", "title: Rapat Pleno\x85DPT"),
        ("stage: drafted\n", "stage: draft\n\n  ed\n"),
        ("title: Rapat Pleno DPT", "title: Rapat Pleno\r DPT"),
    ],
    ids=[
        "a comment after the stage",
        "a comment after the id",
        "a comment after the assignee",
        "a value continued on the next line",
        "null",
        "a boolean",
        "a number",
        "a flow sequence",
        "no space after the colon",
        "a nested mapping",
        "a colon in the value",
        "no value",
        "a space before the colon",
        "a key inside a flow sequence over two lines",
        "an explicit key",
        "a value past a comment line",
        "quoted text over two lines",
        "an escape in double quotes",
        "an escaped single quote",
        "a line separator, a line end to YAML",
        "a next-line character, a line end to YAML",
        "a value continued past a blank line",
        "a carriage return, a line end to YAML",
    ],
)
def test_a_line_yaml_may_read_differently_is_parsed_fully(old: str, new: str) -> None:
    raw = BASE.replace(old, new).encode()
    assert not peek(raw).plain


# Pieces of YAML syntax a hand edit might leave in the front matter.
_PIECES = (
    *(" ", "  ", "\n", "\n ", "\n  ", "\n- ", ":", ": ", "-", "- ", "#", "~", "null", "true", "0x1", "1.5"),
    *("a", "1", "x", "e", "=", "<<", "[", "]", "{", "}", ",", "?", "|", ">", "%", "@", "`", "'", '"', "\\"),
    *("---", "...", "\n---\n", "\r", "stage", "id", "assignee", "revision", "withdrawal"),
    *("\nstage: x", "\nid: y", "stage:", "\nstage:", "\n? ", "\n: ", "# ", "\n# c\n", " #x", "[a,\n"),
    *(' "x"', " 'y'", '\\"', "''", "–", "é", "\u2028", "\x85", "\ufeff"),
)


@pytest.mark.parametrize("seed", range(4))
def test_on_mutated_front_matter_the_peek_is_right_or_says_it_may_not_be(seed: int) -> None:
    rng = random.Random(seed)
    bases = [
        BASE,
        BASE.replace("  subject:", '  agenda: "019"\n  subject:'),
        article_text("a1", "corrected", revision='"Perbaiki angka"').replace(
            "stage: corrected", "stage: 'corrected'"
        ),
        article_text("a1", "corrected", revision="Perbaiki angka"),
        article_text("a1", "withdrawn", withdrawal="Salah data"),
    ]
    wrong = []
    for _ in range(800):
        text = rng.choice(bases)
        for _ in range(rng.randint(1, 3)):
            at = rng.randint(4, max(4, text.find("\n---\n", 3)))
            text = text[:at] + rng.choice(_PIECES) + text[at:]
        raw = text.encode()
        full = version(PATH, "blob", "100644", raw, full=True)
        # Where YAML or the schema refuses the text, the full parse of a verification says so.
        if peek(raw).plain and full.meta is not None and not _agree(raw):
            wrong.append(text)
    assert wrong == []


def test_a_reason_over_several_lines_is_part_of_the_step_not_of_the_text() -> None:
    one = article_text("a1", "drafted", revision="|\n  Angka DPT keliru.\n  Periksa lagi.")
    other = article_text("a1", "drafted", revision="Sumber belum disebut")
    assert peek(one.encode()).content == peek(other.encode()).content
    edited = one.replace("  subject: Publikasi rapat pleno", "  subject: Publikasi lain")
    assert peek(edited.encode()).content != peek(one.encode()).content


def test_the_step_fields_are_the_sops() -> None:
    one = article_text("a1", "drafted", perbaikan="Angka DPT keliru")
    other = article_text("a1", "drafted", perbaikan="Sumber belum disebut")
    renamed = ("stage", "perbaikan", "withdrawal")
    assert peek(one.encode(), renamed).content == peek(other.encode(), renamed).content
    assert peek(one.encode(), renamed).fields["perbaikan"] == "Angka DPT keliru"
    assert peek(one.encode()).content != peek(other.encode()).content
