"""The study timer: start a session on a resource, see it, stop it to log its time, or drop it.

The session's start is stored before anything else happens, so a process that dies while
the timer runs loses nothing: the session stays under way until the learner stops or drops
it. Stopping logs through the same rules as any logged time and ends the session in the
same transaction, so it is logged once, whatever happens in between.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from diymasters.masters.base import Part
from diymasters.masters.tracking import ResourceChanged
from diymasters.model import (
    AddTimeEntry,
    check_entry,
    find_any_resource,
    find_resource,
    log_changes,
    stored_id,
)
from diymasters.serialise import OMIT_WHEN_NONE
from diymasters.store import StudyEndedError
from diymasters.study import (
    LoggedPart,
    NoStudySessionError,
    StudyStatus,
    StudyUnderWay,
    session_entries,
    under_way,
)
from diymasters.tracking import resource_report

if TYPE_CHECKING:
    import datetime as dt

    from diymasters.model import Change


@dataclass(frozen=True)
class StudyStopped:
    """A session ended: what ran, what it logged and the resource as it now stands."""

    session: StudyUnderWay
    #: When it was stopped, in UTC.
    ended: dt.datetime
    logged: tuple[LoggedPart, ...]
    resource: ResourceChanged
    #: Why nothing was logged, when nothing was.
    unlogged: str | None = field(default=None, metadata=OMIT_WHEN_NONE)


@dataclass(frozen=True)
class StudyDiscarded:
    """A session dropped without logging anything."""

    session: StudyUnderWay


class StudyPart(Part):
    """Study sessions timed on the curriculum's resources, one at a time."""

    def study_start(self, name: str) -> StudyUnderWay:
        """Start timing a session on a resource, unless one is already under way."""
        resource = find_resource(self.curriculum(), name)
        now = self.now()
        return under_way(self.store.start_study(stored_id(resource), now), now)

    def study_status(self) -> StudyStatus:
        """The session under way, if any, as it stands now."""
        stored = self.store.study_session()
        return StudyStatus(None if stored is None else under_way(stored, self.now()))

    def study_stop(self, *, hours: float | None = None, key: str | None = None) -> StudyStopped:
        """End the session under way and log its time; `hours` replaces the time it ran.

        `key` names the session the caller saw (`StudyUnderWay.key`), so that a form or a
        timer left from an earlier session cannot end a newer one.
        """
        session = self._session(key)
        ended = self.now()
        curriculum = self._load(session.curriculum)
        resource = find_any_resource(curriculum, f"#{session.resource_id}")
        entries = session_entries(session, ended, hours)
        for entry in entries:
            self._day(entry.on)  # refuses a day after today, as `log` does
            check_entry(curriculum, entry)
        changes: list[Change] = []
        if entries:
            changes = log_changes(resource, entries[0])
            changes += [AddTimeEntry(session.resource_id, entry) for entry in entries[1:]]
        self.store.end_study(session.id, session.started, changes)
        after = ResourceChanged.of(
            resource_report(
                find_any_resource(self._load(session.curriculum), f"#{session.resource_id}")
            )
        )
        if entries and curriculum.id == self.curriculum().id:
            after = self._with_autosync(after)
        logged = tuple(LoggedPart(entry.on, entry.hours) for entry in entries)
        unlogged = None if entries else "it lasted under a minute"
        return StudyStopped(session, ended, logged, after, unlogged)

    def study_discard(self, *, key: str | None = None) -> StudyDiscarded:
        """Drop the session under way without logging anything (the one `key` names)."""
        session = self._session(key)
        self.store.end_study(session.id, session.started)
        return StudyDiscarded(session)

    def _session(self, key: str | None) -> StudyUnderWay:
        """The session under way, which must be the one named when one is."""
        session = self.study_status().session
        if session is None and key is None:
            raise NoStudySessionError
        if session is None or (key is not None and session.key != key):
            raise StudyEndedError
        return session
