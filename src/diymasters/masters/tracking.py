"""Tracking: the curriculum and its resources, their status, hours, notes, titles and tags.

Each command reads the curriculum, decides its changes with the model's rules, and hands them
to the store to apply in one transaction, so a failed command changes nothing. A command that
would change nothing says why; one that changes a status or hours syncs the README after it
when autosync is on, and a failed sync is reported beside the change, which still stands.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from diymasters import skills
from diymasters.errors import Category, DiyMastersError, InvalidInputError
from diymasters.masters.base import Part
from diymasters.model import (
    PLAUSIBLE_ESTIMATE_HOURS,
    AddResource,
    AmbiguousNameError,
    AppendNote,
    ArchiveResource,
    Change,
    Curriculum,
    EditResource,
    EditTimeEntry,
    InvalidValueError,
    MoveResource,
    RemoveResource,
    RemoveTimeEntry,
    Resource,
    SetEstimate,
    SetStatus,
    Status,
    TagSkills,
    TimeEntry,
    UnlikelyEstimateNeedsConfirmationError,
    check_entry,
    check_url,
    counted_parts,
    domain_of,
    find_any_resource,
    find_archived,
    find_domain,
    find_resource,
    find_time_entry,
    hours_said,
    log_changes,
    parts_changes,
    reset_parts,
    status_changes,
    stored_id,
    unchanged_status,
)
from diymasters.readme import SyncReport, SyncSummary
from diymasters.serialise import OMIT_WHEN_NONE, fields_of
from diymasters.template import DEFAULT_TEMPLATE, load_template
from diymasters.tracking import (
    EntryLine,
    OverallProgress,
    ProgressReport,
    ResourceReport,
    entry_lines,
    progress_report,
    resource_report,
)

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator

    from diymasters.model import Domain


@dataclass(frozen=True)
class ResourceRemoved:
    """A resource deleted for good: its title, and the id it had."""

    removed: str
    id: int | None


@dataclass(frozen=True)
class ResourceChanged(ResourceReport):
    """A resource as a command left it, and what else the command has to say."""

    #: Why the command changed nothing, when it did not.
    unchanged: str | None = field(default=None, metadata=OMIT_WHEN_NONE)
    #: The README sync that autosync ran after the change (or its error).
    readme: SyncReport | AutosyncFailed | None = field(default=None, metadata=OMIT_WHEN_NONE)
    #: Why a restored resource cannot be written back to the README.
    unwritten: str | None = field(default=None, metadata=OMIT_WHEN_NONE)

    @classmethod
    def of(cls, report: ResourceReport, unchanged: str | None = None) -> ResourceChanged:
        """The report of a resource, as the result of a command."""
        values = fields_of(report, ResourceReport)
        return cls(**values, unchanged=unchanged)


@dataclass(frozen=True)
class AutosyncFailed:
    """Why the README sync that autosync ran after a change failed; the change still stands."""

    error: str


@dataclass(frozen=True)
class CurriculumView(ProgressReport):
    """The progress report and the README the curriculum is linked to (None if none)."""

    readme: str | None


@dataclass(frozen=True)
class Place:
    """A domain a resource can go in, as a form offers it: its name, and how deep it sits."""

    name: str
    depth: int


@dataclass(frozen=True)
class ResourceView(ResourceReport):
    """One resource as its page shows it: its report, where it sits, and its entries' ids."""

    #: The domain it is in (None when it is archived).
    domain: str | None = None
    #: Its logged entries and its parts', with the ids that edit or remove them.
    entries: tuple[EntryLine, ...] = ()
    #: The domains it can be moved to.
    places: tuple[Place, ...] = ()


@dataclass(frozen=True)
class CurriculumCreated:
    """A curriculum created from a template, in use from now on."""

    curriculum: str
    domains: int
    resources: int
    #: The curriculum in use before, which the new one replaced (None in an empty store).
    previous: str | None


@dataclass(frozen=True)
class CurriculumChosen:
    """The curriculum every later command works on, and the one it replaced."""

    curriculum: str
    #: The curriculum in use before (the same one when it was in use already).
    previous: str | None


@dataclass(frozen=True)
class CurriculumLine:
    """One stored curriculum as the list of curricula shows it."""

    name: str
    #: Whether commands work on it: chosen last (or named for this command).
    in_use: bool
    #: Resources counted in its progress (archived ones are not).
    resources: int
    #: Its progress, with the hours and the resources by status it comes from.
    overall: OverallProgress
    #: The README it is linked to, if any.
    readme: str | None


@dataclass(frozen=True)
class CurriculaReport:
    """Every stored curriculum, oldest first, and the one in use."""

    #: The curriculum in use (None when the store holds none).
    curriculum: str | None
    curricula: tuple[CurriculumLine, ...]


class RemovalNeedsConfirmationError(DiyMastersError):
    """Removing a resource would also delete children or logged hours."""

    category = Category.NEEDS_CONFIRMATION

    def __init__(self, resource: Resource, children: int, hours: float) -> None:
        """Say what would be lost."""
        losses = []
        if children:
            losses.append(f"{children} resource{'s' if children > 1 else ''} under it")
        if hours:
            losses.append(f"{hours_said(hours)} h logged")
        super().__init__(f"removing {resource.title!r} also deletes {' and '.join(losses)}")


class PlaceNeededError(InvalidInputError):
    """A new resource needs one place: a domain, or a resource to go under."""

    def __init__(self, title: str, *, both: bool) -> None:
        """Say where the resource can go."""
        if both:
            super().__init__(f"{title!r} can go in a domain or under a resource, not both")
        else:
            super().__init__(f"{title!r} needs a place: give a domain or a resource to go under")


class EmptyNoteError(InvalidInputError):
    """A note to add has no text."""

    def __init__(self) -> None:
        """Say that nothing was added."""
        super().__init__("the note is empty; nothing was added")


def _places(curriculum: Curriculum) -> tuple[Place, ...]:
    def walk(domain: Domain, depth: int) -> Iterator[Place]:
        yield Place(domain.name, depth)
        for sub in domain.domains:
            yield from walk(sub, depth + 1)

    return tuple(place for top in curriculum.domains for place in walk(top, 0))


class TrackingPart(Part):
    """The curricula in the store, and the commands that change a resource."""

    def init(
        self, template: str = DEFAULT_TEMPLATE, name: str | None = None, *, if_empty: bool = False
    ) -> CurriculumCreated | None:
        """Create a curriculum from a template and use it; `if_empty`: only in an empty store."""
        loaded = load_template(template)
        if if_empty and self.store.curriculum_names():
            return None
        if name is not None:
            loaded = Curriculum(name=name, description=loaded.description, domains=loaded.domains)
        created, previous = self._create(loaded, f"the template {template!r}")
        return CurriculumCreated(
            curriculum=created.name,
            domains=len(created.domains),
            resources=sum(1 for _ in created.all_resources()),
            previous=previous,
        )

    def use(self, name: str) -> CurriculumChosen:
        """Choose the curriculum every later command works on: by name or a prefix, any case."""
        previous = self.store.in_use()
        chosen = self.store.choose(self._curriculum_named(name))
        # The choice outlasts a curriculum named when this object was made (the web's switcher).
        self.curriculum_name = None
        return CurriculumChosen(curriculum=chosen, previous=previous)

    def _curriculum_named(self, name: str) -> str:
        """The stored name `name` means: itself in any case, else the one name it begins.

        A name that begins several is refused with them listed; one that begins none is left
        for the store to refuse, listing the names it knows.
        """
        names = self.store.curriculum_names()
        wanted = name.strip().casefold()
        if any(known.casefold() == wanted for known in names):
            return name
        begun = [known for known in names if known.casefold().startswith(wanted)]
        if len(begun) > 1:
            raise AmbiguousNameError(name, begun)
        return begun[0] if begun else name

    def curricula(self) -> CurriculaReport:
        """Every stored curriculum with its progress and README, and which one is in use."""
        in_use = self.in_use()
        lines = tuple(
            self._curriculum_line(self._load(name), in_use=name == in_use)
            for name in self.store.curriculum_names()
        )
        return CurriculaReport(curriculum=in_use, curricula=lines)

    def _curriculum_line(self, curriculum: Curriculum, *, in_use: bool) -> CurriculumLine:
        link = self._readme_link(curriculum)
        return CurriculumLine(
            name=curriculum.name,
            in_use=in_use,
            resources=sum(1 for _ in curriculum.all_resources()),
            overall=progress_report(curriculum).overall,
            readme=link.path if link else None,
        )

    def status(self) -> ProgressReport:
        """The progress report of the curriculum."""
        return progress_report(self.curriculum())

    @property
    def location(self) -> str:
        """Where the store is: a SQLite file's path, or a database URL without its password."""
        return self.store.location

    def curriculum_names(self) -> list[str]:
        """The names of the curricula in the store."""
        return self.store.curriculum_names()

    def curriculum_view(self) -> CurriculumView:
        """The progress report with the README it is linked to, as the curriculum page shows."""
        report = self.status()
        values = fields_of(report, ProgressReport)
        return CurriculumView(**values, readme=self.readme_path())

    def resource_view(self, name: str) -> ResourceView:
        """One resource with where it sits and its entries, as the resource page shows it."""
        curriculum = self.curriculum()
        resource = find_any_resource(curriculum, name)
        home = None if resource.archived else domain_of(curriculum, resource).name
        report = fields_of(resource_report(resource), ResourceReport)
        return ResourceView(
            # The entries below carry their ids; the report's own list would repeat them.
            **{**report, "time_entries": None},
            domain=home,
            entries=entry_lines(curriculum, resource),
            places=_places(curriculum),
        )

    def places(self) -> tuple[Place, ...]:
        """The domains and sub-domains a resource can be added or moved to, in reading order."""
        return _places(self.curriculum())

    def show(self, name: str) -> ResourceReport:
        """One resource in full, with its time entries."""
        return resource_report(find_any_resource(self.curriculum(), name))

    def set_status(self, name: str, status: Status, on: dt.date | None = None) -> ResourceChanged:
        """Start, finish, drop or reset a resource; sync the README when autosync is on.

        A command that would change nothing changes nothing and says why, in `unchanged`.
        """
        resource = find_resource(self.curriculum(), name)
        changes = status_changes(resource, status, self._status_day(resource, status, on))
        unchanged = unchanged_status(resource, status, changes)
        if unchanged is not None:
            # Autosync still runs: a run killed before it wrote the file catches up here.
            return self._with_autosync(self._unchanged(resource, unchanged))
        self.store.apply([*changes, *reset_parts(resource, status)])
        return self._with_autosync(self._changed(resource))

    def _status_day(self, resource: Resource, status: Status, on: dt.date | None) -> dt.date:
        """The day a status takes effect.

        Without a date, marking a resource done (or dropped) again keeps the day it was first
        marked, so that the second `done` is the no-op it looks like.
        """
        if on is None and resource.status is status and resource.finished is not None:
            return resource.finished
        return self._day(on)

    def log(
        self,
        name: str,
        hours: float,
        on: dt.date | None = None,
        note: str = "",
        *,
        confirmed: bool = False,
    ) -> ResourceChanged:
        """Record hours spent on a resource, within what a day holds.

        A day long before the first entry needs `confirmed`: backfilling is allowed, a typo
        in the year is caught.
        """
        curriculum = self.curriculum()
        resource = find_resource(curriculum, name)
        entry = TimeEntry(on=self._day(on), hours=hours, note=note.strip())
        check_entry(curriculum, entry, confirmed=confirmed)
        self.store.apply(log_changes(resource, entry))
        return self._with_autosync(self._changed(resource))

    def parts(self, name: str, done: int, total: int | None = None) -> ResourceChanged:
        """Count a resource's parts done, of `total` or of the total it counts already.

        Its progress reads done over total until it is marked done; the README's count
        ("(3/5)") follows on the next sync, in the file's own form.
        """
        resource = find_resource(self.curriculum(), name)
        parts = counted_parts(resource, done, total)
        if parts == resource.parts:
            return self._with_autosync(
                self._unchanged(resource, f"{resource.title!r} already counts {parts}")
            )
        self.store.apply(parts_changes(resource, parts, self._day(None)))
        return self._with_autosync(self._changed(resource))

    def entries(self, name: str | None = None) -> tuple[EntryLine, ...]:
        """The logged entries of one resource (its parts' included), or all, oldest first."""
        curriculum = self.curriculum()
        resource = find_any_resource(curriculum, name) if name is not None else None
        return entry_lines(curriculum, resource)

    def edit_entry(
        self,
        entry_id: int,
        *,
        hours: float | None = None,
        on: dt.date | None = None,
        note: str | None = None,
        confirmed: bool = False,
    ) -> ResourceChanged:
        """Correct a logged entry's hours, day or note; what is not given stays."""
        curriculum = self.curriculum()
        resource, entry = find_time_entry(curriculum, entry_id)
        corrected = TimeEntry(
            on=entry.on if on is None else self._day(on),
            hours=entry.hours if hours is None else hours,
            note=entry.note if note is None else note.strip(),
            id=entry.id,
        )
        if corrected == entry:
            return self._unchanged(resource, f"entry #{entry_id} already reads so")
        check_entry(curriculum, corrected, replacing=entry_id, confirmed=confirmed)
        changes: list[Change] = [EditTimeEntry(entry_id, corrected)]
        if resource.started and corrected.on < resource.started:
            # Study on an earlier day than the start says: the start moves back, as `log` does.
            changes.append(
                SetStatus(stored_id(resource), resource.status, corrected.on, resource.finished)
            )
        self.store.apply(changes)
        return self._changed(resource)

    def remove_entry(self, entry_id: int) -> ResourceChanged:
        """Delete an entry logged by mistake."""
        resource, _ = find_time_entry(self.curriculum(), entry_id)
        self.store.apply([RemoveTimeEntry(entry_id)])
        return self._changed(resource)

    def note(self, name: str, text: str, *, replace: bool = False) -> ResourceChanged:
        """Append a paragraph to a resource's notes, or replace them (with "", clear them)."""
        resource = find_resource(self.curriculum(), name)
        text = text.strip()
        if not text and not replace:
            raise EmptyNoteError
        if not replace:
            self.store.apply([AppendNote(stored_id(resource), text)])
            return self._changed(resource)
        if text == resource.notes:
            had = "already has these notes" if text else "has no notes to clear"
            return self._unchanged(resource, f"{resource.title!r} {had}")
        self.store.apply([EditResource(stored_id(resource), notes=text)])
        return self._changed(resource)

    def rename(self, name: str, title: str) -> ResourceChanged:
        """Give a resource a new title."""
        resource = find_resource(self.curriculum(), name)
        if not title.strip():
            raise InvalidValueError("title", title, "must not be empty")
        if title.strip() == resource.title:
            return self._unchanged(resource, f"{resource.title!r} already has that title")
        self.store.apply([EditResource(stored_id(resource), title=title.strip())])
        return self._changed(resource)

    def estimate(
        self, name: str, hours: float | None, *, confirmed: bool = False
    ) -> ResourceChanged:
        """Set a resource's own estimate of hours; None forgets it, for the catalog's figure.

        An estimate longer than a year of full-time study needs `confirmed`: 100,000 h typed
        for 100 made every share of the masters read 0%.
        """
        resource = find_resource(self.curriculum(), name)
        if hours is not None and (not math.isfinite(hours) or hours <= 0):
            raise InvalidValueError("estimate", hours, "must be a positive number of hours")
        own = find_resource(self.store.load(self.curriculum_name), f"#{resource.id}")
        if own.estimated_hours == hours:
            said = (
                "no estimate of its own"
                if hours is None
                else f"that estimate ({hours_said(hours)} h)"
            )
            return self._unchanged(resource, f"{resource.title!r} already has {said}")
        if hours is not None and hours > PLAUSIBLE_ESTIMATE_HOURS and not confirmed:
            raise UnlikelyEstimateNeedsConfirmationError(resource.title, hours)
        self.store.apply([SetEstimate(stored_id(resource), hours)])
        return self._with_autosync(self._changed(resource))

    def restore(self, name: str) -> ResourceChanged:
        """Bring back an archived resource; the next sync writes it into the README again."""
        curriculum = self.curriculum()
        resource = find_archived(curriculum, name)
        self.store.apply([ArchiveResource(stored_id(resource), None)])
        entry = self._with_autosync(self._changed(resource))
        if self._readme_link(curriculum) is not None:
            preview = entry.readme or self.sync(dry_run=True)
            if isinstance(preview, SyncSummary) and resource.title in preview.unwritten:
                entry = dataclasses.replace(
                    entry,
                    unwritten=(
                        f"{resource.title!r} counts in progress again, but its domain has no "
                        "section in the README, so a sync cannot write it back"
                    ),
                )
        return entry

    def remove(self, name: str, *, confirmed: bool = False) -> ResourceRemoved:
        """Delete a resource, archived or not; one with children or hours needs confirmation."""
        resource = find_any_resource(self.curriculum(), name)
        children = sum(1 for _ in resource.walk()) - 1
        hours = sum(entry.hours for r in resource.walk() for entry in r.time_entries)
        if (children or hours) and not confirmed:
            raise RemovalNeedsConfirmationError(resource, children, hours)
        self.store.apply([RemoveResource(stored_id(resource))])
        return ResourceRemoved(resource.title, resource.id)

    def move(
        self, name: str, domain: str | None = None, under: str | None = None
    ) -> ResourceChanged:
        """Move a resource, with all under it, to the end of a domain or under another resource."""
        curriculum = self.curriculum()
        resource = find_resource(curriculum, name)
        if (domain is None) == (under is None):
            raise PlaceNeededError(resource.title, both=domain is not None)
        if under is not None:
            parent = find_resource(curriculum, under)
            change = MoveResource(stored_id(resource), parent=stored_id(parent))
            there = any(child is resource for child in parent.children)
            where = f"under {parent.title!r}"
        else:
            assert domain is not None  # noqa: S101 (checked above)
            home = find_domain(curriculum, domain)
            change = MoveResource(stored_id(resource), domain=stored_id(home))
            there = any(top is resource for top in home.resources)
            where = f"in {home.name!r}"
        if there:
            return self._unchanged(resource, f"{resource.title!r} is already {where}")
        self.store.apply([change])
        return self._with_autosync(self._changed(resource))

    def add(
        self, resource: Resource, domain: str | None = None, under: str | None = None
    ) -> ResourceChanged:
        """Add a resource to a domain, or under another resource (a course of a specialisation)."""
        if (domain is None) == (under is None):
            raise PlaceNeededError(resource.title, both=domain is not None)
        for each in resource.walk():
            check_url(each.url)
        curriculum = self.curriculum()
        if under is not None:
            parent = find_resource(curriculum, under)
            home, parent_id = domain_of(curriculum, parent), parent.id
        else:
            assert domain is not None  # noqa: S101 (checked above)
            home, parent_id = find_domain(curriculum, domain), None
        if home.id is None:
            msg = f"domain {home.name!r} has not been stored"
            raise DiyMastersError(msg)
        (added,) = self.store.apply([AddResource(home.id, parent_id, resource)])
        return self._with_autosync(ResourceChanged.of(self.show(f"#{added}")))

    def tag(self, name: str, skill_names: list[str], *, remove: bool = False) -> ResourceChanged:
        """Tag a resource with skills it teaches (by taxonomy id or name), or untag it."""
        resource = find_resource(self.curriculum(), name)
        taxonomy = skills.load_taxonomy()
        ids = tuple(dict.fromkeys(taxonomy.get(skill).id for skill in skill_names))
        if remove and not set(ids) & set(resource.skills):
            return self._unchanged(resource, f"{resource.title!r} has none of those tags")
        if not remove and set(ids) <= set(resource.skills):
            return self._unchanged(resource, f"{resource.title!r} already has those tags")
        self.store.apply([TagSkills(stored_id(resource), ids, remove=remove)])
        return self._changed(resource)

    def _changed(self, resource: Resource) -> ResourceChanged:
        """The resource as a command left it."""
        return ResourceChanged.of(self.show(f"#{resource.id}"))

    def _unchanged(self, resource: Resource, why: str) -> ResourceChanged:
        """The resource as it stands, with why the command changed nothing (issue 13)."""
        return ResourceChanged.of(self.show(f"#{resource.id}"), unchanged=f"{why}; nothing changed")

    def _with_autosync(self, entry: ResourceChanged) -> ResourceChanged:
        synced = self._autosync()
        return entry if synced is None else dataclasses.replace(entry, readme=synced)

    def _autosync(self) -> SyncReport | AutosyncFailed | None:
        link = self._readme_link(self.curriculum())
        if link is None or not link.autosync:
            return None
        try:
            return self.sync()
        except DiyMastersError as error:
            return AutosyncFailed(str(error))
