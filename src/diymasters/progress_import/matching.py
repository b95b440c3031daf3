"""Which resource each item of MOOC progress is, and what importing it changes.

An item is matched to a resource of the curriculum by title: titles are compared as the
catalog compares them (`catalog.clean_title`, rapidfuzz's token-sort ratio), each resource
under its own title and under the title of the catalog entry it is, so that a certificate
for "Mathematics for Machine Learning: Multivariate Calculus" finds the curriculum's
"Multivariate Calculus". A score of `MATCH_THRESHOLD` matches; a provider that agrees (the
item's issuer named in the resource's provider, or the other way round) lowers that to
`PROVIDER_THRESHOLD`. A short title ("Linear Algebra") matches only a title it is the whole
of, as in the catalog. Two resources at the best score match neither. An item the curriculum
lacks is looked for in the catalog (`catalog.match`), and is added from it only when the
learner asks, into the domain they name.

The rules of an import, which make a second import of the same file change nothing:

- Done: a resource not done yet is marked done on the item's day, with the open parts under
  it (as marking it done by hand does). One done already keeps its finish day unless the item
  gives an earlier one: the earliest finish known stands. A start after the finish moves
  back to the finish.
- In progress: a resource still to do starts on the item's day; one in progress keeps its
  start unless the item gives an earlier one. A done resource is never moved back to in
  progress, and a dropped one stays dropped: the learner's word stands.
- Several items of one resource count together: done wins over in progress, and the
  earliest day of each kind is the one taken.
- An item only saved for later, or dated after today, changes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from rapidfuzz import fuzz

from diymasters import catalog as catalog_module
from diymasters.model import AddResource, Change, Resource, SetStatus, Status, stored_id
from diymasters.serialise import OMIT_WHEN_NONE

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

    from diymasters.catalog import Catalog, Entry
    from diymasters.model import Curriculum, Domain
    from diymasters.progress_import.formats import Item

K = TypeVar("K")

#: A title must score this (rapidfuzz token-sort ratio of cleaned titles, 0-100) to match.
MATCH_THRESHOLD = 90.0
#: ...or this, when the item's provider agrees with the resource's.
PROVIDER_THRESHOLD = 80.0
#: Titles of fewer words than this match only when they are the same, once cleaned.
SHORT_TITLE_WORDS = 3
#: What the day of an item is when the file gives none.
NO_DAY = "the file gives no day"
#: How many close titles an unmatched item lists.
CANDIDATES = 3


class Outcome(enum.StrEnum):
    """What became of an item."""

    #: It is a resource of the curriculum.
    MATCHED = "matched"
    #: The curriculum lacks it; the catalog has it, and it may be added from there.
    IN_CATALOG = "in_catalog"
    #: Neither the curriculum nor the catalog has it, or the file does not name it.
    UNMATCHED = "unmatched"
    #: Only saved for later: nothing to import.
    SAVED = "saved"
    #: Dated after today: taken for a mistake, and left out.
    FUTURE = "future"


@dataclass(frozen=True)
class Candidate:
    """A resource whose title comes close to an item's, with how close (0-100)."""

    title: str
    score: float


@dataclass(frozen=True)
class ItemMatch:
    """An item of the file and what it is: a resource, a catalog entry, or nothing known."""

    item: Item
    outcome: Outcome
    #: The resource it is (matched), or will be once added (in the catalog).
    resource: str | None = None
    resource_id: int | None = field(default=None, metadata=OMIT_WHEN_NONE)
    #: How close its title came (0-100), and what the match went by.
    score: float | None = None
    by: str | None = field(default=None, metadata=OMIT_WHEN_NONE)
    #: The catalog entry it is, when it was found in the catalog.
    entry: str | None = field(default=None, metadata=OMIT_WHEN_NONE)
    #: The closest resources of the curriculum, when it matched none.
    candidates: tuple[Candidate, ...] = ()
    #: Why it matched nothing or changes nothing, when that needs saying.
    why: str | None = field(default=None, metadata=OMIT_WHEN_NONE)


@dataclass(frozen=True)
class Standing:
    """A resource's status and the days that go with it."""

    status: Status
    started: dt.date | None
    finished: dt.date | None


@dataclass(frozen=True)
class Update:
    """What an import sets on one resource, and from which items of the file."""

    resource: str
    #: None for a resource to add from the catalog (in a dry run).
    resource_id: int | None
    #: The items it comes from (`Item.where`).
    items: tuple[str, ...]
    #: How it stood before; None for one added from the catalog.
    before: Standing | None
    after: Standing
    #: What the day set is: "completed", "issued", "last watched: ..." or that there is none.
    date_is: str
    #: The domain it is added to, and the catalog entry it is, for one added from the catalog.
    added_to: str | None = field(default=None, metadata=OMIT_WHEN_NONE)
    entry: str | None = field(default=None, metadata=OMIT_WHEN_NONE)


@dataclass(frozen=True)
class Unchanged:
    """A resource items matched that stays as it is, and why."""

    resource: str
    resource_id: int | None
    items: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class ImportPlan:
    """What importing a file does: each item's match, the updates, what stays as it is."""

    items: tuple[ItemMatch, ...]
    updates: tuple[Update, ...]
    unchanged: tuple[Unchanged, ...]


# --- Matching --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Named:
    """A resource with the titles it is known by: its own and its catalog entry's."""

    resource: Resource
    titles: tuple[str, ...]


@dataclass(frozen=True)
class _Known:
    """The curriculum as items are matched to it, worked out once for all of them."""

    catalog: Catalog
    named: tuple[_Named, ...]
    #: The resource each catalog entry the curriculum holds is.
    by_entry: dict[str, Resource]


def match_items(
    items: Iterable[Item], curriculum: Curriculum, catalog: Catalog, today: dt.date
) -> tuple[ItemMatch, ...]:
    """What each item is: a resource of the curriculum, a catalog entry, or nothing known."""
    matches = catalog_module.match_curriculum(catalog, curriculum)
    resources = list(curriculum.all_resources())
    by_id = {resource.id: resource for resource in resources}
    known = _Known(
        catalog,
        tuple(_Named(r, _titles(r, matches.get(r.id) if r.id else None)) for r in resources),
        {found.entry.id: by_id[rid] for rid, found in matches.items()},
    )
    return tuple(_match(item, known, today) for item in items)


def _titles(resource: Resource, found: catalog_module.Match | None) -> tuple[str, ...]:
    titles = {catalog_module.clean_title(resource.title): None}
    if found is not None:
        titles[catalog_module.clean_title(found.entry.title)] = None
    return tuple(titles)


def _match(item: Item, known: _Known, today: dt.date) -> ItemMatch:
    if item.status is None:
        return ItemMatch(item, Outcome.SAVED, why="only saved for later: nothing to import")
    if item.on is not None and item.on > today:
        why = f"dated {item.on.isoformat()}, after today: taken for a mistake"
        return ItemMatch(item, Outcome.FUTURE, why=why)
    if item.title is None:
        return ItemMatch(item, Outcome.UNMATCHED, why=item.untitled)
    return _match_title(item, item.title, known)


@dataclass(frozen=True)
class _Scored:
    """How close a resource's titles come to an item's, and whether that can be a match."""

    score: float
    #: Whether the item's provider agrees with the resource's.
    agrees: bool
    #: False when a title of fewer than `SHORT_TITLE_WORDS` words only resembles another.
    whole: bool
    resource: Resource

    @property
    def matches(self) -> bool:
        return self.whole and self.score >= (PROVIDER_THRESHOLD if self.agrees else MATCH_THRESHOLD)


def _match_title(item: Item, title: str, known: _Known) -> ItemMatch:
    ranked = sorted(_scored(item, title, known.named), key=lambda s: (-s.score, not s.agrees))
    chosen = _chosen(ranked)
    if chosen is not None:
        by = "title and provider" if chosen.agrees else "title"
        resource = chosen.resource
        return ItemMatch(
            item, Outcome.MATCHED, resource.title, resource.id, round(chosen.score, 1), by
        )
    found = catalog_module.match(known.catalog, Resource(title=title, provider=item.provider))
    candidates = tuple(Candidate(s.resource.title, round(s.score, 1)) for s in ranked[:CANDIDATES])
    if found is None:
        why = "no resource of the curriculum or entry of the catalog has a title close enough"
        if ranked and ranked[0].matches:
            why = "two resources of the curriculum match its title equally well"
        return ItemMatch(item, Outcome.UNMATCHED, candidates=candidates, why=why)
    held = known.by_entry.get(found.entry.id)
    if held is not None:
        return ItemMatch(
            item,
            Outcome.MATCHED,
            held.title,
            held.id,
            round(found.score, 1),
            "catalog",
            found.entry.id,
        )
    return ItemMatch(
        item,
        Outcome.IN_CATALOG,
        found.entry.title,
        None,
        round(found.score, 1),
        "catalog",
        found.entry.id,
        candidates,
        "not in the curriculum; the catalog has it, to add on your word",
    )


def _scored(item: Item, title: str, named: Iterable[_Named]) -> Iterator[_Scored]:
    wanted = catalog_module.clean_title(title)
    for each in named:
        score, closest = max((fuzz.token_sort_ratio(wanted, known), known) for known in each.titles)
        # "Linear Algebra" names a subject as often as a course, as the catalog finds: a short
        # title counts only when it is the whole of the other.
        short = min(len(wanted.split()), len(closest.split())) < SHORT_TITLE_WORDS
        whole = not short or wanted == closest
        yield _Scored(
            float(score), _agrees(item.provider, each.resource.provider), whole, each.resource
        )


def _chosen(ranked: Sequence[_Scored]) -> _Scored | None:
    """The best-ranked resource, if it matches and no other ties with it."""
    if not ranked or not ranked[0].matches:
        return None
    best = ranked[0]
    if len(ranked) > 1 and (ranked[1].score, ranked[1].agrees) == (best.score, best.agrees):
        return None
    return best


def _agrees(provider: str | None, theirs: str | None) -> bool:
    """Whether two providers name the same one: "Coursera" in "Imperial College (Coursera)"."""
    if not provider or not theirs:
        return False
    mine, other = provider.casefold(), theirs.casefold()
    return mine in other or other in mine


# --- Deciding the changes --------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    """What a resource's items say together: done or in progress, from the earliest day."""

    status: Status
    on: dt.date | None
    date_is: str | None
    items: tuple[str, ...]


def _target(items: Sequence[Item]) -> _Target:
    done = [item for item in items if item.status is Status.DONE]
    chosen = done or list(items)
    dated = [item for item in chosen if item.on is not None]
    first = min(dated, key=lambda item: item.on or dt.date.max) if dated else chosen[0]
    status = Status.DONE if done else Status.IN_PROGRESS
    return _Target(status, first.on, first.date_is, tuple(item.where for item in items))


def plan_import(
    matched: Sequence[ItemMatch],
    curriculum: Curriculum,
    catalog: Catalog,
    add_to: Domain | None = None,
) -> tuple[ImportPlan, list[Change]]:
    """The updates an import makes, what stays as it is, and the changes to store.

    Items in the catalog are added (into `add_to`) only when a domain is given; otherwise
    they are listed, and change nothing.
    """
    updates: list[Update] = []
    unchanged: list[Unchanged] = []
    changes: list[Change] = []
    by_id = {resource.id: resource for resource in curriculum.all_resources()}
    grouped = _grouped(matched, Outcome.MATCHED, _resource_id)
    for resource_id, items in grouped.items():
        decided = _decide(by_id[resource_id], _target(items), set(grouped))
        if isinstance(decided, Unchanged):
            unchanged.append(decided)
        else:
            updates.append(decided[0])
            changes.extend(decided[1])
    if add_to is not None:
        for entry_id, items in _grouped(matched, Outcome.IN_CATALOG, _entry).items():
            update, change = _added(catalog.get(entry_id), _target(items), add_to)
            updates.append(update)
            changes.append(change)
    return ImportPlan(tuple(matched), tuple(updates), tuple(unchanged)), changes


def _grouped(
    matched: Sequence[ItemMatch], outcome: Outcome, key: Callable[[ItemMatch], K | None]
) -> dict[K, list[Item]]:
    """The items of one outcome by resource (or entry), in the order each first appears."""
    groups: dict[K, list[Item]] = {}
    for each in matched:
        found = key(each)
        if each.outcome is outcome and found is not None:
            groups.setdefault(found, []).append(each.item)
    return groups


def _resource_id(each: ItemMatch) -> int | None:
    return each.resource_id


def _entry(each: ItemMatch) -> str | None:
    return each.entry


def _decide(
    resource: Resource, target: _Target, own: set[int]
) -> tuple[Update, list[Change]] | Unchanged:
    """What a resource's items change; `own` are the resources items name themselves."""
    before = Standing(resource.status, resource.started, resource.finished)
    if target.status is Status.DONE:
        return _finish(resource, target, before, own)
    return _start(resource, target, before)


def _finish(
    resource: Resource, target: _Target, before: Standing, own: set[int]
) -> tuple[Update, list[Change]] | Unchanged:
    on = target.on
    if resource.status is Status.DONE:
        if on is None:
            return Unchanged(resource.title, resource.id, target.items, "already done")
        if resource.finished is not None and resource.finished <= on:
            why = f"already done on {resource.finished.isoformat()}; the earliest finish stands"
            return Unchanged(resource.title, resource.id, target.items, why)
        changes: list[Change] = [
            SetStatus(stored_id(resource), Status.DONE, _no_later(resource.started, on), on)
        ]
    else:
        changes = [
            SetStatus(stored_id(each), Status.DONE, _no_later(each.started, on), on)
            for each in _open_subtree(resource, own)
        ]
    first = changes[0]
    assert isinstance(first, SetStatus)  # noqa: S101 (the resource's own change comes first)
    after = Standing(first.status, first.started, first.finished)
    update = Update(resource.title, resource.id, target.items, before, after, _date_is(target))
    return update, changes


def _start(
    resource: Resource, target: _Target, before: Standing
) -> tuple[Update, list[Change]] | Unchanged:
    on = target.on
    if resource.status is Status.DONE:
        why = "already done; an import never moves a done resource back to in progress"
        return Unchanged(resource.title, resource.id, target.items, why)
    if resource.status is Status.DROPPED:
        why = "dropped by you; an import does not take it up again"
        return Unchanged(resource.title, resource.id, target.items, why)
    started = _no_later(resource.started, on) if resource.started else on
    if resource.status is Status.IN_PROGRESS and started == resource.started:
        since = f" since {resource.started.isoformat()}" if resource.started else ""
        why = f"already in progress{since}; the earliest start known stands"
        return Unchanged(resource.title, resource.id, target.items, why)
    change = SetStatus(stored_id(resource), Status.IN_PROGRESS, started, None)
    after = Standing(Status.IN_PROGRESS, started, None)
    update = Update(resource.title, resource.id, target.items, before, after, _date_is(target))
    return update, [change]


def _added(entry: Entry, target: _Target, domain: Domain) -> tuple[Update, AddResource]:
    """A catalog entry as a new resource of `domain`, with the status its items give it."""
    root = catalog_module.as_resource(entry)
    if target.status is Status.DONE:
        resource = _all_done(root, target.on)
    else:
        resource = dataclasses.replace(root, status=Status.IN_PROGRESS, started=target.on)
    after = Standing(resource.status, resource.started, resource.finished)
    update = Update(
        resource.title,
        None,
        target.items,
        None,
        after,
        _date_is(target),
        added_to=domain.name,
        entry=entry.id,
    )
    return update, AddResource(stored_id(domain), None, resource)


def _all_done(resource: Resource, on: dt.date | None) -> Resource:
    children = tuple(_all_done(child, on) for child in resource.children)
    return dataclasses.replace(resource, status=Status.DONE, finished=on, children=children)


def _open_subtree(resource: Resource, own: set[int]) -> Iterator[Resource]:
    """The resource and the parts under it still open: marking it done finishes them too.

    A part that items of its own name is left to them, with the day they give.
    """
    yield resource
    for child in resource.children:
        if child.status in {Status.TODO, Status.IN_PROGRESS} and child.id not in own:
            yield from _open_subtree(child, own)


def _date_is(target: _Target) -> str:
    """What the day an update sets is; every reader says what a day it gives is."""
    if target.on is None or target.date_is is None:
        return NO_DAY
    return target.date_is


def _no_later(started: dt.date | None, on: dt.date | None) -> dt.date | None:
    """A start that is not after the finish: a start after it moves back to it."""
    if started is None or on is None:
        return started
    return min(started, on)
