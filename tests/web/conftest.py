"""The web app under FastAPI's test client: stateless, and saving to a temporary SQLite."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from scoring.web.accounts import hash_password
from scoring.web.app import create_app
from scoring.web.store.database import Database, database_url

PASSWORD = "正确的密码 horse battery"


@functools.cache
def password_hash() -> str:
    """PASSWORD's hash, made once: argon2 is slow on purpose."""
    return hash_password(PASSWORD)


@pytest.fixture
def client() -> TestClient:
    return TestClient(create_app(), raise_server_exceptions=False)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A --data directory of its own for each test."""
    return tmp_path / "data"


@pytest.fixture
def restart(data: Path) -> Iterator[Callable[[], TestClient]]:
    """Start the app on ``data`` (again): each call a new app, database and cookie jar."""
    opened: list[Database] = []

    def start() -> TestClient:
        url = database_url(data, None)
        assert url is not None
        opened.append(Database(url))
        return TestClient(create_app(database=opened[-1]), raise_server_exceptions=False)

    yield start
    for database in opened:
        database.close()


@pytest.fixture
def saving(restart: Callable[[], TestClient]) -> TestClient:
    """The app keeping its data, with three accounts: two departments and an auditor."""
    client = restart()
    database: Database = client.app.state.database  # type: ignore[attr-defined]
    database.add_user("望城信访", "department", "长沙市望城区信访局", password_hash())
    database.add_user("衡南信访", "department", "衡南县信访局", password_hash())
    database.add_user("审计", "auditor", None, password_hash())
    return client


def csrf_of(page: str) -> str:
    """The CSRF token of the first form on a page."""
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def log_in(client: TestClient, name: str, password: str = PASSWORD) -> None:
    """Log in through the login page, as a browser does."""
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"name": name, "password": password, "csrf": token})
    assert answer.status_code == 200, answer.text  # followed to the submissions
    assert "/submissions" in str(answer.url)
