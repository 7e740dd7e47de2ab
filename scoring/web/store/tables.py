"""The tables: users, submissions, and the versions of a submission (one row per save).

A version is never updated: each save adds one, with the facts as sent, the result as
``scoring score --format json`` writes it, and the two fingerprints. A submission's state is
its latest version's ``kind`` (draft or submitted).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ROLES = ("bureau", "department", "auditor")
DRAFT = "draft"
SUBMITTED = "submitted"


class Base(DeclarativeBase):
    """The metadata every table belongs to (the migrations' target)."""


class Setting(Base):
    """A value the app keeps for itself, such as the key that signs session cookies."""

    __tablename__ = "settings"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class User(Base):
    """An account: its role, the unit a department is bound to, its argon2 password hash."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    unit: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class Submission(Base):
    """A unit's 自评表 for one ruleset and year, through all its versions."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("unit", "ruleset_ref", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    unit: Mapped[str] = mapped_column(String(200), index=True)
    ruleset_ref: Mapped[str] = mapped_column(String(200))
    year: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime]


class Version(Base):
    """One save of a submission: immutable."""

    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("submission_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    number: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    facts_json: Mapped[str] = mapped_column(Text)
    result_json: Mapped[str | None] = mapped_column(Text)
    ruleset_fingerprint: Mapped[str | None] = mapped_column(String(100))
    facts_fingerprint: Mapped[str | None] = mapped_column(String(100))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
