"""`laman import wordpress` on a WXR export written for it: posts, a page, a draft and a private
post (not imported), categories, tags, captions, a gallery, tables, a shortcode, images,
Indonesian text and a `?p=` address; then validate and build, and the site in Chromium."""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import re
import socket
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from tests.browser import chromium, served
from tests.conftest import NGINX, _listening
from tests.office import SOP_TEXT, Keys, Office, codes, laman

EXPORT = Path(__file__).resolve().parent / "fixtures" / "wordpress" / "export.xml"
_SHOWN = """async () => {
    for (const image of document.querySelectorAll("article img")) {
        image.scrollIntoView();
        await image.decode().catch(() => null);
    }
    const shown = [...document.querySelectorAll("article img")].filter((i) => i.naturalWidth > 0);
    return shown.map((i) => i.currentSrc.split("/").pop().replace(/-[0-9]+[.]jpg$/, "")).sort();
}"""
PHOTOS = (
    "2023/03/rapat-pleno.jpg",
    "2023/03/sosialisasi.jpg",
    "2023/03/galeri-1.jpg",
    "2023/03/galeri-2.jpg",
)


def _uploads(folder: Path) -> Path:
    for n, rel in enumerate(PHOTOS):
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (1000, 700), (40 * n, 90, 160)).save(folder / rel, "JPEG")
    return folder


@pytest.fixture
def office(tmp_path: Path, keys: Keys, monkeypatch: pytest.MonkeyPatch) -> Office:
    made = Office(tmp_path, keys, anchor=False, site=True)
    monkeypatch.chdir(made.path)
    return made


def _rows(office: Office) -> dict[str, dict[str, str]]:
    text = (office.path / ".laman-cache/impor/laporan.csv").read_text("utf-8")
    return {row["post_id"]: row for row in csv.DictReader(io.StringIO(text))}


def test_import_validate_build_and_the_old_addresses(office: Office, tmp_path: Path) -> None:
    uploads = _uploads(tmp_path / "uploads")
    result = laman("import", "wordpress", str(EXPORT), "--media", str(uploads))
    assert result.exit_code == 0, result.output
    rows = _rows(office)
    assert {k: (r["outcome"], r["codes"]) for k, r in rows.items()} == {
        "101": ("imported", ""),
        "102": ("lossy", "IMP013 IMP012 IMP010 IMP011"),
        "103": ("imported", ""),
        "104": ("skipped", "IMP020"),
        "105": ("skipped", "IMP020"),
        "106": ("skipped", "IMP023"),
        "107": ("skipped", "IMP021"),
    }
    post = (office.path / "content/berita/rapat-pleno-dps.md").read_text("utf-8")
    assert 'tags: ["Pemilu 2024", "Daftar Pemilih"]' in post
    assert 'date: "2023-03-06 10:15"' in post  # 03:15 GMT in WIB
    assert 'assignee: "writer@kpu.example"' in post and 'author: "Penulis Satu"' in post
    assert "| Sipora Utara | 12.345 |" in post and "## Hasil rekapitulasi" in post
    assert "![Suasana rapat pleno di aula KPU, Tuapejat.](rapat-pleno-dps/rapat-pleno.jpg)" in post
    notice = (office.path / "content/pengumuman/sosialisasi-pemilih-pemula-di-sikakap.md").read_text("utf-8")
    assert '<th colspan="2">Jadwal sosialisasi</th>' in notice  # kept as sanitised HTML
    assert "contact-form-7" not in notice and "<iframe" not in notice
    assert (office.path / "content/pengumuman/sosialisasi-pemilih-pemula-di-sikakap/galeri-2.jpg").is_file()
    assert not (office.path / "content/berita/catatan-internal.md").exists()
    assert not list(office.path.glob(".laman-import-*"))
    report = (office.path / ".laman-cache/impor/laporan.md").read_text("utf-8")
    assert "IMP013 Gambar `2022/11/hilang.jpg` tidak ada di folder `--media`" in report

    assert laman("validate", "content").exit_code == 0
    office.repo.commit("Impor arsip laman lama", office.keys["pj"])
    built = laman("build", "--local")
    assert built.exit_code == 0, built.output
    site = office.path / "output"
    assert (site / "rapat-pleno-dps/rapat-pleno-1000.jpg").is_file()
    page = (site / "sejarah-kantor/index.html").read_text("utf-8")
    assert (
        '<a href="../rapat-pleno-dps/" rel="noopener noreferrer">rapat pleno DPS</a>' in page
    )  # the old link, to the new page
    assert '<a href="../sosialisasi-pemilih-pemula-di-sikakap/#jadwal" rel' in page
    nginx_map = (site / ".laman-redirects.nginx").read_text("utf-8")
    assert '"102" "/sosialisasi-pemilih-pemula-di-sikakap/";' in nginx_map
    assert '"/2023/03/06/rapat-pleno-dps/" "/rapat-pleno-dps/";' in nginx_map
    moved = (site / "2023/03/06/rapat-pleno-dps/index.html").read_text("utf-8")
    assert '<link rel="canonical" href="/rapat-pleno-dps/">' in moved
    assert "Pindah" not in (site / "sejarah-kantor/index.html").read_text("utf-8")  # same address: no page

    record = json.loads((site / ".well-known/laman-provenance.json").read_text("utf-8"))
    by_id = {a["id"]: a for a in record["articles"]}
    assert (
        by_id["20230306-wp101"]["imported"] == "https://lama.kpu-mentawai.example/2023/03/06/rapat-pleno-dps/"
    )
    assert _through_nginx(site, tmp_path, ["/?p=102", "/2023/03/06/rapat-pleno-dps", "/?p=999"]) == [
        (301, "http://127.0.0.1/sosialisasi-pemilih-pemula-di-sikakap/"),
        (301, "http://127.0.0.1/rapat-pleno-dps/"),
        (200, None),
    ]

    with served(site, tmp_path) as base, chromium() as browser:
        page = browser.new_page()
        page.goto(base + "/2023/03/06/rapat-pleno-dps/")
        page.wait_for_url(base + "/rapat-pleno-dps/")
        assert page.locator("h1").first.inner_text() == "Rapat Pleno Rekapitulasi DPS di Tuapejat"
        page.goto(base + "/sosialisasi-pemilih-pemula-di-sikakap/")
        # Each image brought into view (they load lazily) and waited for; then those that showed.
        shown = page.evaluate(_SHOWN)
        assert shown == ["galeri-1", "galeri-2", "sosialisasi"]  # the old site's missing photo does not


def test_a_dry_run_writes_only_the_report_and_a_second_import_skips_what_is_there(
    office: Office, tmp_path: Path
) -> None:
    uploads = _uploads(tmp_path / "uploads")
    assert laman("import", "wordpress", str(EXPORT), "--media", str(uploads), "--dry-run").exit_code == 0
    assert not (office.path / "content").exists()
    assert _rows(office)["101"]["outcome"] == "imported"
    assert laman("import", "wordpress", str(EXPORT), "--since", "2023-03-07").exit_code == 0
    rows = _rows(office)
    assert (rows["101"]["codes"], rows["103"]["codes"], rows["102"]["outcome"]) == (
        "IMP022",
        "IMP022",
        "lossy",
    )
    assert laman("import", "wordpress", str(EXPORT)).exit_code == 0
    assert _rows(office)["102"]["codes"] == "IMP024"


def _bad(office: Office, tmp_path: Path, raw: bytes) -> str:
    export = tmp_path / "rusak.xml"
    export.write_bytes(raw)
    result = laman("import", "wordpress", str(export))
    assert result.exit_code == 1
    assert not (office.path / "content").exists()
    return result.output


def test_bad_exports_are_refused_with_their_place(office: Office, tmp_path: Path) -> None:
    raw = EXPORT.read_bytes()
    cut = raw[: raw.index(b"<wp:post_id>102")]
    assert "rusak.xml:" in _bad(office, tmp_path, cut) and "IMP001" in _bad(office, tmp_path, cut)
    assert "rusak.xml:1:1: IMP002" in _bad(office, tmp_path, b"<html><body>bukan ekspor</body></html>")
    english = laman("--lang", "en", "import", "wordpress", str(tmp_path / "rusak.xml")).output
    assert (
        "rusak.xml:1:1: IMP002 This file is XML but not a WordPress export (WXR): its root is `<html>`"
        in english
    )
    bomb = b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "aaaa">\n<!ENTITY b "&a;&a;&a;&a;">\n]>\n<rss>&b;</rss>'
    assert "rusak.xml:3:1: IMP003" in _bad(office, tmp_path, bomb)
    xxe = b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<rss>&x;</rss>'
    assert "rusak.xml:2:16: IMP003" in _bad(office, tmp_path, xxe)
    latin = raw.replace(b"Rekapitulasi DPS", "Rekapitulasi D\xe9PS".encode("latin-1"), 1)
    line = latin[: latin.index(b"\xe9")].count(b"\n") + 1
    assert f"rusak.xml:{line}:" in _bad(office, tmp_path, latin) and "IMP004" in _bad(office, tmp_path, latin)


def _through_nginx(site: Path, tmp_path: Path, paths: list[str]) -> list[tuple[int, str | None]]:
    """Each path asked of a real nginx that includes the build's map as the README says."""
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    temps = "".join(
        f"{k}_temp_path {prefix / k}; " for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;\n" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(
        f"daemon off; worker_processes 1; pid {prefix / 'nginx.pid'};\n{user}events {{}}\n"
        f"http {{ access_log off; {temps}\n include {site / '.laman-redirects.nginx'};\n"
        f" server {{ listen 127.0.0.1:{port}; server_name 127.0.0.1; root {site};\n"
        "  if ($laman_redirect) { return 301 $laman_redirect; } } }\n"
    )
    server = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert _listening(port, server), (prefix / "error.log").read_text()
        answers = []
        for path in paths:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path)
            response = connection.getresponse()
            location = response.getheader("Location")
            answers.append((response.status, location.replace(f":{port}", "") if location else None))
            connection.close()
        return answers
    finally:
        server.terminate()
        server.wait()


def test_after_the_trust_anchor_the_import_is_refused_before_it_writes(
    tmp_path: Path, keys: Keys, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = Office(tmp_path, keys, anchor=True)
    monkeypatch.chdir(office.path)
    result = laman("import", "wordpress", str(EXPORT))
    assert result.exit_code == 1
    assert "sop.yml: IMP007" in result.output and office.legacy in result.output
    assert not (office.path / "content").exists()
    assert laman("import", "wordpress", str(EXPORT), "--dry-run").exit_code == 0  # the report alone


def test_imported_once_then_anchored_the_check_publishes_the_archive(office: Office, tmp_path: Path) -> None:
    """The README's path: import, a commit signed by the penanggung jawab, then the anchor."""
    assert (
        laman("import", "wordpress", str(EXPORT), "--media", str(_uploads(tmp_path / "uploads"))).exit_code
        == 0
    )
    imported = office.repo.commit("Impor arsip laman lama", office.keys["pj"])
    office.set_sop(re.sub(r"^trust_anchor:.*$", f"trust_anchor: {imported}", SOP_TEXT, flags=re.M))
    office.repo.commit(f"Penegakan SOP dimulai\n\nSOP-Anchor: {imported}", office.keys["pj"])
    office.repo.git("config", "laman.anchor", imported)
    result = office.check()
    assert (result.enforced, codes(result), result.notices) == (True, [], ())
    assert sorted(result.publishable) == ["20220110-wp103", "20230306-wp101", "20230307-wp102"]


def test_a_photo_over_the_repositorys_limit_is_kept_narrower_in_its_format(tmp_path: Path) -> None:
    from pipeline.app.importer import _keep_image
    from pipeline.model.media import MAX_BYTES

    heavy = tmp_path / "pindaian.png"
    Image.frombytes("RGB", (2600, 1700), os.urandom(2600 * 1700 * 3)).save(heavy, compress_level=1)
    assert heavy.stat().st_size > MAX_BYTES
    assert _keep_image(heavy, tmp_path / "out/pindaian.png")
    with Image.open(tmp_path / "out/pindaian.png") as kept:
        assert (kept.format, kept.width) == ("PNG", 2400)
    assert (tmp_path / "out/pindaian.png").stat().st_size <= MAX_BYTES
    (tmp_path / "rusak.jpg").write_bytes(b"\xff\xd8 bukan gambar")
    assert not _keep_image(tmp_path / "rusak.jpg", tmp_path / "out/rusak.jpg")
