"""The database: its schema made by the shipped migrations only, and versions never updated."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from scoring.web.store.database import Database, database_url
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
