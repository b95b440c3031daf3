"""What a plan is made from: the learner's limits and wishes, and the calendar they study on.

`PlanOptions` holds the limits of the selection (coverage, budget, hours cap, what to include
or leave out, what the learner already knows), and `StudyCalendar` the hours on each weekday
and the breaks, read from text by `parse_weekday_hours` and `parse_break`. Both are kept with
a saved plan as JSON (`PlanInputs`, with the demand and the first day), so that progress can
be measured and the plan adopted later without solving it again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from diymasters.model import InvalidValueError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

Objective = Literal["hours", "cost", "weighted"]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HOURS_IN_A_DAY = 24


@dataclass(frozen=True)
class PlanOptions:
    """The learner's limits and wishes."""

    objective: Objective = "hours"
    #: Cover at least this demand-weighted share of the open demand (1.0: all that is taught).
    coverage: float = 1.0
    budget: float | None = None
    max_hours: float | None = None
    #: With the weighted objective, what an hour of study is worth in dollars.
    hour_value: float | None = None
    include: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()
    #: Skill ids the learner already knows.
    known: frozenset[str] = frozenset()
    time_limit: float = 5.0

    def __post_init__(self) -> None:
        """Refuse limits that mean nothing."""
        if not 0 < self.coverage <= 1:
            raise InvalidValueError("coverage", self.coverage, "must be above 0 and at most 1")
        for what, value in (("budget", self.budget), ("max hours", self.max_hours)):
            if value is not None and (not math.isfinite(value) or value < 0):
                raise InvalidValueError(what, value, "must be zero or more")
        if self.objective == "weighted" and (self.hour_value is None or self.hour_value < 0):
            raise InvalidValueError(
                "hour value", self.hour_value, "must be given (dollars per hour) to weigh both"
            )
        if not math.isfinite(self.time_limit) or self.time_limit <= 0:
            raise InvalidValueError("time limit", self.time_limit, "must be positive seconds")

    def to_json(self) -> dict[str, Any]:
        """The options as saved with a plan: sets as sorted lists."""
        return {
            key: sorted(value) if isinstance(value, frozenset) else value
            for key, value in dataclasses.asdict(self).items()
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PlanOptions:
        """Options saved with `to_json`; one saved before an option existed takes its default."""
        values: dict[str, Any] = {
            f.name: frozenset(data[f.name]) if isinstance(data[f.name], list) else data[f.name]
            for f in dataclasses.fields(cls)
            if f.name in data
        }
        return cls(**values)


@dataclass(frozen=True)
class StudyCalendar:
    """When the learner studies: hours on each weekday, Monday first, and breaks."""

    weekday_hours: tuple[float, float, float, float, float, float, float]
    #: Inclusive date ranges with no study.
    breaks: tuple[tuple[dt.date, dt.date], ...] = ()

    def __post_init__(self) -> None:
        """Refuse a calendar with no time in it."""
        for day, hours in zip(WEEKDAYS, self.weekday_hours, strict=True):
            if not math.isfinite(hours) or not 0 <= hours <= HOURS_IN_A_DAY:
                raise InvalidValueError(f"hours on {day}", hours, "must be between 0 and 24")
        if self.hours_per_week <= 0:
            raise InvalidValueError("hours per week", self.hours_per_week, "must be above 0")
        for first, last in self.breaks:
            if last < first:
                raise InvalidValueError("break", f"{first}:{last}", "ends before it starts")

    @classmethod
    def weekly(
        cls, hours_per_week: float, breaks: Iterable[tuple[dt.date, dt.date]] = ()
    ) -> StudyCalendar:
        """The same hours every day, adding up to `hours_per_week`."""
        if not math.isfinite(hours_per_week) or hours_per_week <= 0:
            raise InvalidValueError("hours per week", hours_per_week, "must be above 0")
        if hours_per_week > HOURS_IN_A_DAY * 7:
            raise InvalidValueError("hours per week", hours_per_week, "must be at most 168")
        daily = hours_per_week / 7
        return cls((daily,) * 7, tuple(breaks))

    @property
    def hours_per_week(self) -> float:
        """Hours in a week without breaks."""
        return sum(self.weekday_hours)

    def hours_on(self, day: dt.date) -> float:
        """Hours available on a day."""
        if any(first <= day <= last for first, last in self.breaks):
            return 0.0
        return self.weekday_hours[day.weekday()]

    def capacity(self, first: dt.date, last: dt.date) -> float:
        """Hours available from `first` to `last`, both included."""
        days = (last - first).days + 1
        return sum(self.hours_on(first + dt.timedelta(days=n)) for n in range(max(days, 0)))

    def to_json(self) -> dict[str, Any]:
        """The calendar as saved with a plan."""
        return {
            "weekday_hours": dict(zip(WEEKDAYS, self.weekday_hours, strict=True)),
            "breaks": [[a.isoformat(), b.isoformat()] for a, b in self.breaks],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StudyCalendar:
        """A calendar saved with `to_json`."""
        hours = data["weekday_hours"]
        return cls(
            tuple(float(hours[d]) for d in WEEKDAYS),  # type: ignore[arg-type]
            tuple((dt.date.fromisoformat(a), dt.date.fromisoformat(b)) for a, b in data["breaks"]),
        )


def parse_weekday_hours(text: str) -> tuple[float, float, float, float, float, float, float]:
    """Read `mon=1,wed=1,sat=4`: hours on named weekdays, none on the others."""
    hours = dict.fromkeys(WEEKDAYS, 0.0)
    for part in filter(None, (p.strip() for p in text.split(","))):
        day, _, value = part.partition("=")
        day = day.strip().lower()[:3]
        if day not in hours:
            raise InvalidValueError("weekday", part, "is not mon, tue, wed, thu, fri, sat or sun")
        try:
            hours[day] = float(value)
        except ValueError:
            raise InvalidValueError("hours", part, "needs a number of hours, as in sat=4") from None
    return tuple(hours[d] for d in WEEKDAYS)  # type: ignore[return-value]


_BREAK = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*(?::|\.\.|/)\s*(\d{4}-\d{2}-\d{2})\s*$")


def parse_break(text: str) -> tuple[dt.date, dt.date]:
    """Read `2027-12-20:2028-01-03`, an inclusive range of days off."""
    first, last = _break_days(text)
    if first is None or last is None:
        raise InvalidValueError("break", text, "is not FIRST:LAST (YYYY-MM-DD:YYYY-MM-DD)")
    if last < first:
        raise InvalidValueError("break", text, "ends before it starts")
    return first, last


def _break_days(text: str) -> tuple[dt.date | None, dt.date | None]:
    found = _BREAK.match(text)
    if found is None:
        return None, None
    try:
        return dt.date.fromisoformat(found[1]), dt.date.fromisoformat(found[2])
    except ValueError:
        return None, None


@dataclass(frozen=True)
class PlanInputs:
    """What a plan was made from: the demand, the limits, the calendar and the first day."""

    demand_source: str
    #: The demand's weight on each skill id.
    demand: Mapping[str, float]
    options: PlanOptions
    calendar: StudyCalendar
    start: dt.date
    #: Hours already studied on each plan item (by its id) when the plan was made: the plan
    #: charged only what was left, so progress counts only hours beyond these.
    studied_before: Mapping[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The inputs as the store keeps them."""
        return {
            "demand": {"source": self.demand_source, "weights": dict(self.demand)},
            "options": self.options.to_json(),
            "calendar": self.calendar.to_json(),
            "start": self.start.isoformat(),
            "studied_before": dict(self.studied_before),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PlanInputs:
        """Inputs saved with `to_json`, by this version or one before `studied_before`."""
        return cls(
            demand_source=data["demand"]["source"],
            demand=dict(data["demand"]["weights"]),
            options=PlanOptions.from_json(data["options"]),
            calendar=StudyCalendar.from_json(data["calendar"]),
            start=dt.date.fromisoformat(data["start"]),
            studied_before=dict(data.get("studied_before", {})),
        )
