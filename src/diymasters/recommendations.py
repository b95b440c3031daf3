"""Recommendations: a short set of catalog entries that close a demand's gaps together.

Each next pick is the entry that adds the most gap demand still open per hour, so no pick
only repeats what those above it close while another teachable gap is open. The other entries
that teach a gap a pick closes are listed under it as alternatives, never as picks of their
own. Asked for the cheapest set instead, the planner's optimiser (`plan.select`) chooses the
entries, with no prerequisites pulled in and no calendar, and the same rule orders them.

An entry that names a skill among its prerequisites is for after that skill, never for it.
A broad skill (a body of knowledge or a practice: machine learning, statistics, data
pipelines) is answered by a course, a book or a specialisation; a tool, framework or language
may also be answered by its own documentation or tutorial. Only where no course, book or
specialisation teaches a broad skill does another kind of entry count for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from diymasters.catalog import teaches
from diymasters.hours import split_by_basis
from diymasters.model import Kind

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

    from diymasters.catalog import Catalog, Entry
    from diymasters.coverage import Demand, Supply
    from diymasters.hours import Hours, HoursBasis
    from diymasters.skills import Taxonomy

#: Free resources are worth this much more when ranking picks.
FREE_BONUS = 1.25
#: The kinds that answer a broad skill: structured study, not a page of documentation.
STUDY_KINDS = frozenset({Kind.COURSE, Kind.SPECIALISATION, Kind.BOOK})
#: Skill types a tool's own documentation or tutorial can teach.
TOOL_TYPES = frozenset({"tool", "framework", "language"})
#: Alternatives listed under each gap a pick closes.
ALTERNATIVES = 3

Method = Literal["complementary", "cheapest"]


@dataclass(frozen=True)
class ClosedGap:
    """A gap a pick closes, and the share of the whole demand it carries."""

    skill: str
    id: str
    demand: float
    share: float


@dataclass(frozen=True)
class Overlap:
    """A demanded skill a pick teaches that the learner has already, and from what.

    `by` names the curriculum's resources that teach it, or the pick above that closes it.
    """

    skill: str
    id: str
    by: tuple[str, ...]
    source: Literal["curriculum", "pick"]


@dataclass(frozen=True)
class Alternative:
    """Another entry that teaches a gap, with its hours and price."""

    id: str
    title: str
    url: str
    kind: Kind
    hours: float
    hours_basis: HoursBasis
    free: bool


@dataclass(frozen=True)
class GapAlternatives:
    """The other entries that would close one gap a pick closes."""

    skill: str
    id: str
    entries: tuple[Alternative, ...]


@dataclass(frozen=True)
class Recommendation:
    """A catalog entry to add, and what it buys beyond the picks above it."""

    id: str
    title: str
    url: str
    kind: Kind
    #: The hours it is ranked by, and what they rest on (`diymasters.hours`).
    hours: float
    hours_basis: HoursBasis
    cost: float | None
    free: bool
    #: The names of the gaps it closes that no pick above closes.
    covers: tuple[str, ...]
    closes: tuple[ClosedGap, ...]
    demand_covered: float
    #: The share of the whole demand the gaps it closes carry.
    share: float
    #: Postings (of the role) asking for at least one of the gaps it closes, for a corpus.
    postings: int | None
    overlap: tuple[Overlap, ...]
    alternatives: tuple[GapAlternatives, ...]
    why: str


@dataclass(frozen=True)
class Recommendations:
    """The picks, how they were chosen, and what they close together."""

    picks: tuple[Recommendation, ...]
    method: Method
    #: Whether the solver proved the cheapest set optimal (never, for complementary picks).
    optimal: bool
    #: The share of the whole demand the picks close together.
    share: float
    #: The picks' hours summed by basis ("130 h: 22 stated, 0 derived, 108 typical").
    hours_by_basis: Mapping[str, float]
    #: Gaps no catalog entry teaches.
    untaught: tuple[str, ...]


@dataclass(frozen=True)
class Postings:
    """The postings a corpus demand was counted over, to say how many ask for a pick's gaps."""

    total: int
    role: str | None
    asking: Callable[[frozenset[str]], int]


@dataclass(frozen=True)
class _Problem:
    """What the picks are chosen from: the gaps, and what each candidate counts for."""

    demand: Demand
    supply: Supply
    taxonomy: Taxonomy
    postings: Postings | None
    gaps: Mapping[str, float]
    total: float
    candidates: Mapping[str, Entry]
    #: By entry id, the gaps it counts for: those it teaches and whose kind it fits.
    counts: Mapping[str, frozenset[str]]
    hours: Mapping[str, Hours]


def recommend(
    demand: Demand,
    supply: Supply,
    catalog: Catalog,
    taxonomy: Taxonomy,
    *,
    most: int = 10,
    cheapest: bool = False,
    postings: Postings | None = None,
) -> Recommendations:
    """Entries that close the demand's gaps together, each saying what it adds.

    By default, at most `most` complementary picks, each adding the most open gap demand per
    hour; with `cheapest`, the least-hours set that closes every teachable gap, as the
    planner's optimiser finds it. Nothing the curriculum already has is suggested.
    """
    problem = _problem(demand, supply, catalog, taxonomy, postings)
    optimal = False
    if cheapest:
        chosen, optimal = _cheapest(problem, catalog)
        order = _greedy_order(problem, problem.candidates.keys() & chosen, len(chosen))
    else:
        order = _greedy_order(problem, problem.candidates.keys(), most)
    picks = _describe(order, problem)
    closed = sum(gap.demand for pick in picks for gap in pick.closes)
    taught = set().union(*problem.counts.values()) if problem.counts else set()
    untaught = _by_demand(problem.gaps.keys() - taught, demand)
    return Recommendations(
        picks=picks,
        method="cheapest" if cheapest else "complementary",
        optimal=optimal,
        share=_share(closed, problem.total),
        hours_by_basis=split_by_basis((p.hours_basis, p.hours) for p in picks),
        untaught=tuple(_name(taxonomy, s) for s in untaught),
    )


def fits(entry: Entry, skill: str, taxonomy: Taxonomy) -> bool:
    """Whether an entry's kind suits the skill: study for a broad skill, anything for a tool."""
    return entry.kind in STUDY_KINDS or _is_tool(taxonomy, skill)


def _is_tool(taxonomy: Taxonomy, skill: str) -> bool:
    found = taxonomy.skills.get(skill)
    return found is not None and found.type in TOOL_TYPES


def _problem(
    demand: Demand,
    supply: Supply,
    catalog: Catalog,
    taxonomy: Taxonomy,
    postings: Postings | None,
) -> _Problem:
    gaps = {s: w for s, w in demand.weights.items() if s not in supply.everything}
    candidates = {k: e for k, e in catalog.entries.items() if k not in supply.entries}
    taught = {
        k: frozenset(teaches(e)) & gaps.keys() - _presumed(e, catalog)
        for k, e in candidates.items()
    }
    studied = {s for k, found in taught.items() if candidates[k].kind in STUDY_KINDS for s in found}
    counts = {
        k: frozenset(s for s in skills if fits(candidates[k], s, taxonomy) or s not in studied)
        for k, skills in taught.items()
    }
    return _Problem(
        demand=demand,
        supply=supply,
        taxonomy=taxonomy,
        postings=postings,
        gaps=gaps,
        total=sum(demand.weights.values()),
        candidates=candidates,
        counts={k: skills for k, skills in counts.items() if skills},
        hours={k: catalog.hours.of(e) for k, e in candidates.items()},
    )


def _presumed(entry: Entry, catalog: Catalog) -> frozenset[str]:
    """The skills an entry expects to be known first: it is for after them, never for them."""
    return frozenset(
        needed if ":" in needed else f"dm:{needed}"
        for needed in entry.prerequisites
        if needed not in catalog.entries
    )


def _score(problem: _Problem, key: str, open_gaps: Collection[str]) -> tuple[float, float]:
    """An entry's open gap demand per hour (free ones a little higher), and that demand."""
    value = sum(problem.gaps[s] for s in problem.counts.get(key, ()) if s in open_gaps)
    bonus = FREE_BONUS if problem.candidates[key].free else 1.0
    return value / problem.hours[key].hours * bonus, value


def _greedy_order(problem: _Problem, pool: Iterable[str], most: int) -> list[str]:
    """Picks in turn: each the entry of `pool` adding the most open demand per hour.

    Between equals, an entry about an open gap (its first skill) goes before one that only
    touches it: Kubernetes' own tutorial before another tool's pages that mention it. A pick's
    specialisation and its own courses are never picked beside it.
    """
    pool = set(pool) & problem.counts.keys()
    open_gaps = set(problem.gaps)
    order: list[str] = []
    while pool and open_gaps and len(order) < most:
        best = min(pool, key=lambda key: _rank(problem, key, open_gaps))
        if _score(problem, best, open_gaps)[1] <= 0:
            break
        order.append(best)
        open_gaps -= problem.counts[best]
        pool -= _relatives(problem.candidates[best], problem.candidates)
    return order


def _rank(
    problem: _Problem, key: str, open_gaps: Collection[str]
) -> tuple[float, float, bool, str]:
    """Sorts best first: demand per hour, then demand, then being about a gap, then the id."""
    score, value = _score(problem, key, open_gaps)
    skills = problem.candidates[key].skills
    about = bool(skills) and skills[0] in open_gaps
    return -score, -value, not about, key


def _relatives(entry: Entry, candidates: Mapping[str, Entry]) -> set[str]:
    """The entry, its specialisations and its own courses."""
    found = {e.id for e in entry.walk()}
    parent = entry.parent
    while parent is not None:
        found.add(parent)
        above = candidates.get(parent)
        parent = above.parent if above is not None else None
    return found


def _cheapest(problem: _Problem, catalog: Catalog) -> tuple[set[str], bool]:
    """The least-hours set closing every teachable gap, from the planner's optimiser."""
    from diymasters.plan.select import cheapest_cover  # noqa: PLC0415 (HiGHS only when asked)

    selection = cheapest_cover(dict(problem.gaps), problem.counts, catalog)
    return {e.id for e in selection.entries}, selection.optimal


def _describe(order: Sequence[str], problem: _Problem) -> tuple[Recommendation, ...]:
    """Each pick with the gaps it closes beyond those above it, and what it buys."""
    closed_by: dict[str, str] = {}
    picks = []
    for key in order:
        entry = problem.candidates[key]
        closes = _by_demand(problem.counts[key] - closed_by.keys(), problem.demand)
        overlap = _overlap(entry, closes, closed_by, problem)
        closed_by.update(dict.fromkeys(closes, entry.title))
        picks.append(_pick(entry, closes, overlap, problem, order))
    return tuple(picks)


def _pick(
    entry: Entry,
    closes: Sequence[str],
    overlap: tuple[Overlap, ...],
    problem: _Problem,
    order: Sequence[str],
) -> Recommendation:
    hours = problem.hours[entry.id]
    value = sum(problem.gaps[s] for s in closes)
    closed = tuple(
        ClosedGap(
            _name(problem.taxonomy, s),
            s,
            round(problem.gaps[s], 4),
            _share(problem.gaps[s], problem.total),
        )
        for s in closes
    )
    share = _share(value, problem.total)
    postings = problem.postings
    asking = postings.asking(frozenset(closes)) if postings is not None else None
    covers = [gap.skill for gap in closed]
    bought = f"closes {_listed(covers)} ({share:.0%} of the demand"
    if postings is not None:
        role = f" {postings.role}" if postings.role else ""
        bought += f", asked for by {asking:,} of {postings.total:,}{role} postings"
    return Recommendation(
        id=entry.id,
        title=entry.title,
        url=entry.url,
        kind=entry.kind,
        hours=hours.hours,
        hours_basis=hours.basis,
        cost=entry.cost,
        free=entry.free,
        covers=tuple(covers),
        closes=closed,
        demand_covered=round(value, 4),
        share=share,
        postings=asking,
        overlap=overlap,
        alternatives=tuple(_alternatives(problem, entry, s, order) for s in closes),
        why=_why(entry, f"{bought})", hours, overlap),
    )


def _overlap(
    entry: Entry, closes: Sequence[str], closed_by: Mapping[str, str], problem: _Problem
) -> tuple[Overlap, ...]:
    """What else the entry teaches that is asked for: the curriculum's, or a pick's above."""
    demand, taxonomy = problem.demand, problem.taxonomy
    rest = _by_demand(set(teaches(entry)) & demand.weights.keys() - set(closes), demand)
    found = []
    for skill in rest:
        if skill in closed_by:
            found.append(Overlap(_name(taxonomy, skill), skill, (closed_by[skill],), "pick"))
        elif skill in problem.supply.everything:
            by = tuple(problem.supply.teachers.get(skill, ()))
            found.append(Overlap(_name(taxonomy, skill), skill, by, "curriculum"))
    return tuple(found)


def _alternatives(
    problem: _Problem, pick: Entry, skill: str, order: Sequence[str]
) -> GapAlternatives:
    """The best other entries that count for a gap, none of them a pick or part of this one."""
    skip = set(order) | _relatives(pick, problem.candidates)
    others = [k for k, skills in problem.counts.items() if skill in skills and k not in skip]
    ranked = sorted(others, key=lambda k: _rank(problem, k, {skill}))
    return GapAlternatives(
        _name(problem.taxonomy, skill),
        skill,
        tuple(_alternative(problem, k) for k in ranked[:ALTERNATIVES]),
    )


def _alternative(problem: _Problem, key: str) -> Alternative:
    entry = problem.candidates[key]
    hours = problem.hours[key]
    return Alternative(
        entry.id, entry.title, entry.url, entry.kind, hours.hours, hours.basis, entry.free
    )


def _why(entry: Entry, bought: str, hours: Hours, overlap: Sequence[Overlap]) -> str:
    """What the pick buys, in one line: gaps and their share, hours, price, what is had."""
    parts = [bought, hours.describe(), price_text(entry)]
    had = [o.skill for o in overlap if o.source == "curriculum"]
    if had:
        parts.append(f"you already have {_listed(had)}")
    return "; ".join(parts)


def price_text(entry: Entry) -> str:
    """What following an entry costs, in words, with the paid track's price where known."""
    if entry.cost == 0:
        return "free"
    if entry.audit and entry.cost:
        return f"free to audit (${entry.cost:g} with a certificate)"
    if entry.audit:
        return "free to audit"
    return f"${entry.cost:g}" if entry.cost else "cost unknown"


def _listed(names: Sequence[str]) -> str:
    """Names in a sentence: "a", "a and b", "a, b and c"."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _by_demand(skills: Iterable[str], demand: Demand) -> list[str]:
    return sorted(skills, key=lambda s: (-demand.weights[s], s))


def _share(part: float, whole: float) -> float:
    return round(part / whole, 4) if whole else 0.0


def _name(taxonomy: Taxonomy, skill: str) -> str:
    found = taxonomy.skills.get(skill)
    return found.name if found else skill.removeprefix("span:")
