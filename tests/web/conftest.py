"""The web app under FastAPI's test client: stateless, and saving to a temporary database.

The database is SQLite under a temporary ``--data``; a test marked ``BOTH_DATABASES`` runs once
on SQLite and once on PostgreSQL (a real server for the session, ``postgres_server.py``).
"""

from __future__ import annotations

import functools
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx2
import pytest
from fastapi.testclient import TestClient

from scoring.web.accounts import hash_password
from scoring.web.app import create_app
from scoring.web.store.database import Database, database_url
from scoring.web.store.published import published_directory
from tests.web.postgres_server import PostgresServer, UnavailableError, running_server, unavailable

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


BOTH_DATABASES = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
"""Run the test on SQLite under ``data`` and on a new database of the session's PostgreSQL."""


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the session (skipped where none starts, failed under CI)."""
    try:
        with running_server() as server:
            yield server
    except UnavailableError as exc:
        unavailable(str(exc))


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The database the test runs on: SQLite unless ``BOTH_DATABASES`` says otherwise."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def store_url(backend: str, data: Path, request: pytest.FixtureRequest) -> str:
    """The URL of the test's own empty database (``--data``'s SQLite, or PostgreSQL's)."""
    if backend == "postgresql":
        server: PostgresServer = request.getfixturevalue("postgres_server")
        return server.new_database()
    url = database_url(data, None)
    assert url is not None
    return url


@pytest.fixture
def restart(store_url: str) -> Iterator[Callable[[], TestClient]]:
    """Start the app on the test's database (again): each call a new app, database and cookies."""
    opened: list[Database] = []

    def start() -> TestClient:
        opened.append(Database(store_url))
        return TestClient(create_app(database=opened[-1]), raise_server_exceptions=False)

    yield start
    for database in opened:
        if database.engine.dialect.name != "sqlite":  # not under tmp_path: in the system's /tmp
            shutil.rmtree(published_directory(database), ignore_errors=True)
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


def log_in(client: httpx2.Client, name: str, password: str = PASSWORD) -> None:
    """Log in through the login page, as a browser does (a test client or a real one)."""
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"name": name, "password": password, "csrf": token})
    assert answer.status_code == 200, answer.text  # followed to the submissions
    assert "/submissions" in str(answer.url)
