"""Reports: plain, JSON-ready data computed from the model, for the CLI and the web to present.

The keys of `progress_report` are a contract: `status --json` prints it and later features
(the web UI, plans) read it. Add keys freely; never rename or remove one.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from diymasters.model import Curriculum, Domain, Resource, Rollup, Status, rollup

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
