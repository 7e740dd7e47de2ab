"""Published rulesets: kept in the database, never changed, and written out for the search path.

The database is the record: each row holds a ruleset's text as the bureau uploaded it, its
``id@version``, the year it is published for, its fingerprint, who published it and when. A row
is never updated or deleted (a change is a new version, a new row), and an ``id@version`` is
published once (a unique constraint). So that every page, the JSON API and ``extends`` find
them as they find any other ruleset, each is written as ``ID@VERSION.yaml`` into a directory on
the app's search path (:func:`published_directory`), from the database, when the app starts and
when one is published.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from scoring.web.store.database import Database, now
from scoring.web.store.tables import SUBMITTED, PublishedRuleset, Submission, User, Version

PUBLISHED_DIRECTORY = "published-rulesets"


class AlreadyPublishedError(Exception):
    """That ``id@version`` is published already: a change is a new version."""


def publish(
    database: Database,
    author: User,
    *,
    ruleset_id: str,
    version: str,
    year: int,
    title: str,
    text: str,
    fingerprint: str,
) -> PublishedRuleset:
    """Keep a ruleset as published for ``year`` and write its file; refused if already published.

    Raises:
        AlreadyPublishedError: when that ``id@version`` has been published before.
    """
    row = PublishedRuleset(
        ruleset_id=ruleset_id,
        version=version,
        year=year,
        title=title,
        text=text,
        fingerprint=fingerprint,
        published_by=author.id,
        published_at=now(),
    )
    try:
        with database.session() as session:
            session.add(row)
    except IntegrityError as exc:
        raise AlreadyPublishedError(row.ref) from exc
    write_published(database)
    return row


def published(database: Database) -> list[tuple[PublishedRuleset, str]]:
    """Every published ruleset, newest year first, each with the name of who published it."""
    with database.session() as session:
        rows = session.execute(
            select(PublishedRuleset, User.name)
            .join(User, User.id == PublishedRuleset.published_by)
            .order_by(
                PublishedRuleset.year.desc(),
                PublishedRuleset.ruleset_id,
                PublishedRuleset.id,
            )
        )
        return [(row, name) for row, name in rows]


def is_published(database: Database, ruleset_id: str, version: str) -> bool:
    """Whether that ``id@version`` is published."""
    with database.session() as session:
        found = session.scalar(
            select(func.count())
            .select_from(PublishedRuleset)
            .where(PublishedRuleset.ruleset_id == ruleset_id, PublishedRuleset.version == version)
        )
        return bool(found)


def published_directory(database: Database) -> Path:
    """Where the published rulesets are written: beside a SQLite file, else a fixed temp folder.

    The same database gives the same directory on every start, so the results scored under a
    published ruleset name the same file.
    """
    url = database.engine.url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).resolve().parent / PUBLISHED_DIRECTORY
    named = hashlib.sha256(url.render_as_string(hide_password=True).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"scoring-{PUBLISHED_DIRECTORY}-{named}"


def write_published(database: Database) -> Path:
    """Write every published ruleset's text into :func:`published_directory`; its path.

    A file is replaced (atomically) when it is not the database's text, so the database, not
    the file, is what is published.
    """
    directory = published_directory(database)
    directory.mkdir(parents=True, exist_ok=True)
    for row, _name in published(database):
        path = directory / row.file_name
        data = row.text.encode("utf-8")
        if path.is_file() and path.read_bytes() == data:
            continue
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".", suffix=".tmp")
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    return directory


def submitted_in(database: Database, year: str) -> list[tuple[Submission, Version]]:
    """The submissions of ``year`` that have been submitted, each with its latest submitted version.

    A draft saved after a submission does not count: the bureau sees what was submitted.
    """
    with database.session() as session:
        latest = (
            select(Version.submission_id, func.max(Version.number).label("number"))
            .where(Version.kind == SUBMITTED)
            .group_by(Version.submission_id)
            .subquery()
        )
        rows = session.execute(
            select(Submission, Version)
            .join(latest, latest.c.submission_id == Submission.id)
            .join(
                Version,
                (Version.submission_id == Submission.id) & (Version.number == latest.c.number),
            )
            .where(Submission.year == year)
            .order_by(Submission.ruleset_ref, Submission.unit)
        )
        return [(submission, version) for submission, version in rows]


def submission_years(database: Database) -> list[str]:
    """The years with a submitted version or a ruleset published for them, newest first."""
    with database.session() as session:
        submitted = session.scalars(
            select(Submission.year)
            .join(Version, Version.submission_id == Submission.id)
            .where(Version.kind == SUBMITTED)
            .distinct()
        )
        years = {
            *submitted,
            *(str(year) for year in session.scalars(select(PublishedRuleset.year))),
        }
    return sorted(years, reverse=True)
