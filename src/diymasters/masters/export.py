"""Export and backup: the learner's data carried out of the store, and brought back.

An export is the whole store (every curriculum, not only the one in use) as JSON to restore,
its time log as CSV, or its progress as a Markdown report; a file is written whole or not at
all, and an existing one is replaced only when asked. A restore fills an empty store from a
JSON export in one transaction. A backup copies the SQLite file itself while others write.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from diymasters.errors import InvalidInputError
from diymasters.export import (
    ExportFormat,
    export_json,
    markdown_report,
    read_export_file,
    time_log_csv,
)
from diymasters.files import write_new, written_beside
from diymasters.masters.base import Part
from diymasters.tracking import progress_report

if TYPE_CHECKING:
    from diymasters.store import StoreContents


class WouldReplaceStoreError(InvalidInputError):
    """The file to write is the store itself: replacing it under its own connections breaks it."""

    def __init__(self, path: Path) -> None:
        """Name the file; nothing was written."""
        super().__init__(
            f"{path} is a file of the store itself; choose another; nothing was written"
        )


@dataclass(frozen=True)
class ExportCounts:
    """How much an export holds."""

    curricula: int
    resources: int
    time_entries: int
    plans: int
    targets: int


@dataclass(frozen=True)
class ExportWritten:
    """An export written to a file."""

    path: Path
    format: ExportFormat
    bytes: int
    counts: ExportCounts


@dataclass(frozen=True)
class ExportRestored:
    """An export brought into an empty store: what it held, and the curriculum now in use."""

    source: Path
    curricula: tuple[str, ...]
    counts: ExportCounts
    in_use: str | None


@dataclass(frozen=True)
class BackedUp:
    """A copy of the store's SQLite file."""

    path: Path
    bytes: int


def _counts(contents: StoreContents) -> ExportCounts:
    resources = [r for c in contents.curricula for _, r in c.all_resources()]
    return ExportCounts(
        curricula=len(contents.curricula),
        resources=len(resources),
        time_entries=sum(len(r.time_entries) for r in resources),
        plans=sum(len(c.plans) for c in contents.curricula),
        targets=len(contents.targets),
    )


class ExportPart(Part):
    """Export to JSON, CSV or Markdown, restore from JSON, and back up an SQLite store."""

    def export(self, export_format: ExportFormat) -> str:
        """The whole store in a format, as text."""
        return self._export_text(self.store.contents(), export_format)

    def _export_text(self, contents: StoreContents, export_format: ExportFormat) -> str:
        if export_format is ExportFormat.JSON:
            return export_json(contents)
        if export_format is ExportFormat.CSV:
            return time_log_csv(contents)
        reports = [progress_report(self._load(c.name)) for c in contents.curricula]
        return markdown_report(reports)

    def export_to(
        self, export_format: ExportFormat, path: Path, *, replace: bool = False
    ) -> ExportWritten:
        """Write an export to a file, whole or not at all; an existing one only if `replace`."""
        self._refuse_the_store(path)
        contents = self.store.contents()
        data = self._export_text(contents, export_format).encode("utf-8")
        write_new(path, data, replace=replace)
        return ExportWritten(path, export_format, len(data), _counts(contents))

    def restore_export(self, path: Path) -> ExportRestored:
        """Fill this empty store from a JSON export, all or nothing."""
        contents = read_export_file(path)
        self.store.restore(contents)
        self.curriculum_name = None
        return ExportRestored(
            source=path,
            curricula=tuple(c.name for c in contents.curricula),
            counts=_counts(contents),
            in_use=self.store.in_use(),
        )

    def backup(self, path: Path, *, replace: bool = False) -> BackedUp:
        """Copy the store's SQLite file, consistent while others write; beside, then renamed."""
        self._refuse_the_store(path)
        with written_beside(path, replace=replace) as temporary:
            self.store.backup(temporary)
            size = temporary.stat().st_size
        return BackedUp(path, size)

    def _refuse_the_store(self, path: Path) -> None:
        """Never write over the store's own file (or its journal), even when asked to replace."""
        store = Path(self.store.location)
        target = path.resolve()
        names = {store.name, f"{store.name}-wal", f"{store.name}-shm", f"{store.name}-journal"}
        if store.is_file() and target.parent == store.resolve().parent and target.name in names:
            raise WouldReplaceStoreError(path)
