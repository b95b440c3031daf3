"""The curriculum in use, study sessions that survive a crash, and parts done of a resource.

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
    """Add when a curriculum was last chosen, the study sessions under way, and parts done."""
    op.add_column("curriculum", sa.Column("chosen_at", sa.DateTime))
    op.add_column("resource", sa.Column("parts_done", sa.Integer))
    op.add_column("resource", sa.Column("parts_total", sa.Integer))
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
        sqlite_autoincrement=True,
    )
    _never_reuse_entry_ids()


def _never_reuse_entry_ids() -> None:
    """Rebuild SQLite's time entries with AUTOINCREMENT, so a removed id is never given again.

    Without it SQLite gives the next entry the id of the last one removed, and a second
    `entry remove N` would delete an entry the learner never meant. Nothing refers to a
    time entry, so rebuilding the table (Alembic's batch mode) loses nothing; PostgreSQL's
    sequences never reuse an id.
    """
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        "time_entry", recreate="always", table_kwargs={"sqlite_autoincrement": True}
    ):
        pass


def downgrade() -> None:
    """Drop what upgrade added, columns in place (see 0008 on why not in batch mode).

    Time entry ids stay never reused: that is no schema a downgrade needs to undo.
    """
    op.drop_table("study_session")
    op.execute("ALTER TABLE resource DROP COLUMN parts_total")
    op.execute("ALTER TABLE resource DROP COLUMN parts_done")
    op.execute("ALTER TABLE curriculum DROP COLUMN chosen_at")
