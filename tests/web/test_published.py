"""Published rulesets in the database: once per id@version, written out from the database."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from scoring.web.store.database import Database
from scoring.web.store.published import (
    AlreadyPublishedError,
    publish,
    published,
    published_directory,
    submission_years,
    submitted_in,
    write_published,
)
from scoring.web.store.tables import DRAFT, SUBMITTED
from tests.web.conftest import BOTH_DATABASES

pytestmark = BOTH_DATABASES


@pytest.fixture
def database(store_url: str) -> Iterator[Database]:
    opened = Database(store_url)
    yield opened
    shutil.rmtree(published_directory(opened), ignore_errors=True)  # PostgreSQL's is in /tmp
    opened.close()


def _publish(database: Database, version: str, text: str = "id: a\n") -> None:
    user = database.user("局") or database.add_user("局", "bureau", None, "hash")
    publish(
        database,
        user,
        ruleset_id="a",
        version=version,
        year=2026,
        title="标题",
        text=text,
        fingerprint="sha256:0",
    )


def test_an_id_at_version_is_kept_once_and_written_as_its_file(database: Database):
    _publish(database, "1")
    with pytest.raises(AlreadyPublishedError):
        _publish(database, "1", "id: a\nchanged: true\n")
    _publish(database, "2")
    assert [row.ref for row, _author in published(database)] == ["a@1", "a@2"]
    directory = published_directory(database)
    assert (directory / "a@1.yaml").read_text(encoding="utf-8") == "id: a\n"
    (directory / "a@1.yaml").unlink()
    write_published(database)
    assert (directory / "a@1.yaml").is_file()
    assert submission_years(database) == ["2026"]


def test_a_database_elsewhere_has_a_directory_of_its_own_that_stays_the_same(
    database: Database, backend: str, tmp_path: Path
):
    """Beside a SQLite file (``--data``); for PostgreSQL or SQLite in memory, named by its URL."""
    again = Database(database.engine.url.render_as_string(hide_password=False))
    try:
        assert published_directory(again) == published_directory(database)
    finally:
        again.close()
    beside = tmp_path / "data" / "published-rulesets"
    assert (published_directory(database) == beside) == (backend == "sqlite")
    memory = Database("sqlite://")
    try:
        assert published_directory(memory) == published_directory(memory)
        assert published_directory(memory).name.startswith("scoring-published-rulesets-")
    finally:
        memory.close()


def test_the_years_submissions_are_each_units_latest_submitted_version(database: Database):
    user = database.add_user("望城", "department", "望城区", "hash")
    for kind, facts in ((SUBMITTED, "1"), (SUBMITTED, "2"), (DRAFT, "3")):
        database.save(user, "望城区", "r@1", "2026", kind=kind, facts_json=facts)
    database.save(user, "衡南县", "r@1", "2026", kind=DRAFT, facts_json="4")
    database.save(user, "望城区", "r@1", "2025", kind=SUBMITTED, facts_json="5")
    ((submission, version),) = submitted_in(database, "2026")
    assert (submission.unit, version.number, version.facts_json) == ("望城区", 2, "2")
    assert submission_years(database) == ["2026", "2025"]
    assert submitted_in(database, "2024") == []
