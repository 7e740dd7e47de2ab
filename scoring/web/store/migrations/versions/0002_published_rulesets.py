"""Rulesets the finance bureau published: their text, id@version, year, fingerprint, who, when.

Revision ID: 0002_published_rulesets
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_published_rulesets"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create the table of published rulesets (one row each, never updated)."""
    op.create_table(
        "published_rulesets",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ruleset_id", sa.String(200), nullable=False),
        sa.Column("version", sa.String(100), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(100), nullable=False),
        sa.Column("published_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("ruleset_id", "version"),
    )


def downgrade() -> None:
    """Drop it."""
    op.drop_table("published_rulesets")
