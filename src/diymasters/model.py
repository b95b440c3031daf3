"""The curriculum's domain: frozen dataclasses, the progress rollup rule, and changes.

Nothing here does I/O. The store persists these types, parsers produce them, reports and
the CLI read them. Commands are decided here as lists of `Change` objects so that the store
can apply each command in one transaction: a command either happens whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import math
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TypeVar

from diymasters.errors import Category, DiyMastersError, InvalidInputError, NotFoundError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence

_Named = TypeVar("_Named")

#: An in-progress resource reads below this until someone marks it done: logged hours
#: outrunning the estimate must not claim completion.
IN_PROGRESS_CAP = 0.99


class InvalidValueError(InvalidInputError):
    """A value the user gave is malformed or out of range."""

    def __init__(self, what: str, value: object, why: str) -> None:
        """Name the value, repeat it back as it was typed, and say what is wrong with it."""
        shown = f"{value:g}" if isinstance(value, float) else repr(value)
        super().__init__(f"{what} {shown} {why}")


class ResourceNotFoundError(NotFoundError):
    """No resource matches the name the user gave."""

    def __init__(self, name: str, suggestions: Sequence[str], curriculum: str) -> None:
        """Build the message, naming the curriculum looked in, with close titles as suggestions."""
        hint = f"; did you mean {_quoted(suggestions)}?" if suggestions else ""
        super().__init__(f"no resource matches {name!r} in curriculum {curriculum!r}{hint}")


class AmbiguousNameError(InvalidInputError):
    """A name matches more than one resource or domain."""

    def __init__(self, name: str, candidates: Sequence[str]) -> None:
        """List the candidates so the user can pick one."""
        super().__init__(f"{name!r} matches {len(candidates)}: {_quoted(candidates)}")


class DomainNotFoundError(NotFoundError):
    """No domain matches the name the user gave."""

    def __init__(self, name: str, known: Sequence[str], curriculum: str) -> None:
        """Name the curriculum looked in, and list the domains that do exist."""
        super().__init__(
            f"no domain matches {name!r} in curriculum {curriculum!r}; domains: {_quoted(known)}"
        )


def _quoted(names: Sequence[str], limit: int = 6) -> str:
    shown = ", ".join(f'"{name}"' for name in names[:limit])
    more = len(names) - limit
    return f"{shown} and {more} more" if more > 0 else shown


class Status(enum.StrEnum):
    """Where a learner stands with a resource; dropped means tried and stopped."""

    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class Kind(enum.StrEnum):
    """What sort of learning resource it is."""

    COURSE = "course"
    SPECIALISATION = "specialisation"
    BOOK = "book"
    PROJECT = "project"
    ARTICLE = "article"
    VIDEO = "video"
    OTHER = "other"


def hours_said(value: float) -> str:
    """Hours in a sentence, to two places: `:g` kept six digits, so 100,000.5 read 100000."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _check_hours(what: str, hours: float | None, *, allow_none: bool = True) -> None:
    if hours is None and allow_none:
        return
    if hours is None or not math.isfinite(hours) or hours <= 0:
        raise InvalidValueError(what, hours, "must be a positive number of hours")


@dataclass(frozen=True)
class TimeEntry:
    """Hours spent on a resource on one day."""

    on: dt.date
    hours: float
    note: str = ""
    id: int | None = None

    def __post_init__(self) -> None:
        """Reject hours that cannot have been spent."""
        _check_hours("hours", self.hours, allow_none=False)


#: The most parts a count can have: a README's "(3/5)" is read with at most three digits, so
#: that a year ("2019/2020") is never a count, and a count written must read back.
MAX_PARTS = 999


@dataclass(frozen=True)
class Parts:
    """Progress counted in parts, as a README's "(3/5)" or "3 of 5 lectures" states it."""

    done: int
    total: int

    def __post_init__(self) -> None:
        """Refuse a count no learner can have, or no README can read back."""
        if not 1 <= self.total <= MAX_PARTS:
            raise InvalidValueError("parts in all", self.total, f"must be from 1 to {MAX_PARTS}")
        if not 0 <= self.done <= self.total:
            raise InvalidValueError(
                "parts done", self.done, f"must be between 0 and the {self.total} in all"
            )

    def __str__(self) -> str:
        """How `show` and `status` say it: "3 of 5 parts"."""
        return f"{self.done} of {self.total} part{'s' if self.total != 1 else ''}"


@dataclass(frozen=True)
class Resource:
    """A course, specialisation, book, project or other thing to learn from."""

    title: str
    kind: Kind = Kind.OTHER
    status: Status = Status.TODO
    url: str | None = None
    provider: str | None = None
    description: str | None = None
    #: The provider's stated estimate, or the learner's own; None when nobody knows.
    estimated_hours: float | None = None
    cost: float | None = None
    started: dt.date | None = None
    finished: dt.date | None = None
    notes: str = ""
    #: Where the hours and cost figures came from.
    source: str | None = None
    time_entries: tuple[TimeEntry, ...] = ()
    children: tuple[Resource, ...] = ()
    id: int | None = None
    #: Skill ids the learner tagged it with by hand (`diymasters tag`).
    skills: tuple[str, ...] = ()
    #: The day it left the curriculum because its README item went away; None while in it.
    archived: dt.date | None = None
    #: Parts done of parts in all, when the learner counts them; None when nobody does.
    parts: Parts | None = None
    #: Where `estimated_hours` comes from when it is not stored with the resource but lent at
    #: read time (`with_estimates`); None for the stored figure.
    estimate_basis: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        """Keep impossible resources out of the model."""
        if not self.title.strip():
            raise InvalidValueError("title", self.title, "must not be empty")
        _check_hours("estimated hours", self.estimated_hours)
        if self.cost is not None and (not math.isfinite(self.cost) or self.cost < 0):
            raise InvalidValueError("cost", self.cost, "must be zero or more")
        if self.started and self.finished and self.finished < self.started:
            raise InvalidValueError(
                "finish date", self.finished.isoformat(), f"is before the start {self.started}"
            )

    def walk(self) -> Iterator[Resource]:
        """Yield this resource and every descendant, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Domain:
    """An area of the masters, such as Mathematics; it may hold sub-domains."""

    name: str
    resources: tuple[Resource, ...] = ()
    domains: tuple[Domain, ...] = ()
    id: int | None = None

    def walk_domains(self) -> Iterator[Domain]:
        """Yield this domain and its sub-domains, depth first."""
        yield self
        for sub in self.domains:
            yield from sub.walk_domains()


@dataclass(frozen=True)
class Curriculum:
    """A learner's masters: ordered domains of resources."""

    name: str
    domains: tuple[Domain, ...] = ()
    description: str = ""
    id: int | None = None
    #: Resources no longer in the README: their history is kept, outside progress.
    archived: tuple[Resource, ...] = ()

    def all_domains(self) -> Iterator[Domain]:
        """Yield every domain and sub-domain, in reading order."""
        for domain in self.domains:
            yield from domain.walk_domains()

    def all_resources(self) -> Iterator[Resource]:
        """Yield every resource at any depth, in reading order."""
        for domain in self.all_domains():
            for resource in domain.resources:
                yield from resource.walk()


Node = Resource | Domain | Curriculum


@dataclass(frozen=True)
class LinkedItem:
    """How a stored resource appears in the linked README."""

    key: str
    #: The status the file showed when we last read or wrote it: the base of a merge.
    base: Status
    #: The parts the file counted then ("(3/5)"), the base of a merge of counts; None if none.
    base_parts: Parts | None = None


@dataclass(frozen=True)
class ReadmeLink:
    """A curriculum's README on disk, as last read or written."""

    path: str
    sha256: str
    autosync: bool = False
    #: Stored resource id to its item in the file.
    items: Mapping[int, LinkedItem] = field(default_factory=dict)


@dataclass(frozen=True)
class Estimate:
    """Hours a resource should take, from elsewhere than the learner, and where from."""

    hours: float
    basis: str


def with_estimates(curriculum: Curriculum, estimates: Mapping[int, Estimate]) -> Curriculum:
    """The curriculum with these estimates (by resource id) where a resource has none stored.

    The learner's own figure always wins, and nothing is stored: the store keeps only what
    the learner said, so a better source later (or the learner's own) simply takes over.
    """
    if not estimates:
        return curriculum

    def resource(node: Resource) -> Resource:
        children = tuple(resource(child) for child in node.children)
        lent = estimates.get(node.id) if node.id is not None else None
        if node.estimated_hours is None and lent is not None:
            return replace(
                node, children=children, estimated_hours=lent.hours, estimate_basis=lent.basis
            )
        same = all(new is old for new, old in zip(children, node.children, strict=True))
        return node if same else replace(node, children=children)

    def domain(node: Domain) -> Domain:
        return replace(
            node,
            resources=tuple(resource(each) for each in node.resources),
            domains=tuple(domain(each) for each in node.domains),
        )

    return replace(curriculum, domains=tuple(domain(each) for each in curriculum.domains))


def estimate_basis(resource: Resource) -> str | None:
    """Where a resource's estimate comes from: lent, its stated source, or the learner."""
    if resource.estimated_hours is None:
        return None
    return resource.estimate_basis or resource.source or "your estimate"


# --- Rollup ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rollup:
    """Progress and hours of one node, with the rollups of the parts it is made of."""

    node: Node
    progress: float
    #: Derived status of a resource (None for domains and the curriculum).
    status: Status | None
    hours_logged: float
    #: The estimate when every counted part has one, else None.
    hours_estimated: float | None
    #: The sum of the estimates that are known: a lower bound.
    hours_known: float
    #: How much this node weighs among its siblings; None when no part's hours are known.
    weight: float | None
    #: Whether it enters its parent's denominator: not dropped, and not an empty domain.
    counted: bool
    parts: tuple[Rollup, ...]
    #: The resources it is made of: counted ones without counted parts (itself, for such a
    #: resource). The counts shown beside a share, and its weights when no hours are known.
    items: int
    #: Those of `items` that are done.
    items_done: int


def rollup(node: Node) -> Rollup:
    """Compute progress and hours for a node and everything under it.

    The rule, written once: a done resource is 1 unless some of its parts are not done, and
    then, like any node with counted parts, it reads in progress. A node with counted parts
    is the weighted mean of them, weighted by estimated hours; a part whose hours are unknown
    weighs as much as the mean of its siblings whose hours are known, and when none is known
    each part weighs as many resources as it holds, so that the share is the share of
    resources done (a domain of one course weighs no more than one course of a larger one).
    A resource without counted parts reads, while in progress (or dropped), the parts it has
    done over its parts in all when it counts them ("(3/5)" in the README), else its logged
    hours over its estimate; either is capped below 1, and it reads 0 when still to do. Only
    a ticked box (done) reads 1: "(5/5)" beside an empty box is 99%, as the file says it is
    not finished (an exam or project may remain), and the learner's count is their word over
    the hours. Dropped resources and domains with nothing in them leave the denominator.
    """
    parts = tuple(rollup(child) for child in _children(node))
    counted = [part for part in parts if part.counted]
    status = _derived_status(node, counted) if isinstance(node, Resource) else None
    own_estimate = node.estimated_hours if isinstance(node, Resource) else None
    weight = own_estimate if own_estimate is not None else _summed_weight(counted)
    items, items_done = _items(status, counted)
    return Rollup(
        node=node,
        progress=_progress(node, counted),
        status=status,
        hours_logged=_own_logged(node) + sum(part.hours_logged for part in parts),
        hours_estimated=own_estimate if own_estimate is not None else _exact_sum(counted),
        hours_known=(
            own_estimate if own_estimate is not None else sum(part.hours_known for part in counted)
        ),
        weight=weight,
        counted=_is_counted(node, counted),
        parts=parts,
        items=items,
        items_done=items_done,
    )


def _items(status: Status | None, counted: Sequence[Rollup]) -> tuple[int, int]:
    if counted:
        return sum(part.items for part in counted), sum(part.items_done for part in counted)
    if status is None:
        return 0, 0
    return 1, int(status is Status.DONE)


def _children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Resource):
        return node.children
    if isinstance(node, Domain):
        return (*node.resources, *node.domains)
    return node.domains


def _is_counted(node: Node, counted: list[Rollup]) -> bool:
    if isinstance(node, Resource):
        return node.status is not Status.DROPPED
    return bool(counted)


def _own_logged(node: Node) -> float:
    if isinstance(node, Resource):
        return sum(entry.hours for entry in node.time_entries)
    return 0.0


def _imputed_weights(parts: Sequence[Rollup]) -> list[float]:
    known = [part.weight for part in parts if part.weight is not None]
    if not known:
        return [float(part.items) for part in parts]
    mean = sum(known) / len(known)
    return [part.weight if part.weight is not None else mean for part in parts]


def _summed_weight(counted: Sequence[Rollup]) -> float | None:
    if not any(part.weight is not None for part in counted):
        return None
    return sum(_imputed_weights(counted))


def _exact_sum(counted: Sequence[Rollup]) -> float | None:
    if not counted or any(part.hours_estimated is None for part in counted):
        return None
    return sum(part.hours_estimated for part in counted if part.hours_estimated is not None)


def _progress(node: Node, counted: Sequence[Rollup]) -> float:
    # A README may tick an item and leave the boxes under it open: those boxes still count,
    # or the share would read 100% beside items to do.
    if isinstance(node, Resource) and node.status is Status.DONE and not _open(counted):
        return 1.0
    if counted:
        weights = _imputed_weights(counted)
        return sum(w * part.progress for w, part in zip(weights, counted, strict=True)) / sum(
            weights
        )
    if not isinstance(node, Resource) or node.status is Status.TODO:
        return 0.0
    if node.parts is not None:
        return min(node.parts.done / node.parts.total, IN_PROGRESS_CAP)
    if not node.estimated_hours:
        return 0.0
    logged = _own_logged(node)
    return min(logged / node.estimated_hours, IN_PROGRESS_CAP)


def _open(counted: Sequence[Rollup]) -> bool:
    return any(part.status is not Status.DONE for part in counted)


def _derived_status(resource: Resource, counted: Sequence[Rollup]) -> Status:
    if resource.status is Status.DROPPED or not counted:
        return resource.status
    statuses = {part.status for part in counted}
    if statuses == {Status.DONE}:
        return Status.DONE
    if statuses & {Status.DONE, Status.IN_PROGRESS} or resource.status is Status.DONE:
        return Status.IN_PROGRESS
    return resource.status


# --- Finding things by name -----------------------------------------------------------------

_ID_REFERENCE = re.compile(r"#(\d+)")


def find_resource(curriculum: Curriculum, name: str) -> Resource:
    """Find a resource by `#id`, exact title, or an unambiguous title prefix (any case)."""
    resources = list(curriculum.all_resources())
    reference = _ID_REFERENCE.fullmatch(name.strip())
    if reference:
        wanted = int(reference.group(1))
        for resource in resources:
            if resource.id == wanted:
                return resource
        raise ResourceNotFoundError(name, [], curriculum.name)
    found = _by_name(resources, name, lambda r: r.title, lambda r: f"{r.title} (#{r.id})")
    if found is not None:
        return found
    needle = name.strip().casefold()
    titles = [r.title for r in resources]
    near = difflib.get_close_matches(name, titles, n=3, cutoff=0.5)
    near += [t for t in titles if needle in t.casefold() and t not in near]
    raise ResourceNotFoundError(name, near, curriculum.name)


class ArchivedPartError(InvalidInputError):
    """A resource is archived only as part of an archived parent."""

    def __init__(self, part: Resource, whole: Resource) -> None:
        """Name the archived resource to restore instead."""
        super().__init__(
            f"{part.title!r} left the README as part of {whole.title!r}; restore "
            f"{whole.title!r} to bring it back"
        )


def find_archived(curriculum: Curriculum, name: str) -> Resource:
    """Find an archived resource (one no longer in the README) as `find_resource` does.

    Only a resource archived itself is found: what is under it comes back with it.
    """
    found = _find_in_archive(curriculum, name)
    whole = next(root for root in curriculum.archived if any(r is found for r in root.walk()))
    if whole is not found:
        raise ArchivedPartError(found, whole)
    return found


def _find_in_archive(curriculum: Curriculum, name: str) -> Resource:
    return find_resource(Curriculum(curriculum.name, (Domain("", curriculum.archived),)), name)


def find_any_resource(curriculum: Curriculum, name: str) -> Resource:
    """Find a resource in the curriculum, else among the archived ones."""
    try:
        return find_resource(curriculum, name)
    except ResourceNotFoundError as missing:
        try:
            return _find_in_archive(curriculum, name)
        except ResourceNotFoundError:
            raise missing from None


def find_domain(curriculum: Curriculum, name: str) -> Domain:
    """Find a domain or sub-domain by exact name or an unambiguous prefix (any case)."""
    domains = list(curriculum.all_domains())
    found = _by_name(domains, name, lambda d: d.name, lambda d: d.name)
    if found is None:
        raise DomainNotFoundError(name, [d.name for d in domains], curriculum.name)
    return found


def _by_name(
    items: Sequence[_Named],
    name: str,
    key: Callable[[_Named], str],
    label: Callable[[_Named], str],
) -> _Named | None:
    """Return the item whose key equals the name, else the one it prefixes (any case)."""
    needle = name.strip().casefold()
    for matches in (
        [item for item in items if key(item).casefold() == needle],
        [item for item in items if key(item).casefold().startswith(needle)],
    ):
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise AmbiguousNameError(name, [label(item) for item in matches])
    return None


def domain_of(curriculum: Curriculum, resource: Resource) -> Domain:
    """Return the domain that holds a resource at any depth."""
    for domain in curriculum.all_domains():
        for top in domain.resources:
            if any(r is resource for r in top.walk()):
                return domain
    raise ResourceNotFoundError(resource.title, [], curriculum.name)


# --- Parsing user input ---------------------------------------------------------------------

_DURATION = re.compile(
    r"(?:(\d+(?:\.\d+)?)\s*h(?:ours?)?)?\s*(?:(\d+(?:\.\d+)?)\s*(?:m|min|mins|minutes)?)?",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"(\d+):([0-5]\d)")


def parse_hours(text: str) -> float:
    """Read hours as `1.5`, `1h30`, `1h30m`, `90m` or `1:30`, and insist they are positive.

    A minus sign is read too, so that "-5h" is refused as negative, not as no duration.
    """
    cleaned = text.strip()
    negative = cleaned.startswith("-")
    body = cleaned[1:].strip() if negative else cleaned
    hours: float | None = None
    clock = _CLOCK.fullmatch(body)
    duration = _DURATION.fullmatch(body)
    if clock:
        hours = int(clock.group(1)) + int(clock.group(2)) / 60
    elif re.fullmatch(r"\+?\d+(\.\d*)?|\+?\.\d+", body):
        hours = float(body)
    elif body and duration and (duration.group(1) or duration.group(2)):
        hours = float(duration.group(1) or 0) + float(duration.group(2) or 0) / 60
    if hours is None:
        raise InvalidValueError("hours", text, "is not a duration (try 1.5, 1h30 or 90m)")
    _check_hours("hours", -hours if negative else hours, allow_none=False)
    return hours


def parse_date(text: str, today: dt.date) -> dt.date:
    """Read `YYYY-MM-DD`, `today` or `yesterday`; dates in the future are refused."""
    words = {"today": today, "yesterday": today - dt.timedelta(days=1)}
    cleaned = text.strip().lower()
    try:
        day = words[cleaned] if cleaned in words else dt.date.fromisoformat(cleaned)
    except ValueError:
        raise InvalidValueError("date", text, "is not a date (use YYYY-MM-DD)") from None
    if day > today:
        raise InvalidValueError("date", text, "is in the future")
    return day


#: The link schemes a page may follow. Anything else (`javascript:`, `data:`, `file:`) can run
#: script or read local files when clicked, so it is neither accepted nor linked (issue 13).
SAFE_URL_SCHEMES = frozenset({"http", "https", "mailto"})
_URL_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
#: What a browser strips from both ends of a link before reading its scheme (C0 and space).
_URL_EDGES = "".join(map(chr, range(0x21)))


def is_safe_url(url: str | None) -> bool:
    """Whether a link is http, https, mailto or a relative path, read as a browser reads it.

    Browsers drop tabs and newlines anywhere in a URL and control characters at its ends, so
    a `javascript:` link with a tab inside or a space before it is refused all the same.
    """
    if url is None:
        return False
    cleaned = re.sub(r"[\t\n\r]", "", url).strip(_URL_EDGES)
    if not cleaned:
        return False
    scheme = _URL_SCHEME.match(cleaned)
    return scheme is None or scheme.group(1).lower() in SAFE_URL_SCHEMES


def check_url(url: str | None) -> None:
    """Refuse a link a page could not safely follow; None (no link) is fine."""
    if url is not None and not is_safe_url(url):
        raise InvalidValueError(
            "url", url, "is not allowed: a link must be http, https, mailto or a relative path"
        )


# --- Changes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SetStatus:
    """Give a stored resource a status and the dates that go with it."""

    resource_id: int
    status: Status
    started: dt.date | None
    finished: dt.date | None


@dataclass(frozen=True)
class AddTimeEntry:
    """Record hours spent on a stored resource."""

    resource_id: int
    entry: TimeEntry


@dataclass(frozen=True)
class EditTimeEntry:
    """Correct a logged entry: the day, hours and note it should have had."""

    entry_id: int
    entry: TimeEntry


@dataclass(frozen=True)
class RemoveTimeEntry:
    """Delete a logged entry made by mistake."""

    entry_id: int


@dataclass(frozen=True)
class SetParts:
    """Record how many of a stored resource's parts are done, of how many; None forgets it."""

    resource_id: int
    parts: Parts | None


@dataclass(frozen=True)
class SetEstimate:
    """Set a stored resource's own estimate of hours; None forgets it (the catalog's counts)."""

    resource_id: int
    hours: float | None


@dataclass(frozen=True)
class EditResource:
    """Change a stored resource's title, notes or link; None leaves a field as it is."""

    resource_id: int
    title: str | None = None
    notes: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class AppendNote:
    """Add a paragraph to a stored resource's notes, to the notes as stored when it lands.

    Not an `EditResource` of the notes read before: two writers appending at once (the CLI
    and the web UI, issue 20) would each write back what they read, and one note would be lost.
    """

    resource_id: int
    text: str


@dataclass(frozen=True)
class NewDomain:
    """A domain a change creates, unless its parent already has a domain of that name."""

    curriculum_id: int
    #: The parent domain: stored (an id), created by the same command, or None at the top.
    parent: int | NewDomain | None
    name: str


@dataclass(frozen=True)
class ItemKey:
    """The stored resource linked to a README item, perhaps added by the same command."""

    curriculum_id: int
    key: str


@dataclass(frozen=True)
class MoveResource:
    """Move a stored resource, with all under it, to the end of a domain or of a parent."""

    resource_id: int
    #: To the top level of this domain...
    domain: int | NewDomain | None = None
    #: ...or under this resource, in its domain.
    parent: int | ItemKey | None = None


@dataclass(frozen=True)
class AddResource:
    """Insert a new resource, with any children, at the end of a domain or parent."""

    domain_id: int | NewDomain
    parent_id: int | None
    resource: Resource
    #: README items for the resource and its descendants, in `walk()` order, if linked.
    links: tuple[LinkedItem | None, ...] = ()


@dataclass(frozen=True)
class LinkReadme:
    """Link a curriculum to its README file, or record the file's new digest."""

    curriculum_id: int
    path: str
    sha256: str
    autosync: bool


@dataclass(frozen=True)
class ExpectReadme:
    """Go on only if the README link is still as a sync read it.

    Two syncs at once would otherwise both take in the same new lines.
    """

    curriculum_id: int
    sha256: str


@dataclass(frozen=True)
class LinkItem:
    """Record how a stored resource appears in the linked README."""

    resource_id: int
    item: LinkedItem


@dataclass(frozen=True)
class TagSkills:
    """Add (or, with `remove`, take away) hand-tagged skills of a stored resource."""

    resource_id: int
    skill_ids: tuple[str, ...]
    remove: bool = False


@dataclass(frozen=True)
class ArchiveResource:
    """Take a stored resource out of the curriculum on a day, or (with None) bring it back.

    Archiving also forgets its README item, so that a restored resource is written back.
    """

    resource_id: int
    on: dt.date | None


@dataclass(frozen=True)
class RemoveResource:
    """Delete a stored resource with its children and time entries."""

    resource_id: int


Change = (
    SetStatus
    | SetParts
    | SetEstimate
    | AddTimeEntry
    | EditTimeEntry
    | RemoveTimeEntry
    | EditResource
    | AppendNote
    | AddResource
    | RemoveResource
    | ArchiveResource
    | MoveResource
    | ExpectReadme
    | LinkReadme
    | LinkItem
    | TagSkills
)


def stored_id(node: Node) -> int:
    """Return a resource's, domain's or curriculum's store id, refusing one never stored."""
    if node.id is None:
        name = node.title if isinstance(node, Resource) else node.name
        msg = f"{name!r} has not been stored"
        raise DiyMastersError(msg)
    return node.id


def status_changes(resource: Resource, status: Status, on: dt.date) -> list[SetStatus]:
    """Decide what setting a status means, dates included.

    Done cascades to the children still open, since finishing a specialisation finishes its
    courses; start, todo and drop touch only the resource itself.
    """
    if status is Status.DONE:
        return [_finish(each, on) for each in _open_subtree(resource)]
    if status is Status.IN_PROGRESS:
        started = resource.started or on
        return [SetStatus(stored_id(resource), status, started, None)]
    if status is Status.DROPPED:
        _check_order(resource.started, on)
        return [SetStatus(stored_id(resource), status, resource.started, on)]
    return [SetStatus(stored_id(resource), Status.TODO, None, None)]


#: How a status reads in a sentence.
_STATUS_WORDS = {
    Status.TODO: "to do",
    Status.IN_PROGRESS: "in progress",
    Status.DONE: "done",
    Status.DROPPED: "dropped",
}


def unchanged_status(
    resource: Resource, status: Status, changes: Sequence[SetStatus]
) -> str | None:
    """Why setting a status would change nothing the learner sees, or None when it would.

    A command that changes nothing must say so rather than print the same table back
    (issue 13). Either every change leaves the stored resource as it is, or the resource takes
    its status from its parts and keeps it, as a specialisation whose courses are all done
    stays done when started: then the changes are not worth applying.
    """
    before = rollup(resource).status
    stored = {each.id: (each.status, each.started, each.finished) for each in resource.walk()}
    same = all(stored.get(c.resource_id) == (c.status, c.started, c.finished) for c in changes)
    if same and before is status:
        still = "still" if status is Status.TODO else "already"
        return f"{resource.title!r} is {still} {_STATUS_WORDS[status]}"
    if before is not status and (same or rollup(_applied(resource, changes)).status is before):
        assert before is not None  # noqa: S101 (a resource's rollup has a status)
        return (
            f"{resource.title!r} takes its status from the parts under it and stays "
            f"{_STATUS_WORDS[before]}"
        )
    return None


def _applied(resource: Resource, changes: Sequence[SetStatus]) -> Resource:
    """The resource as it would be with the status changes made."""
    by_id = {change.resource_id: change for change in changes}

    def applied(node: Resource) -> Resource:
        children = tuple(applied(child) for child in node.children)
        change = by_id.get(node.id) if node.id is not None else None
        if change is None:
            return replace(node, children=children)
        return replace(
            node,
            status=change.status,
            started=change.started,
            finished=change.finished,
            children=children,
        )

    return applied(resource)


def _open_subtree(resource: Resource) -> Iterator[Resource]:
    yield resource
    for child in resource.children:
        if child.status in {Status.TODO, Status.IN_PROGRESS}:
            yield from _open_subtree(child)


def _finish(resource: Resource, on: dt.date) -> SetStatus:
    _check_order(resource.started, on)
    return SetStatus(stored_id(resource), Status.DONE, resource.started, on)


def _check_order(started: dt.date | None, finished: dt.date) -> None:
    if started and finished < started:
        raise InvalidValueError("date", finished.isoformat(), f"is before the start {started}")


_PARTS = re.compile(r"(\d+)(?:\s*(?:/|\bof\b)\s*(\d+))?", re.IGNORECASE)


def parse_parts(text: str) -> tuple[int, int | None]:
    """Read parts done as `4/5` or `4 of 5`, or `4` alone (of the parts in all counted before)."""
    found = _PARTS.fullmatch(text.strip())
    if found is None:
        raise InvalidValueError("parts", text, "is not a count of parts (try 4/5, or 4)")
    done, total = found.groups()
    return int(done), None if total is None else int(total)


def counted_parts(resource: Resource, done: int, total: int | None) -> Parts:
    """Parts done of the total given, or else of the total the resource already counts."""
    if total is not None:
        return Parts(done, total)
    if resource.parts is None:
        raise InvalidValueError(
            "parts", done, f"needs the parts in all: {resource.title!r} has no count yet (try 4/5)"
        )
    return Parts(done, resource.parts.total)


def parts_changes(resource: Resource, parts: Parts, on: dt.date) -> list[Change]:
    """Count parts done; a part done of something still to do starts it on that day."""
    changes: list[Change] = [SetParts(stored_id(resource), parts)]
    if resource.status is Status.TODO and parts.done > 0:
        changes.append(SetStatus(stored_id(resource), Status.IN_PROGRESS, on, None))
    return changes


def reset_parts(resource: Resource, status: Status) -> list[Change]:
    """Still to do means no part done, as the README reads it: "[ ] (2/5)" would read begun."""
    if status is Status.TODO and resource.parts is not None and resource.parts.done:
        return [SetParts(stored_id(resource), Parts(0, resource.parts.total))]
    return []


#: The most hours that can be logged on one day, every entry of that day together.
DAY_HOURS = 24.0
#: A day further than this before the learner's first entry is taken for a typo unless they
#: confirm it: backfilling old study is allowed, 1900 for 2026 is caught.
BACKFILL_WINDOW = dt.timedelta(days=365)


class TimeEntryNotFoundError(NotFoundError):
    """No logged entry has that id."""

    def __init__(self, entry_id: int) -> None:
        """Name the entry asked for."""
        super().__init__(f"no time entry #{entry_id}")


#: An estimate above this many hours is taken for a typo unless the learner confirms it: a
#: year of full-time study is about 2,000 hours, and no single resource is one.
PLAUSIBLE_ESTIMATE_HOURS = 2_000


class UnlikelyEstimateNeedsConfirmationError(DiyMastersError):
    """An estimate longer than a year of full-time study: a typo, unless they say it is not."""

    category = Category.NEEDS_CONFIRMATION

    def __init__(self, title: str, hours: float) -> None:
        """Say how long the estimate is."""
        super().__init__(
            f"{hours_said(hours)} h for {title!r} is more than a year of full-time study "
            f"({PLAUSIBLE_ESTIMATE_HOURS:,} h)"
        )


class OldDateNeedsConfirmationError(DiyMastersError):
    """A day long before the learner's first entry: a typo, unless they say it is not."""

    category = Category.NEEDS_CONFIRMATION

    def __init__(self, on: dt.date, first: dt.date) -> None:
        """Say how far back the day is."""
        super().__init__(
            f"{on.isoformat()} is more than a year before your first entry ({first.isoformat()})"
        )


def all_time_entries(curriculum: Curriculum) -> Iterator[tuple[Resource, TimeEntry]]:
    """Every logged entry with its resource, archived resources' included."""
    archived = (part for root in curriculum.archived for part in root.walk())
    for resource in (*curriculum.all_resources(), *archived):
        for entry in resource.time_entries:
            yield resource, entry


def find_time_entry(curriculum: Curriculum, entry_id: int) -> tuple[Resource, TimeEntry]:
    """A logged entry by its id, with the resource it was logged on."""
    for resource, entry in all_time_entries(curriculum):
        if entry.id == entry_id:
            return resource, entry
    raise TimeEntryNotFoundError(entry_id)


def check_entry(
    curriculum: Curriculum,
    entry: TimeEntry,
    *,
    replacing: int | None = None,
    confirmed: bool = False,
) -> None:
    """Refuse an entry no day can hold, and ask about a day long before the first entry.

    `replacing` is the id of the entry it corrects, which no longer counts.
    """
    others = [e for _, e in all_time_entries(curriculum) if e.id is None or e.id != replacing]
    day_total = entry.hours + sum(e.hours for e in others if e.on == entry.on)
    if day_total > DAY_HOURS + 1e-9:
        raise InvalidValueError(
            "hours",
            entry.hours,
            f"would make {hours_said(day_total)} h on {entry.on.isoformat()}; "
            f"at most {DAY_HOURS:g} h can be logged on one day",
        )
    first = min((e.on for e in others), default=None)
    if first is not None and entry.on < first - BACKFILL_WINDOW and not confirmed:
        raise OldDateNeedsConfirmationError(entry.on, first)


def log_changes(resource: Resource, entry: TimeEntry) -> list[Change]:
    """Record time; logging on something still to do starts it on that day."""
    changes: list[Change] = [AddTimeEntry(stored_id(resource), entry)]
    if resource.status is Status.TODO:
        changes.append(SetStatus(stored_id(resource), Status.IN_PROGRESS, entry.on, None))
    elif resource.started and entry.on < resource.started:
        changes.append(SetStatus(stored_id(resource), resource.status, entry.on, resource.finished))
    return changes
