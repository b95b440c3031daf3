"""Followed upstreams: where a curriculum's README came from, and the version it is based on.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the upstream table."""
    op.create_table(
        "upstream",
        sa.Column(
            "curriculum_id",
            sa.Integer,
            sa.ForeignKey("curriculum.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("location", sa.String, nullable=False),
        sa.Column("ref", sa.String),
        sa.Column("base", sa.Text, nullable=False),
        sa.Column("updated", sa.String, nullable=False),
    )


def downgrade() -> None:
    """Drop the upstream table."""
    op.drop_table("upstream")
