"""The database: its schema made by the shipped migrations only, and versions never updated."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from scoring.web.store import database as store
from scoring.web.store.database import BusyError, Database, database_url
from scoring.web.store.tables import Base


def test_the_migrations_make_exactly_the_tables_the_models_declare(tmp_path: Path):
    database = Database(database_url(tmp_path, None) or "")
    try:
        with database.engine.connect() as connection:
            context = MigrationContext.configure(connection)
            assert compare_metadata(context, Base.metadata) == []
    finally:
        database.close()


def test_opening_again_migrates_nothing_and_keeps_the_rows(tmp_path: Path):
    url = database_url(tmp_path, None) or ""
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


def test_each_save_is_a_new_version_and_none_is_changed(tmp_path: Path):
    database = Database(database_url(tmp_path, None) or "")
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


def test_saves_at_the_same_moment_each_get_their_own_version(tmp_path: Path):
    """Each thread's save waits for the one before it (the row's lock), none gets an error."""
    database = Database(database_url(tmp_path, None) or "")
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
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Another save took the number between reading it and writing: read again, not a 500."""
    database = Database(database_url(tmp_path, None) or "")
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
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    database = Database(database_url(tmp_path, None) or "")
    try:
        user = database.add_user("望城", "department", "望城区", "hash")
        database.save(user, "望城区", "r@1", "2022", kind="draft", facts_json="first")
        monkeypatch.setattr(store, "next_number", lambda *args: 1)
        with pytest.raises(BusyError):
            database.save(user, "望城区", "r@1", "2022", kind="draft", facts_json="again")
        assert len(database.history(1)) == 1
    finally:
        database.close()


@pytest.mark.parametrize(
    ("reason", "raised"), [("database is locked", BusyError), ("disk I/O error", OperationalError)]
)
def test_a_locked_database_is_busy_and_any_other_fault_is_not_hidden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reason: str, raised: type[Exception]
):
    database = Database(database_url(tmp_path, None) or "")
    try:
        user = database.add_user("望城", "department", "望城区", "hash")
        database.save(user, "望城区", "r@1", "2022", kind="draft", facts_json="first")

        def failing(*args: Any) -> int:
            raise OperationalError("INSERT", {}, Exception(reason))

        monkeypatch.setattr(store, "next_number", failing)
        with pytest.raises(raised):
            database.save(user, "望城区", "r@1", "2022", kind="draft", facts_json="again")
        assert len(database.history(1)) == 1
    finally:
        database.close()
