"""The body is judged as the site renders it: markup shown in code and Markdown's own links are
no findings, and a real finding is placed where it was written, after any code that shows it."""

from __future__ import annotations

from pipeline.model import body, html

HOSTS = ("www.youtube-nocookie.com",)


def test_code_and_autolinks_are_not_markup() -> None:
    text = (
        "Tulis `<script>` atau ``<object data=x>`` dalam teks.\n\n"
        "```html\n<script>alert(1)</script>\n<object></object>\n```\n\n"
        "    <embed src=x>\n\n"
        "Surel <ppid@kpu.example> dan <https://kpu.go.id/ppid/?a=1&b=2>.\n"
    )
    assert html.findings(text, HOSTS) == []


def test_a_finding_after_code_that_shows_the_same_tag_is_placed_at_the_markup() -> None:
    text = "Contoh `<object>` di teks.\n\n```\n<object>\n```\n\nLalu <object data=x></object> sungguhan.\n"
    found = [(f.code, f.line, f.column) for f in html.findings(text, HOSTS)]
    assert found == [("HTML006", 7, 6)]


def test_markdown_links_and_images_are_judged_where_written() -> None:
    text = "Satu [tautan](javascript:void(0)).\n\n- butir ![](foto.jpg)\n\n[ref]: data:text/html,x\n\n[klik][ref]\n"
    found = [(f.code, f.line, f.column, f.args) for f in html.findings(text, HOSTS)]
    assert found == [
        ("HTML004", 1, 15, {"url": "javascript:void(0)"}),
        ("HTML005", 3, 9, {}),
        ("HTML004", 5, 8, {"url": "data:text/html,x"}),
    ]


def test_one_h1_per_page_and_no_id_of_the_theme() -> None:
    rendered = body.render("# Judul\n\n## Isi\n\nLihat [bagian isi](#isi).\n\n### Cari\n")
    assert rendered == (
        '<h2 id="judul">Judul</h2>\n<h3 id="isi_1">Isi</h3>\n'
        '<p>Lihat <a href="#isi_1">bagian isi</a>.</p>\n<h4 id="cari_1">Cari</h4>'
    )
    assert body.render("## Dua\n\n### Tiga\n") == '<h2 id="dua">Dua</h2>\n<h3 id="tiga">Tiga</h3>'


def test_footnotes_and_alignment_survive_the_sanitiser_in_indonesian() -> None:
    rendered = body.render(
        "| Kecamatan | Pemilih |\n|---|---:|\n| Sipora | 11.516 |\n\nTeks[^1]\n\n[^1]: Sumber.\n"
    )
    clean = html.sanitize(rendered, HOSTS)
    assert '<td style="text-align:right">11.516</td>' in clean
    assert 'title="Kembali ke catatan kaki 1 dalam teks"' in clean
    cell = '<table><tr><td style="color: red; text-align: right">x</td></tr></table>'
    assert (
        html.sanitize(cell, HOSTS)
        == '<table><tbody><tr><td style="text-align:right">x</td></tr></tbody></table>'
    )
