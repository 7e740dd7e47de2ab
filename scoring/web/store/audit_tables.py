"""The audit trail's table: every override, verification and sign-off an auditor makes.

A row is never updated or deleted. Rows of one submission are numbered (``sequence``), unique
per submission, so that two actions at once cannot both pass a check that the other changes
(the second is tried again, and then sees the first).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from scoring.web.store.tables import Base

OVERRIDE = "override"
VERIFY = "verify"
SIGNOFF = "signoff"
ACTIONS = (OVERRIDE, VERIFY, SIGNOFF)


class Audit(Base):
    """One auditor's action on one version of a submission: immutable."""

    __tablename__ = "audits"
    __table_args__ = (UniqueConstraint("submission_id", "sequence"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    sequence: Mapped[int]
    version_number: Mapped[int]
    """The version the action was taken on."""
    action: Mapped[str] = mapped_column(String(20))
    path: Mapped[str | None] = mapped_column(String(200))
    """An override's indicator path."""
    points: Mapped[str | None] = mapped_column(String(40))
    """An override's points, as the exact decimal text."""
    reason: Mapped[str | None] = mapped_column(Text)
    detail_json: Mapped[str | None] = mapped_column(Text)
    """What else the action keeps: a sign-off's fingerprints and totals, a verdict."""
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
