"""`laman deploy` under the faults a real office meets: two deploys at once, a CI re-run, a
failure after the switch, a killed deploy, a full disk. What the site serves is read from a
real nginx over HTTP, before, during and after."""

from __future__ import annotations

import fcntl
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.errors import LamanError
from pipeline.proof.history import Repository
from pipeline.site import deploy
from pipeline.site.remote import space_needed
from tests.conftest import Nginx
from tests.office import Keys, Office, laman

# Two files every page view needs: each must be served whole, from one build, at every moment.
PROBES = ("index.html", ".laman-build.json")


@dataclass(frozen=True)
class Build:
    commit: str
    repo: Path  # a clone at `commit`, as a CI job has

    @property
    def site(self) -> Path:
        return self.repo / "output"

    @property
    def short(self) -> str:
        return self.commit[:10]

    @property
    def articles(self) -> int:
        return len(json.loads((self.site / ".laman-build.json").read_text())["articles"])


@pytest.fixture
def office(tmp_path: Path, keys: Keys, monkeypatch: pytest.MonkeyPatch) -> Office:
    made = Office(tmp_path, keys, site=True)
    made.repo.git("config", "user.name", "Petugas CI")
    monkeypatch.chdir(made.path)
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("LAMAN_LANG", "id")
    return made


def built_clone(office: Office, name: str, monkeypatch: pytest.MonkeyPatch) -> Build:
    """HEAD of the office cloned and built, as a CI job checks out its push and builds it."""
    clone = office.path.parent / name
    office.repo.git("clone", "--quiet", str(office.path), str(clone))
    office.repo.git("-C", str(clone), "config", "user.name", f"CI {name}")
    monkeypatch.setenv("LAMAN_TRUST_ANCHOR", office.legacy)  # CI's repository variable
    monkeypatch.chdir(clone)
    assert laman("build").exit_code == 0
    monkeypatch.chdir(office.path)
    return Build(office.repo.head(), clone)


def copy_of_build(office: Office, name: str) -> Build:
    """The office's `output/` kept aside, before a later build replaces it."""
    aside = office.path.parent / name
    shutil.copytree(office.path / "output", aside / "output")
    return Build(office.repo.head(), aside)


class Watch(threading.Thread):
    """Asks nginx for the probes without pause; every answer must be 200 and one build's bytes."""

    def __init__(self, server: Nginx, builds: list[Build]) -> None:
        super().__init__(daemon=True)
        self.server = server
        self.allowed = {path: {(b.site / path).read_bytes() for b in builds} for path in PROBES}
        self.asked = 0
        self.wrong: list[tuple[str, int]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            for path in PROBES:
                status, body = self.server.get(path)
                self.asked += 1
                if status != 200 or body not in self.allowed[path]:
                    self.wrong.append((path, status))
            self.stop.wait(0.005)  # a few hundred answers a second, leaving the cores to the deploys

    def __enter__(self) -> Watch:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.join()


def start_deploy(
    build: Build, where: str, *args: str, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "deploy", where, *args],
        cwd=build.repo,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def log_lines(served: Path) -> list[list[str]]:
    return [line.split("\t") for line in (served / "deploy.log").read_text().splitlines()]


def live(served: Path) -> str:
    return os.readlink(served / "current").removeprefix("releases/")


def nothing_left_over(served: Path) -> bool:
    return not [p for p in served.rglob("*") if p.name.startswith((".incoming-", ".pruned-", ".current-"))]


def test_twenty_pairs_of_concurrent_deploys_end_with_one_whole_release_and_true_words(
    office: Office, tmp_path: Path, nginx: Callable[[Path], Nginx], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten pairs deploy the same build at once (a CI re-run beside its run), ten deploy two
    builds of pushes close together; the older one must never end up live."""
    office.walk("o1", title="Rilis Awal")
    o = built_clone(office, "ci-o", monkeypatch)
    office.walk("a1", title="Rilis A")
    a = built_clone(office, "ci-a", monkeypatch)
    office.walk("b1", title="Rilis B")
    b = built_clone(office, "ci-b", monkeypatch)
    served = tmp_path / "srv"
    where = f"dir:{served}"
    server = nginx(served)
    assert server.get("index.html")[0] == 404  # before the first deploy nothing is served
    monkeypatch.chdir(o.repo)
    assert laman("deploy", where).exit_code == 0
    tally: Counter[str] = Counter()
    began, cpu = time.monotonic(), resource.getrusage(resource.RUSAGE_CHILDREN)
    with Watch(server, [o, a, b]) as watch:
        for n in range(20):
            pair = [a, a] if n < 10 else [a, b] if n % 2 else [b, a]
            logged = len(log_lines(served))
            procs = [start_deploy(build, where) for build in pair]
            ended = [(proc.wait(), *proc.communicate()) for proc in procs]
            tally["waited"] += sum("menunggu hingga" in out for _, out, _ in ended)
            tally[judge_pair(pair, ended, log_lines(served)[logged:], [o, a, b], where)] += 1
            winner = b if b in pair else a
            assert live(served) == winner.commit
            assert server.differences(winner.site) == [], f"pair {n}: nginx does not serve the build"
            assert nothing_left_over(served)
            published = office.repo.git("-C", str(winner.repo), "rev-parse", "refs/laman/published")
            assert published.strip() == winner.commit
            assert laman("rollback", where, "--to", o.short).exit_code == 0  # the next pair starts from O
            for release in (served / "releases").iterdir():
                if release.name != o.commit:
                    shutil.rmtree(release)
    took = time.monotonic() - began
    spent = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_s = spent.ru_utime + spent.ru_stime - cpu.ru_utime - cpu.ru_stime
    assert watch.wrong == [] and watch.asked > 100
    print(
        f"\n20 concurrent pairs in {took:.1f} s ({cpu_s:.1f} s of CPU in the deploys):"
        f" {dict(sorted(tally.items()))}; nginx asked {watch.asked} times during them, each answer whole"
    )


def judge_pair(
    pair: list[Build],
    ended: list[tuple[int, str, str]],
    logged: list[list[str]],
    builds: list[Build],
    where: str,
) -> str:
    """Each command's exit code and words against what the log says happened, in order."""
    o, a, b = builds
    said = [(code, out + err) for code, out, err in ended]
    order = [line[5] for line in logged]
    served = Path(where.removeprefix("dir:"))
    releases = sorted(p.name for p in (served / "releases").iterdir())
    if pair[0] == pair[1]:  # one copies and switches; the other finds it live: nothing copied
        words = sorted(
            "switched"
            if code == 0 and switched(a, where, o) in text
            else "already"
            if code == 0 and f"Sudah tayang: commit {a.short} di {where}; tidak ada yang berubah." in text
            else text
            for code, text in said
        )
        assert words == ["already", "switched"], said
        assert order == [a.commit, a.commit] and releases == sorted([o.commit, a.commit])
        return "same build"
    (a_code, a_text), (b_code, b_text) = (said[pair.index(build)] for build in (a, b))
    if order == [a.commit, b.commit]:
        assert a_code == 0 and switched(a, where, o) in a_text, a_text
        assert b_code == 0 and switched(b, where, a) in b_text, b_text
        assert releases == sorted([o.commit, a.commit, b.commit])
        return "A then B"
    assert order == [b.commit] and releases == sorted([o.commit, b.commit]), order
    assert b_code == 0 and switched(b, where, o) in b_text, b_text
    refusal = (
        f"DEP010 Situs yang tayang di {where} berasal dari commit {b.short}, yang tidak ada dalam riwayat"
    )
    assert a_code == 1 and refusal in a_text and "Tidak ada yang berubah." in a_text, a_text
    return "B first, A refused"


def switched(build: Build, where: str, before: Build) -> str:
    return f"Tayang: commit {build.short} di {where} ({build.articles} naskah). Sebelumnya: rilis {before.short}."


def test_a_b_b_again_then_rollback_serves_a(
    office: Office, tmp_path: Path, nginx: Callable[[Path], Nginx]
) -> None:
    """A CI re-run deploys B's commit again: the release is reused, and rollback still goes to
    A, the previous different commit (it chose the newest folder, B's twin, before)."""
    served = tmp_path / "srv"
    where = f"dir:{served}"
    server = nginx(served)
    office.walk("a1", title="Rilis A")
    assert laman("build").exit_code == 0
    a = copy_of_build(office, "build-a")
    assert laman("deploy", where).exit_code == 0
    office.walk("b1", title="Rilis B")
    assert laman("build").exit_code == 0
    b = copy_of_build(office, "build-b")
    assert laman("deploy", where).exit_code == 0
    assert laman("build").exit_code == 0  # the re-run builds again: the same articles, new timestamps
    again = laman("deploy", where)
    assert again.exit_code == 0
    assert f"Sudah tayang: commit {b.commit[:10]} di {where}; tidak ada yang berubah." in again.output
    assert sorted(p.name for p in (served / "releases").iterdir()) == sorted([a.commit, b.commit])
    with Watch(server, [a, b]) as watch:
        back = laman("rollback", where)
        assert back.exit_code == 0, back.output
        assert (
            f"Dikembalikan ke rilis {a.commit[:10]} di {where}. Sebelumnya: rilis {b.commit[:10]}."
            in back.output
        )
        assert server.differences(a.site) == []
        assert laman("rollback", where).exit_code == 1  # nothing older than A is left to go to
        forward = laman("rollback", where, "--to", b.commit[:7])
        assert forward.exit_code == 0 and f"Dikembalikan ke rilis {b.commit[:10]}" in forward.output
        assert server.differences(b.site) == []
    assert watch.wrong == []
    listed = laman("--lang", "en", "releases", where)
    rows = [line.split("│")[1:-1] for line in listed.output.splitlines() if line.startswith("│")]
    assert [[cell.strip() for cell in row[:2]] for row in rows] == [
        ["live", b.commit[:10]],
        ["", a.commit[:10]],
    ]
    # Deploying A's build again while B is live would take the site back: refused, nothing changed.
    with Repository(office.path) as repo, pytest.raises(LamanError) as backwards:
        deploy.deploy(repo, a.site, where, keep=5, wait=0, now=datetime.now(UTC))
    assert [p.code for p in backwards.value.problems] == ["DEP010"]
    assert server.differences(b.site) == []


def test_an_ended_embargo_is_a_new_release_of_the_same_commit(
    office: Office, tmp_path: Path, nginx: Callable[[Path], Nginx]
) -> None:
    """The hourly run builds the same commit once an embargo ended: other articles, so another
    release (`<commit>.2`), not the old one reused."""
    served = tmp_path / "srv"
    server = nginx(served)
    office.walk("a1")
    office.walk("a2", publish_at="2030-01-01 09:00")
    assert laman("build", "--now", "2029-12-31 23:00").exit_code == 0
    assert laman("deploy", f"dir:{served}").exit_code == 0
    assert server.get("a2/index.html")[0] == 404
    assert laman("build", "--now", "2030-01-01 10:00").exit_code == 0
    later = laman("deploy", f"dir:{served}")
    assert later.exit_code == 0 and "(2 naskah)" in later.output, later.output
    assert live(served) == f"{office.repo.head()}.2"
    assert server.differences(office.path / "output") == []


def test_a_pruning_failure_after_the_switch_exits_0_with_a_warning(
    office: Office, tmp_path: Path, nginx: Callable[[Path], Nginx]
) -> None:
    served = tmp_path / "srv"
    server = nginx(served)
    first = None
    for n in range(2):
        office.walk(f"a{n}", title=f"Rilis {n}")
        assert laman("build").exit_code == 0
        assert laman("deploy", f"dir:{served}", "--keep", "2").exit_code == 0
        first = first or office.repo.head()
    oldest = served / "releases" / str(first)
    subprocess.run(["chattr", "+i", str(oldest)], check=True)  # an old folder no one may move
    try:
        office.walk("a2", title="Rilis 2")
        assert laman("build").exit_code == 0
        result = laman("deploy", f"dir:{served}", "--keep", "2")
    finally:
        subprocess.run(["chattr", "-i", str(oldest)], check=True)
    head = office.repo.head()
    assert result.exit_code == 0, result.output
    assert f"Tayang: commit {head[:10]}" in result.output
    assert f"DEP016 Situs baru sudah tayang, tetapi rilis lama `{first}` tidak dapat dihapus" in result.output
    assert "Operation not permitted" in result.output
    assert office.repo.git("rev-parse", "refs/laman/published").strip() == head
    assert log_lines(served)[-1][1:3] == ["deploy", head]
    assert server.differences(office.path / "output") == []
    office.walk("a3", title="Rilis 3")
    assert laman("build").exit_code == 0
    tidy = laman("deploy", f"dir:{served}", "--keep", "2")
    assert tidy.exit_code == 0 and "DEP016" not in tidy.output
    assert len(list((served / "releases").iterdir())) == 2 and not oldest.exists()


def test_a_killed_deploys_leftovers_are_gone_after_the_next_deploy(
    office: Office, tmp_path: Path, nginx: Callable[[Path], Nginx]
) -> None:
    served = tmp_path / "srv"
    server = nginx(served)
    office.walk("a1", title="Rilis Lama")
    assert laman("build").exit_code == 0
    old = copy_of_build(office, "build-old")
    assert laman("deploy", f"dir:{served}").exit_code == 0
    office.walk("a2", title="Rilis Baru")
    assert laman("build").exit_code == 0
    # A `tar` that unpacks the whole site, then kills the deploy, client and all, before its rename.
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "tar").write_text(f'#!/bin/sh\n{shutil.which("tar")} "$@"\nkill -9 0\n')
    (shim / "tar").chmod(0o755)
    new = Build(office.repo.head(), office.path)
    killed = start_deploy(new, f"dir:{served}", env={"PATH": f"{shim}:{os.environ['PATH']}"})
    assert killed.wait() == -9
    killed.communicate()
    left = list((served / "releases").glob(".incoming-*"))
    assert left and any(left[0].rglob("index.html")), "the kill left no half upload to clean"
    assert server.differences(old.site) == []
    after = laman("deploy", f"dir:{served}")
    assert after.exit_code == 0, after.output
    assert nothing_left_over(served)
    assert server.differences(new.site) == []


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs mount of its own (root only); resized by the test with `mount -o remount`."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.fail(
            f"the full-disk test mounts a small tmpfs, as root; `mount` said: {mounted.stderr.strip()}"
        )
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=True)


def remount(disk: Path, **options: int) -> None:
    listed = ",".join(f"{k}={v}" for k, v in options.items())
    subprocess.run(["mount", "-o", f"remount,{listed}", str(disk)], check=True)


def fill(disk: Path, leave: int, name: str = "filler") -> None:
    """Write a file at `disk/name` until only `leave` bytes are free."""
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    with open(disk / name, "wb") as filler:
        filler.write(b"\0" * max(0, free - leave))


def kb(n: int) -> str:
    """Bytes as the messages write them in Indonesian: whole kilobytes, `.` between thousands."""
    return f"{-(-n // 1024):,} KB".replace(",", ".")


def test_a_full_disk_is_reported_with_the_space_and_the_old_site_stays(
    office: Office, small_disk: Path, nginx: Callable[[Path], Nginx]
) -> None:
    where = f"dir:{small_disk}"
    server = nginx(small_disk)
    office.walk("a1", title="Rilis 1")
    assert laman("build").exit_code == 0
    one = space_needed(office.path / "output")
    remount(small_disk, size=4 * one + 256 * 1024, nr_inodes=10_000)
    assert laman("deploy", where).exit_code == 0
    # A deploy killed while unpacking left a folder that filled the disk: the retry clears it first.
    (small_disk / "releases/.incoming-4242").mkdir()
    fill(small_disk / "releases/.incoming-4242", 0)
    office.walk("a2", title="Rilis 2")
    assert laman("build").exit_code == 0
    retry = laman("deploy", where)
    assert retry.exit_code == 0, retry.output
    a = copy_of_build(office, "build-a")
    office.walk("a3", title="Rilis 3")
    assert laman("build").exit_code == 0
    needed = space_needed(office.path / "output")
    fill(small_disk, needed // 2)  # someone else's file leaves half of what the site needs
    full = laman("deploy", where)
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    assert full.exit_code == 1
    assert (
        f"DEP011 Ruang di tujuan tidak cukup: situs ini perlu {kb(needed)}, yang tersisa {kb(free)}."
        in full.output
    )
    assert server.differences(a.site) == [] and nothing_left_over(small_disk)
    # Room in bytes, but too few inodes: the disk fills while unpacking, and says so.
    (small_disk / "filler").unlink()
    used = os.statvfs(small_disk).f_files - os.statvfs(small_disk).f_ffree
    remount(small_disk, nr_inodes=used + 12)
    unpacked = laman("deploy", where)
    assert unpacked.exit_code == 1
    assert "DEP012 Disk di tujuan penuh saat situs dibongkar (" in unpacked.output
    assert "No space left on device" in unpacked.output, unpacked.output
    assert server.differences(a.site) == [] and nothing_left_over(small_disk)
    remount(small_disk, nr_inodes=10_000)
    assert laman("deploy", where).exit_code == 0
    assert server.differences(office.path / "output") == []
    print(f"\nfull disk: the site needs {kb(needed)}, {kb(free)} free: {full.output.splitlines()[0]}")


def test_a_deploy_cut_off_after_the_switch_asks_the_target_and_says_live(
    office: Office, tmp_path: Path, nginx: Callable[[Path], Nginx], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The script dies the moment `current` is renamed, before it can say so (a connection cut):
    the command asks the target again, and reports the new site live, with a warning."""
    served = tmp_path / "srv"
    server = nginx(served)
    office.walk("a1", title="Rilis Lama")
    assert laman("build").exit_code == 0
    assert laman("deploy", f"dir:{served}").exit_code == 0
    office.walk("a2", title="Rilis Baru")
    assert laman("build").exit_code == 0
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "mv").write_text(
        f'#!/bin/sh\n{shutil.which("mv")} "$@" || exit\ncase "$*" in *" current") kill -9 "$PPID";; esac\n'
    )
    (shim / "mv").chmod(0o755)
    with monkeypatch.context() as shimmed:
        shimmed.setenv("PATH", f"{shim}:{os.environ['PATH']}")
        cut = laman("deploy", f"dir:{served}")
    head = office.repo.head()
    assert cut.exit_code == 0, cut.output
    assert f"Tayang: commit {head[:10]}" in cut.output
    assert (
        f"DEP020 Situs sudah berganti (tayang: rilis {head[:10]}), tetapi proses di tujuan berhenti"
        in cut.output
    )
    assert office.repo.git("rev-parse", "refs/laman/published").strip() == head
    assert server.differences(office.path / "output") == []


def test_a_second_deploy_waits_for_the_lock_saying_so_or_refuses(office: Office, tmp_path: Path) -> None:
    served = tmp_path / "srv"
    office.walk("a1")
    assert laman("build").exit_code == 0
    served.mkdir()
    with open(served / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # what a running deploy's `flock` holds
        refused = laman("deploy", f"dir:{served}", "--wait", "0")
        assert refused.exit_code == 1
        assert (
            f"DEP009 Deploy atau rollback lain ke dir:{served} masih berjalan setelah ditunggu 0 detik"
            in refused.output
        )
        assert not (served / "current").exists()
        threading.Timer(1.0, fcntl.flock, (lock, fcntl.LOCK_UN)).start()
        waited = laman("deploy", f"dir:{served}", "--wait", "30")
    assert waited.exit_code == 0, waited.output
    assert waited.output.startswith(
        f"Deploy atau rollback lain ke dir:{served} sedang berjalan; menunggu hingga 30 detik"
    )
    assert live(served) == office.repo.head()
