"""The database of ``scoring serve``: opened, migrated to the newest schema, read and written.

Every write is its own transaction, committed before the page that asked for it answers: what a
page has acknowledged survives a restart or a killed server (SQLite in WAL mode, synchronous).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, func, make_url, select, update
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from scoring.i18n import _
from scoring.web.store.audit_tables import SIGNOFF, Audit
from scoring.web.store.tables import Setting, Submission, User, Version

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DATABASE_FILE = "scoring.sqlite3"
SESSION_KEY = "session_key"
ATTEMPTS = 5
"""How often a write that collided with another one at the same moment is tried again."""
T = TypeVar("T")
CONTENTION = ("locked", "busy")
"""Words of SQLite's errors that say another write was in the way (its only way of saying so)."""
CONTENTION_STATES = frozenset({"40001", "40P01", "55P03"})
"""PostgreSQL's SQLSTATEs for the same: serialization failure, deadlock, lock not available.

Codes, not words: a server's messages may be in Chinese (``lc_messages``)."""


class SignedOffError(Exception):
    """The submission is signed off: nothing more is added to it."""


class UnavailableError(Exception):
    """The database cannot be opened: not a URL, no driver installed for it, or no server."""


class BusyError(Exception):
    """A write kept colliding with others (or the database stayed locked): try again later."""


def database_url(data: Path | None, url: str | None) -> str | None:
    """The URL ``--db`` gives, else SQLite under ``--data``, else None (nothing is kept)."""
    if url:
        return url
    if data is not None:
        return f"sqlite:///{data.resolve() / DATABASE_FILE}"
    return None


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def migrate(engine: Engine) -> None:
    """Bring the database to the newest revision of the shipped migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@dataclass(frozen=True)
class Saved:
    """A version as a page shows it."""

    submission: Submission
    version: Version


class Database:
    """One database: its engine, migrated when opened, and the reads and writes of the pages."""

    def __init__(self, url: str):
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine = create_engine(url)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas)
            migrate(self.engine)
        except (NoSuchModuleError, ModuleNotFoundError) as exc:
            message = _(
                "error: no database driver for {url} (PostgreSQL: pip install 'scoring[postgres]')"
            )
            raise UnavailableError(message.format(url=_shown(url))) from exc
        except ArgumentError as exc:
            message = _(
                "error: {url} is not a database URL (such as postgresql+psycopg://USER@HOST/NAME)"
            )
            raise UnavailableError(message.format(url=url)) from exc
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0]
            message = _("error: cannot open the database {url}: {reason}")
            raise UnavailableError(message.format(url=_shown(url), reason=reason)) from exc
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction, committed when the block ends without an error."""
        with self._sessions.begin() as session:
            yield session

    def close(self) -> None:
        """Let the engine's connections go."""
        self.engine.dispose()

    def session_key(self) -> str:
        """The key that signs session cookies, made on the first start and kept."""
        with self.session() as session:
            setting = session.get(Setting, SESSION_KEY)
            if setting is None:
                setting = Setting(name=SESSION_KEY, value=secrets.token_urlsafe(32))
                session.add(setting)
            return setting.value

    def add_user(self, name: str, role: str, unit: str | None, password_hash: str) -> User:
        """A new account (the name must be free)."""
        user = User(name=name, role=role, unit=unit, password_hash=password_hash, created_at=now())
        with self.session() as session:
            session.add(user)
        return user

    def user(self, name: str) -> User | None:
        """The account called ``name``."""
        with self.session() as session:
            return session.scalars(select(User).where(User.name == name)).one_or_none()

    def user_by_id(self, user_id: int) -> User | None:
        """The account with this id."""
        with self.session() as session:
            return session.get(User, user_id)

    def save(self, author: User, unit: str, ruleset_ref: str, year: str, **version: Any) -> Saved:
        """A new version of the unit's submission for the ruleset and year (made if new).

        Raises:
            SignedOffError: when the submission is signed off.
            BusyError: when the write kept colliding with others.
        """

        def attempt(session: Session) -> Saved:
            found = session.scalars(
                select(Submission).where(
                    Submission.unit == unit,
                    Submission.ruleset_ref == ruleset_ref,
                    Submission.year == year,
                )
            ).one_or_none()
            if found is None:
                found = Submission(unit=unit, ruleset_ref=ruleset_ref, year=year, created_at=now())
                session.add(found)
                session.flush()
            else:
                lock(session, found.id)
                if signed_off(session, found.id):
                    raise SignedOffError
            saved = Version(
                submission_id=found.id,
                number=next_number(session, Version.number, Version.submission_id, found.id),
                author_id=author.id,
                created_at=now(),
                **version,
            )
            session.add(saved)
            return Saved(found, saved)

        return self.write(attempt)

    def write(self, attempt: Callable[[Session], T]) -> T:
        """``attempt`` in a transaction, tried again when it collided with another write.

        Raises:
            BusyError: when every attempt collided (a unique number taken meanwhile, or locked).
        """
        for _attempt in range(ATTEMPTS):
            try:
                with self.session() as session:
                    return attempt(session)
            except IntegrityError:
                continue  # another write took the number or made the submission: read again
            except OperationalError as exc:
                if not contended(exc):
                    raise  # not another write in the way: a fault, for the error page
                continue  # the database stayed locked past its timeout: try once more
        raise BusyError

    def submissions(self, unit: str | None) -> list[tuple[Submission, Version]]:
        """The submissions of ``unit`` (of every unit with None), each with its latest version."""
        with self.session() as session:
            query = select(Submission).order_by(Submission.id)
            if unit is not None:
                query = query.where(Submission.unit == unit)
            return [(each, self._latest(session, each.id)) for each in session.scalars(query)]

    def submission(self, submission_id: int) -> Submission | None:
        """One submission."""
        with self.session() as session:
            return session.get(Submission, submission_id)

    def history(self, submission_id: int) -> list[tuple[Version, str]]:
        """A submission's versions, oldest first, each with its author's name."""
        with self.session() as session:
            rows = session.execute(
                select(Version, User.name)
                .join(User, User.id == Version.author_id)
                .where(Version.submission_id == submission_id)
                .order_by(Version.number)
            )
            return [(version, name) for version, name in rows]

    @staticmethod
    def _latest(session: Session, submission_id: int) -> Version:
        return session.scalars(
            select(Version)
            .where(Version.submission_id == submission_id)
            .order_by(Version.number.desc())
            .limit(1)
        ).one()


def contended(error: OperationalError) -> bool:
    """Whether the error says another write was in the way (not a fault of the database)."""
    state = getattr(error.orig, "sqlstate", None)
    if state is not None:
        return state in CONTENTION_STATES
    return any(word in str(error.orig).lower() for word in CONTENTION)


def lock(session: Session, submission_id: int) -> None:
    """Hold the submission's row until the transaction ends: its writes take turns.

    PostgreSQL (and any database with row locks): ``SELECT … FOR UPDATE``; each statement after
    it then reads what the transaction before it committed. SQLite has no row locks and ignores
    ``FOR UPDATE``: an update that changes nothing takes the database's write lock instead.
    """
    if session.get_bind().dialect.name == "sqlite":
        changing_nothing = Submission.unit
        query: Any = update(Submission).values(unit=changing_nothing)
    else:
        query = select(Submission.id).with_for_update()
    session.execute(query.where(Submission.id == submission_id))


def signed_off(session: Session, submission_id: int) -> bool:
    """Whether the submission has a sign-off."""
    query = select(Audit.id).where(Audit.submission_id == submission_id, Audit.action == SIGNOFF)
    return session.scalars(query.limit(1)).first() is not None


def next_number(session: Session, column: Any, owner: Any, owner_id: int) -> int:
    """One more than the largest ``column`` of the rows whose ``owner`` is ``owner_id``."""
    last = session.scalar(select(func.max(column)).where(owner == owner_id))
    return int(last or 0) + 1


def now() -> datetime:
    """The time a row is written, in UTC without a zone (as every database keeps it)."""
    return datetime.now(UTC).replace(tzinfo=None)
