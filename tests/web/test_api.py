"""The JSON API: the command line's bytes for the same facts, its messages for bad ones."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml  # noqa: TID251 (the examples turned into the JSON documents a client sends)
from fastapi.testclient import TestClient

from tests.conftest import EXAMPLES
from tests.helpers import FACTS, REF, invoke

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def as_json(path: Path) -> bytes:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    # PyYAML reads a bare 2022-12-28 as a date; a client sends it as the text it is
    return json.dumps(document, ensure_ascii=False, default=date.isoformat).encode()


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda path: path.name)
def test_score_returns_the_bytes_the_command_line_prints(
    client: TestClient, path: Path, tmp_path: Path
):
    document = tmp_path / f"{path.stem}.json"  # the same facts, as a client sends them
    document.write_bytes(as_json(path))
    expected = invoke(["--lang", "zh", "score", document, "--format", "json"]).stdout_bytes
    answer = client.post("/api/score", content=document.read_bytes())
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert answer.content == expected


def test_score_takes_the_ruleset_from_the_query(client: TestClient):
    document = yaml.safe_load(FACTS.read_text(encoding="utf-8"))
    del document["ruleset"]
    body = json.dumps(document, ensure_ascii=False).encode()
    answer = client.post("/api/score", params={"ruleset": REF}, content=body)
    assert answer.status_code == 200
    assert answer.json()["total"] == "100.00"


def test_bad_facts_give_422_with_the_command_lines_messages(client: TestClient, tmp_path: Path):
    document = yaml.safe_load(FACTS.read_text(encoding="utf-8"))
    document["facts"]["救助人数"] = "很多"
    document["facts"]["再次上访人数"] = -1
    written = tmp_path / "request.json"
    written.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    said = invoke(["--lang", "zh", "score", written, "--format", "json"], exit_code=1).stderr
    answer = client.post("/api/score", content=written.read_bytes())
    assert answer.status_code == 422
    found = answer.json()
    assert [issue["field"] for issue in found["issues"]] == ["救助人数", "再次上访人数"]
    for issue in found["issues"]:
        assert issue["text"].replace(str(written), "request.json") in said.replace(
            str(written), "request.json"
        )
        assert issue["file"] == "request.json"
        assert issue["line"] == 1


def test_an_unknown_ruleset_is_422_naming_it(client: TestClient):
    answer = client.post("/api/score", content=b'{"ruleset": "no.such@1", "facts": {}}')
    assert answer.status_code == 422
    assert "no.such" in answer.json()["error"]


def test_a_ruleset_is_never_read_from_a_file_path(client: TestClient):
    body = json.dumps({"facts": {}}).encode()
    answer = client.post("/api/score", params={"ruleset": "/etc/passwd"}, content=body)
    assert answer.status_code == 422
    assert "root:" not in answer.text


@pytest.mark.parametrize("body", [b"\xff\xfe", b"[1, 2]", b"{"], ids=["bytes", "list", "broken"])
def test_a_body_that_is_no_facts_document_is_422(client: TestClient, body: bytes):
    answer = client.post("/api/score", content=body)
    assert answer.status_code == 422
    assert answer.json()["issues"]


def test_a_body_over_the_limit_is_refused(client: TestClient):
    answer = client.post("/api/score", content=b" " * (1024 * 1024 + 1))
    assert answer.status_code == 413
    assert "1,048,576" in answer.json()["error"]


def test_a_streamed_body_over_the_limit_is_refused(client: TestClient):
    def chunks():
        for _ in range(20):
            yield b" " * 65536

    answer = client.post("/api/score", content=chunks())
    assert answer.status_code == 413


def test_rulesets_are_listed_as_the_command_line_lists_them(client: TestClient):
    expected = invoke(["rulesets", "--json"]).stdout_bytes
    answer = client.get("/api/rulesets")
    assert answer.status_code == 200
    assert answer.content == expected


def test_healthz_and_the_openapi_docs(client: TestClient):
    assert client.get("/healthz").json() == {"status": "ok"}
    schema = client.get("/openapi.json").json()
    assert {"/api/score", "/api/rulesets", "/healthz"} <= set(schema["paths"])
    assert "/rulesets/{ref}" not in schema["paths"]
    assert client.get("/docs").status_code == 200


def test_an_unknown_api_path_is_json(client: TestClient):
    answer = client.get("/api/nothing")
    assert answer.status_code == 404
    assert answer.json() == {"error": "没有这个页面"}


def test_messages_in_english_when_the_client_asks(client: TestClient):
    body = json.dumps({"ruleset": REF, "facts": {"救助人数": "很多"}}, ensure_ascii=False)
    answer = client.post("/api/score", content=body.encode(), headers={"Accept-Language": "en"})
    assert answer.status_code == 422
    assert "expected a number" in answer.json()["error"]
