"""A synthetic office history, written straight into a git object store.

`git fast-import` cannot write signed commits, so the objects are made here: blobs, trees and
SSH-signed commits (SSHSIG over the commit, as git itself signs), their ids computed in Python
and written as loose objects, then packed once. No process per commit.
"""

from __future__ import annotations

import base64
import hashlib
import os
import random
import struct
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ROOT = Path(__file__).resolve().parent.parent
FLOW = [
    ("planned", "pj"),
    ("dispositioned", "pj"),
    ("assigned", "redaktur"),
    ("drafted", "writer"),
    ("corrected", "pasca"),
    ("submitted", "redaktur"),
    ("verified", "koor"),
]
ROLES = {
    "pj": "penanggung_jawab",
    "koor": "koordinator_liputan",
    "redaktur": "redaktur_pelaksana",
    "writer": "tim_peliputan",
    "pasca": "tim_pasca_produksi",
}
BUCKET = 50  # articles per folder, so that a commit rewrites small trees only


def _string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


@dataclass
class Signer:
    who: str
    key: Ed25519PrivateKey

    @property
    def public_blob(self) -> bytes:
        raw = self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return _string(b"ssh-ed25519") + _string(raw)

    @property
    def public_line(self) -> str:
        return "ssh-ed25519 " + base64.b64encode(self.public_blob).decode()

    def sign(self, payload: bytes) -> bytes:
        digest = hashlib.sha512(payload).digest()
        signed = b"SSHSIG" + _string(b"git") + _string(b"") + _string(b"sha512") + _string(digest)
        wrapped = _string(b"ssh-ed25519") + _string(self.key.sign(signed))
        blob = (
            b"SSHSIG"
            + struct.pack(">I", 1)
            + _string(self.public_blob)
            + _string(b"git")
            + _string(b"")
            + _string(b"sha512")
            + _string(wrapped)
        )
        text = base64.b64encode(blob)
        lines = [text[i : i + 70] for i in range(0, len(text), 70)]
        return b"\n".join([b"-----BEGIN SSH SIGNATURE-----", *lines, b"-----END SSH SIGNATURE-----"])


class ObjectStore:
    """Computes git object ids and writes loose objects into a repository."""

    def __init__(self, git_dir: Path) -> None:
        self.objects = git_dir / "objects"
        self.written: set[str] = set()

    def put(self, kind: str, body: bytes) -> str:
        data = f"{kind} {len(body)}\0".encode() + body
        oid = hashlib.sha1(data).hexdigest()
        if oid not in self.written:
            folder = self.objects / oid[:2]
            folder.mkdir(exist_ok=True)
            (folder / oid[2:]).write_bytes(zlib.compress(data, 1))
            self.written.add(oid)
        return oid

    def tree(self, entries: dict[str, tuple[str, str]]) -> str:
        """entries: name -> (mode, id); git sorts names, folders as if they ended in '/'."""

        def order(name: str) -> bytes:
            mode = entries[name][0]
            return (name + "/").encode() if mode == "40000" else name.encode()

        body = b"".join(
            f"{entries[n][0]} {n}".encode() + b"\0" + bytes.fromhex(entries[n][1])
            for n in sorted(entries, key=order)
        )
        return self.put("tree", body)


def article(index: int, stage: str, edit: int) -> bytes:
    """Front matter shaped like the template's articles (content/berita/): quoted agenda numbers,
    flow lists and mappings, an en dash, the DIP fields."""
    ident = f"bench-{index:05d}"
    lines = [
        "---",
        f"id: {ident}",
        f"title: Berita uji nomor {index} – Rapat Pleno"
        if index % 5
        else f'title: "Pengumuman {index}: Rapat Pleno"',
        f"stage: {stage}",
        "category: Berita",
        "tags: [Pemilu 2024, Uji, Rapat Pleno]",
        f"date: 2024-0{1 + index % 9}-1{index % 9} 10:00",
        f"summary: Ringkasan berita uji nomor {index}, disusun untuk mengukur pemeriksaan riwayat.",
        f"slug: {ident}",
        "author: Penulis Uji",
        "dateline: Tuapejat",
    ]
    if stage != "planned":
        lines += [
            "disposition:",
            f"  number: {index:03d}/HM.03/III/2024",
            "  date: 2024-03-06",
            "  received: 2024-03-06",
            f'  agenda: "{index % 1000:03d}"',
            "  from: PPID Pembantu",
            "  nature: segera",
            "  subject: Publikasi kegiatan",
            "  forwarded_to: Redaktur Pelaksana",
            "  actions: [proses lebih lanjut, koordinasikan]",
            "  instruction: Segera susun materi",
            "  given_by: Pemimpin Redaksi",
        ]
    lines += [
        "assignee: writer@kpu.example",
        "information:",
        "  class: berkala",
        "  unit: Subbagian Teknis Penyelenggaraan Pemilu",
        "  responsible: Ketua KPU Kabupaten Kepulauan Mentawai",
        "  place: Tuapejat",
        "  made: 2024-03-06",
        "  format: [softcopy]",
        "  retention: {active: 2 tahun, inactive: 3 tahun}",
        "channels: [website, facebook]",
        "---",
        "",
    ]
    body = (
        f"Tuapejat – Naskah uji nomor {index}, suntingan {edit}.\n\n" + ("Kalimat isi berita. " * 40) + "\n"
    )
    return ("\n".join(lines) + body).encode()


def team_yaml(signers: dict[str, Signer]) -> bytes:
    out = ["people:"]
    for who, signer in signers.items():
        out += [
            f"  - id: {who}",
            f"    name: Orang {who}",
            f"    email: {who}@kpu.example",
            f"    roles: [{ROLES[who]}]",
            "    keys:",
            f"      - {signer.public_line}",
        ]
    return ("\n".join(out) + "\n").encode()


def build(path: Path, articles: int, commits: int, *, seed: int = 7) -> dict[str, object]:
    """Create the repository at `path`; return facts about it."""
    rng = random.Random(seed)
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    store = ObjectStore(path / ".git")
    signers = {who: Signer(who, Ed25519PrivateKey.from_private_bytes(rng.randbytes(32))) for who in ROLES}
    sop_text = (ROOT / "sop.yml").read_text("utf-8").encode()
    top = {
        "sop.yml": ("100644", store.put("blob", sop_text)),
        "team.yml": ("100644", store.put("blob", team_yaml(signers))),
        "README.md": ("100644", store.put("blob", b"Laman uji\n")),
    }
    buckets: dict[int, dict[str, tuple[str, str]]] = {}
    bucket_trees: dict[str, tuple[str, str]] = {}  # only the bucket a commit touched is rehashed
    state = [0] * articles  # index of the next step for each article
    edits = [0] * articles
    when = 1_700_000_000
    parent: str | None = None
    signed = 0

    def commit(message: str, by: str | None) -> str:
        nonlocal parent, when, signed
        berita = store.tree(bucket_trees) if bucket_trees else None
        root = dict(top)
        if berita:
            root["content"] = ("40000", store.tree({"berita": ("40000", berita)}))
        tree = store.tree(root)
        when += 60
        who = by or "bot"
        header = f"tree {tree}\n" + (f"parent {parent}\n" if parent else "")
        header += f"author Orang {who} <{who}@kpu.example> {when} +0700\ncommitter Orang {who} <{who}@kpu.example> {when} +0700\n"
        payload = (header + f"\n{message}\n").encode()
        if by is not None:
            signature = signers[by].sign(payload)
            gpgsig = b"gpgsig " + signature.replace(b"\n", b"\n ")
            payload = header.encode() + gpgsig + f"\n\n{message}\n".encode()
            signed += 1
        parent = store.put("commit", payload)
        return parent

    anchor = commit("Legacy", "pj")
    sop_anchored = sop_text.replace(b"trust_anchor: null", f"trust_anchor: {anchor}".encode())
    top["sop.yml"] = ("100644", store.put("blob", sop_anchored))
    commit(f"Penegakan SOP dimulai\n\nSOP-Anchor: {anchor}", "pj")
    made = 2
    # Edits of drafts fill what the seven steps of every article leave of the commit budget.
    extra_edits = max(0.0, commits * 0.95 - articles * len(FLOW)) / max(1, articles)
    pool: list[int] = []
    opened = 0
    while made < commits and (pool or opened < articles):
        while len(pool) < 40 and opened < articles:
            pool.append(opened)
            opened += 1
        if rng.random() < 0.05:
            top["README.md"] = ("100644", store.put("blob", f"Laman uji {made}\n".encode()))
            commit(f"Catatan {made}", None)
            made += 1
            continue
        index = rng.choice(pool)
        step = state[index]
        if step == 4 and edits[index] < extra_edits:
            edits[index] += 1  # the writer edits the draft again
            stage, by = "drafted", "writer"
        else:
            stage, by = FLOW[step]
            state[index] += 1
            if state[index] == len(FLOW):
                pool.remove(index)
        blob = store.put("blob", article(index, stage, edits[index]))
        entries = buckets.setdefault(index // BUCKET, {})
        entries[f"bench-{index:05d}.md"] = ("100644", blob)
        bucket_trees[f"{index // BUCKET:03d}"] = ("40000", store.tree(entries))
        commit(f"bench-{index:05d}: {stage}", by)
        made += 1
    subprocess.run(["git", "-C", str(path), "update-ref", "refs/heads/main", parent or ""], check=True)
    # The anchor the check believes, kept outside the history as `laman init` keeps it.
    subprocess.run(["git", "-C", str(path), "config", "laman.anchor", anchor], check=True)
    subprocess.run(["git", "-C", str(path), "repack", "-a", "-d", "-q"], check=True)
    subprocess.run(["git", "-C", str(path), "prune-packed"], check=True)
    return {"commits": made, "articles": opened, "signed": signed, "signers": signers}


def add_commit(path: Path, signer: Signer, who: str) -> None:
    """One more signed commit on top, as an office would push after a check."""
    readme = path / "README.md"
    env = {**os.environ, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "-C", str(path), "checkout", "-q", "-f", "main"], check=True, env=env)
    readme.write_text(readme.read_text() + "Satu baris lagi.\n")
    subprocess.run(["git", "-C", str(path), "add", "README.md"], check=True, env=env)
    tree = subprocess.run(
        ["git", "-C", str(path), "write-tree"], check=True, capture_output=True, text=True, env=env
    ).stdout.strip()
    head = subprocess.run(
        ["git", "-C", str(path), "rev-parse", "HEAD"], check=True, capture_output=True, text=True, env=env
    ).stdout.strip()
    header = f"tree {tree}\nparent {head}\nauthor Orang {who} <{who}@kpu.example> 1800000000 +0700\ncommitter Orang {who} <{who}@kpu.example> 1800000000 +0700\n"
    payload = (header + "\nSatu commit lagi\n").encode()
    gpgsig = b"gpgsig " + signer.sign(payload).replace(b"\n", b"\n ")
    body = header.encode() + gpgsig + b"\n\nSatu commit lagi\n"
    new = (
        subprocess.run(
            ["git", "-C", str(path), "hash-object", "-t", "commit", "-w", "--stdin"],
            input=body,
            check=True,
            capture_output=True,
            env=env,
        )
        .stdout.decode()
        .strip()
    )
    subprocess.run(["git", "-C", str(path), "update-ref", "refs/heads/main", new], check=True, env=env)
