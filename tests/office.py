"""A small office in a temp folder: real keys, a real repository, articles walked through the SOP."""

from __future__ import annotations

import gzip
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner, Result

from pipeline.cli import main
from pipeline.proof.check import CheckResult, run_check
from tests.gitrepo import GitRepo, Identity, make_identity

ROOT = Path(__file__).resolve().parent.parent
SOP_TEXT = (ROOT / "sop.yml").read_text("utf-8")

# Who takes each step of the flow in the sample office.
STEP_BY = {
    "dispositioned": "pj",
    "assigned": "redaktur",
    "drafted": "writer",
    "corrected": "pasca",
    "submitted": "redaktur",
    "verified": "koor",
}
FLOW = ["planned", "dispositioned", "assigned", "drafted", "corrected", "submitted", "verified"]
# Everyone who takes a step, the creation (planned) included.
BY = {"planned": "pj", **STEP_BY}
ROLES = {
    "pj": "penanggung_jawab",
    "koor": "koordinator_liputan",
    "redaktur": "redaktur_pelaksana",
    "writer": "tim_peliputan",
    "writer2": "tim_peliputan",
    "pasca": "tim_pasca_produksi",
}


@dataclass(frozen=True)
class Keys:
    people: dict[str, Identity]

    def __getitem__(self, who: str) -> Identity:
        return self.people[who]


def make_keys(folder: Path) -> Keys:
    names = {
        "pj": "Penanggung Jawab",
        "koor": "Koordinator Liputan",
        "redaktur": "Redaktur Pelaksana",
        "writer": "Penulis Satu",
        "writer2": "Penulis Dua",
        "pasca": "Pasca Produksi",
        "attacker": "Orang Luar",
    }
    return Keys({who: make_identity(folder, name, f"{who}@kpu.example") for who, name in names.items()})


def team_yaml(
    keys: Keys, people: dict[str, list[str]] | None = None, extra_keys: dict[str, list[str]] | None = None
) -> str:
    people = people or {who: [role] for who, role in ROLES.items()}
    lines = ["people:"]
    for who, roles in people.items():
        ident = keys[who]
        lines += [
            f"  - id: {who}",
            f"    name: {ident.name}",
            f"    email: {ident.email}",
            f"    roles: [{', '.join(roles)}]",
            "    keys:",
            f"      - {ident.public_line}",
        ]
        lines += [f"      - {k}" for k in (extra_keys or {}).get(who, [])]
    return "\n".join(lines) + "\n"


# What the Daftar Informasi Publik asks of an article from its submission on (`information.REQUIRED`).
DIP_COLUMNS = [
    "  unit: Sekretariat",
    "  responsible: Sekretaris",
    "  made: 2023-03-06",
    "  place: Tuapejat",
    "  format: [softcopy]",
    "  retention: {active: 2 tahun, inactive: 3 tahun}",
]


def article_text(
    ident: str, stage: str, title: str = "Rapat Pleno DPT", body: str = "Isi naskah.\n", **fields: object
) -> str:
    meta = {
        "id": ident,
        "title": title,
        "stage": stage,
        "category": "Berita",
        "summary": "Ringkasan naskah.",
        "date": "2023-03-06 10:00",
        "slug": ident,
        "disposition": None,
        "assignee": "writer@kpu.example",
        "information": None,
    }
    meta.update(fields)
    lines = ["---"]
    for key, value in meta.items():
        if key == "disposition" and value is None and stage != "planned":
            lines += [
                "disposition:",
                "  number: 045/HM.03/III/2023",
                "  date: 2023-03-06",
                "  from: PPID Pembantu",
                "  subject: Publikasi rapat pleno",
                "  instruction: Segera susun materi",
            ]
        elif key == "information" and value is None:  # the public-information list's columns too
            lines += ["information:", "  class: berkala", *DIP_COLUMNS]
        elif key == "information" and isinstance(value, str):
            lines += ["information:", f"  class: {value}"]
            if value != "dikecualikan":
                lines += DIP_COLUMNS
            else:
                lines += [
                    "  exemption:",
                    "    legal_basis: UU 14/2008 Pasal 17 huruf c",
                    "    consequence: Membahayakan pengamanan logistik",
                    "    period: 2 tahun",
                    "    decision: 01/PPID/2023",
                ]
        elif key == "information" and isinstance(value, dict):  # as given, nothing added
            lines += ["information:", *(f"  {k}: {v}" for k, v in value.items())]
        elif value is not None and key not in ("disposition", "information"):
            lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n---\n" + body


SITE_FILES = ("pelicanconf.py", "publishconf.py", "theme")


class Office:
    """A repository set up as an office that has run `laman init`; with `site`, a copy of the
    project's Pelican settings and theme too."""

    def __init__(self, folder: Path, keys: Keys, *, anchor: bool = True, site: bool = False) -> None:
        self.keys = keys
        self.repo = GitRepo(folder / "repo")
        self.path = self.repo.path
        self.repo.write("sop.yml", SOP_TEXT)
        self.repo.write("team.yml", team_yaml(keys))
        self.repo.write("README.md", "Laman\n")
        if site:
            for name in SITE_FILES:
                source = ROOT / name
                if source.is_dir():
                    shutil.copytree(source, self.path / name)
                else:
                    shutil.copy(source, self.path / name)
        self.legacy = self.repo.commit("Legacy content", keys["pj"])
        if anchor:
            self.set_sop(re.sub(r"^trust_anchor:.*$", f"trust_anchor: {self.legacy}", SOP_TEXT, flags=re.M))
            self.repo.commit(f"Penegakan SOP dimulai\n\nSOP-Anchor: {self.legacy}", keys["pj"])
            self.repo.git("config", "laman.anchor", self.legacy)  # as `laman init` keeps it

    def set_sop(self, text: str) -> None:
        self.repo.write("sop.yml", text)

    def file(self, ident: str) -> str:
        return f"content/berita/{ident}.md"

    def write(
        self,
        ident: str,
        stage: str,
        by: str | None,
        *,
        path: str | None = None,
        sign: bool = True,
        **fields: object,
    ) -> str:
        """Write the article at `stage` and commit it as `by` (None: unsigned, no identity)."""
        self.repo.write(path or self.file(ident), article_text(ident, stage, **fields))
        who = self.keys[by] if by else None
        return self.repo.commit(f"{ident}: {stage}", who, sign=sign)

    def create(self, ident: str, by: str = "pj", **fields: object) -> str:
        return self.write(ident, "planned", by, **fields)

    def walk(self, ident: str, to: str = "verified", **fields: object) -> str:
        """Create the article and take it through every step up to `to`, each by its role."""
        last = self.create(ident, **fields)
        for stage in FLOW[1 : FLOW.index(to) + 1]:
            last = self.write(ident, stage, STEP_BY[stage], **fields)
        return last

    def merge_signed(self, branch: str, by: str = "pj") -> str:
        """Merge `branch` into the current branch with a merge commit signed by `by` (every commit
        on main is signed, a merge too)."""
        ident = self.keys[by]
        env = {"GIT_COMMITTER_NAME": ident.name, "GIT_COMMITTER_EMAIL": ident.email}
        env |= {"GIT_AUTHOR_NAME": ident.name, "GIT_AUTHOR_EMAIL": ident.email}
        signing = ("-c", f"user.signingkey={ident.key_path}")
        self.repo.git(*signing, "merge", "-q", "-S", "--no-ff", "-m", f"Merge {branch}", branch, env=env)
        return self.repo.head()

    def sign_as(self, who: str) -> None:
        """Set the repository's own git config so that commands run here sign as `who`."""
        ident = self.keys[who]
        for key, value in (
            ("user.name", ident.name),
            ("user.email", ident.email),
            ("user.signingkey", str(ident.key_path)),
            ("gpg.format", "ssh"),
        ):
            self.repo.git("config", key, value)

    def check(self, **kwargs: object) -> CheckResult:
        return run_check(self.path, use_cache=False, **kwargs)  # type: ignore[arg-type]


def codes(result: CheckResult) -> list[str]:
    return [v.code for v in result.violations]


def laman(*args: str) -> Result:
    """The `laman` command, in this process, as a user would type it."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def every_text(folder: Path) -> Iterator[tuple[str, str]]:
    """Every file's text below `folder` (named relative to it), with gzip (any compressed file)
    and zip (XLSX) members unpacked: where a leaked marker would hide."""
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        name = path.relative_to(folder).as_posix()
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        if data[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(path) as packed:
                for member in packed.namelist():
                    yield f"{name}!{member}", packed.read(member).decode("utf-8", "replace")
            continue
        yield name, data.decode("utf-8", "replace")
