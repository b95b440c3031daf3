"""Archived resources: items that left the README keep their history but leave progress.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the day a resource was archived (null while it is part of the curriculum)."""
    with op.batch_alter_table("resource") as batch:
        batch.add_column(sa.Column("archived", sa.Date))


def downgrade() -> None:
    """Drop the archived column."""
    with op.batch_alter_table("resource") as batch:
        batch.drop_column("archived")
