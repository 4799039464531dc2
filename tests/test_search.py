"""The site's search index (pipeline/site/search.py): its words, its shards and its codes; the
page's script that reads it is tried in Chromium by tests/test_site_pages.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.site import search


def test_words_are_lower_case_without_accents_and_cells_are_not_glued() -> None:
    assert search.words("Pemilu 2024: KÉPULAUAN Mentawai, 52.939 pemilih") == [
        "pemilu",
        "2024",
        "kepulauan",
        "mentawai",
        "52",
        "939",
        "pemilih",
    ]
    text = search.plain_text("<table><tr><td>Sipora</td><td>11.516</td></tr></table><p>A&amp;B<br>C</p>")
    assert text == "Sipora 11.516 A&B C"


def _decoded(codes: list[int]) -> list[tuple[int, int]]:
    page, out = 0, []
    for code in codes:
        page += code // 8
        out.append((page, code % 8))
    return out


def test_each_word_lists_its_pages_newest_first_with_its_weight(tmp_path: Path) -> None:
    pages = [
        search.Page("lama/", "Rapat lama", "2023-01-02", "pemilih pemilih"),
        search.Page("baru/", "Pemilih baru", "2024-05-06", "rapat pemilih " * 5),
        search.Page("profil/", "Profil", "", "tanpa tanggal"),
    ]
    search.write(tmp_path, pages)
    folder = tmp_path / search.FOLDER
    info = json.loads((folder / "info.json").read_text())
    assert info["halaman"] == 3
    index: dict[str, list[int]] = {}
    for name in info["kata"]:
        shard = json.loads((folder / f"kata-{name}.json").read_text())
        assert all(word.startswith(name) or name == word for word in shard)
        index.update(shard)
    # newest first: baru/ is 0, lama/ 1, the undated page last; a title word counts thrice
    assert [json.loads((folder / f"naskah-{n}.json").read_text())["u"] for n in range(3)] == [
        "baru/",
        "lama/",
        "profil/",
    ]
    assert _decoded(index["pemilih"]) == [(0, 7), (1, 2)]
    assert _decoded(index["rapat"]) == [(0, 5), (1, 3)]


def test_a_large_shard_splits_until_it_fits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "SHARD_BYTES", 60)
    index = {w: [8] for w in ("pe", "pemilih", "pemilihan", "pemilu", "penetapan", "rapat", "p")}
    split = search.shards(index)
    assert sorted(w for shard in split.values() for w in shard) == sorted(index)
    for name, shard in split.items():
        assert all(word.startswith(name) for word in shard), (name, shard)
    assert len(split["r"]) == 1 and "pemilihan" not in split.get("p", {})
