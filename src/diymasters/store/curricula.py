"""A curriculum in and out of the tables: inserted whole, and built back whole.

Curricula are immutable trees, so a load builds the whole tree from a few queries and the
model never sees a row; a large one loads on every page, which is why the builder works on
plain tuples with the garbage collector paused. Inserting is shared by creating a
curriculum and by adding a resource with its subtree to one.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from diymasters.errors import ConflictError, NotFoundError
from diymasters.model import Curriculum, Domain, Kind, Parts, Resource, Status, TimeEntry
from diymasters.store.tables import (
    domain_table,
    insert,
    resource_skill_table,
    resource_table,
    time_entry_table,
)

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator, Sequence

    from sqlalchemy.engine import Connection

    from diymasters.store.export import ExportedResource


class CurriculumNotFoundError(NotFoundError):
    """The store holds no curriculum of that name, or none at all."""

    def __init__(self, name: str | None, known: Sequence[str]) -> None:
        """Point to `init` on an empty store, or list what there is."""
        #: The curricula there are, for a frontend to say how to make one when there is none.
        self.known = tuple(known)
        if not known:
            message = "the store holds no curriculum yet"
        else:
            message = f"no curriculum named {name!r}; there are: " + ", ".join(known)
        super().__init__(message)


class CurriculumExistsError(ConflictError):
    """A curriculum of that name is already in the store."""

    def __init__(self, name: str) -> None:
        """Suggest giving the new one another name."""
        super().__init__(f"a curriculum named {name!r} already exists; choose another name")


@dataclass(frozen=True)
class FollowedUpstream:
    """Where a README came from (a file, or a file in a git clone at a ref) and its base.

    `base` is the upstream text the learner's copy was last brought up to date with.
    """

    location: str
    ref: str | None
    base: str
    updated: dt.datetime


def insert_domain(
    connection: Connection, curriculum_id: int, parent_id: int | None, position: int, domain: Domain
) -> None:
    """Insert a domain with its resources and subdomains, at a position among its siblings."""
    domain_id = insert(
        connection,
        domain_table.insert().values(
            curriculum_id=curriculum_id, parent_id=parent_id, position=position, name=domain.name
        ),
    )
    for index, resource in enumerate(domain.resources):
        insert_resource(connection, domain_id, None, index, resource)
    for index, sub in enumerate(domain.domains):
        insert_domain(connection, curriculum_id, domain_id, index, sub)


def insert_resource(
    connection: Connection,
    domain_id: int,
    parent_id: int | None,
    position: int,
    resource: Resource,
) -> int:
    """Insert a resource with its time entries and children; return its id."""
    resource_id = insert(
        connection,
        resource_table.insert().values(
            domain_id=domain_id,
            parent_id=parent_id,
            position=position,
            **resource_values(resource),
        ),
    )
    for entry in resource.time_entries:
        connection.execute(
            time_entry_table.insert().values(
                resource_id=resource_id, day=entry.on, hours=entry.hours, note=entry.note
            )
        )
    for index, child in enumerate(resource.children):
        insert_resource(connection, domain_id, resource_id, index, child)
    return resource_id


#: The columns of a resource row that hold the resource's own fields, in the order that
#: `resource_fields` reads them: the one mapping between a resource and its row, for loading
#: a curriculum and for exporting one (`export`).
RESOURCE_COLUMNS = tuple(
    resource_table.c[name]
    for name in (
        "title", "kind", "status", "url", "provider", "description", "estimated_hours", "cost",
        "started", "finished", "notes", "source", "archived", "parts_done", "parts_total",
    )
)  # fmt: skip


def resource_values(resource: Resource | ExportedResource) -> dict[str, Any]:
    """A resource's own fields as the values of `RESOURCE_COLUMNS`, to insert its row."""
    return {
        "title": resource.title,
        "kind": resource.kind.value,
        "status": resource.status.value,
        "url": resource.url,
        "provider": resource.provider,
        "description": resource.description,
        "estimated_hours": resource.estimated_hours,
        "cost": resource.cost,
        "started": resource.started,
        "finished": resource.finished,
        "notes": resource.notes,
        "source": resource.source,
        "archived": resource.archived,
        **parts_values(resource.parts),
    }


def resource_fields(values: Sequence[Any]) -> dict[str, Any]:
    """A resource's own fields, by name, from the values of `RESOURCE_COLUMNS` in a row."""
    (title, kind, status, url, provider, description, hours, cost) = values[:8]
    (started, finished, notes, source, archived, done, total) = values[8:]
    return {
        "title": title,
        "kind": _KINDS[kind],
        "status": _STATUSES[status],
        "url": url,
        "provider": provider,
        "description": description,
        "estimated_hours": hours,
        "cost": cost,
        "started": started,
        "finished": finished,
        "notes": notes,
        "source": source,
        "archived": archived,
        "parts": None if total is None else Parts(done, total),
    }


def parts_values(parts: Parts | None) -> dict[str, int | None]:
    """A count of parts as the resource row's two columns (both null when not counted)."""
    if parts is None:
        return {"parts_done": None, "parts_total": None}
    return {"parts_done": parts.done, "parts_total": parts.total}


@contextmanager
def without_collections() -> Iterator[None]:
    """Build without the garbage collector's pauses.

    A large curriculum is thousands of new objects, none in a reference cycle, and each few
    hundred of them would otherwise start a collection that walks every object the process
    holds (the catalog and the taxonomy among them): that doubled the load time of a
    2,000-resource curriculum.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


#: Where a loaded row holds `archived`: after its id, domain and parent.
_ARCHIVED = 3 + [column.name for column in RESOURCE_COLUMNS].index("archived")
_KINDS = {kind.value: kind for kind in Kind}
_STATUSES = {status.value: status for status in Status}


def build_curriculum(connection: Connection, row: sa.Row[Any]) -> Curriculum:
    """The whole curriculum of a `curriculum` row, with its domains, resources and entries."""
    # Subqueries rather than IN lists of ids: a curriculum of thousands of resources would
    # otherwise bind (and compile) thousands of parameters on every load.
    domain_ids = sa.select(domain_table.c.id).where(domain_table.c.curriculum_id == row.id)
    resource_ids = sa.select(resource_table.c.id).where(
        resource_table.c.domain_id.in_(domain_ids.scalar_subquery())
    )
    domain_rows = connection.execute(
        sa.select(domain_table)
        .where(domain_table.c.curriculum_id == row.id)
        .order_by(domain_table.c.position, domain_table.c.id)
    ).all()
    r = resource_table.c
    resource_rows = connection.execute(
        sa.select(r.id, r.domain_id, r.parent_id, *RESOURCE_COLUMNS)
        .where(r.domain_id.in_(domain_ids.scalar_subquery()))
        .order_by(r.position, r.id)
    ).all()
    t = time_entry_table.c
    entries: dict[int, list[TimeEntry]] = {}
    for resource_id, entry_id, day, hours, note in connection.execute(
        sa.select(t.resource_id, t.id, t.day, t.hours, t.note)
        .where(t.resource_id.in_(resource_ids.scalar_subquery()))
        .order_by(t.day, t.id)
    ).all():
        entries.setdefault(resource_id, []).append(
            TimeEntry(on=day, hours=hours, note=note, id=entry_id)
        )
    tags: dict[int, list[str]] = {}
    for tag in connection.execute(
        sa.select(resource_skill_table)
        .where(resource_skill_table.c.resource_id.in_(resource_ids.scalar_subquery()))
        .order_by(resource_skill_table.c.skill_id)
    ):
        tags.setdefault(tag.resource_id, []).append(tag.skill_id)
    # Rows are plain tuples here: a curriculum of thousands of resources loads on every page.
    resources_by_parent: dict[tuple[int, int | None], list[tuple[Any, ...]]] = {}
    archived_rows: list[tuple[Any, ...]] = []
    for resource in resource_rows:
        if resource[_ARCHIVED] is not None:
            archived_rows.append(tuple(resource))
        else:
            resources_by_parent.setdefault((resource[1], resource[2]), []).append(tuple(resource))
    domains_by_parent: dict[int | None, list[sa.Row[Any]]] = {}
    for domain in domain_rows:
        domains_by_parent.setdefault(domain.parent_id, []).append(domain)

    def build_resource(row: tuple[Any, ...]) -> Resource:
        rid, domain_id = row[0], row[1]
        return Resource(
            id=rid,
            **resource_fields(row[3:]),
            time_entries=tuple(entries.get(rid, ())),
            skills=tuple(tags.get(rid, ())),
            children=tuple(
                build_resource(c) for c in resources_by_parent.get((domain_id, rid), ())
            ),
        )

    def build_domain(d: sa.Row[Any]) -> Domain:
        return Domain(
            id=d.id,
            name=d.name,
            resources=tuple(build_resource(r) for r in resources_by_parent.get((d.id, None), ())),
            domains=tuple(build_domain(s) for s in domains_by_parent.get(d.id, ())),
        )

    return Curriculum(
        id=row.id,
        name=row.name,
        description=row.description,
        domains=tuple(build_domain(d) for d in domains_by_parent.get(None, ())),
        archived=tuple(build_resource(r) for r in archived_rows),
    )
