"""The learner's masters: the operations the CLI and the web UI offer, over one store.

Each operation reads the curriculum, decides its changes with the model's rules, and hands
them to the store to apply in one transaction, so a failed command changes nothing.

`Masters` is composed of parts, one module each, over the state they share (`base`):
`tracking` (the curriculum and its resources), `readme` (the README round trip and its
upstream), `demand` (skills in postings, and the curriculum's gaps), `plans` (plans made,
saved, followed and adopted), `views` (what the web UI's pages draw), `study` (the study
timer), `progress_import` (progress imported from MOOCs), `publish` (the static site, its
badge and the workflow that deploys it) and `export` (export, restore and backup). A feature
has the same name here as in the CLI's modules (`cli.tracking`, `cli.readme`, `cli.demand`,
`cli.plans`, `cli.study`, `cli.progress_import`, `cli.publish`, `cli.export`).
"""

from __future__ import annotations

from diymasters.masters.base import EmptyCurriculumError, ExtractionProgress, Part
from diymasters.masters.demand import (
    CatalogMatch,
    CorpusReport,
    DemandPart,
    Engine,
    NoDemandError,
    PostingAnalysis,
    PostingsRefreshed,
    PostingWithoutSkillsError,
    StoredDemand,
    TargetSaved,
    extract_postings,
)
from diymasters.masters.export import (
    BackedUp,
    ExportCounts,
    ExportPart,
    ExportRestored,
    ExportWritten,
)
from diymasters.masters.plans import (
    DEFAULT_PLAN,
    NotOurFileError,
    PlansPart,
)
from diymasters.masters.progress_import import ProgressImported, ProgressImportPart
from diymasters.masters.publish import PublishPart
from diymasters.masters.readme import NotFollowingError, ReadmeNotLinkedError, ReadmePart
from diymasters.masters.study import StudyDiscarded, StudyPart, StudyStopped
from diymasters.masters.tracking import (
    AutosyncFailed,
    CurriculaReport,
    CurriculumChosen,
    CurriculumCreated,
    CurriculumLine,
    CurriculumView,
    EmptyNoteError,
    Place,
    PlaceNeededError,
    RemovalNeedsConfirmationError,
    ResourceChanged,
    ResourceRemoved,
    ResourceView,
    TrackingPart,
)
from diymasters.masters.views import ViewsPart

__all__ = [
    "DEFAULT_PLAN",
    "AutosyncFailed",
    "BackedUp",
    "CatalogMatch",
    "CorpusReport",
    "CurriculaReport",
    "CurriculumChosen",
    "CurriculumCreated",
    "CurriculumLine",
    "CurriculumView",
    "DemandPart",
    "EmptyCurriculumError",
    "EmptyNoteError",
    "Engine",
    "ExportCounts",
    "ExportPart",
    "ExportRestored",
    "ExportWritten",
    "ExtractionProgress",
    "Masters",
    "NoDemandError",
    "NotFollowingError",
    "NotOurFileError",
    "Part",
    "Place",
    "PlaceNeededError",
    "PlansPart",
    "PostingAnalysis",
    "PostingWithoutSkillsError",
    "PostingsRefreshed",
    "ProgressImportPart",
    "ProgressImported",
    "PublishPart",
    "ReadmeNotLinkedError",
    "ReadmePart",
    "RemovalNeedsConfirmationError",
    "ResourceChanged",
    "ResourceRemoved",
    "ResourceView",
    "StoredDemand",
    "StudyDiscarded",
    "StudyPart",
    "StudyStopped",
    "TargetSaved",
    "TrackingPart",
    "ViewsPart",
    "extract_postings",
]


class Masters(
    TrackingPart,
    ReadmePart,
    DemandPart,
    PlansPart,
    ViewsPart,
    StudyPart,
    ProgressImportPart,
    PublishPart,
    ExportPart,
):
    """A learner's curricula in a store, with the operations on them.

    One object, so that each frontend opens one thing and calls any operation on it; one class
    per part, so that each part's operations, results and errors sit in a module of their own,
    as fava's `FavaLedger` is composed of its modules. The parts share the `Part` base (the
    store, the curriculum, today), which declares the few operations one part calls on another;
    each operation is defined in one part only, so the order of the bases decides nothing.
    """
