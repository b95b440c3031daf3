"""Link a curriculum to its README file, and each resource to its item in it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the README link tables."""
    op.create_table(
        "readme_link",
        sa.Column(
            "curriculum_id",
            sa.Integer,
            sa.ForeignKey("curriculum.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("path", sa.String, nullable=False),
        sa.Column("sha256", sa.String, nullable=False),
        sa.Column("autosync", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "readme_item",
        sa.Column(
            "resource_id",
            sa.Integer,
            sa.ForeignKey("resource.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("key", sa.String, nullable=False),
        sa.Column("base_status", sa.String, nullable=False),
    )


def downgrade() -> None:
    """Drop the README link tables."""
    op.drop_table("readme_item")
    op.drop_table("readme_link")
