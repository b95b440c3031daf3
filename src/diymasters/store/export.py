"""The whole store as typed records, read out in one transaction and put back into an empty one.

An export must bring a store back exactly: every id the learner sees (`entries`, `#12`),
every position among siblings, when each curriculum was made and chosen, and the highest
time entry id ever given out, so that a restored store never gives a removed entry's id to
a new one. So the records keep the rows' ids and positions, in the tree the rows make.

Job postings and the skills found in them are left out: they are a corpus read from files
(`skills` reads them again in minutes), a careers office may keep 100,000 of them, and
nothing the learner wrote is in them. Targets saved from them are kept.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from diymasters.errors import ConflictError
from diymasters.store.changes import base_text, linked_item
from diymasters.store.curricula import (
    RESOURCE_COLUMNS,
    FollowedUpstream,
    resource_fields,
    resource_values,
)
from diymasters.store.plans import SavedPlan
from diymasters.store.tables import (
    curriculum_table,
    domain_table,
    plan_table,
    readme_item_table,
    readme_link_table,
    resource_skill_table,
    resource_table,
    study_session_table,
    target_skill_table,
    target_table,
    time_entry_table,
    upstream_table,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from sqlalchemy.engine import Connection

    from diymasters.model import Kind, LinkedItem, Parts, Status


@dataclass(frozen=True)
class ExportedEntry:
    """A logged entry, with the id `entries` shows."""

    id: int
    date: dt.date
    hours: float
    note: str


@dataclass(frozen=True)
class ExportedResource:
    """A resource row whole, with its entries, tags, README item and the resources under it."""

    id: int
    #: Its place among its siblings (the numbers may have gaps: they are kept as stored).
    position: int
    title: str
    kind: Kind
    status: Status
    url: str | None
    provider: str | None
    description: str | None
    #: The learner's own or stated estimate; the catalog's, lent when reading, is not stored.
    estimated_hours: float | None
    cost: float | None
    started: dt.date | None
    finished: dt.date | None
    notes: str
    source: str | None
    archived: dt.date | None
    parts: Parts | None
    skills: tuple[str, ...]
    #: Its item in the linked README, with the base of the next merge; None when unlinked.
    readme_item: LinkedItem | None
    time_entries: tuple[ExportedEntry, ...]
    children: tuple[ExportedResource, ...]

    def walk(self) -> Iterator[ExportedResource]:
        """This resource and every one under it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class ExportedDomain:
    """A domain row with its resources (archived ones too, where they were) and subdomains."""

    id: int
    position: int
    name: str
    resources: tuple[ExportedResource, ...]
    domains: tuple[ExportedDomain, ...]

    def walk(self) -> Iterator[ExportedDomain]:
        """This domain and every subdomain, depth first."""
        yield self
        for sub in self.domains:
            yield from sub.walk()


@dataclass(frozen=True)
class ExportedReadme:
    """The README a curriculum is linked to, as last read or written."""

    path: str
    sha256: str
    autosync: bool


@dataclass(frozen=True)
class ExportedCurriculum:
    """A curriculum whole: its tree, its README and upstream, and its saved plans."""

    id: int
    name: str
    description: str
    #: In UTC, without a zone, as the store keeps it.
    created_at: dt.datetime
    #: When the learner last chose it; the one chosen last is the one in use.
    chosen_at: dt.datetime | None
    domains: tuple[ExportedDomain, ...]
    readme: ExportedReadme | None
    upstream: FollowedUpstream | None
    plans: tuple[SavedPlan, ...]

    def all_resources(self) -> Iterator[tuple[ExportedDomain, ExportedResource]]:
        """Every resource at any depth with its domain, in reading order."""
        for top in self.domains:
            for domain in top.walk():
                for resource in domain.resources:
                    for each in resource.walk():
                        yield domain, each


@dataclass(frozen=True)
class ExportedTargetSkill:
    """One skill of a saved target."""

    skill: str
    weight: float
    evidence: str | None


@dataclass(frozen=True)
class ExportedTarget:
    """Demand saved under a name; the newest (highest id) is the one used by default."""

    id: int
    name: str
    source: str
    skills: tuple[ExportedTargetSkill, ...]


@dataclass(frozen=True)
class ExportedStudy:
    """A study session under way: its resource's id, and its start in UTC without a zone."""

    id: int
    resource_id: int
    started: dt.datetime


@dataclass(frozen=True)
class StoreContents:
    """Everything a learner keeps in a store, but the postings (see the module's docstring)."""

    curricula: tuple[ExportedCurriculum, ...]
    targets: tuple[ExportedTarget, ...]
    study_sessions: tuple[ExportedStudy, ...]
    #: The highest time entry id ever given out: the next entry gets a higher one.
    last_entry_id: int


class StoreNotEmptyError(ConflictError):
    """A restore goes into an empty store only: merging two stores' ids would lose some."""

    def __init__(self, curricula: Iterable[str], targets: int) -> None:
        """Say what the store holds already, and that nothing was changed."""
        held = [f"curriculum {name!r}" for name in curricula]
        if targets:
            held.append(f"{targets} saved target{'s' if targets != 1 else ''}")
        super().__init__(
            f"the store is not empty (it holds {', '.join(held)}); an export is restored "
            "into an empty store only; nothing was changed"
        )


# --- Reading ------------------------------------------------------------------------------


def read_contents(connection: Connection) -> StoreContents:
    """Everything in the store, in one transaction (the caller's)."""
    curricula = tuple(
        _curriculum(connection, row)
        for row in connection.execute(sa.select(curriculum_table).order_by(curriculum_table.c.id))
    )
    return StoreContents(
        curricula=curricula,
        targets=_targets(connection),
        study_sessions=tuple(
            ExportedStudy(row.id, row.resource_id, row.started)
            for row in connection.execute(
                sa.select(study_session_table).order_by(study_session_table.c.id)
            )
        ),
        last_entry_id=_last_entry_id(connection),
    )


def _curriculum(connection: Connection, row: sa.Row[Any]) -> ExportedCurriculum:
    domains = connection.execute(
        sa.select(domain_table)
        .where(domain_table.c.curriculum_id == row.id)
        .order_by(domain_table.c.position, domain_table.c.id)
    ).all()
    resources = _resources(connection, [domain.id for domain in domains])
    by_parent: dict[int | None, list[sa.Row[Any]]] = {}
    for domain in domains:
        by_parent.setdefault(domain.parent_id, []).append(domain)

    def build(domain: sa.Row[Any]) -> ExportedDomain:
        return ExportedDomain(
            id=domain.id,
            position=domain.position,
            name=domain.name,
            resources=tuple(resources.get(domain.id, ())),
            domains=tuple(build(sub) for sub in by_parent.get(domain.id, ())),
        )

    return ExportedCurriculum(
        id=row.id,
        name=row.name,
        description=row.description,
        created_at=row.created_at,
        chosen_at=row.chosen_at,
        domains=tuple(build(domain) for domain in by_parent.get(None, ())),
        readme=_readme(connection, row.id),
        upstream=_upstream(connection, row.id),
        plans=_plans(connection, row.id),
    )


#: Where a row read by `_resources` holds the resource's own fields: after its place.
_OWN_FIELDS = 4


def _resources(connection: Connection, domain_ids: list[int]) -> dict[int, list[ExportedResource]]:
    """Each domain's top resources (children nested under their parents), in order."""
    r, t = resource_table.c, time_entry_table.c
    rows = connection.execute(
        sa.select(r.id, r.domain_id, r.parent_id, r.position, *RESOURCE_COLUMNS)
        .where(r.domain_id.in_(domain_ids))
        .order_by(r.position, r.id)
    ).all()
    ids = [row.id for row in rows]
    entries: dict[int, list[ExportedEntry]] = {}
    for entry in connection.execute(
        sa.select(time_entry_table).where(t.resource_id.in_(ids)).order_by(t.id)
    ):
        entries.setdefault(entry.resource_id, []).append(
            ExportedEntry(entry.id, entry.day, entry.hours, entry.note)
        )
    tags: dict[int, list[str]] = {}
    for tag in connection.execute(
        sa.select(resource_skill_table)
        .where(resource_skill_table.c.resource_id.in_(ids))
        .order_by(resource_skill_table.c.skill_id)
    ):
        tags.setdefault(tag.resource_id, []).append(tag.skill_id)
    items = {
        item.resource_id: linked_item(item.key, item.base_status)
        for item in connection.execute(
            sa.select(readme_item_table).where(readme_item_table.c.resource_id.in_(ids))
        )
    }
    children: dict[int | None, list[sa.Row[Any]]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)

    def build(row: sa.Row[Any]) -> ExportedResource:
        return ExportedResource(
            id=row.id,
            position=row.position,
            **resource_fields(row[_OWN_FIELDS:]),
            skills=tuple(tags.get(row.id, ())),
            readme_item=items.get(row.id),
            time_entries=tuple(entries.get(row.id, ())),
            children=tuple(build(child) for child in children.get(row.id, ())),
        )

    tops: dict[int, list[ExportedResource]] = {}
    for row in children.get(None, ()):
        tops.setdefault(row.domain_id, []).append(build(row))
    return tops


def _readme(connection: Connection, curriculum_id: int) -> ExportedReadme | None:
    link = readme_link_table.c
    row = connection.execute(
        sa.select(readme_link_table).where(link.curriculum_id == curriculum_id)
    ).first()
    return None if row is None else ExportedReadme(row.path, row.sha256, bool(row.autosync))


def _upstream(connection: Connection, curriculum_id: int) -> FollowedUpstream | None:
    row = connection.execute(
        sa.select(upstream_table).where(upstream_table.c.curriculum_id == curriculum_id)
    ).first()
    if row is None:
        return None
    updated = dt.datetime.fromisoformat(row.updated)
    return FollowedUpstream(row.location, row.ref, row.base, updated)


def _plans(connection: Connection, curriculum_id: int) -> tuple[SavedPlan, ...]:
    rows = connection.execute(
        sa.select(plan_table)
        .where(plan_table.c.curriculum_id == curriculum_id)
        .order_by(plan_table.c.id)
    )
    return tuple(
        SavedPlan(
            row.name, dt.datetime.fromisoformat(row.created), json.loads(row.inputs),
            json.loads(row.report),
        )
        for row in rows
    )  # fmt: skip


def _targets(connection: Connection) -> tuple[ExportedTarget, ...]:
    skills: dict[int, list[ExportedTargetSkill]] = {}
    s = target_skill_table.c
    for row in connection.execute(sa.select(target_skill_table).order_by(s.target_id, s.skill_id)):
        skills.setdefault(row.target_id, []).append(
            ExportedTargetSkill(row.skill_id, row.weight, row.evidence)
        )
    return tuple(
        ExportedTarget(row.id, row.name, row.source, tuple(skills.get(row.id, ())))
        for row in connection.execute(sa.select(target_table).order_by(target_table.c.id))
    )


def _last_entry_id(connection: Connection) -> int:
    """The highest entry id given out: SQLite remembers it past removals, in sqlite_sequence."""
    highest = int(connection.scalar(sa.select(sa.func.max(time_entry_table.c.id))) or 0)
    if connection.dialect.name != "sqlite":
        return highest
    remembered = connection.exec_driver_sql(
        "SELECT seq FROM sqlite_sequence WHERE name = 'time_entry'"
    ).scalar()
    return max(highest, int(remembered or 0))


# --- Inserting ----------------------------------------------------------------------------


def insert_contents(connection: Connection, contents: StoreContents) -> None:
    """Put an export into an empty store, ids and all, in the caller's one transaction."""
    _require_empty(connection)
    for curriculum in contents.curricula:
        _insert_curriculum(connection, curriculum)
    for target in contents.targets:
        connection.execute(
            target_table.insert().values(id=target.id, name=target.name, source=target.source)
        )
        rows = [
            {
                "target_id": target.id,
                "skill_id": s.skill,
                "weight": s.weight,
                "evidence": s.evidence,
            }
            for s in target.skills
        ]
        if rows:
            connection.execute(target_skill_table.insert(), rows)
    for session in contents.study_sessions:
        connection.execute(
            study_session_table.insert().values(
                id=session.id, resource_id=session.resource_id, started=session.started
            )
        )
    _remember_entry_ids(connection, contents.last_entry_id)


def _require_empty(connection: Connection) -> None:
    names = list(
        connection.scalars(sa.select(curriculum_table.c.name).order_by(curriculum_table.c.id))
    )
    targets = int(connection.scalar(sa.select(sa.func.count()).select_from(target_table)) or 0)
    if names or targets:
        raise StoreNotEmptyError(names, targets)


def _insert_curriculum(connection: Connection, curriculum: ExportedCurriculum) -> None:
    connection.execute(
        curriculum_table.insert().values(
            id=curriculum.id,
            name=curriculum.name,
            description=curriculum.description,
            created_at=curriculum.created_at,
            chosen_at=curriculum.chosen_at,
        )
    )
    for top in curriculum.domains:
        _insert_domain(connection, curriculum.id, None, top)
    if curriculum.readme is not None:
        readme = curriculum.readme
        connection.execute(
            readme_link_table.insert().values(
                curriculum_id=curriculum.id,
                path=readme.path,
                sha256=readme.sha256,
                autosync=readme.autosync,
            )
        )
    if curriculum.upstream is not None:
        followed = curriculum.upstream
        connection.execute(
            upstream_table.insert().values(
                curriculum_id=curriculum.id,
                location=followed.location,
                ref=followed.ref,
                base=followed.base,
                updated=followed.updated.isoformat(),
            )
        )
    for plan in curriculum.plans:
        connection.execute(
            plan_table.insert().values(
                curriculum_id=curriculum.id,
                name=plan.name,
                created=plan.created.isoformat(),
                inputs=json.dumps(plan.inputs, sort_keys=True),
                report=json.dumps(plan.report, sort_keys=True),
            )
        )


def _insert_domain(
    connection: Connection, curriculum_id: int, parent_id: int | None, domain: ExportedDomain
) -> None:
    connection.execute(
        domain_table.insert().values(
            id=domain.id,
            curriculum_id=curriculum_id,
            parent_id=parent_id,
            position=domain.position,
            name=domain.name,
        )
    )
    for resource in domain.resources:
        _insert_resource(connection, domain.id, None, resource)
    for sub in domain.domains:
        _insert_domain(connection, curriculum_id, domain.id, sub)


def _insert_resource(
    connection: Connection, domain_id: int, parent_id: int | None, resource: ExportedResource
) -> None:
    connection.execute(
        resource_table.insert().values(
            id=resource.id,
            domain_id=domain_id,
            parent_id=parent_id,
            position=resource.position,
            **resource_values(resource),
        )
    )
    entries = [
        {"id": e.id, "resource_id": resource.id, "day": e.date, "hours": e.hours, "note": e.note}
        for e in resource.time_entries
    ]
    if entries:
        connection.execute(time_entry_table.insert(), entries)
    if resource.skills:
        connection.execute(
            resource_skill_table.insert(),
            [{"resource_id": resource.id, "skill_id": skill} for skill in resource.skills],
        )
    if resource.readme_item is not None:
        item = resource.readme_item
        connection.execute(
            readme_item_table.insert().values(
                resource_id=resource.id, key=item.key, base_status=base_text(item)
            )
        )
    for child in resource.children:
        _insert_resource(connection, domain_id, resource.id, child)


#: The tables whose integer ids a database server hands out from a sequence of its own.
_SEQUENCED = (
    curriculum_table,
    domain_table,
    resource_table,
    time_entry_table,
    target_table,
    plan_table,
    study_session_table,
)


def _remember_entry_ids(connection: Connection, last_entry_id: int) -> None:
    """Carry on giving out ids after the restored ones, and after every entry id given before.

    SQLite numbers an AUTOINCREMENT table past the largest id it ever held, from
    sqlite_sequence; PostgreSQL's sequences do not see ids inserted by hand, so each is set
    past the table's largest.
    """
    if connection.dialect.name == "sqlite":
        if last_entry_id:
            connection.exec_driver_sql("DELETE FROM sqlite_sequence WHERE name = 'time_entry'")
            connection.exec_driver_sql(
                "INSERT INTO sqlite_sequence (name, seq) "
                "SELECT 'time_entry', max(?, coalesce(max(id), 0)) FROM time_entry",
                (last_entry_id,),
            )
        return
    if connection.dialect.name == "postgresql":
        for table in _SEQUENCED:
            floor = last_entry_id if table is time_entry_table else 0
            highest = sa.func.coalesce(sa.func.max(table.c.id), 0)
            sequence = sa.func.pg_get_serial_sequence(table.name, "id")
            connection.execute(
                sa.select(sa.func.setval(sequence, sa.func.greatest(highest, floor, 1)))
            )
