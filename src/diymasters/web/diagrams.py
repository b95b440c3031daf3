"""Geometry for the pages' drawings: the plan's timeline.

The numbers drawn (dates, hours) come from the reports; this module only decides where
things go on the page, and returns plain data the templates turn into SVG. The domains'
diagram is laid out by the core (`venn`), since its JSON twin carries the geometry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from diymasters.plan import PlanItem, PlanReport

#: Width of the timeline's bars, in SVG user units (each row is drawn stretched to the page).
TRACK = 1000


@dataclass(frozen=True)
class TimelineRow:
    """One plan item and its bar: offset and length along the track."""

    item: PlanItem
    x: float
    width: float


@dataclass(frozen=True)
class Timeline:
    """A plan's items as bars on one track from its start to its finish, with month lines."""

    track: int
    rows: tuple[TimelineRow, ...]
    #: Offsets of the first day of each month after the start.
    months: tuple[float, ...]
    start: dt.date
    finish: dt.date


def timeline(report: PlanReport) -> Timeline:
    """Rows of a saved plan's items, each with its bar's offset and length along the track."""
    start, finish = report.start, report.finish
    days = max((finish - start).days + 1, 1)

    def offset(day: dt.date) -> float:
        return round(TRACK * (day - start).days / days, 2)

    rows = tuple(
        TimelineRow(
            item,
            x=offset(item.start),
            width=max(round(TRACK * ((item.finish - item.start).days + 1) / days, 2), 2.0),
        )
        for item in sorted(report.items, key=lambda i: (i.start, i.finish))
    )
    months = tuple(offset(m) for m in _month_starts(start, finish))
    return Timeline(TRACK, rows, months, start, finish)


def _month_starts(start: dt.date, finish: dt.date) -> list[dt.date]:
    found = []
    day = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    while day <= finish:
        found.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return found
