"""Which extractor found a stored posting's skills, so that a better one finds them again.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the extractor's version to each posting; postings stored before have none."""
    op.add_column("posting", sa.Column("extractor", sa.String))


def downgrade() -> None:
    """Drop the column in place (see 0008 on why not in batch mode)."""
    op.execute("ALTER TABLE posting DROP COLUMN extractor")
