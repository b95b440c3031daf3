"""Saved plans: the chosen resources and their schedule, with the inputs that produced them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the plan table."""
    op.create_table(
        "plan",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "curriculum_id",
            sa.Integer,
            sa.ForeignKey("curriculum.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("created", sa.String, nullable=False),
        sa.Column("inputs", sa.Text, nullable=False),
        sa.Column("report", sa.Text, nullable=False),
        sa.UniqueConstraint("curriculum_id", "name"),
    )


def downgrade() -> None:
    """Drop the plan table."""
    op.drop_table("plan")
