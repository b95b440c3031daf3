"""The curriculum in use, and study sessions that survive a crash.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add when a curriculum was last chosen, and the study sessions under way."""
    op.add_column("curriculum", sa.Column("chosen_at", sa.DateTime))
    op.create_table(
        "study_session",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "resource_id",
            sa.Integer,
            sa.ForeignKey("resource.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("started", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    """Drop the study sessions and the chosen column in place (see 0008 on why not batch)."""
    op.drop_table("study_session")
    op.execute("ALTER TABLE curriculum DROP COLUMN chosen_at")
