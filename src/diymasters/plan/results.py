"""A plan's typed results: its items, its report, and the record of a saved plan.

`plan_report` turns a selection and its schedule into the `PlanReport` the frontends show,
with skill names for ids and the numbers rounded. The store keeps a report as JSON
(`to_json`) and reads it back (`from_json`) as saved by this version or any before it, so that
an old plan prints as it did when it was made; a `PlanRecord` is a saved plan, with the inputs
it was made from.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from diymasters.hours import ENTRY_BASES, HoursBasis, split_by_basis
from diymasters.plan.options import PlanInputs, StudyCalendar
from diymasters.plan.order import finish_date
from diymasters.plan.pace import Pace
from diymasters.serialise import OMIT_WHEN_NONE, plain, written_as

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from pathlib import Path

    from diymasters.plan.order import ScheduledItem
    from diymasters.plan.select import Selection
    from diymasters.skills import Taxonomy


@dataclass(frozen=True)
class PlanItem:
    """One item of a plan's schedule, as the report shows it."""

    #: The catalog entry's id, or `resource:<id>` for a resource already under way.
    id: str
    title: str
    url: str | None
    hours: float
    #: What the hours rest on: stated, derived, typical, none, or yours (`diymasters.hours`).
    hours_basis: HoursBasis
    #: The hours' source, parts or peers, in words ("median of 2 stated courses, beginner").
    hours_why: str
    #: What following it costs; None where its price is not known.
    cost: float | None
    start: dt.date
    finish: dt.date
    #: Ids of the items that must come first.
    after: tuple[str, ...]
    #: Names of the target skills it covers.
    covers: tuple[str, ...]
    #: The specialisation it belongs to, when the plan takes that specialisation whole.
    part_of: str | None
    #: Already in the curriculum and started.
    committed: bool

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PlanItem:
        """An item as a saved report holds it."""
        return cls(
            id=data["id"],
            title=data["title"],
            url=data["url"],
            hours=data["hours"],
            hours_basis=_saved_basis(data),
            hours_why=data.get("hours_why", ""),
            cost=data["cost"],
            start=dt.date.fromisoformat(data["start"]),
            finish=dt.date.fromisoformat(data["finish"]),
            after=tuple(data["after"]),
            covers=tuple(data["covers"]),
            part_of=data["part_of"],
            committed=data["committed"],
        )


def _saved_basis(item: Mapping[str, Any]) -> HoursBasis:
    """An item's basis; a plan saved before bases knew only whether hours were stated.

    Hours not stated were then the catalog-wide median, which is what the basis none charges.
    """
    if "hours_basis" in item:
        return HoursBasis(item["hours_basis"])
    return HoursBasis.STATED if item["hours_stated"] else HoursBasis.NONE


def hours_by_basis(items: Iterable[PlanItem]) -> dict[str, float]:
    """The items' hours summed by basis: the catalog's four, then the learner's own."""
    return split_by_basis((item.hours_basis, item.hours) for item in items)


@dataclass(frozen=True)
class CancelledSession:
    """A study day an earlier version of the plan had and this one does not.

    The calendar file carries it as a cancelled event under its old UID, so a calendar that
    imports the file drops the day instead of keeping it.
    """

    uid: str
    title: str
    day: dt.date

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CancelledSession:
        """A cancelled session as a saved report keeps it."""
        return cls(data["uid"], data["title"], dt.date.fromisoformat(data["day"]))


@dataclass(frozen=True)
class CalendarWritten:
    """An iCalendar file written from a plan."""

    path: Path
    #: One for each item on each of its study days.
    events: int


@dataclass(frozen=True)
class PlanReport:
    """A plan as `diymasters plan --json` prints it; the store keeps its JSON (`to_json`)."""

    #: The name it is saved under (or would be).
    name: str
    saved: bool
    curriculum: str
    demand_source: str
    #: Proven optimal (the MIP closed its gap within the time limit).
    optimal: bool
    #: Relative MIP gap at the end; None for the greedy fallback.
    gap: float | None
    method: Literal["mip", "greedy"]
    seconds: float
    cycle_cuts: int
    total_hours: float
    #: The total hours split by what they rest on (`hours_by_basis`).
    hours_by_basis: Mapping[str, float]
    total_cost: float
    start: dt.date
    finish: dt.date
    hours_per_week: float
    calendar: StudyCalendar = field(metadata=written_as(StudyCalendar.to_json))
    #: Hours charged for an item whose hours have no basis (the catalog-wide median).
    assumed_hours: float
    target_skills: int
    covered_skills: int
    items: tuple[PlanItem, ...]
    #: Names of the demanded skills no catalog resource teaches, most demanded first.
    uncovered: tuple[str, ...]
    #: How many items have no known price: `total_cost` is of the others.
    costs_unknown: int = 0
    #: The learner's observed pace, and whether the hours were scaled by it.
    pace: Pace | None = field(default=None, metadata=OMIT_WHEN_NONE)
    #: Study days that earlier versions of the plan under this name had and this one drops.
    cancelled: tuple[CancelledSession, ...] = ()
    #: The calendar file written with the plan, when one was asked for (never saved).
    ics: CalendarWritten | None = field(default=None, metadata=OMIT_WHEN_NONE)

    def hours_named(self) -> tuple[tuple[str, float], ...]:
        """The hours by basis that a total names ("154 h: 98 stated, 0 derived, 56 typical").

        Stated, derived and typical always; none and yours only when the plan has any.
        """
        always = {HoursBasis.STATED, HoursBasis.DERIVED, HoursBasis.TYPICAL}
        split = self.hours_by_basis
        shown = ((basis.value, split.get(basis, 0.0)) for basis in (*ENTRY_BASES, HoursBasis.YOURS))
        return tuple((basis, hours) for basis, hours in shown if hours or basis in always)

    def stand_in(self) -> str | None:
        """What the basis none means in this plan, when any item has it."""
        if not self.hours_by_basis.get(HoursBasis.NONE):
            return None
        return (
            "Catalog-median stand-in: no entry of its kind in the catalog has hours; the "
            f"catalog-wide median ({round(self.assumed_hours, 2):g} h) stands in."
        )

    def target(self) -> str:
        """What the plan sets out to cover: less than what a curriculum's coverage counts."""
        return (
            f"It covers {self.covered_skills} of the {self.target_skills} skills asked for that "
            "nothing you have done or started teaches: a resource not yet started counts as "
            "not yet learnt, where coverage counts it as taught."
        )

    def prerequisites(self) -> frozenset[str]:
        """Ids of the items that another item of the plan must come after."""
        return frozenset(needed for item in self.items for needed in item.after)

    def to_json(self) -> dict[str, Any]:
        """The report as the store keeps it (without the calendar file written with it)."""
        data = plain(dataclasses.replace(self, ics=None))
        assert isinstance(data, dict)  # noqa: S101 (a dataclass is written as an object)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PlanReport:
        """A report saved with `to_json`, by this version or any before it.

        Numbers are kept as they were saved (an empty plan's total is the integer 0), so
        the report prints as it did when it was made.
        """
        items = tuple(PlanItem.from_json(item) for item in data["items"])
        return cls(
            name=data["name"],
            saved=data.get("saved", True),  # reports saved before the key existed were saved
            curriculum=data["curriculum"],
            demand_source=data["demand_source"],
            optimal=data["optimal"],
            gap=data["gap"],
            method=data["method"],
            seconds=data["seconds"],
            cycle_cuts=data["cycle_cuts"],
            total_hours=data["total_hours"],
            hours_by_basis=data.get("hours_by_basis") or hours_by_basis(items),
            total_cost=data["total_cost"],
            start=dt.date.fromisoformat(data["start"]),
            finish=dt.date.fromisoformat(data["finish"]),
            hours_per_week=data["hours_per_week"],
            calendar=StudyCalendar.from_json(data["calendar"]),
            assumed_hours=data["assumed_hours"],
            target_skills=data["target_skills"],
            covered_skills=data["covered_skills"],
            items=items,
            uncovered=tuple(data["uncovered"]),
            costs_unknown=data.get("costs_unknown", 0),
            pace=Pace.from_json(data.get("pace")),
            cancelled=tuple(CancelledSession.from_json(c) for c in data.get("cancelled", ())),
        )


@dataclass(frozen=True)
class PlanRecord:
    """A saved plan: its name, when it was made, what from, and its report."""

    name: str
    created: dt.datetime
    inputs: PlanInputs
    report: PlanReport


def plan_report(
    selection: Selection,
    items: Sequence[ScheduledItem],
    taxonomy: Taxonomy,
    *,
    calendar: StudyCalendar,
    start: dt.date,
    name: str,
    saved: bool,
    curriculum: str,
    demand_source: str,
    pace: Pace | None = None,
) -> PlanReport:
    """The plan as `diymasters plan --json` prints it and the store keeps it."""

    def skill_name(skill: str) -> str:
        found = taxonomy.skills.get(skill)
        return found.name if found else skill

    covered = {s for i in items for s in i.task.covers}
    plan_items = tuple(
        PlanItem(
            id=i.task.key,
            title=i.task.title,
            url=i.task.url,
            hours=round(i.task.hours, 2),
            hours_basis=i.task.hours_basis,
            hours_why=i.task.hours_why,
            cost=i.task.cost,
            start=i.start,
            finish=i.finish,
            after=i.task.after,
            covers=tuple(skill_name(s) for s in i.task.covers),
            part_of=i.task.part_of,
            committed=i.task.committed,
        )
        for i in items
    )
    return PlanReport(
        name=name,
        saved=saved,
        curriculum=curriculum,
        demand_source=demand_source,
        optimal=selection.optimal,
        gap=selection.gap if math.isfinite(selection.gap) else None,
        method=selection.method,
        seconds=round(selection.seconds, 3),
        cycle_cuts=selection.cuts,
        total_hours=round(sum(i.task.hours for i in items), 2),
        hours_by_basis=hours_by_basis(plan_items),
        total_cost=round(sum(i.task.cost or 0.0 for i in items), 2),
        costs_unknown=sum(i.task.cost is None for i in items),
        start=start,
        finish=finish_date(items, start),
        hours_per_week=round(calendar.hours_per_week, 2),
        calendar=calendar,
        assumed_hours=selection.assumed_hours,
        target_skills=len(selection.target),
        covered_skills=len(covered),
        items=plan_items,
        uncovered=tuple(skill_name(s) for s in selection.uncovered),
        pace=pace,
    )
