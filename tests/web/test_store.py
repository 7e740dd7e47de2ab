"""The database: its schema made by the shipped migrations only, and versions never updated."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from scoring.web.store import database as store
from scoring.web.store.database import BusyError, Database
from scoring.web.store.tables import Base
from tests.web.conftest import BOTH_DATABASES

pytestmark = BOTH_DATABASES


def _head() -> str | None:
    config = Config()
    config.set_main_option("script_location", str(store.MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def test_the_migrations_make_exactly_the_tables_the_models_declare(store_url: str):
    """From an empty database to the newest revision, by the migrations only."""
    database = Database(store_url)
    try:
        with database.engine.connect() as connection:
            context = MigrationContext.configure(connection)
            assert compare_metadata(context, Base.metadata) == []
            assert context.get_current_revision() == _head()
    finally:
        database.close()


def test_opening_again_migrates_nothing_and_keeps_the_rows(store_url: str):
    url = store_url
    first = Database(url)
    user = first.add_user("望城", "department", "望城区", "hash")
    first.save(user, "望城区", "r@1", "2022", kind="draft", facts_json="{}")
    key = first.session_key()
    first.close()
    again = Database(url)
    try:
        assert again.session_key() == key
        ((version, author),) = again.history(1)
        assert (version.number, version.kind, author) == (1, "draft", "望城")
    finally:
        again.close()


def test_each_save_is_a_new_version_and_none_is_changed(store_url: str):
    database = Database(store_url)
    try:
        user = database.add_user("望城", "department", "望城区", "hash")
        for facts in ("{}", '{"a": 1}', '{"a": 2}'):
            database.save(user, "望城区", "r@1", "2022", kind="draft", facts_json=facts)
        other = database.save(user, "望城区", "r@1", "2023", kind="draft", facts_json="{}")
        versions = [version for version, _author in database.history(1)]
        assert [(each.number, each.facts_json) for each in versions] == [
            (1, "{}"),
            (2, '{"a": 1}'),
            (3, '{"a": 2}'),
        ]
        assert (other.submission.id, other.version.number) == (2, 1)
        assert [each.id for each, _latest in database.submissions("望城区")] == [1, 2]
        assert database.submissions("别的单位") == []
    finally:
        database.close()


def test_saves_at_the_same_moment_each_get_their_own_version(store_url: str):
    """Each thread's save waits for the one before it (the row's lock), none gets an error."""
    database = Database(store_url)
    try:
        user = database.add_user("望城", "department", "望城区", "hash")
        count = 8
        barrier = threading.Barrier(count)
        failures: list[BaseException] = []

        def save(index: int) -> None:
            barrier.wait()
            try:
                database.save(user, "望城区", "r@1", "2022", kind="draft", facts_json=str(index))
            except BaseException as exc:
                failures.append(exc)

        threads = [threading.Thread(target=save, args=(index,)) for index in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        versions = [version for version, _author in database.history(1)]
        assert [each.number for each in versions] == list(range(1, count + 1))
        assert sorted(each.facts_json for each in versions) == sorted(map(str, range(count)))
        assert len(database.submissions("望城区")) == 1
    finally:
        database.close()


def test_a_save_that_collides_is_tried_again_with_the_next_number(
    store_url: str, monkeypatch: pytest.MonkeyPatch
):
    """Another save took the number between reading it and writing: read again, not a 500."""
    database = Database(store_url)
    try:
        user = database.add_user("望城", "department", "望城区", "hash")
        database.save(user, "望城区", "r@1", "2022", kind="draft", facts_json="first")
        stale = iter([1])  # the number the other save has just taken
        original = store.next_number

        def racing(session: Session, *args: Any) -> int:
            return next(stale, None) or original(session, *args)

        monkeypatch.setattr(store, "next_number", racing)
        saved = database.save(user, "望城区", "r@1", "2022", kind="draft", facts_json="second")
        assert saved.version.number == 2
        assert [v.facts_json for v, _a in database.history(1)] == ["first", "second"]
    finally:
        database.close()


def test_a_save_that_keeps_colliding_is_refused_as_busy(
    store_url: str, monkeypatch: pytest.MonkeyPatch
):
    database = Database(store_url)
    try:
        user = database.add_user("望城", "department", "望城区", "hash")
        database.save(user, "望城区", "r@1", "2022", kind="draft", facts_json="first")
        monkeypatch.setattr(store, "next_number", lambda *args: 1)
        with pytest.raises(BusyError):
            database.save(user, "望城区", "r@1", "2022", kind="draft", facts_json="again")
        assert len(database.history(1)) == 1
    finally:
        database.close()


class _PostgresError(Exception):
    """What psycopg raises: a message (here in Chinese, as lc_messages may say) and a SQLSTATE."""

    def __init__(self, message: str, sqlstate: str):
        super().__init__(message)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("reason", "raised"),
    [
        (Exception("database is locked"), BusyError),
        (Exception("disk I/O error"), OperationalError),
        (_PostgresError("由于同步更新而无法串行访问", "40001"), BusyError),
        (_PostgresError("检测到死锁", "40P01"), BusyError),
        (_PostgresError("由于锁超时, 取消语句", "55P03"), BusyError),
        (_PostgresError("terminating connection: database is locked", "57P01"), OperationalError),
    ],
)
def test_a_locked_database_is_busy_and_any_other_fault_is_not_hidden(
    store_url: str, monkeypatch: pytest.MonkeyPatch, reason: Exception, raised: type[Exception]
):
    database = Database(store_url)
    try:
        user = database.add_user("望城", "department", "望城区", "hash")
        database.save(user, "望城区", "r@1", "2022", kind="draft", facts_json="first")

        def failing(*args: Any) -> int:
            raise OperationalError("INSERT", {}, reason)

        monkeypatch.setattr(store, "next_number", failing)
        with pytest.raises(raised):
            database.save(user, "望城区", "r@1", "2022", kind="draft", facts_json="again")
        assert len(database.history(1)) == 1
    finally:
        database.close()


def test_a_save_waits_for_the_submissions_row_lock_and_is_busy_if_it_is_held_too_long(
    store_url: str, monkeypatch: pytest.MonkeyPatch
):
    """The row lock is real on each database: held elsewhere, a save cannot slip past it."""
    database = Database(store_url)
    try:
        user = database.add_user("望城", "department", "望城区", "hash")
        database.save(user, "望城区", "r@1", "2022", kind="draft", facts_json="first")
        original = store.lock

        def impatient(session: Session, submission_id: int) -> None:
            if session.get_bind().dialect.name == "sqlite":
                session.connection().exec_driver_sql("PRAGMA busy_timeout = 10")
            else:
                session.execute(text("SET LOCAL lock_timeout = '10ms'"))
            original(session, submission_id)

        monkeypatch.setattr(store, "lock", impatient)
        with database.session() as holding:
            original(holding, 1)
            with pytest.raises(BusyError):
                database.save(user, "望城区", "r@1", "2022", kind="draft", facts_json="blocked")
        saved = database.save(user, "望城区", "r@1", "2022", kind="draft", facts_json="after")
        assert [v.facts_json for v, _a in database.history(1)] == ["first", "after"]
        assert saved.version.number == 2
    finally:
        database.close()
