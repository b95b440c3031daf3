"""Where the drawings put things: the plan's bars along the dates."""

from __future__ import annotations

import datetime as dt

import pytest

from diymasters.hours import HoursBasis
from diymasters.plan import PlanItem, PlanReport, StudyCalendar
from diymasters.web.diagrams import timeline


def plan_item(key: str, start: dt.date, finish: dt.date) -> PlanItem:
    stated = HoursBasis.STATED
    return PlanItem(key, key, None, 10.0, stated, "", 0.0, start, finish, (), (), None, False)


def test_the_timeline_places_bars_by_date() -> None:
    start, finish = dt.date(2027, 1, 1), dt.date(2027, 3, 31)
    report = PlanReport(
        name="plan",
        saved=True,
        curriculum="c",
        demand_source="posting",
        optimal=True,
        gap=0.0,
        method="mip",
        seconds=0.1,
        cycle_cuts=0,
        total_hours=20.0,
        hours_by_basis={"stated": 20.0},
        total_cost=0.0,
        start=start,
        finish=finish,
        hours_per_week=8.0,
        calendar=StudyCalendar.weekly(8),
        assumed_hours=20.0,
        target_skills=1,
        covered_skills=1,
        items=(
            plan_item("b", dt.date(2027, 2, 1), finish),
            plan_item("a", start, dt.date(2027, 1, 31)),
        ),
        uncovered=(),
    )
    drawn = timeline(report)
    first, second = drawn.rows
    assert (first.item.id, second.item.id) == ("a", "b")
    assert first.x == 0
    assert first.width == pytest.approx(1000 * 31 / 90, abs=0.01)
    assert second.x + second.width == pytest.approx(1000)
    assert drawn.months == pytest.approx([1000 * 31 / 90, 1000 * 59 / 90], abs=0.01)
    assert (drawn.start, drawn.finish) == (start, finish)
