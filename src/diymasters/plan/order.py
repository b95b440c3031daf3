"""The order and the schedule: chosen resources in prerequisite order, laid onto the calendar.

`order` turns a selection into tasks, each after its prerequisites, a specialisation's courses
together and the most demanded first, to follow what is already under way in the curriculum
(`committed_tasks`). `schedule` lays the tasks one after another onto the learner's calendar,
filling each day's hours, so that each item gets a start and a finish date and the plan a
finish date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from diymasters.catalog import match_curriculum, teaches
from diymasters.hours import Hours, HoursBasis, is_own
from diymasters.model import InvalidValueError, Status, rollup
from diymasters.plan.select import EPSILON, PlanInfeasibleError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from diymasters.catalog import Catalog, Entry
    from diymasters.model import Curriculum, Resource
    from diymasters.plan.options import StudyCalendar
    from diymasters.plan.select import Selection

#: A schedule that would run past this many days is refused rather than computed.
_HORIZON_DAYS = 366 * 60
#: Less than this share of a day reads as 0 h when hours are shown to the hundredth.
_SLIVER = 0.005


@dataclass(frozen=True)
class Task:
    """One thing to study in the schedule: a catalog entry, or a resource already under way."""

    key: str
    title: str
    url: str | None
    hours: float
    #: What the hours rest on (see `diymasters.hours`).
    hours_basis: HoursBasis
    #: What following it costs; None where its price is not known.
    cost: float | None
    #: The hours' source, parts or peers, in words ("median of 2 stated courses, beginner").
    hours_why: str = ""
    #: Keys of the tasks that must come first.
    after: tuple[str, ...] = ()
    #: Target skill ids it covers.
    covers: tuple[str, ...] = ()
    #: The specialisation it belongs to, when the plan takes that specialisation whole.
    part_of: str | None = None
    #: Already in the curriculum and started: its remaining hours come first.
    committed: bool = False


def order(selection: Selection) -> list[Task]:
    """Chosen entries in prerequisite order, a specialisation's courses together.

    Among the entries whose prerequisites are all placed, a course of the specialisation
    just started comes next; otherwise the one covering the most target demand.
    """
    chosen = {e.id: e for e in selection.entries}
    value = {k: sum(selection.target.get(s, 0.0) for s in teaches(e)) for k, e in chosen.items()}
    tasks: list[Task] = []
    placed: dict[str, None] = {}
    last_task: dict[str, str] = {}
    while len(placed) < len(chosen):
        ready = [
            k
            for k in chosen
            if k not in placed and all(m & placed.keys() for m in selection.needs.get(k, ()))
        ] or [k for k in chosen if k not in placed]
        last_parent = chosen[next(reversed(placed))].parent if placed else None

        def rank(key: str, last_parent: str | None = last_parent) -> tuple[bool, float, str]:
            sibling = last_parent is not None and chosen[key].parent == last_parent
            return sibling, value[key], key

        best = max(ready, key=rank)
        before = {m for meets in selection.needs.get(best, ()) for m in meets} & placed.keys()
        new = _tasks(chosen[best], tuple(sorted(last_task[k] for k in before)), selection)
        tasks.extend(new)
        placed[best] = None
        last_task[best] = new[-1].key
    return tasks


def _tasks(entry: Entry, after: tuple[str, ...], selection: Selection) -> list[Task]:
    """A chosen entry as tasks: a specialisation whose courses have hours becomes its courses."""
    target = selection.target
    hours = selection.hours
    if entry.children and all(is_own(hours[child.id]) for child in entry.children):
        tasks = []
        previous = after
        for child in entry.children:
            tasks.append(
                Task(
                    key=child.id,
                    title=child.title,
                    url=child.url,
                    hours=hours[child.id].hours,
                    hours_basis=hours[child.id].basis,
                    hours_why=hours[child.id].why,
                    cost=0.0,
                    after=previous,
                    covers=tuple(s for s in teaches(child) if s in target),
                    part_of=entry.id,
                )
            )
            previous = (child.id,)
        return [dataclasses.replace(tasks[0], cost=entry.known_cost_to_learn), *tasks[1:]]
    return [
        Task(
            key=entry.id,
            title=entry.title,
            url=entry.url,
            hours=hours[entry.id].hours,
            hours_basis=hours[entry.id].basis,
            hours_why=hours[entry.id].why,
            cost=entry.known_cost_to_learn,
            after=after,
            covers=tuple(s for s in teaches(entry) if s in target),
        )
    ]


def committed_tasks(curriculum: Curriculum, catalog: Catalog, pace: float = 1.0) -> list[Task]:
    """What is under way in the curriculum, with the hours it still needs: studied first.

    A resource in progress is charged its estimate, else its catalog entry's hours, else the
    typical hours of its kind (`resource_hours`), times the learner's pace when a plan uses
    it, less the hours logged; one with parts is left to its parts.
    """
    matches = match_curriculum(catalog, curriculum)
    tasks = []
    for resource in curriculum.all_resources():
        summary = rollup(resource)
        if summary.status is not Status.IN_PROGRESS or resource.children:
            continue
        found = matches.get(resource.id) if resource.id is not None else None
        hours = resource_hours(resource, found.entry if found else None, catalog)
        if pace != 1.0:
            hours = hours.scaled(pace)
        left = hours.hours - summary.hours_logged
        if left > 0:
            tasks.append(
                Task(
                    key=f"resource:{resource.id}",
                    title=resource.title,
                    url=resource.url,
                    hours=left,
                    hours_basis=hours.basis,
                    hours_why=hours.why,
                    cost=0.0,
                    committed=True,
                )
            )
    return tasks


def resource_hours(resource: Resource, entry: Entry | None, catalog: Catalog) -> Hours:
    """A curriculum resource's hours: its own, its entry's, or typical of its kind.

    Its own figure is stated when it names a source, else the learner's; an estimate lent by
    the catalog (`estimate_basis` set) is its entry's figure.
    """
    if resource.estimated_hours is not None and resource.estimate_basis is None:
        if resource.source:
            return Hours(resource.estimated_hours, HoursBasis.STATED, resource.source)
        return Hours(resource.estimated_hours, HoursBasis.YOURS, "your estimate")
    if entry is not None:
        return catalog.hours.of(entry)
    return catalog.hours.typical_of(resource.kind, None)


@dataclass(frozen=True)
class ScheduledItem:
    """A task with its dates and the hours it takes on each day it is studied."""

    task: Task
    start: dt.date
    finish: dt.date
    days: tuple[tuple[dt.date, float], ...]


def schedule(tasks: Sequence[Task], calendar: StudyCalendar, start: dt.date) -> list[ScheduledItem]:
    """Lay the tasks one after another onto the calendar, filling each day's hours.

    Each task's hours are laid to the hundredth, as the report keeps them, so the items add
    up to the total shown and a saved plan's days are laid again exactly (`daily_hours`).
    """
    kept = [dataclasses.replace(task, hours=round(task.hours, 2)) for task in tasks]
    laid = _lay_out((task.hours for task in kept), calendar, start)
    items = []
    for task, (days, reached) in zip(kept, laid, strict=True):
        first = days[0][0] if days else reached
        items.append(ScheduledItem(task, first, days[-1][0] if days else first, days))
    return items


def daily_hours(
    items: Sequence[tuple[float, dt.date, dt.date]], calendar: StudyCalendar, start: dt.date
) -> list[tuple[tuple[dt.date, float], ...]]:
    """The hours of each item `(hours, start, finish)` on each of its days, as `schedule` laid them.

    A saved report keeps each item's hours to the hundredth, not each day's, so the days are
    laid again the same way. The rounding can carry a sliver of an hour past a day's end; a
    day outside the item's saved dates is folded into the nearest of them, so that no day
    falls outside the dates the report shows. A share that would read as 0 h at the
    hundredth (seconds left over at the end of a day) is studied with the day beside it.
    """
    laid = _lay_out((hours for hours, _, _ in items), calendar, start)
    return [
        _folded_within(days, first, finish)
        for (days, _), (_, first, finish) in zip(laid, items, strict=True)
    ]


def _lay_out(
    amounts: Iterable[float], calendar: StudyCalendar, start: dt.date
) -> Iterator[tuple[tuple[tuple[dt.date, float], ...], dt.date]]:
    """Each amount of hours after the one before, filling each day: its days, the day reached."""
    # Checked before the generator starts, so that a far start is refused even with no tasks.
    if start > dt.date.max - dt.timedelta(days=_HORIZON_DAYS + 1):
        raise InvalidValueError("start", start.isoformat(), "is too far ahead to plan from")
    return _laying(amounts, calendar, start)


def _laying(
    amounts: Iterable[float], calendar: StudyCalendar, start: dt.date
) -> Iterator[tuple[tuple[tuple[dt.date, float], ...], dt.date]]:
    day, room = start, calendar.hours_on(start)
    for amount in amounts:
        days: list[tuple[dt.date, float]] = []
        left = amount
        while left > EPSILON:
            if room <= EPSILON:
                day += dt.timedelta(days=1)
                if (day - start).days > _HORIZON_DAYS:
                    raise PlanInfeasibleError("the schedule would run for more than 60 years")
                room = calendar.hours_on(day)
                continue
            used = min(room, left)
            days.append((day, used))
            left -= used
            room -= used
        yield tuple(days), day


def _folded_within(
    days: Iterable[tuple[dt.date, float]], first: dt.date, last: dt.date
) -> tuple[tuple[dt.date, float], ...]:
    """The days kept within `first` and `last`, with no share that reads as 0 h."""
    within: dict[dt.date, float] = {}
    for day, hours in days:
        nearest = min(max(day, first), last)
        within[nearest] = within.get(nearest, 0.0) + hours
    kept: list[tuple[dt.date, float]] = []
    for day, hours in within.items():
        if kept and min(hours, kept[-1][1]) < _SLIVER:
            kept[-1] = (kept[-1][0] if hours < _SLIVER else day, kept[-1][1] + hours)
        else:
            kept.append((day, hours))
    return tuple(kept)


def finish_date(items: Sequence[ScheduledItem], start: dt.date) -> dt.date:
    """The day the last item is finished (the start, for an empty plan)."""
    return max((i.finish for i in items), default=start)
