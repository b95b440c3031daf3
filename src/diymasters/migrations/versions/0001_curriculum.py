"""Curricula, domains, resources and time entries.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the curriculum tables."""
    op.create_table(
        "curriculum",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String, nullable=False, unique=True),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "domain",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "curriculum_id",
            sa.Integer,
            sa.ForeignKey("curriculum.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("domain.id", ondelete="CASCADE")),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.String, nullable=False),
    )
    op.create_index("ix_domain_curriculum_id", "domain", ["curriculum_id"])
    op.create_table(
        "resource",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "domain_id", sa.Integer, sa.ForeignKey("domain.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("resource.id", ondelete="CASCADE")),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("title", sa.String, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("url", sa.String),
        sa.Column("provider", sa.String),
        sa.Column("description", sa.Text),
        sa.Column("estimated_hours", sa.Float),
        sa.Column("cost", sa.Float),
        sa.Column("started", sa.Date),
        sa.Column("finished", sa.Date),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
        sa.Column("source", sa.Text),
    )
    op.create_index("ix_resource_domain_id", "resource", ["domain_id"])
    op.create_index("ix_resource_parent_id", "resource", ["parent_id"])
    op.create_table(
        "time_entry",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "resource_id",
            sa.Integer,
            sa.ForeignKey("resource.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("hours", sa.Float, nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_time_entry_resource_id", "time_entry", ["resource_id"])


def downgrade() -> None:
    """Drop the curriculum tables."""
    op.drop_table("time_entry")
    op.drop_table("resource")
    op.drop_table("domain")
    op.drop_table("curriculum")
