"""The test session's PostgreSQL: skipped where none can start, but a failure where it must run."""

from __future__ import annotations

import pytest

from tests.web import postgres_server
from tests.web.postgres_server import REQUIRED, UnavailableError, running_server, unavailable


def test_without_postgresql_the_tests_are_skipped_unless_it_is_required(
    monkeypatch: pytest.MonkeyPatch,
):
    for name in REQUIRED:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(pytest.skip.Exception, match="no pg_ctl"):
        unavailable("no pg_ctl")
    for name in REQUIRED:
        monkeypatch.setenv(name, "1")
        with pytest.raises(pytest.fail.Exception, match="no pg_ctl"):
            unavailable("no pg_ctl")
        monkeypatch.delenv(name)


def test_a_machine_without_postgresql_is_told(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(postgres_server, "DEBIAN_BINARIES", "/nowhere/*/bin")
    monkeypatch.setattr("shutil.which", lambda _name: None)
    with pytest.raises(UnavailableError, match="not installed"), running_server():
        pass
