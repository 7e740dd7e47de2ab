"""The tables: users, submissions and their versions (one row per save), published rulesets.

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


class PublishedRuleset(Base):
    """One published ruleset: immutable."""

    __tablename__ = "published_rulesets"
    __table_args__ = (UniqueConstraint("ruleset_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    ruleset_id: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(100))
    year: Mapped[int]
    title: Mapped[str] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(100))
    published_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime]

    @property
    def ref(self) -> str:
        """``id@version``."""
        return f"{self.ruleset_id}@{self.version}"

    @property
    def file_name(self) -> str:
        """Its file in the published directory (ids and versions are safe in file names)."""
        return f"{self.ref}.yaml"
