"""The learner's masters: the operations the CLI and the web UI offer, over one store.

Each operation reads the curriculum, decides its changes with the model's rules, and hands
them to the store to apply in one transaction, so a failed command changes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diymasters import catalog, coverage, files, plan, readme, skills, upstream
from diymasters.model import (
    AddResource,
    ArchiveResource,
    Curriculum,
    DiyMastersError,
    Domain,
    EditResource,
    ExpectReadme,
    InvalidValueError,
    LinkReadme,
    ReadmeLink,
    RemoveResource,
    Resource,
    Rollup,
    Status,
    TagSkills,
    TimeEntry,
    check_url,
    domain_of,
    find_any_resource,
    find_archived,
    find_domain,
    find_resource,
    log_changes,
    rollup,
    status_changes,
    stored_id,
    unchanged_status,
)
from diymasters.postings import (
    DEFAULT_LIMITS,
    Limits,
    ReadReport,
    collapse_duplicates,
    read_path,
    read_stream,
    read_text,
    redact,
    role_of,
)
from diymasters.report import (
    AnalysedPosting,
    demand_report,
    highlighted,
    overview_report,
    progress_report,
    resource_report,
    resource_rollups,
    venn_report,
)
from diymasters.store import (
    FollowedUpstream,
    PlanNotFoundError,
    SavedPlan,
    SavedTarget,
    StoredPosting,
)
from diymasters.template import DEFAULT_TEMPLATE, load_template

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import BinaryIO

    from diymasters.postings import Posting
    from diymasters.store import Store


#: The name a plan is saved under unless another is given.
DEFAULT_PLAN = "plan"
#: Study hours a week when the learner gives none.
DEFAULT_HOURS_PER_WEEK = 8.0


class RemovalNeedsConfirmationError(DiyMastersError):
    """Removing a resource would also delete children or logged hours."""

    exit_code = 2

    def __init__(self, resource: Resource, children: int, hours: float) -> None:
        """Say what would be lost."""
        losses = []
        if children:
            losses.append(f"{children} resource{'s' if children > 1 else ''} under it")
        if hours:
            losses.append(f"{hours:g} h logged")
        super().__init__(
            f"removing {resource.title!r} also deletes {' and '.join(losses)}; pass --yes"
        )


class PlaceNeededError(DiyMastersError):
    """A new resource needs one place: a domain, or a resource to go under."""

    exit_code = 2

    def __init__(self, title: str, *, both: bool) -> None:
        """Say where the resource can go."""
        if both:
            super().__init__(f"{title!r} can go in a domain or under a resource, not both")
        else:
            super().__init__(f"{title!r} needs a place: give a domain or a resource to go under")


class EmptyNoteError(DiyMastersError):
    """A note to add has no text."""

    exit_code = 2

    def __init__(self) -> None:
        """Say that nothing was added."""
        super().__init__("the note is empty; nothing was added")


class ReadmeNotLinkedError(DiyMastersError):
    """The curriculum has no README to sync with."""

    exit_code = 2

    def __init__(self, name: str) -> None:
        """Say how to link one."""
        super().__init__(f"{name!r} has no linked README; run `diymasters import PATH` first")


class NotOurFileError(DiyMastersError):
    """A file the tool would replace was not written by it."""

    exit_code = 2

    def __init__(self, path: Path) -> None:
        """Say why nothing was written."""
        super().__init__(f"{path} exists and is not a plan calendar; give another file name")


class NotFollowingError(DiyMastersError):
    """The README follows no upstream yet."""

    exit_code = 2

    def __init__(self) -> None:
        """Say how to follow one."""
        super().__init__("the README follows no upstream; run `diymasters follow PATH` first")


class NoDemandError(DiyMastersError):
    """There is nothing to measure coverage against."""

    exit_code = 2

    def __init__(self, role: str | None) -> None:
        """Say how to give the tool some demand."""
        what = f"no stored postings for the role {role!r}" if role else "no stored postings"
        super().__init__(f"{what}; give --posting FILE or --corpus PATH")


class PostingWithoutSkillsError(DiyMastersError):
    """A posting names no skill the taxonomy knows, so there is no demand to measure."""

    exit_code = 2

    def __init__(self) -> None:
        """Say that nothing can be compared or planned, rather than report 0% of nothing."""
        super().__init__(
            "the posting names no skills diymasters knows; nothing to compare or plan against"
        )


class Masters:
    """A learner's curricula in a store, with the operations on them."""

    def __init__(
        self,
        store: Store,
        curriculum: str | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        """Work on the named curriculum, or the newest (last created or imported) when none is."""
        self.store = store
        self.curriculum_name = curriculum
        self.today = today

    def curriculum(self) -> Curriculum:
        """Load the curriculum being worked on."""
        return self.store.load(self.curriculum_name)

    def init(
        self, template: str = DEFAULT_TEMPLATE, name: str | None = None, *, if_empty: bool = False
    ) -> Curriculum | None:
        """Create a curriculum from a template; with `if_empty`, only into an empty store."""
        loaded = load_template(template)
        if if_empty and self.store.curriculum_names():
            return None
        if name is not None:
            loaded = Curriculum(name=name, description=loaded.description, domains=loaded.domains)
        return self.store.create(loaded)

    def status(self) -> dict[str, Any]:
        """The progress report of the curriculum."""
        return progress_report(self.curriculum())

    def show(self, name: str) -> dict[str, Any]:
        """One resource in full, with its time entries."""
        return resource_report(find_any_resource(self.curriculum(), name))

    def set_status(self, name: str, status: Status, on: dt.date | None = None) -> dict[str, Any]:
        """Start, finish, drop or reset a resource; sync the README when autosync is on.

        A command that would change nothing changes nothing and says why, in `unchanged`.
        """
        resource = find_resource(self.curriculum(), name)
        changes = status_changes(resource, status, self._status_day(resource, status, on))
        unchanged = unchanged_status(resource, status, changes)
        if unchanged is not None:
            # Autosync still runs: a run killed before it wrote the file catches up here.
            return self._with_autosync(self._unchanged(resource, unchanged))
        self.store.apply(changes)
        return self._with_autosync(self.show(f"#{resource.id}"))

    def _status_day(self, resource: Resource, status: Status, on: dt.date | None) -> dt.date:
        """The day a status takes effect.

        Without a date, marking a resource done (or dropped) again keeps the day it was first
        marked, so that the second `done` is the no-op it looks like.
        """
        if on is None and resource.status is status and resource.finished is not None:
            return resource.finished
        return self._day(on)

    def log(
        self, name: str, hours: float, on: dt.date | None = None, note: str = ""
    ) -> dict[str, Any]:
        """Record hours spent on a resource."""
        resource = find_resource(self.curriculum(), name)
        entry = TimeEntry(on=self._day(on), hours=hours, note=note.strip())
        self.store.apply(log_changes(resource, entry))
        return self._with_autosync(self.show(f"#{resource.id}"))

    def note(self, name: str, text: str, *, replace: bool = False) -> dict[str, Any]:
        """Append a paragraph to a resource's notes, or replace them (with "", clear them)."""
        resource = find_resource(self.curriculum(), name)
        text = text.strip()
        if not text and not replace:
            raise EmptyNoteError
        notes = text if replace or not resource.notes else f"{resource.notes}\n\n{text}"
        if notes == resource.notes:
            had = "already has these notes" if notes else "has no notes to clear"
            return self._unchanged(resource, f"{resource.title!r} {had}")
        self.store.apply([EditResource(stored_id(resource), notes=notes)])
        return self.show(f"#{resource.id}")

    def rename(self, name: str, title: str) -> dict[str, Any]:
        """Give a resource a new title."""
        resource = find_resource(self.curriculum(), name)
        if not title.strip():
            raise InvalidValueError("title", title, "must not be empty")
        if title.strip() == resource.title:
            return self._unchanged(resource, f"{resource.title!r} already has that title")
        self.store.apply([EditResource(stored_id(resource), title=title.strip())])
        return self.show(f"#{resource.id}")

    def restore(self, name: str) -> dict[str, Any]:
        """Bring back an archived resource; the next sync writes it into the README again."""
        curriculum = self.curriculum()
        resource = find_archived(curriculum, name)
        self.store.apply([ArchiveResource(stored_id(resource), None)])
        entry = self._with_autosync(self.show(f"#{resource.id}"))
        if self._readme_link(curriculum) is not None:
            preview = entry.get("readme") or self.sync(dry_run=True)
            if resource.title in preview.get("unwritten", ()):
                entry["unwritten"] = (
                    f"{resource.title!r} counts in progress again, but its domain has no "
                    "section in the README, so a sync cannot write it back"
                )
        return entry

    def remove(self, name: str, *, confirmed: bool = False) -> Resource:
        """Delete a resource, archived or not; one with children or hours needs confirmation."""
        resource = find_any_resource(self.curriculum(), name)
        children = sum(1 for _ in resource.walk()) - 1
        hours = sum(entry.hours for r in resource.walk() for entry in r.time_entries)
        if (children or hours) and not confirmed:
            raise RemovalNeedsConfirmationError(resource, children, hours)
        self.store.apply([RemoveResource(stored_id(resource))])
        return resource

    def add(
        self, resource: Resource, domain: str | None = None, under: str | None = None
    ) -> dict[str, Any]:
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
        return self._with_autosync(self.show(f"#{added}"))

    # --- The README round trip --------------------------------------------------------------

    def import_readme(self, path: Path, name: str | None = None) -> dict[str, Any]:
        """Create a curriculum from a README and link it to the file."""
        data = files.read_bytes(path)
        document = readme.parse_readme(data, str(path))
        curriculum, keys = readme.to_curriculum(document, name)
        location = str(path.resolve())
        stored = self.store.create(curriculum, readme=(location, files.sha256(data)), keys=keys)
        return {
            "curriculum": stored.name,
            "path": location,
            "domains": sum(1 for _ in stored.all_domains()),
            "resources": len(keys),
            "checkboxes": sum(1 for item in document.items() if item.marker is not None),
            "conventions": dict(document.conventions),
        }

    def sync(self, *, dry_run: bool = False, add_checkboxes: bool = False) -> dict[str, Any]:
        """Write progress to the linked README and take in the user's edits to it."""
        curriculum = self.curriculum()
        link = self._link(curriculum)
        path = Path(link.path)
        data = files.read_bytes(path)
        digest = files.sha256(data)
        document = readme.parse_readme(data, link.path)
        plan = readme.plan_sync(
            document, curriculum, link, self.today(), add_checkboxes=add_checkboxes
        )
        if plan.conflicts:
            raise readme.ReadmeConflictError(plan.conflicts)
        text = document.edited(plan.statuses, plan.insertions)
        result = {
            "path": link.path,
            "edited_since_last_sync": digest != link.sha256,
            "written": False,
            "dry_run": dry_run,
            "to_file": plan.to_file,
            "from_file": plan.from_file,
            "added_from_file": plan.added_from_file,
            "archived": plan.archived,
            "added_domains": plan.added_domains,
            "added_resources": plan.added_resources,
            "unwritten": plan.unwritten,
            "notes": plan.notes,
            "diff": files.unified_diff(document.text, text, path.name),
        }
        if dry_run:
            return result
        new_data = document.encoding.encode(text)
        if new_data != data:
            files.write_atomically(path, new_data, digest)
            result["written"] = True
        after = readme.parse_text(text, link.path, document.encoding)
        assert curriculum.id is not None  # noqa: S101 (loaded from the store)
        # Resources added from the file carry their links in their own AddResource change.
        self.store.apply(
            [
                ExpectReadme(curriculum.id, link.sha256),
                *plan.changes,
                *readme.link_changes(document, after, plan, link),
                LinkReadme(curriculum.id, link.path, files.sha256(new_data), link.autosync),
            ]
        )
        return result

    def set_autosync(self, *, enabled: bool) -> dict[str, Any]:
        """Turn on (or off) writing the README after every status change."""
        curriculum = self.curriculum()
        link = self._link(curriculum)
        assert curriculum.id is not None  # noqa: S101 (loaded from the store)
        self.store.apply([LinkReadme(curriculum.id, link.path, link.sha256, enabled)])
        return {"path": link.path, "autosync": enabled, "changed": link.autosync != enabled}

    # --- Following a curated README upstream ----------------------------------------------

    def follow(
        self, location: Path, ref: str | None = None, base: str | None = None
    ) -> dict[str, Any]:
        """Record where the linked README came from, and the upstream version it is based on.

        `base` is a file or (for a git upstream) a commit holding the upstream text the copy
        started from. Without it, the copy itself with every box emptied stands in: right when
        only boxes were ticked, and after the first merge the base is exact.
        """
        curriculum = self.curriculum()
        link = self._link(curriculum)
        source = str(location.resolve())
        current = upstream.read_upstream(source, ref)  # fail now if it cannot be read
        if base is None:
            base_text = upstream.unticked(files.decode(files.read_bytes(Path(link.path)))[0])
            based_on = "your README with its boxes emptied"
        elif Path(base).is_file():
            base_text, based_on = upstream.read_upstream(str(Path(base).resolve())), base
        else:
            base_text, based_on = upstream.read_upstream(source, base), f"{source} at {base}"
        self.store.save_upstream(
            _curriculum_id(curriculum),
            FollowedUpstream(
                source, ref, base_text, dt.datetime.now(dt.UTC).replace(microsecond=0)
            ),
        )
        changes = upstream.diff(base_text, current)
        return {"upstream": source, "ref": ref, "based_on": based_on, "changes": len(changes)}

    def upstream_diff(self) -> dict[str, Any]:
        """What the curators changed since the version the README is based on."""
        followed = self._followed()
        current = upstream.read_upstream(followed.location, followed.ref)
        return {
            "upstream": followed.location,
            "ref": followed.ref,
            "changes": [dataclasses.asdict(c) for c in upstream.diff(followed.base, current)],
        }

    def upstream_merge(
        self,
        *,
        dry_run: bool = False,
        take: upstream.Take | None = None,
        choices: dict[int, upstream.Take] | None = None,
    ) -> dict[str, Any]:
        """Apply upstream's changes to the README, keeping every mark and edit of yours.

        Conflicts stop the merge before anything is written, unless `take` chooses a side for
        all of them or `choices` one for each, by the line of yours where it starts.
        The merged file is written only if it is still the file that was read; then the
        curriculum takes in its new and removed items, and upstream's text becomes the base.
        """
        curriculum = self.curriculum()
        link, followed = self._link(curriculum), self._followed()
        path = Path(link.path)
        data = files.read_bytes(path)
        mine, encoding = files.decode(data, link.path)
        current = upstream.read_upstream(followed.location, followed.ref)
        merged = upstream.merge(followed.base, mine, current, take, choices)
        if merged.conflicts:
            raise upstream.MergeConflictError(merged.conflicts)
        result = {
            "path": link.path,
            "upstream": followed.location,
            "dry_run": dry_run,
            "written": False,
            "changes": [dataclasses.asdict(c) for c in merged.changes],
            "marks_kept": merged.marks_kept,
            "marks_on_surviving": merged.marks_on_surviving,
            "marks_on_unboxed": list(merged.marks_on_unboxed),
            "marks_on_removed": list(merged.marks_on_removed),
            "diff": files.unified_diff(mine, merged.text, path.name),
        }
        if dry_run:
            return result
        if merged.text != mine:
            files.write_atomically(path, encoding.encode(merged.text), files.sha256(data))
            result["written"] = True
        self.store.save_upstream(
            _curriculum_id(curriculum),
            dataclasses.replace(
                followed, base=current, updated=dt.datetime.now(dt.UTC).replace(microsecond=0)
            ),
        )
        result["sync"] = {k: v for k, v in self.sync().items() if k != "diff"}
        return result

    def _followed(self) -> FollowedUpstream:
        followed = self.store.load_upstream(_curriculum_id(self.curriculum()))
        if followed is None:
            raise NotFollowingError
        return followed

    # --- Skills in job postings ---------------------------------------------------------------

    def analyse_corpus(
        self,
        path: Path,
        *,
        column: str | None = None,
        title_column: str | None = None,
        date_column: str | None = None,
        role: str | None = None,
        top: int = 30,
        tagger: bool = False,
        on_total: Callable[[int], None] | None = None,
        on_progress: Callable[[int], None] | None = None,
        limits: Limits = DEFAULT_LIMITS,
    ) -> dict[str, Any]:
        """Import postings into the store and report the demand for skills across them."""
        read = ReadReport()
        postings = list(
            read_path(
                path,
                column=column,
                title_column=title_column,
                date_column=date_column,
                report=read,
                limits=limits,
            )
        )
        kept, collapsed = collapse_duplicates(postings)
        if on_total:
            on_total(len(kept))
        found = skills.extract_many([p.text for p in kept], on_progress=on_progress, tagger=tagger)
        stored = [_stored(posting, finding) for posting, finding in zip(kept, found, strict=True)]
        new = self.store.save_postings(stored)
        analysed = [
            AnalysedPosting(s.role, s.posted, s.skills)
            for s in stored
            if role is None or s.role == role
        ]
        report = demand_report(analysed, skills.load_taxonomy(), top=top)
        return {
            "read": len(postings),
            "collapsed": collapsed,
            "new_in_store": new,
            "in_store": self.store.posting_count(),
            "role_filter": role,
            "columns": read.columns,
            "skipped_files": read.skipped,
            **report,
        }

    def demand(
        self,
        *,
        posting: str | None = None,
        corpus: Path | None = None,
        role: str | None = None,
        target: str | None = None,
        limits: Limits = DEFAULT_LIMITS,
    ) -> coverage.Demand:
        """What to measure against: a posting, postings (imported first), or a saved target.

        A posting that names no known skill is refused: a 0% gap report or a plan for it
        would answer a question nobody asked (issue 13).
        """
        if target is not None:
            saved = self.store.load_target(target)
            return coverage.Demand(saved.weights, saved.evidence, f"target {saved.name!r}")
        if posting is not None:
            demand = coverage.posting_demand(posting)
            if not demand.weights:
                raise PostingWithoutSkillsError
            return demand
        if corpus is not None:
            self.analyse_corpus(corpus, limits=limits)
        shares = self.store.skill_shares(role)
        if not shares:
            raise NoDemandError(role)
        return coverage.share_demand(shares, f"postings ({role or 'all roles'})")

    def save_target(self, name: str, demand: coverage.Demand) -> dict[str, Any]:
        """Keep a demand under a name, to measure against later."""
        self.store.save_target(
            SavedTarget(name, demand.source, dict(demand.weights), dict(demand.evidence))
        )
        return {"name": name, "source": demand.source, "skills": len(demand.weights)}

    def gaps(
        self,
        *,
        posting: str | None = None,
        corpus: Path | None = None,
        role: str | None = None,
        target: str | None = None,
        limits: Limits = DEFAULT_LIMITS,
    ) -> dict[str, Any]:
        """Coverage of job demand by the curriculum, its gaps, and what would close them.

        Demand comes from one posting's text, a corpus of postings (imported into the store
        first, within `limits`), or a saved target; with none of them, from the postings the
        store holds.
        """
        demand = self.demand(
            posting=posting, corpus=corpus, role=role, target=target, limits=limits
        )
        entries = catalog.load_catalog()
        supply = coverage.curriculum_supply(self.curriculum(), entries)
        report = coverage.coverage_report(demand, supply, entries, skills.load_taxonomy())
        for gap in report["gaps"]:
            if gap["evidence"] is None:
                gap["evidence"] = self._posting_evidence(gap["id"], role)
        return report

    # --- Plans ---------------------------------------------------------------------------------

    def plan(
        self,
        *,
        posting: str | None = None,
        corpus: Path | None = None,
        role: str | None = None,
        target: str | None = None,
        options: plan.PlanOptions | None = None,
        known: list[str] | None = None,
        calendar: plan.StudyCalendar | None = None,
        start: dt.date | None = None,
        name: str = DEFAULT_PLAN,
        save: bool = True,
        ics: Path | None = None,
        limits: Limits = DEFAULT_LIMITS,
    ) -> dict[str, Any]:
        """Choose, order and schedule what to study next, and save it under a name.

        Demand comes as for `gaps`; with none given, from the target saved last, or else
        from the skills the catalog teaches in the curriculum's own domains. With `ics`, the
        schedule is also written as a calendar file (checked first, so a refusal saves nothing).
        """
        if ics is not None:
            _check_ics_target(ics)
        curriculum = self.curriculum()
        entries = catalog.load_catalog()
        taxonomy = skills.load_taxonomy()
        demand = self._plan_demand(
            curriculum, posting=posting, corpus=corpus, role=role, target=target, limits=limits
        )
        known_ids = frozenset(taxonomy.get(skill).id for skill in known or ())
        options = dataclasses.replace(options or plan.PlanOptions(), known=known_ids)
        supply = coverage.curriculum_supply(curriculum, entries)
        selection = plan.select(demand, supply, entries, options)
        tasks = [*_committed_tasks(curriculum, selection.assumed_hours), *plan.order(selection)]
        calendar = calendar or plan.StudyCalendar.weekly(DEFAULT_HOURS_PER_WEEK)
        start = start or self.today()
        items = plan.schedule(tasks, calendar, start)
        report = plan.plan_report(selection, items, taxonomy, calendar=calendar, start=start)
        report = {
            "name": name,
            "saved": save,
            "curriculum": curriculum.name,
            "demand_source": demand.source,
            **report,
        }
        if save:
            inputs = {
                "demand": {"source": demand.source, "weights": dict(demand.weights)},
                "options": _options_json(options),
                "calendar": calendar.to_json(),
                "start": start.isoformat(),
            }
            created = dt.datetime.now(dt.UTC).replace(microsecond=0)
            self.store.save_plan(
                _curriculum_id(curriculum), SavedPlan(name, created, inputs, report)
            )
        if ics is not None:
            report["ics"] = self._write_ics(ics, report, dt.datetime.now(dt.UTC))
        return report

    def _plan_demand(
        self,
        curriculum: Curriculum,
        *,
        posting: str | None,
        corpus: Path | None,
        role: str | None,
        target: str | None,
        limits: Limits,
    ) -> coverage.Demand:
        if posting is not None or corpus is not None or role is not None or target is not None:
            return self.demand(
                posting=posting, corpus=corpus, role=role, target=target, limits=limits
            )
        newest = self.store.newest_target_name()
        if newest is not None:
            return self.demand(target=newest)
        return coverage.domain_demand(curriculum, catalog.load_catalog(), skills.load_taxonomy())

    def saved_plan(self, name: str = DEFAULT_PLAN) -> SavedPlan:
        """A plan saved for the curriculum."""
        return self.store.load_plan(_curriculum_id(self.curriculum()), name)

    def plan_progress(self, name: str = DEFAULT_PLAN) -> dict[str, Any]:
        """How the saved plan is going, from the hours logged on its items."""
        curriculum = self.curriculum()
        saved = self.store.load_plan(_curriculum_id(curriculum), name)
        return _progress(saved, curriculum, rollup(curriculum), self.today())

    def adopt_plan(self, name: str = DEFAULT_PLAN) -> dict[str, Any]:
        """Add a saved plan's resources to the curriculum, each in the domain its skills are in.

        What the curriculum already has is left alone, and a specialisation taken whole comes
        with its courses; once added, the hours logged on them count in `progress`.
        """
        saved = self.saved_plan(name)
        curriculum = self.curriculum()
        entries = catalog.load_catalog()
        have = {m.entry.id for m in catalog.match_curriculum(entries, curriculum).values()}
        taxonomy = skills.load_taxonomy()
        changes: list[AddResource] = []
        added, skipped = [], []
        for key in dict.fromkeys(i["part_of"] or i["id"] for i in saved.report["items"]):
            entry = entries.entries.get(key)
            if entry is None or {e.id for e in entry.walk()} & have:
                continue
            home = _home_domain(curriculum, entry, taxonomy)
            if home is None or home.id is None:
                skipped.append(entry.title)
                continue
            changes.append(AddResource(home.id, None, _resource_from(entry)))
            added.append({"title": entry.title, "domain": home.name})
        self.store.apply(changes)
        return {"plan": saved.name, "added": added, "no_domain": skipped}

    def plan_ics(self, path: Path, name: str = DEFAULT_PLAN) -> dict[str, Any]:
        """Write a saved plan as an iCalendar file, never over a file this tool did not write."""
        saved = self.saved_plan(name)
        return self._write_ics(path, saved.report, saved.created)

    @staticmethod
    def _write_ics(path: Path, report: dict[str, Any], stamp: dt.datetime) -> dict[str, Any]:
        _check_ics_target(path)
        files.replace_atomically(path, plan.plan_ics(report, stamp.replace(microsecond=0)))
        return {"path": str(path), "events": len(report["items"])}

    def _posting_evidence(self, skill_id: str, role: str | None) -> str | None:
        """A sentence from a stored posting asking for the skill; personal details hidden."""
        text = self.store.posting_naming(skill_id, role)
        if text is None:
            return None
        mention = next((m for m in skills.extract(text) if m.skill.id == skill_id), None)
        return redact(" ".join(mention.evidence(text).split())) if mention else None

    def tag(self, name: str, skill_names: list[str], *, remove: bool = False) -> dict[str, Any]:
        """Tag a resource with skills it teaches (by taxonomy id or name), or untag it."""
        resource = find_resource(self.curriculum(), name)
        taxonomy = skills.load_taxonomy()
        ids = tuple(dict.fromkeys(taxonomy.get(skill).id for skill in skill_names))
        if remove and not set(ids) & set(resource.skills):
            return self._unchanged(resource, f"{resource.title!r} has none of those tags")
        if not remove and set(ids) <= set(resource.skills):
            return self._unchanged(resource, f"{resource.title!r} already has those tags")
        self.store.apply([TagSkills(stored_id(resource), ids, remove=remove)])
        return self.show(f"#{resource.id}")

    def catalog_matches(self) -> list[dict[str, Any]]:
        """Each resource of the curriculum with the catalog entry it is, if any."""
        curriculum = self.curriculum()
        found = catalog.match_curriculum(catalog.load_catalog(), curriculum)
        return [
            {
                "resource": resource.title,
                "resource_id": resource.id,
                "entry": found[resource.id].entry.id if resource.id in found else None,
                "entry_title": found[resource.id].entry.title if resource.id in found else None,
                "by": found[resource.id].by if resource.id in found else None,
                "score": found[resource.id].score if resource.id in found else None,
            }
            for resource in curriculum.all_resources()
        ]

    # --- What the web UI shows -----------------------------------------------------------------

    def overview(self, plan_name: str = DEFAULT_PLAN) -> dict[str, Any]:
        """Progress, this week's and all hours, the projected finish and recent activity."""
        curriculum = self.curriculum()
        top = rollup(curriculum)
        try:
            saved = self.store.load_plan(_curriculum_id(curriculum), plan_name)
        except PlanNotFoundError:
            progress = None
        else:
            progress = _progress(saved, curriculum, top, self.today())
        return overview_report(curriculum, self.today(), progress, top=top)

    def venn(self) -> dict[str, Any]:
        """The curriculum's domains as regions and where each resource sits among them."""
        curriculum = self.curriculum()
        entries = catalog.load_catalog()
        taxonomy = skills.load_taxonomy()
        matches = catalog.match_curriculum(entries, curriculum)
        skill_domains: dict[int, list[str]] = {}
        for resource in curriculum.all_resources():
            if resource.id is None:
                continue
            match = matches.get(resource.id)
            taught = dict.fromkeys(
                (*resource.skills, *(catalog.teaches(match.entry) if match else ()))
            )
            skill_domains[resource.id] = [
                domain for skill in taught for domain in _skill_domains(taxonomy, skill)
            ]
        return venn_report(curriculum, skill_domains)

    def analyse_posting(self, text: str) -> dict[str, Any]:
        """One pasted posting: its skills marked in its text, and the curriculum's coverage."""
        posting = read_text(text)
        mentions = _mentions(posting.text, tagger=False)
        return {
            "text": posting.text,
            "segments": highlighted(posting.text, mentions),
            "mentions": mentions,
            "coverage": self.gaps(posting=posting.text),
        }

    def stored_demand(self, role: str | None = None, top: int = 30) -> dict[str, Any]:
        """The demand for skills across the postings in the store (of one role, if given)."""
        analysed = [AnalysedPosting(*row) for row in self.store.analysed_postings(role)]
        return {"role_filter": role, **demand_report(analysed, skills.load_taxonomy(), top=top)}

    def readme_path(self) -> str | None:
        """The README the curriculum is linked to, if any."""
        link = self._readme_link(self.curriculum())
        return link.path if link else None

    def plan_calendar(self, name: str = DEFAULT_PLAN) -> bytes:
        """A saved plan as the bytes of an iCalendar file, for a download."""
        saved = self.saved_plan(name)
        return plan.plan_ics(saved.report, saved.created)

    def _readme_link(self, curriculum: Curriculum) -> ReadmeLink | None:
        return self.store.readme_link(curriculum.id) if curriculum.id is not None else None

    def _link(self, curriculum: Curriculum) -> ReadmeLink:
        link = self._readme_link(curriculum)
        if link is None:
            raise ReadmeNotLinkedError(curriculum.name)
        return link

    def _unchanged(self, resource: Resource, why: str) -> dict[str, Any]:
        """The resource as it stands, with why the command changed nothing (issue 13)."""
        entry = self.show(f"#{resource.id}")
        entry["unchanged"] = f"{why}; nothing changed"
        return entry

    def _with_autosync(self, entry: dict[str, Any]) -> dict[str, Any]:
        link = self._readme_link(self.curriculum())
        if link is None or not link.autosync:
            return entry
        try:
            entry["readme"] = self.sync()
        except DiyMastersError as error:
            entry["readme"] = {"error": str(error)}
        return entry

    def _day(self, on: dt.date | None) -> dt.date:
        today = self.today()
        if on is None:
            return today
        if on > today:
            raise InvalidValueError("date", on.isoformat(), "is in the future")
        return on


def _home_domain(
    curriculum: Curriculum, entry: catalog.Entry, taxonomy: skills.Taxonomy
) -> Domain | None:
    """The curriculum domain most of an entry's skills belong to, if it has one of them."""
    domains = {d.name.casefold(): d for d in curriculum.all_domains()}
    votes: dict[str, int] = {}
    for skill in catalog.teaches(entry):
        for name in _skill_domains(taxonomy, skill):
            if name.casefold() in domains:
                votes[name.casefold()] = votes.get(name.casefold(), 0) + 1
    return domains[max(votes, key=lambda n: (votes[n], n))] if votes else None


def _skill_domains(taxonomy: skills.Taxonomy, skill: str) -> tuple[str, ...]:
    found = taxonomy.skills.get(skill)
    return found.domains if found else ()


def _resource_from(entry: catalog.Entry) -> Resource:
    return Resource(
        title=entry.title,
        kind=entry.kind,
        url=entry.url,
        provider=entry.provider,
        estimated_hours=entry.hours,
        cost=entry.cost,
        source=entry.source,
        children=tuple(_resource_from(child) for child in entry.children),
    )


def _check_ics_target(path: Path) -> None:
    """Refuse to replace a file this tool did not write."""
    if path.is_dir() or (path.exists() and not plan.is_plan_ics(files.read_bytes(path))):
        raise NotOurFileError(path)


def _curriculum_id(curriculum: Curriculum) -> int:
    if curriculum.id is None:
        raise DiyMastersError("the curriculum is not in the store")
    return curriculum.id


def _committed_tasks(curriculum: Curriculum, assumed_hours: float) -> list[plan.Task]:
    """What is under way in the curriculum, with the hours it still needs: studied first."""
    tasks = []
    for resource in curriculum.all_resources():
        summary = rollup(resource)
        if summary.status is not Status.IN_PROGRESS or resource.children:
            continue
        estimate = resource.estimated_hours
        left = (estimate if estimate is not None else assumed_hours) - summary.hours_logged
        if left > 0:
            tasks.append(
                plan.Task(
                    key=f"resource:{resource.id}",
                    title=resource.title,
                    url=resource.url,
                    hours=left,
                    hours_stated=estimate is not None,
                    cost=0.0,
                    committed=True,
                )
            )
    return tasks


def _progress(
    saved: SavedPlan, curriculum: Curriculum, top: Rollup, today: dt.date
) -> dict[str, Any]:
    """How a saved plan is going; `top` is the curriculum's rollup, computed once per page."""
    studied = _studied(top, catalog.match_curriculum(catalog.load_catalog(), curriculum))
    progress = plan.plan_progress(saved.report, studied, today)
    return {"name": saved.name, "created": saved.created.isoformat(), **progress}


def _studied(top: Rollup, matches: dict[int, catalog.Match]) -> dict[str, float]:
    """Hours spent on each plan item's key: logged hours, or all of them once done."""
    studied: dict[str, float] = {}
    for summary in resource_rollups(top):
        resource = summary.node
        assert isinstance(resource, Resource)  # noqa: S101 (resource_rollups yields only them)
        hours = math.inf if summary.status is Status.DONE else summary.hours_logged
        keys = [f"resource:{resource.id}"]
        if resource.id in matches:
            keys.append(matches[resource.id].entry.id)
        for key in keys:
            studied[key] = max(studied.get(key, 0.0), hours)
    return studied


def _options_json(options: plan.PlanOptions) -> dict[str, Any]:
    return {
        key: sorted(value) if isinstance(value, frozenset) else value
        for key, value in dataclasses.asdict(options).items()
    }


def _stored(posting: Posting, finding: skills.Findings) -> StoredPosting:
    return StoredPosting(
        content_hash=posting.content_hash,
        source=posting.source,
        title=posting.title,
        role=role_of(posting.title),
        posted=posting.posted,
        text=posting.text,
        skills=finding,
    )


def extract_postings(
    source: Path | BinaryIO,
    column: str | None = None,
    *,
    tagger: bool = True,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[tuple[Posting, list[dict[str, Any]]]]:
    """The skills of each posting in a file or folder, or of the one posting on a stream.

    Postings are read and extracted one at a time, so that a file of many can be printed as
    it is read rather than held whole.
    """
    if isinstance(source, Path):
        postings = read_path(source, column=column, limits=limits)
    else:
        postings = iter([read_stream(source, limits=limits)])
    for posting in postings:
        yield posting, _mentions(posting.text, tagger=tagger)


def _mentions(text: str, *, tagger: bool) -> list[dict[str, Any]]:
    return [
        skills.mention_json(mention) | {"evidence": redact(mention.evidence(text))}
        for mention in skills.extract(text, tagger=tagger)
    ]
