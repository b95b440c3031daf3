"""Reports: typed results computed from the model, for the CLI and the web to present.

`serialise.plain` turns each into the JSON that `--json` prints and the pages' twins serve.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import itertools
import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, overload

from diymasters.model import (
    Curriculum,
    Domain,
    Kind,
    Resource,
    Rollup,
    Status,
    TimeEntry,
    rollup,
)
from diymasters.serialise import OMIT_WHEN_NONE, plain

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from diymasters.plan import PlanProgress
    from diymasters.skills import FoundSkill, Taxonomy

#: Decimal places kept for hours in reports: sums of floats should not print as 0.30000000000000004.
PRECISION = 6


@dataclass(frozen=True)
class TimeEntryReport:
    """Hours logged on one day, as a resource's history shows them."""

    date: dt.date
    hours: float
    note: str


@dataclass(frozen=True)
class ResourceReport:
    """One resource with its rollup: its own status and the one its parts give it."""

    id: int | None
    title: str
    kind: Kind
    status: Status
    own_status: Status
    progress: float
    hours_logged: float
    hours_estimated: float | None
    url: str | None
    provider: str | None
    description: str | None
    cost: float | None
    started: dt.date | None
    finished: dt.date | None
    notes: str
    source: str | None
    archived: dt.date | None
    skills: tuple[str, ...]
    children: tuple[ResourceReport, ...]
    #: The hours logged, day by day: only in the report of one resource.
    time_entries: tuple[TimeEntryReport, ...] | None = field(default=None, metadata=OMIT_WHEN_NONE)


@dataclass(frozen=True)
class DomainReport:
    """A domain's rollup, with its resources (unless left out) and its subdomains."""

    id: int | None
    name: str
    progress: float
    hours_logged: float
    hours_estimated: float | None
    hours_known: float
    resources: tuple[ResourceReport, ...] | None = field(metadata=OMIT_WHEN_NONE)
    domains: tuple[DomainReport, ...]


@dataclass(frozen=True)
class OverallProgress:
    """The whole masters in a few numbers, and how many resources are in each status."""

    progress: float
    hours_logged: float
    hours_estimated: float | None
    estimate_complete: bool
    #: Resources by status value, every status present.
    resources: dict[str, int]


@dataclass(frozen=True)
class ArchivedReport:
    """A resource no longer in the README: out of progress, with its history."""

    id: int | None
    title: str
    status: Status
    archived: dt.date | None
    hours_logged: float


@dataclass(frozen=True)
class ProgressReport:
    """Progress of the whole masters, each domain and (unless not wanted) each resource.

    Its JSON (`status --json`) is a contract: add fields freely, never rename or remove one.
    """

    curriculum: str
    description: str
    overall: OverallProgress
    domains: tuple[DomainReport, ...]
    archived: tuple[ArchivedReport, ...]


def progress_report(
    curriculum: Curriculum, *, resources: bool = True, top: Rollup | None = None
) -> ProgressReport:
    """Progress of the whole masters, each domain and (unless not wanted) each resource.

    `top` is the curriculum's rollup when the caller has computed it already.
    """
    top = top or rollup(curriculum)
    statuses = Counter(part.status for part in resource_rollups(top))
    return ProgressReport(
        curriculum=curriculum.name,
        description=curriculum.description,
        overall=OverallProgress(
            progress=top.progress,
            hours_logged=_round(top.hours_logged),
            hours_estimated=_round(top.hours_known),
            estimate_complete=top.hours_estimated is not None,
            resources={status.value: statuses.get(status, 0) for status in Status},
        ),
        domains=tuple(_domain_entry(part, resources=resources) for part in top.parts),
        archived=tuple(_archived_entry(resource) for resource in curriculum.archived),
    )


def _archived_entry(resource: Resource) -> ArchivedReport:
    return ArchivedReport(
        id=resource.id,
        title=resource.title,
        status=resource.status,
        archived=resource.archived,
        hours_logged=_round(
            sum(entry.hours for each in resource.walk() for entry in each.time_entries)
        ),
    )


def resource_report(resource: Resource) -> ResourceReport:
    """One resource with its rollup, time entries and children."""
    return _resource_entry(rollup(resource), with_entries=True)


def resource_rollups(top: Rollup) -> list[Rollup]:
    """Every resource's rollup under a node, courses inside specialisations included."""
    found = []
    stack = list(top.parts)
    while stack:
        part = stack.pop()
        if isinstance(part.node, Resource):
            found.append(part)
        stack.extend(part.parts)
    return found


def _domain_entry(part: Rollup, *, resources: bool = True) -> DomainReport:
    domain = part.node
    assert isinstance(domain, Domain)  # noqa: S101 (rollup mirrors the tree)
    return DomainReport(
        id=domain.id,
        name=domain.name,
        progress=part.progress,
        hours_logged=_round(part.hours_logged),
        hours_estimated=_round(part.hours_estimated),
        hours_known=_round(part.hours_known),
        resources=tuple(_resource_entry(p) for p in part.parts if isinstance(p.node, Resource))
        if resources
        else None,
        domains=tuple(
            _domain_entry(p, resources=resources) for p in part.parts if isinstance(p.node, Domain)
        ),
    )


def _resource_entry(part: Rollup, *, with_entries: bool = False) -> ResourceReport:
    resource = part.node
    assert isinstance(resource, Resource)  # noqa: S101 (rollup mirrors the tree)
    assert part.status is not None  # noqa: S101 (resources always have a status)
    entries = (
        tuple(TimeEntryReport(e.on, e.hours, e.note) for e in resource.time_entries)
        if with_entries
        else None
    )
    return ResourceReport(
        id=resource.id,
        title=resource.title,
        kind=resource.kind,
        status=part.status,
        own_status=resource.status,
        progress=part.progress,
        hours_logged=_round(part.hours_logged),
        hours_estimated=_round(part.hours_estimated),
        url=resource.url,
        provider=resource.provider,
        description=resource.description,
        cost=resource.cost,
        started=resource.started,
        finished=resource.finished,
        notes=resource.notes,
        source=resource.source,
        archived=resource.archived,
        skills=tuple(resource.skills),
        children=tuple(_resource_entry(p, with_entries=with_entries) for p in part.parts),
        time_entries=entries,
    )


@overload
def _round(value: float) -> float: ...
@overload
def _round(value: float | None) -> float | None: ...
def _round(value: float | None) -> float | None:
    return None if value is None else round(value, PRECISION)


# --- Demand across postings -----------------------------------------------------------------


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


def demand_report(
    postings: Sequence[AnalysedPosting], taxonomy: Taxonomy, *, top: int = 30
) -> DemandReport:
    """Share of postings naming each skill, by domain, role and month, and what co-occurs."""
    total = len(postings)
    named: Counter[str] = Counter()
    required: Counter[str] = Counter()
    for posting in postings:
        named.update(posting.skills.keys())
        required.update(s for s, (req, _) in posting.skills.items() if req)
    return DemandReport(
        postings=total,
        skills=tuple(
            _skill_share(taxonomy, skill, count, required[skill], total)
            for skill, count in named.most_common(top)
        ),
        domains=_domain_shares(postings, taxonomy),
        roles=_role_shares(postings, taxonomy, top=min(top, 10)),
        months=_monthly(postings, [s for s, _ in named.most_common(10)], taxonomy),
        co_occurring=_pairs(postings, [s for s, _ in named.most_common(40)], taxonomy),
    )


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


# --- The web UI's overview, diagram and highlighted postings --------------------------------

#: How far back the pace of study is measured when no plan says otherwise.
PACE_WEEKS = 4
#: Events shown under "recent activity".
RECENT = 10
#: A domain a resource's skills point to counts only with this share of them, so one stray
#: skill does not move a course into another region of the diagram.
VENN_SHARE = 0.25


@dataclass(frozen=True)
class Finish:
    """A projected finish date, and what it rests on (None when it cannot be projected)."""

    date: dt.date | None
    basis: str


@dataclass(frozen=True)
class Activity:
    """One recent event: hours logged, or a resource started or finished."""

    resource_id: int | None
    title: str
    date: dt.date
    what: str
    hours: float | None
    note: str


@dataclass(frozen=True)
class OverviewReport(ProgressReport):
    """The overview page: progress by domain, hours this week and in all, the finish."""

    today: dt.date
    hours_this_week: float
    hours_total: float
    pace_hours_per_week: float
    finish: Finish
    recent: tuple[Activity, ...]


def overview_report(
    curriculum: Curriculum,
    today: dt.date,
    plan: PlanProgress | None = None,
    *,
    top: Rollup | None = None,
) -> OverviewReport:
    """Progress, hours this week and in all, the projected finish, and what happened lately.

    With a saved plan's progress (`plan.plan_progress`), the finish is the plan's projection;
    without one, the estimated hours left at the pace of the last four weeks.
    """
    progress = progress_report(curriculum, resources=False, top=top)
    entries = [(r, e) for r in curriculum.all_resources() for e in r.time_entries]
    monday = today - dt.timedelta(days=today.weekday())
    recent_start = today - dt.timedelta(weeks=PACE_WEEKS)
    week = sum(e.hours for _, e in entries if monday <= e.on <= today)
    recent = sum(e.hours for _, e in entries if recent_start < e.on <= today)
    return OverviewReport(
        **{f.name: getattr(progress, f.name) for f in fields(ProgressReport)},
        today=today,
        hours_this_week=_round(week),
        hours_total=progress.overall.hours_logged,
        pace_hours_per_week=_round(recent / PACE_WEEKS),
        finish=_finish(progress.overall, recent / PACE_WEEKS, today, plan),
        recent=_recent_activity(curriculum, RECENT),
    )


def _finish(
    overall: OverallProgress, pace: float, today: dt.date, plan: PlanProgress | None
) -> Finish:
    if plan is not None:
        return Finish(plan.projected_finish, f"saved plan {plan.name!r}, {plan.verdict}")
    left = (overall.hours_estimated or 0.0) - (overall.hours_logged or 0.0)
    if left <= 0:
        return Finish(None, "no estimated hours are left")
    if pace <= 0:
        return Finish(None, f"no hours logged in the last {PACE_WEEKS} weeks")
    days = math.ceil(left / pace * 7)
    basis = f"{left:g} estimated hours left at {pace:.1f} h a week"
    if not overall.estimate_complete:
        basis += "; some resources have no estimate, so it is the earliest date"
    return Finish(today + dt.timedelta(days=days), basis)


def _recent_activity(curriculum: Curriculum, count: int) -> tuple[Activity, ...]:
    """The newest events: hours logged, and resources started or finished."""
    events: list[tuple[dt.date, int, str, Resource, TimeEntry | None]] = []
    for resource in curriculum.all_resources():
        events.extend((e.on, len(events), "logged", resource, e) for e in resource.time_entries)
        for what, on in (("started", resource.started), ("finished", resource.finished)):
            if on is not None:
                events.append((on, len(events), what, resource, None))
    return tuple(
        Activity(
            resource_id=resource.id,
            title=resource.title,
            date=on,
            what=what,
            hours=entry.hours if entry else None,
            note=entry.note if entry else "",
        )
        for on, _, what, resource, entry in heapq.nlargest(count, events, key=lambda e: e[:2])
    )


@dataclass(frozen=True)
class VennDomain:
    """A top domain: a circle of the diagram."""

    name: str
    progress: float
    id: int | None


@dataclass(frozen=True)
class VennResource:
    """A resource: a dot in the region of the domains it belongs to, its own first."""

    id: int | None
    title: str
    status: Status | None
    progress: float
    domains: tuple[str, ...]


@dataclass(frozen=True)
class VennReport:
    """The curriculum's top domains as regions, and where each resource sits among them."""

    domains: tuple[VennDomain, ...]
    resources: tuple[VennResource, ...]


def venn_report(curriculum: Curriculum, skill_domains: Mapping[int, Sequence[str]]) -> VennReport:
    """The curriculum's top domains as regions, each resource in those its skills belong to.

    `skill_domains` gives, by resource id, the taxonomy domain of each skill the resource
    teaches. A resource is placed in its own domain and in each other top domain that holds at
    least a quarter of its skills (a sub-domain such as Python counts for its top domain).
    """
    top = rollup(curriculum)
    region_of = {
        d.name.casefold(): top_domain.name
        for top_domain in curriculum.domains
        for d in top_domain.walk_domains()
    }
    resources: list[VennResource] = []
    for part in top.parts:
        home = part.node
        assert isinstance(home, Domain)  # noqa: S101 (rollup mirrors the tree)
        resources.extend(
            _venn_resource(p, home.name, region_of, skill_domains) for p in _own_resources(part)
        )
    return VennReport(
        domains=tuple(
            VennDomain(d.name, p.progress, d.id)
            for d, p in zip(curriculum.domains, top.parts, strict=True)
        ),
        resources=tuple(resources),
    )


def _own_resources(part: Rollup) -> Iterator[Rollup]:
    """A domain's resources and its sub-domains', but not the courses inside a resource."""
    for child in part.parts:
        if isinstance(child.node, Resource):
            yield child
        else:
            yield from _own_resources(child)


def _venn_resource(
    part: Rollup,
    home: str,
    region_of: Mapping[str, str],
    skill_domains: Mapping[int, Sequence[str]],
) -> VennResource:
    resource = part.node
    assert isinstance(resource, Resource)  # noqa: S101 (rollup mirrors the tree)
    names = skill_domains.get(resource.id or -1, ())
    votes = Counter(region_of[n.casefold()] for n in names if n.casefold() in region_of)
    counted = sum(votes.values())
    others = sorted(r for r, n in votes.items() if r != home and n >= VENN_SHARE * counted)
    return VennResource(
        id=resource.id,
        title=resource.title,
        status=part.status,
        progress=part.progress,
        domains=(home, *others),
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


def version(data: object) -> str:
    """A short fingerprint of a report, so a form drawn from it can tell it went stale."""
    encoded = json.dumps(plain(data), sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()[:16]
