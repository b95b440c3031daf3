"""Reports: plain, JSON-ready data computed from the model, for the CLI and the web to present.

The keys of `progress_report` are a contract: `status --json` prints it and later features
(the web UI, plans) read it. Add keys freely; never rename or remove one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import itertools
import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from diymasters.model import Curriculum, Domain, Resource, Rollup, Status, TimeEntry, rollup

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from diymasters.skills import Taxonomy

#: Decimal places kept for hours in reports: sums of floats should not print as 0.30000000000000004.
PRECISION = 6


def progress_report(
    curriculum: Curriculum, *, resources: bool = True, top: Rollup | None = None
) -> dict[str, Any]:
    """Progress of the whole masters, each domain and (unless not wanted) each resource.

    `top` is the curriculum's rollup when the caller has computed it already.
    """
    top = top or rollup(curriculum)
    statuses = Counter(part.status for part in resource_rollups(top))
    return {
        "curriculum": curriculum.name,
        "description": curriculum.description,
        "overall": {
            "progress": top.progress,
            "hours_logged": _round(top.hours_logged),
            "hours_estimated": _round(top.hours_known),
            "estimate_complete": top.hours_estimated is not None,
            "resources": {status.value: statuses.get(status, 0) for status in Status},
        },
        "domains": [_domain_entry(part, resources=resources) for part in top.parts],
        "archived": [_archived_entry(resource) for resource in curriculum.archived],
    }


def _archived_entry(resource: Resource) -> dict[str, Any]:
    """A resource no longer in the README: out of progress, with its history."""
    return {
        "id": resource.id,
        "title": resource.title,
        "status": resource.status.value,
        "archived": resource.archived.isoformat() if resource.archived else None,
        "hours_logged": _round(
            sum(entry.hours for each in resource.walk() for entry in each.time_entries)
        ),
    }


def resource_report(resource: Resource) -> dict[str, Any]:
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


def _domain_entry(part: Rollup, *, resources: bool = True) -> dict[str, Any]:
    domain = part.node
    assert isinstance(domain, Domain)  # noqa: S101 (rollup mirrors the tree)
    entry = {
        "id": domain.id,
        "name": domain.name,
        "progress": part.progress,
        "hours_logged": _round(part.hours_logged),
        "hours_estimated": _round(part.hours_estimated),
        "hours_known": _round(part.hours_known),
        "resources": [_resource_entry(p) for p in part.parts if isinstance(p.node, Resource)]
        if resources
        else None,
        "domains": [
            _domain_entry(p, resources=resources) for p in part.parts if isinstance(p.node, Domain)
        ],
    }
    if not resources:
        del entry["resources"]
    return entry


def _resource_entry(part: Rollup, *, with_entries: bool = False) -> dict[str, Any]:
    resource = part.node
    assert isinstance(resource, Resource)  # noqa: S101 (rollup mirrors the tree)
    assert part.status is not None  # noqa: S101 (resources always have a status)
    entry: dict[str, Any] = {
        "id": resource.id,
        "title": resource.title,
        "kind": resource.kind.value,
        "status": part.status.value,
        "own_status": resource.status.value,
        "progress": part.progress,
        "hours_logged": _round(part.hours_logged),
        "hours_estimated": _round(part.hours_estimated),
        "url": resource.url,
        "provider": resource.provider,
        "description": resource.description,
        "cost": resource.cost,
        "started": resource.started.isoformat() if resource.started else None,
        "finished": resource.finished.isoformat() if resource.finished else None,
        "notes": resource.notes,
        "source": resource.source,
        "archived": resource.archived.isoformat() if resource.archived else None,
        "skills": list(resource.skills),
        "children": [_resource_entry(p, with_entries=with_entries) for p in part.parts],
    }
    if with_entries:
        entry["time_entries"] = [
            {"date": e.on.isoformat(), "hours": e.hours, "note": e.note}
            for e in resource.time_entries
        ]
    return entry


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, PRECISION)


# --- Demand across postings -----------------------------------------------------------------


@dataclass(frozen=True)
class AnalysedPosting:
    """What the demand report needs of a posting: its role, date and skills."""

    role: str
    posted: dt.date | None
    skills: Mapping[str, tuple[bool, int]]


def demand_report(
    postings: Sequence[AnalysedPosting], taxonomy: Taxonomy, *, top: int = 30
) -> dict[str, Any]:
    """Share of postings naming each skill, by domain, role and month, and what co-occurs."""
    total = len(postings)
    named: Counter[str] = Counter()
    required: Counter[str] = Counter()
    for posting in postings:
        named.update(posting.skills.keys())
        required.update(s for s, (req, _) in posting.skills.items() if req)
    return {
        "postings": total,
        "skills": [
            _skill_share(taxonomy, skill, count, required[skill], total)
            for skill, count in named.most_common(top)
        ],
        "domains": _domain_shares(postings, taxonomy),
        "roles": _role_shares(postings, taxonomy, top=min(top, 10)),
        "months": _monthly(postings, [s for s, _ in named.most_common(10)], taxonomy),
        "co_occurring": _pairs(postings, [s for s, _ in named.most_common(40)], taxonomy),
    }


def _share(count: int, total: int) -> float:
    return round(count / total, 4) if total else 0.0


def _skill_share(
    taxonomy: Taxonomy, skill_id: str, count: int, required: int, total: int
) -> dict[str, Any]:
    skill = taxonomy.skills.get(skill_id)
    return {
        "id": skill_id,
        "name": skill.name if skill else skill_id.removeprefix("span:"),
        "domain": skill.domain if skill else "Other",
        "share": _share(count, total),
        "required_share": _share(required, total),
        "preferred_share": _share(count - required, total),
        "postings": count,
    }


def _domain_shares(postings: Sequence[AnalysedPosting], taxonomy: Taxonomy) -> list[dict[str, Any]]:
    counts: Counter[str] = Counter()
    for posting in postings:
        counts.update({taxonomy.skills[s].domain for s in posting.skills if s in taxonomy.skills})
    return [
        {"domain": domain, "share": _share(count, len(postings)), "postings": count}
        for domain, count in counts.most_common()
    ]


def _role_shares(
    postings: Sequence[AnalysedPosting], taxonomy: Taxonomy, *, top: int
) -> list[dict[str, Any]]:
    by_role: dict[str, list[AnalysedPosting]] = defaultdict(list)
    for posting in postings:
        by_role[posting.role].append(posting)
    roles = []
    for role, members in sorted(by_role.items(), key=lambda item: -len(item[1])):
        named: Counter[str] = Counter(s for p in members for s in p.skills)
        roles.append(
            {
                "role": role,
                "postings": len(members),
                "skills": [
                    {
                        "id": skill,
                        "name": taxonomy.skills[skill].name if skill in taxonomy.skills else skill,
                        "share": _share(count, len(members)),
                    }
                    for skill, count in named.most_common(top)
                ],
            }
        )
    return roles


def _monthly(
    postings: Sequence[AnalysedPosting], skills: Sequence[str], taxonomy: Taxonomy
) -> list[dict[str, Any]]:
    by_month: dict[str, list[AnalysedPosting]] = defaultdict(list)
    for posting in postings:
        if posting.posted is not None:
            by_month[posting.posted.strftime("%Y-%m")].append(posting)
    return [
        {
            "month": month,
            "postings": len(members),
            "shares": {
                taxonomy.skills[s].name if s in taxonomy.skills else s: _share(
                    sum(1 for p in members if s in p.skills), len(members)
                )
                for s in skills
            },
        }
        for month, members in sorted(by_month.items())
    ]


def _pairs(
    postings: Sequence[AnalysedPosting], skills: Sequence[str], taxonomy: Taxonomy
) -> list[dict[str, Any]]:
    wanted = set(skills)
    pairs: Counter[tuple[str, str]] = Counter()
    for posting in postings:
        present = sorted(wanted.intersection(posting.skills))
        pairs.update(itertools.combinations(present, 2))
    return [
        {
            "skills": [taxonomy.skills[a].name, taxonomy.skills[b].name],
            "postings": count,
            "share": _share(count, len(postings)),
        }
        for (a, b), count in pairs.most_common(15)
    ]


# --- The web UI's overview, diagram and highlighted postings --------------------------------

#: How far back the pace of study is measured when no plan says otherwise.
PACE_WEEKS = 4
#: Events shown under "recent activity".
RECENT = 10
#: A domain a resource's skills point to counts only with this share of them, so one stray
#: skill does not move a course into another region of the diagram.
VENN_SHARE = 0.25


def overview_report(
    curriculum: Curriculum,
    today: dt.date,
    plan: Mapping[str, Any] | None = None,
    *,
    top: Rollup | None = None,
) -> dict[str, Any]:
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
    return {
        **progress,
        "today": today.isoformat(),
        "hours_this_week": _round(week),
        "hours_total": progress["overall"]["hours_logged"],
        "pace_hours_per_week": _round(recent / PACE_WEEKS),
        "finish": _finish(progress["overall"], recent / PACE_WEEKS, today, plan),
        "recent": _recent_activity(curriculum, RECENT),
    }


def _finish(
    overall: Mapping[str, Any], pace: float, today: dt.date, plan: Mapping[str, Any] | None
) -> dict[str, Any]:
    if plan is not None:
        return {
            "date": plan["projected_finish"],
            "basis": f"saved plan {plan['name']!r}, {plan['verdict']}",
        }
    left = (overall["hours_estimated"] or 0.0) - (overall["hours_logged"] or 0.0)
    if left <= 0:
        return {"date": None, "basis": "no estimated hours are left"}
    if pace <= 0:
        return {"date": None, "basis": f"no hours logged in the last {PACE_WEEKS} weeks"}
    days = math.ceil(left / pace * 7)
    basis = f"{left:g} estimated hours left at {pace:.1f} h a week"
    if not overall["estimate_complete"]:
        basis += "; some resources have no estimate, so it is the earliest date"
    return {"date": (today + dt.timedelta(days=days)).isoformat(), "basis": basis}


def _recent_activity(curriculum: Curriculum, count: int) -> list[dict[str, Any]]:
    """The newest events: hours logged, and resources started or finished."""
    events: list[tuple[dt.date, int, str, Resource, TimeEntry | None]] = []
    for resource in curriculum.all_resources():
        events.extend((e.on, len(events), "logged", resource, e) for e in resource.time_entries)
        for what, on in (("started", resource.started), ("finished", resource.finished)):
            if on is not None:
                events.append((on, len(events), what, resource, None))
    return [
        {
            "resource_id": resource.id,
            "title": resource.title,
            "date": on.isoformat(),
            "what": what,
            "hours": entry.hours if entry else None,
            "note": entry.note if entry else "",
        }
        for on, _, what, resource, entry in heapq.nlargest(count, events, key=lambda e: e[:2])
    ]


def venn_report(
    curriculum: Curriculum, skill_domains: Mapping[int, Sequence[str]]
) -> dict[str, Any]:
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
    resources: list[dict[str, Any]] = []
    for part in top.parts:
        home = part.node
        assert isinstance(home, Domain)  # noqa: S101 (rollup mirrors the tree)
        resources.extend(
            _venn_resource(p, home.name, region_of, skill_domains) for p in _own_resources(part)
        )
    return {
        "domains": [
            {"name": d.name, "progress": p.progress, "id": d.id}
            for d, p in zip(curriculum.domains, top.parts, strict=True)
        ],
        "resources": resources,
    }


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
) -> dict[str, Any]:
    resource = part.node
    assert isinstance(resource, Resource)  # noqa: S101 (rollup mirrors the tree)
    names = skill_domains.get(resource.id or -1, ())
    votes = Counter(region_of[n.casefold()] for n in names if n.casefold() in region_of)
    counted = sum(votes.values())
    others = sorted(r for r, n in votes.items() if r != home and n >= VENN_SHARE * counted)
    regions = [home, *others]
    return {
        "id": resource.id,
        "title": resource.title,
        "status": part.status.value if part.status else None,
        "progress": part.progress,
        "domains": regions,
    }


def highlighted(text: str, mentions: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """A posting cut into plain runs and skill mentions, in order, for the page to mark up."""
    segments: list[dict[str, Any]] = []
    at = 0
    for mention in sorted(mentions, key=lambda m: (m["start"], -m["end"])):
        if mention["start"] < at:
            continue
        if mention["start"] > at:
            segments.append({"text": text[at : mention["start"]], "skill": None})
        segments.append({"text": text[mention["start"] : mention["end"]], "skill": mention})
        at = mention["end"]
    if at < len(text):
        segments.append({"text": text[at:], "skill": None})
    return segments


def version(data: object) -> str:
    """A short fingerprint of a report, so a form drawn from it can tell it went stale."""
    encoded = json.dumps(data, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()[:16]
