"""Images are published beside their page in a few widths, upright and without EXIF, made once
per cache; a missing or oversized one is named with its file and line by `laman validate`."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from pipeline.errors import LamanError
from pipeline.model import content, media
from pipeline.model.article import parse
from pipeline.site import images

FRONT = "---\nid: abcd-1234\ntitle: Rapat\nstage: planned\n"


def _photo(path: Path, size: tuple[int, int] = (2000, 1400)) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # taken with the phone on its side
    exif[0x010F] = "Ponsel"
    exif[0x8825] = {1: "S", 2: (2.0, 10.0, 0.0)}  # where it was taken
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, "#8a1c1c").save(path, exif=exif.tobytes())


def test_a_photo_is_published_in_widths_upright_and_without_exif(tmp_path: Path) -> None:
    _photo(tmp_path / "foto.jpg")
    cache = tmp_path / "cache"
    picture = images.publish(tmp_path / "foto.jpg", tmp_path / "out", cache)
    assert picture.files == (("foto-480.jpg", 480), ("foto-800.jpg", 800), ("foto-1200.jpg", 1200))
    assert (picture.width, picture.height) == (1200, 1714)  # turned upright by its EXIF
    for name, width in picture.files:
        with Image.open(tmp_path / "out" / name) as copy:
            assert copy.width == width and not copy.getexif() and "exif" not in copy.info
    assert len(list(cache.iterdir())) == 3
    (tmp_path / "out").rename(tmp_path / "first")
    assert images.publish(tmp_path / "foto.jpg", tmp_path / "out", cache) == picture  # from the cache
    assert (tmp_path / "out/foto-800.jpg").read_bytes() == (tmp_path / "first/foto-800.jpg").read_bytes()
    tag = images.img_tag(picture, 'Rapat "pleno"', "/rapat/")
    assert tag == (
        '<img src="/rapat/foto-800.jpg" srcset="/rapat/foto-480.jpg 480w, /rapat/foto-800.jpg 800w, '
        '/rapat/foto-1200.jpg 1200w" sizes="(min-width: 44rem) 42rem, 100vw" width="1200" height="1714" '
        'alt="Rapat &quot;pleno&quot;" loading="lazy" decoding="async">'
    )


def test_a_small_image_is_never_enlarged(tmp_path: Path) -> None:
    Image.new("P", (400, 300)).save(tmp_path / "peta.png")
    picture = images.publish(tmp_path / "peta.png", tmp_path / "out")
    assert picture.files == (("peta-400.png", 400),)


def test_the_body_shows_the_published_copies_and_leaves_other_sites_alone(tmp_path: Path) -> None:
    _photo(tmp_path / "foto.jpg", (1000, 900))
    body = '<p><img alt="Rapat" src="foto.jpg"><img alt="Luar" src="https://kpu.go.id/x.png"></p>'

    def publish(src: str) -> images.Picture | None:
        return images.publish(tmp_path / src, tmp_path / "out") if "://" not in src else None

    assert images.lighten(body, publish) == (
        '<p><img src="foto-480.jpg" srcset="foto-480.jpg 480w, foto-900.jpg 900w" '
        'sizes="(min-width: 44rem) 42rem, 100vw" width="900" height="1000" alt="Rapat" loading="lazy" '
        'decoding="async"><img alt="Luar" src="https://kpu.go.id/x.png" loading="lazy" decoding="async"></p>'
    )


def test_image_addresses_name_files_under_content() -> None:
    assert media.content_path("foto.jpg", "berita") == "berita/foto.jpg"
    assert media.content_path("/images/a%20b.png", "berita") == "images/a b.png"
    assert media.content_path("{static}/images/x.png", "berita") == "images/x.png"
    assert media.content_path("../pengumuman/y.jpg", "berita") == "pengumuman/y.jpg"
    assert media.content_path("../../etc/passwd", "berita") is None
    assert media.content_path("https://kpu.go.id/x.png", "berita") is None
    assert media.content_path("data:image/png;base64,xx", "berita") is None


def test_validate_names_a_missing_or_oversized_image_with_its_line(tmp_path: Path) -> None:
    root = tmp_path / "content"
    (root / "berita").mkdir(parents=True)
    (root / "berita/ada.jpg").write_bytes(b"x" * 10)
    (root / "berita/besar.jpg").write_bytes(b"x" * (media.MAX_BYTES + 1))
    text = (
        FRONT + "image:\n  src: sampul.jpg\n  alt: Sampul\n---\n"
        "Teks `![kode](tidak-dihitung.jpg)`.\n\n![Ada](ada.jpg) ![Besar](besar.jpg)\n\n"
        "![Hilang](foto%20rapat.jpg) ![Luar](https://kpu.go.id/x.jpg)\n"
    )
    file = root / "berita/rapat.md"
    file.write_text(text)
    problems = content.image_problems([parse(text, str(file))], root)
    assert [(p.code, p.line, p.column, p.args.get("src")) for p in problems] == [
        ("IMG001", 6, 8, "sampul.jpg"),
        ("IMG002", 11, 26, "besar.jpg"),
        ("IMG001", 13, 11, "foto%20rapat.jpg"),
    ]
    assert problems[1].message("id") == "Gambar `besar.jpg` berukuran 12,0 MB, lebih dari 12 MB."
    assert problems[2].message("en") == (
        "The image `foto%20rapat.jpg` does not exist (looked for at `content/berita/foto rapat.jpg`)."
    )


def test_a_lead_photo_without_alt_text_is_named_for_what_it_costs_blind_readers() -> None:
    for image, where in (
        ("image:\n  src: sampul.jpg\n", (6, 3)),
        ('image:\n  src: sampul.jpg\n  alt: ""\n', (7, 8)),
    ):
        with pytest.raises(LamanError) as raised:
            parse(FRONT + image + "---\nIsi.\n", "content/berita/rapat.md")
        (problem,) = raised.value.problems
        assert (problem.code, problem.line, problem.column) == ("IMG004", *where)
        assert problem.message("id") == (
            "Foto utama tidak punya teks alternatif (`image.alt`): pembaca tunanetra mendengar teks ini"
            " sebagai ganti foto."
        )
