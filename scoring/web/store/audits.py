"""The audit trail's reads and writes: overrides, verifications and sign-offs, never changed.

An override or a sign-off is refused once the submission is signed off (:class:`SignedOffError`);
a verification is kept even then (it changes nothing). Each write holds the submission's row
(:func:`database.lock`), so that a sign-off and an override, or a sign-off and a department's
save, cannot both pass the check at the same moment.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scoring.web.store.audit_tables import OVERRIDE, SIGNOFF, VERIFY, Audit
from scoring.web.store.database import (
    Database,
    SignedOffError,
    lock,
    next_number,
    now,
    signed_off,
)
from scoring.web.store.tables import SUBMITTED, User, Version


class StaleError(Exception):
    """A newer version was submitted after the page the auditor signed off from."""


@dataclass(frozen=True)
class Entry:
    """One action of the trail as a page shows it: the row, who took it, what it kept."""

    audit: Audit
    author: str
    detail: dict[str, Any]


def record(
    database: Database,
    author: User,
    submission_id: int,
    version_number: int,
    action: str,
    **fields: Any,
) -> Audit:
    """Add one action to the trail (``path``, ``points``, ``reason``, ``detail``).

    Raises:
        SignedOffError: for an override or a sign-off, when the submission is signed off.
        StaleError: for a sign-off, when a newer version was submitted meanwhile.
        BusyError: when the write kept colliding with others.
    """
    detail = fields.pop("detail", None)

    def attempt(session: Session) -> Audit:
        lock(session, submission_id)
        if action in (OVERRIDE, SIGNOFF) and signed_off(session, submission_id):
            raise SignedOffError
        if action == SIGNOFF and _latest_submitted(session, submission_id) != version_number:
            raise StaleError
        added = Audit(
            submission_id=submission_id,
            sequence=next_number(session, Audit.sequence, Audit.submission_id, submission_id),
            version_number=version_number,
            action=action,
            author_id=author.id,
            created_at=now(),
            detail_json=None if detail is None else json.dumps(detail, ensure_ascii=False),
            **fields,
        )
        session.add(added)
        return added

    return database.write(attempt)


def _latest_submitted(session: Session, submission_id: int) -> int | None:
    query = select(func.max(Version.number)).where(
        Version.submission_id == submission_id, Version.kind == SUBMITTED
    )
    return session.scalar(query)


def trail(database: Database, submission_id: int) -> list[Entry]:
    """A submission's audit actions, oldest first."""
    with database.session() as session:
        rows = session.execute(
            select(Audit, User.name)
            .join(User, User.id == Audit.author_id)
            .where(Audit.submission_id == submission_id)
            .order_by(Audit.sequence)
        )
        return [
            Entry(audit, name, json.loads(audit.detail_json) if audit.detail_json else {})
            for audit, name in rows
        ]


def overrides_on(entries: list[Entry], version_number: int) -> dict[str, Entry]:
    """The overrides standing on a version: the latest for each indicator path."""
    return {
        entry.audit.path: entry
        for entry in entries
        if entry.audit.action == OVERRIDE
        and entry.audit.version_number == version_number
        and entry.audit.path
    }


def signoff(entries: list[Entry]) -> Entry | None:
    """The sign-off, if the submission has one."""
    return next((entry for entry in entries if entry.audit.action == SIGNOFF), None)


__all__ = [
    "OVERRIDE",
    "SIGNOFF",
    "VERIFY",
    "Entry",
    "StaleError",
    "overrides_on",
    "record",
    "signoff",
    "trail",
]
