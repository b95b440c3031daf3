"""A learner's README, and the curated README it may follow.

The learner's README is their public record, so this package never regenerates it. A parsed
`ReadmeDocument` keeps the decoded text exactly as it was and knows where each resource's
checkbox marker sits (by character offset, from markdown-it-py's source line maps). Writing
progress back replaces only the markers whose status changed, in the file's own style; a new
resource is a new line in the style of its neighbours. Everything else is the user's bytes.

From the bottom: `document` holds the parsed document's types, `parse` reads Markdown into
one, `render` writes new lines in the file's style and checks the round trip, and `sync`
plans a three-way sync with the store. `upstream`, following a curated README, is imported on
its own (`from diymasters.readme import upstream`): it needs the catalog, which this package
does not load.
"""

from __future__ import annotations

from diymasters.readme.document import (
    MARKS,
    ImportReport,
    Marker,
    ReadmeDocument,
    ReadmeDomain,
    ReadmeItem,
    Style,
    item_key,
    to_curriculum,
)
from diymasters.readme.parse import parse_readme, parse_text
from diymasters.readme.render import CheckReport, check, check_file, checkbox_text, new_item_text
from diymasters.readme.sync import (
    RENAMED_SIMILARITY,
    AutosyncReport,
    ReadmeConflictError,
    ReadmeEmptiedError,
    SyncPlan,
    SyncReport,
    SyncSummary,
    check_not_emptied,
    link_changes,
    plan_sync,
)

__all__ = [
    "MARKS",
    "RENAMED_SIMILARITY",
    "AutosyncReport",
    "CheckReport",
    "ImportReport",
    "Marker",
    "ReadmeConflictError",
    "ReadmeDocument",
    "ReadmeDomain",
    "ReadmeEmptiedError",
    "ReadmeItem",
    "Style",
    "SyncPlan",
    "SyncReport",
    "SyncSummary",
    "check",
    "check_file",
    "check_not_emptied",
    "checkbox_text",
    "item_key",
    "link_changes",
    "new_item_text",
    "parse_readme",
    "parse_text",
    "plan_sync",
    "to_curriculum",
]
