"""The study timer's rules: how long a session ran, and the time entries it logs.

A session is logged as time spent, through the same limits as any entry (a day holds at
most 24 h, no day in the future). Its time is counted in whole minutes and split at the
learner's local midnight, so that each day gets the hours studied on it. A session that
ran longer than `LONGEST_SESSION` is taken for a timer left running: it is not logged
unless the learner says how many hours they studied, and a session under a minute logs
nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from diymasters.errors import Category, DiyMastersError, NotFoundError
from diymasters.model import TimeEntry

if TYPE_CHECKING:
    from diymasters.store import StudySession

#: The longest session logged as timed. Longer, it was most likely left running overnight
#: (issue 15): the learner gives the hours they studied instead.
LONGEST_SESSION = dt.timedelta(hours=12)
#: What a timed entry's note says, so the learner can tell it in the list of entries.
TIMED_NOTE = "study timer"


@dataclass(frozen=True)
class StudyUnderWay:
    """A study session under way, as the learner sees it at one moment."""

    id: int
    resource_id: int
    resource: str
    curriculum: str
    #: When it started, in UTC.
    started: dt.datetime
    #: Whole minutes since the start.
    minutes: int
    #: Whether stopping logs the time it ran: no if longer than `LONGEST_SESSION`.
    loggable: bool

    @property
    def key(self) -> str:
        """What a form or a timer names the session by, to end that one and no other.

        Session ids are never given again (the table is AUTOINCREMENT), and the resource in
        the key makes a stale form's intent plain: it can end only the session it was drawn
        for.
        """
        return f"{self.id}-{self.resource_id}"

    @property
    def started_local(self) -> dt.datetime:
        """The start in the learner's own time zone."""
        return self.started.astimezone()


@dataclass(frozen=True)
class StudyStatus:
    """The session under way, or None when there is none."""

    session: StudyUnderWay | None


@dataclass(frozen=True)
class LoggedPart:
    """The hours a session logged on one day."""

    date: dt.date
    hours: float


class NoStudySessionError(NotFoundError):
    """No study session is under way."""

    def __init__(self) -> None:
        """Say so."""
        super().__init__("no study session is under way")


class SessionTooLongError(DiyMastersError):
    """A session too long to be timed: the learner must say how many hours it was."""

    category = Category.NEEDS_CONFIRMATION

    def __init__(self, session: StudyUnderWay) -> None:
        """Say how long it ran, and that nothing was logged."""
        super().__init__(
            f"the study session of {session.resource!r} has run {duration(session.minutes)} "
            f"since {session.started_local:%Y-%m-%d %H:%M}, longer than "
            f"{duration(_minutes(LONGEST_SESSION))}: a timer left running, most likely; "
            "nothing was logged"
        )


def under_way(session: StudySession, now: dt.datetime) -> StudyUnderWay:
    """A stored session as it stands at `now`."""
    ran = now - session.started
    return StudyUnderWay(
        id=session.id,
        resource_id=session.resource_id,
        resource=session.resource,
        curriculum=session.curriculum,
        started=session.started,
        minutes=max(_minutes(ran), 0),
        loggable=dt.timedelta(0) <= ran <= LONGEST_SESSION,
    )


def session_entries(
    session: StudyUnderWay, ended: dt.datetime, hours: float | None = None
) -> list[TimeEntry]:
    """The entries a stopped session logs, oldest first.

    With `hours`, the learner's own count, on the day the session started; without, the
    time it ran, split at local midnight, refused when it is too long to have been timed.
    """
    if hours is not None:
        return [TimeEntry(session.started_local.date(), hours, TIMED_NOTE)]
    if not session.loggable:
        raise SessionTooLongError(session)
    return [
        TimeEntry(day, minutes / 60, TIMED_NOTE)
        for day, minutes in _minutes_by_day(session.started, ended)
        if minutes > 0
    ]


def duration(minutes: int) -> str:
    """Minutes as a person reads them: `45 min`, `1 h 30 min`, `2 h`."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def _minutes(span: dt.timedelta) -> int:
    return round(span.total_seconds() / 60)


def _minutes_by_day(started: dt.datetime, ended: dt.datetime) -> list[tuple[dt.date, int]]:
    """The whole minutes between two moments on each local day they span."""
    parts = []
    cursor = started.astimezone()
    end = ended.astimezone()
    while cursor < end:
        midnight = dt.datetime.combine(cursor.date() + dt.timedelta(days=1), dt.time()).astimezone()
        part_end = min(midnight, end)
        parts.append((cursor.date(), _minutes(part_end - cursor)))
        cursor = part_end
    return parts
