"""What the web UI's pages draw from a curriculum: the overview and the Venn diagram.

The overview adds to the progress report the hours of this week and in all, the pace, a
projected finish with the basis it rests on, and recent activity. The diagram places each
resource in its own domain and in the others that hold enough of its skills, and draws them
as `venn` lays them out.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from diymasters.model import Curriculum, Domain, Resource, Rollup, Status, TimeEntry, rollup
from diymasters.serialise import fields_of
from diymasters.tracking import (
    OverallProgress,
    ProgressReport,
    progress_report,
    rounded,
    weighted_by,
)
from diymasters.venn import VennLayout, VennResource, venn_layout

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from diymasters.plan import PlanProgress, PlanReport

#: How far back the pace of study is measured when no plan says otherwise: four weeks, or the
#: weeks since the first entry when fewer (counted as one week at least). Over four weeks,
#: a learner's first day of study read as a quarter of its pace, and put the finish four
#: times as far.
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
    #: The weeks the pace is measured over (`PACE_WEEKS`, or fewer since the first entry).
    pace_weeks: float
    #: The first day counted in the pace: four weeks back, or the first entry's day.
    pace_since: dt.date
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
    four_weeks_back = today - dt.timedelta(weeks=PACE_WEEKS, days=-1)
    since = max(four_weeks_back, min((e.on for _, e in entries), default=four_weeks_back))
    weeks = max(1.0, ((today - since).days + 1) / 7)
    week = sum(e.hours for _, e in entries if monday <= e.on <= today)
    pace = sum(e.hours for _, e in entries if since <= e.on <= today) / weeks
    return OverviewReport(
        **fields_of(progress, ProgressReport),
        today=today,
        hours_this_week=rounded(week),
        hours_total=progress.overall.hours_logged,
        pace_hours_per_week=rounded(pace),
        pace_weeks=rounded(weeks),
        pace_since=since,
        finish=_finish(progress.overall, _hours_left(curriculum), pace, today, plan),
        recent=_recent_activity(curriculum, RECENT),
    )


def _finish(
    overall: OverallProgress,
    left: float,
    pace: float,
    today: dt.date,
    plan: PlanProgress | None,
) -> Finish:
    if plan is not None:
        return Finish(plan.projected_finish, f"saved plan {plan.name!r}, {plan.verdict}")
    if left <= 0:
        estimated = "no estimated hours are left" if overall.hours_estimated else None
        return Finish(None, estimated or "no resource still to study has an estimate")
    if pace <= 0:
        return Finish(None, f"no hours logged in the last {PACE_WEEKS} weeks")
    days = math.ceil(left / pace * 7)
    basis = f"{round(left, 2):g} estimated hours left at {pace:.1f} h a week"
    if not overall.estimate_complete:
        basis += "; some resources have no estimate, so it is the earliest date"
    return Finish(today + dt.timedelta(days=days), basis)


def _hours_left(curriculum: Curriculum) -> float:
    """What the estimates leave to study: each open resource's estimate less its own hours.

    A finished or dropped resource leaves nothing, and hours spent beyond one resource's
    estimate do not shorten another's. Resources are counted where they have no parts.
    """
    return sum(
        max(0.0, (resource.estimated_hours or 0.0) - sum(e.hours for e in resource.time_entries))
        for resource in curriculum.all_resources()
        if not resource.children and resource.status not in {Status.DONE, Status.DROPPED}
    )


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
class PlanView:
    """The plan page: the saved plan, when it was made and how it is going (None before one)."""

    plan: PlanReport | None = None
    created: dt.datetime | None = None
    progress: PlanProgress | None = None


@dataclass(frozen=True)
class VennDomain:
    """A top domain: its progress, and the counts of resources beside it."""

    name: str
    #: The rollup's progress: resources weighted by their estimated hours.
    progress: float
    id: int | None
    #: The resources its progress counts (a specialisation through its courses, as every
    #: page counts them), dropped ones left out, and how many are done or under way.
    resources: int
    done: int
    in_progress: int
    #: What `progress` is weighted by (`tracking.weighted_by`).
    weighted_by: str


@dataclass(frozen=True)
class VennReport:
    """The curriculum's top domains, each resource's among them, and the diagram drawing both."""

    domains: tuple[VennDomain, ...]
    resources: tuple[VennResource, ...]
    layout: VennLayout


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
    domains = tuple(_venn_domain(d, p) for d, p in zip(curriculum.domains, top.parts, strict=True))
    return VennReport(
        domains=domains,
        resources=tuple(resources),
        layout=venn_layout([d.name for d in domains], resources),
    )


def _venn_domain(domain: Domain, part: Rollup) -> VennDomain:
    statuses = Counter(leaf.status for leaf in _counted_leaves(part))
    return VennDomain(
        name=domain.name,
        progress=part.progress,
        id=domain.id,
        resources=statuses.total(),
        done=statuses[Status.DONE],
        in_progress=statuses[Status.IN_PROGRESS],
        weighted_by=weighted_by(part),
    )


def _counted_leaves(part: Rollup) -> Iterator[Rollup]:
    """The resources a rollup's `items` counts: those with no counted parts of their own."""
    for child in part.parts:
        if not child.counted:
            continue
        if isinstance(child.node, Resource) and not any(p.counted for p in child.parts):
            yield child
        else:
            yield from _counted_leaves(child)


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
