"""Progress imported from MOOCs: what a learner finished or began elsewhere, not typed again.

`formats` reads a file (LinkedIn Learning's export, Open Badges credentials, Coursera
certificate URLs) into items; `matching` finds the resource each item is and decides what
importing it changes, by rules that make a second import of the same file change nothing.
"""

from __future__ import annotations

from diymasters.progress_import.formats import (
    COURSERA_URL_FORMAT,
    MAX_BYTES,
    MAX_ITEMS,
    Format,
    Item,
    ItemsRead,
    ProgressFileError,
    ProgressFileTooLargeError,
    detect,
    read_items,
)
from diymasters.progress_import.matching import (
    MATCH_THRESHOLD,
    PROVIDER_THRESHOLD,
    Candidate,
    ImportPlan,
    ItemMatch,
    Outcome,
    Standing,
    Unchanged,
    Update,
    match_items,
    plan_import,
)

__all__ = [
    "COURSERA_URL_FORMAT",
    "MATCH_THRESHOLD",
    "MAX_BYTES",
    "MAX_ITEMS",
    "PROVIDER_THRESHOLD",
    "Candidate",
    "Format",
    "ImportPlan",
    "Item",
    "ItemMatch",
    "ItemsRead",
    "Outcome",
    "ProgressFileError",
    "ProgressFileTooLargeError",
    "Standing",
    "Unchanged",
    "Update",
    "detect",
    "match_items",
    "plan_import",
    "read_items",
]
