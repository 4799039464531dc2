"""SSH signatures of git commits, verified in-process (SSHSIG, namespace `git`).

`git log --format=%G?` starts ssh-keygen for every signed commit; this gives the same verdicts
without a process, so a history of tens of thousands of commits is checked in seconds.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

_ARMOR_BEGIN = b"-----BEGIN SSH SIGNATURE-----"
_ARMOR_END = b"-----END SSH SIGNATURE-----"
_CURVES = {
    "ecdsa-sha2-nistp256": (ec.SECP256R1(), hashes.SHA256()),
    "ecdsa-sha2-nistp384": (ec.SECP384R1(), hashes.SHA384()),
    "ecdsa-sha2-nistp521": (ec.SECP521R1(), hashes.SHA512()),
}
_RSA_HASHES = {"rsa-sha2-256": hashes.SHA256(), "rsa-sha2-512": hashes.SHA512()}
SUPPORTED = ("ssh-ed25519", "ssh-rsa", *_CURVES)
_NOT_PRINCIPAL = set('*?,! \t"')


class KeyParseError(ValueError):
    """An OpenSSH public key line that cannot be used."""


@dataclass(frozen=True)
class PublicKey:
    keytype: str
    blob: bytes
    comment: str
    fingerprint: str  # "SHA256:…", as ssh-keygen -lf and git's %GF print it


@dataclass(frozen=True)
class Verdict:
    status: str  # git's %G?: G good and known, U good but unknown key, B bad, N none, E cannot check
    fingerprint: str | None


def fingerprint(blob: bytes) -> str:
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


class _Reader:
    """SSH wire format: uint32-length-prefixed strings."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def string(self) -> bytes:
        if self.at + 4 > len(self.data):
            raise ValueError("truncated")
        (size,) = struct.unpack(">I", self.data[self.at : self.at + 4])
        start, self.at = self.at + 4, self.at + 4 + size
        if self.at > len(self.data):
            raise ValueError("truncated")
        return self.data[start : self.at]

    def uint32(self) -> int:
        (value,) = struct.unpack(">I", self.data[self.at : self.at + 4])
        self.at += 4
        return value

    def done(self) -> bool:
        return self.at == len(self.data)


def _string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def parse_public_key(line: str) -> PublicKey:
    """An OpenSSH public key line: `type base64 [comment]`."""
    parts = line.strip().split(None, 2)
    if len(parts) < 2:
        raise KeyParseError("expected `<type> <base64> [comment]`")
    keytype, b64 = parts[0], parts[1]
    if keytype not in SUPPORTED:
        raise KeyParseError(
            f"unsupported key type `{keytype}` (use ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa)"
        )
    try:
        blob = base64.b64decode(b64, validate=True)
        inner = _Reader(blob).string().decode()
    except (ValueError, UnicodeDecodeError):
        raise KeyParseError("the key is not valid base64 key data") from None
    if inner != keytype:
        raise KeyParseError(f"the key data says `{inner}` but the line says `{keytype}`")
    try:
        _load_key(blob)
    except (ValueError, TypeError):
        raise KeyParseError("the key data is damaged") from None
    return PublicKey(keytype, blob, parts[2] if len(parts) > 2 else "", fingerprint(blob))


def _load_key(blob: bytes) -> object:
    reader = _Reader(blob)
    keytype = reader.string().decode()
    if keytype == "ssh-ed25519":
        return Ed25519PublicKey.from_public_bytes(reader.string())
    if keytype == "ssh-rsa":
        e = int.from_bytes(reader.string(), "big")
        n = int.from_bytes(reader.string(), "big")
        return rsa.RSAPublicNumbers(e, n).public_key()
    if keytype in _CURVES:
        curve, _ = _CURVES[keytype]
        reader.string()  # curve name
        return ec.EllipticCurvePublicKey.from_encoded_point(curve, reader.string())
    raise ValueError(keytype)


def split_signed_commit(raw: bytes) -> tuple[bytes, bytes | None]:
    """(the commit without its signature header, the armored signature or None)."""
    header, sep, message = raw.partition(b"\n\n")
    lines = header.split(b"\n")
    kept: list[bytes] = []
    signature: list[bytes] = []
    in_sig = False
    for line in lines:
        if line.startswith((b"gpgsig ", b"gpgsig-sha256 ")) and not signature:
            in_sig = True
            signature.append(line.split(b" ", 1)[1])
        elif in_sig and line.startswith(b" "):
            signature.append(line[1:])
        else:
            in_sig = False
            kept.append(line)
    payload = b"\n".join(kept) + sep + message
    return payload, (b"\n".join(signature) if signature else None)


def verify_commit(raw: bytes, allowed: Mapping[str, PublicKey]) -> Verdict:
    """git's verdict on a commit object, with `allowed` as its allowed signers (by fingerprint)."""
    payload, armored = split_signed_commit(raw)
    if armored is None:
        return Verdict("N", None)
    if not armored.startswith(_ARMOR_BEGIN):
        return Verdict("E", None)  # OpenPGP or X.509: not ours to judge, never good
    try:
        body = armored[len(_ARMOR_BEGIN) : armored.index(_ARMOR_END)]
        sig = _Reader(base64.b64decode(b"".join(body.split())))
        if sig.data[:6] != b"SSHSIG":
            return Verdict("E", None)
        sig.at = 6
        if sig.uint32() != 1:
            return Verdict("E", None)
        key_blob = sig.string()
        namespace, reserved, hash_name, wrapped = sig.string(), sig.string(), sig.string(), sig.string()
    except (ValueError, struct.error):
        return Verdict("E", None)
    print_ = fingerprint(key_blob)
    try:
        key = _load_key(key_blob)
    except (ValueError, TypeError, UnicodeDecodeError):
        return Verdict("E", print_)
    if namespace != b"git" or hash_name not in (b"sha256", b"sha512"):
        return Verdict("B", print_)
    digest = hashlib.new(hash_name.decode(), payload).digest()
    signed = b"SSHSIG" + _string(namespace) + _string(reserved) + _string(hash_name) + _string(digest)
    if not _valid(key, wrapped, signed):
        return Verdict("B", print_)
    return Verdict("G" if print_ in allowed else "U", print_)


def verdicts(raws: list[bytes]) -> list[tuple[str, str | None]]:
    """(status, fingerprint) of each commit with no key allowed: "U" for a good signature.

    The caller decides "G" against its team; this part never changes, so it can be cached.
    """
    return [(v.status, v.fingerprint) for v in (verify_commit(raw, {}) for raw in raws)]


def _valid(key: object, wrapped: bytes, signed: bytes) -> bool:
    try:
        reader = _Reader(wrapped)
        algorithm = reader.string().decode()
        raw_sig = reader.string()
        if isinstance(key, Ed25519PublicKey) and algorithm == "ssh-ed25519":
            key.verify(raw_sig, signed)
        elif isinstance(key, rsa.RSAPublicKey) and algorithm in _RSA_HASHES:
            key.verify(raw_sig, signed, padding.PKCS1v15(), _RSA_HASHES[algorithm])
        elif isinstance(key, ec.EllipticCurvePublicKey) and algorithm in _CURVES:
            inner = _Reader(raw_sig)
            r = int.from_bytes(inner.string(), "big")
            s = int.from_bytes(inner.string(), "big")
            from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

            key.verify(encode_dss_signature(r, s), signed, ec.ECDSA(_CURVES[algorithm][1]))
        else:
            return False
    except (InvalidSignature, ValueError, UnicodeDecodeError):
        return False
    return True


def allowed_signers_text(entries: Iterable[tuple[str, str]]) -> str:
    """git's `gpg.ssh.allowedSignersFile`: one `principal key` line each; no wildcards."""
    lines = []
    for principal, key_line in entries:
        if not principal or _NOT_PRINCIPAL & set(principal):
            raise ValueError(f"principal `{principal}` must be one plain e-mail address")
        lines.append(f"{principal} {key_line}")
    return "\n".join(lines) + ("\n" if lines else "")
