"""Study sessions under way: the start of a timer, kept so that a crash loses nothing.

A session's start is written before the timer runs; ending it deletes the row and logs
its time in one transaction, so a session is logged once or not at all, whatever stops the
process in between. One session runs at a time, whichever curriculum its resource is in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa

from diymasters.errors import ConflictError
from diymasters.store.changes import apply_change
from diymasters.store.tables import (
    curriculum_table,
    domain_table,
    insert,
    resource_table,
    study_session_table,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.engine import Connection

    from diymasters.model import Change


@dataclass(frozen=True)
class StudySession:
    """A study session under way: on which resource, of which curriculum, since when."""

    id: int
    resource_id: int
    resource: str
    curriculum: str
    #: When it started, in UTC.
    started: dt.datetime


class StudyUnderWayError(ConflictError):
    """A session is already under way: one runs at a time."""

    def __init__(self, running: StudySession) -> None:
        """Name the session that runs."""
        #: The session under way, for a frontend to say how to end it.
        self.running = running
        super().__init__(
            f"a study session of {running.resource!r} is already under way; one runs at a time"
        )


class StudyEndedError(ConflictError):
    """The session to end is no longer under way: it was stopped or discarded meanwhile."""

    def __init__(self) -> None:
        """Say that nothing was logged twice."""
        super().__init__("that study session has already ended; nothing was logged again")


def running_session(connection: Connection) -> StudySession | None:
    """The session under way, if any (the oldest, should two ever have been stored)."""
    s, r, d, c = study_session_table.c, resource_table.c, domain_table.c, curriculum_table.c
    row = connection.execute(
        sa.select(s.id, s.resource_id, s.started, r.title, c.name)
        .join(resource_table, r.id == s.resource_id)
        .join(domain_table, d.id == r.domain_id)
        .join(curriculum_table, c.id == d.curriculum_id)
        .order_by(s.id)
        .limit(1)
    ).first()
    if row is None:
        return None
    started = row.started.replace(tzinfo=dt.UTC)
    return StudySession(row.id, row.resource_id, row.title, row.name, started)


def start_session(connection: Connection, resource_id: int, started: dt.datetime) -> StudySession:
    """Store a new session's start, unless one is already under way."""
    running = running_session(connection)
    if running is not None:
        raise StudyUnderWayError(running)
    insert(
        connection,
        study_session_table.insert().values(resource_id=resource_id, started=_stored(started)),
    )
    session = running_session(connection)
    assert session is not None  # noqa: S101 (just stored)
    return session


def end_session(
    connection: Connection, session_id: int, started: dt.datetime, changes: Sequence[Change]
) -> None:
    """Delete a session and apply what it logs, in the caller's one transaction.

    The start names the session as well as its id, which a newer session may have taken
    over once this one ended.
    """
    s = study_session_table.c
    # Compared as datetimes, not in SQL: SQLite would compare the texts, and one written by
    # another tool ("…:05.5") reads the same as ours ("…:05.500000") but is another text.
    stored = connection.scalar(sa.select(s.started).where(s.id == session_id))
    if stored is None or stored != _stored(started):
        raise StudyEndedError
    connection.execute(study_session_table.delete().where(s.id == session_id))
    for change in changes:
        apply_change(connection, change)


def _stored(moment: dt.datetime) -> dt.datetime:
    """A moment as the table keeps it: UTC, without a zone."""
    return moment.astimezone(dt.UTC).replace(tzinfo=None)
