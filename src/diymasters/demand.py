"""Demand for skills across job postings: shares by skill, domain, role and month.

Also a posting cut into runs for the page that marks its skills. The shares are of postings
(how many name a skill), rounded to four places. Soft skills and languages (`Skill.soft`) are
ranked in a list of their own, apart from the technical skills a curriculum can teach.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping, Sequence

    from diymasters.skills import FoundSkill, Taxonomy


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
    total = len(postings)
    technical, soft = _split(postings, taxonomy.soft_ids)
    named, required = _named(technical)
    soft_named, soft_required = _named(soft)
    return DemandReport(
        postings=total,
        skills=tuple(
            _skill_share(taxonomy, skill, count, required[skill], total)
            for skill, count in named.most_common(top)
        ),
        domains=_domain_shares(technical, taxonomy),
        roles=_role_shares(technical, taxonomy, top=min(top, 10)),
        months=_monthly(technical, [s for s, _ in named.most_common(10)], taxonomy),
        co_occurring=_pairs(technical, [s for s, _ in named.most_common(40)], taxonomy),
        soft_skills=tuple(
            _skill_share(taxonomy, skill, count, soft_required[skill], total)
            for skill, count in soft_named.most_common(top)
        ),
    )


def _split(
    postings: Sequence[AnalysedPosting], soft_ids: frozenset[str]
) -> tuple[list[AnalysedPosting], list[AnalysedPosting]]:
    """Each posting with only its technical skills, and with only its soft ones."""
    technical, soft = [], []
    for posting in postings:
        kept: tuple[dict[str, tuple[bool, int]], dict[str, tuple[bool, int]]] = ({}, {})
        for skill, found in posting.skills.items():
            kept[skill in soft_ids][skill] = found
        technical.append(AnalysedPosting(posting.role, posting.posted, kept[False]))
        soft.append(AnalysedPosting(posting.role, posting.posted, kept[True]))
    return technical, soft


def _named(postings: Sequence[AnalysedPosting]) -> tuple[Counter[str], Counter[str]]:
    """How many postings name each skill, and how many require it."""
    named: Counter[str] = Counter()
    required: Counter[str] = Counter()
    for posting in postings:
        named.update(posting.skills.keys())
        required.update(s for s, (req, _) in posting.skills.items() if req)
    return named, required


def _share(count: int, total: int) -> float:
    return round(count / total, 4) if total else 0.0


def _skill_share(
    taxonomy: Taxonomy, skill_id: str, count: int, required: int, total: int
) -> SkillShare:
    skill = taxonomy.skills.get(skill_id)
    return SkillShare(
        id=skill_id,
        name=skill.name if skill else skill_id.removeprefix("span:"),
        domain=skill.domain if skill else "Other",
        share=_share(count, total),
        required_share=_share(required, total),
        preferred_share=_share(count - required, total),
        postings=count,
    )


def _domain_shares(
    postings: Sequence[AnalysedPosting], taxonomy: Taxonomy
) -> tuple[DomainShare, ...]:
    counts: Counter[str] = Counter()
    for posting in postings:
        counts.update({taxonomy.skills[s].domain for s in posting.skills if s in taxonomy.skills})
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(
        DomainShare(domain, _share(count, len(postings)), count) for domain, count in ranked
    )


def _role_shares(
    postings: Sequence[AnalysedPosting], taxonomy: Taxonomy, *, top: int
) -> tuple[RoleShare, ...]:
    by_role: dict[str, list[AnalysedPosting]] = defaultdict(list)
    for posting in postings:
        by_role[posting.role].append(posting)
    roles = []
    for role, members in sorted(by_role.items(), key=lambda item: -len(item[1])):
        named: Counter[str] = Counter(s for p in members for s in p.skills)
        skills = tuple(
            RoleSkill(
                id=skill,
                name=taxonomy.skills[skill].name if skill in taxonomy.skills else skill,
                share=_share(count, len(members)),
            )
            for skill, count in named.most_common(top)
        )
        roles.append(RoleShare(role, len(members), skills))
    return tuple(roles)


def _monthly(
    postings: Sequence[AnalysedPosting], skills: Sequence[str], taxonomy: Taxonomy
) -> tuple[MonthShares, ...]:
    by_month: dict[str, list[AnalysedPosting]] = defaultdict(list)
    for posting in postings:
        if posting.posted is not None:
            by_month[posting.posted.strftime("%Y-%m")].append(posting)
    return tuple(
        MonthShares(
            month=month,
            postings=len(members),
            shares={
                taxonomy.skills[s].name if s in taxonomy.skills else s: _share(
                    sum(1 for p in members if s in p.skills), len(members)
                )
                for s in skills
            },
        )
        for month, members in sorted(by_month.items())
    )


def _pairs(
    postings: Sequence[AnalysedPosting], skills: Sequence[str], taxonomy: Taxonomy
) -> tuple[SkillPair, ...]:
    wanted = set(skills)
    pairs: Counter[tuple[str, str]] = Counter()
    for posting in postings:
        present = sorted(wanted.intersection(posting.skills))
        pairs.update(itertools.combinations(present, 2))
    return tuple(
        SkillPair(
            skills=(taxonomy.skills[a].name, taxonomy.skills[b].name),
            postings=count,
            share=_share(count, len(postings)),
        )
        for (a, b), count in pairs.most_common(15)
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
