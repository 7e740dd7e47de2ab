"""signing: Ed25519 key pairs, the canonical bytes a signature covers, signing and checking."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from scoring.errors import SigningError
from scoring.model.signing import (
    canonical_bytes,
    check_name,
    check_signatures,
    key_fingerprint,
    new_key_pair,
    parse_private_key,
    parse_public_key,
    sign,
    sign_text,
    signature_problem,
)


@pytest.fixture(scope="module")
def pair():
    private, public = new_key_pair("长沙市 财政局")
    return parse_private_key(private, "a.key"), parse_public_key(public, "a.pub")


@pytest.fixture(scope="module")
def other():
    private, public = new_key_pair("someone")
    return parse_private_key(private, "b.key"), parse_public_key(public, "b.pub")


RECORD = {"total": "85.00", "subject": {"unit": "某局"}, "indicators": [{"level": 1}]}


def test_a_new_pair_is_a_pem_private_key_and_a_named_public_line(pair):
    private, public = new_key_pair("长沙市 财政局")
    assert private.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert public.startswith("ssh-ed25519 ")
    assert public.endswith(" 长沙市 财政局\n")
    signing_key, trusted = pair
    assert trusted.name == "长沙市 财政局"  # a name with a space survives the one-line format
    assert signing_key.fingerprint == trusted.fingerprint == key_fingerprint(trusted.key)
    assert trusted.fingerprint.startswith("sha256:")
    assert len(trusted.fingerprint) == 71


def test_the_canonical_bytes_ignore_layout_key_order_and_the_signatures():
    reordered = json.loads(json.dumps(RECORD, indent=4, sort_keys=False))
    signed = {**reordered, "signatures": [{"anything": 1}]}
    expected = '{"indicators":[{"level":1}],"subject":{"unit":"某局"},"total":"85.00"}'
    assert canonical_bytes(RECORD) == canonical_bytes(signed) == expected.encode("utf-8")


def test_the_canonical_bytes_tell_a_number_from_its_text():
    assert canonical_bytes({"total": Decimal("85.00")}) != canonical_bytes({"total": "85.00"})
    assert canonical_bytes({"level": True}) != canonical_bytes({"level": 1})


def test_a_signature_matches_until_anything_changes(pair):
    signing_key, trusted = pair
    signed = sign(RECORD, signing_key)
    [entry] = signed["signatures"]
    assert entry["key"] == trusted.fingerprint
    assert signature_problem(entry) is None
    [check] = check_signatures(signed, signed["signatures"], [trusted])
    assert (check.signer, check.matches) == ("长沙市 财政局", True)
    changed = {**signed, "total": "95.00"}
    [check] = check_signatures(changed, changed["signatures"], [trusted])
    assert check.matches is False


def test_a_signature_by_a_key_not_trusted_is_not_checked(pair, other):
    signed = sign(RECORD, pair[0])
    [check] = check_signatures(signed, signed["signatures"], [other[1]])
    assert (check.signer, check.matches) == (None, None)


def test_a_second_signer_adds_a_signature_and_the_same_one_replaces_its_own(pair, other):
    twice = sign(sign(sign(RECORD, pair[0]), other[0]), pair[0])
    assert [entry["key"] for entry in twice["signatures"]] == [
        other[1].fingerprint,
        pair[1].fingerprint,
    ]
    checks = check_signatures(twice, twice["signatures"], [pair[1], other[1]])
    assert [(check.signer, check.matches) for check in checks] == [
        ("someone", True),
        ("长沙市 财政局", True),
    ]


def test_signed_text_keeps_the_results_layout(pair):
    text = json.dumps(RECORD, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    signed = sign_text(text, pair[0])
    assert signed.startswith(text[: text.index('"subject"')])
    assert json.loads(signed)["signatures"][0]["key"] == pair[1].fingerprint


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ([], "a signature is {algorithm: ed25519, key: sha256:…, value: …}"),
        (
            {"algorithm": "rsa", "key": "k", "value": "v"},
            "unknown signature algorithm 'rsa' (expected ed25519)",
        ),
        (
            {"algorithm": "ed25519", "key": "sha256:12", "value": "v"},
            "key: expected sha256: and 64 hex digits, found 'sha256:12'",
        ),
        (
            {"algorithm": "ed25519", "key": "sha256:" + "0" * 64, "value": "abc"},
            "value: expected a signature in base64 (64 bytes)",
        ),
    ],
)
def test_a_malformed_signature_is_described(entry, expected):
    assert signature_problem(entry) == expected


@pytest.mark.parametrize("name", ["", " ", "a/b", "..\\x", ".hidden", "-rf", "a\nb", "x" * 101])
def test_a_name_that_cannot_be_a_file_name_is_refused(name):
    with pytest.raises(SigningError):
        check_name(name)


def test_the_halves_of_a_pair_are_not_mistaken_for_each_other():
    private, public = new_key_pair("x")
    with pytest.raises(SigningError, match=r"p\.pub is a public key: sign with the private key"):
        parse_private_key(public.encode(), "p.pub")
    with pytest.raises(
        SigningError, match=r"k\.key is a private key: --trust takes the public key"
    ):
        parse_public_key(private.decode(), "k.key")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hello\n", "is not a public key written by scoring keys new"),
        ("ssh-rsa AAAAB3NzaC1yc2E x\n", "is not a public key written by scoring keys new"),
        ("ssh-ed25519 AAAAnotbase64!! x\n", "the key in it is damaged"),
    ],
)
def test_a_file_that_is_not_a_public_key_is_refused(text, expected):
    with pytest.raises(SigningError, match=expected):
        parse_public_key(text, "x.pub")


def test_a_file_that_is_not_a_private_key_is_refused():
    with pytest.raises(SigningError, match="is not a private key"):
        parse_private_key(
            b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "x.key"
        )


def test_a_public_file_without_a_name_is_named_by_its_file():
    _, public = new_key_pair("x")
    assert parse_public_key(" ".join(public.split()[:2]), "审计局.pub").name == "审计局.pub"


def test_a_key_with_a_passphrase_or_of_another_kind_is_refused():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    locked = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"secret"),
    )
    with pytest.raises(SigningError, match="protected by a passphrase"):
        parse_private_key(locked, "locked.key")
    elliptic = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(SigningError, match="is not an Ed25519 key"):
        parse_private_key(elliptic, "ec.key")


# --- messages in Chinese ----------------------------------------------------------------------


@pytest.mark.usefixtures("chinese")
def test_keys_that_cannot_be_used_are_said_in_chinese():
    _, public = new_key_pair("x")
    with pytest.raises(SigningError) as caught:
        parse_private_key(public.encode(), "p.pub")
    assert str(caught.value) == "p.pub 是公钥：签名须用私钥（同一对密钥中的 .key 文件）"
    with pytest.raises(SigningError) as caught:
        parse_public_key("hello\n", "x.pub")
    assert str(caught.value) == ("x.pub 不是 scoring keys new 生成的公钥（ssh-ed25519 … NAME）")
    with pytest.raises(SigningError) as caught:
        check_name("x" * 101)
    assert str(caught.value) == "密钥名称应为 1 到 100 个字符，实际为 101 个"


@pytest.mark.usefixtures("chinese")
def test_a_malformed_signature_is_described_in_chinese():
    assert signature_problem({"algorithm": "rsa", "key": "k", "value": "v"}) == (
        "未知的签名算法 'rsa'（应为 ed25519）"
    )
    assert signature_problem([]) == ("签名的格式为 {algorithm: ed25519, key: sha256:…, value: …}")
