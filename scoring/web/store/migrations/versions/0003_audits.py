"""The audit trail: overrides with their reasons, verifications and sign-offs.

Revision ID: 0003_audits
Revises: 0002_published_rulesets
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_audits"
down_revision: str | None = "0002_published_rulesets"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create the audits table."""
    op.create_table(
        "audits",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("submission_id", sa.Integer(), sa.ForeignKey("submissions.id"), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("path", sa.String(200), nullable=True),
        sa.Column("points", sa.String(40), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("detail_json", sa.Text(), nullable=True),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("submission_id", "sequence"),
    )
    op.create_index("ix_audits_submission_id", "audits", ["submission_id"])


def downgrade() -> None:
    """Drop it."""
    op.drop_table("audits")
