"""Geometry for the pages' drawings: the domains' Venn diagram and the plan's timeline.

The numbers drawn (progress, dates, hours) come from the reports; this module only decides
where things go on the page, and returns plain data the templates turn into SVG.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from diymasters.model import Status
    from diymasters.plan import PlanItem, PlanReport
    from diymasters.views import VennReport, VennResource

#: The Venn diagram's canvas, in SVG user units: wider than tall, for the side labels.
WIDTH = 1080
HEIGHT = 840
#: Distance of each domain's circle centre from the middle, and the circles' radius. With the
#: radius above the ring, every circle covers the middle, so any set of domains has a spot
#: inside all of its circles.
RING = 125.0
RADIUS = 175.0
#: How far out along its own axis a resource of one domain sits, as a share of the radius:
#: far enough to be outside the neighbouring circles.
OWN_SPOT = 0.55
DOT = 12.0
#: Up to this many resources get full-size dots; beyond it they shrink, to no less than MIN_DOT.
CROWD = 60
MIN_DOT = 3.0
#: Colours for up to eight domains, chosen to stay distinct for colour-blind readers (Okabe-Ito).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


@dataclass(frozen=True)
class Circle:
    """One domain's region."""

    name: str
    x: float
    y: float
    colour: str
    #: Fill opacity: a faint tint when nothing is done, stronger as the domain progresses.
    shade: float
    progress: float
    label_lines: tuple[str, ...]
    label_x: float
    label_y: float
    #: SVG text-anchor: labels beside a circle grow away from it.
    label_anchor: str


@dataclass(frozen=True)
class Dot:
    """One resource, placed inside the circle of every domain it belongs to."""

    id: int | None
    title: str
    status: Status | None
    progress: float
    domains: tuple[str, ...]
    x: float
    y: float


@dataclass(frozen=True)
class VennLayout:
    """The diagram as drawn: its size, the circles and the dots."""

    width: int
    height: int
    radius: float
    dot: float
    circles: tuple[Circle, ...]
    dots: tuple[Dot, ...]


def venn_layout(report: VennReport) -> VennLayout:
    """Circles for the domains of `views.venn_report` and a dot for each resource."""
    domains = report.domains
    count = max(len(domains), 1)
    centres: dict[str, tuple[float, float]] = {}
    circles = []
    for index, domain in enumerate(domains):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        x, y = _polar(RING if count > 1 else 0.0, angle)
        centres[domain.name] = (x, y)
        label_x, label_y, anchor = _label_spot(angle, count)
        circles.append(
            Circle(
                name=domain.name,
                x=x,
                y=y,
                colour=PALETTE[index % len(PALETTE)],
                shade=round(0.08 + 0.5 * domain.progress, 3),
                progress=domain.progress,
                label_lines=_wrap(domain.name),
                label_x=label_x,
                label_y=label_y,
                label_anchor=anchor,
            )
        )
    placer = _Placer(dot_radius(len(report.resources)))
    dots = tuple(placer.place(resource, centres) for resource in report.resources)
    return VennLayout(WIDTH, HEIGHT, RADIUS, placer.dot, tuple(circles), dots)


def _label_spot(angle: float, count: int) -> tuple[float, float, str]:
    """Just outside the circle, where no dot goes: above the top, below the bottom, beside."""
    if count == 1:
        return WIDTH / 2, HEIGHT / 2 - RADIUS - 60, "middle"
    x, y = _polar(RING + RADIUS + 12, angle)
    side = math.cos(angle)
    anchor = "start" if side > 0.2 else "end" if side < -0.2 else "middle"  # noqa: PLR2004
    return x, y - 14 + 34 * math.sin(angle), anchor


def _polar(distance: float, angle: float) -> tuple[float, float]:
    return WIDTH / 2 + distance * math.cos(angle), HEIGHT / 2 + distance * math.sin(angle)


def _wrap(name: str, width: int = 12) -> tuple[str, ...]:
    lines: list[str] = []
    for word in name.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return tuple(lines)


def dot_radius(count: int) -> float:
    """Dots shrink as they grow many, so that a large curriculum still fits its regions."""
    return round(max(MIN_DOT, min(DOT, DOT * math.sqrt(CROWD / max(count, 1)))), 1)


class _Placer:
    """Puts dots where they are free, remembering the taken spots in a grid of cells."""

    def __init__(self, dot: float) -> None:
        self.dot = dot
        self.cell = 2 * dot + 1
        self.taken: dict[tuple[int, int], list[tuple[float, float]]] = {}

    def place(self, resource: VennResource, centres: Mapping[str, tuple[float, float]]) -> Dot:
        members = [centres[name] for name in resource.domains if name in centres]
        x, y = self.free_spot(_anchor(members, self.dot), members)
        cell = self._cell((x, y))
        self.taken.setdefault(cell, []).append((x, y))
        return Dot(
            id=resource.id,
            title=resource.title,
            status=resource.status,
            progress=resource.progress,
            domains=resource.domains,
            x=round(x, 1),
            y=round(y, 1),
        )

    def free_spot(
        self, anchor: tuple[float, float], members: Sequence[tuple[float, float]]
    ) -> tuple[float, float]:
        """The first free spot on a spiral round the anchor inside the region.

        When a small region is full, a spot touching its edge, and then the nearest free
        spot outside it: a dot slightly out of place is better than one hidden under another.
        """
        for margin in (self.dot, 0.0, None):
            for spot in _spiral(anchor, 1.1 * self.dot):
                inside = margin is None or _inside_all(spot, members, margin=margin)
                if inside and self._is_free(spot):
                    return spot
        return anchor

    def _cell(self, spot: tuple[float, float]) -> tuple[int, int]:
        return int(spot[0] // self.cell), int(spot[1] // self.cell)

    def _is_free(self, spot: tuple[float, float]) -> bool:
        column, row = self._cell(spot)
        return all(
            math.dist(spot, other) >= self.cell
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
            for other in self.taken.get((column + dx, row + dy), ())
        )


def _anchor(members: Sequence[tuple[float, float]], dot: float) -> tuple[float, float]:
    mid_x, mid_y = WIDTH / 2, HEIGHT / 2
    if not members:
        return mid_x, mid_y
    if len(members) == 1:
        stretch = 1 + RADIUS * OWN_SPOT / RING
        x, y = members[0]
        return mid_x + (x - mid_x) * stretch, mid_y + (y - mid_y) * stretch
    x = sum(m[0] for m in members) / len(members)
    y = sum(m[1] for m in members) / len(members)
    # The mean of far-apart centres can fall outside one of them; the middle is in all.
    for step in range(11):
        share = 1 - step / 10
        spot = mid_x + (x - mid_x) * share, mid_y + (y - mid_y) * share
        if _inside_all(spot, members, margin=dot):
            return spot
    return mid_x, mid_y


def _inside_all(
    spot: tuple[float, float], members: Sequence[tuple[float, float]], margin: float = 0.0
) -> bool:
    return all(math.dist(spot, centre) <= RADIUS - margin for centre in members)


def _spiral(
    centre: tuple[float, float], step_length: float, steps: int = 3000
) -> Iterator[tuple[float, float]]:
    """Points spreading out from the centre evenly (a sunflower's pattern)."""
    golden = math.pi * (3 - math.sqrt(5))
    for step in range(steps):
        distance = 2 * step_length * math.sqrt(step)
        yield (
            centre[0] + distance * math.cos(step * golden),
            centre[1] + distance * math.sin(step * golden),
        )


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
