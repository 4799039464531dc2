"""Images are resized, sized and lazy, from the staged copy only."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from pipeline.site.images import lighten


def test_large_local_image_is_resized_and_sized(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    Image.new("RGB", (3000, 2000), "#8a1c1c").save(content / "images/rapat.jpg")
    Image.new("RGB", (400, 300), "white").save(content / "images/kecil.png")
    html = '<p><img alt="Rapat pleno" src="/images/rapat.jpg"><img alt="Logo" src="/images/kecil.png"><img alt="Luar" src="https://kpu.go.id/x.png"></p>'
    out = lighten(html, content / "berita/x.md", content)
    assert out == (
        '<p><img alt="Rapat pleno" src="/images/rapat.jpg" loading="lazy" decoding="async" width="1200" height="800">'
        '<img alt="Logo" src="/images/kecil.png" loading="lazy" decoding="async" width="400" height="300">'
        '<img alt="Luar" src="https://kpu.go.id/x.png" loading="lazy" decoding="async"></p>'
    )
    with Image.open(content / "images/rapat.jpg") as image:
        assert image.size == (1200, 800)
