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
    op.add_column("resource", sa.Column("archived", sa.Date))


def downgrade() -> None:
    """Drop the archived column in place.

    Not by rebuilding the table (Alembic's batch mode on SQLite): dropping the old table
    with foreign keys on would delete every time entry and tag that refers to it.
    """
    op.execute("ALTER TABLE resource DROP COLUMN archived")
