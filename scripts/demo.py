"""`make demo`: a newcomer's tour of Laman in a throwaway repository.

Five people get their own SSH keys; three articles walk through SOP 27/2023 with `laman
advance`; two attempts to cheat are caught by `laman check`; the site is built from what was
verified. Every command shown is run for real.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAMAN = [sys.executable, "-m", "pipeline"]
PEOPLE = {
    "pj": ("Yohanes Saleleubaja", "penanggung_jawab"),
    "koor": ("Maria Sababalat", "koordinator_liputan"),
    "redaktur": ("Darius Samaloisa", "redaktur_pelaksana"),
    "rina": ("Rina Sakerebau", "tim_peliputan"),
    "agnes": ("Agnes Satoleuru", "tim_pasca_produksi"),
}


class Tour:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.repo = folder / "kantor"
        self.keys = folder / "kunci"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
            "HOME": str(folder),
            "GIT_CONFIG_GLOBAL": str(folder / "gitconfig"),
            "GIT_CONFIG_NOSYSTEM": "1",
            "PYTHONPATH": str(ROOT),
            "COLUMNS": "110",
        }

    def say(self, text: str) -> None:
        print(f"\n\033[1;34m== {text}\033[0m")

    def run(self, *args: str, show: bool = True, ok: bool = True) -> subprocess.CompletedProcess[str]:
        shown = " ".join(shlex.quote(a) for a in args).replace(" ".join(LAMAN), "laman")
        if show:
            print(f"\033[2m$ {shown}\033[0m")
        done = subprocess.run(args, cwd=self.repo, env=self.env, capture_output=True, text=True)
        if show:
            print((done.stdout + done.stderr).rstrip())
        if ok and done.returncode != 0:
            raise SystemExit(f"demo step failed: {shown}\n{done.stdout}{done.stderr}")
        return done

    def laman(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run(*LAMAN, *args, ok=ok)

    def git(self, *args: str) -> str:
        return self.run("git", *args, show=False).stdout.strip()

    def be(self, who: str) -> None:
        name, _ = PEOPLE[who]
        self.git("config", "user.name", name)
        self.git("config", "user.email", f"{who}@kpu-mentawai.example")
        self.git("config", "user.signingkey", str(self.keys / who))
        print(f"\033[2m(sekarang bekerja sebagai {name} — {PEOPLE[who][1]})\033[0m")

    def setup(self) -> None:
        self.keys.mkdir()
        for who in PEOPLE:
            subprocess.run(
                [
                    "ssh-keygen",
                    "-q",
                    "-t",
                    "ed25519",
                    "-N",
                    "",
                    "-C",
                    f"{who}@kpu-mentawai.example",
                    "-f",
                    str(self.keys / who),
                ],
                check=True,
            )
        self.repo.mkdir()
        for name in ("sop.yml", "pelicanconf.py", "publishconf.py"):
            shutil.copy(ROOT / name, self.repo / name)
        shutil.copytree(ROOT / "theme", self.repo / "theme")
        (self.repo / "team.yml").write_text("people: []\n")
        (self.repo / ".gitignore").write_text("output/\n.laman-cache/\n")
        self.git("init", "-q", "-b", "main")
        self.git("config", "gpg.format", "ssh")
        self.be("pj")
        self.git("add", "-A")
        self.git("commit", "-q", "-m", "Templat Laman")

    def team(self) -> str:
        lines = ["people:"]
        for who, (name, role) in PEOPLE.items():
            key = (self.keys / f"{who}.pub").read_text().strip()
            lines += [
                f"  - id: {who}",
                f"    name: {name}",
                f"    email: {who}@kpu-mentawai.example",
                f"    roles: [{role}]",
                "    keys:",
                f"      - {key}",
            ]
        return "\n".join(lines) + "\n"

    def fill(self, path: Path, **fields: str) -> None:
        """What a person types into the article at their step (here: a few front-matter lines)."""
        text = path.read_text()
        head, _, body = text.partition("\n---\n")
        for key, value in fields.items():
            head += f"\n{key}: {value}" if not value.startswith("\n") else f"\n{key}:{value}"
        path.write_text(f"{head}\n---\n{body}")

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-S", "-m", message)

    def walk(self) -> None:
        self.say("1. Penanggung jawab memulai penegakan SOP (laman init)")
        self.laman("init")
        self.say("Penanggung jawab menambahkan tim ke team.yml (commit bertanda tangan)")
        (self.repo / "team.yml").write_text(self.team())
        self.commit("Tim redaksi")
        self.laman("sop")

        self.say("2. Naskah A: dari proyeksi sampai terverifikasi")
        self.laman("new", "Rapat Pleno Penetapan DPT Pilkada 2024", "--no-branch")
        article = self.repo / "content/berita/rapat-pleno-penetapan-dpt-pilkada-2024.md"
        self.commit("Proyeksi: rapat pleno DPT")
        disposition = (
            "\n  number: 201/PL.02.1/IX/2024\n  date: 2024-09-18\n  from: PPID Pembantu\n"
            "  subject: Publikasi penetapan DPT\n  instruction: Susun berita penetapan DPT"
        )
        self.fill(article, disposition=disposition)
        self.commit("Isi lembar disposisi")
        self.laman("advance", str(article), "dispositioned")
        self.be("redaktur")
        self.fill(article, assignee="rina@kpu-mentawai.example")
        self.commit("Tugaskan Rina")
        self.laman("advance", str(article), "assigned")
        self.laman("status")
        self.be("rina")
        self.fill(
            article,
            summary="KPU Mentawai menetapkan 68.112 pemilih dalam DPT Pilkada 2024.",
            date="2024-09-20 14:00",
        )
        self.laman("advance", str(article), "drafted", ok=False)
        self.commit("Tulis naskah")
        self.laman("advance", str(article), "drafted")
        self.be("agnes")
        self.laman("advance", str(article), "corrected")
        self.be("redaktur")
        self.laman("advance", str(article), "submitted", ok=False)  # the public information first
        information = (
            "\n  class: berkala\n  unit: Subbagian Perencanaan, Data dan Informasi\n"
            "  responsible: Sekretaris KPU Kabupaten Kepulauan Mentawai\n  made: 2024-09-20\n"
            "  place: Tuapejat\n  format: [softcopy]\n  retention: {active: 2 tahun, inactive: 3 tahun}"
        )
        self.fill(article, information=information)
        self.commit("Klasifikasi informasi")
        self.laman("advance", str(article), "submitted")
        self.be("koor")
        self.laman("advance", str(article), "drafted", "--reason", "Sebutkan jumlah TPS dan sumber angkanya.")
        self.say("Naskah dikembalikan untuk perbaikan; Rina memperbaiki, lalu diverifikasi lagi")
        self.be("rina")
        body = article.read_text().replace(
            "Tulis naskah di sini.", "Tuapejat – DPT ditetapkan 68.112 pemilih di 314 TPS (berita acara PPK)."
        )
        article.write_text(body)
        self.commit("Perbaiki angka")
        self.be("agnes")
        self.laman("advance", str(article), "corrected")
        self.be("redaktur")
        self.laman("advance", str(article), "submitted")
        self.be("koor")
        self.laman("advance", str(article), "verified")
        self.laman("check")

        self.say("3. Naskah B: penulis mencoba memverifikasi tulisannya sendiri (di cabang)")
        self.git("switch", "-q", "-c", "naskah/curang")
        self.be("rina")
        self.laman("advance", str(article), "withdrawn", "--reason", "coba", ok=False)
        text = article.read_text().replace("stage: verified", "stage: submitted")
        self.be("redaktur")
        article.write_text(text)
        self.commit("Ajukan lagi")
        self.be("rina")
        self.laman("advance", str(article), "verified", ok=False)
        article.write_text(text.replace("stage: submitted", "stage: verified"))
        self.commit("Verifikasi sendiri (melewati laman advance)")
        self.say("4. Naskah C: commit tanpa tanda tangan mengaku 'verified'")
        self.git("-c", "commit.gpgSign=false", "commit", "-q", "--allow-empty", "-m", "kosong")
        other = self.repo / "content/berita/tanpa-tanda-tangan.md"
        other.write_text(article.read_text().replace("id: ", "id: x").replace("slug: ", "slug: x-"))
        self.git("add", "-A")
        self.git("-c", "commit.gpgSign=false", "commit", "-q", "-m", "Tayangkan saja")
        self.say("laman check pada pull request: kebijakan dibaca dari main")
        self.laman("check", "--range", "main..naskah/curang", ok=False)
        self.git("switch", "-q", "main")

        self.say("5. Situs dibangun dari naskah yang terverifikasi di main")
        self.laman("build", "--local")
        print(f"\nBuka {self.repo / 'output/index.html'} di peramban. Folder demo: {self.folder}")


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="laman-demo-"))
    tour = Tour(folder)
    tour.setup()
    tour.walk()


if __name__ == "__main__":
    main()
