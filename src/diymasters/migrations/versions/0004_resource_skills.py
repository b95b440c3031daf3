"""Skills a learner tagged a resource with by hand.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the resource_skill table."""
    op.create_table(
        "resource_skill",
        sa.Column(
            "resource_id",
            sa.Integer,
            sa.ForeignKey("resource.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("skill_id", sa.String, primary_key=True),
    )


def downgrade() -> None:
    """Drop the resource_skill table."""
    op.drop_table("resource_skill")
