"""Progress imported from MOOCs: a file's items matched, and their status and days set.

The changes are the ones `start` and `done` make (`SetStatus`, finishing the open parts
under a resource), applied in one transaction, then the README is synced when autosync is
on, once for the whole import. A dry run decides the same and applies nothing.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from diymasters import catalog, files
from diymasters.masters.base import Part
from diymasters.model import find_domain
from diymasters.serialise import OMIT_WHEN_NONE, fields_of

if TYPE_CHECKING:
    from pathlib import Path

    from diymasters.masters.tracking import AutosyncFailed
    from diymasters.progress_import import Format, ItemMatch, Unchanged, Update
    from diymasters.readme import SyncReport


@dataclass(frozen=True)
class ProgressImported:
    """What importing a file did (or, in a dry run, would do), and the README sync after it."""

    #: The file read, and the format it was read in.
    source: str
    format: Format
    dry_run: bool
    #: Each item of the file and what it is.
    items: tuple[ItemMatch, ...]
    #: What the import sets on each resource its items are (or adds from the catalog).
    updates: tuple[Update, ...]
    #: The resources items matched that stay as they are, and why.
    unchanged: tuple[Unchanged, ...]
    #: The README sync that autosync ran after the import (or its error).
    readme: SyncReport | AutosyncFailed | None = field(default=None, metadata=OMIT_WHEN_NONE)


class ProgressImportPart(Part):
    """Importing progress from a MOOC's file into the curriculum.

    `diymasters.progress_import` is imported by the import, not with the facade: every
    command builds the facade, and only `import-progress` needs it (issue 18).
    """

    def import_progress(
        self,
        path: Path,
        *,
        forced: Format | None = None,
        dry_run: bool = False,
        add_to: str | None = None,
    ) -> ProgressImported:
        """Set the status and days of the resources a file's items are.

        Items the curriculum lacks but the catalog has are added into the domain `add_to`
        when it is given, and only listed otherwise.
        """
        from diymasters.progress_import import (  # noqa: PLC0415 (see the class)
            ImportPlan,
            match_items,
            plan_import,
            read_items,
        )

        read = read_items(_read_within_limit(path), str(path), forced)
        curriculum = self.curriculum()
        shipped = catalog.load_catalog()
        domain = find_domain(curriculum, add_to) if add_to is not None else None
        matched = match_items(read.items, curriculum, shipped, self.today())
        planned, changes = plan_import(matched, curriculum, shipped, domain)
        result = ProgressImported(
            source=str(path),
            format=read.format,
            dry_run=dry_run,
            **fields_of(planned, ImportPlan),
        )
        if dry_run or not changes:
            return result
        added = iter(self.store.apply(changes))
        # The resources added from the catalog, in the order planned, take the ids they got.
        updates = tuple(
            dataclasses.replace(update, resource_id=next(added)) if update.added_to else update
            for update in result.updates
        )
        return dataclasses.replace(result, updates=updates, readme=self._autosync())


def _read_within_limit(path: Path) -> bytes:
    """The file's bytes, refusing one beyond the limit before reading it whole."""
    from diymasters.progress_import.formats import (  # noqa: PLC0415 (see the class)
        MAX_BYTES,
        ProgressFileTooLargeError,
    )

    size = path.stat().st_size if path.is_file() else 0
    if size > MAX_BYTES:
        why = f"{size:,} bytes is more than {MAX_BYTES:,}, the most read"
        raise ProgressFileTooLargeError(str(path), why)
    return files.read_bytes(path)
