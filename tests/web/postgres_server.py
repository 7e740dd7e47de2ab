"""A throwaway PostgreSQL server for the test session: its own directory, a Unix socket only.

``initdb`` refuses to run as root, so as root the server runs as the ``postgres`` account
(Debian's package makes it) through ``runuser``. It listens on no TCP port: its socket is in its
temporary directory, where nothing else can reach it. Each test gets a database of its own.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count
from pathlib import Path

import pytest

DEBIAN_BINARIES = "/usr/lib/postgresql/*/bin"
SERVICE_ACCOUNT = "postgres"
SUPERUSER = "scoring"


class UnavailableError(Exception):
    """No PostgreSQL server could be started here."""


def _binaries() -> Path:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(glob.glob(DEBIAN_BINARIES), key=lambda path: int(Path(path).parent.name))
    if not versions:
        raise UnavailableError("PostgreSQL is not installed (no pg_ctl)")
    return Path(versions[-1])


class PostgresServer:
    """A running server and the databases made on it, one per test."""

    def __init__(self, directory: Path):
        self.directory = directory
        self._numbers = count(1)

    def url(self, name: str = "postgres") -> str:
        """The SQLAlchemy URL of database ``name`` (psycopg 3, through the socket)."""
        return f"postgresql+psycopg://{SUPERUSER}@/{name}?host={self.directory}"

    def new_database(self) -> str:
        """A new, empty database's URL."""
        import psycopg

        name = f"test_{next(self._numbers)}"
        with psycopg.connect(
            host=str(self.directory), user=SUPERUSER, dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(f"CREATE DATABASE {name}")  # a name we made, never input
        return self.url(name)


def _as_server_account(command: list[str]) -> list[str]:
    return ["runuser", "-u", SERVICE_ACCOUNT, "--", *command] if os.geteuid() == 0 else command


@contextmanager
def running_server() -> Iterator[PostgresServer]:
    """Start a server in a new temporary directory, yield it, stop it and remove the directory.

    Raises:
        UnavailableError: when PostgreSQL is missing or does not start.
    """
    binaries = _binaries()
    directory = Path(tempfile.mkdtemp(prefix="scoring-pg-"))
    cluster = directory / "cluster"
    try:
        if os.geteuid() == 0:
            shutil.chown(directory, SERVICE_ACCOUNT, SERVICE_ACCOUNT)
        initdb = [str(binaries / "initdb"), "-D", str(cluster), "-U", SUPERUSER, "-A", "trust"]
        _run([*initdb, "-E", "UTF8", "--no-locale", "--no-sync"])
        options = f"-c listen_addresses='' -c unix_socket_directories='{directory}' -c fsync=off"
        pg_ctl = [str(binaries / "pg_ctl"), "-D", str(cluster)]
        _run([*pg_ctl, "-o", options, "-w", "-l", str(directory / "server.log"), "start"])
        try:
            yield PostgresServer(directory)
        finally:
            _run([*pg_ctl, "-m", "immediate", "stop"])
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def _run(command: list[str]) -> None:
    try:
        subprocess.run(_as_server_account(command), check=True, capture_output=True, text=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        output = getattr(exc, "stderr", "") or ""
        raise UnavailableError(f"{Path(command[0]).name} failed: {exc} {output}".strip()) from exc


REQUIRED = ("CI", "SCORING_REQUIRE_POSTGRESQL")
"""Set (CI services set ``CI``; ``.ci/run`` the other), PostgreSQL must run: no skipping."""


def unavailable(reason: str) -> None:
    """Fail where PostgreSQL is required (:data:`REQUIRED`); elsewhere skip, with the reason."""
    message = f"PostgreSQL tests need a server: {reason}"
    if any(os.environ.get(name) for name in REQUIRED):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)
