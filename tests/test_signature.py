"""In-process SSH signature verdicts, each checked against git's own `%G?` and `%GF`.

Every commit below is judged twice: by `verify_commit` and by `git log --format=%G?%x00%GF`
(which runs ssh-keygen against an allowed-signers file written by `allowed_signers_text`).
The crafted cases re-encode valid signatures in the ways OpenSSH tolerates or refuses, so that
"the same verdict as git" is tested where it is easiest to get wrong.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import signal
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from pipeline.model.keys import KeyParseError, PublicKey, allowed_signers_text, parse_public_key
from pipeline.proof import signature
from pipeline.proof.signature import Verdict, split_signed_commit, verify_commit
from tests.gitrepo import GitRepo, Identity, make_identity

ED25519_ORDER = 2**252 + 27742317777372353535851937790883648493
PGP_BLOCK = (
    b"-----BEGIN PGP SIGNATURE-----\n\n"
    b"iQEzBAABCAAdFiEEZHlGB1kqQ5Dp3GzJbXnqvqTLmBUFAmVgAAAACgkQbXnqvqTL\n"
    b"mBXhLgf/YQ==\n=abcd\n-----END PGP SIGNATURE-----\n"
)


def string(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def mpint(value: int) -> bytes:
    return string(value.to_bytes(value.bit_length() // 8 + 1, "big") if value else b"")


def fields(blob: bytes) -> list[bytes]:
    """The length-prefixed strings of an SSH wire-format blob."""
    found, at = [], 0
    while at < len(blob):
        size = int.from_bytes(blob[at : at + 4], "big")
        found.append(blob[at + 4 : at + 4 + size])
        at += 4 + size
    return found


@dataclass(frozen=True)
class Signer:
    """An identity whose private key signs in-process, so that tests can shape every byte."""

    identity: Identity
    private: ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey

    @property
    def blob(self) -> bytes:
        return base64.b64decode(self.identity.public_line.split()[1])

    def wrapped(self, data: bytes, algorithm: bytes = b"rsa-sha2-512") -> bytes:
        """The signature as sshkey_sign writes it: string(type) + string(signature)."""
        key = self.private
        if isinstance(key, ed25519.Ed25519PrivateKey):
            return string(b"ssh-ed25519") + string(key.sign(data))
        if isinstance(key, ec.EllipticCurvePrivateKey):
            r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
            return string(b"ecdsa-sha2-nistp256") + string(mpint(r) + mpint(s))
        digest = {
            b"rsa-sha2-512": hashes.SHA512(),
            b"rsa-sha2-256": hashes.SHA256(),
            b"ssh-rsa": hashes.SHA1(),
        }
        return string(algorithm) + string(key.sign(data, padding.PKCS1v15(), digest[algorithm]))


def signed_data(payload: bytes, namespace: bytes = b"git", hash_name: bytes = b"sha512") -> bytes:
    digest = hashlib.new(hash_name.decode(), payload).digest()
    return b"SSHSIG" + string(namespace) + string(b"") + string(hash_name) + string(digest)


def sshsig(
    signer: Signer,
    payload: bytes,
    *,
    namespace: bytes = b"git",
    hash_name: bytes = b"sha512",
    version: int = 1,
    key: bytes | None = None,
    reserved: bytes = b"",
    wrapped: bytes | None = None,
    trailing: bytes = b"",
) -> bytes:
    """An SSHSIG blob; by default exactly what `ssh-keygen -Y sign -n git` makes."""
    if wrapped is None:
        wrapped = signer.wrapped(signed_data(payload, namespace, hash_name))
    return (
        b"SSHSIG"
        + version.to_bytes(4, "big")
        + string(signer.blob if key is None else key)
        + string(namespace)
        + string(reserved)
        + string(hash_name)
        + string(wrapped)
        + trailing
    )


def armor(blob: bytes, width: int = 70) -> bytes:
    return armor_base64(base64.b64encode(blob), width)


def armor_base64(text: bytes, width: int = 70) -> bytes:
    lines = b"\n".join(text[i : i + width] for i in range(0, len(text), width))
    return b"-----BEGIN SSH SIGNATURE-----\n" + lines + b"\n-----END SSH SIGNATURE-----\n"


def with_signature(unsigned: bytes, armored: bytes, header: bytes = b"gpgsig", extra: bytes = b"") -> bytes:
    """The commit object `unsigned` with `armored` in a header, as git writes one."""
    head, _, message = unsigned.partition(b"\n\n")
    continued = b"\n ".join(armored.rstrip(b"\n").split(b"\n"))
    return head + b"\n" + header + b" " + continued + b"\n" + extra + b"\n" + message


@dataclass
class Lab:
    repo: GitRepo
    people: dict[str, Identity]
    signers: dict[str, Signer]
    allowed: dict[str, PublicKey]
    unsigned: bytes  # an unsigned commit object: the payload of every crafted signature

    def store(self, raw: bytes) -> str:
        return self.repo.git("hash-object", "-t", "commit", "-w", "--stdin", input=raw).strip()

    def git_log(self, commit_id: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", "log", "-1", "--format=%G?%x00%GF", commit_id],
            cwd=self.repo.path,
            env=self.repo.env,
            capture_output=True,
            text=True,
        )

    def git_verdict(self, commit_id: str) -> Verdict:
        """git's %G? and %GF. When ssh-keygen refuses a signature before reading the payload,
        git 2.39 can die of SIGPIPE while writing it (test_git_dies_of_sigpipe_on_a_broken_signature);
        with a payload this small that is a race, so git is asked again."""
        for _ in range(20):
            done = self.git_log(commit_id)
            if done.returncode != -signal.SIGPIPE:
                break
        if done.returncode != 0:
            raise RuntimeError(f"git log exited {done.returncode}: {done.stderr}")
        status, fingerprint = done.stdout.rstrip("\n").split("\x00")
        return Verdict(status, fingerprint or None)

    def verdicts(self, commit_id: str) -> tuple[Verdict, Verdict]:
        """(ours, git's) for a commit in the repository."""
        ours = verify_commit(self.repo.raw_commit(commit_id), self.allowed)
        return ours, self.git_verdict(commit_id)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Lab:
    folder = tmp_path_factory.mktemp("signature")
    people = {
        "ana": make_identity(folder / "keys", "Ana", "ana@kpu.example", "ed25519"),
        "budi": make_identity(folder / "keys", "Budi", "budi@kpu.example", "ecdsa"),
        "citra": make_identity(folder / "keys", "Citra", "citra@kpu.example", "rsa"),
        "dodi": make_identity(folder / "keys", "Dodi", "dodi@luar.example", "ed25519"),  # not allowed
    }
    team = [people[who] for who in ("ana", "budi", "citra")]
    allowed_file = folder / "allowed_signers"
    allowed_file.write_text(allowed_signers_text((p.email, p.public_line) for p in team))
    repo = GitRepo(folder / "repo", allowed_signers=allowed_file)
    repo.write("berita/a.md", "Halo\n")
    unsigned = repo.raw_commit(repo.commit("base", people["ana"], sign=False))
    signers = {
        who: Signer(person, serialization.load_ssh_private_key(person.key_path.read_bytes(), None))  # type: ignore[arg-type]
        for who, person in people.items()
    }
    allowed = {key.fingerprint: key for key in (parse_public_key(p.public_line) for p in team)}
    return Lab(repo, people, signers, allowed, unsigned)


# --- Commits made by git itself -------------------------------------------------------------


@pytest.mark.parametrize("who", ["ana", "budi", "citra"])
def test_good_signature_of_each_key_type(lab: Lab, who: str) -> None:
    lab.repo.write("berita/a.md", f"Halo {who}\n")
    ours, git = lab.verdicts(lab.repo.commit(f"by {who}", lab.people[who]))
    assert ours == git == Verdict("G", lab.people[who].fingerprint)


def test_unsigned(lab: Lab) -> None:
    ours, git = lab.verdicts(lab.repo.commit("unsigned", lab.people["ana"], sign=False, allow_empty=True))
    assert ours == git == Verdict("N", None)


def test_good_signature_by_a_key_not_allowed(lab: Lab) -> None:
    ours, git = lab.verdicts(lab.repo.commit("stranger", lab.people["dodi"], allow_empty=True))
    assert ours == git == Verdict("U", lab.people["dodi"].fingerprint)


def test_allowed_decides_between_good_and_unknown(lab: Lab) -> None:
    raw = lab.repo.raw_commit(lab.repo.commit("ana", lab.people["ana"], allow_empty=True))
    assert verify_commit(raw, {}) == Verdict("U", lab.people["ana"].fingerprint)


def test_tampered_commit(lab: Lab) -> None:
    raw = lab.repo.raw_commit(lab.repo.commit("pesan asli", lab.people["ana"], allow_empty=True))
    tampered = raw.replace(b"pesan asli", b"pesan asLi")
    assert tampered != raw
    ours, git = lab.verdicts(lab.store(tampered))
    assert ours == git == Verdict("B", None)  # git's %GF is empty for a bad signature


def test_wrong_namespace_from_ssh_keygen(lab: Lab) -> None:
    signed = subprocess.run(
        ["ssh-keygen", "-Y", "sign", "-n", "file", "-f", str(lab.people["ana"].key_path)],
        input=lab.unsigned,
        capture_output=True,
        check=True,
    ).stdout
    ours, git = lab.verdicts(lab.store(with_signature(lab.unsigned, signed)))
    assert ours == git == Verdict("B", None)


def test_sha256_message_hash_from_ssh_keygen(lab: Lab) -> None:
    signed = subprocess.run(
        [
            "ssh-keygen",
            "-Y",
            "sign",
            "-n",
            "git",
            "-O",
            "hashalg=sha256",
            "-f",
            str(lab.people["budi"].key_path),
        ],
        input=lab.unsigned,
        capture_output=True,
        check=True,
    ).stdout
    ours, git = lab.verdicts(lab.store(with_signature(lab.unsigned, signed)))
    assert ours == git == Verdict("G", lab.people["budi"].fingerprint)


def test_openpgp_signature_cannot_be_checked(lab: Lab) -> None:
    ours, git = lab.verdicts(lab.store(with_signature(lab.unsigned, PGP_BLOCK)))
    assert ours == Verdict("E", None)
    # git hands the block to gpg, which finds no signature packet in it: git 2.39 with gpg 2.2
    # says "N". Without gpg it cannot check either. It must never say "G".
    assert git.status != "G"


def test_unknown_armor_cannot_be_checked_and_stops_git(lab: Lab) -> None:
    commit_id = lab.store(with_signature(lab.unsigned, b"tanda tangan\n"))
    assert verify_commit(lab.repo.raw_commit(commit_id), lab.allowed) == Verdict("E", None)
    with pytest.raises(RuntimeError, match="bad/incompatible signature"):
        lab.git_verdict(commit_id)


def test_git_dies_of_sigpipe_on_a_broken_signature(lab: Lab) -> None:
    """A surprise in git 2.39: for a key not in the allowed signers it pipes the payload to
    `ssh-keygen -Y check-novalidate` without ignoring SIGPIPE, so when ssh-keygen refuses the
    armor before reading its input, git is killed and prints no verdict for any commit of the
    log. A payload larger than a pipe buffer makes that certain."""
    big = lab.unsigned + b"isi\n" * 50_000
    broken = armor(sshsig(lab.signers["ana"], big)).replace(b"\n", b"\r\n")
    commit_id = lab.store(with_signature(big, broken))
    assert verify_commit(lab.repo.raw_commit(commit_id), lab.allowed) == Verdict("B", None)
    done = lab.git_log(commit_id)
    assert done.returncode == -signal.SIGPIPE or done.stdout == "B\x00\n"


def test_key_type_we_do_not_verify(lab: Lab, tmp_path: Path) -> None:
    try:
        dsa = make_identity(tmp_path, "Lama", "lama@luar.example", "dsa")
    except RuntimeError:
        pytest.skip("this ssh-keygen makes no DSA keys")
    signed = subprocess.run(
        ["ssh-keygen", "-Y", "sign", "-n", "git", "-f", str(dsa.key_path)],
        input=lab.unsigned,
        capture_output=True,
        check=True,
    ).stdout
    ours, git = lab.verdicts(lab.store(with_signature(lab.unsigned, signed)))
    assert ours == Verdict("E", dsa.fingerprint)
    assert git.status != "G"  # ssh-keygen 9.2 still verifies DSA: git says "U"


def test_sha256_repository(tmp_path: Path) -> None:
    ana = make_identity(tmp_path / "keys", "Ana", "ana@kpu.example")
    allowed_file = tmp_path / "allowed_signers"
    allowed_file.write_text(allowed_signers_text([(ana.email, ana.public_line)]))
    repo = GitRepo(tmp_path / "repo", allowed_signers=allowed_file)
    shutil.rmtree(repo.path / ".git")
    repo.git("init", "--quiet", "--object-format=sha256")
    repo.git("config", "gpg.ssh.allowedSignersFile", str(allowed_file))
    repo.write("a.md", "a\n")
    raw = repo.raw_commit(repo.commit("sha256", ana))
    assert b"\ngpgsig-sha256 -----BEGIN SSH SIGNATURE-----\n" in raw
    allowed = {ana.fingerprint: parse_public_key(ana.public_line)}
    git = repo.git("log", "-1", "--format=%G?%x00%GF").rstrip("\n").split("\x00")
    assert verify_commit(raw, allowed) == Verdict(git[0], git[1]) == Verdict("G", ana.fingerprint)
    # A `gpgsig` header means nothing in a SHA-256 repository: git leaves it out of the payload.
    moved = raw.replace(b"\ngpgsig-sha256 ", b"\ngpgsig ")
    stored = repo.git("hash-object", "-t", "commit", "-w", "--stdin", input=moved).strip()
    assert repo.git("log", "-1", "--format=%G?", stored).strip() == "N"
    assert verify_commit(moved, allowed) == Verdict("N", None)


# --- Crafted signatures: what OpenSSH tolerates and what it refuses --------------------------

Craft = Callable[[Lab], bytes]


def _resigned(lab: Lab, who: str, **options: object) -> bytes:
    return with_signature(lab.unsigned, armor(sshsig(lab.signers[who], lab.unsigned, **options)))  # type: ignore[arg-type]


def _ed25519_s_plus(multiple: int) -> Craft:
    def craft(lab: Lab) -> bytes:
        signer = lab.signers["ana"]
        _, signature = fields(signer.wrapped(signed_data(lab.unsigned)))
        s = int.from_bytes(signature[32:], "little") + multiple * ED25519_ORDER
        changed = string(b"ssh-ed25519") + string(signature[:32] + s.to_bytes(32, "little"))
        return with_signature(lab.unsigned, armor(sshsig(signer, lab.unsigned, wrapped=changed)))

    return craft


def _rsa_key_with_padded_exponent(lab: Lab) -> bytes:
    _, e, n = fields(lab.signers["citra"].blob)
    return _resigned(lab, "citra", key=string(b"ssh-rsa") + string(b"\x00" + e) + string(n))


def _renamed_key(who: str, name: bytes) -> Craft:
    def craft(lab: Lab) -> bytes:
        rest = fields(lab.signers[who].blob)[1:]
        return _resigned(lab, who, key=string(name) + b"".join(string(f) for f in rest))

    return craft


def _ecdsa_signature(transform: Callable[[bytes, bytes], tuple[bytes, bytes]], algorithm: bytes) -> Craft:
    def craft(lab: Lab) -> bytes:
        signer = lab.signers["budi"]
        _, inner = fields(signer.wrapped(signed_data(lab.unsigned)))
        r, s = transform(*fields(inner))
        changed = string(algorithm) + string(string(r) + string(s))
        return with_signature(lab.unsigned, armor(sshsig(signer, lab.unsigned, wrapped=changed)))

    return craft


def _ecdsa_high_bit_r(lab: Lab) -> bytes:
    """r written without the zero byte that keeps it positive: OpenSSH reads a negative number."""
    signer = lab.signers["budi"]
    for attempt in range(200):
        unsigned = lab.unsigned + b"." * attempt
        _, inner = fields(signer.wrapped(signed_data(unsigned)))
        r, s = fields(inner)
        if r[0] == 0:
            changed = string(b"ecdsa-sha2-nistp256") + string(string(r[1:]) + string(s))
            return with_signature(unsigned, armor(sshsig(signer, unsigned, wrapped=changed)))
    raise AssertionError("no r with its high bit set in 200 signatures")


def _ecdsa_compressed_key(lab: Lab) -> bytes:
    name, curve, point = fields(lab.signers["budi"].blob)
    compressed = bytes([2 + (point[-1] & 1)]) + point[1:33]
    return _resigned(lab, "budi", key=string(name) + string(curve) + string(compressed))


def _rsa_short_signature(lab: Lab) -> bytes:
    """A signature whose first byte is zero, written one byte short: ssh-keygen pads it back."""
    signer = lab.signers["citra"]
    for attempt in range(4000):
        unsigned = lab.unsigned + b"." * attempt
        algorithm, value = fields(signer.wrapped(signed_data(unsigned)))
        if value[0] == 0:
            changed = string(algorithm) + string(value[1:])
            return with_signature(unsigned, armor(sshsig(signer, unsigned, wrapped=changed)))
    raise AssertionError("no RSA signature with a leading zero byte in 4000")


def _armored(transform: Callable[[bytes], bytes]) -> Craft:
    def craft(lab: Lab) -> bytes:
        return with_signature(lab.unsigned, transform(armor(sshsig(lab.signers["ana"], lab.unsigned))))

    return craft


def _nonzero_padding_bits(lab: Lab) -> bytes:
    """The same bytes in base64 with a padding bit set, which Python ignores and OpenSSH refuses."""
    blob = next(
        b
        for b in (sshsig(lab.signers["ana"], lab.unsigned, reserved=b"x" * k) for k in range(3))
        if len(b) % 3 == 1
    )
    text = base64.b64encode(blob)  # ends in "X==": X holds two bits of data and four padding bits
    alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    changed = text[:-3] + bytes([alphabet[alphabet.index(text[-3]) + 1]]) + b"=="
    assert base64.b64decode(changed) == blob
    return with_signature(lab.unsigned, armor_base64(changed))


def _extra_header(extra: bytes, header: bytes = b"gpgsig") -> Craft:
    def craft(lab: Lab) -> bytes:
        armored = armor(sshsig(lab.signers["ana"], lab.unsigned))
        return with_signature(lab.unsigned, armored, header=header, extra=extra)

    return craft


def _split_over_two_headers(lab: Lab) -> bytes:
    """git joins every `gpgsig` header into one signature."""
    lines = armor(sshsig(lab.signers["ana"], lab.unsigned)).rstrip(b"\n").split(b"\n")
    second = b"gpgsig " + b"\n ".join(lines[2:]) + b"\n"
    return with_signature(lab.unsigned, b"\n".join(lines[:2]) + b"\n", extra=second)


CRAFTED: list[tuple[str, Craft, str, str | None]] = [
    # (case, how the commit is made, git's letter, whose fingerprint %GF shows)
    ("as ssh-keygen signs", lambda o: _resigned(o, "ana"), "G", "ana"),
    ("reserved field not empty", lambda o: _resigned(o, "ana", reserved=b"x"), "G", "ana"),
    ("SSHSIG version 0", lambda o: _resigned(o, "ana", version=0), "G", "ana"),
    ("SSHSIG version 2", lambda o: _resigned(o, "ana", version=2), "B", None),
    ("bytes after the SSHSIG blob", lambda o: _resigned(o, "ana", trailing=b"\x00"), "B", None),
    ("message hash sha384", lambda o: _resigned(o, "ana", hash_name=b"sha384"), "B", None),
    (
        "namespace git but signed for file",
        lambda o: _resigned(o, "ana", wrapped=o.signers["ana"].wrapped(signed_data(o.unsigned, b"file"))),
        "B",
        None,
    ),
    ("Ed25519 S + L", _ed25519_s_plus(1), "G", "ana"),
    ("Ed25519 S + 2L (2**253 or more)", _ed25519_s_plus(2), "B", None),
    ("Ed25519 key named ED25519", _renamed_key("ana", b"ED25519"), "G", "ana"),
    ("key type unknown to OpenSSH", _renamed_key("ana", b"ssh-foo"), "B", None),
    ("RSA key exponent with a leading zero", _rsa_key_with_padded_exponent, "G", "citra"),
    ("RSA key named rsa-sha2-512", _renamed_key("citra", b"rsa-sha2-512"), "G", "citra"),
    (
        "RSA rsa-sha2-256",
        lambda o: _resigned(
            o, "citra", wrapped=o.signers["citra"].wrapped(signed_data(o.unsigned), b"rsa-sha2-256")
        ),
        "G",
        "citra",
    ),
    (
        "RSA ssh-rsa (SHA-1)",
        lambda o: _resigned(
            o, "citra", wrapped=o.signers["citra"].wrapped(signed_data(o.unsigned), b"ssh-rsa")
        ),
        "B",
        None,
    ),
    ("RSA signature one byte short", _rsa_short_signature, "G", "citra"),
    (
        "ECDSA r with extra leading zeros",
        _ecdsa_signature(lambda r, s: (b"\x00\x00" + r, s), b"ecdsa-sha2-nistp256"),
        "G",
        "budi",
    ),
    ("ECDSA r read as negative", _ecdsa_high_bit_r, "B", None),
    (
        "ECDSA signature named for another curve",
        _ecdsa_signature(lambda r, s: (r, s), b"ecdsa-sha2-nistp384"),
        "B",
        None,
    ),
    ("ECDSA key with a compressed point", _ecdsa_compressed_key, "B", None),
    (
        "armor with base64 on one line",
        lambda o: with_signature(o.unsigned, armor(sshsig(o.signers["ana"], o.unsigned), width=10_000)),
        "G",
        "ana",
    ),
    ("armor with tabs", _armored(lambda a: a.replace(b"\n", b"\n\t", 2)), "G", "ana"),
    ("armor with CRLF", _armored(lambda a: a.replace(b"\n", b"\r\n")), "B", None),
    ("armor with text after the footer", _armored(lambda a: a + b"ekor\n"), "G", "ana"),
    ("armor with a stray character", _armored(lambda a: a.replace(b"\nU1NI", b"\n!U1NI")), "B", None),
    ("armor with nonzero padding bits", _nonzero_padding_bits, "B", None),
    ("only a gpgsig-sha256 header", _extra_header(b"", header=b"gpgsig-sha256"), "N", None),
    ("another gpgsig-* header beside", _extra_header(b"gpgsig-sha256 sampah\n lanjut\n"), "G", "ana"),
    ("a second gpgsig header", _extra_header(b"gpgsig sampah\n"), "G", "ana"),
    ("a signature split over two gpgsig headers", _split_over_two_headers, "G", "ana"),
]


@pytest.mark.parametrize(("craft", "letter", "who"), [c[1:] for c in CRAFTED], ids=[c[0] for c in CRAFTED])
def test_crafted_signature_as_git_judges_it(lab: Lab, craft: Craft, letter: str, who: str | None) -> None:
    ours, git = lab.verdicts(lab.store(craft(lab)))
    assert ours == git == Verdict(letter, lab.people[who].fingerprint if who else None)


# --- split_signed_commit ---------------------------------------------------------------------


def test_split_unsigned(lab: Lab) -> None:
    assert split_signed_commit(lab.unsigned) == (lab.unsigned, None)


def test_split_signed_gives_back_what_was_signed(lab: Lab) -> None:
    armored = armor(sshsig(lab.signers["ana"], lab.unsigned))
    payload, signature = split_signed_commit(with_signature(lab.unsigned, armored))
    assert payload == lab.unsigned
    assert signature == armored


def test_split_keeps_the_message_whole(lab: Lab) -> None:
    message_with_header = lab.unsigned + b"gpgsig not a header\n \n"
    armored = armor(sshsig(lab.signers["ana"], message_with_header))
    payload, _ = split_signed_commit(with_signature(message_with_header, armored))
    assert payload == message_with_header


@pytest.mark.parametrize("craft", [c[1] for c in CRAFTED], ids=[c[0] for c in CRAFTED])
def test_sliced_split_agrees_with_the_line_walk(lab: Lab, craft: Craft) -> None:
    raw = craft(lab)
    sliced = signature._split_one_signature(raw)
    assert sliced is None or sliced == signature._split_by_lines(raw)


def test_an_ordinary_signed_commit_is_sliced(lab: Lab) -> None:
    raw = with_signature(lab.unsigned, armor(sshsig(lab.signers["ana"], lab.unsigned)))
    assert signature._split_one_signature(raw) == signature._split_by_lines(raw) != (raw, None)


# --- parse_public_key ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key_type", "bits", "keytype"),
    [
        ("ed25519", None, "ssh-ed25519"),
        ("ecdsa", "256", "ecdsa-sha2-nistp256"),
        ("ecdsa", "384", "ecdsa-sha2-nistp384"),
        ("ecdsa", "521", "ecdsa-sha2-nistp521"),
        ("rsa", "2048", "ssh-rsa"),
    ],
)
def test_parse_each_key_type(tmp_path: Path, key_type: str, bits: str | None, keytype: str) -> None:
    path = tmp_path / "key"
    subprocess.run(
        [
            "ssh-keygen",
            "-q",
            "-t",
            key_type,
            *(["-b", bits] if bits else []),
            "-N",
            "",
            "-C",
            "ana@kpu.example",
            "-f",
            str(path),
        ],
        check=True,
        capture_output=True,
    )
    line = Path(f"{path}.pub").read_text()
    listed = subprocess.run(["ssh-keygen", "-lf", f"{path}.pub"], check=True, capture_output=True, text=True)
    key = parse_public_key(line)
    assert key.keytype == keytype
    assert key.comment == "ana@kpu.example"
    assert key.blob == base64.b64decode(line.split()[1])
    assert key.fingerprint == listed.stdout.split()[1]


def test_fingerprint_of_a_re_encoded_key_is_ssh_keygens(lab: Lab, tmp_path: Path) -> None:
    _, e, n = fields(lab.signers["citra"].blob)
    padded = string(b"ssh-rsa") + string(b"\x00\x00" + e) + string(n)
    line = f"ssh-rsa {base64.b64encode(padded).decode()} citra"
    (tmp_path / "padded.pub").write_text(line + "\n")
    listed = subprocess.run(
        ["ssh-keygen", "-lf", str(tmp_path / "padded.pub")], check=True, capture_output=True
    )
    key = parse_public_key(line)
    assert key.blob == padded
    assert key.fingerprint == listed.stdout.split()[1].decode() == lab.people["citra"].fingerprint


def test_parse_without_comment(lab: Lab) -> None:
    line = " ".join(lab.people["ana"].public_line.split()[:2])
    assert parse_public_key(f"  {line}  ").comment == ""


def _ed25519_line(body: bytes, outer: str = "ssh-ed25519") -> str:
    return f"{outer} {base64.b64encode(string(b'ssh-ed25519') + body).decode()}"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("", "expected `<type> <base64> [comment]`"),
        ("ssh-ed25519", "expected `<type> <base64> [comment]`"),
        (
            "ssh-dss AAAAB3NzaC1kc3M=",
            "unsupported key type `ssh-dss` (use ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa)",
        ),
        (
            "sk-ssh-ed25519@openssh.com AAAA",
            "unsupported key type `sk-ssh-ed25519@openssh.com` (use ssh-ed25519, "
            "ecdsa-sha2-nistp256/384/521 or ssh-rsa)",
        ),
        ("ssh-ed25519 bukan-base64!", "the key is not valid base64 key data"),
        ("ssh-ed25519 AAAAC3NzaC1l", "the key is not valid base64 key data"),  # its type name cut short
        (
            _ed25519_line(string(bytes(32)), outer="ssh-rsa"),
            "the key data says `ssh-ed25519` but the line says `ssh-rsa`",
        ),
        (
            _ed25519_line(string(bytes(31))),
            "the key data is not a valid ssh-ed25519 key: an Ed25519 key is 32 bytes long",
        ),
        (
            _ed25519_line(string(bytes(32)) + b"\x00"),
            "the key data is not a valid ssh-ed25519 key: it has bytes after its end",
        ),
        (_ed25519_line(b"\x00\x00"), "the key data is not a valid ssh-ed25519 key: it ends too early"),
        (
            "ssh-rsa " + base64.b64encode(string(b"ssh-rsa") + mpint(65537) + mpint(2**511 + 1)).decode(),
            "the key data is not a valid ssh-rsa key: an RSA key has 1024 to 16384 bits",
        ),
        (
            "ecdsa-sha2-nistp256 "
            + base64.b64encode(
                string(b"ecdsa-sha2-nistp256") + string(b"nistp384") + string(b"\x04" + bytes(64))
            ).decode(),
            "the key data is not a valid ecdsa-sha2-nistp256 key: its curve is not nistp256",
        ),
        (
            "ecdsa-sha2-nistp256 "
            + base64.b64encode(
                string(b"ecdsa-sha2-nistp256") + string(b"nistp256") + string(b"\x04" + bytes(64))
            ).decode(),
            "the key data is not a valid ecdsa-sha2-nistp256 key: its point is not on the curve nistp256",
        ),
        ("ssh-ed25519 AAAA\nssh-ed25519 AAAA", "the key must be on one line"),
    ],
)
def test_parse_refuses(line: str, message: str) -> None:
    with pytest.raises(KeyParseError) as caught:
        parse_public_key(line)
    assert str(caught.value) == message


# --- allowed_signers_text ---------------------------------------------------------------------


def test_allowed_signers_text(lab: Lab) -> None:
    ana, budi = lab.people["ana"], lab.people["budi"]
    text = allowed_signers_text([(ana.email, ana.public_line), (budi.email, budi.public_line + " laptop")])
    assert text == (
        f"ana@kpu.example {' '.join(ana.public_line.split()[:2])}\n"
        f"budi@kpu.example {' '.join(budi.public_line.split()[:2])}\n"
    )
    assert allowed_signers_text([]) == ""


@pytest.mark.parametrize(
    "principal",
    [
        "*@kpu.example",
        "an?@kpu.example",
        "ana@kpu.example,budi@kpu.example",
        "#ana@kpu.example",
        "ana @kpu.example",
        "ana@kpu.example\nx",
        "",
    ],
)
def test_allowed_signers_refuses_patterns(lab: Lab, principal: str) -> None:
    with pytest.raises(ValueError) as caught:
        allowed_signers_text([(principal, lab.people["ana"].public_line)])
    assert str(caught.value) == f"principal `{principal}` must be one plain e-mail address"


def test_allowed_signers_refuses_a_bad_key() -> None:
    with pytest.raises(KeyParseError, match="the key is not valid base64 key data"):
        allowed_signers_text([("ana@kpu.example", "ssh-ed25519 ???")])
