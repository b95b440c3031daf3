"""The `Masters` facade itself: one class composed of every part.

Apart from the package's `__init__`, so that naming one part's function or result (a
command that only finds skills names `extract_postings`) does not import every part and the
store with them (issue 18).
"""

from __future__ import annotations

from diymasters.masters.demand import DemandPart
from diymasters.masters.export import ExportPart
from diymasters.masters.plans import PlansPart
from diymasters.masters.progress_import import ProgressImportPart
from diymasters.masters.publish import PublishPart
from diymasters.masters.readme import ReadmePart
from diymasters.masters.study import StudyPart
from diymasters.masters.tracking import TrackingPart
from diymasters.masters.views import ViewsPart


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
