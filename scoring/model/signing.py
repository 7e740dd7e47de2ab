"""Ed25519 signatures on results: who vouches for a result, which a fingerprint cannot say.

A fingerprint shows that a result follows from its rules and facts, but anybody can edit a result
and compute its fingerprints again. A signature can only be made with a private key, and checked
with the matching public key, so a result signed by a key the reader trusts was written (or
checked) by that key's holder and not changed since.

- ``scoring keys new NAME`` makes a pair: ``NAME.key``, the private key (PKCS#8 PEM, readable by
  its owner only), and ``NAME.pub``, the public key as one OpenSSH line, ``ssh-ed25519 AAAA… NAME``.
- A signature covers the result's *canonical bytes*: the JSON of the result without its
  ``signatures``, keys sorted, no spaces, UTF-8 (:func:`canonical_bytes`). Layout never counts.
- A signed result keeps its signatures beside what they sign, under ``signatures``: a list of
  ``{algorithm: ed25519, key: sha256:…, value: base64}``, ``key`` being the fingerprint of the
  signer's public key (:func:`key_fingerprint`). One key signs a result once; a second signer
  (an auditor countersigning a department's result) adds a second signature.

Pure: the command line reads and writes the key files.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from scoring.errors import Issue, SigningError
from scoring.i18n import _
from scoring.model.documents import json_text

ALGORITHM = "ed25519"
SIGNATURES = "signatures"
PRIVATE_SUFFIX = ".key"
PUBLIC_SUFFIX = ".pub"
MAX_NAME_LENGTH = 100
KEY_FINGERPRINT = re.compile(r"sha256:[0-9a-f]{64}")
SIGNATURE_LENGTH = 64
"""Bytes in an Ed25519 signature."""


@dataclass(frozen=True)
class SigningKey:
    """A private key to sign with, and the fingerprint of its public half."""

    key: Ed25519PrivateKey
    fingerprint: str


@dataclass(frozen=True)
class TrustedKey:
    """A public key the reader trusts, and the name its file gives the signer."""

    name: str
    key: Ed25519PublicKey
    fingerprint: str


@dataclass(frozen=True)
class SignatureCheck:
    """One signature on a result: whose key, and whether it matches (None: key not trusted)."""

    fingerprint: str
    signer: str | None
    matches: bool | None


def key_fingerprint(key: Ed25519PublicKey) -> str:
    """``sha256:`` and the hex digest of the raw 32-byte public key."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def check_name(name: str) -> str:
    """A signer's name as a file name: trimmed; no path separator, control character or dot start.

    Raises:
        SigningError: saying what the name may not hold.
    """
    cleaned = name.strip()
    bad = [char for char in cleaned if unicodedata.category(char).startswith("C")]
    if not cleaned or len(cleaned) > MAX_NAME_LENGTH:
        message = _("a key's name is 1 to {limit} characters, found {count}")
        raise SigningError([Issue(message.format(limit=MAX_NAME_LENGTH, count=len(cleaned)))])
    if bad or any(char in cleaned for char in '/\\:*?"<>|') or cleaned.startswith((".", "-")):
        message = _(
            "a key's name becomes its file names: no / \\ : * ? \" < > |, no control characters, "
            "and no leading . or -; found {name!r}"
        )
        raise SigningError([Issue(message.format(name=cleaned))])
    return cleaned


def new_key_pair(name: str) -> tuple[bytes, str]:
    """A new key pair for ``name``: the private key's PEM bytes and the public key's line.

    Raises:
        SigningError: when the name cannot be a file name.
    """
    name = check_name(name)
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    return private, f"{public.decode('ascii')} {name}\n"


def parse_private_key(data: bytes, filename: str) -> SigningKey:
    """The private key in a ``.key`` file written by ``scoring keys new``.

    Raises:
        SigningError: when the file holds a public key, another kind of key, or no key.
    """
    if data.lstrip().startswith(b"ssh-"):
        message = _("{file} is a public key: sign with the private key (the .key file of the pair)")
        raise SigningError([Issue(message.format(file=filename))])
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except TypeError as exc:  # encrypted with a passphrase
        message = _(
            "{file}: a key protected by a passphrase cannot be used; make one with scoring keys new"
        )
        raise SigningError([Issue(message.format(file=filename))]) from exc
    except (ValueError, UnsupportedAlgorithm) as exc:
        message = _("{file} is not a private key (make one with scoring keys new NAME)")
        raise SigningError([Issue(message.format(file=filename))]) from exc
    if not isinstance(key, Ed25519PrivateKey):
        message = _("{file} is not an Ed25519 key (make one with scoring keys new NAME)")
        raise SigningError([Issue(message.format(file=filename))])
    return SigningKey(key, key_fingerprint(key.public_key()))


def parse_public_key(text: str, filename: str) -> TrustedKey:
    """The public key in a ``.pub`` file: ``ssh-ed25519 BASE64 NAME`` on one line.

    The name is the file's, not the signer's say: it is how the person who trusts the key
    calls its holder. A file without a name is named by its file name.

    Raises:
        SigningError: when the file holds a private key, another kind of key, or no key.
    """
    if "PRIVATE KEY" in text:
        message = _(
            "{file} is a private key: --trust takes the public key (the .pub file), and the "
            "private key should never leave its owner"
        )
        raise SigningError([Issue(message.format(file=filename))])
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    parts = lines[0].split(None, 2) if len(lines) == 1 else []
    if len(parts) < 2 or parts[0] != "ssh-ed25519":
        message = _("{file} is not a public key written by scoring keys new (ssh-ed25519 … NAME)")
        raise SigningError([Issue(message.format(file=filename))])
    try:
        key = serialization.load_ssh_public_key(f"{parts[0]} {parts[1]}".encode("ascii"))
    except (ValueError, UnsupportedAlgorithm, UnicodeEncodeError) as exc:
        message = _("{file}: the key in it is damaged ({found!r} cannot be read)")
        raise SigningError([Issue(message.format(file=filename, found=parts[1][:40]))]) from exc
    assert isinstance(key, Ed25519PublicKey)  # the type name says so, and the loader checks it
    name = parts[2].strip() if len(parts) == 3 else filename
    return TrustedKey(name, key, key_fingerprint(key))


def canonical_bytes(record: Mapping[str, Any]) -> bytes:
    """What a signature covers: the result without ``signatures``, as compact sorted JSON."""
    body = {key: value for key, value in record.items() if key != SIGNATURES}
    return _canonical(body).encode("utf-8")


def _canonical(value: Any) -> str:
    if isinstance(value, dict):
        items = sorted(value.items())
        return "{" + ",".join(f"{_canonical(key)}:{_canonical(item)}" for key, item in items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_canonical(item) for item in value) + "]"
    if isinstance(value, Decimal):  # a number a person typed into the JSON, kept as written
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def sign(record: Mapping[str, Any], key: SigningKey) -> dict[str, Any]:
    """``record`` with ``key``'s signature added (replacing an earlier one by the same key)."""
    value = key.key.sign(canonical_bytes(record))
    entry = {
        "algorithm": ALGORITHM,
        "key": key.fingerprint,
        "value": base64.b64encode(value).decode("ascii"),
    }
    kept = [
        item
        for item in record.get(SIGNATURES) or []
        if not (isinstance(item, dict) and item.get("key") == key.fingerprint)
    ]
    return {**record, SIGNATURES: [*kept, entry]}


def sign_text(text: str, key: SigningKey) -> str:
    """A result's JSON text (as ``render_json`` writes it), signed, in the same layout."""
    record = json.loads(text)
    assert isinstance(record, dict)  # the engine's own output
    signed = sign(record, key)
    return json_text(signed)


def signature_problem(entry: Any) -> str | None:
    """What is wrong with one signature entry's shape, or None."""
    if not isinstance(entry, dict) or set(entry) != {"algorithm", "key", "value"}:
        return _("a signature is {algorithm: ed25519, key: sha256:…, value: …}")
    if entry["algorithm"] != ALGORITHM:
        return _("unknown signature algorithm {found!r} (expected ed25519)").format(
            found=entry["algorithm"]
        )
    if not isinstance(entry["key"], str) or not KEY_FINGERPRINT.fullmatch(entry["key"]):
        return _("key: expected sha256: and 64 hex digits, found {found!r}").format(
            found=entry["key"]
        )
    if _signature_bytes(entry["value"]) is None:
        return _("value: expected a signature in base64 (64 bytes)")
    return None


def _signature_bytes(value: Any) -> bytes | None:
    if not isinstance(value, str):
        return None
    try:
        decoded = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None
    return decoded if len(decoded) == SIGNATURE_LENGTH else None


def check_signatures(
    record: Mapping[str, Any],
    signatures: Sequence[Mapping[str, Any]],
    trusted: Sequence[TrustedKey],
) -> list[SignatureCheck]:
    """Each signature on ``record``: whose it is and whether it matches, where its key is trusted.

    ``signatures`` must have passed :func:`signature_problem`.
    """
    by_fingerprint = {key.fingerprint: key for key in trusted}
    body = canonical_bytes(record)
    checks = []
    for entry in signatures:
        known = by_fingerprint.get(entry["key"])
        if known is None:
            checks.append(SignatureCheck(entry["key"], None, None))
            continue
        value = _signature_bytes(entry["value"])
        assert value is not None  # signature_problem checked it
        try:
            known.key.verify(value, body)
            matches = True
        except InvalidSignature:
            matches = False
        checks.append(SignatureCheck(entry["key"], known.name, matches))
    return checks
