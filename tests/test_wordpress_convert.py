"""The pure parts of the WordPress import: reading a WXR export, converting bodies, planning
articles. The command, the build and the browser are in tests/test_wordpress.py."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import LamanError
from pipeline.model import article
from pipeline.model.sop import Sop
from pipeline.model.team import Team
from pipeline.wordpress import convert, plan, sections, wxr

HOSTS = ("www.youtube-nocookie.com", "www.youtube.com")
EXPORT = Path(__file__).resolve().parent / "fixtures" / "wordpress" / "export.xml"


def md(text: str, attachments: dict[int, convert.Attachment] | None = None) -> convert.Converted:
    return convert.convert(text, attachments or {}, lambda src: src, HOSTS, "Judul")


def test_classic_editor_paragraphs_and_line_breaks() -> None:
    assert md("Satu paragraf.\nBaris kedua.\n\nParagraf dua.").markdown == (
        "Satu paragraf.  \nBaris kedua.\n\nParagraf dua.\n"
    )


def test_block_comments_go_and_a_block_image_keeps_its_caption_as_alt_and_line() -> None:
    done = md(
        '<!-- wp:image {"id":3} --><figure class="wp-block-image"><img src="a.jpg" alt=""/>'
        "<figcaption>Rapat di aula</figcaption></figure><!-- /wp:image -->"
    )
    assert done.markdown == "![Rapat di aula](a.jpg)\n\n*Rapat di aula*\n"
    assert (done.images, done.losses) == (("a.jpg",), ())


def test_caption_gallery_and_embed_shortcodes() -> None:
    shown = {7: convert.Attachment("g7.jpg", "Foto tujuh")}
    done = md(
        '[caption id="x" width="300"]<img src="c.jpg" /> Keterangan foto[/caption]\n\n[gallery ids="7,8"]',
        shown,
    )
    assert done.markdown == "![Keterangan foto](c.jpg)\n\n*Keterangan foto*\n\n![Foto tujuh](g7.jpg)\n"
    assert done.losses == (convert.Loss("IMP012", "[gallery] (1)"),)
    assert md("[embed]https://youtu.be/x[/embed]").markdown == "<https://youtu.be/x>\n"


def test_an_unknown_shortcode_keeps_its_content_and_bracketed_text_is_text() -> None:
    done = md('Isi [kolom lebar="2"]teks dalam kolom[/kolom] dan [Foto: Humas] serta [1].')
    assert done.markdown == "Isi teks dalam kolom dan [Foto: Humas] serta [1].\n"
    assert done.losses == (convert.Loss("IMP012", "[kolom]"),)


def test_a_plain_table_becomes_a_pipe_table_a_merged_one_stays_sanitised_html() -> None:
    plain = md("<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>")
    assert plain.markdown == "| A | B |\n| --- | --- |\n| 1 | 2 |\n" and plain.losses == ()
    merged = md(
        '<table onclick="x()"><tr><td colspan="2" style="color:red">A</td></tr><tr><td>1</td><td>2</td></tr></table>'
    )
    assert (
        merged.markdown
        == '<table><tbody><tr><td colspan="2">A</td></tr><tr><td>1</td><td>2</td></tr></tbody></table>\n'
    )
    assert merged.losses == (convert.Loss("IMP010", "table"),)


def test_what_the_site_does_not_carry_is_removed_and_listed() -> None:
    done = md(
        '<p>Video:</p><iframe src="https://www.youtube.com/embed/x"></iframe>'
        '<iframe src="https://iklan.example/x"></iframe><script>alert(1)</script><form><input></form>'
    )
    assert '<iframe src="https://www.youtube.com/embed/x"></iframe>' in done.markdown
    assert "iklan" not in done.markdown and "alert" not in done.markdown
    assert sorted(done.losses, key=lambda x: x.what) == [
        convert.Loss("IMP011", "form"),
        convert.Loss("IMP010", "iframe"),  # YouTube's, kept
        convert.Loss("IMP011", "iframe"),  # another site's, removed
        convert.Loss("IMP011", "script"),
    ]


def test_the_fixture_reads_with_its_authors_items_and_lines() -> None:
    read = wxr.read(EXPORT.read_bytes(), "ekspor.xml")
    assert read.base_url == "https://lama.kpu-mentawai.example"
    assert read.authors["penulis"] == ("writer@kpu.example", "Penulis Satu")
    first = read.items[0]
    assert (first.post_id, first.kind, first.status, first.line) == (101, "post", "publish", 20)
    assert first.categories == ("Berita",) and first.tags == ("Pemilu 2024", "Daftar Pemilih")
    assert [i.kind for i in read.items].count("attachment") == 2


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>', "IMP002"),
        (b"<rss><channel><item>", "IMP001"),
        (b"<rss>&nbsp;</rss>", "IMP001"),
        (b"<rss>\xff</rss>", "IMP004"),
    ],
)
def test_unreadable_exports(raw: bytes, code: str) -> None:
    with pytest.raises(LamanError) as raised:
        wxr.read(raw, "x.xml")
    assert [p.code for p in raised.value.problems] == [code]


def _export(**changes: Any) -> wxr.Export:
    read = wxr.read(EXPORT.read_bytes(), "ekspor.xml")
    item = read.items[2]  # the page
    fields = {**item.__dict__, **changes}
    return wxr.Export(read.base_url, read.authors, (wxr.Item(**fields),))


def _plan(export: wxr.Export, sop: Sop, team: Team, **kwargs: Any) -> plan.Plan:
    return plan.plan(
        export,
        sop,
        team,
        sections.load(sections.DEFAULT, "sections", sop),
        since=kwargs.get("since"),
        today=date(2026, 12, 7),
        taken=kwargs.get("taken", lambda slug: False),
        upload_exists=kwargs.get("upload_exists", lambda rel: True),
    )


def test_an_item_without_a_date_is_skipped_and_a_long_title_shortened(sop: Sop, team: Team) -> None:
    assert _plan(_export(date_gmt=None), sop, team).rows[0].notes == (("IMP021", "tanggal / date"),)
    made = _plan(_export(title="Sejarah " * 40, slug=""), sop, team)
    parsed = article.parse(made.articles[0].text, made.articles[0].path)
    assert len(parsed.title) <= 200 and parsed.title.endswith("…")
    assert made.rows[0].notes == (("IMP015", "200"),)
    assert article.check(parsed, sop, team) == []


def test_two_uploads_of_one_name_stay_two_files_with_safe_names(sop: Sop, team: Team) -> None:
    base = "https://lama.kpu-mentawai.example/wp-content/uploads"
    body = f'<p><img src="{base}/2023/03/foto rapat.jpg" alt="a"><img src="{base}/2023/04/foto rapat.JPG" alt="b"></p>'
    made = _plan(_export(content=body), sop, team).articles[0]
    assert made.images == {
        "content/halaman/sejarah-kantor/foto-rapat.jpg": "2023/03/foto rapat.jpg",
        "content/halaman/sejarah-kantor/foto-rapat-2.jpg": "2023/04/foto rapat.JPG",
    }
    assert "![a](sejarah-kantor/foto-rapat.jpg)![b](sejarah-kantor/foto-rapat-2.jpg)" in made.text


def test_a_mapping_file_naming_no_category_of_the_sop_is_refused(sop: Sop) -> None:
    with pytest.raises(LamanError) as raised:
        sections.load(sections.DEFAULT.replace("posts: Berita", "posts: Warta"), "rubrik.yml", sop)
    problem = raised.value.problems[0]
    assert (problem.code, problem.file, problem.line) == ("IMP005", "rubrik.yml", 9)
