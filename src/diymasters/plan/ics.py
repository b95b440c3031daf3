"""A plan as an iCalendar file: one event per item per study day, with that day's hours.

By default the events are all-day, the hours in the summary. Given a time of day, each is a
timed event of that day's hours from then, in the learner's local time (floating, as RFC 5545
calls a time with no zone), two items studied the same day one after the other.

The hours differ from day to day (an item starts and ends part-way through a day, and the
calendar may give each weekday its own hours), which one repeating series cannot carry, so
each study session is an event of its own, its hours in the summary ("Study: X (1.14 h)").
The day's hours come from the schedule (`order.daily_hours`), not from here.

Each event's UID names the plan (its curriculum and name), the item, and the session's number
within the item (the n-th day it is studied), never a date: the same plan re-made from another
start date gives the same UIDs, so a calendar that imports the file again updates its events
instead of adding them twice, and their SEQUENCE grows with the time the plan was made, so
the newer plan wins. (With hours that differ by weekday, a start on another weekday can split
an item into another number of days.) A session a re-made plan no longer has (an item
studied in fewer days, or dropped) is written again as a cancelled event under its old UID
(`dropped_sessions`), so the import removes it too. A file this tool wrote names
it as its producer (`is_plan_ics`), which is what lets it be replaced. icalendar is imported
on first use.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from diymasters.plan.order import daily_hours
from diymasters.plan.results import CancelledSession

if TYPE_CHECKING:
    from diymasters.plan.results import PlanItem, PlanReport

ICS_PRODID = "-//diymasters//study plan//EN"


@dataclass(frozen=True)
class StudySession:
    """One day's study of one plan item: an event of the calendar."""

    item: PlanItem
    day: dt.date
    hours: float
    #: Its place among the item's sessions, from 1; with the plan and the item, its identity.
    number: int
    #: How many sessions the item has.
    of: int
    uid: str


def study_sessions(report: PlanReport) -> tuple[StudySession, ...]:
    """Each item's study days with their hours, as the schedule laid them, in order."""
    spans = [(item.hours, item.start, item.finish) for item in report.items]
    plan_key = _plan_key(report)
    return tuple(
        StudySession(
            item, day, hours, number, len(days), f"{plan_key}.{item.id}.{number}@diymasters"
        )
        for item, days in zip(
            report.items, daily_hours(spans, report.calendar, report.start), strict=True
        )
        for number, (day, hours) in enumerate(days, 1)
    )


def plan_ics(report: PlanReport, stamp: dt.datetime, at: dt.time | None = None) -> bytes:
    """An iCalendar file of a plan: an event for each item on each of its study days.

    All-day events, or with `at`, timed events of each day's hours from that time of day.
    """
    import icalendar  # noqa: PLC0415 (imported on first use: 30 ms no other command needs)

    revision = _revision(stamp)
    cal = icalendar.Calendar()
    cal.add("prodid", ICS_PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "diymasters study plan")
    busy_until: dict[dt.date, dt.datetime] = {}
    for session in study_sessions(report):
        item = session.item
        event = icalendar.Event()
        event.add("uid", session.uid)
        event.add("dtstamp", stamp)
        event.add("sequence", revision)
        event.add("summary", f"Study: {item.title} ({_hours(session.hours)} h)")
        if at is None:
            event.add("dtstart", session.day)
            event.add("dtend", session.day + dt.timedelta(days=1))
        else:
            begins = busy_until.get(session.day, dt.datetime.combine(session.day, at))
            busy_until[session.day] = begins + dt.timedelta(minutes=round(session.hours * 60))
            event.add("dtstart", begins)
            event.add("dtend", busy_until[session.day])
        event.add("description", _description(session))
        if item.url:
            event.add("url", item.url)
        cal.add_component(event)
    for gone in report.cancelled:
        event = icalendar.Event()
        event.add("uid", gone.uid)
        event.add("dtstamp", stamp)
        event.add("sequence", revision)
        event.add("status", "CANCELLED")
        event.add("summary", f"Cancelled: Study: {gone.title}")
        event.add("dtstart", gone.day)
        event.add("dtend", gone.day + dt.timedelta(days=1))
        cal.add_component(event)
    return bytes(cal.to_ical())


#: A plan keeps at most this many cancelled days: those the latest version dropped come first.
MAX_CANCELLED = 10_000


def dropped_sessions(before: PlanReport, now: PlanReport) -> tuple[CancelledSession, ...]:
    """The study days an earlier version of a plan had, or had cancelled, that this one lacks."""
    current = {session.uid for session in study_sessions(now)}
    earlier = [
        *(CancelledSession(s.uid, s.item.title, s.day) for s in study_sessions(before)),
        *before.cancelled,
    ]
    kept: dict[str, CancelledSession] = {}
    for session in earlier:
        if session.uid not in current:
            kept.setdefault(session.uid, session)
    return tuple(kept.values())[:MAX_CANCELLED]


def is_plan_ics(data: bytes) -> bool:
    """Whether a file is a calendar this tool wrote (and so may be replaced)."""
    return data.lstrip().startswith(b"BEGIN:VCALENDAR") and ICS_PRODID.encode() in data[:400]


#: Revisions are counted in minutes from here to the moment the plan was made.
_REVISIONS_FROM = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def _revision(stamp: dt.datetime) -> int:
    """The events' SEQUENCE: a plan made later is a later revision of the same events.

    A calendar that imports an event it already has keeps the one with the higher SEQUENCE
    (RFC 5546, 2.1.5), so the re-made plan's events replace the old ones. Minutes, not
    seconds, keep it within the 32-bit integer calendar apps store for thousands of years.
    """
    aware = stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=dt.UTC)
    return max(0, int((aware - _REVISIONS_FROM).total_seconds() // 60))


def _plan_key(report: PlanReport) -> str:
    """A short digest of the curriculum and the plan's name: a plan is saved under both."""
    named = f"{report.curriculum}\n{report.name}".encode()
    return hashlib.sha256(named).hexdigest()[:16]


def _hours(hours: float) -> str:
    return f"{round(hours, 2):g}"


def _description(session: StudySession) -> str:
    item = session.item
    why = f": {item.hours_why}" if item.hours_why else ""
    share = f"{_hours(session.hours)} h of the {_hours(item.hours)} h ({item.hours_basis}{why})"
    lines = [f"Day {session.number} of {session.of}: {share}, {item.start} to {item.finish}."]
    if item.covers:
        lines.append("Covers: " + ", ".join(item.covers))
    if item.url:
        lines.append(item.url)
    return "\n".join(lines)
