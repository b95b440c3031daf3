"""Saved targets: the demand a learner aims at, kept under a name.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the target tables."""
    op.create_table(
        "target",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String, nullable=False, unique=True),
        sa.Column("source", sa.Text, nullable=False),
    )
    op.create_table(
        "target_skill",
        sa.Column(
            "target_id",
            sa.Integer,
            sa.ForeignKey("target.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("skill_id", sa.String, primary_key=True),
        sa.Column("weight", sa.Float, nullable=False),
        sa.Column("evidence", sa.Text),
    )


def downgrade() -> None:
    """Drop the target tables."""
    op.drop_table("target_skill")
    op.drop_table("target")
