"""The auditor's pages: any unit's submission, overrides with reasons, verify, the sign-off."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from httpx2 import Response

from tests.helpers import FACTS, invoke
from tests.web.conftest import BOTH_DATABASES, csrf_of, log_in
from tests.web.test_pages import FILLED, PAGE
from tests.web.test_submissions import _save, _submission

LEAF = "output.quantity.aided"


def _submitted(client: TestClient) -> str:
    """The 望城区 2022 example submitted by its department; the submission's path."""
    log_in(client, "望城信访")
    submission = _submission(_save(client, "submit", FILLED))
    log_in(client, "审计")
    return submission


def _post(client: TestClient, submission: str, action: str, data: dict[str, str]) -> Response:
    """Post one of the audit page's forms, with the session's CSRF token."""
    token = csrf_of(client.get(f"{submission}/audit").text)
    return client.post(f"{submission}/audit/{action}", data={**data, "csrf": token})


def _override(client: TestClient, submission: str, **data: str) -> Response:
    return _post(client, submission, "override", data)


def _figure(page: str, name: str) -> str:
    found = re.search(rf'<strong id="{name}">([^<]*)</strong>', page)
    assert found, name
    return found.group(1)


def _audited_by_the_command_line(tmp_path: Path, points: str, reason: str) -> dict[str, Any]:
    """What ``scoring score --overrides`` writes for the example with one auditor's override."""
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text(
        f"overrides:\n  {LEAF}: {{points: {points}, reason: {reason}, by: 审计}}\n",
        encoding="utf-8",
    )
    written = tmp_path / "audited.json"
    invoke(["score", FACTS, "--overrides", overrides, "--format", "json", "-o", written])
    result: dict[str, Any] = json.loads(written.read_text(encoding="utf-8"))
    return result


def _row(page: str, path: str) -> str:
    found = re.search(rf'data-path="{re.escape(path)}">(.*?)</tr>', page, re.S)
    assert found, path
    return found.group(1)


@BOTH_DATABASES
def test_an_auditor_overrides_an_indicator_and_sees_both_totals(saving: TestClient, tmp_path: Path):
    expected = _audited_by_the_command_line(tmp_path, "18", "2人不符合条件")
    submission = _submitted(saving)
    first = saving.get(f"{submission}/audit")
    assert first.status_code == 200
    assert _figure(first.text, "audited-total") == _figure(first.text, "self-total")
    assert _figure(first.text, "self-total") == expected["self_total"]
    answer = _override(saving, submission, path=LEAF, points="18", reason="2人不符合条件")
    assert answer.status_code == 200, answer.text
    page = saving.get(f"{submission}/audit").text
    assert _figure(page, "self-total") == expected["self_total"]
    assert _figure(page, "self-grade") == expected["self_grade"]
    assert _figure(page, "audited-total") == expected["total"]
    assert _figure(page, "audited-grade") == expected["grade"]
    assert expected["total"] != expected["self_total"]
    leaf = next(node for node in _walk(expected["indicators"]) if node["path"] == LEAF)
    row = _row(page, LEAF)
    assert f'<td class="self">{leaf["self_score"]}</td>' in row
    assert f'<td class="audited">{leaf["score"]}</td>' in row
    assert "2人不符合条件（审计）" in row
    assert "2人不符合条件" in saving.get(submission).text  # the trail, on the history too


def _walk(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [each for node in nodes for each in (node, *_walk(node.get("children") or []))]


def test_a_later_override_of_the_same_indicator_replaces_the_earlier_one(saving: TestClient):
    submission = _submitted(saving)
    _override(saving, submission, path=LEAF, points="18", reason="第一次")
    _override(saving, submission, path=LEAF, points="19", reason="复核后")
    page = saving.get(f"{submission}/audit").text
    row = _row(page, LEAF)
    assert 'class="audited">19' in row
    assert "复核后" in row
    assert "第一次" not in row
    assert page.count('class="override"') == 3  # the form, and both rows of the trail


def test_a_wrong_override_is_refused_at_its_field_in_chinese(saving: TestClient):
    submission = _submitted(saving)
    cases = [
        ({"path": LEAF, "points": "21", "reason": "多了"}, "points", "超出 0–20"),
        ({"path": LEAF, "points": "十八", "reason": "文字"}, "points", "应为分数"),
        ({"path": LEAF, "points": "18", "reason": "  "}, "reason", "必填"),
        ({"path": "output", "points": "18", "reason": "组"}, "path", "请选择"),
    ]
    for data, field, words in cases:
        answer = _override(saving, submission, **data)
        assert answer.status_code == 422, data
        found = re.search(rf'data-field="{field}">([^<]*)<', answer.text)
        assert found, data
        assert words in found.group(1), (data, found.group(1))
    page = saving.get(f"{submission}/audit").text
    assert 'id="trail"' not in page  # nothing was kept


def test_every_value_on_the_audit_page_is_escaped(saving: TestClient):
    submission = _submitted(saving)
    reason = '<script>alert("x")</script>'
    _override(saving, submission, path=LEAF, points="18", reason=reason)
    for page in (saving.get(f"{submission}/audit").text, saving.get(submission).text):
        assert reason not in page
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_only_an_auditor_audits(saving: TestClient):
    submission = _submitted(saving)
    assert saving.get(f"{submission}/audit").status_code == 200
    log_in(saving, "望城信访")
    assert saving.get(f"{submission}/audit").status_code == 403
    token = csrf_of(saving.get(submission).text)
    refused = saving.post(f"{submission}/audit/signoff", data={"csrf": token, "version": "1"})
    assert refused.status_code == 403
    assert "您的账户无权查看此页面" in refused.text
    log_in(saving, "审计")
    assert saving.get("/submissions/99/audit").status_code == 404


def test_a_draft_is_not_audited(saving: TestClient):
    log_in(saving, "望城信访")
    submission = _submission(_save(saving, "save", FILLED))
    log_in(saving, "审计")
    page = saving.get(f"{submission}/audit").text
    assert "尚未提交" in page
    assert 'id="signoff"' not in page


def _verify(client: TestClient, submission: str, name: str, content: bytes) -> Response:
    token = csrf_of(client.get(f"{submission}/audit").text)
    files = {"result": (name, content, "application/json")}
    return client.post(f"{submission}/audit/verify", data={"csrf": token}, files=files)


def test_verify_says_whether_an_uploaded_result_agrees_with_every_difference(
    saving: TestClient, tmp_path: Path
):
    submission = _submitted(saving)
    written = tmp_path / "result.json"
    invoke(["score", FACTS, "--format", "json", "-o", written])
    agrees = _verify(saving, submission, "result.json", written.read_bytes())
    assert agrees.status_code == 200
    assert '<strong id="verdict">一致</strong>' in agrees.text
    edited = json.loads(written.read_text(encoding="utf-8"))
    edited["total"] = "99.00"
    differs = _verify(saving, submission, "edited.json", json.dumps(edited).encode())
    assert '<strong id="verdict">不一致</strong>' in differs.text
    table = re.search(r'<table class="differences".*?</table>', differs.text, re.S)
    assert table is not None
    assert "总分" in table.group(0)
    assert "99.00" in table.group(0)
    edited = json.loads(written.read_text(encoding="utf-8"))
    edited["ruleset"]["version"] = "1999.1"
    unknown = _verify(saving, submission, "other.json", json.dumps(edited).encode())
    assert '<strong id="verdict">无法核对</strong>' in unknown.text
    garbled = _verify(saving, submission, "garbled.json", b"\xff\xfe{")
    assert '<strong id="verdict">不一致</strong>' in garbled.text
    assert "UTF-8" in garbled.text
    trail = saving.get(submission).text
    for name, verdict in (("result.json", "一致"), ("edited.json", "不一致")):
        assert f"{name}：{verdict}" in trail
    assert "other.json：无法核对" in trail


def test_verify_needs_a_file(saving: TestClient):
    submission = _submitted(saving)
    token = csrf_of(saving.get(f"{submission}/audit").text)
    answer = saving.post(f"{submission}/audit/verify", data={"csrf": token})
    assert answer.status_code == 422
    assert "请选择要核验的结果文件" in answer.text


@BOTH_DATABASES
def test_the_sign_off_freezes_the_record_and_a_restart_keeps_it(
    saving: TestClient, restart: Callable[[], TestClient]
):
    submission = _submitted(saving)
    _override(saving, submission, path=LEAF, points="18", reason="2人不符合条件")
    signed = _post(saving, submission, "signoff", {"version": "1"})
    assert signed.status_code == 200
    history = signed.text
    assert 'id="signed"' in history
    assert "已签署：审计" in history
    database = saving.app.state.database  # type: ignore[attr-defined]
    ((version, _author),) = database.history(1)
    assert version.facts_fingerprint in history
    assert version.ruleset_fingerprint in history
    assert "审核调整指纹" in history
    for action, data in (
        ("override", {"path": LEAF, "points": "17", "reason": "再改"}),
        ("signoff", {"version": "1"}),
    ):
        refused = _post(saving, submission, action, data)
        assert refused.status_code == 409, action
        assert "已签署" in refused.text
    page = saving.get(f"{submission}/audit").text
    assert 'id="override"' not in page
    assert 'id="signoff"' not in page
    log_in(saving, "望城信访")
    token = csrf_of(saving.get(PAGE).text)
    refused = saving.post(f"{PAGE}/submit", data={**FILLED, "csrf": token})
    assert refused.status_code == 409
    assert "不再接受新版本" in refused.text
    assert len(database.history(1)) == 1
    again = restart()
    log_in(again, "审计")
    history = again.get(submission).text
    assert "已签署：审计" in history
    assert "2人不符合条件" in history
    assert version.facts_fingerprint in history
    page = again.get(f"{submission}/audit").text
    assert _figure(page, "audited-total") != _figure(page, "self-total")


def test_a_sign_off_from_a_page_older_than_the_newest_version_is_refused(saving: TestClient):
    submission = _submitted(saving)
    assert 'name="version" value="1"' in saving.get(f"{submission}/audit").text
    log_in(saving, "望城信访")
    _save(saving, "submit", FILLED)
    log_in(saving, "审计")
    token = csrf_of(saving.get(submission).text)
    refused = saving.post(f"{submission}/audit/signoff", data={"csrf": token, "version": "1"})
    assert refused.status_code == 409
    assert "其间已提交了更新的版本" in refused.text
    assert 'id="signed"' not in saving.get(submission).text
