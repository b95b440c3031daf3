"""What every part of the facade needs, and the few operations one part calls on another.

`Part` holds the store, the name of the curriculum worked on and the clock, with the rules
every part uses: loading the curriculum, the day a command takes effect, and the README the
curriculum is linked to. The operations one part calls on another (tracking's autosync calls
the readme part's `sync`, plans call demand's `demand`, views read a saved plan, the study
timer and the progress import sync through tracking's autosync, publishing reads the pages'
reports) are declared here as abstract methods with their types, so each part type-checks on
its own and `Masters` cannot be built without them.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Self, TypeVar, cast

from diymasters import catalog
from diymasters.errors import InvalidInputError
from diymasters.model import InvalidValueError, with_estimates
from diymasters.postings import DEFAULT_LIMITS

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable, Sequence
    from pathlib import Path

    from diymasters import coverage
    from diymasters.masters.tracking import AutosyncFailed, ResourceChanged
    from diymasters.model import Curriculum, ReadmeLink
    from diymasters.plan import PlanRecord
    from diymasters.postings import Limits
    from diymasters.readme import SyncReport
    from diymasters.store import Store
    from diymasters.tracking import ProgressReport
    from diymasters.views import OverviewReport, PlanView, VennReport


T = TypeVar("T")


@dataclass(frozen=True)
class ExtractionProgress:
    """Where a corpus import says how far it is: the postings to read, then each one read.

    Finding the skills of 10,000 new postings takes a minute: a frontend shows a bar.
    """

    on_total: Callable[[int], None] | None = None
    on_progress: Callable[[int], None] | None = None


#: No one is told.
SILENT = ExtractionProgress()


class EmptyCurriculumError(InvalidInputError):
    """A curriculum to create holds no resource: there would be nothing to track (issue 15)."""

    def __init__(self, source: str, reads: str | None = None) -> None:
        """Name the source, what is read from it, and that nothing was stored."""
        read = f" ({reads})" if reads else ""
        super().__init__(f"{source} holds no resources to track{read}; nothing was stored")


class Part(ABC):
    """The state and the rules every part of `Masters` shares, over one store."""

    #: Where the curricula are kept.
    store: Store
    #: The curriculum worked on, or None for the one in use (chosen last, else the newest).
    curriculum_name: str | None
    #: The clock: what day it is.
    today: Callable[[], dt.date]
    #: The clock: what moment it is, in UTC (a study session's start and end).
    now: Callable[[], dt.datetime]

    def __init__(
        self,
        store: Store,
        curriculum: str | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        """Work on the named curriculum, or the one in use when none is named."""
        self.store = store
        self.curriculum_name = curriculum
        self.today = today
        self.now = now

    #: The curriculum the store gave last, and the same with the catalog's estimates lent.
    _estimated: tuple[Curriculum, Curriculum] | None = None

    def curriculum(self) -> Curriculum:
        """Load the curriculum being worked on, the catalog's hours where the learner has none.

        A resource matched to a catalog entry that states hours takes them (and says so) at
        read time, so a better figure, or the learner's own, takes over without a migration.
        """
        return self._load(self.curriculum_name)

    def _load(self, name: str | None) -> Curriculum:
        """Load a curriculum by name (None: the one in use) with the catalog's hours lent."""
        stored = self.store.load(name)
        if self._estimated is None or self._estimated[0] is not stored:
            lent = catalog.estimates(catalog.load_catalog(), stored)
            self._estimated = (stored, with_estimates(stored, lent))
        return self._estimated[1]

    #: Reports computed from the store, by what was asked, with the store's data version.
    _reports: tuple[int, dict[Hashable, object]] | None = None

    def _as_of_store(self, key: Hashable, compute: Callable[[], T]) -> T:
        """What `compute` gives for `key`, computed once for each state of the store.

        The web UI draws the demand across 10,000 stored postings on two pages, a second and
        a half each visit (issue 18). A store that cannot say when it changes (a database
        server) is asked afresh every time.
        """
        version = self.store.data_version()
        if version is None:
            return compute()
        if self._reports is None or self._reports[0] != version:
            self._reports = (version, {})
        kept = self._reports[1]
        if key not in kept:
            kept[key] = compute()
        return cast("T", kept[key])

    #: Results computed from the stored postings alone, by what was asked, with the postings'
    #: version; and the store's data version that version was last read at.
    _postings_reports: tuple[Hashable, dict[Hashable, object]] | None = None
    _postings_read_at: int | None = None

    def _as_of_postings(self, key: Hashable, compute: Callable[[], T]) -> T:
        """What `compute` gives for `key`, computed once for each state of the stored postings.

        Logging an hour changes the store but not its postings: the demand across 10,000 of
        them was counted again after every edit, a second before the page could be drawn
        (issue 18). The postings' own version is read only when the store has changed.
        """
        version = self.store.data_version()
        if version is None:
            return compute()
        if self._postings_read_at != version or self._postings_reports is None:
            postings = self.store.postings_version()
            if self._postings_reports is None or self._postings_reports[0] != postings:
                self._postings_reports = (postings, {})
            self._postings_read_at = version
        kept = self._postings_reports[1]
        if key not in kept:
            kept[key] = compute()
        return cast("T", kept[key])

    def reopened(self) -> Self:
        """The same masters over new connections to its store (see `Store.reopened`)."""
        return type(self)(self.store.reopened(), self.curriculum_name, self.today, self.now)

    def follow_in_use(self) -> None:
        """Work on the curriculum in use from now on, as after `use` (made elsewhere)."""
        self.curriculum_name = None

    def data_version(self) -> int | None:
        """A number that changes whenever anything is committed to the store, by any process.

        None when the store cannot say (a database server). The web UI keeps pages by it.
        """
        return self.store.data_version()

    def in_use(self) -> str | None:
        """The name of the curriculum worked on; None when the store holds none."""
        return self.store.in_use(self.curriculum_name)

    def _create(
        self,
        curriculum: Curriculum,
        source: str,
        readme: tuple[str, str] | None = None,
        keys: Sequence[str] = (),
        reads: str | None = None,
    ) -> tuple[Curriculum, str | None]:
        """Store a new curriculum, which is in use from now on, with the one in use before.

        One without a resource is refused, saying what is `reads` from its source: it would
        only hide the one in use (issue 15).
        """
        if next(curriculum.all_resources(), None) is None:
            raise EmptyCurriculumError(source, reads)
        previous = self.store.in_use()
        stored = self.store.create(curriculum, readme, keys)
        self.curriculum_name = None
        return stored, previous

    def _readme_link(self, curriculum: Curriculum) -> ReadmeLink | None:
        return self.store.readme_link(curriculum.id) if curriculum.id is not None else None

    def _day(self, on: dt.date | None) -> dt.date:
        today = self.today()
        if on is None:
            return today
        if on > today:
            raise InvalidValueError("date", on.isoformat(), "is in the future")
        return on

    # --- What one part calls on another ----------------------------------------------------

    @abstractmethod
    def sync(self, *, dry_run: bool = False, add_checkboxes: bool = False) -> SyncReport:
        """Write progress to the linked README and take in the user's edits (the readme part)."""

    @abstractmethod
    def readme_path(self) -> str | None:
        """The README the curriculum is linked to, if any (the readme part)."""

    @abstractmethod
    def demand(
        self,
        *,
        posting: str | None = None,
        corpus: Path | None = None,
        role: str | None = None,
        target: str | None = None,
        limits: Limits = DEFAULT_LIMITS,
        progress: ExtractionProgress = SILENT,
    ) -> coverage.Demand:
        """What to measure against (the demand part)."""

    @abstractmethod
    def _with_autosync(self, entry: ResourceChanged) -> ResourceChanged:
        """Sync the README after a change when autosync is on (the tracking part)."""

    @abstractmethod
    def _autosync(self) -> SyncReport | AutosyncFailed | None:
        """Sync the README when autosync is on; None when it is off (the tracking part)."""

    @abstractmethod
    def _saved_plan(self, curriculum: Curriculum, name: str) -> PlanRecord:
        """A plan saved for the curriculum (the plans part)."""

    @abstractmethod
    def status(self) -> ProgressReport:
        """The progress report of the curriculum (the tracking part)."""

    @abstractmethod
    def overview(self) -> OverviewReport:
        """The overview page's report (the views part)."""

    @abstractmethod
    def plan_view(self) -> PlanView:
        """The plan page's report: the saved plan and how it is going (the views part)."""

    @abstractmethod
    def venn(self) -> VennReport:
        """The domains' diagram and where each resource sits in it (the views part)."""
