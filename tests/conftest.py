from __future__ import annotations

import http.client
import os
import socket
import subprocess
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pipeline.model.sop import Sop, load_sop_file
from tests.office import Keys, make_keys

if TYPE_CHECKING:
    from pipeline.model.team import Team

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _no_ci_anchor(monkeypatch: pytest.MonkeyPatch) -> None:
    """CI's trust anchor (LAMAN_TRUST_ANCHOR) belongs to this project's own repository, not to
    the offices the tests make."""
    monkeypatch.delenv("LAMAN_TRUST_ANCHOR", raising=False)


@pytest.fixture
def isolated_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The commands run as on a fresh machine: no global git config, HOME a temp folder, the
    default language, and a terminal wide enough that no message is folded."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("LAMAN_LANG", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("COLUMNS", "400")


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    """Real SSH keys for the sample office's people, made once per test run."""
    return make_keys(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="session")
def sop() -> Sop:
    return load_sop_file(ROOT / "sop.yml")


@pytest.fixture(scope="session")
def team(sop: Sop) -> Team:
    from pipeline.model.team import load_team_file

    return load_team_file(ROOT / "team.yml", sop)


@dataclass(frozen=True)
class Nginx:
    """A running nginx serving `<root>/current` at `url`: what a reader of the site gets."""

    url: str
    root: Path

    def get(self, path: str) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection(self.url.removeprefix("http://"), timeout=10)
        try:
            connection.request("GET", "/" + urllib.parse.quote(path))
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def differences(self, site: Path) -> list[str]:
        """The files of the build in `site` that the server does not serve byte for byte."""
        files = sorted(p for p in site.rglob("*") if p.is_file())
        names = [p.relative_to(site).as_posix() for p in files]
        return [
            name
            for name, path in zip(names, files, strict=True)
            if self.get(name) != (200, path.read_bytes())
        ]


NGINX = "/usr/sbin/nginx"


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[Callable[[Path], Nginx]]:
    """Start the Debian package's nginx, with its own configuration and prefix in a temp folder,
    on a free loopback port, serving `root/current` (a symlink a deploy switches)."""
    assert Path(NGINX).exists(), "nginx is needed: `make system-deps` installs it"
    running: list[subprocess.Popen[bytes]] = []

    def serve(root: Path) -> Nginx:
        prefix = Path(tempfile.mkdtemp(prefix="nginx-", dir=tmp_path))
        for _attempt in range(5):  # the port may be taken between choosing and binding
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
            (prefix / "nginx.conf").write_text(_nginx_conf(prefix, root, port))
            args = [
                NGINX,
                "-p",
                str(prefix),
                "-c",
                str(prefix / "nginx.conf"),
                "-e",
                str(prefix / "error.log"),
            ]
            server = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if _listening(port, server):
                running.append(server)
                return Nginx(f"http://127.0.0.1:{port}", root)
            server.kill()
            server.wait()
        raise AssertionError(f"nginx did not start: {(prefix / 'error.log').read_text()}")

    yield serve
    for server in running:
        server.terminate()
        server.wait()


def _nginx_conf(prefix: Path, root: Path, port: int) -> str:
    temps = "".join(
        f"    {kind}_temp_path {prefix / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;\n" if os.geteuid() == 0 else ""  # its workers must read the test's 0700 folders
    return (
        f"daemon off;\nworker_processes 1;\npid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'};\n{user}"
        "events { worker_connections 256; }\n"
        "http {\n    access_log off;\n    open_file_cache off;\n    default_type application/octet-stream;\n"
        f"{temps}    server {{\n        listen 127.0.0.1:{port};\n        root {root / 'current'};\n    }}\n}}\n"
    )


def _listening(port: int, server: subprocess.Popen[bytes]) -> bool:
    for _ in range(100):
        if server.poll() is not None:
            return False
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.05)
    return False
