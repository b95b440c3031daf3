"""Applying a command's changes to a stored curriculum, one function per kind of change.

Every write to a curriculum after it is created goes through `apply_change`, inside the one
transaction the store opens for the command, so that a command's changes land all or none;
a resource that went away meanwhile is a conflict to try again, never a silent no-op.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from diymasters.errors import ConflictError, DiyMastersError, InvalidInputError
from diymasters.model import (
    AddResource,
    AddTimeEntry,
    AppendNote,
    ArchiveResource,
    Change,
    Curriculum,
    EditResource,
    EditTimeEntry,
    ExpectReadme,
    ItemKey,
    LinkedItem,
    LinkItem,
    LinkReadme,
    MoveResource,
    NewDomain,
    Parts,
    RemoveResource,
    RemoveTimeEntry,
    SetEstimate,
    SetParts,
    SetStatus,
    Status,
    TagSkills,
    TimeEntryNotFoundError,
)
from diymasters.store.curricula import insert_resource, parts_values
from diymasters.store.tables import (
    domain_table,
    insert,
    readme_item_table,
    readme_link_table,
    resource_skill_table,
    resource_table,
    time_entry_table,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.engine import Connection


class ResourceGoneError(ConflictError):
    """A resource was deleted (by another process, say) between reading and writing."""

    def __init__(self, resource_id: int) -> None:
        """Name the resource by id: its title is gone with it."""
        super().__init__(f"resource #{resource_id} is no longer in the store; try again")


def link_imported(
    connection: Connection, stored: Curriculum, readme: tuple[str, str], keys: Sequence[str]
) -> None:
    """Link a just-stored curriculum to the README it was imported from, item by item."""
    assert stored.id is not None  # noqa: S101 (just stored)
    path, digest = readme
    apply_change(connection, LinkReadme(stored.id, path, digest, autosync=False))
    for resource, key in zip(stored.all_resources(), keys, strict=True):
        assert resource.id is not None  # noqa: S101
        linked = LinkedItem(key, resource.status, resource.parts)
        apply_change(connection, LinkItem(resource.id, linked))


def apply_change(connection: Connection, change: Change) -> int | None:
    """Apply one change; return the id of a resource it added."""
    if isinstance(change, LinkReadme | LinkItem | ExpectReadme):
        _apply_link(connection, change)
        return None
    match change:
        case SetStatus() | SetParts() | SetEstimate() | EditResource():
            _edit(connection, change)
        case AppendNote(resource_id, text):
            _append_note(connection, resource_id, text)
        case AddTimeEntry() | EditTimeEntry() | RemoveTimeEntry():
            _apply_time(connection, change)
        case AddResource():
            return _add_resource(connection, change)
        case TagSkills():
            _tag(connection, change)
        case MoveResource():
            _move(connection, change)
        case ArchiveResource():
            _archive(connection, change)
        case RemoveResource(resource_id):
            _require_resource(connection, resource_id)
            connection.execute(resource_table.delete().where(resource_table.c.id == resource_id))
    return None


def _edit(
    connection: Connection, change: SetStatus | SetParts | SetEstimate | EditResource
) -> None:
    """Change a resource's own fields: status and dates, count of parts, estimate, text."""
    match change:
        case SetStatus(resource_id, status, started, finished):
            _update_resource(
                connection, resource_id, status=status.value, started=started, finished=finished
            )
        case SetParts(resource_id, parts):
            _update_resource(connection, resource_id, **parts_values(parts))
        case SetEstimate(resource_id, hours):
            _update_resource(connection, resource_id, estimated_hours=hours)
        case EditResource(resource_id, title, notes, url):
            values = {"title": title, "notes": notes, "url": url}
            _update_resource(
                connection, resource_id, **{k: v for k, v in values.items() if v is not None}
            )


def _append_note(connection: Connection, resource_id: int, text: str) -> None:
    """Append a paragraph in one statement, to the notes as they are when it runs.

    The row is read and written by the database itself: on PostgreSQL an UPDATE waits for
    a concurrent one and then sees its result, and SQLite's writers take turns.
    """
    notes = resource_table.c.notes
    joined = sa.case((notes == "", sa.literal(text)), else_=notes + "\n\n" + text)
    _update_resource(connection, resource_id, notes=joined)


def _apply_time(
    connection: Connection, change: AddTimeEntry | EditTimeEntry | RemoveTimeEntry
) -> None:
    """Log, correct or delete an entry of time spent."""
    match change:
        case AddTimeEntry(resource_id, entry):
            _require_resource(connection, resource_id)
            connection.execute(
                time_entry_table.insert().values(
                    resource_id=resource_id, day=entry.on, hours=entry.hours, note=entry.note
                )
            )
        case EditTimeEntry(entry_id, entry):
            _require_time_entry(connection, entry_id)
            connection.execute(
                time_entry_table.update()
                .where(time_entry_table.c.id == entry_id)
                .values(day=entry.on, hours=entry.hours, note=entry.note)
            )
        case RemoveTimeEntry(entry_id):
            _require_time_entry(connection, entry_id)
            connection.execute(time_entry_table.delete().where(time_entry_table.c.id == entry_id))


def _require_time_entry(connection: Connection, entry_id: int) -> None:
    """Refuse to change an entry deleted meanwhile (by another command, say)."""
    query = sa.select(time_entry_table.c.id).where(time_entry_table.c.id == entry_id)
    if connection.execute(query).first() is None:
        raise TimeEntryNotFoundError(entry_id)


def _add_resource(connection: Connection, change: AddResource) -> int:
    """Insert a resource and its subtree, with their README items; return its id."""
    domain_id = _domain_id(connection, change.domain_id)
    position = _next_position(connection, domain_id, change.parent_id)
    added = insert_resource(connection, domain_id, change.parent_id, position, change.resource)
    for resource_id, link in zip(_subtree_ids(connection, added), change.links, strict=False):
        if link is not None:
            _apply_link(connection, LinkItem(resource_id, link))
    return added


def _archive(connection: Connection, change: ArchiveResource) -> None:
    """Archive (or restore) a resource; archiving forgets the README items of its subtree.

    A resource restored while the one it was under is archived comes back at the top of its
    domain: under an archived parent it would stay out of sight.
    """
    _update_resource(connection, change.resource_id, archived=change.on)
    if change.on is None and _under_archived(connection, change.resource_id):
        r = resource_table.c
        domain_id = int(
            connection.scalar(sa.select(r.domain_id).where(r.id == change.resource_id)) or 0
        )
        connection.execute(
            resource_table.update()
            .where(r.id == change.resource_id)
            .values(parent_id=None, position=_next_position(connection, domain_id, None))
        )
    if change.on is not None:
        subtree = _subtree_ids(connection, change.resource_id)
        connection.execute(
            readme_item_table.delete().where(readme_item_table.c.resource_id.in_(subtree))
        )


def _under_archived(connection: Connection, resource_id: int) -> bool:
    """Whether any resource above this one is archived."""
    r = resource_table.c
    parent = connection.scalar(sa.select(r.parent_id).where(r.id == resource_id))
    while parent is not None:
        row = connection.execute(sa.select(r.parent_id, r.archived).where(r.id == parent)).one()
        if row.archived is not None:
            return True
        parent = row.parent_id
    return False


class MoveIntoItselfError(InvalidInputError):
    """A resource cannot be moved under one of its own descendants."""

    def __init__(self, resource_id: int) -> None:
        """Name the resource; nothing was changed."""
        super().__init__(
            f"resource #{resource_id} would be moved inside itself; nothing was changed"
        )


def _move(connection: Connection, move: MoveResource) -> None:
    """Re-home a resource and its subtree at the end of a domain or of another resource."""
    _require_resource(connection, move.resource_id)
    subtree = _subtree_ids(connection, move.resource_id)
    parent = _resource_id(connection, move.parent) if move.parent is not None else None
    if parent in subtree:
        raise MoveIntoItselfError(move.resource_id)
    r = resource_table.c
    if parent is not None:
        domain_id = int(connection.scalar(sa.select(r.domain_id).where(r.id == parent)) or 0)
    else:
        assert move.domain is not None  # noqa: S101 (a move names a parent or a domain)
        domain_id = _domain_id(connection, move.domain)
    position = _next_position(connection, domain_id, parent)
    connection.execute(
        resource_table.update()
        .where(r.id == move.resource_id)
        .values(parent_id=parent, position=position)
    )
    connection.execute(resource_table.update().where(r.id.in_(subtree)).values(domain_id=domain_id))


def _resource_id(connection: Connection, reference: int | ItemKey) -> int:
    """A stored resource's id, or the id of the one linked to a README item."""
    if isinstance(reference, int):
        return reference
    i, r, d = readme_item_table.c, resource_table.c, domain_table.c
    found = connection.scalar(
        sa.select(i.resource_id)
        .join(resource_table, r.id == i.resource_id)
        .join(domain_table, d.id == r.domain_id)
        .where(i.key == reference.key, d.curriculum_id == reference.curriculum_id)
    )
    if found is None:
        raise DiyMastersError(f"no resource is linked to the README item {reference.key!r}")
    return int(found)


def _domain_id(connection: Connection, domain: int | NewDomain) -> int:
    """The id of a stored domain, creating a new one (and its new parents) at the end."""
    if isinstance(domain, int):
        return domain
    parent = None if domain.parent is None else _domain_id(connection, domain.parent)
    d = domain_table.c
    siblings = sa.and_(
        d.curriculum_id == domain.curriculum_id,
        d.parent_id.is_(None) if parent is None else d.parent_id == parent,
    )
    found = connection.scalar(
        sa.select(d.id).where(siblings, sa.func.lower(d.name) == domain.name.lower())
    )
    if found is not None:
        return int(found)
    highest = connection.scalar(sa.select(sa.func.max(d.position)).where(siblings))
    return insert(
        connection,
        domain_table.insert().values(
            curriculum_id=domain.curriculum_id,
            parent_id=parent,
            position=0 if highest is None else highest + 1,
            name=domain.name,
        ),
    )


def _tag(connection: Connection, change: TagSkills) -> None:
    """Replace the given tags (so tagging twice is harmless), or only remove them."""
    _require_resource(connection, change.resource_id)
    table = resource_skill_table
    connection.execute(
        table.delete().where(
            table.c.resource_id == change.resource_id, table.c.skill_id.in_(change.skill_ids)
        )
    )
    if not change.remove:
        rows = [{"resource_id": change.resource_id, "skill_id": s} for s in change.skill_ids]
        connection.execute(table.insert(), rows)


class ReadmeSyncedMeanwhileError(ConflictError):
    """Another command recorded a sync of the same README while this one was deciding."""

    def __init__(self) -> None:
        """Say that nothing was recorded and what to do."""
        super().__init__(
            "the README was synced by another command meanwhile; nothing was recorded, sync again"
        )


def _apply_link(connection: Connection, change: LinkReadme | LinkItem | ExpectReadme) -> None:
    """Record how the store and the linked README correspond."""
    match change:
        case ExpectReadme(curriculum_id, digest):
            link = readme_link_table.c
            stored = connection.scalar(
                sa.select(link.sha256).where(link.curriculum_id == curriculum_id)
            )
            if stored != digest:
                raise ReadmeSyncedMeanwhileError
        case LinkReadme(curriculum_id, path, digest, autosync):
            _upsert(
                connection,
                readme_link_table,
                {"curriculum_id": curriculum_id},
                {"path": path, "sha256": digest, "autosync": autosync},
            )
        case LinkItem(resource_id, item):
            _upsert(
                connection,
                readme_item_table,
                {"resource_id": resource_id},
                {"key": item.key, "base_status": base_text(item)},
            )


def base_text(item: LinkedItem) -> str:
    """An item's base as the `base_status` column keeps it: "in_progress", or "in_progress 3/5".

    The count rides in the status column because it is the same base, of the same merge, and
    needs no column of its own (issue 15 adds no migration for it).
    """
    if item.base_parts is None:
        return item.base.value
    return f"{item.base.value} {item.base_parts.done}/{item.base_parts.total}"


def linked_item(key: str, text: str) -> LinkedItem:
    """The item whose base `base_text` wrote."""
    status, _, count = text.partition(" ")
    if not count:
        return LinkedItem(key, Status(status))
    done, _, total = count.partition("/")
    return LinkedItem(key, Status(status), Parts(int(done), int(total)))


def _upsert(
    connection: Connection, table: sa.Table, key: dict[str, object], values: dict[str, object]
) -> None:
    condition = sa.and_(*(table.c[name] == value for name, value in key.items()))
    updated = connection.execute(table.update().where(condition).values(**values))
    if updated.rowcount == 0:
        connection.execute(table.insert().values(**key, **values))


def _subtree_ids(connection: Connection, resource_id: int) -> list[int]:
    """Ids of a resource and its descendants, in the order `Resource.walk()` yields them."""
    ids = [resource_id]
    children = connection.scalars(
        sa.select(resource_table.c.id)
        .where(resource_table.c.parent_id == resource_id)
        .order_by(resource_table.c.position, resource_table.c.id)
    ).all()
    for child in children:
        ids += _subtree_ids(connection, child)
    return ids


def _update_resource(connection: Connection, resource_id: int, **values: object) -> None:
    if not values:
        return
    result = connection.execute(
        resource_table.update().where(resource_table.c.id == resource_id).values(**values)
    )
    if result.rowcount == 0:
        raise ResourceGoneError(resource_id)


def _require_resource(connection: Connection, resource_id: int) -> None:
    found = connection.scalar(
        sa.select(resource_table.c.id).where(resource_table.c.id == resource_id)
    )
    if found is None:
        raise ResourceGoneError(resource_id)


def _next_position(connection: Connection, domain_id: int, parent_id: int | None) -> int:
    siblings = sa.select(sa.func.max(resource_table.c.position)).where(
        resource_table.c.domain_id == domain_id,
        resource_table.c.parent_id.is_(None)
        if parent_id is None
        else resource_table.c.parent_id == parent_id,
    )
    highest = connection.scalar(siblings)
    return 0 if highest is None else highest + 1
