"""Syncing a README with the store: a three-way merge of the file, the store and the last sync.

The learner edits the file and uses the app, both since the last sync, and neither may
silently undo the other. The planner finds each linked resource's item again (items move, are
reworded, share a title), lets the file's edits flow into the store, writes into the file only
what changed in the app, archives what left the file, follows the file's nesting, and reports
an item changed on both sides as a conflict rather than picking one. It only plans: `Masters`
writes the file and applies the changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from rapidfuzz import fuzz

from diymasters.errors import ConflictError
from diymasters.model import (
    AddResource,
    ArchiveResource,
    Change,
    Domain,
    EditResource,
    ItemKey,
    LinkedItem,
    LinkItem,
    MoveResource,
    NewDomain,
    Parts,
    Resource,
    SetParts,
    SetStatus,
    Status,
    stored_id,
)
from diymasters.readme.document import ReadmeDomain, ReadmeItem, item_key, to_resource
from diymasters.readme.render import checkbox_text, new_item_text
from diymasters.serialise import fields_of

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator, Mapping, Sequence

    from diymasters.model import Curriculum, ReadmeLink
    from diymasters.readme.document import ReadmeDocument


class ReadmeConflictError(ConflictError):
    """An item changed in the README and in diymasters since the last sync."""

    def __init__(self, conflicts: Sequence[str]) -> None:
        """List the items so the user can settle them in one place."""
        self.conflicts = tuple(conflicts)
        super().__init__(
            "changed in both the README and diymasters since the last sync: "
            + "; ".join(conflicts)
            + " (set the status or count you want with diymasters, or edit the README, then sync)"
        )


class ReadmeEmptiedError(ConflictError):
    """The linked README holds no item now: a file emptied or replaced, not a curriculum."""

    def __init__(self, path: str, linked: int) -> None:
        """Say what was linked, and that nothing was archived."""
        super().__init__(
            f"{path} holds no resources now, where {linked} were linked to it at the last "
            "sync; nothing was synced or archived (restore the file, or import another one)"
        )


def check_not_emptied(document: ReadmeDocument, link: ReadmeLink) -> None:
    """Refuse to sync a README that lost every item: each would be archived as if removed.

    An emptied file archived the whole curriculum, and restoring the file then added every
    item again as a new resource, its logged hours left on the archived one.
    """
    if link.items and next(document.items(), None) is None:
        raise ReadmeEmptiedError(link.path, len(link.items))


@dataclass
class SyncPlan:
    """What a sync will do: edits to the file, changes to the store, and what it noticed."""

    statuses: dict[str, Status] = field(default_factory=dict)
    #: Counts of parts to write, by item key: rewritten in the item's own form, or added.
    parts: dict[str, Parts] = field(default_factory=dict)
    insertions: list[tuple[int, str]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    #: Resources added in diymasters that the sync writes into the file.
    inserted: list[Resource] = field(default_factory=list)
    to_file: list[str] = field(default_factory=list)
    from_file: list[str] = field(default_factory=list)
    added_from_file: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Resources whose items left the file: archived, no longer counted in progress.
    archived: list[str] = field(default_factory=list)
    #: Sections new in the file that become domains.
    added_domains: list[str] = field(default_factory=list)
    #: Each linked resource's item key as the file now has it.
    keys: dict[int, str] = field(default_factory=dict)
    #: How many resources the items added from the file make, their parts included.
    added_resources: int = 0
    #: Resources in diymasters that the file has no section for, so a sync cannot write.
    unwritten: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SyncSummary:
    """What a sync wrote to the file and took into the store (a dry run: what it would).

    A merge from upstream reports its sync this way; a sync of its own adds the diff
    (`SyncReport`).
    """

    path: str
    edited_since_last_sync: bool
    written: bool
    dry_run: bool
    #: Resources whose markers the sync writes into the file, and those it adds as new lines.
    to_file: tuple[str, ...]
    #: Resources whose status the sync takes from the file.
    from_file: tuple[str, ...]
    #: Items new in the file that become resources.
    added_from_file: tuple[str, ...]
    #: Resources whose items left the file: archived.
    archived: tuple[str, ...]
    #: Sections new in the file that become domains.
    added_domains: tuple[str, ...]
    #: How many resources the items added from the file make, their parts included.
    added_resources: int
    #: Resources the file has no section for, so the sync cannot write them.
    unwritten: tuple[str, ...]
    notes: tuple[str, ...]

    def summary(self) -> SyncSummary:
        """Only what `SyncSummary` holds, even of a `SyncReport`."""
        return SyncSummary(**fields_of(self, SyncSummary))


@dataclass(frozen=True)
class SyncReport(SyncSummary):
    """What a sync did (or, a dry run, would do), with the unified diff of the file."""

    diff: str
    #: What became of the progress block: added, removed, updated, current; None without one.
    progress_block: str | None = None

    @classmethod
    def of(
        cls,
        plan: SyncPlan,
        *,
        path: str,
        edited: bool,
        dry_run: bool,
        diff: str,
        block: str | None = None,
        written: bool = False,
    ) -> SyncReport:
        """The report of a sync, planned (`dry_run`) or done."""
        return cls(
            path=path,
            edited_since_last_sync=edited,
            written=written,
            dry_run=dry_run,
            to_file=tuple(plan.to_file),
            from_file=tuple(plan.from_file),
            added_from_file=tuple(plan.added_from_file),
            archived=tuple(plan.archived),
            added_domains=tuple(plan.added_domains),
            added_resources=plan.added_resources,
            unwritten=tuple(plan.unwritten),
            notes=tuple(plan.notes),
            diff=diff,
            progress_block=block,
        )


@dataclass(frozen=True)
class AutosyncReport:
    """Autosync turned on or off for a linked README."""

    path: str
    autosync: bool
    #: False when autosync already was as asked.
    changed: bool


def plan_sync(
    document: ReadmeDocument,
    curriculum: Curriculum,
    link: ReadmeLink,
    today: dt.date,
    *,
    add_checkboxes: bool = False,
) -> SyncPlan:
    """Decide a sync, in which the user's text wins.

    Only markers of resources changed in the app are rewritten, edits made in the file flow
    into the store, and an item changed on both sides is a conflict.
    """
    planner = _Planner(document, curriculum, link, today, add_checkboxes=add_checkboxes)
    planner.merge_linked()
    planner.insert_new_in_app()
    planner.add_new_in_file()
    planner.follow_structure()
    return planner.finish()


class _Planner:
    def __init__(
        self,
        document: ReadmeDocument,
        curriculum: Curriculum,
        link: ReadmeLink,
        today: dt.date,
        *,
        add_checkboxes: bool,
    ) -> None:
        self.document = document
        self.curriculum = curriculum
        self.link = link
        self.today = today
        self.add_checkboxes = add_checkboxes
        self.plan = SyncPlan()
        self.items = {item.key: item for item in document.items()}
        self.readme_paths = _domain_paths(document.domains)
        self.stored_paths = _domain_paths(curriculum.domains)
        self.readme_parents = {
            id(sub): parent for parent in document.all_domains() for sub in parent.domains
        }
        #: The stored domain of each stored resource, where an item's new children go.
        self.homes = {
            resource.id: domain.id
            for domain in curriculum.all_domains()
            if domain.id is not None
            for top in domain.resources
            for resource in top.walk()
            if resource.id is not None
        }
        self.domain_names = {d.id: d.name.casefold() for d in curriculum.all_domains()}
        #: Each stored resource's parent resource (None at the top of its domain).
        self.parents: dict[int, int | None] = {}
        for domain in curriculum.all_domains():
            for top in domain.resources:
                self._note_parents(top, None)
        #: Each item's parent item in the file, and the section it is in.
        self.item_parents: dict[str, ReadmeItem] = {}
        self.item_domains: dict[str, ReadmeDomain] = {}
        for readme_domain in document.all_domains():
            for item in readme_domain.items:
                self._note_item(item, readme_domain)
        #: Which item each linked resource is now; a linked resource without one has left.
        self.keys_by_id = self._match_links()
        self.ids_by_key = {key: rid for rid, key in self.keys_by_id.items()}
        #: Changes that must follow the additions: moves in the file's order (a parent is in
        #: its place before a child moves under it), then archiving (which takes what is
        #: still under a resource with it).
        self.moves: list[tuple[int, MoveResource]] = []
        self.archives: list[ArchiveResource] = []

    def _match_links(self) -> dict[int, str]:
        """Each linked resource's item, re-matched where items share a title and link.

        Keys number such items in reading order (`title|url#2`), so deleting the first of
        two "Exercises" would hand the second's key, and its hours, to the first. Within a
        family of same-titled items, resources are paired with items in their own section
        first, then in order.
        """
        families: dict[str, list[ReadmeItem]] = {}
        for item in self.items.values():
            families.setdefault(item_key(item.title, item.url), []).append(item)
        claims: dict[str, list[int]] = {}
        for rid, linked in self.link.items.items():
            family = _family(linked.key, self.items, families)
            if family is not None:
                claims.setdefault(family, []).append(rid)
        matched: dict[int, str] = {}
        for family, rids in claims.items():
            matched.update(self._pair(rids, families[family]))
        self._match_renamed(matched)
        return matched

    def _match_renamed(self, matched: dict[int, str]) -> None:
        """Pair a resource whose item is gone with a new item that is the same one edited.

        A link added to a title, a title reworded, "Title: URL" made a Markdown link: the
        item is the learner's, with its hours and notes, not a new one beside an archived
        one. The same link, then the same title in the same section, then (one to one) a
        title at least `RENAMED_SIMILARITY` alike in the same section, says so.
        """
        claimed = set(matched.values())
        fresh = [item for item in self.items.values() if item.key not in claimed]
        resources = {r.id: r for r in self.curriculum.all_resources() if r.id is not None}
        lost = [rid for rid in self.link.items if rid not in matched and rid in resources]
        for rule in (_same_link, _same_title, _similar_title):
            for rid in list(lost):
                resource, section = resources[rid], self._section_of(rid)
                found = [i for i in fresh if rule(resource, section, i, self.item_domains)]
                rivals = [
                    other
                    for other in lost
                    if found
                    and rule(resources[other], self._section_of(other), found[0], self.item_domains)
                ]
                if len(found) != 1 or len(rivals) != 1:
                    continue
                item = found[0]
                matched[rid] = item.key
                fresh.remove(item)
                lost.remove(rid)
                self._record_rename(resource, item)

    def _record_rename(self, resource: Resource, item: ReadmeItem) -> None:
        title = item.title if item.title != resource.title else None
        url = item.url if item.url != resource.url else None
        if title is not None or url is not None:
            self.plan.changes.append(EditResource(stored_id(resource), title=title, url=url))
            self.plan.notes.append(
                f"{resource.title!r} was edited in the README; it keeps its hours and notes"
            )

    def _pair(self, rids: list[int], items: list[ReadmeItem]) -> dict[int, str]:
        if len(rids) == 1 and len(items) == 1:
            return {rids[0]: items[0].key}
        rids = sorted(rids, key=lambda rid: _key_number(self.link.items[rid].key))
        free = list(items)
        pairs: dict[int, str] = {}
        for same_section in (True, False):
            for rid in [r for r in rids if r not in pairs]:
                section = self._section_of(rid)
                found = next(
                    (
                        item
                        for item in free
                        if not same_section
                        or self.item_domains[item.key].name.casefold() == section
                    ),
                    None,
                )
                if found is not None:
                    pairs[rid] = found.key
                    free.remove(found)
        return pairs

    def _section_of(self, rid: int) -> str:
        return self.domain_names.get(self.homes.get(rid), "")

    def _readme_domain(self, domain: Domain) -> ReadmeDomain | None:
        """The file's section for a stored domain: same path of names, else same name."""
        return self.readme_paths.find(self.stored_paths.path_of(domain))

    def _stored_domain(self, readme_domain: ReadmeDomain) -> Domain | None:
        return self.stored_paths.find(self.readme_paths.path_of(readme_domain))

    def _note_parents(self, resource: Resource, parent: int | None) -> None:
        if resource.id is not None:
            self.parents[resource.id] = parent
        for child in resource.children:
            self._note_parents(child, resource.id)

    def _note_item(self, item: ReadmeItem, readme_domain: ReadmeDomain) -> None:
        self.item_domains[item.key] = readme_domain
        for child in item.children:
            self.item_parents[child.key] = item
            self._note_item(child, readme_domain)

    def finish(self) -> SyncPlan:
        """The plan, its changes in an order the store can apply them in."""
        self.moves.sort(key=lambda placed: placed[0])
        self.plan.changes += [*(move for _, move in self.moves), *self.archives]
        self.plan.keys = dict(self.keys_by_id)
        return self.plan

    # Items both sides know.

    def merge_linked(self) -> None:
        for domain in self.curriculum.all_domains():
            for resource in domain.resources:
                self._merge_subtree(resource)

    def _merge_subtree(self, resource: Resource, *, under_archived: bool = False) -> None:
        linked = self.link.items.get(resource.id or -1)
        key = self.keys_by_id.get(resource.id or -1)
        item = self.items.get(key) if key is not None else None
        gone = linked is not None and item is None
        if gone and not under_archived:
            self._archive(resource)
        if linked is not None and item is not None:
            self._merge(resource, item, linked.base)
            self._merge_parts(resource, item, linked.base_parts)
        # A part still in the file moves out (follow_structure), so what is under it does
        # not go with an archived ancestor.
        stays = gone or (under_archived and linked is None)
        for child in resource.children:
            self._merge_subtree(child, under_archived=stays)

    def _archive(self, resource: Resource) -> None:
        """Its history stays in the store, outside progress, until restored or deleted.

        What is under it goes with it, except the parts still in the file: those move to
        where the file has them now.
        """
        self.archives.append(ArchiveResource(stored_id(resource), self.today))
        self.plan.archived.append(resource.title)

    def _merge(self, resource: Resource, item: ReadmeItem, base: Status) -> None:
        in_file, in_app = item.status, resource.status
        if in_file == base:
            if in_app != base:
                self._write(resource, item)
            return
        if in_app == in_file:
            return
        shown = self._shown(in_app, item, base)
        if shown == in_file and in_app != base:
            return  # the file already shows what diymasters holds (say, written before a crash)
        if base in {in_app, shown}:
            # Only the file changed, or diymasters' change is one the file cannot show (in
            # progress where it has no partial box): the file's edit is the learner's word.
            self.plan.changes.append(_status_from_file(resource, in_file, self.today))
            self.plan.from_file.append(resource.title)
            return
        self.plan.conflicts.append(
            f"{resource.title!r} (README: {in_file}, diymasters: {in_app}, was {base})"
        )

    def _merge_parts(self, resource: Resource, item: ReadmeItem, base: Parts | None) -> None:
        """Merge a count of parts as a status is merged: the side that changed it wins.

        A count diymasters has and the file does not is added to the item's first line; a
        count the file has and diymasters has not is left in the file.
        """
        in_file, in_app = item.parts, resource.parts
        if in_file == in_app:
            return
        if in_file == base:
            if in_app is not None:
                self.plan.parts[item.key] = in_app
                _note(self.plan.to_file, resource.title)
            return
        if in_app == base:
            self.plan.changes.append(SetParts(stored_id(resource), in_file))
            _note(self.plan.from_file, resource.title)
            return
        self.plan.conflicts.append(
            f"{resource.title!r} (README: {_counted(in_file)}, diymasters: {_counted(in_app)}, "
            f"was {_counted(base)})"
        )

    def _shown(self, status: Status, item: ReadmeItem, base: Status) -> Status:
        """What the file would read for the item once a sync wrote `status` into it."""
        if item.marker is None:
            return base  # nothing is written into a line without a box
        mark = self.document.style.mark(status, item.marker.text, item.status)
        return item.status if mark == item.marker.text else item.reads_as(mark)

    def _write(self, resource: Resource, item: ReadmeItem) -> None:
        if item.marker is not None:
            if self._shown(resource.status, item, item.status) != item.status:
                self.plan.statuses[item.key] = resource.status
                self.plan.to_file.append(resource.title)
        elif self.add_checkboxes:
            self.plan.insertions.append(checkbox_text(self.document, item, resource.status))
            self.plan.to_file.append(resource.title)
        else:
            self.plan.notes.append(
                f"{resource.title!r} has no checkbox in the README; "
                "a sync that adds checkboxes gives it one"
            )

    # Resources added in diymasters.

    def insert_new_in_app(self) -> None:
        for domain in self.curriculum.all_domains():
            for resource in domain.resources:
                self._insert(resource, None, domain)

    def _insert(self, resource: Resource, parent: ReadmeItem | None, domain: Domain) -> None:
        if resource.id in self.link.items and resource.id not in self.keys_by_id:
            return  # it left the file: archived, with what is under it
        key = self.keys_by_id.get(resource.id or -1) or self._adopt(resource, parent, domain)
        if key is not None:
            for child in resource.children:
                self._insert(child, self.items.get(key), domain)
            return
        target = self._readme_domain(domain)
        if parent is None and target is None:
            self.plan.notes.append(
                f"{resource.title!r} is in {domain.name!r}, which has no heading in the "
                "README; not written"
            )
            self.plan.unwritten.append(resource.title)
            return
        self.plan.insertions.append(
            new_item_text(self.document, resource, domain=target, parent=parent)
        )
        self.plan.inserted.append(resource)
        self.plan.to_file.append(resource.title)

    def _adopt(self, resource: Resource, parent: ReadmeItem | None, domain: Domain) -> str | None:
        """Link an unlinked item that already says what inserting the resource would write.

        A sync killed after renaming the file into place and before the store recorded it
        leaves exactly that; so does the learner typing the same line in both places.
        """
        target = self._readme_domain(domain)
        siblings = parent.children if parent else target.items if target else ()
        item = next(
            (
                each
                for each in siblings
                if each.key not in self.ids_by_key
                and (each.title, each.url) == (resource.title, resource.url)
            ),
            None,
        )
        if item is None or resource.id is None:
            return None
        self.keys_by_id[resource.id], self.ids_by_key[item.key] = item.key, resource.id
        linked = LinkedItem(item.key, item.status, item.parts)
        self.plan.changes.append(LinkItem(resource.id, linked))
        # As if last synced with the line as it is: a status changed in diymasters since
        # (`done` after the crash) is written to the file.
        self._merge(resource, item, item.status)
        self._merge_parts(resource, item, item.parts)
        return item.key

    # Items added in the file.

    def add_new_in_file(self) -> None:
        for readme_domain in self.document.all_domains():
            for item in readme_domain.items:
                self._add(item, None, readme_domain)

    def _add(self, item: ReadmeItem, parent_id: int | None, readme_domain: ReadmeDomain) -> None:
        if item.key in self.ids_by_key:
            for child in item.children:
                self._add(child, self.ids_by_key[item.key], readme_domain)
            return
        keys: list[str] = []
        resource = to_resource(item, keys, skip=self.ids_by_key)
        shown = {each.key: (each.status, each.parts) for each in item.walk()}
        links = tuple(LinkedItem(key, *shown[key]) for key in keys)
        domain = self._domain_ref(readme_domain) if parent_id is None else self.homes[parent_id]
        self.plan.changes.append(AddResource(domain, parent_id, resource, links))
        self.plan.added_from_file.append(item.title)
        self.plan.added_resources += len(links)
        # Items already in diymasters that the file now has under this new one move there
        # (see follow_structure); their own new children are added under them.
        for linked in _linked_below(item, self.ids_by_key):
            for child in linked.children:
                self._add(child, self.ids_by_key[linked.key], readme_domain)

    def _domain_ref(self, readme_domain: ReadmeDomain) -> int | NewDomain:
        """The stored domain of that name, else a new one under its section's parent."""
        stored = self._stored_domain(readme_domain)
        if stored is not None and stored.id is not None:
            return stored.id
        if readme_domain.name not in self.plan.added_domains:
            self.plan.added_domains.append(readme_domain.name)
        parent = self.readme_parents.get(id(readme_domain))
        return NewDomain(
            stored_id(self.curriculum),
            None if parent is None else self._domain_ref(parent),
            readme_domain.name,
        )

    # The file's nesting.

    def follow_structure(self) -> None:
        """Put each resource where the file has it, when that changed.

        Under the item the file nests it under, else at the top of the domain of its
        section (matched by the path of section names, see `_readme_domain`).
        """
        for resource in self.curriculum.all_resources():
            key = self.keys_by_id.get(resource.id or -1)
            if key is None or key not in self.items or resource.id is None:
                continue
            file_parent = self.item_parents.get(key)
            stored_parent = self.parents.get(resource.id)
            at = self.items[key].line_start
            if file_parent is None:
                domain = self._domain_ref(self.item_domains[key])
                if stored_parent is not None or domain != self.homes.get(resource.id):
                    self.moves.append((at, MoveResource(resource.id, domain=domain)))
                continue
            parent_id = self.ids_by_key.get(file_parent.key)
            if parent_id is None or parent_id != stored_parent:
                parent: int | ItemKey = (
                    ItemKey(stored_id(self.curriculum), file_parent.key)
                    if parent_id is None
                    else parent_id
                )
                self.moves.append((at, MoveResource(resource.id, parent=parent)))


_NUMBERED_KEY = re.compile(r"(.*)#(\d+)", re.DOTALL)
#: Titles at least this alike (rapidfuzz ratio, 0-100) in one section are one item reworded.
RENAMED_SIMILARITY = 85
_BARE_LINK = re.compile(r"https?://\S+")


def _plain_title(title: str) -> str:
    """A title without a bare link in it, its punctuation at the ends, case or spacing."""
    return " ".join(_BARE_LINK.sub("", title).strip(" :-\u2013\u2014()[]").casefold().split())


def _in_section(section: str, item: ReadmeItem, sections: Mapping[str, ReadmeDomain]) -> bool:
    return sections[item.key].name.casefold() == section


def _same_link(
    resource: Resource, section: str, item: ReadmeItem, sections: Mapping[str, ReadmeDomain]
) -> bool:
    del section, sections
    return resource.url is not None and resource.url.rstrip("/") == (item.url or "").rstrip("/")


def _same_title(
    resource: Resource, section: str, item: ReadmeItem, sections: Mapping[str, ReadmeDomain]
) -> bool:
    return _in_section(section, item, sections) and _plain_title(resource.title) == _plain_title(
        item.title
    )


def _similar_title(
    resource: Resource, section: str, item: ReadmeItem, sections: Mapping[str, ReadmeDomain]
) -> bool:
    similarity = fuzz.ratio(_plain_title(resource.title), _plain_title(item.title))
    return _in_section(section, item, sections) and similarity >= RENAMED_SIMILARITY


def _family(
    key: str, items: Mapping[str, ReadmeItem], families: Mapping[str, list[ReadmeItem]]
) -> str | None:
    """The title-and-link a stored key names, if any item still has it."""
    if key in items:
        item = items[key]
        return item_key(item.title, item.url)
    numbered = _NUMBERED_KEY.fullmatch(key)
    if numbered is not None and numbered.group(1) in families:
        return numbered.group(1)
    return None


def _key_number(key: str) -> int:
    numbered = _NUMBERED_KEY.fullmatch(key)
    return int(numbered.group(2)) if numbered else 1


_D = TypeVar("_D", ReadmeDomain, Domain)


@dataclass(frozen=True)
class _DomainPaths(Generic[_D]):
    """Domains by their path of names from the top, and by name alone."""

    by_path: Mapping[tuple[str, ...], _D]
    by_name: Mapping[str, list[_D]]
    paths: Mapping[int, tuple[str, ...]]

    def path_of(self, domain: ReadmeDomain | Domain) -> tuple[str, ...]:
        return self.paths.get(id(domain), (domain.name.casefold(),))

    def find(self, path: tuple[str, ...]) -> _D | None:
        """The domain at that path of names, else the only one of its name, else None."""
        found = self.by_path.get(path)
        if found is not None:
            return found
        named = self.by_name.get(path[-1], [])
        return named[0] if len(named) == 1 else None


def _domain_paths(top: Sequence[_D]) -> _DomainPaths[_D]:
    by_path: dict[tuple[str, ...], _D] = {}
    by_name: dict[str, list[_D]] = {}
    paths: dict[int, tuple[str, ...]] = {}

    def visit(domain: _D, above: tuple[str, ...]) -> None:
        path = (*above, domain.name.casefold())
        by_path.setdefault(path, domain)
        by_name.setdefault(path[-1], []).append(domain)
        paths[id(domain)] = path
        for sub in domain.domains:
            visit(sub, path)

    for domain in top:
        visit(domain, ())
    return _DomainPaths(by_path, by_name, paths)


def _linked_below(item: ReadmeItem, linked: Mapping[str, int]) -> Iterator[ReadmeItem]:
    """The nearest descendants of an item that are already linked to stored resources."""
    for child in item.children:
        if child.key in linked:
            yield child
        else:
            yield from _linked_below(child, linked)


def _note(titles: list[str], title: str) -> None:
    """Name a resource once among those a sync writes or takes in, its status and count both."""
    if title not in titles:
        titles.append(title)


def _counted(parts: Parts | None) -> str:
    return "no count of parts" if parts is None else str(parts)


def _status_from_file(resource: Resource, status: Status, today: dt.date) -> SetStatus:
    assert resource.id is not None  # noqa: S101 (linked resources are stored)
    started = None if status is Status.TODO else resource.started
    if status is Status.IN_PROGRESS and started is None:
        started = today
    finished = today if status in {Status.DONE, Status.DROPPED} else None
    return SetStatus(resource.id, status, started, finished)


def link_changes(
    before: ReadmeDocument, after: ReadmeDocument, plan: SyncPlan, link: ReadmeLink
) -> list[Change]:
    """Record, for every linked resource, the status and count the written file now shows."""
    shown = {item.key: LinkedItem(item.key, item.status, item.parts) for item in after.items()}
    changes: list[Change] = []
    for resource_id, linked in link.items.items():
        key = plan.keys.get(resource_id)
        if key in shown and shown[key] != linked:
            changes.append(LinkItem(resource_id, shown[key]))
    old_keys = {item.key for item in before.items()}
    fresh = [item for item in after.items() if item.key not in old_keys]
    for resource in plan.inserted:
        for each in resource.walk():
            match = next((i for i in fresh if i.title == each.title and i.url == each.url), None)
            if match is not None and each.id is not None:
                fresh.remove(match)
                changes.append(LinkItem(each.id, LinkedItem(match.key, match.status, match.parts)))
    return changes
