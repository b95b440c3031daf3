"""Export and backup: `export` and `backup`, what `restore --from` prints, and their words.

`restore` itself is registered by `tracking`, since without `--from` it brings back an
archived resource; with `--from FILE` it calls `restore_from` here.
"""

from __future__ import annotations

import sys
from pathlib import Path  # noqa: TC003 (Typer reads annotations at run time)
from typing import TYPE_CHECKING, Annotated

import typer

from diymasters.cli.options import JsonOption  # noqa: TC001 (Typer reads it at run time)
from diymasters.cli.output import make_console, present
from diymasters.cli.root import app, open_masters
from diymasters.export import ExportFormat

if TYPE_CHECKING:
    from diymasters.masters import ExportCounts

ReplaceOption = Annotated[
    bool, typer.Option("--force", help="Replace the file if it exists (default: refuse).")
]


def _count(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _held(counts: ExportCounts) -> str:
    """What an export holds, in words."""
    return ", ".join(
        (
            _count(counts.curricula, "curriculum", "curricula"),
            _count(counts.resources, "resource", "resources"),
            _count(counts.time_entries, "time entry", "time entries"),
            _count(counts.plans, "plan", "plans"),
            _count(counts.targets, "target", "targets"),
        )
    )


@app.command()
def export(
    ctx: typer.Context,
    export_format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            help="json: everything, to restore (job postings excepted); csv: the time log; "
            "md: a progress report.",
        ),
    ] = ExportFormat.JSON,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write to this file, whole or not at all (default: stdout)."
        ),
    ] = None,
    force: ReplaceOption = False,
    as_json: JsonOption = False,
) -> None:
    """Export every curriculum: JSON to restore or keep, the time log as CSV, or a report."""
    if as_json and output is None:
        raise typer.BadParameter(
            "--json describes the file --output writes; without --output the export itself "
            "is printed",
            param_hint="--json",
        )
    masters = open_masters(ctx)
    if output is None:
        sys.stdout.write(masters.export(export_format))
        return
    written = masters.export_to(export_format, output, replace=force)
    if not present(written, None, as_json=as_json):
        make_console().print(
            f"Wrote {written.path} ({written.bytes:,} bytes; {_held(written.counts)}).",
            soft_wrap=True,
        )


@app.command()
def backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The copy to write.", show_default=False)],
    force: ReplaceOption = False,
    as_json: JsonOption = False,
) -> None:
    """Copy the SQLite store with SQLite's online backup, safe while `serve` writes to it."""
    masters = open_masters(ctx)
    copied = masters.backup(file, replace=force)
    if not present(copied, None, as_json=as_json):
        make_console().print(
            f"Backed up {masters.location} to {copied.path} ({copied.bytes:,} bytes).",
            soft_wrap=True,
        )


def restore_from(ctx: typer.Context, path: Path, *, as_json: bool) -> None:
    """Fill the empty store from a JSON export, and say what it held."""
    restored = open_masters(ctx).restore_export(path)
    if present(restored, None, as_json=as_json):
        return
    make_console().print(
        f"Restored {_held(restored.counts)} from {restored.source}.", soft_wrap=True
    )
    if restored.in_use is not None:
        make_console().print(f"In use: {restored.in_use!r}.", soft_wrap=True)
