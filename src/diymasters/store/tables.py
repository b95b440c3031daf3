"""The tables, as the store's queries see them.

The Alembic scripts own the schema; these declarations are the queries' view of it, kept
apart from the queries so that every concept's module reads from one place, and a test
compares them with the migrated database so that the two cannot drift apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

metadata = sa.MetaData()

curriculum_table = sa.Table(
    "curriculum",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String, nullable=False, unique=True),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("created_at", sa.DateTime, nullable=False),
    #: When the learner last chose this curriculum (init, import or use); null if never.
    sa.Column("chosen_at", sa.DateTime),
)

domain_table = sa.Table(
    "domain",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "curriculum_id",
        sa.Integer,
        sa.ForeignKey("curriculum.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("parent_id", sa.Integer, sa.ForeignKey("domain.id", ondelete="CASCADE")),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("name", sa.String, nullable=False),
)

resource_table = sa.Table(
    "resource",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "domain_id",
        sa.Integer,
        sa.ForeignKey("domain.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column(
        "parent_id", sa.Integer, sa.ForeignKey("resource.id", ondelete="CASCADE"), index=True
    ),
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
    #: The day the resource left the curriculum (its README item went away); null while in it.
    sa.Column("archived", sa.Date),
    #: Progress counted in parts, as a README's "(3/5)" states it; null when not counted so.
    sa.Column("parts_done", sa.Integer),
    sa.Column("parts_total", sa.Integer),
)

time_entry_table = sa.Table(
    "time_entry",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "resource_id",
        sa.Integer,
        sa.ForeignKey("resource.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("hours", sa.Float, nullable=False),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    #: An entry's id is what `entry remove` names: SQLite must never give it out again.
    sqlite_autoincrement=True,
)

#: A study timer under way: its start is stored so that a crash does not lose the session.
study_session_table = sa.Table(
    "study_session",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "resource_id",
        sa.Integer,
        sa.ForeignKey("resource.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    #: When the session started, in UTC.
    sa.Column("started", sa.DateTime, nullable=False),
    sqlite_autoincrement=True,
)


readme_link_table = sa.Table(
    "readme_link",
    metadata,
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

readme_item_table = sa.Table(
    "readme_item",
    metadata,
    sa.Column(
        "resource_id",
        sa.Integer,
        sa.ForeignKey("resource.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("key", sa.String, nullable=False),
    sa.Column("base_status", sa.String, nullable=False),
)


posting_table = sa.Table(
    "posting",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("content_hash", sa.String, nullable=False, unique=True),
    sa.Column("source", sa.String, nullable=False),
    sa.Column("title", sa.String),
    sa.Column("role", sa.String, nullable=False),
    sa.Column("posted", sa.Date),
    sa.Column("text", sa.Text, nullable=False),
    #: The version of the extractor that found its skills (`skills.extractor_version`).
    sa.Column("extractor", sa.String),
)

posting_skill_table = sa.Table(
    "posting_skill",
    metadata,
    sa.Column(
        "posting_id",
        sa.Integer,
        sa.ForeignKey("posting.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("skill_id", sa.String, primary_key=True, index=True),
    sa.Column("required", sa.Boolean, nullable=False),
    sa.Column("mentions", sa.Integer, nullable=False),
)


resource_skill_table = sa.Table(
    "resource_skill",
    metadata,
    sa.Column(
        "resource_id",
        sa.Integer,
        sa.ForeignKey("resource.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("skill_id", sa.String, primary_key=True),
)


target_table = sa.Table(
    "target",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String, nullable=False, unique=True),
    sa.Column("source", sa.Text, nullable=False),
)

target_skill_table = sa.Table(
    "target_skill",
    metadata,
    sa.Column(
        "target_id", sa.Integer, sa.ForeignKey("target.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("skill_id", sa.String, primary_key=True),
    sa.Column("weight", sa.Float, nullable=False),
    sa.Column("evidence", sa.Text),
)


upstream_table = sa.Table(
    "upstream",
    metadata,
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

plan_table = sa.Table(
    "plan",
    metadata,
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


def insert(connection: Connection, statement: sa.Insert) -> int:
    """Run an insert and return the new row's integer primary key."""
    key = connection.execute(statement).inserted_primary_key
    assert key is not None  # noqa: S101 (every table has an integer primary key)
    return int(key[0])
