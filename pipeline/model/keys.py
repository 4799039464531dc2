"""OpenSSH public keys: a key line read as ssh-keygen reads it, its fingerprint, and git's
allowed-signers file. The office's team (`team.py`) and the forge keys of sop.yml are keys; the
signature verification that uses them is `proof/signature.py`.

Each rule below names what it copies from OpenSSH's sshkey.c and sshbuf (as in ssh-keygen 9.2).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

ED25519 = "ssh-ed25519"
RSA = "ssh-rsa"
CURVES: dict[str, tuple[bytes, ec.EllipticCurve, type[hashes.HashAlgorithm]]] = {
    "ecdsa-sha2-nistp256": (b"nistp256", ec.SECP256R1(), hashes.SHA256),
    "ecdsa-sha2-nistp384": (b"nistp384", ec.SECP384R1(), hashes.SHA384),
    "ecdsa-sha2-nistp521": (b"nistp521", ec.SECP521R1(), hashes.SHA512),
}
SUPPORTED = (ED25519, *CURVES, RSA)
# sshkey_type_from_name also takes the names of RSA's signature-only entries and, in any case,
# the short names of plain key types ("ED25519", "rsa"). "ECDSA" is one too, but such a key then
# fails the curve check: a bad signature.
_ALIASES = {"rsa-sha2-256": RSA, "rsa-sha2-512": RSA}
_SHORT_NAMES = {"rsa": RSA, "ed25519": ED25519}
# Key types ssh-keygen 9.2 reads and this module does not: git's verdict on those is not ours to give.
_OTHER_PLAIN = ("ssh-dss", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com")
_OTHER_TYPES = {
    *_OTHER_PLAIN,
    *(f"{name.partition('@')[0]}-cert-v01@openssh.com" for name in (*SUPPORTED, *_ALIASES, *_OTHER_PLAIN)),
}
_OTHER_SHORT_NAMES = {"dsa", "ed25519-sk", "ecdsa-sk"}
_RSA_BITS = (1024, 16384)  # SSH_RSA_MINIMUM_MODULUS_SIZE, SSH_RSA_MAXIMUM_MODULUS_SIZE
_MAX_BIGNUM = 16384 // 8  # SSHBUF_MAX_BIGNUM
_NOT_PRINCIPAL = set('*?,!" \t\n\r\x00')  # patterns, separators, line ends; "#" only starts a comment


class KeyParseError(ValueError):
    """An OpenSSH public key line that cannot be used."""


@dataclass(frozen=True)
class PublicKey:
    keytype: str
    blob: bytes  # the key as the line gives it, in SSH wire format
    comment: str
    fingerprint: str  # "SHA256:…", as ssh-keygen -lf and git's %GF print it


class Malformed(ValueError):
    """Something ssh-keygen refuses to read: git calls the signature bad."""


class Unsupported(ValueError):
    """A key type ssh-keygen may know and this module does not."""


@lru_cache(maxsize=1024)
def fingerprint(blob: bytes) -> str:
    """The fingerprint of a key in canonical wire format."""
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


class WireReader:
    """SSH wire format (RFC 4251) as OpenSSH's sshbuf reads it: uint32, strings, mpints."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def take(self, size: int) -> bytes:
        if self.at + size > len(self.data):
            raise Malformed("it ends too early")
        start, self.at = self.at, self.at + size
        return self.data[start : self.at]

    def uint32(self) -> int:
        return int.from_bytes(self.take(4), "big")

    def string(self) -> bytes:
        # take(uint32()) written out: tens of thousands of signatures go through here.
        data, at = self.data, self.at
        end = at + 4 + int.from_bytes(data[at : at + 4], "big")
        if at + 4 > len(data) or end > len(data):
            raise Malformed("it ends too early")
        self.at = end
        return data[at + 4 : end]

    def cstring(self) -> bytes:
        value = self.string()
        if b"\x00" in value:
            raise Malformed("a name holds a NUL byte")
        return value

    def mpint(self) -> int:
        """sshbuf_get_bignum2: not negative, at most 16384 bits, leading zero bytes allowed."""
        value = self.string()
        if value[:1] >= b"\x80":
            raise Malformed("a number is negative")
        if len(value) > _MAX_BIGNUM + 1 or (len(value) == _MAX_BIGNUM + 1 and value[0] != 0):
            raise Malformed("a number is too large")
        return int.from_bytes(value, "big")

    def end(self) -> None:
        if self.at != len(self.data):
            raise Malformed("it has bytes after its end")


def wire_string(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def _mpint(value: int) -> bytes:
    """The shortest encoding, as OpenSSH writes it (the fingerprint is taken over this)."""
    return wire_string(value.to_bytes(value.bit_length() // 8 + 1, "big") if value else b"")


@dataclass(frozen=True)
class Key:
    keytype: str
    canonical: bytes  # the blob as ssh-keygen writes it back: what its fingerprint covers
    public: Ed25519PublicKey | ec.EllipticCurvePublicKey | rsa.RSAPublicKey


@lru_cache(maxsize=1024)  # a history has few keys and tens of thousands of signatures
def read_key(blob: bytes) -> Key:
    """sshkey_from_blob, for the supported types; Unsupported for a type only OpenSSH reads."""
    reader = WireReader(blob)
    name = reader.cstring().decode("ascii", "replace")
    keytype = name if name in SUPPORTED else _ALIASES.get(name) or _SHORT_NAMES.get(name.lower(), "")
    if not keytype and (name in _OTHER_TYPES or name.lower() in _OTHER_SHORT_NAMES):
        raise Unsupported(name)
    if not keytype:
        raise Malformed(f"`{name}` is not a key type")
    prefix = wire_string(keytype.encode())
    if keytype == ED25519:
        raw = reader.string()
        reader.end()
        if len(raw) != 32:
            raise Malformed("an Ed25519 key is 32 bytes long")
        return Key(keytype, prefix + wire_string(raw), Ed25519PublicKey.from_public_bytes(raw))
    if keytype == RSA:
        e, n = reader.mpint(), reader.mpint()
        reader.end()
        if not _RSA_BITS[0] <= n.bit_length() <= _RSA_BITS[1]:
            raise Malformed(f"an RSA key has {_RSA_BITS[0]} to {_RSA_BITS[1]} bits")
        try:
            public = rsa.RSAPublicNumbers(e, n).public_key()
        except ValueError:
            raise Malformed("its numbers are not an RSA public key") from None
        return Key(keytype, prefix + _mpint(e) + _mpint(n), public)
    curve_name, curve, _ = CURVES[keytype]
    if reader.cstring() != curve_name:
        raise Malformed(f"its curve is not {curve_name.decode()}")
    point = reader.string()
    reader.end()
    if point[:1] != b"\x04":  # sshbuf_get_ec reads uncompressed points only
        raise Malformed("its point is not in uncompressed form")
    try:
        public_ec = ec.EllipticCurvePublicKey.from_encoded_point(curve, point)
    except ValueError:
        raise Malformed(f"its point is not on the curve {curve_name.decode()}") from None
    return Key(keytype, blob, public_ec)


def parse_public_key(line: str) -> PublicKey:
    """An OpenSSH public key line: `type base64 [comment]`, of a supported type."""
    text = line.strip()
    if any(c in text for c in "\n\r\x00"):
        raise KeyParseError("the key must be on one line")
    parts = text.split(None, 2)
    if len(parts) < 2:
        raise KeyParseError("expected `<type> <base64> [comment]`")
    keytype, b64 = parts[0], parts[1]
    if keytype not in SUPPORTED:
        raise KeyParseError(
            f"unsupported key type `{keytype}` (use ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa)"
        )
    try:
        blob = base64.b64decode(b64, validate=True)
        inner = WireReader(blob).cstring().decode("ascii")
    except (ValueError, binascii.Error):
        raise KeyParseError("the key is not valid base64 key data") from None
    if inner != keytype:
        raise KeyParseError(f"the key data says `{inner}` but the line says `{keytype}`")
    try:
        key = read_key(blob)
    except Malformed as err:
        raise KeyParseError(f"the key data is not a valid {keytype} key: {err}") from None
    return PublicKey(keytype, blob, parts[2] if len(parts) > 2 else "", fingerprint(key.canonical))


def valid_principal(principal: str) -> bool:
    """One plain address an allowed-signers line can name: no pattern, list or comment."""
    return bool(principal) and not principal.startswith("#") and not _NOT_PRINCIPAL & set(principal)


def allowed_signers_text(entries: Iterable[tuple[str, str]]) -> str:
    """git's `gpg.ssh.allowedSignersFile`: one `principal type base64` line each; no wildcards."""
    lines = []
    for principal, key_line in entries:
        if not valid_principal(principal):
            raise ValueError(f"principal `{principal}` must be one plain e-mail address")
        key = parse_public_key(key_line)
        lines.append(f"{principal} {key.keytype} {base64.b64encode(key.blob).decode('ascii')}")
    return "".join(f"{line}\n" for line in lines)
