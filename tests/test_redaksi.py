"""The Ruang Redaksi over HTTP: each person's app a process of its own on their own clone, one
bare remote between them, every step a real signed commit pushed there."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.office import Keys, Office
from tests.redaksi_desk import Desk, article_id, base_of, desk, shared_office

DISPOSITION = {
    "disposition.number": "045/HM.03/XII/2026",
    "disposition.date": "2026-12-07",
    "disposition.from": "PPID Pembantu",
    "disposition.subject": "Publikasi rapat pleno",
    "disposition.instruction": "Segera susun materi",
}


@pytest.fixture
def office(tmp_path: Path, keys: Keys) -> Iterator[tuple[Path, dict[str, Desk]]]:
    remote = shared_office(tmp_path / "office", keys)
    desks: dict[str, Desk] = {}
    yield remote, desks
    for one in desks.values():
        one.stop()


def _open(office: tuple[Path, dict[str, Desk]], tmp_path: Path, keys: Keys, who: str, **env: str) -> Desk:
    remote, desks = office
    desks[who] = desk(tmp_path, remote, keys, who).start(env)
    return desks[who]


def _codes(page: str) -> list[str]:
    return re.findall(r"<li><strong>([A-Z]{2,5}\d{3})</strong>", page)


def _planned(pj: Desk, title: str = "Rapat Pleno DPT") -> str:
    status, headers, page = pj.post("/baru", {"title": title, "category": "Berita", **DISPOSITION})
    assert status == 302, page
    return headers["location"].split("/")[2].split("?")[0]


def _move(person: Desk, ident: str, target: str, reason: str = "", base: str = "") -> tuple[int, str]:
    _, _, page = person.request("GET", f"/naskah/{ident}")
    form = {"target": target, "base": base or base_of(page)}
    if reason:
        form["reason"] = reason
    status, _, after = person.post(f"/naskah/{ident}/pindah", form)
    return status, after


def _remote_log(remote: Path, desk_: Desk) -> str:
    return desk_.git("--git-dir", str(remote), "log", "--all", "--format=%s")


def test_without_the_token_from_a_foreign_host_or_another_site_403(office, tmp_path, keys) -> None:  # type: ignore[no-untyped-def]
    pj = _open(office, tmp_path, keys, "pj")
    status, _, page = pj.request("GET", "/")
    assert status == 200 and '<html lang="id">' in page and "Papan redaksi" in page
    _, headers, _ = pj.request("GET", "/bahasa/en?ke=/tugas")
    assert headers["location"] == "/tugas" and headers["set-cookie"].startswith("lang=en")
    _, _, english = pj.request("GET", "/", headers={"Cookie": f"{pj.cookie}; lang=en"})
    assert '<html lang="en">' in english and "Editorial board" in english
    assert pj.request("GET", "/", cookie=False)[0] == 403
    assert pj.request("GET", "/?token=wrong", cookie=False)[0] == 403
    assert pj.request("GET", "/", headers={"Cookie": "laman_redaksi=wrong"})[0] == 403
    # DNS rebinding: the attacker's name pointed at 127.0.0.1, the browser sending its cookie.
    assert pj.request("GET", "/", headers={"Host": f"evil.example:{pj.host.split(':')[1]}"})[0] == 403
    form = {"title": "Disisipkan", "category": "Berita"}
    assert pj.post("/baru", form, headers={"Origin": "http://evil.example"})[0] == 403
    assert pj.post("/baru", form, headers={"Sec-Fetch-Site": "cross-site"})[0] == 403
    assert pj.request("POST", "/baru", form)[0] == 403  # no CSRF token in the form
    assert pj.post("/baru", {**form, "csrf": "0" * 64})[0] == 403
    remote, _ = office
    assert "Disisipkan" not in _remote_log(remote, pj)


def test_a_wrong_role_move_is_not_offered_and_a_forged_post_is_refused(office, tmp_path, keys) -> None:  # type: ignore[no-untyped-def]
    pj = _open(office, tmp_path, keys, "pj")
    writer = _open(office, tmp_path, keys, "writer")
    ident = _planned(pj)
    _, _, page = writer.request("GET", f"/naskah/{ident}")
    assert 'value="dispositioned"' not in page and "/simpan" not in page  # neither move nor edit
    tip = writer.git("rev-parse", "origin/naskah/rapat-pleno-dpt").strip()
    status, after = _move(writer, ident, "dispositioned", base=tip)
    assert status == 400 and _codes(after) == ["SOP004"]
    # The same move by the one whose role it is goes through, signed and pushed.
    status, _ = _move(pj, ident, "dispositioned")
    assert status == 302
    remote, _ = office
    head = pj.git("--git-dir", str(remote), "cat-file", "commit", "naskah/rapat-pleno-dpt")
    assert "SOP-From: planned\nSOP-To: dispositioned" in head and "BEGIN SSH SIGNATURE" in head


def test_a_forged_edit_by_a_role_not_editing_this_stage_is_refused(office, tmp_path, keys) -> None:  # type: ignore[no-untyped-def]
    pj = _open(office, tmp_path, keys, "pj")
    writer = _open(office, tmp_path, keys, "writer")
    ident = _planned(pj)
    _, _, page = pj.request("GET", f"/naskah/{ident}")
    status, _, after = writer.post(f"/naskah/{ident}/simpan", {"base": base_of(page), "body": "Disisipkan"})
    assert status == 403 and _codes(after) == ["RED003"]
    status, _, after = writer.post("/baru", {"title": "Naskah penulis", "category": "Berita"})
    assert status == 403 and _codes(after) == ["RED012"]
    remote, _ = office
    assert "Disisipkan" not in _remote_log(remote, pj) and "Naskah penulis" not in _remote_log(remote, pj)


def test_a_conflicting_edit_keeps_the_edit_and_overwrites_nothing(office, tmp_path, keys) -> None:  # type: ignore[no-untyped-def]
    pj = _open(office, tmp_path, keys, "pj")
    redaktur = _open(office, tmp_path, keys, "redaktur")
    ident = _planned(pj)
    assert _move(pj, ident, "dispositioned")[0] == 302
    _, _, seen = redaktur.request("GET", f"/naskah/{ident}")  # the managing editor opens the form
    _, _, mine = pj.request("GET", f"/naskah/{ident}")
    assert pj.post(f"/naskah/{ident}/simpan", {"base": base_of(mine), "summary": "Versi pj."})[0] == 302
    status, _, page = redaktur.post(
        f"/naskah/{ident}/simpan",
        {"base": base_of(seen), "summary": "Versi redaktur.", "body": "Teks redaktur."},
    )
    assert status == 409 and _codes(page) == ["RED004"]
    assert "Teks redaktur." in page  # still in the form
    kept = re.search(r"\.git/laman-redaksi/kept/[^`<]+\.md", page)
    assert kept and (redaktur.clone / kept.group(0)).read_text() == "Teks redaktur."
    remote, _ = office
    text = pj.git(
        "--git-dir", str(remote), "show", "naskah/rapat-pleno-dpt:content/berita/rapat-pleno-dpt.md"
    )
    assert "Versi pj." in text and "redaktur" not in text


def test_a_push_the_remote_refuses_is_undone_and_the_edit_kept(office, tmp_path, keys) -> None:  # type: ignore[no-untyped-def]
    pj = _open(office, tmp_path, keys, "pj")
    ident = _planned(pj)
    remote, _ = office
    before = pj.git("--git-dir", str(remote), "rev-parse", "naskah/rapat-pleno-dpt").strip()
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'cabang dikunci' >&2\nexit 1\n")
    hook.chmod(0o755)
    _, _, page = pj.request("GET", f"/naskah/{ident}")
    status, _, after = pj.post(f"/naskah/{ident}/simpan", {"base": base_of(page), "body": "Teks baru pj."})
    assert status == 409 and _codes(after) == ["RED004"] and "Teks baru pj." in after
    assert pj.git("rev-parse", "HEAD").strip() == before  # the local commit undone too
    assert pj.git("--git-dir", str(remote), "rev-parse", "naskah/rapat-pleno-dpt").strip() == before


def test_an_edit_sets_only_the_fields_changed_and_the_preview_is_the_sites_rendering(
    office, tmp_path, keys
) -> None:  # type: ignore[no-untyped-def]
    pj = _open(office, tmp_path, keys, "pj")
    ident = _planned(pj)
    _, _, page = pj.request("GET", f"/naskah/{ident}")
    form = {
        "base": base_of(page),
        "title": "Rapat Pleno DPT",
        "summary": "Ringkas: 12 desa.",
        "tags": "DPT, Pleno",
    }
    assert pj.post(f"/naskah/{ident}/simpan", {**form, "body": "Isi **tebal**."})[0] == 302
    diff = pj.git("show", "--format=", "-U0", "HEAD")
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == [
        '+summary: "Ringkas: 12 desa."',
        '+tags: ["DPT", "Pleno"]',
        "-Tulis naskah di sini.",
        "+Isi **tebal**.",
    ]
    status, _, html = pj.post(
        f"/pratinjau/{ident}", {"body": "A <script>x()</script> **b** ![Foto](rapat-1.jpg)"}
    )
    assert status == 200 and "<strong>b</strong>" in html and "<script" not in html
    assert f'src="/berkas/{ident}/rapat-1.jpg"' in html
    _, _, sheet = pj.request("GET", f"/naskah/{ident}/disposisi")  # the printable lembar disposisi
    assert "045/HM.03/XII/2026" in sheet and "Segera susun materi" in sheet


def test_a_handed_on_article_is_mailed_to_the_people_of_the_next_role(office, tmp_path, keys) -> None:  # type: ignore[no-untyped-def]
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self) -> None:
            self.got: list[tuple[list[str], str]] = []

        async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
            self.got.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
            return "250 OK"

    inbox = Inbox()
    with socket.socket() as probe:  # a free port: the controller's own start-up check needs one named
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        smtp = {"LAMAN_SMTP_HOST": "127.0.0.1", "LAMAN_SMTP_PORT": str(port)}
        pj = _open(office, tmp_path, keys, "pj", **smtp, LAMAN_SMTP_FROM="redaksi@kpu.example")
        ident = _planned(pj)
        assert _move(pj, ident, "dispositioned")[0] == 302
    finally:
        controller.stop()
    assert [to for to, _ in inbox.got] == [["redaktur@kpu.example"]]
    assert "Rapat Pleno DPT" in inbox.got[0][1] and "From: redaksi@kpu.example" in inbox.got[0][1]
    # And on the managing editor's own Tugas saya, mail or no mail.
    redaktur = _open(office, tmp_path, keys, "redaktur")
    _, _, tasks = redaktur.request("GET", "/tugas")
    assert f"/naskah/{ident}" in tasks
    assert article_id(redaktur.request("GET", f"/naskah/{ident}")[2]) == ident


def test_a_new_colleague_sets_up_and_the_person_in_charge_adds_them(office, tmp_path, keys) -> None:  # type: ignore[no-untyped-def]
    remote, desks = office
    newcomer = desk(tmp_path, remote, keys, "attacker")  # a key team.yml does not name
    anchor = newcomer.git("config", "laman.anchor").strip()
    for setting in (
        "user.name",
        "user.email",
        "user.signingkey",
        "gpg.format",
        "commit.gpgsign",
        "laman.anchor",
    ):
        newcomer.git("config", "--unset", setting)
    home = tmp_path / "home-attacker"
    for key in (home / ".ssh").iterdir():
        key.unlink()  # a computer with no key yet
    desks["newcomer"] = newcomer.start()
    _, _, before = newcomer.request("GET", "/siapkan")
    assert before.count("✘") == 5  # identity, key, signing always, anchor, team (the remote is there)
    form = {"name": "Staf Baru", "email": "Staf.Baru@kpu.example", "key": "new"}
    assert newcomer.post("/siapkan", form)[0] == 302
    # The office's anchor, typed in as the person in charge gave it: a wrong one is refused.
    status, _, refused = newcomer.post("/siapkan", {"anchor": "f" * 40})
    assert status == 400 and "RED013" in refused
    assert newcomer.post("/siapkan", {"anchor": anchor.upper()})[0] == 302
    assert newcomer.git("config", "laman.anchor").strip() == anchor
    assert newcomer.git("config", "user.signingkey").strip() == str(home / ".ssh" / "id_ed25519")
    assert newcomer.git("config", "commit.gpgsign").strip() == "true"
    _, _, after = newcomer.request("GET", "/siapkan")
    entry = re.search(r'<pre class="entri" tabindex="0">(.*?)</pre>', after, re.S)
    public = (home / ".ssh" / "id_ed25519.pub").read_text().split()[1]
    assert entry and "  - id: staf-baru\n" in entry.group(1) and public in entry.group(1)
    # Only the person in charge may add them; then they are known by their key.
    writer = _open(office, tmp_path, keys, "writer")
    key_text = f"ssh-ed25519 {public} staf.baru@kpu.example"
    add = {"name": "Staf Baru", "email": "staf.baru@kpu.example", "role.tim_peliputan": "1", "key": key_text}
    _, _, team_page = writer.request("GET", "/tim")
    status, _, refused = writer.post("/tim", {**add, "base": "0"})
    assert "/tim" in team_page and status == 403 and _codes(refused) == ["RED011"]
    pj = _open(office, tmp_path, keys, "pj")
    _, _, page = pj.request("GET", "/tim")
    assert pj.post("/tim", {**add, "key": "ssh-ed25519 bukan-kunci"} | {"base": base_of(page)})[0] == 400
    status, _, done = pj.post("/tim", {**add, "base": base_of(page)})
    assert status == 302, re.findall(r"<li><strong>.*?</li>", done, re.S)
    shown = pj.git("--git-dir", str(remote), "cat-file", "commit", "main")
    assert "Tim: Staf Baru (tim_peliputan)" in shown and "BEGIN SSH SIGNATURE" in shown
    _, _, board = newcomer.request("GET", "/")
    assert "Masuk sebagai Staf Baru" in board


def test_the_pull_request_link_of_a_branch_on_github_and_gitlab() -> None:
    from pipeline.redaksi.branches import pull_request_url

    github = "https://github.com/kpu/laman/compare/main...naskah/rapat?expand=1"
    assert pull_request_url("git@github.com:kpu/laman.git", "naskah/rapat") == github
    assert pull_request_url("https://github.com/kpu/laman", "naskah/rapat") == github
    assert pull_request_url("https://gitlab.com/kpu/laman.git", "naskah/rapat") == (
        "https://gitlab.com/kpu/laman/-/merge_requests/new?merge_request%5Bsource_branch%5D=naskah%2Frapat"
    )
    assert pull_request_url("/srv/git/laman.git", "naskah/rapat") is None
    assert pull_request_url("git@github.com:kpu/laman.git", "main") is None


def test_the_board_reads_every_branch_and_says_who_acts_and_what_is_overdue(tmp_path, keys) -> None:  # type: ignore[no-untyped-def]
    from tests.office import article_text

    def prepare(office: Office) -> None:
        # On main, an article forwarded long ago; on a branch of its own, one being written now.
        office.repo.write(office.file("lama"), article_text("lama", "dispositioned", title="Naskah Lama"))
        office.repo.commit("lama: dispositioned", keys["pj"], date="2026-01-05T10:00:00+0700")
        office.repo.git("switch", "-q", "-c", "naskah/baru")
        office.write("baru", "assigned", "redaktur", title="Naskah Baru")
        office.repo.git("switch", "-q", "main")

    remote = shared_office(tmp_path / "office", keys, prepare=prepare)
    redaktur = desk(tmp_path, remote, keys, "redaktur").start()
    writer = desk(tmp_path, remote, keys, "writer").start()
    try:
        _, _, board = redaktur.request("GET", "/")
        _, _, mine = redaktur.request("GET", "/tugas")
        _, _, theirs = writer.request("GET", "/tugas")
    finally:
        redaktur.stop()
        writer.stop()
    old_row = re.search(r'<tr class="lewat">.*?</tr>', board, re.S)
    assert old_row and "Naskah Lama" in old_row.group(0) and "Redaktur Pelaksana" in old_row.group(0)
    assert re.search(r"\d{3} hari", old_row.group(0)) and "lewat batas" in old_row.group(0)
    assert "Naskah Baru" in board and "naskah/baru" in board  # a branch's article, not yet on main
    assert "/naskah/lama" in mine and "/naskah/baru" not in mine
    assert "/naskah/baru" in theirs and "/naskah/lama" not in theirs  # the assignee's turn


def test_an_article_held_on_main_shows_why_and_is_the_person_in_charges_to_mend(tmp_path, keys) -> None:  # type: ignore[no-untyped-def]
    def prepare(office: Office) -> None:
        office.walk("baik", title="Naskah Baik")
        office.walk("tahan", title="Naskah Ditahan")
        # The writer changes the verified text on main: a violation that holds this article only.
        office.write("tahan", "verified", "writer", title="Naskah Ditahan", body="zqdiamdiam\n")

    remote = shared_office(tmp_path / "office", keys, prepare=prepare)
    pj, writer = desk(tmp_path, remote, keys, "pj"), desk(tmp_path, remote, keys, "writer")
    for person in (pj, writer):  # each clone has recorded the anchor, as docs/kantor.md asks
        person.start()
    try:
        _, _, board = pj.request("GET", "/")
        _, _, mine = pj.request("GET", "/tugas")
        _, _, theirs = writer.request("GET", "/tugas")
    finally:
        pj.stop()
        writer.stop()
    row = re.search(r"<tr>(?:(?!</tr>).)*Naskah Ditahan.*?</tr>", board, re.S)
    assert row and "Ditahan di main" in row.group(0)
    commit = re.search(r"laman waive ([0-9a-f]{10}) --article tahan", row.group(0))
    assert commit, row.group(0)  # the person in charge is told the waiver that would accept it
    assert "<strong>SOP" in row.group(0) and "→" in row.group(0)  # the check's own message and fix
    good = re.search(r"<tr>(?:(?!</tr>).)*Naskah Baik.*?</tr>", board, re.S)
    assert good and "Ditahan" not in good.group(0)
    assert "/naskah/tahan" in mine and "Ditahan di main" in mine and "/naskah/baik" not in mine
    assert "/naskah/tahan" not in theirs


def test_sample_news_is_named_on_the_board_until_init_removes_it(tmp_path, keys) -> None:  # type: ignore[no-untyped-def]
    from tests.office import article_text

    def prepare(office: Office) -> None:
        office.repo.write(office.file("contoh"), article_text("contoh", "verified", title="Berita Contoh"))
        office.repo.write("samples.txt", "# sample news\ncontent/berita/contoh.md\n")
        office.repo.commit("Berita contoh", keys["pj"])

    remote = shared_office(tmp_path / "office", keys, prepare=prepare, anchor=False)
    pj = desk(tmp_path, remote, keys, "pj").start()
    try:
        _, _, before = pj.request("GET", "/")
        done = subprocess.run(
            [sys.executable, "-m", "pipeline", "init", "--remove-samples"],
            cwd=pj.clone,
            env=pj.env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        pj.git("push", "-q", "origin", "main")
        _, _, after = pj.request("GET", "/")
    finally:
        pj.stop()
    assert "Berita contoh masih ada di main (1 berkas): content/berita/contoh.md" in before
    assert "laman init --remove-samples" in before
    assert "Berita contoh masih ada" not in after and "Berita Contoh" not in after
