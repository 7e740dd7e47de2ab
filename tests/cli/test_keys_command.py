"""`scoring keys new`, and `--sign KEY` on score and batch: results a trusted key vouches for."""

from __future__ import annotations

import json
import os
import shutil
import stat

import pytest

from tests.helpers import FACTS, REF, invoke


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(FACTS, tmp_path / "facts.yaml")
    return tmp_path


def test_a_new_pair_is_a_private_key_for_its_owner_and_a_named_public_key(here):
    result = invoke(["keys", "new", "望城区 财政局", "-d", "keys"])
    private, public = here / "keys/望城区 财政局.key", here / "keys/望城区 财政局.pub"
    assert private.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----\n")
    line = public.read_text(encoding="utf-8")
    assert line.startswith("ssh-ed25519 ")
    assert line.endswith(" 望城区 财政局\n")
    if os.name == "posix":
        assert stat.S_IMODE(private.stat().st_mode) == 0o600
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "wrote keys/望城区 财政局.key: the private key; keep it to yourself "
        "(sign with --sign keys/望城区 财政局.key)"
    )
    assert lines[1].startswith("wrote keys/望城区 财政局.pub: the public key sha256:")


def test_an_existing_key_is_never_replaced(here):
    invoke(["keys", "new", "审计局"])
    before = (here / "审计局.key").read_bytes(), (here / "审计局.pub").read_bytes()
    (here / "审计局.key").unlink()  # the public half alone still blocks a new pair
    kept = invoke(["keys", "new", "审计局"], exit_code=2)
    assert kept.stderr.startswith("error: 审计局.pub already exists: a new key would replace it")
    assert not (here / "审计局.key").exists()
    assert (here / "审计局.pub").read_bytes() == before[1]


@pytest.mark.parametrize("name", ["../审计局", "a:b", ".hidden", " "])
def test_a_name_that_cannot_name_files_is_refused(here, name):
    result = invoke(["keys", "new", name], exit_code=2)
    assert result.stderr.startswith("error: a key's name")
    assert list(here.glob("*.key")) == []


@pytest.fixture
def keys(here):
    made = invoke(["keys", "new", "审计局", "-d", "keys"])
    return made.stderr.split("the public key ")[1].split(";")[0]


def test_score_sign_writes_a_signed_result_that_verifies(keys, here):
    invoke(["score", REF, "facts.yaml", "--json", "--sign", "keys/审计局.key", "-o", "r.json"])
    data = json.loads((here / "r.json").read_text(encoding="utf-8"))
    assert [(entry["algorithm"], entry["key"]) for entry in data["signatures"]] == [
        ("ed25519", keys)
    ]
    result = invoke(["verify", "r.json", "--trust", "keys/审计局.pub"])
    assert result.stdout.endswith(": agrees, signed by 审计局\n")


def test_score_sign_without_json_is_a_usage_error(keys):
    result = invoke(["score", REF, "facts.yaml", "--sign", "keys/审计局.key"], exit_code=2)
    assert result.stderr == "error: --sign signs a result: add --json (--format json)\n"


def test_a_private_key_others_can_read_is_warned_about(keys, here):
    if os.name != "posix":
        pytest.skip("file modes are POSIX")
    (here / "keys/审计局.key").chmod(0o644)
    result = invoke(["score", REF, "facts.yaml", "--json", "--sign", "keys/审计局.key"])
    assert result.stderr.startswith("warning: keys/审计局.key can be read by other users")


def test_batch_sign_signs_every_result_written(keys, here):
    (here / "units").mkdir()
    shutil.copy(here / "facts.yaml", here / "units/a.yaml")
    text = (here / "facts.yaml").read_text(encoding="utf-8")
    (here / "units/b.yaml").write_text(
        text.replace("长沙市望城区信访局", "衡南县信访局"), encoding="utf-8"
    )
    invoke(["batch", REF, "units", "--results", "out", "--sign", "keys/审计局.key"])
    result = invoke(["verify", "out", "--trust", "keys/审计局.pub"])
    assert result.stdout.count("agrees, signed by 审计局") == 2
    assert (
        result.stderr.splitlines()[-1] == "2 results: 2 agree, 0 do not agree, 0 cannot be checked"
    )


def test_batch_sign_without_results_is_a_usage_error(keys):
    result = invoke(["batch", REF, "facts.yaml", "--sign", "keys/审计局.key"], exit_code=2)
    assert result.stderr == "error: --sign signs the results: add --results DIR\n"
