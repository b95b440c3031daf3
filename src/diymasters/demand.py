"""Demand for skills across job postings: shares by skill, domain, role and month.

Also a posting cut into runs for the page that marks its skills. The shares are of postings
(how many name a skill), rounded to four places. Soft skills and languages (`Skill.soft`) are
ranked in a list of their own, apart from the technical skills a curriculum can teach.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from diymasters.skills.taxonomy import UNLINKED

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping, Sequence

    from diymasters.skills import FoundSkill, Taxonomy


#: What a ranking ranks: skills, roles, months or domains, or pairs of skills.
_Key = TypeVar("_Key", str, tuple[str, str])


@dataclass(frozen=True)
class AnalysedPosting:
    """What the demand report needs of a posting: its role, date and skills."""

    role: str
    posted: dt.date | None
    skills: Mapping[str, tuple[bool, int]]


@dataclass(frozen=True)
class SkillShare:
    """How many postings name a skill, and in how many it is required or preferred."""

    id: str
    name: str
    domain: str
    share: float
    required_share: float
    preferred_share: float
    postings: int


@dataclass(frozen=True)
class DomainShare:
    """How many postings name a skill of a domain."""

    domain: str
    share: float
    postings: int


@dataclass(frozen=True)
class RoleSkill:
    """A skill's share of one role's postings."""

    id: str
    name: str
    share: float


@dataclass(frozen=True)
class RoleShare:
    """One role's postings and the skills they name most."""

    role: str
    postings: int
    skills: tuple[RoleSkill, ...]


@dataclass(frozen=True)
class MonthShares:
    """The most named skills' shares of one month's postings, by skill name."""

    month: str
    postings: int
    shares: dict[str, float]


@dataclass(frozen=True)
class SkillPair:
    """Two skills named together, and how often."""

    skills: tuple[str, str]
    postings: int
    share: float


@dataclass(frozen=True)
class DemandReport:
    """Share of postings naming each skill, by domain, role and month, and what co-occurs."""

    postings: int
    skills: tuple[SkillShare, ...]
    domains: tuple[DomainShare, ...]
    roles: tuple[RoleShare, ...]
    months: tuple[MonthShares, ...]
    co_occurring: tuple[SkillPair, ...]
    #: Soft skills and languages, by share of postings: never in the rankings above.
    soft_skills: tuple[SkillShare, ...] = ()


def demand_report(
    postings: Sequence[AnalysedPosting], taxonomy: Taxonomy, *, top: int = 30
) -> DemandReport:
    """Share of postings naming each skill, by domain, role and month, and what co-occurs.

    Every share is of all the postings; the rankings count technical skills only.
    """
    tally = DemandTally()
    for posting in postings:
        tally.add(posting, taxonomy)
    return tally.report(taxonomy, top=top)


@dataclass
class DemandTally:
    """The counts a demand report is made of, kept posting by posting.

    A corpus is counted a chunk at a time, so it need not be held (issue 20), and another
    engine (Spark) can count the same numbers and have them reported the same way. Rankings
    break ties by key (`ranked`), so the order the postings are counted in does not matter.
    """

    postings: int = 0
    #: Technical skills: the postings naming each, and those requiring it.
    named: Counter[str] = field(default_factory=Counter)
    required: Counter[str] = field(default_factory=Counter)
    #: Soft skills and languages, the same way.
    soft_named: Counter[str] = field(default_factory=Counter)
    soft_required: Counter[str] = field(default_factory=Counter)
    #: The postings naming a technical skill of each domain.
    domains: Counter[str] = field(default_factory=Counter)
    #: The postings of each role, and the postings of that role naming each technical skill.
    roles: Counter[str] = field(default_factory=Counter)
    role_skills: defaultdict[str, Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    #: The dated postings of each month (YYYY-MM), and of those, the ones naming each skill.
    months: Counter[str] = field(default_factory=Counter)
    month_skills: defaultdict[str, Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    #: The postings naming both of two technical skills (in name order).
    pairs: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, posting: AnalysedPosting, taxonomy: Taxonomy) -> None:
        """Count one posting."""
        technical = [s for s in posting.skills if s not in taxonomy.soft_ids]
        self.postings += 1
        self.named.update(technical)
        self.required.update(s for s in technical if posting.skills[s][0])
        soft = [s for s in posting.skills if s in taxonomy.soft_ids]
        self.soft_named.update(soft)
        self.soft_required.update(s for s in soft if posting.skills[s][0])
        self.domains.update({taxonomy.skills[s].domain for s in technical if s in taxonomy.skills})
        self.roles[posting.role] += 1
        self.role_skills[posting.role].update(technical)
        if posting.posted is not None:
            month = posting.posted.strftime("%Y-%m")
            self.months[month] += 1
            self.month_skills[month].update(technical)
        self.pairs.update(itertools.combinations(sorted(technical), 2))

    def report(self, taxonomy: Taxonomy, *, top: int = 30) -> DemandReport:
        """The demand these counts make: shares, rankings of the `top` skills, pairs."""
        total = self.postings
        return DemandReport(
            postings=total,
            skills=tuple(
                _skill_share(taxonomy, skill, count, self.required[skill], total)
                for skill, count in ranked(self.named, top)
            ),
            domains=self._domain_shares(),
            roles=self._role_shares(taxonomy, top=min(top, 10)),
            months=self._monthly([s for s, _ in ranked(self.named, 10)], taxonomy),
            co_occurring=self._pairs([s for s, _ in ranked(self.named, 40)], taxonomy),
            soft_skills=tuple(
                _skill_share(taxonomy, skill, count, self.soft_required[skill], total)
                for skill, count in ranked(self.soft_named, top)
            ),
        )

    def _domain_shares(self) -> tuple[DomainShare, ...]:
        return tuple(
            DomainShare(domain, _share(count, self.postings), count)
            for domain, count in ranked(self.domains)
        )

    def _role_shares(self, taxonomy: Taxonomy, *, top: int) -> tuple[RoleShare, ...]:
        roles = []
        for role, members in ranked(self.roles):
            skills = tuple(
                RoleSkill(
                    id=skill,
                    name=_name_of(taxonomy, skill),
                    share=_share(count, members),
                )
                for skill, count in ranked(self.role_skills[role], top)
            )
            roles.append(RoleShare(role, members, skills))
        return tuple(roles)

    def _monthly(self, skills: Sequence[str], taxonomy: Taxonomy) -> tuple[MonthShares, ...]:
        return tuple(
            MonthShares(
                month=month,
                postings=members,
                shares={
                    _name_of(taxonomy, s): _share(self.month_skills[month][s], members)
                    for s in skills
                },
            )
            for month, members in sorted(self.months.items())
        )

    def _pairs(self, skills: Sequence[str], taxonomy: Taxonomy) -> tuple[SkillPair, ...]:
        wanted = set(skills)
        among: Counter[tuple[str, str]] = Counter(
            {pair: n for pair, n in self.pairs.items() if wanted.issuperset(pair)}
        )
        return tuple(
            SkillPair(
                skills=(_name_of(taxonomy, a), _name_of(taxonomy, b)),
                postings=count,
                share=_share(count, self.postings),
            )
            for (a, b), count in ranked(among, 15)
        )


def ranked(counts: Counter[_Key], top: int | None = None) -> list[tuple[_Key, int]]:
    """The `top` keys by count, ties by key: the same however the postings were counted.

    A corpus is counted in whatever order its files, its chunks, the store or Spark's
    executors give the postings; a ranking that broke ties by order would change with it.
    """
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]


def _share(count: int, total: int) -> float:
    return round(count / total, 4) if total else 0.0


def _name_of(taxonomy: Taxonomy, skill_id: str) -> str:
    """A skill's name; a name listed beside skills but not in the taxonomy is its own."""
    skill = taxonomy.skills.get(skill_id)
    return skill.name if skill else skill_id.removeprefix(UNLINKED)


def _skill_share(
    taxonomy: Taxonomy, skill_id: str, count: int, required: int, total: int
) -> SkillShare:
    skill = taxonomy.skills.get(skill_id)
    return SkillShare(
        id=skill_id,
        name=_name_of(taxonomy, skill_id),
        domain=skill.domain if skill else "Other",
        share=_share(count, total),
        required_share=_share(required, total),
        preferred_share=_share(count - required, total),
        postings=count,
    )


@dataclass(frozen=True)
class Segment:
    """A run of a posting's text: plain, or a skill mention to mark."""

    text: str
    skill: FoundSkill | None


def highlighted(text: str, mentions: Sequence[FoundSkill]) -> tuple[Segment, ...]:
    """A posting cut into plain runs and skill mentions, in order, for the page to mark up."""
    segments: list[Segment] = []
    at = 0
    for mention in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if mention.start < at:
            continue
        if mention.start > at:
            segments.append(Segment(text[at : mention.start], None))
        segments.append(Segment(text[mention.start : mention.end], mention))
        at = mention.end
    if at < len(text):
        segments.append(Segment(text[at:], None))
    return tuple(segments)
