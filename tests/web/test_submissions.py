"""Drafts and submissions: each save a new immutable version, a unit's own only, kept across restarts."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient

from scoring.web.store import database as store
from scoring.web.store.database import MIGRATIONS
from tests.helpers import FACTS, REF, invoke
from tests.web.conftest import BOTH_DATABASES, csrf_of, log_in
from tests.web.test_pages import FILLED, PAGE


def _save(client: TestClient, action: str, data: dict[str, Any]) -> str:
    """Post the form to save or submit it, as its buttons do; the page it ends on."""
    token = csrf_of(client.get(PAGE).text)
    answer = client.post(f"{PAGE}/{action}", data={**data, "csrf": token})
    assert answer.status_code == 200, answer.text
    return str(answer.url)


def _submission(url: str) -> str:
    found = re.search(r"/submissions/(\d+)$", url)
    assert found, url
    return found.group(0)


@BOTH_DATABASES
def test_a_department_saves_drafts_then_submits_each_a_new_version(saving: TestClient):
    log_in(saving, "望城信访")
    form = saving.get(PAGE).text
    assert 'id="save"' in form
    assert 'value="长沙市望城区信访局"' in form  # the account's unit, filled in
    draft = {key: value for key, value in FILLED.items() if key != "fact.救助人数"}
    first = _submission(_save(saving, "save", draft))
    assert _submission(_save(saving, "save", FILLED)) == first
    assert _submission(_save(saving, "submit", FILLED)) == first
    history = saving.get(first).text
    assert "第 1 版" in history
    assert "第 3 版" in history
    assert history.count("草稿") == 2
    assert "已提交" in history
    assert "望城信访" in history
    listed = saving.get("/submissions").text
    assert "长沙市望城区信访局" in listed
    assert "100.00" in listed
    assert "优" in listed


def test_a_version_keeps_the_result_the_command_line_writes(saving: TestClient, tmp_path: Path):
    log_in(saving, "望城信访")
    submission = _submission(_save(saving, "submit", FILLED))
    written = tmp_path / "result.json"
    invoke(["--lang", "zh", "score", FACTS, "--format", "json", "-o", written])
    kept = saving.get(f"{submission}/versions/1/result.json")
    assert kept.status_code == 200
    assert kept.content == written.read_bytes()
    database = saving.app.state.database  # type: ignore[attr-defined]
    ((version, author),) = database.history(int(submission.rsplit("/", 1)[1]))
    assert author == "望城信访"
    facts = json.loads(version.facts_json)
    assert facts["ruleset"] == REF
    assert facts["facts"]["救助人数"] == "48"
    result = json.loads(written.read_text(encoding="utf-8"))
    assert version.facts_fingerprint == result["facts_fingerprint"]
    assert version.ruleset_fingerprint == result["ruleset"]["fingerprint"]


def test_a_version_reopens_in_the_form(saving: TestClient):
    log_in(saving, "望城信访")
    submission = _submission(_save(saving, "save", FILLED))
    page = saving.get(f"{submission}/versions/1").text
    assert 'value="48"' in page
    assert 'value="satisfaction" checked' in page
    assert '<strong id="total">100.00</strong>' in page


def test_submitting_needs_every_fact_and_the_accounts_unit(saving: TestClient):
    log_in(saving, "望城信访")
    missing = {key: value for key, value in FILLED.items() if key != "fact.救助人数"}
    token = csrf_of(saving.get(PAGE).text)
    page = saving.post(f"{PAGE}/submit", data={**missing, "csrf": token})
    assert page.status_code == 422
    assert 'data-field="fact.救助人数">未填写' in page.text
    other = {**FILLED, "subject.unit": "衡南县信访局", "csrf": token}
    page = saving.post(f"{PAGE}/save", data=other)
    assert page.status_code == 422
    assert "单位须为本账户的单位：长沙市望城区信访局" in page.text
    no_year = {**FILLED, "subject.year": "", "csrf": token}
    assert "请填写年度后再保存" in saving.post(f"{PAGE}/save", data=no_year).text
    assert "还没有保存的自评表" in saving.get("/submissions").text


@BOTH_DATABASES
def test_a_department_sees_only_its_own_units_submissions(saving: TestClient):
    log_in(saving, "望城信访")
    submission = _submission(_save(saving, "submit", FILLED))
    log_in(saving, "衡南信访")
    assert "还没有保存的自评表" in saving.get("/submissions").text
    for path in (submission, f"{submission}/versions/1", f"{submission}/versions/1/result.json"):
        refused = saving.get(path)
        assert refused.status_code == 403, path
        assert "您的账户无权查看此页面" in refused.text
    log_in(saving, "审计")
    assert saving.get(submission).status_code == 200
    assert "长沙市望城区信访局" in saving.get("/submissions").text


def test_only_a_department_saves_and_only_a_logged_in_account_sees(saving: TestClient):
    assert saving.get("/submissions/1").status_code == 401
    assert "请先登录" in saving.get("/submissions/1").text
    token = csrf_of(saving.get("/login").text)
    assert saving.post(f"{PAGE}/save", data={**FILLED, "csrf": token}).status_code == 401
    log_in(saving, "审计")
    token = csrf_of(saving.get(PAGE).text)
    assert 'id="save"' not in saving.get(PAGE).text
    assert saving.post(f"{PAGE}/save", data={**FILLED, "csrf": token}).status_code == 403
    assert saving.get("/submissions/99").status_code == 404


def test_the_stateless_pages_keep_working_without_login(saving: TestClient):
    page = saving.post(PAGE, data=FILLED)
    assert page.status_code == 200
    assert '<strong id="total">100.00</strong>' in page.text
    assert "不保存任何数据" not in page.text
    assert saving.post("/api/score", json={"ruleset": REF}).status_code in (200, 422)


@BOTH_DATABASES
def test_a_restart_finds_everything(saving: TestClient, restart: Callable[[], TestClient]):
    log_in(saving, "望城信访")
    submission = _submission(_save(saving, "save", FILLED))
    _save(saving, "submit", FILLED)
    again = restart()
    log_in(again, "望城信访")  # the account, and the session key: an old cookie still holds
    history = again.get(submission).text
    assert "第 2 版" in history
    assert "已提交" in history
    again.cookies.update(saving.cookies)
    assert again.get(submission).status_code == 200


def _head() -> str | None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def test_the_database_is_sqlite_in_wal_mode_under_data(saving: TestClient, data: Path):
    assert (data / "scoring.sqlite3").is_file()
    database = saving.app.state.database  # type: ignore[attr-defined]
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
        assert revision.scalar() == _head()


def test_every_value_is_escaped_in_the_history(saving: TestClient):
    database = saving.app.state.database  # type: ignore[attr-defined]
    from tests.web.conftest import password_hash

    unit = "<script>alert(1)</script>"
    database.add_user("x", "department", unit, password_hash())
    log_in(saving, "x")
    _save(saving, "save", {**FILLED, "subject.unit": unit})
    for path in ("/submissions", "/submissions/1"):
        page = saving.get(path).text
        assert unit not in page
        assert "&lt;script&gt;" in page


@BOTH_DATABASES
def test_a_save_that_keeps_colliding_is_answered_409_in_chinese(
    saving: TestClient, monkeypatch: pytest.MonkeyPatch
):
    log_in(saving, "望城信访")
    _save(saving, "save", FILLED)
    monkeypatch.setattr(store, "next_number", lambda *args: 1)  # always the number taken
    token = csrf_of(saving.get(PAGE).text)
    answer = saving.post(f"{PAGE}/submit", data={**FILLED, "csrf": token})
    assert answer.status_code == 409
    assert "另一次保存同时提交到本自评表：请重试" in answer.text
    assert "Traceback" not in answer.text
