"""The social-media kit: captions within each platform's limit, UTM links, 1200×630 share images,
and the list of what is waiting to be posted."""

from __future__ import annotations

import json
import os
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image

from pipeline.duties import social
from pipeline.model.dates import WIB
from tests.office import Keys, Office, laman

SITE = "https://kab-kepulauanmentawai.kpu.example"
LONG = (
    "Rapat pleno terbuka rekapitulasi Daftar Pemilih Tetap Pemilu 2024 tingkat Kabupaten Kepulauan "
    "Mentawai dihadiri Bawaslu, partai politik peserta pemilu dan pemerintah daerah; rekapitulasi "
    "dibacakan per kecamatan berdasarkan berita acara Panitia Pemilihan Kecamatan. "
) * 12


def post(**fields: object) -> social.Post:
    values: dict[str, object] = {
        "slug": "rapat-pleno-dpt",
        "title": "KPU Mentawai Tetapkan 66.497 Pemilih dalam DPT Pemilu 2024",
        "summary": "Rapat pleno terbuka menetapkan 66.497 pemilih di 10 kecamatan.",
        "url": f"{SITE}/rapat-pleno-dpt/",
        "date": datetime(2023, 6, 21, 15, 30, tzinfo=WIB),
        "tags": ("Pemilu 2024", "DPT", "Rapat Pleno"),
        "channels": ("website", "facebook", "instagram", "x", "whatsapp"),
        "info_class": "berkala",
    }
    values.update(fields)
    return social.Post(**values)  # type: ignore[arg-type]


# ---- captions ---------------------------------------------------------------------------------


def test_x_counts_links_as_23_characters() -> None:
    assert social.x_length("Baca") == 4
    assert social.x_length(f"Baca {SITE}/x/?utm_source=x&utm_medium=social&utm_campaign=x") == 5 + 23
    assert social.x_length("kpu.go.id") == 23  # X links bare domains too
    assert social.x_length("Pemilu — ok") == 11
    assert social.x_length("選挙") == 4  # CJK counts double
    assert social.x_length("e\u0301") == 1  # counted after NFC normalisation


def test_links_carry_utm_tags() -> None:
    link = social.link(post(), "facebook")
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{SITE}/rapat-pleno-dpt/"
    assert parse_qs(parts.query) == {
        "utm_source": ["facebook"],
        "utm_medium": ["social"],
        "utm_campaign": ["rapat-pleno-dpt"],
    }
    for channel, text in social.captions(post()).items():
        assert f"utm_source={channel}&utm_medium=social&utm_campaign=rapat-pleno-dpt" in text


def test_captions_only_for_listed_channels() -> None:
    assert set(social.captions(post())) == {"facebook", "instagram", "x", "whatsapp"}
    assert set(social.captions(post(channels=("website", "x")))) == {"x"}
    assert social.captions(post(channels=())) == {}
    assert social.captions(post(info_class="dikecualikan")) == {}


def test_captions_read_well() -> None:
    captions = social.captions(post())
    assert captions["facebook"].startswith("KPU Mentawai Tetapkan 66.497 Pemilih dalam DPT Pemilu 2024\n\n")
    assert captions["facebook"].endswith("#Pemilu2024 #DPT #RapatPleno")
    assert captions["whatsapp"].startswith("*KPU Mentawai Tetapkan")
    assert "#" not in captions["whatsapp"]
    assert "tautan di bio" in captions["instagram"]
    urgent = social.captions(post(info_class="serta-merta"))
    assert all(text.startswith("INFORMASI SERTA-MERTA\n\n") for text in urgent.values())
    assert social.caption(post(), "facebook", "en").splitlines()[-3].startswith("Read more: https://")


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        ("Judul pendek", LONG),
        ("Judul " * 80, LONG),
        ("Rapat", "x" * 5000),
        ("選挙管理委員会" * 30, "選挙" * 400),
    ],
)
def test_captions_respect_each_limit(title: str, summary: str) -> None:
    item = post(title=title.strip(), summary=summary)
    for channel, text in social.captions(item).items():
        assert social.measure(channel, text) <= social.LIMITS[channel], channel
        assert social.link(item, channel) in text  # the link is what the post is for
    x = social.captions(item)["x"]
    assert social.x_length(x) <= 280
    assert x.count("utm_source=x") == 1


def test_x_keeps_the_whole_text_when_it_fits() -> None:
    text = social.caption(post(), "x")
    assert social.x_length(text) <= 280
    assert "Rapat pleno terbuka menetapkan 66.497 pemilih di 10 kecamatan." in text
    shortened = social.caption(post(summary=LONG), "x")
    assert "…" in shortened and social.x_length(shortened) <= 280
    assert "#Pemilu2024" not in shortened  # hashtags go first when space runs out


# ---- the share image --------------------------------------------------------------------------


@pytest.mark.parametrize("title", ["Rapat Pleno DPT", "Judul yang sangat panjang " * 12, "x" * 300])
def test_share_image_is_1200_by_630(title: str, tmp_path: Path) -> None:
    image = social.share_image(post(title=title), "KPU Kabupaten Kepulauan Mentawai", "kab.kpu.example")
    assert image.size == (1200, 630)
    assert image.getpixel((5, 300)) == (0x8A, 0x1C, 0x1C)  # the site's red
    assert image.getpixel((5, 620)) == (255, 255, 255)  # the white band
    written = social.write_kit(tmp_path, post(title=title), "KPU", "kab.kpu.example")
    with Image.open(written[0]) as saved:
        assert (saved.format, saved.size) == ("PNG", (1200, 630))
    assert sorted(p.name for p in written) == [
        "facebook.txt",
        "instagram.txt",
        "share.png",
        "whatsapp.txt",
        "x.txt",
    ]


# ---- in a real build --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory, keys: Keys) -> Office:
    made = Office(tmp_path_factory.mktemp("social"), keys, site=True)
    made.walk(
        "dpt",
        title="KPU Mentawai Tetapkan DPT Pemilu 2024",
        summary=LONG[:590].strip(),
        tags="[Pemilu 2024, DPT]",
        channels="[website, facebook, instagram, x, whatsapp]",
        slug="kpu-mentawai-tetapkan-dpt",
    )
    made.walk("web", title="Hanya di Laman", channels="[website]")
    made.walk("draf", to="submitted", title="Draf Belum Tayang", channels="[facebook, x]")
    return made


@pytest.fixture(scope="module")
def built(office: Office) -> Path:
    here = os.getcwd()
    os.chdir(office.path)
    try:
        result = laman("build")
    finally:
        os.chdir(here)
    assert result.exit_code == 0, result.output
    return office.path / "output"


def test_kit_for_each_published_article(built: Path) -> None:
    kits = built / "social"
    assert sorted(p.name for p in kits.iterdir()) == ["kpu-mentawai-tetapkan-dpt", "web"]
    dpt = kits / "kpu-mentawai-tetapkan-dpt"
    assert sorted(p.name for p in dpt.iterdir()) == [
        "facebook.txt",
        "instagram.txt",
        "share.png",
        "whatsapp.txt",
        "x.txt",
    ]
    assert sorted(p.name for p in (kits / "web").iterdir()) == ["share.png"]  # website only
    for channel in social.CHANNELS:
        text = (dpt / f"{channel}.txt").read_text().rstrip("\n")
        assert social.measure(channel, text) <= social.LIMITS[channel]
        link = re.search(r"https://\S+", text)
        assert link is not None
        assert link.group(0) == (
            f"{SITE}/kpu-mentawai-tetapkan-dpt/?utm_source={channel}&utm_medium=social"
            "&utm_campaign=kpu-mentawai-tetapkan-dpt"
        )
    assert social.x_length((dpt / "x.txt").read_text()) <= 280
    for image in kits.glob("*/share.png"):
        with Image.open(image) as opened:
            assert opened.size == (1200, 630)


def test_share_image_is_the_pages_og_image(built: Path) -> None:
    page = (built / "kpu-mentawai-tetapkan-dpt/index.html").read_text()
    image = f"{SITE}/social/kpu-mentawai-tetapkan-dpt/share.png"
    assert f'<meta property="og:image" content="{image}">' in page
    assert '<meta property="og:image:width" content="1200">' in page
    assert '<meta property="og:image:height" content="630">' in page
    assert f'<meta name="twitter:image" content="{image}">' in page
    assert (built / image.removeprefix(f"{SITE}/")).is_file()


def test_laman_social_lists_and_records_what_is_posted(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(office.path)
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.delenv("LAMAN_LANG", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    waiting = json.loads(laman("social", "--json").output)
    assert [(w["slug"], w["channel"]) for w in waiting] == [
        ("kpu-mentawai-tetapkan-dpt", c) for c in ("facebook", "instagram", "x", "whatsapp")
    ]
    assert "4 unggahan menunggu" in laman("social").output
    done = laman("social", "--posted", "kpu-mentawai-tetapkan-dpt", "--channel", "x", "--channel", "facebook")
    assert done.exit_code == 0, done.output
    record = json.loads((office.path / social.POSTED_FILE).read_text())
    assert sorted(record["kpu-mentawai-tetapkan-dpt"]) == ["facebook", "x"]
    left = json.loads(laman("social", "--json").output)
    assert [w["channel"] for w in left] == ["instagram", "whatsapp"]
    refused = laman("social", "--posted", "web", "--channel", "x")
    assert refused.exit_code == 1
    assert "SOC002 Kanal `x` tidak tercantum di `channels` naskah `web`." in refused.output
    unknown = laman("social", "--posted", "draf")
    assert unknown.exit_code == 1 and "SOC001 `draf` bukan naskah yang tayang." in unknown.output
    assert laman("social", "--posted", "kpu-mentawai-tetapkan-dpt").exit_code == 0
    assert json.loads(laman("social", "--json").output) == []


def test_share_image_is_drawn_once_and_reused(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = social.write_kit(
        tmp_path / "a", post(), "KPU Kabupaten Kepulauan Mentawai", "kpu.example", cache=cache
    )
    assert len(list(cache.glob("*.png"))) == 1
    again = social.write_kit(
        tmp_path / "b", post(), "KPU Kabupaten Kepulauan Mentawai", "kpu.example", cache=cache
    )
    assert first[0].read_bytes() == again[0].read_bytes()
    social.write_kit(
        tmp_path / "c",
        post(title="Judul lain"),
        "KPU Kabupaten Kepulauan Mentawai",
        "kpu.example",
        cache=cache,
    )
    assert len(list(cache.glob("*.png"))) == 2
