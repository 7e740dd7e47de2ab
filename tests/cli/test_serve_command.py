"""`scoring serve`: the web app handed to uvicorn with the options given."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from scoring.errors import ExitCode
from tests.helpers import RULESET, invoke


def test_serve_runs_the_app_on_the_address_asked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    mine = tmp_path / "mine"
    mine.mkdir()
    copied = RULESET.read_text(encoding="utf-8").replace('version: "2022.1"', 'version: "2022.9"')
    (mine / "wangcheng.yaml").write_text(copied, encoding="utf-8")
    served: dict[str, Any] = {}

    def run(app: Any, **options: Any) -> None:
        served.update(options, app=app)

    monkeypatch.setattr("uvicorn.run", run)
    invoke(["serve", "--port", "8123", "--rulesets", mine])
    assert (served["host"], served["port"]) == ("127.0.0.1", 8123)
    page = TestClient(served["app"]).get("/")
    assert "xinfang.wangcheng-relief@2022.9" in page.text


def test_serve_listens_on_this_computer_only_by_default(monkeypatch: pytest.MonkeyPatch):
    served: dict[str, Any] = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **options: served.update(options))
    invoke(["serve"])
    assert (served["host"], served["port"]) == ("127.0.0.1", 8000)


def test_serve_keeps_its_data_under_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    served: dict[str, Any] = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **options: served.update(app=app))
    invoke(["serve", "--data", tmp_path / "data"])
    assert (tmp_path / "data" / "scoring.sqlite3").is_file()
    database = served["app"].state.database
    try:
        assert TestClient(served["app"]).get("/login").status_code == 200
    finally:
        database.close()


def test_serve_takes_a_database_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    served: dict[str, Any] = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **options: served.update(app=app))
    invoke(["serve", "--db", f"sqlite:///{tmp_path / 'shared.db'}"])
    assert (tmp_path / "shared.db").is_file()
    served["app"].state.database.close()


def test_serve_without_data_keeps_nothing(monkeypatch: pytest.MonkeyPatch):
    served: dict[str, Any] = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **options: served.update(app=app))
    invoke(["serve"])
    assert served["app"].state.database is None


@pytest.mark.parametrize(
    ("url", "told"),
    [
        ("nonsense", "错误：nonsense 不是数据库地址"),
        (
            "mysql://clerk:secret@db/scoring",
            "错误：没有安装 mysql://clerk:***@db/scoring 的数据库驱动",
        ),
        ("postgresql+psycopg://clerk@/scoring?host=/nowhere", "错误：无法打开数据库"),
    ],
)
@pytest.mark.parametrize("command", [["serve"], ["users", "add", "局", "--role", "bureau"]])
def test_a_database_that_cannot_be_opened_is_told_in_one_line(
    monkeypatch: pytest.MonkeyPatch, command: list[str], url: str, told: str
):
    """A bad URL, a missing driver, a server not there: one message, never a traceback."""
    monkeypatch.setattr("uvicorn.run", lambda app, **options: pytest.fail("served"))
    stdin = ["--password-stdin"] if command[0] == "users" else []
    done = invoke(
        ["--lang", "zh", *command, "--db", url, *stdin], ExitCode.NOT_CHECKED, input="pw\n"
    )
    assert told in done.stderr
    assert "secret" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
