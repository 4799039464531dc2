"""SSH signatures of git commits, verified in-process (SSHSIG, namespace `git`).

`git log --format=%G?` starts ssh-keygen for every signed commit; this gives the same verdicts
without a process, so a history of tens of thousands of commits is checked in seconds.

"The same verdicts" is meant literally, and each rule below names what it copies:
- git's `parse_buffer_signed_by_header` (commit.c) decides what is signature and what is payload;
- git's `get_format_by_sig` (gpg-interface.c) decides that a signature is SSH at all;
- OpenSSH's sshsig.c and sshkey.c (as in ssh-keygen 9.2) decide what a valid SSHSIG is, including
  the encodings it tolerates, so that a re-encoded but valid signature is not called bad here while
  git calls it good.
For an SSH signature git's answer is always G, U or B, and %GF is empty for B. This module answers E
only where git's answer depends on something it does not implement: an OpenPGP, X.509 or unknown
armor (git asks gpg, or stops), and SSH keys of other types (security keys, certificates, DSA).
"""

from __future__ import annotations

import binascii
import hashlib
import re
from collections.abc import Mapping
from typing import NamedTuple

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from nacl.bindings import crypto_sign_open
from nacl.exceptions import BadSignatureError

from pipeline.model.keys import (
    CURVES,
    ED25519,
    Key,
    Malformed,
    PublicKey,
    Unsupported,
    WireReader,
    fingerprint,
    read_key,
    wire_string,
)

_RSA_SIGNATURES: dict[bytes, type[hashes.HashAlgorithm]] = {
    b"rsa-sha2-256": hashes.SHA256,
    b"rsa-sha2-512": hashes.SHA512,
}
_ED25519_ORDER = 2**252 + 27742317777372353535851937790883648493
_HASHES = {b"sha256": hashlib.sha256, b"sha512": hashlib.sha512}
_BEGIN = b"-----BEGIN SSH SIGNATURE-----"
_END = b"-----END SSH SIGNATURE-----"
_HEX = re.compile(rb"[0-9a-f]+")
_LINE_NOT_CONTINUED = re.compile(rb"\n(?! )")


class Verdict(NamedTuple):  # made for every signed commit: a named tuple is the cheapest value
    status: str  # git's %G?: G good and known, U good but unknown key, B bad, N none, E cannot check
    fingerprint: str | None  # git's %GF: the signing key of a good signature


def split_signed_commit(raw: bytes) -> tuple[bytes, bytes | None]:
    """(the commit as signed, the signature or None), split as git's parse_signed_commit does.

    The signature header is `gpgsig` in a SHA-1 repository and `gpgsig-sha256` in a SHA-256 one
    (told apart by the tree id); several such headers are joined; any other header starting with
    `gpgsig` is left out of both, with its continuation lines.
    """
    return _split_one_signature(raw) or _split_by_lines(raw)


def _split_by_lines(raw: bytes) -> tuple[bytes, bytes | None]:
    first = raw.split(b"\n", 1)[0]
    sha256 = first.startswith(b"tree ") and len(first) == 69 and _HEX.fullmatch(first[5:]) is not None
    wanted = b"gpgsig-sha256 " if sha256 else b"gpgsig "
    payload: list[bytes] = []
    signature: list[bytes] = []
    in_signature = other = False
    parts = raw.split(b"\n")
    lines = [part + b"\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    for i, line in enumerate(lines):
        if (in_signature and line.startswith(b" ")) or line.startswith(wanted):
            signature.append(line[1:] if in_signature and line.startswith(b" ") else line[len(wanted) :])
            in_signature, other = True, False
            continue
        in_signature = False
        if line.startswith(b"gpgsig"):
            other = True
        elif other and not line.startswith(b" "):
            other = False
        if line.startswith(b"\n"):
            payload.extend(lines[i:])
            break
        if not other:
            payload.append(line)
    return b"".join(payload), (b"".join(signature) if signature else None)


def _split_one_signature(raw: bytes) -> tuple[bytes, bytes] | None:
    """The common case, sliced rather than walked line by line: a SHA-1 commit whose header
    holds one `gpgsig` and no other header starting with `gpgsig`. None for anything else."""
    header_end = raw.find(b"\n\n")
    if header_end < 0 or raw.find(b"\n", 0, header_end) != 45:  # `tree <40 hex>`: SHA-1
        return None
    start = raw.find(b"\ngpgsig ", 0, header_end)
    if start < 0 or raw.count(b"\ngpgsig", 0, header_end) != 1:
        return None
    # The signature runs up to the first line end not followed by a continuation line.
    end = _LINE_NOT_CONTINUED.search(raw, start + 1).start()  # type: ignore[union-attr]
    block = raw[start + len(b"\ngpgsig ") : end + 1]
    return raw[: start + 1] + raw[end + 1 :], block.replace(b"\n ", b"\n")


def _dearmor(armored: bytes) -> bytes:
    """sshsig_dearmor (OpenSSH 9.2): the header line, then base64 up to the first footer line.

    Later versions also take CRLF after the header; 9.2 does not, and neither does this.
    """
    if not armored.startswith(_BEGIN + b"\n"):
        raise Malformed("no line end after the header")
    rest = armored[len(_BEGIN) + 1 :]
    end = rest.find(b"\n" + _END)
    if end < 0:
        raise Malformed("no footer")
    b64 = b"".join(rest[:end].split())  # b64_pton skips white space anywhere
    try:
        data = binascii.a2b_base64(b64)
    except binascii.Error:
        raise Malformed("not base64") from None
    # Only the canonical encoding of what was read is taken: no character outside the alphabet
    # (which a2b_base64 would skip), and no padding bits that are not zero (b64_pton refuses those).
    if binascii.b2a_base64(data, newline=False) != b64:
        raise Malformed("not canonical base64")
    return data


class _Sshsig(NamedTuple):
    key_blob: bytes
    namespace: bytes
    hash_name: bytes
    signature: bytes


# What an SSHSIG signs ahead of the message's digest, in git's namespace, for each hash.
_SIGNED_HEADS = {
    name: b"SSHSIG" + wire_string(b"git") + wire_string(b"") + wire_string(name) for name in _HASHES
}
# What ssh-keygen writes for an Ed25519 key and git's namespace, around the key and the signature.
_ED25519_HEAD = b"SSHSIG" + (1).to_bytes(4, "big") + (51).to_bytes(4, "big") + wire_string(ED25519.encode())
_ED25519_MIDDLE = wire_string(b"git") + wire_string(b"") + wire_string(b"sha512") + (83).to_bytes(4, "big")
_ED25519_SIGNATURE = wire_string(ED25519.encode()) + (64).to_bytes(4, "big")


def _parse_sshsig(data: bytes) -> _Sshsig:
    """sshsig_peek_hashalg and the first half of sshsig_wrap_verify."""
    if (  # the usual layout, sliced: what the general reading below gives for it
        len(data) == 173
        and data.startswith(_ED25519_HEAD)
        and data.startswith(b"\x00\x00\x00\x20", 29)
        and data.startswith(_ED25519_MIDDLE, 65)
        and data.startswith(_ED25519_SIGNATURE, 90)
    ):
        return _Sshsig(data[14:65], b"git", b"sha512", data[90:])
    reader = WireReader(data)
    if reader.take(6) != b"SSHSIG" or reader.uint32() > 1:
        raise Malformed("not SSHSIG version 1")
    key_blob = reader.string()
    namespace = reader.cstring()
    reader.string()  # reserved: read, never signed (the signed data has it empty)
    hash_name = reader.cstring()
    signature = reader.string()
    reader.end()
    if hash_name not in _HASHES:
        raise Malformed("hash algorithm is not sha256 or sha512")
    return _Sshsig(key_blob, namespace, hash_name, signature)


def verify_commit(raw: bytes, allowed: Mapping[str, PublicKey]) -> Verdict:
    """git's verdict on a commit object, with `allowed` as its allowed signers (by fingerprint)."""
    payload, armored = split_signed_commit(raw)
    if armored is None:
        return Verdict("N", None)
    if not armored.startswith(_BEGIN):
        return Verdict("E", None)  # OpenPGP, X.509 or unknown: not ours to judge, never good
    try:
        sig = _parse_sshsig(_dearmor(armored))
    except Malformed:
        return Verdict("B", None)
    if sig.namespace != b"git":
        return Verdict("B", None)
    try:
        key = read_key(sig.key_blob)
    except Unsupported:
        return Verdict("E", fingerprint(sig.key_blob))
    except Malformed:
        return Verdict("B", None)
    digest = _HASHES[sig.hash_name](payload).digest()
    signed = _SIGNED_HEADS[sig.hash_name] + wire_string(digest)
    if not _valid(key, sig.signature, signed):
        return Verdict("B", None)
    found = fingerprint(key.canonical)
    return Verdict("G" if found in allowed else "U", found)


def verdicts(raws: list[bytes]) -> list[tuple[str, str | None]]:
    """(status, fingerprint) of each commit with no key allowed: "U" for a good signature.

    The caller decides "G" against its team; this part never changes, so it can be cached.
    """
    return [(status, key) for status, key in (verify_commit(raw, {}) for raw in raws)]


def _valid(key: Key, wrapped: bytes, signed: bytes) -> bool:
    """sshkey_verify as sshsig calls it: the signature's own type must fit the key."""
    try:
        if len(wrapped) == 83 and wrapped.startswith(_ED25519_SIGNATURE):  # the usual, sliced
            algorithm, blob = ED25519.encode(), wrapped[19:]
        else:
            reader = WireReader(wrapped)
            algorithm = reader.cstring()
            blob = reader.string()
            reader.end()
        public = key.public
        if isinstance(public, Ed25519PublicKey):
            if algorithm != ED25519.encode() or len(blob) != 64 or blob[63] & 0xE0:
                return False
            # ssh-keygen refuses an S of 2**253 or more and takes a smaller one modulo the group
            # order, so S + L verifies there; OpenSSL wants S itself below the order.
            reduced = blob
            if blob[63] >= 0x10:  # S may be 2**252 or more, near or past the order
                s = int.from_bytes(blob[32:], "little") % _ED25519_ORDER
                reduced = blob[:32] + s.to_bytes(32, "little")
            # libsodium verifies twice as fast as OpenSSL and accepts a subset of what OpenSSL
            # does (it also refuses small-order points): only its refusals are asked again.
            try:
                crypto_sign_open(reduced + signed, key.canonical[-32:])
                return True
            except BadSignatureError:
                public.verify(reduced, signed)
        elif isinstance(public, rsa.RSAPublicKey):
            size = (public.key_size + 7) // 8
            if algorithm not in _RSA_SIGNATURES or len(blob) > size:
                return False
            public.verify(blob.rjust(size, b"\x00"), signed, padding.PKCS1v15(), _RSA_SIGNATURES[algorithm]())
        else:
            if algorithm != key.keytype.encode():
                return False
            inner = WireReader(blob)
            r, s = inner.mpint(), inner.mpint()
            inner.end()
            public.verify(encode_dss_signature(r, s), signed, ec.ECDSA(CURVES[key.keytype][2]()))
    except (InvalidSignature, ValueError):
        return False
    return True
