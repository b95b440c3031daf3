"""Planning: the cheapest set of catalog resources that covers a target, ordered and scheduled.

Selection is a mixed-integer program solved by HiGHS: choose resources (binary) to cover
the target skills (all those any resource teaches, or a demand-weighted share of the
demand), at least total hours, cost, or a weighted sum of both, within a budget and an
hours cap. A chosen resource's prerequisites are met by another chosen resource, by what
the learner has done or started, or by what they already know. A specialisation and its
own courses are alternatives, never both.

"Met by another chosen resource" alone would let two resources each be the other's
prerequisite, so the order is checked after each solve and any such cycle is cut off by a
constraint that holds for every plan that can be ordered, then the program is solved again.

The schedule lays the chosen resources one after another in prerequisite order on the
learner's calendar (hours per weekday, minus breaks), so each item gets a start and finish
date and the plan a finish date. Progress against a saved plan compares the hours studied
with the hours the calendar had room for, and projects a finish date from the pace so far.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import os
import re
import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from diymasters.catalog import Catalog, Entry, teaches
from diymasters.model import DiyMastersError, InvalidValueError
from diymasters.skills import load_taxonomy

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from diymasters.coverage import Demand, Supply
    from diymasters.skills import Taxonomy

Objective = Literal["hours", "cost", "weighted"]

#: Hours below this are rounding noise when laying hours onto days.
_EPSILON = 1e-9
#: A schedule that would run past this many days is refused rather than computed.
_HORIZON_DAYS = 366 * 60
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HOURS_IN_A_DAY = 24
ICS_PRODID = "-//diymasters//study plan//EN"


class PlanInfeasibleError(DiyMastersError):
    """No set of catalog resources meets the target under the limits given."""

    def __init__(self, why: str) -> None:
        """Say what stands in the way."""
        super().__init__(f"no plan meets the target: {why}")


class _NoPlanError(Exception):
    """The program has no solution under these options (explained by the caller)."""


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


@dataclass(frozen=True)
class Selection:
    """What the solver chose, and how sure it is."""

    entries: tuple[Entry, ...]
    #: Proven optimal (the MIP closed its gap within the time limit).
    optimal: bool
    #: Relative MIP gap at the end: 0 when optimal, inf for the greedy fallback.
    gap: float
    method: Literal["mip", "greedy"]
    #: Demanded skills no catalog resource teaches.
    uncovered: tuple[str, ...]
    #: Hours charged for entries that state none (the catalog median).
    assumed_hours: float
    #: The skills the plan set out to cover (demanded, not yet learnt, taught somewhere).
    target: Mapping[str, float] = field(default_factory=dict)
    #: Prerequisites of each chosen entry: each a set of entries, any one of which meets it.
    needs: Mapping[str, tuple[frozenset[str], ...]] = field(default_factory=dict)
    seconds: float = 0.0
    #: Cycle cuts added before the plan could be ordered.
    cuts: int = 0


@dataclass
class _Problem:
    """The selection problem, reduced to what the solver needs."""

    candidates: dict[str, Entry]
    hours: dict[str, float]
    cost: dict[str, float]
    target: dict[str, float]
    #: The whole open demand, taught or not: the base of a coverage share.
    open_demand: float
    covers: dict[str, set[str]]
    needs: dict[str, tuple[frozenset[str], ...]]
    #: Entry ids that may not be chosen: a prerequisite nothing meets.
    blocked: set[str]
    #: Pairs that exclude each other: a specialisation and one of its own courses.
    exclusive: list[tuple[str, str]]


def entry_hours(entry: Entry, assumed: float) -> tuple[float, bool]:
    """An entry's hours and whether a provider stated them (its courses' sum counts)."""
    if entry.hours:
        return entry.hours, True
    if entry.children and all(child.hours for child in entry.children):
        return sum(child.hours or 0.0 for child in entry.children), True
    return assumed, False


def select(
    demand: Demand,
    supply: Supply,
    catalog: Catalog,
    options: PlanOptions | None = None,
) -> Selection:
    """The least-hours (or least-cost) set of catalog entries that covers the target."""
    options = options or PlanOptions()
    started = time.perf_counter()
    problem = _problem(demand, supply, catalog, options)
    uncovered = _uncovered(demand, supply, options, problem)
    _check_coverage_reachable(problem, options, uncovered)
    assumed = catalog.typical_hours
    if not problem.target and not options.include:
        return Selection((), True, 0.0, "mip", uncovered, assumed, {}, {})
    try:
        chosen, optimal, gap, cuts = _solve_ordered(problem, options)
    except _NoPlanError:
        raise PlanInfeasibleError(_why_infeasible(problem, options)) from None
    method: Literal["mip", "greedy"] = "mip"
    if chosen is None:
        chosen, optimal, gap, method = _greedy(problem, options), False, math.inf, "greedy"
    entries = tuple(problem.candidates[k] for k in sorted(chosen))
    return Selection(
        entries=entries,
        optimal=optimal,
        gap=gap,
        method=method,
        uncovered=uncovered,
        assumed_hours=assumed,
        target=dict(problem.target),
        needs={k: problem.needs[k] for k in chosen},
        seconds=time.perf_counter() - started,
        cuts=cuts,
    )


def greedy(
    demand: Demand,
    supply: Supply,
    catalog: Catalog,
    options: PlanOptions | None = None,
) -> Selection:
    """The rule-of-thumb plan: most open demand per hour first, prerequisites pulled in.

    Kept as the fallback when the solver finds nothing in time, and as the baseline the
    benchmark measures the optimal plan against.
    """
    options = options or PlanOptions()
    started = time.perf_counter()
    problem = _problem(demand, supply, catalog, options)
    uncovered = _uncovered(demand, supply, options, problem)
    chosen = _greedy(problem, options)
    return Selection(
        entries=tuple(problem.candidates[k] for k in sorted(chosen)),
        optimal=False,
        gap=math.inf,
        method="greedy",
        uncovered=uncovered,
        assumed_hours=catalog.typical_hours,
        target=dict(problem.target),
        needs={k: problem.needs[k] for k in chosen},
        seconds=time.perf_counter() - started,
    )


def _uncovered(
    demand: Demand, supply: Supply, options: PlanOptions, problem: _Problem
) -> tuple[str, ...]:
    """Demanded skills still to learn that no candidate teaches, most demanded first."""
    missing = set(_open_target(demand, supply, options)) - problem.target.keys()
    return tuple(sorted(missing, key=lambda s: (-demand.weights[s], s)))


def _have(supply: Supply, options: PlanOptions) -> frozenset[str]:
    return supply.done | supply.in_progress | options.known


def _open_target(demand: Demand, supply: Supply, options: PlanOptions) -> dict[str, float]:
    """Demanded skills the learner has neither learnt nor started."""
    have = _have(supply, options)
    return {s: w for s, w in demand.weights.items() if s not in have and w > 0}


def _problem(demand: Demand, supply: Supply, catalog: Catalog, options: PlanOptions) -> _Problem:
    assumed = catalog.typical_hours
    unknown = sorted((options.include | options.exclude) - catalog.entries.keys())
    if unknown:
        raise InvalidValueError("catalog entry", unknown[0], "is not in the catalog")
    candidates = {
        e.id: e
        for e in catalog.entries.values()
        if e.id not in options.exclude and e.id not in supply.committed
    }
    open_target = _open_target(demand, supply, options)
    covers = {k: set(teaches(e)) & open_target.keys() for k, e in candidates.items()}
    coverable: set[str] = set().union(*covers.values()) if covers else set()
    needs, blocked = _requirements(candidates, catalog, supply, options)
    return _Problem(
        candidates=candidates,
        hours={k: entry_hours(e, assumed)[0] for k, e in candidates.items()},
        cost={k: e.cost or 0.0 for k, e in candidates.items()},
        target={s: w for s, w in open_target.items() if s in coverable},
        open_demand=sum(open_target.values()),
        covers=covers,
        needs=needs,
        blocked=blocked,
        exclusive=[
            (ancestor, k)
            for k, e in candidates.items()
            for ancestor in _ancestors(e, catalog)
            if ancestor in candidates
        ],
    )


def _ancestors(entry: Entry, catalog: Catalog) -> list[str]:
    found = []
    parent = entry.parent
    while parent is not None:
        found.append(parent)
        parent = catalog.entries[parent].parent
    return found


def _relatives(entry: Entry, catalog: Catalog) -> set[str]:
    """The entry itself, its specialisations and its own courses: never each other's teacher."""
    return {entry.id, *_ancestors(entry, catalog), *(e.id for e in entry.walk())}


def _requirements(
    candidates: Mapping[str, Entry], catalog: Catalog, supply: Supply, options: PlanOptions
) -> tuple[dict[str, tuple[frozenset[str], ...]], set[str]]:
    """For each candidate, the prerequisites still open, each as the entries that would meet it.

    An entry prerequisite is met by that entry or a specialisation holding it; a skill
    prerequisite by any other entry teaching the skill.
    """
    have = _have(supply, options)
    teachers: dict[str, set[str]] = {}
    for key, entry in candidates.items():
        for skill in teaches(entry):
            teachers.setdefault(skill, set()).add(key)
    needs: dict[str, tuple[frozenset[str], ...]] = {}
    blocked: set[str] = set()
    for key, entry in candidates.items():
        open_needs = []
        for needed in entry.prerequisites:
            if needed in catalog.entries:
                holders = {needed, *_ancestors(catalog.entries[needed], catalog)}
                if holders & supply.committed:
                    continue
                meets = holders & candidates.keys()
            else:
                skill = needed if ":" in needed else f"dm:{needed}"
                if skill in have:
                    continue
                meets = teachers.get(skill, set()) - _relatives(entry, catalog)
            if not meets:
                blocked.add(key)
            open_needs.append(frozenset(meets))
        needs[key] = tuple(open_needs)
    return needs, blocked


def _check_coverage_reachable(
    problem: _Problem, options: PlanOptions, uncovered: Sequence[str]
) -> None:
    if options.coverage >= 1.0 or not problem.open_demand:
        return
    reachable = sum(problem.target.values()) / problem.open_demand
    if reachable + _EPSILON < options.coverage:
        taxonomy = load_taxonomy()
        names = [taxonomy.skills[s].name if s in taxonomy.skills else s for s in uncovered]
        shown = ", ".join(names[:5]) + (", …" if len(names) > 5 else "")  # noqa: PLR2004
        most = math.floor(reachable * 100 + _EPSILON) / 100
        raise PlanInfeasibleError(
            f"the catalog teaches only {most:.0%} of the demand (no resource teaches "
            f"{shown}); ask for a coverage of {most:g} or less"
        )


# --- The mixed-integer program ---------------------------------------------------------------


def _highspy() -> Any:  # noqa: ANN401 (highspy has no type hints)
    """HiGHS, imported on first use: it costs 85 ms, which no command but `plan` should pay."""
    import highspy  # noqa: PLC0415

    return highspy


def _new_highs() -> Any:  # noqa: ANN401 (highspy has no type hints)
    """A silent HiGHS: its C++ banner goes to file descriptor 1, so hide that while it starts."""
    highspy = _highspy()
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:  # noqa: PTH123
            os.dup2(devnull.fileno(), 1)
            highs = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    highs.setOptionValue("output_flag", False)
    return highs


def _weights(problem: _Problem, options: PlanOptions) -> dict[str, float]:
    """Each entry's price in the objective; a tiny second term breaks ties (cheaper, shorter)."""
    if options.objective == "hours":
        return {k: problem.hours[k] + 1e-6 * problem.cost[k] for k in problem.candidates}
    hour_value = options.hour_value if options.objective == "weighted" else 0.0
    return {
        k: problem.cost[k] + (hour_value or 0.0) * problem.hours[k] + 1e-4 * problem.hours[k]
        for k in problem.candidates
    }


def _build(problem: _Problem, options: PlanOptions) -> tuple[Any, dict[str, Any]]:
    highs = _new_highs()
    highs.setOptionValue("mip_rel_gap", 0.0)
    weight = _weights(problem, options)
    x = {k: highs.addBinary(obj=weight[k]) for k in problem.candidates}
    _cover(highs, problem, x, options)
    _limits(highs, problem, x, options)
    for key, needs in problem.needs.items():
        if key in problem.blocked:
            highs.addConstr(x[key] <= 0)
            continue
        for meets in needs:
            highs.addConstr(sum(x[m] for m in meets) >= x[key])
    for ancestor, key in problem.exclusive:
        highs.addConstr(x[ancestor] + x[key] <= 1)
    return highs, x


def _cover(highs: Any, problem: _Problem, x: Mapping[str, Any], options: PlanOptions) -> None:  # noqa: ANN401
    teachers: dict[str, list[Any]] = {s: [] for s in problem.target}
    for key, skills in problem.covers.items():
        for skill in skills:
            teachers[skill].append(x[key])
    if options.coverage >= 1.0:
        for vars_ in teachers.values():
            highs.addConstr(sum(vars_) >= 1)
        return
    # Partial coverage: y_s can be 1 only when some chosen resource teaches s.
    y = {s: highs.addVariable(lb=0.0, ub=1.0) for s in problem.target}
    for skill, vars_ in teachers.items():
        highs.addConstr(y[skill] <= sum(vars_))
    wanted = options.coverage * problem.open_demand
    highs.addConstr(sum(w * y[s] for s, w in problem.target.items()) >= wanted - _EPSILON)


def _limits(highs: Any, problem: _Problem, x: Mapping[str, Any], options: PlanOptions) -> None:  # noqa: ANN401
    if options.budget is not None:
        highs.addConstr(sum(problem.cost[k] * v for k, v in x.items()) <= options.budget)
    if options.max_hours is not None:
        highs.addConstr(sum(problem.hours[k] * v for k, v in x.items()) <= options.max_hours)
    for key in options.include:
        if key in x:
            highs.addConstr(x[key] >= 1)


def _solve_ordered(
    problem: _Problem, options: PlanOptions
) -> tuple[set[str] | None, bool, float, int]:
    """Solve, cut off any prerequisite cycle in the answer, and solve again until none is left.

    Returns None for the plan when the time limit gives no solution; raises `_NoPlanError`
    when there is none.
    """
    highspy = _highspy()
    deadline = time.perf_counter() + options.time_limit
    highs, x = _build(problem, options)
    cuts = 0
    while True:
        highs.setOptionValue("time_limit", max(deadline - time.perf_counter(), 0.01))
        highs.run()
        status = highs.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            raise _NoPlanError
        info = highs.getInfo()
        if info.primal_solution_status != highspy.SolutionStatus.kSolutionStatusFeasible:
            return None, False, math.inf, cuts
        chosen = {k for k, v in x.items() if highs.variableValue(v) > 0.5}  # noqa: PLR2004
        stuck = _stuck(chosen, problem.needs)
        if not stuck:
            optimal = status == highspy.HighsModelStatus.kOptimal
            return chosen, optimal, 0.0 if optimal else float(info.mip_gap), cuts
        if time.perf_counter() >= deadline:
            return None, False, math.inf, cuts
        _cut_cycle(highs, x, problem, chosen, stuck)
        cuts += 1


def _stuck(chosen: set[str], needs: Mapping[str, tuple[frozenset[str], ...]]) -> set[str]:
    """The chosen entries no order can reach: each waits on another of them."""
    placed: set[str] = set()
    progress = True
    while progress:
        progress = False
        for key in chosen - placed:
            if all(meets & placed for meets in needs[key]):
                placed.add(key)
                progress = True
    return chosen - placed


def _cut_cycle(
    highs: Any,  # noqa: ANN401
    x: Mapping[str, Any],
    problem: _Problem,
    chosen: set[str],
    stuck: set[str],
) -> None:
    """Forbid taking all of `stuck` unless one of them has a prerequisite met from outside.

    In any plan that can be ordered, the first of these entries to be taken has each of its
    prerequisites met by something taken before it, so outside the set; the constraint
    therefore keeps every such plan and removes the one just found.
    """
    placed = chosen - stuck
    outside: list[Any] = []
    for key in stuck:
        waiting = next(m for m in problem.needs[key] if not m & placed)
        outside.extend(x[m] for m in waiting - stuck)
    highs.addConstr(sum(x[k] for k in stuck) - (len(stuck) - 1) <= sum(outside))


def _why_infeasible(problem: _Problem, options: PlanOptions) -> str:
    """Find which limit is in the way by solving again without the limits."""
    unlimited = PlanOptions(
        coverage=options.coverage, include=options.include, time_limit=options.time_limit
    )
    reasons = []
    try:
        if options.budget is not None:
            cheapest = _solve_ordered(problem, dataclasses.replace(unlimited, objective="cost"))[0]
            cost = sum(problem.cost[k] for k in cheapest or ())
            if cheapest is not None and cost > options.budget + _EPSILON:
                reasons.append(f"the budget would need to be at least ${cost:,.2f}")
        if options.max_hours is not None:
            shortest = _solve_ordered(problem, unlimited)[0]
            hours = sum(problem.hours[k] for k in shortest or ())
            if shortest is not None and hours > options.max_hours + _EPSILON:
                reasons.append(f"the hours cap would need to be at least {hours:g}")
    except _NoPlanError:
        return "the prerequisites or the resources you asked to include cannot all be met"
    return "; ".join(reasons) or "the budget and the hours cap cannot both be met"


def _greedy(problem: _Problem, options: PlanOptions) -> set[str]:
    """Take the resource that covers the most open demand per hour, then its prerequisites."""
    left = dict(problem.target)
    wanted = (
        sum(left.values()) if options.coverage >= 1.0 else options.coverage * problem.open_demand
    )
    covered = 0.0
    chosen: set[str] = set(options.include & problem.candidates.keys())
    for key in list(chosen):
        covered += _take(key, chosen, left, problem)
    usable = [k for k in problem.candidates if k not in problem.blocked]
    while left and covered + _EPSILON < wanted:
        best = max(
            (k for k in usable if k not in chosen and problem.covers[k] & left.keys()),
            key=lambda k: (
                sum(left[s] for s in problem.covers[k] & left.keys()) / problem.hours[k],
                k,
            ),
            default=None,
        )
        if best is None:
            break
        covered += _take(best, chosen, left, problem)
    return chosen


def _take(key: str, chosen: set[str], left: dict[str, float], problem: _Problem) -> float:
    """Add an entry and, first, the cheapest way to meet each of its prerequisites."""
    covered = 0.0
    chosen.add(key)
    for meets in problem.needs.get(key, ()):
        if meets & chosen or not meets:
            continue
        cheapest = min(meets - problem.blocked or meets, key=lambda k: (problem.hours[k], k))
        covered += _take(cheapest, chosen, left, problem)
    for skill in problem.covers[key]:
        covered += left.pop(skill, 0.0)
    return covered


# --- Order ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    """One thing to study in the schedule: a catalog entry, or a resource already under way."""

    key: str
    title: str
    url: str | None
    hours: float
    #: Whether the hours are the provider's figure (False: the catalog median stands in).
    hours_stated: bool
    cost: float
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
    """A chosen entry as tasks: a specialisation whose courses state hours becomes its courses."""
    target = selection.target
    if entry.children and all(child.hours for child in entry.children):
        tasks = []
        previous = after
        for child in entry.children:
            tasks.append(
                Task(
                    key=child.id,
                    title=child.title,
                    url=child.url,
                    hours=child.hours or 0.0,
                    hours_stated=True,
                    cost=0.0,
                    after=previous,
                    covers=tuple(s for s in teaches(child) if s in target),
                    part_of=entry.id,
                )
            )
            previous = (child.id,)
        return [dataclasses.replace(tasks[0], cost=entry.cost or 0.0), *tasks[1:]]
    hours, stated = entry_hours(entry, selection.assumed_hours)
    return [
        Task(
            key=entry.id,
            title=entry.title,
            url=entry.url,
            hours=hours,
            hours_stated=stated,
            cost=entry.cost or 0.0,
            after=after,
            covers=tuple(s for s in teaches(entry) if s in target),
        )
    ]


# --- The calendar and the schedule ------------------------------------------------------------


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
class ScheduledItem:
    """A task with its dates and the hours it takes on each day it is studied."""

    task: Task
    start: dt.date
    finish: dt.date
    days: tuple[tuple[dt.date, float], ...]


def schedule(tasks: Sequence[Task], calendar: StudyCalendar, start: dt.date) -> list[ScheduledItem]:
    """Lay the tasks one after another onto the calendar, filling each day's hours."""
    if start > dt.date.max - dt.timedelta(days=_HORIZON_DAYS + 1):
        raise InvalidValueError("start", start.isoformat(), "is too far ahead to plan from")
    items = []
    day, room = start, calendar.hours_on(start)
    for task in tasks:
        days: list[tuple[dt.date, float]] = []
        left = task.hours
        while left > _EPSILON:
            if room <= _EPSILON:
                day += dt.timedelta(days=1)
                if (day - start).days > _HORIZON_DAYS:
                    raise PlanInfeasibleError("the schedule would run for more than 60 years")
                room = calendar.hours_on(day)
                continue
            used = min(room, left)
            days.append((day, used))
            left -= used
            room -= used
        first = days[0][0] if days else day
        items.append(ScheduledItem(task, first, days[-1][0] if days else first, tuple(days)))
    return items


def finish_date(items: Sequence[ScheduledItem], start: dt.date) -> dt.date:
    """The day the last item is finished (the start, for an empty plan)."""
    return max((i.finish for i in items), default=start)


# --- Reports ----------------------------------------------------------------------------------


def plan_report(
    selection: Selection,
    items: Sequence[ScheduledItem],
    taxonomy: Taxonomy,
    *,
    calendar: StudyCalendar,
    start: dt.date,
) -> dict[str, Any]:
    """The plan as `diymasters plan --json` prints it and the store keeps it."""

    def name(skill: str) -> str:
        found = taxonomy.skills.get(skill)
        return found.name if found else skill

    covered = {s for i in items for s in i.task.covers}
    return {
        "optimal": selection.optimal,
        "gap": selection.gap if math.isfinite(selection.gap) else None,
        "method": selection.method,
        "seconds": round(selection.seconds, 3),
        "cycle_cuts": selection.cuts,
        "total_hours": round(sum(i.task.hours for i in items), 2),
        "total_cost": round(sum(i.task.cost for i in items), 2),
        "start": start.isoformat(),
        "finish": finish_date(items, start).isoformat(),
        "hours_per_week": round(calendar.hours_per_week, 2),
        "calendar": calendar.to_json(),
        "assumed_hours": selection.assumed_hours,
        "target_skills": len(selection.target),
        "covered_skills": len(covered),
        "items": [
            {
                "id": i.task.key,
                "title": i.task.title,
                "url": i.task.url,
                "hours": round(i.task.hours, 2),
                "hours_stated": i.task.hours_stated,
                "cost": i.task.cost,
                "start": i.start.isoformat(),
                "finish": i.finish.isoformat(),
                "after": list(i.task.after),
                "covers": [name(s) for s in i.task.covers],
                "part_of": i.task.part_of,
                "committed": i.task.committed,
            }
            for i in items
        ],
        "uncovered": [name(s) for s in selection.uncovered],
    }


def plan_progress(
    report: Mapping[str, Any], studied: Mapping[str, float], today: dt.date
) -> dict[str, Any]:
    """How a saved plan is going: hours studied against the hours the calendar had room for.

    `studied` gives the hours spent on each planned item (its whole hours once it is done).
    The projected finish follows the pace so far, measured once a week has passed; before
    that, the plan's own calendar.
    """
    calendar = StudyCalendar.from_json(report["calendar"])
    start = dt.date.fromisoformat(report["start"])
    saved_finish = dt.date.fromisoformat(report["finish"])
    total = float(report["total_hours"])
    done = {i["id"]: min(studied.get(i["id"], 0.0), float(i["hours"])) for i in report["items"]}
    actual = sum(done.values())
    expected = min(total, calendar.capacity(start, today)) if today >= start else 0.0
    elapsed = (today - start).days + 1
    pace = actual / elapsed * 7 if elapsed >= 7 and actual > 0 else None  # noqa: PLR2004
    projected = _projected_finish(total - actual, pace, calendar, max(today, start))
    weeks = (saved_finish - projected).days / 7
    return {
        "start": start.isoformat(),
        "today": today.isoformat(),
        "saved_finish": saved_finish.isoformat(),
        "projected_finish": projected.isoformat(),
        "hours_planned": round(total, 2),
        "hours_due_by_today": round(expected, 2),
        "hours_studied": round(actual, 2),
        "pace_hours_per_week": round(pace, 2) if pace is not None else None,
        "weeks_ahead": round(weeks, 1),
        "verdict": _verdict(weeks),
        "items": [
            {
                "id": i["id"],
                "title": i["title"],
                "hours": i["hours"],
                "studied": round(done[i["id"]], 2),
                "finish": i["finish"],
            }
            for i in report["items"]
        ],
    }


def _projected_finish(
    remaining: float, pace: float | None, calendar: StudyCalendar, today: dt.date
) -> dt.date:
    if remaining <= _EPSILON:
        return today
    if pace is None:
        rest = Task("rest", "rest", None, remaining, hours_stated=True, cost=0.0)
        return schedule([rest], calendar, today)[0].finish
    return today + dt.timedelta(days=math.ceil(remaining / pace * 7))


def _verdict(weeks: float) -> str:
    if abs(weeks) < 0.5:  # noqa: PLR2004
        return "on schedule"
    return f"{'ahead' if weeks > 0 else 'behind'} by {abs(weeks):.1f} weeks"


def plan_ics(report: Mapping[str, Any], stamp: dt.datetime) -> bytes:
    """An iCalendar file of a plan: one all-day event series per item, on its study days.

    Each series repeats on the calendar's study weekdays from the item's start to its
    finish, with the break days in between left out.
    """
    import icalendar  # noqa: PLC0415 (imported on first use: 30 ms no other command needs)

    calendar = StudyCalendar.from_json(report["calendar"])
    study_days = [
        code for code, hours in zip(_ICS_DAYS, calendar.weekday_hours, strict=True) if hours > 0
    ]
    cal = icalendar.Calendar()
    cal.add("prodid", ICS_PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "diymasters study plan")
    for item in report["items"]:
        first, last = dt.date.fromisoformat(item["start"]), dt.date.fromisoformat(item["finish"])
        event = icalendar.Event()
        event.add("uid", f"{item['id']}-{first.isoformat()}@diymasters")
        event.add("dtstamp", stamp)
        event.add("summary", f"Study: {item['title']}")
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
        if item["url"]:
            event.add("url", item["url"])
        cal.add_component(event)
    return bytes(cal.to_ical())


def is_plan_ics(data: bytes) -> bool:
    """Whether a file is a calendar this tool wrote (and so may be replaced)."""
    return data.lstrip().startswith(b"BEGIN:VCALENDAR") and ICS_PRODID.encode() in data[:400]


_ICS_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _days(first: dt.date, last: dt.date) -> Iterable[dt.date]:
    return (first + dt.timedelta(days=n) for n in range((last - first).days + 1))


def _ics_description(item: Mapping[str, Any]) -> str:
    lines = [f"{item['hours']:g} hours in all, {item['start']} to {item['finish']}."]
    if item["covers"]:
        lines.append("Covers: " + ", ".join(item["covers"]))
    if item["url"]:
        lines.append(str(item["url"]))
    return "\n".join(lines)
