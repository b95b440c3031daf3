"""Reports: plain, JSON-ready data computed from the model, for the CLI and the web to present.

The keys of `progress_report` are a contract: `status --json` prints it and later features
(the web UI, plans) read it. Add keys freely; never rename or remove one.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from diymasters.model import Curriculum, Domain, Resource, Rollup, Status, rollup

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping, Sequence

    from diymasters.skills import Taxonomy

#: Decimal places kept for hours in reports: sums of floats should not print as 0.30000000000000004.
PRECISION = 6


def progress_report(curriculum: Curriculum) -> dict[str, Any]:
    """Progress of the whole masters, each domain and each resource."""
    top = rollup(curriculum)
    statuses = Counter(part.status for part in _resource_rollups(top))
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
        "domains": [_domain_entry(part) for part in top.parts],
    }


def resource_report(resource: Resource) -> dict[str, Any]:
    """One resource with its rollup, time entries and children."""
    return _resource_entry(rollup(resource), with_entries=True)


def _resource_rollups(top: Rollup) -> list[Rollup]:
    found = []
    stack = list(top.parts)
    while stack:
        part = stack.pop()
        if isinstance(part.node, Resource):
            found.append(part)
        stack.extend(part.parts)
    return found


def _domain_entry(part: Rollup) -> dict[str, Any]:
    domain = part.node
    assert isinstance(domain, Domain)  # noqa: S101 (rollup mirrors the tree)
    return {
        "id": domain.id,
        "name": domain.name,
        "progress": part.progress,
        "hours_logged": _round(part.hours_logged),
        "hours_estimated": _round(part.hours_estimated),
        "hours_known": _round(part.hours_known),
        "resources": [_resource_entry(p) for p in part.parts if isinstance(p.node, Resource)],
        "domains": [_domain_entry(p) for p in part.parts if isinstance(p.node, Domain)],
    }


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
