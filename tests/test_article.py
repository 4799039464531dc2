"""Front matter: every malformed file gets one clear error naming file, line and column."""

from __future__ import annotations

import contextlib
import random

import pytest

from pipeline.errors import LamanError
from pipeline.model import article, strictyaml
from pipeline.model.sop import Sop
from tests.office import article_text

GOOD = """---
id: 20230306-7f3a9c
title: Rapat Pleno Terbuka
stage: drafted
category: Berita
summary: Ringkasan.
assignee: rina@kpu-mentawai.example
disposition:
  number: 045/HM.03/III/2023
  date: 2023-03-06
  from: PPID Pembantu
  subject: Publikasi rapat pleno
  instruction: Segera susun materi
---
Isi naskah.
"""


def problems(raw: bytes | str, lang: str = "id") -> list[str]:
    with pytest.raises(LamanError) as caught:
        article.parse(raw, "content/berita/x.md")
    return [p.format(lang) for p in caught.value.problems]


def test_good_file_parses_with_positions() -> None:
    item = article.parse(GOOD, "x.md")
    assert (item.id, item.stage, item.title) == ("20230306-7f3a9c", "drafted", "Rapat Pleno Terbuka")
    assert item.position("stage") == (4, 8)
    assert item.position("disposition", "date") == (10, 9)
    assert item.body == "Isi naskah.\n"
    assert item.body_line == 15
    assert item.meta["disposition"]["date"] == "2023-03-06"  # dates stay text


# (name, file text, the one expected problem in Indonesian, the same in English)
MALFORMED = [
    (
        "no front matter",
        "title: x\n",
        "content/berita/x.md:1:1: FM001 Berkas tidak diawali front matter: baris pertama bukan `---`.\n"
        "    → Mulai berkas dengan `---`, lalu kunci-kunci front matter, lalu `---` lagi.",
        "content/berita/x.md:1:1: FM001 The file does not start with front matter: the first line is not `---`.\n"
        "    → Start the file with `---`, then the front-matter keys, then `---` again.",
    ),
    (
        "not closed",
        "---\nid: abcd-1234\ntitle: x\nstage: planned\n",
        "content/berita/x.md:5:1: FM002 Front matter tidak ditutup dengan baris `---`.\n"
        "    → Tambahkan baris `---` setelah kunci terakhir, sebelum isi naskah.",
        "content/berita/x.md:5:1: FM002 The front matter is not closed by a `---` line.\n"
        "    → Add a `---` line after the last key, before the text of the article.",
    ),
    (
        "byte order mark",
        "\ufeff---\nid: abcd-1234\n---\n",
        "content/berita/x.md:1:1: FM003 Berkas diawali BOM (byte order mark).\n"
        "    → Simpan berkas sebagai UTF-8 tanpa BOM.",
        "content/berita/x.md:1:1: FM003 The file starts with a BOM (byte order mark).\n"
        "    → Save the file as UTF-8 without a BOM.",
    ),
    (
        "not utf-8",
        b"---\nid: abcd-1234\ntitle: Rapat \xe9lu\n---\n",
        "content/berita/x.md:3:14: FM004 Berkas bukan teks UTF-8 yang sah (byte 0xe9).\n"
        "    → Simpan ulang berkas dengan encoding UTF-8.",
        "content/berita/x.md:3:14: FM004 The file is not valid UTF-8 text (byte 0xe9).\n"
        "    → Save the file again with UTF-8 encoding.",
    ),
    (
        "a list, not keys",
        "---\n- id\n- title\n---\n",
        "content/berita/x.md:2:1: FM005 Front matter harus berupa pasangan `kunci: nilai`.\n"
        "    → Tulis setiap kunci di baris sendiri, misalnya `title: Judul naskah`.",
        "content/berita/x.md:2:1: FM005 The front matter must be `key: value` pairs.\n"
        "    → Write each key on its own line, such as `title: Article title`.",
    ),
    (
        "broken yaml",
        '---\nid: abcd-1234\ntitle: "Rapat\nstage: planned\n---\n',
        "content/berita/x.md:3:8: YAML001 YAML tidak dapat dibaca: found unexpected end of stream.\n"
        "    → Periksa titik dua, tanda kutip dan indentasi di baris ini.",
        "content/berita/x.md:3:8: YAML001 The YAML cannot be read: found unexpected end of stream.\n"
        "    → Check the colon, the quotes and the indentation on this line.",
    ),
    (
        "duplicate key",
        "---\nid: abcd-1234\ntitle: x\nstage: planned\nstage: verified\n---\n",
        "content/berita/x.md:5:1: YAML002 Kunci `stage` ditulis dua kali (pertama di baris 4).\n"
        "    → Hapus salah satunya, sisakan satu nilai yang benar.",
        "content/berita/x.md:5:1: YAML002 The key `stage` is written twice (first on line 4).\n"
        "    → Delete one of them and keep the one right value.",
    ),
    (
        "custom tag",
        "---\nid: abcd-1234\ntitle: !!python/name:os.system x\nstage: planned\n---\n",
        "content/berita/x.md:3:8: YAML003 Tag YAML `tag:yaml.org,2002:python/name:os.system` tidak diizinkan.\n"
        "    → Hapus tag dan tulis nilainya saja; beri tanda kutip jika teks diawali `!`.",
        "content/berita/x.md:3:8: YAML003 The YAML tag `tag:yaml.org,2002:python/name:os.system` is not allowed.\n"
        "    → Remove the tag and write the value alone; quote text that starts with `!`.",
    ),
    (
        "anchor and alias",
        "---\nid: &a abcd-1234\ntitle: *a\nstage: planned\n---\n",
        "content/berita/x.md:2:5: YAML004 Anchor (`&`) dan alias (`*`) YAML tidak diizinkan.\n"
        "    → Tulis nilainya secara lengkap; beri tanda kutip jika teks diawali `&` atau `*`.",
        "content/berita/x.md:2:5: YAML004 YAML anchors (`&`) and aliases (`*`) are not allowed.\n"
        "    → Write the value out in full; quote text that starts with `&` or `*`.",
    ),
    (
        "a control character pasted from a word processor",
        "---\nid: abcd-1234\ntitle: Rapat\x0bPleno\nstage: planned\n---\n",
        "content/berita/x.md:3:13: YAML007 Karakter U+000B (karakter kendali atau khusus) tidak boleh"
        " ada di front matter.\n"
        "    → Hapus karakter itu (sering terbawa saat menyalin dari pengolah kata); ganti dengan spasi"
        " atau baris baru bila memang perlu.",
        "content/berita/x.md:3:13: YAML007 The character U+000B (a control or special character) is not"
        " allowed in the front matter.\n"
        "    → Delete it (it often comes along when copying from a word processor); put a space or a"
        " new line in its place if one was meant.",
    ),
    (
        "tab indentation",
        "---\nid: abcd-1234\ntitle: x\nstage: planned\ndisposition:\n\tnumber: 1\n---\n",
        "content/berita/x.md:6:1: YAML005 Karakter tab dipakai untuk indentasi.\n"
        "    → Ganti tab dengan spasi (dua spasi per tingkat).",
        "content/berita/x.md:6:1: YAML005 A tab character is used for indentation.\n"
        "    → Replace the tab with spaces (two per level).",
    ),
    (
        "number as key",
        "---\nid: abcd-1234\ntitle: x\nstage: planned\n2023: x\n---\n",
        "content/berita/x.md:5:1: YAML006 Kunci harus berupa teks biasa.\n"
        "    → Tulis kunci sebagai kata, misalnya `title:`.",
        "content/berita/x.md:5:1: YAML006 A key must be plain text.\n"
        "    → Write the key as a word, such as `title:`.",
    ),
    (
        "unknown key with a near miss",
        "---\nid: abcd-1234\ntitle: x\nstagee: planned\nstage: planned\n---\n",
        "content/berita/x.md:4:1: SCH001 Kunci `stagee` tidak dikenal.\n"
        "    → Mungkin maksud Anda `stage`? Kunci yang dikenal: assignee, author, category, channels, correction, corrects, date, "
        "dateline, disposition, id, image, imported, information, modified, publish_at, revision, slug, stage, summary, "
        "tags, title, withdrawal.",
        "content/berita/x.md:4:1: SCH001 The key `stagee` is unknown.\n"
        "    → Did you mean `stage`? Known keys: assignee, author, category, channels, correction, corrects, date, dateline, "
        "disposition, id, image, imported, information, modified, publish_at, revision, slug, stage, summary, tags, "
        "title, withdrawal.",
    ),
    (
        "missing required key",
        "---\nid: abcd-1234\ntitle: x\n---\n",
        "content/berita/x.md:2:1: SCH002 Kunci `stage` wajib ada.\n    → Tambahkan `stage:` beserta nilainya.",
        "content/berita/x.md:2:1: SCH002 The key `stage` is required.\n    → Add `stage:` with its value.",
    ),
    (
        "wrong type",
        "---\nid: abcd-1234\ntitle: x\nstage: planned\ntags: Pemilu 2024\n---\n",
        "content/berita/x.md:5:7: SCH003 `tags` harus berupa daftar, bukan teks.\n"
        "    → Ubah nilainya menjadi daftar.",
        "content/berita/x.md:5:7: SCH003 `tags` must be a list, not text.\n    → Change the value to a list.",
    ),
    (
        "yes is not text",
        "---\nid: abcd-1234\ntitle: yes\nstage: planned\n---\n",
        "content/berita/x.md:3:8: SCH003 `title` harus berupa teks, bukan true atau false.\n"
        "    → Ubah nilainya menjadi teks.",
        "content/berita/x.md:3:8: SCH003 `title` must be text, not true or false.\n    → Change the value to text.",
    ),
    (
        "value not among choices",
        "---\nid: abcd-1234\ntitle: x\nstage: planned\ninformation:\n  class: rahasia\n---\n",
        "content/berita/x.md:6:10: SCH004 `information.class` bernilai `rahasia`, yang tidak termasuk pilihan.\n"
        "    → Pakai salah satu: `berkala`, `serta-merta`, `setiap-saat`, `dikecualikan`.",
        "content/berita/x.md:6:10: SCH004 `information.class` is `rahasia`, which is not one of the choices.\n"
        "    → Use one of: `berkala`, `serta-merta`, `setiap-saat`, `dikecualikan`.",
    ),
    (
        "date in the wrong form",
        "---\nid: abcd-1234\ntitle: x\nstage: planned\ndate: 6 Maret 2023\n---\n",
        "content/berita/x.md:5:7: SCH005 `date` bernilai `6 Maret 2023`, yang tidak sesuai bentuknya.\n"
        "    → Tulis sebagai tanggal dan jam WIB, misalnya `2023-03-06 10:00`.",
        "content/berita/x.md:5:7: SCH005 `date` is `6 Maret 2023`, which is not in the right form.\n"
        "    → Write it as a date and time in WIB, such as `2023-03-06 10:00`.",
    ),
    (
        "empty title",
        "---\nid: abcd-1234\ntitle: ''\nstage: planned\n---\n",
        "content/berita/x.md:3:8: SCH006 `title` tidak boleh kosong.\n"
        "    → Isi `title` atau hapus kuncinya jika tidak wajib.",
        "content/berita/x.md:3:8: SCH006 `title` must not be empty.\n"
        "    → Fill in `title`, or remove the key if it is optional.",
    ),
    (
        "repeated tag",
        "---\nid: abcd-1234\ntitle: x\nstage: planned\ntags: [DPT, DPT]\n---\n",
        "content/berita/x.md:5:7: SCH007 `tags` tidak sah: ['DPT', 'DPT'] has non-unique elements.\n"
        "    → Perbaiki nilainya sesuai skema di pipeline/schema/.",
        "content/berita/x.md:5:7: SCH007 `tags` is not valid: ['DPT', 'DPT'] has non-unique elements.\n"
        "    → Correct the value as the schema in pipeline/schema/ describes.",
    ),
    (
        "date that does not exist",
        "---\nid: abcd-1234\ntitle: x\nstage: planned\ndate: 2023-02-30 10:00\n---\n",
        "content/berita/x.md:5:7: SCH008 `date` bernilai `2023-02-30 10:00`, yang tidak ada di kalender.\n"
        "    → Periksa tanggal dan jamnya, misalnya `2023-03-06 10:00`.",
        "content/berita/x.md:5:7: SCH008 `date` is `2023-02-30 10:00`, which is not a real date or time.\n"
        "    → Check the date and time, such as `2023-03-06 10:00`.",
    ),
]


@pytest.mark.parametrize(
    ("name", "text", "expected_id", "expected_en"), MALFORMED, ids=[m[0] for m in MALFORMED]
)
def test_malformed_front_matter(name: str, text: str | bytes, expected_id: str, expected_en: str) -> None:
    raw = text.encode() if isinstance(text, str) else text
    assert problems(raw, "id") == [expected_id]
    assert problems(raw, "en") == [expected_en]


def test_all_problems_of_a_file_are_reported() -> None:
    text = "---\nid: X\ntitel: x\nstage: 3\ntags: DPT\n---\n"
    found = problems(text, "en")
    assert [line.split(" ")[1] for line in found] == ["SCH002", "SCH005", "SCH001", "SCH003", "SCH003"]


def test_every_duplicate_key_is_reported() -> None:
    text = "---\nid: abcd-1234\nid: abcd-1234\ntitle: x\ntitle: y\nstage: planned\n---\n"
    assert [p.split(":")[1] for p in problems(text)] == ["3", "5"]


def test_exclamation_in_text_is_fine_and_dates_stay_text() -> None:
    item = article.parse(
        "---\nid: abcd-1234\ntitle: Segera! Cek DPT\nstage: planned\ndate: 2023-03-06\n---\n", "x.md"
    )
    assert item.title == "Segera! Cek DPT"
    assert item.meta["date"] == "2023-03-06"
    assert str(item.date) == "2023-03-06 00:00:00+07:00"


def test_slugify() -> None:
    assert article.slugify("Rapat Pleno: DPT 2024 — Tuapejat") == "rapat-pleno-dpt-2024-tuapejat"
    assert article.slugify("!!!") == "naskah"


def test_a_lone_equals_sign_is_text_and_scalars_keep_their_types() -> None:
    # YAML 1.1 gives `=` a "value" tag and `<<` a "merge" tag that no safe loader can build as a
    # value; each once crashed the parser.
    loaded = strictyaml.load("title: =\ntags: [DPT, 2024, 1.5, true, null]\nslug: <<\n", "x.yml")
    assert loaded.data == {"title": "=", "tags": ["DPT", 2024, 1.5, True, None], "slug": "<<"}
    assert loaded.position(("tags", 1)) == (2, 13)


# Pieces of Markdown, HTML and YAML a hand edit or a paste might leave anywhere in a file.
_PIECES = (
    *("<<", "=", "!!str ", "&a ", "*a", "? ", "- ", ": ", "[", "]", "{", "}", ",", "|", "> ", "\n", "\n  "),
    *("\t", "\r", "'", '"', "\\", "#", "~", "null", "1e3", "2023-02-30", "25:61", "\x00", "\x0b", "\x85"),
    *("\u2028", "\ufeff", "é", "<", "</", "<script>", "<iframe ", "src=", "javascript:", "<![", "](", "!["),
    *("http://[", "<!--", "```\n", "\n---\n", "publish_at: ", "information:\n  class: dikecualikan\n"),
)


@pytest.mark.parametrize("seed", range(3))
def test_whatever_is_pasted_into_an_article_it_is_judged_not_crashed_on(seed: int, sop: Sop) -> None:
    rng = random.Random(seed)
    base = article_text(
        "a1", "verified", body='Isi <b>naskah</b>.\n\n<iframe src="https://x.example/v"></iframe>\n'
    )
    for _ in range(600):
        text = base
        for _ in range(rng.randint(1, 4)):
            at = rng.randint(4, len(text))
            text = text[:at] + rng.choice(_PIECES) + text[at:]
        with contextlib.suppress(LamanError):  # a problem with its place: what a person is shown
            article.check(article.parse(text.encode(), "content/berita/a1.md"), sop)


@pytest.mark.parametrize(
    ("text", "front", "body"),
    [
        ("---\nid: a\n---\nIsi.\n", "id: a", "Isi.\n"),
        ("---\r\nid: a\r\n---\r\nIsi.\r\n", "id: a\r", "Isi.\r\n"),
        ("---\nid: a\n...\nIsi.\n---\n", "id: a", "Isi.\n---\n"),
        ("---\nid: a\n---", "id: a", ""),
        ("---\n---\nIsi.\n", "", "Isi.\n"),
    ],
    ids=["LF", "CRLF", "YAML's document end", "no line end at the end", "empty"],
)
def test_the_fences_are_found_alike_in_text_and_in_bytes(text: str, front: str, body: str) -> None:
    found = article.fences(text)
    assert found is not None and article.fences(text.encode()) == found
    assert (text[found.front : found.end], text[found.body :]) == (front, body)
    assert article.split(text, "a.md")[0::2] == (front, body)
