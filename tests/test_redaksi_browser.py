"""The headline of issue 22: three people of an office, each with their own HOME, key, clone and
Ruang Redaksi, take one article through the whole SOP in real Chromium against one bare remote;
the forge's merge; then `laman check` passes on main and `laman build` publishes the verified
text with its photo. axe on every page at a phone's and a laptop's width besides.

LAMAN_SCREENSHOTS=docs/img saves the README's screenshots (redaksi-*.png) there."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from PIL import Image

from tests.browser import chromium, look
from tests.office import Keys
from tests.redaksi_desk import Desk, desk, git_env, shared_office

# Three people, five lanes: the head also manages the desk, the writer also corrects.
PEOPLE = {
    "pj": ["penanggung_jawab", "redaktur_pelaksana"],
    "writer": ["tim_peliputan", "tim_pasca_produksi"],
    "koor": ["koordinator_liputan"],
}
TITLE = "Rapat Pleno Penetapan DPT Pilkada"
FIRST = "KPU menggelar rapat pleno penetapan DPT di Tuapejat."
FINAL = "KPU menetapkan 61.430 pemilih dalam rapat pleno di Tuapejat."


class _Signed:
    """A browser context that has the app's cookie, as `look` opens pages (Browser.new_page)."""

    def __init__(self, context: Any) -> None:
        self.context = context

    def new_page(self, viewport: dict[str, int]) -> Any:
        page = self.context.new_page()
        page.set_viewport_size(viewport)
        return page


def _open(context: Any, person: Desk) -> Any:
    page = context.new_page()
    page.goto(f"{person.base}/?token={person.token}")
    return page


def _move(page: Any, stage: str, reason: str | None = None) -> None:
    if reason is not None:
        page.get_by_label(f"Alasan (wajib) untuk {stage}").fill(reason)
    page.get_by_role("button", name=f"Pindahkan ke: {stage}").click()
    page.wait_for_url("**selesai=pindah")


def _save(page: Any) -> None:
    page.get_by_role("button", name="Simpan suntingan").click()
    page.wait_for_url("**selesai=simpan")


def _task(page: Any, person: Desk, title: str = TITLE) -> None:
    """Open the article from the person's own Tugas saya."""
    page.goto(f"{person.base}/tugas")
    page.get_by_role("region", name="Tugas saya (1)").get_by_role("link", name=title).click()
    page.wait_for_url("**/naskah/*")


def _shots(page: Any, tmp_path: Path, name: str, width: int) -> None:
    """A screenshot of the page at `width` (a phone's: the whole page), copied for the README."""
    page.set_viewport_size({"width": width, "height": 900})
    shot = tmp_path / f"redaksi-{name}-{width}.png"
    page.screenshot(path=str(shot), full_page=width == 390)
    page.set_viewport_size({"width": 1280, "height": 900})
    wanted = os.environ.get("LAMAN_SCREENSHOTS")
    if wanted:
        shutil.copy(shot, Path(wanted) / shot.name)


def _laman(clone: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], cwd=clone, env=env, capture_output=True, text=True
    )


def _head_writes(page: Any, person: Desk, photo: Path) -> str:
    """The head plans the article with its disposition sheet, forwards it and assigns the writer."""
    page.goto(f"{person.base}/baru")
    page.get_by_label("Judul").fill(TITLE)
    page.get_by_label("Rubrik").select_option("Berita")
    page.get_by_label("Nomor surat").fill("045/HM.03/XII/2026")
    page.get_by_label("Tanggal surat (TTTT-BB-HH)").fill("2026-12-07")
    page.get_by_label("Surat dari").fill("PPID Pembantu")
    page.get_by_label("Perihal").fill("Publikasi rapat pleno penetapan DPT")
    page.get_by_label("Isi disposisi").fill("Segera susun materi publikasi.")
    page.get_by_role("button", name="Buat naskah").click()
    page.wait_for_url("**selesai=baru")
    ident = page.url.split("/naskah/")[1].split("?")[0]
    _move(page, "Disposisi diteruskan ke sekretariat")
    page.get_by_label("Penulis yang ditugaskan").select_option("writer@kpu.example")
    _save(page)
    _move(page, "Penugasan penyusunan materi")
    return ident


def _writer_drafts(page: Any, person: Desk, photo: Path, tmp_path: Path) -> None:
    _task(page, person)
    page.get_by_label("Ringkasan").fill("Rapat pleno menetapkan daftar pemilih tetap Pilkada.")
    body = page.get_by_label("Isi naskah (Markdown)")
    body.fill(FIRST + "\n\n")
    page.get_by_role("button", name="Tebal").click()
    body.type("DPT")
    page.locator("#pratinjau strong", has_text="DPT").wait_for()  # the live preview, as the site renders
    page.get_by_label("Berkas foto").set_input_files(str(photo))
    page.get_by_role("button", name="Simpan suntingan").click()  # no alternative text: refused, kept
    page.get_by_role("alert").filter(has_text="RED007").wait_for()
    assert page.get_by_label("Isi naskah (Markdown)").input_value().startswith(FIRST)
    page.get_by_label("Berkas foto").set_input_files(str(photo))
    page.get_by_label("Teks alternatif (wajib bila ada foto)").fill("Anggota KPU membuka rapat pleno")
    _save(page)
    page.locator('#pratinjau img[alt="Anggota KPU membuka rapat pleno"]').wait_for()
    _shots(page, tmp_path, "naskah", 390)
    _move(page, "Materi publikasi disusun")
    # The correction, by the same person as post-production.
    body = page.get_by_label("Isi naskah (Markdown)")
    body.fill(body.input_value().replace("menggelar", "menyelenggarakan"))
    _save(page)
    _move(page, "Materi terkoreksi")


def test_three_people_take_an_article_through_the_sop_in_chromium(tmp_path: Path, keys: Keys) -> None:
    remote = shared_office(tmp_path / "office", keys, PEOPLE)
    desks = {who: desk(tmp_path, remote, keys, who).start() for who in PEOPLE}
    photo = tmp_path / "rapat.jpg"
    Image.new("RGB", (2400, 1600), (150, 40, 40)).save(photo, "JPEG")
    try:
        with chromium() as browser:
            pages = {who: _open(browser.new_context(), person) for who, person in desks.items()}
            head, writer, koor = pages["pj"], pages["writer"], pages["koor"]
            ident = _head_writes(head, desks["pj"], photo)
            _writer_drafts(writer, desks["writer"], photo, tmp_path)
            _task(head, desks["pj"])
            head.get_by_label("Tanggal terbit (TTTT-BB-HH JJ:MM)").fill("2026-12-07 10:00")
            head.get_by_label("Klasifikasi informasi").select_option("berkala")
            # The public-information columns, asked before submission (ADV007 without them).
            for label, value in (
                ("Pejabat atau unit yang menguasai informasi", "Sekretariat KPU Kabupaten"),
                ("Penanggung jawab pembuatan atau penerbitan", "Sekretaris"),
                ("Tanggal pembuatan (TTTT-BB-HH)", "2026-12-07"),
                ("Tempat pembuatan", "Tuapejat"),
                ("Bentuk yang tersedia (pisahkan dengan koma: softcopy, hardcopy)", "softcopy"),
                ("Retensi aktif (misalnya 2 tahun)", "2 tahun"),
                ("Retensi inaktif (misalnya 3 tahun)", "3 tahun"),
            ):
                head.get_by_label(label).fill(value)
            _save(head)
            _move(head, "Diserahkan untuk verifikasi")
            # The coordinator sends it back with a reason; the writer fixes the figure.
            _task(koor, desks["koor"])
            assert koor.get_by_role("button", name="Simpan suntingan").count() == 0  # no editing here
            _move(koor, "Materi publikasi disusun", "Sebutkan jumlah pemilih yang ditetapkan.")
            _task(writer, desks["writer"])
            body = writer.get_by_label("Isi naskah (Markdown)")
            body.fill(body.input_value().replace(FIRST.replace("menggelar", "menyelenggarakan"), FINAL))
            _save(writer)
            _move(writer, "Materi terkoreksi")
            _task(head, desks["pj"])
            _move(head, "Diserahkan untuk verifikasi")
            koor.goto(f"{desks['koor'].base}/tugas")
            _shots(koor, tmp_path, "tugas", 390)
            _task(koor, desks["koor"])
            _move(koor, "Terverifikasi")
            head.goto(f"{desks['pj'].base}/")
            _shots(head, tmp_path, "papan", 1280)
            seen = look(
                _Signed(head.context),
                desks["pj"].base,
                ["/", "/tugas", f"/naskah/{ident}", "/baru", "/tim", "/siapkan"],
                [390, 1280],
            )
        assert len(seen) == 12 and [s for s in seen if s.serious or s.sideways] == []
    finally:
        for person in desks.values():
            person.stop()
    _merge_check_build(tmp_path, remote, desks["pj"])


def _merge_check_build(tmp_path: Path, remote: Path, head: Desk) -> None:
    """The forge's merge (signed by the head), then the check and the build of main."""
    head.git("fetch", "--quiet", "origin")
    head.git("switch", "--quiet", "main")
    head.git(
        "merge",
        "--quiet",
        "-S",
        "--no-ff",
        "-m",
        "Merge naskah",
        "origin/naskah/rapat-pleno-penetapan-dpt-pilkada",
    )
    head.git("push", "--quiet", "origin", "main")
    env = git_env(tmp_path / "home-check")
    fresh = tmp_path / "check"
    subprocess.run(["git", "clone", "--quiet", str(remote), str(fresh)], env=env, check=True)
    anchor = subprocess.run(
        ["git", "config", "laman.anchor"], cwd=remote, env=env, capture_output=True, text=True
    )
    subprocess.run(["git", "config", "laman.anchor", anchor.stdout.strip()], cwd=fresh, env=env, check=True)
    checked = _laman(fresh, env, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = _laman(fresh, env, "build", "--output", str(tmp_path / "site"), "--now", "2026-12-08 10:00")
    assert built.returncode == 0, built.stdout + built.stderr
    pages = [p for p in (tmp_path / "site").rglob("*.html") if "rapat-pleno-penetapan" in p.as_posix()]
    html = "\n".join(p.read_text("utf-8") for p in pages)
    assert FINAL.replace("61.430", "61.430") in html and "menggelar" not in html
    assert 'alt="Anggota KPU membuka rapat pleno"' in html
    assert list((tmp_path / "site").rglob("rapat-pleno-penetapan-dpt-pilkada-1*"))  # the photo, published
