"""Plans: what to study next, chosen, ordered and scheduled, then saved, followed and adopted.

A plan is made against a demand (as the gaps report's, or else the target saved last, or the
skills the catalog teaches in the curriculum's own domains) and saved under a name with the
inputs it was made from. A saved plan reports its progress from the hours logged, adds its
resources to the curriculum, and is written as an iCalendar file, never over a file this tool
did not write.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from diymasters import catalog, coverage, files, plan, skills
from diymasters.config import load_config
from diymasters.errors import InvalidInputError
from diymasters.masters.base import SILENT, ExtractionProgress, Part
from diymasters.model import AddResource, rollup, stored_id
from diymasters.plan import (
    AdoptedResource,
    CalendarWritten,
    PlanAdopted,
    PlanInputs,
    PlanProgress,
    PlanRecord,
    PlanReport,
)
from diymasters.postings import DEFAULT_LIMITS, Limits
from diymasters.store import PlanNotFoundError, SavedPlan

if TYPE_CHECKING:
    from pathlib import Path

    from diymasters.model import Curriculum, Rollup


#: The name a plan is saved under unless another is given.
DEFAULT_PLAN = "plan"


class NotOurFileError(InvalidInputError):
    """A file the tool would replace was not written by it."""

    def __init__(self, path: Path) -> None:
        """Say why nothing was written."""
        super().__init__(f"{path} exists and is not a plan calendar; give another file name")


class PlansPart(Part):
    """Plans made for the curriculum, saved under names, and what becomes of them."""

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
        pace: bool | None = None,
        ics_at: dt.time | None = None,
        progress: ExtractionProgress = SILENT,
    ) -> PlanReport:
        """Choose, order and schedule what to study next, and save it under a name.

        Demand comes as for `gaps`; with none given, from the target saved last, or else
        from the skills the catalog teaches in the curriculum's own domains. With `ics`, the
        schedule is also written as a calendar file (checked first, so a refusal saves nothing),
        its events timed from `ics_at` when given, else all-day. With `pace` (by default, the
        configuration's `own_pace`), the hours still to do are scaled by the learner's
        observed pace once it is known (`plan.observed_pace`).
        """
        if ics is not None:
            _check_ics_target(ics)
        curriculum = self.curriculum()
        entries = catalog.load_catalog()
        taxonomy = skills.load_taxonomy()
        demand = self._plan_demand(
            curriculum,
            posting=posting,
            corpus=corpus,
            role=role,
            target=target,
            limits=limits,
            progress=progress,
        )
        known_ids = frozenset(taxonomy.get(skill).id for skill in known or ())
        options = dataclasses.replace(options or plan.PlanOptions(), known=known_ids)
        supply = coverage.curriculum_supply(curriculum, entries)
        selection = plan.select(demand, supply, entries, options)
        observed = plan.observed_pace(curriculum, entries)
        use_pace = load_config().own_pace if pace is None else pace
        ratio = observed.ratio if use_pace and observed.ratio is not None else 1.0
        ordered = plan.order(selection)
        tasks = [
            *plan.committed_tasks(curriculum, entries, ratio),
            *(plan.at_pace(ordered, ratio) if ratio != 1.0 else ordered),
        ]
        calendar = calendar or plan.StudyCalendar.weekly(load_config().hours_per_week)
        start = start or self.today()
        items = plan.schedule(tasks, calendar, start)
        report = plan.plan_report(
            selection,
            items,
            taxonomy,
            calendar=calendar,
            start=start,
            name=name,
            saved=save,
            curriculum=curriculum.name,
            demand_source=demand.source,
            pace=dataclasses.replace(observed, applied=ratio != 1.0),
        )
        previous = self._previous_version(curriculum, name)
        if previous is not None:
            report = dataclasses.replace(
                report, cancelled=plan.dropped_sessions(previous.report, report)
            )
        # One moment for the saved plan and its calendar, so that both name the same revision.
        created = dt.datetime.now(dt.UTC).replace(microsecond=0)
        if save:
            before = plan.studied_before(report, _studied(curriculum, rollup(curriculum)))
            inputs = PlanInputs(demand.source, demand.weights, options, calendar, start, before)
            self.store.save_plan(
                stored_id(curriculum),
                SavedPlan(name, created, inputs.to_json(), report.to_json()),
            )
        if ics is not None:
            written = self._write_ics(ics, report, created, ics_at)
            report = dataclasses.replace(report, ics=written)
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
        progress: ExtractionProgress,
    ) -> coverage.Demand:
        if posting is not None or corpus is not None or role is not None or target is not None:
            return self.demand(
                posting=posting,
                corpus=corpus,
                role=role,
                target=target,
                limits=limits,
                progress=progress,
            )
        newest = self.store.newest_target_name()
        if newest is not None:
            return self.demand(target=newest)
        return coverage.domain_demand(curriculum, catalog.load_catalog(), skills.load_taxonomy())

    def _previous_version(self, curriculum: Curriculum, name: str) -> PlanRecord | None:
        """The plan saved under this name before, whose calendar days a new one may drop."""
        try:
            return self._saved_plan(curriculum, name)
        except PlanNotFoundError:
            return None

    def saved_plan(self, name: str = DEFAULT_PLAN) -> PlanRecord:
        """A plan saved for the curriculum."""
        return self._saved_plan(self.curriculum(), name)

    def _saved_plan(self, curriculum: Curriculum, name: str) -> PlanRecord:
        saved = self.store.load_plan(stored_id(curriculum), name)
        return PlanRecord(
            name=saved.name,
            created=saved.created,
            inputs=PlanInputs.from_json(saved.inputs),
            report=PlanReport.from_json(saved.report),
        )

    def plan_progress(
        self, name: str = DEFAULT_PLAN, ics: Path | None = None, ics_at: dt.time | None = None
    ) -> PlanProgress:
        """How the saved plan is going, from the hours logged on its items.

        With `ics`, the saved plan is also written there as an iCalendar file.
        """
        curriculum = self.curriculum()
        saved = self._saved_plan(curriculum, name)
        progress = progress_of(saved, curriculum, rollup(curriculum), self.today())
        if ics is None:
            return progress
        written = self._write_ics(ics, saved.report, saved.created, ics_at)
        return dataclasses.replace(progress, ics=written)

    def adopt_plan(self, name: str = DEFAULT_PLAN) -> PlanAdopted:
        """Add a saved plan's resources to the curriculum, each in the domain its skills are in.

        What the curriculum already has is left alone, and a specialisation taken whole comes
        with its courses; once added, the hours logged on them count in `progress`.
        """
        curriculum = self.curriculum()
        saved = self._saved_plan(curriculum, name)
        changes: list[AddResource] = []
        added, skipped = [], []
        for entry, home in plan.to_adopt(
            saved.report, catalog.load_catalog(), curriculum, skills.load_taxonomy()
        ):
            if home is None or home.id is None:
                skipped.append(entry.title)
                continue
            changes.append(AddResource(home.id, None, catalog.as_resource(entry)))
            added.append(AdoptedResource(entry.title, home.name))
        self.store.apply(changes)
        return PlanAdopted(saved.name, tuple(added), tuple(skipped))

    def plan_ics(
        self, path: Path, name: str = DEFAULT_PLAN, at: dt.time | None = None
    ) -> CalendarWritten:
        """Write a saved plan as an iCalendar file, never over a file this tool did not write."""
        saved = self.saved_plan(name)
        return self._write_ics(path, saved.report, saved.created, at)

    def plan_calendar(self, name: str = DEFAULT_PLAN, at: dt.time | None = None) -> bytes:
        """A saved plan as the bytes of an iCalendar file, for a download."""
        saved = self.saved_plan(name)
        return plan.plan_ics(saved.report, saved.created, at)

    @staticmethod
    def _write_ics(
        path: Path, report: PlanReport, stamp: dt.datetime, at: dt.time | None
    ) -> CalendarWritten:
        _check_ics_target(path)
        files.replace_atomically(path, plan.plan_ics(report, stamp.replace(microsecond=0), at))
        return CalendarWritten(path, len(plan.study_sessions(report)))


def progress_of(
    saved: PlanRecord, curriculum: Curriculum, top: Rollup, today: dt.date
) -> PlanProgress:
    """How a saved plan is going; `top` is the curriculum's rollup, computed once per page."""
    return plan.plan_progress(saved, _studied(curriculum, top), today)


def _studied(curriculum: Curriculum, top: Rollup) -> dict[str, float]:
    matches = catalog.match_curriculum(catalog.load_catalog(), curriculum)
    return plan.hours_studied(top, matches)


def _check_ics_target(path: Path) -> None:
    """Refuse to replace a file this tool did not write."""
    if path.is_dir() or (path.exists() and not plan.is_plan_ics(files.read_bytes(path))):
        raise NotOurFileError(path)
