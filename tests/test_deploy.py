"""`laman deploy` to a folder and over real SSH; interrupted at random, never a half site."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.errors import LamanError
from pipeline.site import deploy
from tests.office import Keys, Office, laman

SSHD = "/usr/sbin/sshd"


@pytest.fixture
def office(tmp_path: Path, keys: Keys, monkeypatch: pytest.MonkeyPatch) -> Office:
    made = Office(tmp_path, keys, site=True)
    made.repo.git("config", "user.name", "Petugas CI")
    monkeypatch.chdir(made.path)
    monkeypatch.setenv("COLUMNS", "200")
    return made


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_deploy_to_a_folder_switches_atomically_and_keeps_n(office: Office, tmp_path: Path) -> None:
    served = tmp_path / "srv"
    office.walk("a1", title="Berita Pertama")
    assert laman("build").exit_code == 0
    first = laman("deploy", f"dir:{served}")
    assert first.exit_code == 0, first.output
    head = office.repo.head()
    assert os.readlink(served / "current") == f"releases/{head}"
    assert tree_digest(served / "current") == tree_digest(office.path / "output")
    assert office.repo.git("rev-parse", "refs/laman/published").strip() == head
    log = (served / "deploy.log").read_text().splitlines()
    assert log[0].split("\t")[1:] == ["deploy", head, "Petugas CI", "1", head]
    assert " WIB\t" in log[0]
    for n in range(3):
        office.walk(f"b{n}", title=f"Berita {n}")
        assert laman("build").exit_code == 0
        assert laman("deploy", f"dir:{served}", "--keep", "2").exit_code == 0
    releases = sorted(p.name for p in (served / "releases").iterdir())
    assert len(releases) == 2 and office.repo.head() in releases


def test_rollback_returns_to_the_previous_release(office: Office, tmp_path: Path) -> None:
    served = tmp_path / "srv"
    office.walk("a1")
    laman("build")
    laman("deploy", f"dir:{served}")
    first = office.repo.head()
    office.walk("a2")
    laman("build")
    laman("deploy", f"dir:{served}")
    result = laman("rollback", f"dir:{served}")
    assert result.exit_code == 0, result.output
    assert os.readlink(served / "current") == f"releases/{first}"
    assert "rollback" in (served / "deploy.log").read_text().splitlines()[-1]


def test_a_deploy_killed_while_pruning_leaves_nothing_to_roll_back_to_half_gone(
    office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An old release's removal, cut short, must not leave it listed: removing its files touches
    it, so the next rollback (newest first) would switch the site to what is left of it."""
    served = tmp_path / "srv"
    digests = []
    for n in range(2):
        office.walk(f"a{n}", title=f"Rilis {n}")
        laman("build")
        assert laman("deploy", f"dir:{served}", "--keep", "2").exit_code == 0
        digests.append(tree_digest(office.path / "output"))
    # An `rm` that removes one file of a release, then kills the shell that runs it.
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "rm").write_text(
        "#!/bin/sh\n"
        "for last; do :; done\n"
        'if [ -f "$last/index.html" ]; then /bin/rm -f "$last/index.html"; kill -9 "$PPID"; exit 1; fi\n'
        'exec /bin/rm "$@"\n'
    )
    (shim / "rm").chmod(0o755)
    office.walk("a2", title="Rilis 2")
    laman("build")
    newest = tree_digest(office.path / "output")
    monkeypatch.setenv("PATH", f"{shim}:{os.environ['PATH']}")
    killed = laman("deploy", f"dir:{served}", "--keep", "2")
    monkeypatch.undo()
    # Killed after the switch: the new site is live, and the command says so, with a warning.
    assert killed.exit_code == 0 and "tidak dapat dihapus: exit 137." in killed.output, killed.output
    assert tree_digest(served / "current") == newest
    assert laman("rollback", f"dir:{served}").exit_code == 0
    assert tree_digest(served / "current") == digests[1]


def test_refuses_preview_unenforced_stale_and_broken_history(
    office: Office, tmp_path: Path, keys: Keys
) -> None:
    served = tmp_path / "srv"
    office.walk("a1")
    office.walk("a2", to="drafted")
    assert laman("preview", office.file("a2"), "--output", "output").exit_code == 0
    preview = laman("deploy", f"dir:{served}")
    assert preview.exit_code == 1 and "DEP003 Ini hasil pratinjau" in preview.output
    assert laman("build").exit_code == 0
    office.write("a3", "planned", "pj")
    stale = laman("deploy", f"dir:{served}")
    assert "DEP005" in stale.output
    # A held article does not stop a deploy (hold.py); a broken proof does: the published
    # commit is one main does not hold.
    elsewhere = office.repo.git("commit-tree", "HEAD^{tree}", "-m", "lain").strip()
    office.repo.git("update-ref", "refs/laman/published", elsewhere)
    broken = laman("deploy", f"dir:{served}")
    assert "DEP006" in broken.output
    assert not (served / "current").exists()

    plain = Office(tmp_path / "tanpa-anchor", keys, anchor=False, site=True)
    os.chdir(plain.path)
    plain.write("a1", "verified", None, sign=False)
    assert laman("build").exit_code == 0
    unenforced = laman("deploy", f"dir:{served}")
    assert "DEP004 Situs ini dibangun tanpa penegakan SOP" in unenforced.output
    assert laman("deploy", "ftp://x").exit_code == 1


def test_killed_at_random_the_served_site_is_old_or_new(office: Office, tmp_path: Path) -> None:
    served = tmp_path / "srv"
    office.walk("a1", title="Rilis Lama")
    laman("build")
    laman("deploy", f"dir:{served}")
    old = tree_digest(served / "current")
    office.walk("a2", title="Rilis Baru", body="Isi baru. " * 2000 + "\n")
    laman("build")
    new = tree_digest(office.path / "output")
    rng = random.Random(27)
    seen = {"old": 0, "new": 0}
    for _trial in range(20):
        proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "deploy", f"dir:{served}"],
            cwd=office.path,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.0, 1.2))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        live = tree_digest(served / "current")
        assert live in (old, new)
        seen["old" if live == old else "new"] += 1
        if live == new:  # start the next trial from the old release again
            laman("rollback", f"dir:{served}")
    assert seen["old"] > 0


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """A real OpenSSH server on 127.0.0.1 with a throwaway host key and user key."""
    assert Path(SSHD).exists(), "openssh-server is needed: `make system-deps` installs it"
    home = tmp_path / "sshd"
    home.mkdir()
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(home / "host")], check=True)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(home / "user")], check=True)
    shutil.copy(home / "user.pub", home / "authorized_keys")
    port = random.Random().randint(20000, 40000)
    (home / "config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {home / 'host'}\nAuthorizedKeysFile {home / 'authorized_keys'}\n"
        f"PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\n"
        f"PermitRootLogin prohibit-password\nPidFile {home / 'pid'}\n"
    )
    Path("/run/sshd").mkdir(exist_ok=True)
    server = subprocess.Popen([SSHD, "-D", "-e", "-f", str(home / "config")], stderr=subprocess.PIPE)
    for _ in range(50):
        probe = subprocess.run(["ssh-keyscan", "-p", str(port), "127.0.0.1"], capture_output=True)
        if probe.stdout:
            break
        time.sleep(0.1)
    yield port, home / "user"
    server.terminate()
    server.wait()


def test_deploy_over_ssh(office: Office, tmp_path: Path, sshd: tuple[int, Path]) -> None:
    port, key = sshd
    user = os.environ.get("USER") or "root"
    remote = tmp_path / "remote-srv"
    options = [
        "--ssh-option",
        f"IdentityFile={key}",
        "--ssh-option",
        "StrictHostKeyChecking=no",
        "--ssh-option",
        "UserKnownHostsFile=/dev/null",
    ]
    office.walk("a1")
    laman("build")
    result = laman("deploy", f"ssh://{user}@127.0.0.1:{port}{remote}", *options)
    assert result.exit_code == 0, result.output
    assert tree_digest(remote / "current") == tree_digest(office.path / "output")
    office.walk("a2")
    laman("build")
    assert laman("deploy", f"ssh://{user}@127.0.0.1:{port}{remote}", *options).exit_code == 0
    back = laman("rollback", f"ssh://{user}@127.0.0.1:{port}{remote}", *options)
    assert back.exit_code == 0, back.output
    assert os.readlink(remote / "current").endswith(office.repo.git("rev-parse", "HEAD~7").strip())
    listed = laman("--lang", "en", "releases", f"ssh://{user}@127.0.0.1:{port}{remote}", *options)
    assert listed.exit_code == 0, listed.output
    live = [line for line in listed.output.splitlines() if "│ live " in line]
    assert len(live) == 1 and office.repo.git("rev-parse", "--short=10", "HEAD~7").strip() in live[0]


def test_embargo_holds_an_article_until_its_moment(office: Office) -> None:
    office.walk("a1", publish_at="2030-01-01 09:00")
    before = laman("build", "--now", "2029-12-31 23:59")
    assert before.exit_code == 0, before.output
    assert "Ditahan embargo: a1" in before.output
    assert not (office.path / "output/a1").exists()
    after = laman("build", "--now", "2030-01-01 09:00")
    assert (office.path / "output/a1/index.html").exists(), after.output


def test_withdrawn_article_leaves_a_notice(office: Office) -> None:
    office.walk("a1", title="Jumlah TPS 318")
    office.write("a1", "withdrawn", "pj", title="Jumlah TPS 318", withdrawal="Angka keliru; seharusnya 314.")
    assert laman("build").exit_code == 0
    notice = (office.path / "output/a1/index.html").read_text()
    assert "Ralat / ditarik" in notice and "Angka keliru; seharusnya 314." in notice
    assert "Isi naskah." not in notice


def test_verify_site_catches_a_page_edited_after_deploy(office: Office, tmp_path: Path) -> None:
    served = tmp_path / "srv"
    office.walk("a1")
    laman("build")
    laman("deploy", f"dir:{served}")
    record = json.loads((served / "current/.well-known/laman-provenance.json").read_text())
    entry = record["articles"][0]
    assert entry["id"] == "a1" and entry["url"] == "/a1/" and entry["commit"] == office.repo.head()
    assert entry["key"] == office.keys["koor"].fingerprint
    assert list(entry["files"]) == ["a1/index.html"]
    ok = laman("verify-site", str(served / "current"))
    assert ok.exit_code == 0, ok.output
    page = served / "current/a1/index.html"
    page.write_text(page.read_text().replace("Isi naskah.", "Isi yang disisipkan."))
    (served / "current/palsu.html").write_text("<p>palsu</p>")
    bad = laman("verify-site", str(served / "current"))
    assert bad.exit_code == 1
    assert "a1/index.html: VER001" in bad.output
    assert "palsu.html: VER002" in bad.output
    record["articles"][0]["blob"] = "0" * 40
    (served / "current/.well-known/laman-provenance.json").write_text(json.dumps(record))
    assert "VER004" in laman("verify-site", str(served / "current")).output


@pytest.mark.parametrize(
    "target",
    [
        "ssh://kpu@[laman.example/srv/laman",
        "ssh://kpu@laman.example:99999/srv",
        "ssh://kpu@laman.example:ab/srv",
    ],
    ids=["a bracket left open", "a port past 65535", "a port that is no number"],
)
def test_a_target_that_cannot_be_read_is_named_not_crashed_on(target: str) -> None:
    with pytest.raises(LamanError) as refused:
        deploy.parse_target(target)
    assert [p.code for p in refused.value.problems] == ["DEP001"]
    assert deploy.parse_target("ssh://kpu@laman.example:2222/srv/laman") == deploy.Target(
        "/srv/laman", "kpu@laman.example", 2222
    )
