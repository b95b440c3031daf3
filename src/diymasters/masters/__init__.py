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
`cli.plans`, `cli.study`, `cli.progress_import`, `cli.publish`, `cli.export`), and `extract`
(skills in postings with no store) stands apart from them.

The names below are imported on first use (PEP 562), as the package `diymasters` does its
own: a command that only finds skills (`skills extract`) imports `extract` and what it
needs, not every part and the store with them (issue 18).
"""

from __future__ import annotations

# Type checkers treat any name TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from diymasters.masters.base import (
        EmptyCurriculumError,
        ExtractionProgress,
        Part,
    )
    from diymasters.masters.demand import (
        CatalogMatch,
        CorpusReport,
        DemandPart,
        NoDemandError,
        PostingAnalysis,
        PostingsRefreshed,
        PostingWithoutSkillsError,
        StoredDemand,
        TargetSaved,
    )
    from diymasters.masters.export import (
        BackedUp,
        ExportCounts,
        ExportPart,
        ExportRestored,
        ExportWritten,
    )
    from diymasters.masters.extract import (
        Engine,
        extract_postings,
    )
    from diymasters.masters.facade import (
        Masters,
    )
    from diymasters.masters.plans import (
        DEFAULT_PLAN,
        NotOurFileError,
        PlansPart,
    )
    from diymasters.masters.progress_import import (
        ProgressImported,
        ProgressImportPart,
    )
    from diymasters.masters.publish import (
        PublishPart,
    )
    from diymasters.masters.readme import (
        NotFollowingError,
        ReadmeNotLinkedError,
        ReadmePart,
    )
    from diymasters.masters.study import (
        StudyDiscarded,
        StudyPart,
        StudyStopped,
    )
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
    from diymasters.masters.views import (
        ViewsPart,
    )

from diymasters import lazy_names  # noqa: E402 (after the names it serves)

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

#: The module each public name lives in.
_HOMES = {
    "AutosyncFailed": "diymasters.masters.tracking",
    "BackedUp": "diymasters.masters.export",
    "CatalogMatch": "diymasters.masters.demand",
    "CorpusReport": "diymasters.masters.demand",
    "CurriculaReport": "diymasters.masters.tracking",
    "CurriculumChosen": "diymasters.masters.tracking",
    "CurriculumCreated": "diymasters.masters.tracking",
    "CurriculumLine": "diymasters.masters.tracking",
    "CurriculumView": "diymasters.masters.tracking",
    "DEFAULT_PLAN": "diymasters.masters.plans",
    "DemandPart": "diymasters.masters.demand",
    "EmptyCurriculumError": "diymasters.masters.base",
    "EmptyNoteError": "diymasters.masters.tracking",
    "Engine": "diymasters.masters.extract",
    "ExportCounts": "diymasters.masters.export",
    "ExportPart": "diymasters.masters.export",
    "ExportRestored": "diymasters.masters.export",
    "ExportWritten": "diymasters.masters.export",
    "ExtractionProgress": "diymasters.masters.base",
    "Masters": "diymasters.masters.facade",
    "NoDemandError": "diymasters.masters.demand",
    "NotFollowingError": "diymasters.masters.readme",
    "NotOurFileError": "diymasters.masters.plans",
    "Part": "diymasters.masters.base",
    "Place": "diymasters.masters.tracking",
    "PlaceNeededError": "diymasters.masters.tracking",
    "PlansPart": "diymasters.masters.plans",
    "PostingAnalysis": "diymasters.masters.demand",
    "PostingWithoutSkillsError": "diymasters.masters.demand",
    "PostingsRefreshed": "diymasters.masters.demand",
    "ProgressImportPart": "diymasters.masters.progress_import",
    "ProgressImported": "diymasters.masters.progress_import",
    "PublishPart": "diymasters.masters.publish",
    "ReadmeNotLinkedError": "diymasters.masters.readme",
    "ReadmePart": "diymasters.masters.readme",
    "RemovalNeedsConfirmationError": "diymasters.masters.tracking",
    "ResourceChanged": "diymasters.masters.tracking",
    "ResourceRemoved": "diymasters.masters.tracking",
    "ResourceView": "diymasters.masters.tracking",
    "StoredDemand": "diymasters.masters.demand",
    "StudyDiscarded": "diymasters.masters.study",
    "StudyPart": "diymasters.masters.study",
    "StudyStopped": "diymasters.masters.study",
    "TargetSaved": "diymasters.masters.demand",
    "TrackingPart": "diymasters.masters.tracking",
    "ViewsPart": "diymasters.masters.views",
    "extract_postings": "diymasters.masters.extract",
}


__getattr__, __dir__ = lazy_names(__name__, _HOMES, __all__, globals())
