"""`scoring serve`: the web app handed to uvicorn with the options given."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

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
