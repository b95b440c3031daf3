"""Job postings and the skills found in them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the posting tables."""
    op.create_table(
        "posting",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("content_hash", sa.String, nullable=False, unique=True),
        sa.Column("source", sa.String, nullable=False),
        sa.Column("title", sa.String),
        sa.Column("role", sa.String, nullable=False),
        sa.Column("posted", sa.Date),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_table(
        "posting_skill",
        sa.Column(
            "posting_id",
            sa.Integer,
            sa.ForeignKey("posting.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("skill_id", sa.String, primary_key=True),
        sa.Column("required", sa.Boolean, nullable=False),
        sa.Column("mentions", sa.Integer, nullable=False),
    )
    op.create_index("ix_posting_skill_skill_id", "posting_skill", ["skill_id"])


def downgrade() -> None:
    """Drop the posting tables."""
    op.drop_table("posting_skill")
    op.drop_table("posting")
