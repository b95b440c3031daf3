"""A plan as an iCalendar file: one all-day event series per item, on its study days.

Each series repeats on the calendar's study weekdays from the item's start to its finish,
with the break days in between left out, so that a calendar app shows the plan as the
schedule laid it. A file this tool wrote names it as its producer (`is_plan_ics`), which is
what lets it be replaced. icalendar is imported on first use.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from diymasters.plan.results import PlanItem, PlanReport

ICS_PRODID = "-//diymasters//study plan//EN"


def plan_ics(report: PlanReport, stamp: dt.datetime) -> bytes:
    """An iCalendar file of a plan: one all-day event series per item, on its study days.

    Each series repeats on the calendar's study weekdays from the item's start to its
    finish, with the break days in between left out.
    """
    import icalendar  # noqa: PLC0415 (imported on first use: 30 ms no other command needs)

    calendar = report.calendar
    study_days = [
        code for code, hours in zip(_ICS_DAYS, calendar.weekday_hours, strict=True) if hours > 0
    ]
    cal = icalendar.Calendar()
    cal.add("prodid", ICS_PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "diymasters study plan")
    for item in report.items:
        first, last = item.start, item.finish
        event = icalendar.Event()
        event.add("uid", f"{item.id}-{first.isoformat()}@diymasters")
        event.add("dtstamp", stamp)
        event.add("summary", f"Study: {item.title}")
        event.add("dtstart", first)
        event.add("dtend", first + dt.timedelta(days=1))
        if last > first:
            event.add("rrule", {"freq": "weekly", "byday": study_days, "until": last})
            skipped = [
                day
                for day in _days(first, last)
                if _ICS_DAYS[day.weekday()] in study_days and not calendar.hours_on(day)
            ]
            if skipped:
                event.add("exdate", skipped)
        event.add("description", _ics_description(item))
        if item.url:
            event.add("url", item.url)
        cal.add_component(event)
    return bytes(cal.to_ical())


def is_plan_ics(data: bytes) -> bool:
    """Whether a file is a calendar this tool wrote (and so may be replaced)."""
    return data.lstrip().startswith(b"BEGIN:VCALENDAR") and ICS_PRODID.encode() in data[:400]


_ICS_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _days(first: dt.date, last: dt.date) -> Iterable[dt.date]:
    return (first + dt.timedelta(days=n) for n in range((last - first).days + 1))


def _ics_description(item: PlanItem) -> str:
    lines = [f"{item.hours:g} hours in all, {item.start} to {item.finish}."]
    if item.covers:
        lines.append("Covers: " + ", ".join(item.covers))
    if item.url:
        lines.append(item.url)
    return "\n".join(lines)
