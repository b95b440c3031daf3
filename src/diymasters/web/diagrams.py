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


#: The most month labels the axis shows: more would collide at a phone's width.
MONTH_LABELS = 6
#: The share of the track (percent) one character of a month's name may take on a phone.
LABEL_CHAR_PERCENT = 2.5


@dataclass(frozen=True)
class MonthLabel:
    """A month named on the timeline's axis, where its first day (or the plan's start) falls."""

    #: Along the track, as a percentage (the axis is not stretched, so its text stays true).
    percent: float
    text: str
    #: Along the track in its own units, where the bars draw the named month's line.
    x: float


@dataclass(frozen=True)
class Timeline:
    """A plan's items as bars on one track from its start to its finish, with month lines."""

    track: int
    rows: tuple[TimelineRow, ...]
    #: Offsets of the first day of each month after the start.
    months: tuple[float, ...]
    start: dt.date
    finish: dt.date
    #: The months named on the axis: the start's month, then every first, thinned to fit.
    labels: tuple[MonthLabel, ...] = ()


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
    starts = _month_starts(start, finish)
    months = [offset(m) for m in starts]
    return Timeline(TRACK, rows, tuple(months), start, finish, _month_labels(start, starts, months))


def _month_labels(
    start: dt.date, starts: list[dt.date], offsets: list[float]
) -> tuple[MonthLabel, ...]:
    """Every month's name when few fit, else every 2nd, 3rd, 6th or 12th (January first).

    The start's month is named too, unless a named month begins too close to it. A name that
    would run into the next one, or off the end of the track, is left out. The year goes
    with the first name and with each January.
    """
    step = next((n for n in (1, 2, 3, 6) if len(starts) + 1 <= MONTH_LABELS * n), 12)
    named = [
        (day, x, round(x * 100 / TRACK, 2))
        for day, x in zip(starts, offsets, strict=True)
        if (day.month - 1) % step == 0
    ]
    if not named or named[0][2] >= _label_width(_month_name(start, first=True)):
        named.insert(0, (start, 0.0, 0.0))
    labels: list[MonthLabel] = []
    for day, x, percent in named:
        text = _month_name(day, first=not labels)
        if percent + _label_width(text) > 100:  # noqa: PLR2004 (the end of the track)
            break
        if not labels or percent >= labels[-1].percent + _label_width(labels[-1].text):
            labels.append(MonthLabel(percent, text, x))
    return tuple(labels)


def _month_name(day: dt.date, *, first: bool) -> str:
    return day.strftime("%b %Y" if first or day.month == 1 else "%b")


def _label_width(text: str) -> float:
    """The share of the track a month's name takes on a phone, in percent, with room to spare.

    12 px text is about 7 px a character; a phone's track is about 358 px wide.
    """
    return len(text) * LABEL_CHAR_PERCENT


def _month_starts(start: dt.date, finish: dt.date) -> list[dt.date]:
    found = []
    day = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    while day <= finish:
        found.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return found
