"""Progress against a saved plan: the hours studied against those the calendar had room for.

`hours_studied` reads the hours spent on each planned item from the curriculum's rollup
(logged hours, or all of them once done), and `plan_progress` compares those studied since
the plan was made (`studied_before` keeps the rest) with the hours the plan's calendar had
room for by today, projecting a finish date from the pace so far, or
from the plan's own calendar until a week has passed.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from diymasters.hours import HoursBasis
from diymasters.model import Resource, Status
from diymasters.plan.order import Task, schedule
from diymasters.plan.select import EPSILON
from diymasters.serialise import OMIT_WHEN_NONE
from diymasters.tracking import resource_rollups

if TYPE_CHECKING:
    from collections.abc import Mapping

    from diymasters.catalog import Match
    from diymasters.model import Rollup
    from diymasters.plan.options import StudyCalendar
    from diymasters.plan.results import CalendarWritten, PlanRecord, PlanReport


#: How progress against a plan is counted, said once for every place that shows it.
PROGRESS_RULE = (
    "Progress counts the hours logged on the plan's items since the plan was made (an item "
    "marked done counts its planned hours), against the hours its calendar had room for by "
    "today. Hours studied before the plan do not count: the plan charged only what was left."
)


@dataclass(frozen=True)
class ItemProgress:
    """Hours studied on one item of a saved plan."""

    id: str
    title: str
    hours: float
    studied: float
    finish: dt.date


@dataclass(frozen=True)
class PlanProgress:
    """How a saved plan is going: hours studied against the calendar, and the finish projected."""

    name: str
    created: dt.datetime
    start: dt.date
    today: dt.date
    #: The finish the plan was made with.
    saved_finish: dt.date
    projected_finish: dt.date
    hours_planned: float
    hours_due_by_today: float
    #: Hours studied on the plan's items since it was made.
    hours_studied: float
    #: Hours studied on them before: the plan charged only what was left, so they do not count.
    hours_studied_before: float
    #: Hours a week so far; None until a week has passed with hours studied.
    pace_hours_per_week: float | None
    #: Weeks the projected finish is ahead of the saved one (behind when negative).
    weeks_ahead: float
    verdict: str
    items: tuple[ItemProgress, ...]
    #: The calendar file written with it, when one was asked for.
    ics: CalendarWritten | None = field(default=None, metadata=OMIT_WHEN_NONE)


def hours_studied(top: Rollup, matches: Mapping[int, Match]) -> dict[str, float]:
    """Hours spent on each plan item's key: logged hours, or all of them once done.

    `top` is the curriculum's rollup and `matches` its resources' catalog entries: a
    resource counts for its own key (`resource:<id>`) and for the entry it is.
    """
    studied: dict[str, float] = {}
    for summary in resource_rollups(top):
        resource = summary.node
        assert isinstance(resource, Resource)  # noqa: S101 (resource_rollups yields only them)
        hours = math.inf if summary.status is Status.DONE else summary.hours_logged
        keys = [f"resource:{resource.id}"]
        match = matches.get(resource.id) if resource.id is not None else None
        if match is not None:
            keys.append(match.entry.id)
        for key in keys:
            studied[key] = max(studied.get(key, 0.0), hours)
    return studied


def studied_before(report: PlanReport, studied: Mapping[str, float]) -> dict[str, float]:
    """The hours already studied on a new plan's items, kept with it (`PlanInputs`).

    The plan charges an item under way only the hours it still needs, so these must not
    count again as progress.
    """
    before = {item.id: studied.get(item.id, 0.0) for item in report.items}
    return {key: hours for key, hours in before.items() if 0 < hours < math.inf}


def plan_progress(saved: PlanRecord, studied: Mapping[str, float], today: dt.date) -> PlanProgress:
    """How a saved plan is going: hours studied since it was made against the calendar's room.

    `studied` gives the hours spent on each planned item (`hours_studied`: its whole hours
    once it is done); those studied before the plan was made do not count, since the plan
    charged only what was left. The projected finish follows the pace so far, measured once
    a week has passed; before that, the plan's own calendar.
    """
    report = saved.report
    calendar, start = report.calendar, report.start
    total = float(report.total_hours)
    before = saved.inputs.studied_before
    done = {
        i.id: min(max(studied.get(i.id, 0.0) - before.get(i.id, 0.0), 0.0), float(i.hours))
        for i in report.items
    }
    actual = sum(done.values())
    expected = min(total, calendar.capacity(start, today)) if today >= start else 0.0
    elapsed = (today - start).days + 1
    pace = actual / elapsed * 7 if elapsed >= 7 and actual > 0 else None  # noqa: PLR2004
    projected = _projected_finish(total - actual, pace, calendar, max(today, start))
    weeks = (report.finish - projected).days / 7
    return PlanProgress(
        name=saved.name,
        created=saved.created,
        start=start,
        today=today,
        saved_finish=report.finish,
        projected_finish=projected,
        hours_planned=round(total, 2),
        hours_due_by_today=round(expected, 2),
        hours_studied=round(actual, 2),
        hours_studied_before=round(math.fsum(before.values()), 2),
        pace_hours_per_week=round(pace, 2) if pace is not None else None,
        weeks_ahead=round(weeks, 1),
        verdict=_verdict(weeks),
        items=tuple(
            ItemProgress(i.id, i.title, i.hours, round(done[i.id], 2), i.finish)
            for i in report.items
        ),
    )


def _projected_finish(
    remaining: float, pace: float | None, calendar: StudyCalendar, today: dt.date
) -> dt.date:
    if remaining <= EPSILON:
        return today
    if pace is None:
        rest = Task("rest", "rest", None, remaining, HoursBasis.STATED, cost=0.0)
        return schedule([rest], calendar, today)[0].finish
    return today + dt.timedelta(days=math.ceil(remaining / pace * 7))


def _verdict(weeks: float) -> str:
    if abs(weeks) < 0.5:  # noqa: PLR2004
        return "on schedule"
    return f"{'ahead' if weeks > 0 else 'behind'} by {abs(weeks):.1f} weeks"
