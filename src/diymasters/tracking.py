"""Progress of a curriculum as the learner sees it: the whole, each domain, each resource.

These typed results are what `status`, `show` and every command that changes a resource
report; `serialise.plain` makes their JSON. Hours are rounded here, once, so that sums of
floats never print as 0.30000000000000004.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, overload

from diymasters.model import (
    Curriculum,
    Domain,
    Kind,
    Parts,
    Resource,
    Rollup,
    Status,
    all_time_entries,
    estimate_basis,
    rollup,
)
from diymasters.serialise import OMIT_WHEN_NONE

if TYPE_CHECKING:
    import datetime as dt

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
    #: Where the estimate comes from: "your estimate", its stated source, "catalog: <entry
    #: title>, <its source>", or the sum of its parts'; None when there is no estimate.
    estimate_basis: str | None
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
    #: Parts done of parts in all, when counted ("(3/5)" in the README): the basis of
    #: `progress` while in progress.
    parts: Parts | None = field(default=None, metadata=OMIT_WHEN_NONE)
    #: With parts: the resources it is made of (`Rollup.items`), and those done.
    items: int | None = field(default=None, metadata=OMIT_WHEN_NONE)
    items_done: int | None = field(default=None, metadata=OMIT_WHEN_NONE)


#: How every percentage is counted, said once for every place that shows one (`model.rollup`).
WEIGHTING_RULE = (
    "A percentage is the mean of the parts below it weighted by their estimated hours: a part "
    "with no estimate weighs as much as the mean of its siblings that have one, and when none "
    "has, each part weighs as many resources as it holds. A resource marked done counts 100% "
    "once every part under it is done; one in progress counts the parts it has done over "
    'its parts in all when it counts them ("(3/5)"), else its logged hours over its '
    "estimate, at most 99%; one to do counts 0; dropped ones leave the count. A share short "
    "of 100% never shows as 100%."
)


@dataclass(frozen=True)
class DomainReport:
    """A domain's rollup, with its resources (unless left out) and its subdomains."""

    id: int | None
    name: str
    progress: float
    #: What `progress` is weighted by (`weighted_by`).
    weighted_by: str
    #: The resources it is made of (`Rollup.items`), and those done.
    items: int
    items_done: int
    hours_logged: float
    hours_estimated: float | None
    hours_known: float
    resources: tuple[ResourceReport, ...] | None = field(metadata=OMIT_WHEN_NONE)
    domains: tuple[DomainReport, ...]


@dataclass(frozen=True)
class OverallProgress:
    """The whole masters in a few numbers, and how many resources are in each status."""

    progress: float
    #: What `progress` is weighted by (`weighted_by`).
    weighted_by: str
    #: The resources it is made of (`Rollup.items`), and those done.
    items: int
    items_done: int
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
            weighted_by=weighted_by(top),
            items=top.items,
            items_done=top.items_done,
            hours_logged=rounded(top.hours_logged),
            hours_estimated=rounded(top.hours_known),
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
        hours_logged=rounded(
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


def whole_percent(share: float) -> int:
    """A share in whole percent that never rounds to 100 short of it, nor to 0 above nothing.

    99.6% of a curriculum with boxes still open must not print as 100% (issue 15).
    """
    shown = round(share * 100)
    if 0 < share < 1:
        return min(max(shown, 1), 99)
    return shown


def tenths(hours: float) -> str:
    """Hours to the tenth, without trailing zeros, thousands grouped: "1,234.5", "156", "0"."""
    return f"{hours:,.1f}".removesuffix(".0")


def hours_of_estimate(logged: float, estimated: float, *, complete: bool) -> str:
    """Hours logged of those estimated, as the README block and the badge both say it.

    "58 of 156 h"; "58 of ≥156.2 h" when some resource has no estimate, so the estimate is
    only a lower bound (as `status` says it too).
    """
    bound = "" if complete else "≥"
    return f"{tenths(logged)} of {bound}{tenths(estimated)} h"


#: How each `weighted_by` reads in a sentence, for every frontend that says it.
WEIGHTING_PHRASES = {
    "hours": "weighted by estimated hours",
    "hours where known": "weighted by estimated hours where known",
    "resources": "counting resources (no estimates known)",
}


def weighted_by(part: Rollup) -> str:
    """What a rollup's share is weighted by: "hours", "hours where known" or "resources"."""
    if part.hours_estimated is not None:
        return "hours"
    return "hours where known" if part.hours_known else "resources"


def _domain_entry(part: Rollup, *, resources: bool = True) -> DomainReport:
    domain = part.node
    assert isinstance(domain, Domain)  # noqa: S101 (rollup mirrors the tree)
    return DomainReport(
        id=domain.id,
        name=domain.name,
        progress=part.progress,
        weighted_by=weighted_by(part),
        items=part.items,
        items_done=part.items_done,
        hours_logged=rounded(part.hours_logged),
        hours_estimated=rounded(part.hours_estimated),
        hours_known=rounded(part.hours_known),
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
    has_parts = any(each.counted for each in part.parts)
    return ResourceReport(
        id=resource.id,
        title=resource.title,
        kind=resource.kind,
        status=part.status,
        own_status=resource.status,
        progress=part.progress,
        hours_logged=rounded(part.hours_logged),
        hours_estimated=rounded(part.hours_estimated),
        estimate_basis=_basis(resource, part),
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
        parts=resource.parts,
        items=part.items if has_parts else None,
        items_done=part.items_done if has_parts else None,
    )


def _basis(resource: Resource, part: Rollup) -> str | None:
    if resource.estimated_hours is None and part.hours_estimated is not None:
        return "the sum of its parts' estimates"
    return estimate_basis(resource)


@overload
def rounded(value: float) -> float: ...
@overload
def rounded(value: float | None) -> float | None: ...
def rounded(value: float | None) -> float | None:
    """Hours to `PRECISION` places, None kept."""
    return None if value is None else round(value, PRECISION)


@dataclass(frozen=True)
class EntryLine:
    """A logged entry as `entries` lists it: its id (to edit or remove it) and its resource."""

    id: int | None
    resource_id: int | None
    resource: str
    date: dt.date
    hours: float
    note: str


def entry_lines(curriculum: Curriculum, resource: Resource | None = None) -> tuple[EntryLine, ...]:
    """The entries of one resource (its parts' included), or of them all, oldest first."""
    if resource is None:
        pairs = list(all_time_entries(curriculum))
    else:
        pairs = [(part, entry) for part in resource.walk() for entry in part.time_entries]
    lines = (
        EntryLine(entry.id, part.id, part.title, entry.on, entry.hours, entry.note)
        for part, entry in pairs
    )
    return tuple(sorted(lines, key=lambda line: (line.date, line.id or 0)))
