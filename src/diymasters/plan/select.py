"""Which resources: the cheapest set of catalog entries that covers a target, found by HiGHS.

Selection is a mixed-integer program: choose resources (binary) to cover the target skills
(all those any resource teaches, or a demand-weighted share of the demand), for the least
hours, cost, or a weighted sum of both, within a budget and an hours cap. A chosen resource's
prerequisites are met by another chosen resource, by what the learner has done or started, or
by what they already know; a specialisation and its own courses are alternatives, never both.
"Met by another chosen resource" alone would let two resources each be the other's
prerequisite, so the answer is checked for an order after each solve and any such cycle is
cut off by a constraint that holds for every plan that can be ordered, then the program is
solved again. No plan at all is explained by solving again without the limits, and a solver
out of time falls back to the greedy rule. The only module that imports highspy, on first use.
"""

from __future__ import annotations

import dataclasses
import math
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from diymasters.catalog import teaches
from diymasters.errors import InvalidInputError
from diymasters.model import InvalidValueError
from diymasters.plan.options import PlanOptions
from diymasters.skills import load_taxonomy

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from diymasters.catalog import Catalog, Entry
    from diymasters.coverage import Demand, Supply
    from diymasters.hours import Hours

#: Hours below this are rounding noise when laying hours onto days.
EPSILON = 1e-9


class PlanInfeasibleError(InvalidInputError):
    """No set of catalog resources meets the target under the limits given."""

    def __init__(self, why: str) -> None:
        """Say what stands in the way."""
        super().__init__(f"no plan meets the target: {why}")


class _NoPlanError(Exception):
    """The program has no solution under these options (explained by the caller)."""


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
    #: Hours charged for an entry whose hours have no basis (see `diymasters.hours`).
    assumed_hours: float
    #: The skills the plan set out to cover (demanded, not yet learnt, taught somewhere).
    target: Mapping[str, float] = field(default_factory=dict)
    #: Prerequisites of each chosen entry: each a set of entries, any one of which meets it.
    needs: Mapping[str, tuple[frozenset[str], ...]] = field(default_factory=dict)
    seconds: float = 0.0
    #: Cycle cuts added before the plan could be ordered.
    cuts: int = 0
    #: The hours of each chosen entry and its parts, with their basis.
    hours: Mapping[str, Hours] = field(default_factory=dict)


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
    if not problem.target and not options.include:
        return Selection((), True, 0.0, "mip", uncovered, catalog.hours.fallback, {}, {})
    return _solved(problem, options, catalog, uncovered, started)


def _solved(
    problem: _Problem,
    options: PlanOptions,
    catalog: Catalog,
    uncovered: tuple[str, ...],
    started: float,
) -> Selection:
    """The program's answer, or the greedy rule's when the solver runs out of time."""
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
        assumed_hours=catalog.hours.fallback,
        target=dict(problem.target),
        needs={k: problem.needs[k] for k in chosen},
        seconds=time.perf_counter() - started,
        cuts=cuts,
        hours=_hours_of(entries, catalog),
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
    entries = tuple(problem.candidates[k] for k in sorted(chosen))
    return Selection(
        entries=entries,
        optimal=False,
        gap=math.inf,
        method="greedy",
        uncovered=uncovered,
        assumed_hours=catalog.hours.fallback,
        target=dict(problem.target),
        needs={k: problem.needs[k] for k in chosen},
        seconds=time.perf_counter() - started,
        hours=_hours_of(entries, catalog),
    )


def cheapest_cover(
    target: Mapping[str, float],
    counts: Mapping[str, frozenset[str]],
    catalog: Catalog,
    *,
    time_limit: float = 5.0,
) -> Selection:
    """The least-hours set of entries that covers every target skill any of them counts for.

    The same program as `select`, for the gaps page's cheapest set: the candidates are the
    entries of `counts`, each counting for the target skills it names (the recommendations'
    rule of kind and skill), and no prerequisite is pulled in. A solver out of time falls
    back to the greedy rule.
    """
    started = time.perf_counter()
    options = PlanOptions(time_limit=time_limit)
    candidates = {k: catalog.entries[k] for k in counts}
    covers = {k: set(counts[k]) & target.keys() for k in candidates}
    coverable: set[str] = set().union(*covers.values()) if covers else set()
    problem = _Problem(
        candidates=candidates,
        hours={k: catalog.hours.of(e).hours for k, e in candidates.items()},
        cost={k: e.cost_to_learn for k, e in candidates.items()},
        target={s: w for s, w in target.items() if s in coverable},
        open_demand=sum(target.values()),
        covers=covers,
        needs=dict.fromkeys(candidates, ()),
        blocked=set(),
        exclusive=_exclusive(candidates, catalog),
    )
    uncovered = tuple(sorted(target.keys() - coverable, key=lambda s: (-target[s], s)))
    if not problem.target:
        return Selection((), True, 0.0, "mip", uncovered, catalog.hours.fallback)
    return _solved(problem, options, catalog, uncovered, started)


def _hours_of(entries: Sequence[Entry], catalog: Catalog) -> dict[str, Hours]:
    """The hours of the chosen entries and of their parts, which a plan may list instead."""
    return {each.id: catalog.hours.of(each) for entry in entries for each in entry.walk()}


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
        hours={k: catalog.hours.of(e).hours for k, e in candidates.items()},
        cost={k: e.cost_to_learn for k, e in candidates.items()},
        target={s: w for s, w in open_target.items() if s in coverable},
        open_demand=sum(open_target.values()),
        covers=covers,
        needs=needs,
        blocked=blocked,
        exclusive=_exclusive(candidates, catalog),
    )


def _exclusive(candidates: Mapping[str, Entry], catalog: Catalog) -> list[tuple[str, str]]:
    """Pairs never chosen together: a specialisation and one of its own courses."""
    return [
        (ancestor, k)
        for k, e in candidates.items()
        for ancestor in _ancestors(e, catalog)
        if ancestor in candidates
    ]


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
    if reachable + EPSILON < options.coverage:
        taxonomy = load_taxonomy()
        names = [taxonomy.skills[s].name if s in taxonomy.skills else s for s in uncovered]
        shown = ", ".join(names[:5]) + (", …" if len(names) > 5 else "")  # noqa: PLR2004
        most = math.floor(reachable * 100 + EPSILON) / 100
        raise PlanInfeasibleError(
            f"the catalog teaches only {most:.0%} of the demand (no resource teaches "
            f"{shown}); ask for a coverage of {most:g} or less"
        )


# --- The mixed-integer program ---------------------------------------------------------------


def _highspy() -> Any:  # noqa: ANN401 (highspy has no type hints)
    """HiGHS, imported on first use: it costs 85 ms, which no command but `plan` should pay."""
    import highspy  # noqa: PLC0415

    return highspy


#: HiGHS prints its banner to file descriptor 1 once per process, at its first instance.
_BANNER_LOCK = threading.Lock()
_banner_hidden = False


def load_solver() -> None:
    """Load HiGHS and hide its start-up banner, once per process.

    The banner is hidden by pointing file descriptor 1 at /dev/null for a moment, which
    would swallow any other thread's output in that moment: a server calls this before it
    starts its threads, and the lock keeps two solves from doing it at once.
    """
    global _banner_hidden  # noqa: PLW0603 (once per process, under the lock)
    with _BANNER_LOCK:
        if _banner_hidden:
            return
        highspy = _highspy()
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as devnull:  # noqa: PTH123
                os.dup2(devnull.fileno(), 1)
                highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _banner_hidden = True


def _new_highs() -> Any:  # noqa: ANN401 (highspy has no type hints)
    """A silent HiGHS instance."""
    load_solver()
    highs = _highspy().Highs()
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
    highs.addConstr(sum(w * y[s] for s, w in problem.target.items()) >= wanted - EPSILON)


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
            if cheapest is not None and cost > options.budget + EPSILON:
                reasons.append(f"the budget would need to be at least ${cost:,.2f}")
        if options.max_hours is not None:
            shortest = _solve_ordered(problem, unlimited)[0]
            hours = sum(problem.hours[k] for k in shortest or ())
            if shortest is not None and hours > options.max_hours + EPSILON:
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
    while left and covered + EPSILON < wanted:
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
