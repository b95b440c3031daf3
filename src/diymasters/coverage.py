"""Coverage: how much of what employers ask for a curriculum teaches, and what to add.

Demand is a weight per skill: from one posting (required 1, preferred 0.5) or from a corpus
(the share of postings naming the skill). Supply is the skills the curriculum's resources
teach: a resource matched to a catalog entry teaches the entry's skills; an unmatched one
teaches what the extractor finds in its title and description. Coverage is the
demand-weighted share of skills supplied, for what is done and for the whole curriculum.
What would close the gaps is `diymasters.recommendations`'s to say.

Soft skills and languages (`Skill.soft`) are demand too, but no course closes them: they are
kept apart from the weights every share, gap and plan is made of, and reported on their own.
So are names found listed beside known skills that the taxonomy does not hold (`span:` ids):
no catalog entry can be matched to them, so counting them made coverage unreachable (over
the shared corpus, 3,476 such names made "21 of 5,018 skills" of 21 of 1,542).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from diymasters.catalog import Catalog, match_curriculum, teaches
from diymasters.model import Curriculum, Resource, Status, rollup
from diymasters.recommendations import Postings, Recommendation, recommend
from diymasters.skills import UNLINKED, Taxonomy, extract

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from diymasters.recommendations import Method

#: A preferred skill weighs this much of a required one in a posting's demand.
PREFERRED_WEIGHT = 0.5


@dataclass(frozen=True)
class Demand:
    """What the employers ask for: a weight per skill, with evidence where there is some.

    `weights` holds the technical skills a curriculum can teach; `soft` the soft skills and
    languages asked for beside them, which no share, gap or plan counts.
    """

    weights: Mapping[str, float]
    evidence: Mapping[str, str] = field(default_factory=dict)
    source: str = ""
    soft: Mapping[str, float] = field(default_factory=dict)
    #: Names the taxonomy does not hold, listed beside skills it does: asked for, unteachable.
    unlinked: Mapping[str, float] = field(default_factory=dict)
    #: Whether a weight is the share of postings naming the skill (a corpus's demand) rather
    #: than 1 for required and 0.5 for preferred (a posting's).
    shares: bool = False

    @property
    def everything(self) -> dict[str, float]:
        """Every weight, counted or kept apart: what a saved target keeps."""
        return {**self.weights, **self.soft, **self.unlinked}


def demand_of(
    weights: Mapping[str, float],
    taxonomy: Taxonomy,
    evidence: Mapping[str, str] | None = None,
    source: str = "",
    *,
    shares: bool = False,
) -> Demand:
    """Demand from weights of any skills, the soft ones and the unlinked names set apart."""
    soft = {skill for skill in weights if _is_soft(taxonomy, skill)}
    unlinked = {skill for skill in weights if skill.startswith(UNLINKED)}
    return Demand(
        weights={skill: w for skill, w in weights.items() if skill not in soft | unlinked},
        evidence=dict(evidence or {}),
        source=source,
        soft={skill: w for skill, w in weights.items() if skill in soft},
        unlinked={skill: w for skill, w in weights.items() if skill in unlinked},
        shares=shares,
    )


def _is_soft(taxonomy: Taxonomy, skill: str) -> bool:
    found = taxonomy.skills.get(skill)
    return found is not None and found.soft


def posting_demand(text: str, taxonomy: Taxonomy, source: str = "posting") -> Demand:
    """Demand of one posting: required skills weigh 1, preferred ones 0.5."""
    weights: dict[str, float] = {}
    evidence: dict[str, str] = {}
    for mention in extract(text, tagger=False):
        weight = 1.0 if mention.required else PREFERRED_WEIGHT
        weights[mention.skill.id] = max(weights.get(mention.skill.id, 0.0), weight)
        evidence.setdefault(mention.skill.id, " ".join(mention.evidence(text).split()))
    return demand_of(weights, taxonomy, evidence, source)


def share_demand(
    shares: Iterable[tuple[str, float]], taxonomy: Taxonomy, source: str = "corpus"
) -> Demand:
    """Demand of a corpus: each skill weighs the share of postings naming it."""
    positive = {skill: share for skill, share in shares if share > 0}
    return demand_of(positive, taxonomy, {}, source, shares=True)


@dataclass(frozen=True)
class Supply:
    """Which skills the curriculum teaches, split by how far the learner has got."""

    done: frozenset[str]
    in_progress: frozenset[str]
    planned: frozenset[str]
    #: Catalog entries the curriculum already has (never recommended again).
    entries: frozenset[str]
    #: Those of them done or under way: never planned again.
    committed: frozenset[str] = frozenset()
    #: By skill, the titles of the resources that teach it (dropped ones aside).
    teachers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def everything(self) -> frozenset[str]:
        """Skills the whole curriculum teaches, done or not."""
        return self.done | self.in_progress | self.planned


def curriculum_supply(curriculum: Curriculum, catalog: Catalog) -> Supply:
    """Skills taught by the curriculum's resources, by status; dropped ones teach nothing."""
    matches = match_curriculum(catalog, curriculum)
    by_status: dict[Status, set[str]] = defaultdict(set)
    teachers: dict[str, list[str]] = defaultdict(list)
    entries: set[str] = set()
    committed: set[str] = set()
    for resource in curriculum.all_resources():
        found = matches.get(resource.id) if resource.id is not None else None
        status = rollup(resource).status
        if found is not None:
            entries.update(e.id for e in found.entry.walk())
            if status is Status.DONE:
                committed.update(e.id for e in found.entry.walk())
            elif status is Status.IN_PROGRESS:
                committed.add(found.entry.id)
        if status is None or status is Status.DROPPED:
            continue
        taught = teaches(found.entry) if found else _extracted_skills(resource)
        skills = {*taught, *resource.skills}
        by_status[status].update(skills)
        for skill in skills:
            teachers[skill].append(resource.title)
    done = frozenset(by_status[Status.DONE])
    in_progress = frozenset(by_status[Status.IN_PROGRESS]) - done
    planned = frozenset(by_status[Status.TODO]) - done - in_progress
    return Supply(
        done,
        in_progress,
        planned,
        frozenset(entries),
        frozenset(committed),
        {skill: tuple(titles) for skill, titles in teachers.items()},
    )


def _extracted_skills(resource: Resource) -> set[str]:
    text = ". ".join(part for part in (resource.title, resource.description) if part)
    return {m.skill.id for m in extract(text, tagger=False) if not m.skill.unlinked}


@dataclass(frozen=True)
class Coverage:
    """The demand-weighted share of skills taught: by what is done, and by the curriculum.

    Beside the shares, the skills they count: those demanded, those the curriculum teaches,
    and those what is done teaches.
    """

    done: float
    curriculum: float
    skills: int
    skills_taught: int
    skills_done: int


@dataclass(frozen=True)
class DomainCoverage(Coverage):
    """Coverage of one domain's skills, and the demand those skills carry."""

    demand: float


@dataclass(frozen=True)
class Gap:
    """A demanded skill the curriculum does not teach, with a line that asks for it."""

    skill: str
    id: str
    domain: str
    demand: float
    evidence: str | None


@dataclass(frozen=True)
class SoftSkill:
    """A soft skill or language asked for: reported, but never a gap a course could close."""

    skill: str
    id: str
    demand: float
    evidence: str | None


@dataclass(frozen=True)
class UnlinkedName:
    """A name asked for beside known skills that the taxonomy does not hold ("Dataiku").

    Reported, but kept out of every share and gap: no catalog entry can be matched to it.
    """

    name: str
    demand: float
    evidence: str | None


@dataclass(frozen=True)
class CoverageReport:
    """Coverage overall and by domain, the gaps ranked by demand, and what would close them."""

    demand_source: str
    coverage: Coverage
    by_domain: dict[str, DomainCoverage]
    gaps: tuple[Gap, ...]
    #: Entries that close the gaps together, each saying what it adds (see `recommendations`).
    recommendations: tuple[Recommendation, ...]
    #: The recommendations' hours summed by basis ("130 h: 22 stated, 0 derived, 108 typical").
    recommended_hours_by_basis: Mapping[str, float]
    #: Soft skills and languages asked for most, by demand: apart from every share and gap above.
    soft_skills: tuple[SoftSkill, ...] = ()
    #: How the recommendations were chosen: each adding the most, or the cheapest set.
    recommended_by: Method = "complementary"
    #: Whether the cheapest set is proven the cheapest (the solver closed its gap in time).
    recommended_optimal: bool = False
    #: The share of the demand the recommendations close together.
    recommended_share: float = 0.0
    #: Gaps no catalog entry teaches, most demanded first.
    untaught: tuple[str, ...] = ()
    #: Names the taxonomy does not hold, most demanded first, as many as there are gaps.
    unlinked: tuple[UnlinkedName, ...] = ()
    #: How many such names the demand holds in all.
    unlinked_count: int = 0
    #: Whether each demand figure is a share of postings, not a posting's 1 or 0.5.
    demand_shares: bool = False


def coverage_report(
    demand: Demand,
    supply: Supply,
    catalog: Catalog,
    taxonomy: Taxonomy,
    *,
    gaps: int = 15,
    recommendations: int = 10,
    cheapest: bool = False,
    evidence: Callable[[str], str | None] | None = None,
    postings: Postings | None = None,
) -> CoverageReport:
    """Coverage overall and by domain, the gaps ranked by demand, and what would close them.

    A gap's evidence is the demand's own line for it, or else what `evidence` finds for the
    skill (a stored posting that names it). `postings`, for a corpus demand, lets each
    recommendation say how many postings ask for what it closes.
    """
    total = sum(demand.weights.values())
    covered_done = _covered(demand, supply.done)
    covered_all = _covered(demand, supply.everything)
    by_domain: dict[str, DomainCoverage] = {}
    for domain, skills in _skills_by_domain(demand, taxonomy).items():
        weight = sum(demand.weights[s] for s in skills)
        by_domain[domain] = DomainCoverage(
            done=_ratio(sum(demand.weights[s] for s in skills if s in supply.done), weight),
            curriculum=_ratio(
                sum(demand.weights[s] for s in skills if s in supply.everything), weight
            ),
            **_skill_counts(skills, supply),
            demand=round(weight, 4),
        )
    picks = recommend(
        demand,
        supply,
        catalog,
        taxonomy,
        most=recommendations,
        cheapest=cheapest,
        postings=postings,
    )
    missing = sorted(
        (s for s in demand.weights if s not in supply.everything),
        key=lambda s: (-demand.weights[s], s),
    )
    return CoverageReport(
        demand_source=demand.source,
        coverage=Coverage(
            _ratio(covered_done, total),
            _ratio(covered_all, total),
            **_skill_counts(list(demand.weights), supply),
        ),
        by_domain=by_domain,
        gaps=tuple(_gap(demand, taxonomy, skill, evidence) for skill in missing[:gaps]),
        recommendations=picks.picks,
        recommended_hours_by_basis=picks.hours_by_basis,
        soft_skills=_soft_skills(demand, taxonomy, gaps, evidence),
        unlinked=_unlinked_names(demand, gaps, evidence),
        unlinked_count=len(demand.unlinked),
        demand_shares=demand.shares,
        recommended_by=picks.method,
        recommended_optimal=picks.optimal,
        recommended_share=picks.share,
        untaught=picks.untaught,
    )


def _soft_skills(
    demand: Demand,
    taxonomy: Taxonomy,
    most: int,
    evidence: Callable[[str], str | None] | None,
) -> tuple[SoftSkill, ...]:
    """The soft skills asked for most, each with a line that asks for it, as gaps have."""
    ranked = sorted(demand.soft.items(), key=lambda item: (-item[1], item[0]))[:most]
    return tuple(
        SoftSkill(
            _name(taxonomy, skill),
            skill,
            round(weight, 4),
            _evidence(demand, skill, evidence),
        )
        for skill, weight in ranked
    )


def _unlinked_names(
    demand: Demand, most: int, evidence: Callable[[str], str | None] | None
) -> tuple[UnlinkedName, ...]:
    """The names the taxonomy does not hold that are asked for most, each with its line."""
    ranked = sorted(demand.unlinked.items(), key=lambda item: (-item[1], item[0]))[:most]
    return tuple(
        UnlinkedName(
            skill.removeprefix(UNLINKED), round(weight, 4), _evidence(demand, skill, evidence)
        )
        for skill, weight in ranked
    )


def _gap(
    demand: Demand,
    taxonomy: Taxonomy,
    skill: str,
    evidence: Callable[[str], str | None] | None,
) -> Gap:
    return Gap(
        skill=_name(taxonomy, skill),
        id=skill,
        domain=_domain(taxonomy, skill),
        demand=round(demand.weights[skill], 4),
        evidence=_evidence(demand, skill, evidence),
    )


def _evidence(
    demand: Demand, skill: str, evidence: Callable[[str], str | None] | None
) -> str | None:
    """A line that asks for the skill: the posting's own, else one the corpus store keeps."""
    line = demand.evidence.get(skill)
    if line is None and evidence is not None:
        line = evidence(skill)
    return line


def _skill_counts(skills: Sequence[str], supply: Supply) -> dict[str, int]:
    """The skills a share counts, those the curriculum teaches, and those done teaches."""
    return {
        "skills": len(skills),
        "skills_taught": sum(1 for s in skills if s in supply.everything),
        "skills_done": sum(1 for s in skills if s in supply.done),
    }


def _covered(demand: Demand, skills: frozenset[str]) -> float:
    return sum(weight for skill, weight in demand.weights.items() if skill in skills)


def _ratio(part: float, whole: float) -> float:
    return round(part / whole, 4) if whole else 0.0


def _skills_by_domain(demand: Demand, taxonomy: Taxonomy) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for skill in demand.weights:
        grouped[_domain(taxonomy, skill)].append(skill)
    return dict(sorted(grouped.items()))


def _name(taxonomy: Taxonomy, skill: str) -> str:
    found = taxonomy.skills.get(skill)
    return found.name if found else skill.removeprefix("span:")


def _domain(taxonomy: Taxonomy, skill: str) -> str:
    found = taxonomy.skills.get(skill)
    return found.domain if found else "Other"


def taught_domains(
    curriculum: Curriculum, catalog: Catalog, taxonomy: Taxonomy
) -> dict[int, list[str]]:
    """By resource id, the taxonomy domain of each skill the resource teaches.

    A resource teaches what it is tagged with and, when it is a catalog entry, what the
    entry teaches; a skill of several domains counts for each.
    """
    matches = match_curriculum(catalog, curriculum)
    taught: dict[int, list[str]] = {}
    for resource in curriculum.all_resources():
        if resource.id is None:
            continue
        match = matches.get(resource.id)
        skills = dict.fromkeys((*resource.skills, *(teaches(match.entry) if match else ())))
        taught[resource.id] = [domain for skill in skills for domain in taxonomy.domains_of(skill)]
    return taught


def domain_demand(curriculum: Curriculum, catalog: Catalog, taxonomy: Taxonomy) -> Demand:
    """The demand a curriculum sets itself: what the catalog teaches in its domains, all equal."""
    names = {d.name.casefold() for d in curriculum.all_domains()}
    weights = {
        skill: 1.0
        for entry in catalog.entries.values()
        for skill in entry.skills
        if skill in taxonomy.skills and taxonomy.skills[skill].domain.casefold() in names
    }
    return Demand(weights, {}, f"the skills of the domains of {curriculum.name!r}")
