"""Progress imported from MOOCs: `import-progress FILE`, and what it prints.

The file is LinkedIn Learning's `Learning.csv`, Open Badges 2.0 or 3.0 credentials (JSON),
or a list of Coursera certificate URLs, told apart by its content unless `--format` names
it. What the command prints: each resource changed (or, with `--dry-run`, to be changed),
from which items, then the items that match nothing, each with the closest titles.
"""

from __future__ import annotations

import sys
from pathlib import Path  # noqa: TC003 (Typer reads it)
from typing import TYPE_CHECKING, Annotated

import typer

from diymasters.cli.options import JsonOption  # noqa: TC001 (Typer reads it)
from diymasters.cli.output import make_console, present
from diymasters.cli.root import app, open_masters
from diymasters.masters import AutosyncFailed
from diymasters.progress_import import COURSERA_URL_FORMAT, MAX_BYTES, MAX_ITEMS, Format, Outcome

if TYPE_CHECKING:
    from diymasters.masters import ProgressImported
    from diymasters.progress_import import ItemMatch, Standing, Update


@app.command("import-progress")
def import_progress(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="LinkedIn Learning's Learning.csv, Open Badges JSON, or Coursera URLs.",
            show_default=False,
        ),
    ],
    form: Annotated[
        Format | None,
        typer.Option("--format", help="The file's format, when its content does not tell."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; change nothing.")
    ] = False,
    add_from_catalog: Annotated[
        bool,
        typer.Option(
            "--add-from-catalog",
            help="Add the courses the curriculum lacks but the catalog has (with --domain).",
        ),
    ] = False,
    domain: Annotated[
        str | None, typer.Option(help="The domain courses from the catalog are added to.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Mark courses done or in progress from what a MOOC says you did.

    Completed courses are done on the day they were completed (or the credential issued);
    courses LinkedIn says you watched are in progress from the day last watched, the best
    date its export gives. A second import of the same file changes nothing: a done course
    is never moved back, and the earliest finish or start known stands.
    """
    if add_from_catalog != (domain is not None):
        msg = "--add-from-catalog and --domain go together: name the domain to add courses to"
        raise typer.BadParameter(msg, param_hint="--domain")
    masters = open_masters(ctx)
    result = masters.import_progress(file, forced=form, dry_run=dry_run, add_to=domain)
    if present(result, masters.in_use(), as_json=as_json):
        return
    print_import(result)


import_progress.__doc__ = (
    f"{import_progress.__doc__}\n\n"
    f"    Coursera URLs: {COURSERA_URL_FORMAT}.\n\n"
    f"    At most {MAX_BYTES >> 20} MiB and {MAX_ITEMS:,} items a file."
)


def print_import(result: ProgressImported) -> None:
    """The updates, then the items that change nothing and why, then a line of counts."""
    console = make_console()
    verb = "Would set" if result.dry_run else "Set"
    scores = {each.item.where: each.score for each in result.items}
    for update in result.updates:
        console.print(f"{verb} {_update_line(update, scores)}", soft_wrap=True)
    for unchanged in result.unchanged:
        items = ", ".join(unchanged.items)
        console.print(f"= {unchanged.resource} ({items}): {unchanged.why}", soft_wrap=True)
    added = {update.entry for update in result.updates if update.added_to}
    for each in result.items:
        if each.outcome is not Outcome.MATCHED and not (each.entry and each.entry in added):
            console.print(_item_line(each), soft_wrap=True, style="dim")
    console.print(_summary(result), soft_wrap=True)
    if isinstance(result.readme, AutosyncFailed):
        sys.stderr.write(f"README not synced: {result.readme.error}\n")
    elif result.readme is not None and result.readme.written:
        console.print(f"README updated: {result.readme.path}", soft_wrap=True)
    if any(each.outcome is Outcome.IN_CATALOG for each in result.items) and not any(
        update.added_to for update in result.updates
    ):
        sys.stderr.write(
            "Courses the catalog has are added with --add-from-catalog --domain NAME.\n"
        )


def _update_line(update: Update, scores: dict[str, float | None]) -> str:
    """A resource's change, from which items (each with its match score), and its day."""
    where = f" (new, in {update.added_to})" if update.added_to else ""
    before = f"{_standing(update.before)} -> " if update.before else ""
    items = ", ".join(f"{item}, match {scores.get(item) or 0:.0f}" for item in update.items)
    return (
        f"{update.resource}{where}: {before}{_standing(update.after)} ({items}; {update.date_is})"
    )


def _standing(standing: Standing) -> str:
    text = standing.status.value.replace("_", " ")
    if standing.started:
        text += f" from {standing.started.isoformat()}"
    if standing.finished:
        text += f" on {standing.finished.isoformat()}"
    return text


def _item_line(each: ItemMatch) -> str:
    title = each.item.title or each.item.url or "(untitled)"
    line = f"{each.item.where}: {title}: {each.why}"
    if each.outcome is Outcome.IN_CATALOG:
        line = (
            f"{each.item.where}: {title}: not in the curriculum; in the catalog as "
            f"{each.resource!r} ({each.entry}, {each.score or 0:.0f})"
        )
    if each.candidates:
        closest = "; ".join(f"{c.title} ({c.score:.0f})" for c in each.candidates)
        line += f"; closest: {closest}"
    return line


def _summary(result: ProgressImported) -> str:
    matched = sum(1 for each in result.items if each.outcome is Outcome.MATCHED)
    changed = "would change" if result.dry_run else "changed"
    return (
        f"{_count(len(result.items), 'item')} read ({result.format}): {matched} matched, "
        f"{_count(len(result.updates), 'resource')} {changed}, "
        f"{len(result.unchanged)} already so."
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
