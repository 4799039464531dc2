"""Raw HTML in articles: refused at validation with a position, stripped again at build."""

from __future__ import annotations

from pipeline.model import html
from pipeline.model.article import check, parse
from pipeline.model.sop import Sop

HOSTS = ("www.youtube-nocookie.com",)


def test_every_unsafe_thing_is_found_where_it_is() -> None:
    body = (
        "Teks <script>alert(1)</script>\n"
        '<iframe src="https://evil.example/x"></iframe> <a href="javascript:alert(1)" onclick="x()">a</a>\n'
        "[klik](javascript:alert(1)) ![](a.png) <img src=a.png> <object data=x></object>\n"
        '<iframe src="https://www.youtube-nocookie.com/embed/x" title="Video"></iframe>\n'
    )
    found = [(f.code, f.line, f.column, f.args) for f in html.findings(body, HOSTS)]
    assert found == [
        ("HTML001", 1, 6, {"tag": "script"}),
        ("HTML002", 2, 1, {"host": "evil.example", "hosts": "www.youtube-nocookie.com"}),
        ("HTML004", 2, 48, {"url": "javascript:alert(1)"}),
        ("HTML003", 2, 48, {"attribute": "onclick"}),
        ("HTML004", 3, 8, {"url": "javascript:alert(1)"}),  # the whole address, as rendered
        ("HTML005", 3, 29, {}),
        ("HTML005", 3, 40, {}),
        ("HTML006", 3, 56, {"tag": "object"}),
    ]


def test_sanitize_keeps_the_allowed_and_strips_the_rest() -> None:
    dirty = (
        '<p onclick="x">a<script>b</script><iframe src="https://evil.example"></iframe>'
        '<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe><a href="javascript:x">l</a>'
        '<a href="https://kpu.go.id/">KPU</a></p>'
    )
    assert html.sanitize(dirty, HOSTS) == (
        '<p>a<iframe></iframe><iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>'
        '<a rel="noopener noreferrer">l</a><a href="https://kpu.go.id/" rel="noopener noreferrer">KPU</a></p>'
    )


def test_validate_names_the_line_in_the_file(sop: Sop) -> None:
    text = "---\nid: abcd-1234\ntitle: x\nstage: planned\n---\nParagraf.\n\n<script>x</script>\n"
    item = parse(text, "content/berita/x.md")
    problems = [p.format("id") for p in check(item, sop)]
    assert problems == [
        "content/berita/x.md:8:1: HTML001 Tag `<script>` (skrip) tidak diizinkan di naskah.\n"
        "    → Hapus skrip; situs bekerja tanpa JavaScript dari naskah."
    ]


def test_a_url_or_markup_the_parsers_cannot_read_is_a_finding_not_a_crash() -> None:
    body = (
        '<iframe src="https://www.[youtube-nocookie.com/embed/x"></iframe>\n'
        '<a href="https://[kpu.go.id/">KPU</a>\n'
        "Harga <![ikon](harga.png) naik.\n"  # Markdown's text `<` and an image: no finding
        "\n<div><![ikon](harga.png)</div>\n"  # raw HTML the parser cannot read
    )
    found = [(f.code, f.line, f.column) for f in html.findings(body, HOSTS)]
    assert found == [("HTML002", 1, 1), ("HTML004", 1, 1), ("HTML004", 2, 1), ("HTML007", 5, 6)]
    assert html.sanitize('<iframe src="https://www.[youtube-nocookie.com/x"></iframe>', HOSTS) == (
        "<iframe></iframe>"
    )
