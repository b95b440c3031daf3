"""The README: importing and syncing the learner's, and following the curated one upstream.

`import`, `sync`, `follow`, `upstream diff`, `upstream merge`, `readme check` and
`readme autosync`, and what they print.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path  # noqa: TC003 (Typer reads the annotations at run time)
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.text import Text

from diymasters import readme
from diymasters.cli.options import JsonOption  # noqa: TC001 (read at run time too)
from diymasters.cli.output import make_console, present, print_json, print_switch
from diymasters.cli.root import app, open_masters, warn_if_pinned

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import Console

    from diymasters.readme import SyncReport, SyncSummary
    from diymasters.readme.upstream import Change


DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Show the diff; write nothing.")]


@app.command("import")
def import_readme(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The README to import.", show_default=False)],
    name: Annotated[
        str | None, typer.Option(help="Name the curriculum (default: its title).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Import a curriculum README, link it so progress can be synced back, and use it."""
    summary = open_masters(ctx).import_readme(path, name)
    warn_if_pinned()
    if as_json:
        print_json(summary)
        return
    make_console().print(
        f"Imported {summary.curriculum!r} from {summary.path}: {summary.domains} "
        f"domains, {summary.resources} resources, {summary.checkboxes} checkboxes.",
        soft_wrap=True,
    )
    if summary.conventions:
        found = ", ".join(f"{name} ({count})" for name, count in summary.conventions.items())
        make_console().print(f"Conventions kept: {found}", soft_wrap=True)
    print_switch(summary.curriculum, summary.previous)


@app.command()
def sync(
    ctx: typer.Context,
    dry_run: DryRunOption = False,
    add_checkboxes: Annotated[
        bool,
        typer.Option("--add-checkboxes", help="Give checkbox-less resources a checkbox."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Write progress to the linked README, taking in your edits to it."""
    masters = open_masters(ctx)
    result = masters.sync(dry_run=dry_run, add_checkboxes=add_checkboxes)
    if not present(result, masters.in_use(), as_json=as_json):
        _print_sync(result)


@app.command()
def follow(
    ctx: typer.Context,
    source: Annotated[
        Path,
        typer.Argument(
            help="The curated README your copy came from: a file, or a file in a git clone.",
            show_default=False,
        ),
    ],
    ref: Annotated[
        str | None,
        typer.Option(help="Read the clone's file at this branch, tag or commit (e.g. main)."),
    ] = None,
    base: Annotated[
        str | None,
        typer.Option(
            help="The upstream version your copy started from: a file, or a commit of the "
            "clone (default: your README with its boxes emptied).",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Follow the curated README your linked README was copied from, to merge its changes."""
    masters = open_masters(ctx)
    result = masters.follow(source, ref, base)
    if present(result, masters.in_use(), as_json=as_json):
        return
    at = f" at {result.ref}" if result.ref else ""
    make_console().print(
        f"Following {result.upstream}{at}, based on {result.based_on}: "
        f"{result.changes} change(s) upstream. `diymasters upstream diff` lists them.",
        soft_wrap=True,
    )


upstream_app = typer.Typer(help="What the curators changed upstream, and merging it in.")
app.add_typer(upstream_app, name="upstream")


@upstream_app.command("diff")
def upstream_diff(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List what the curators changed since the version your README is based on."""
    masters = open_masters(ctx)
    result = masters.upstream_diff()
    if present(result, masters.in_use(), as_json=as_json):
        return
    _print_changes(result.changes)


@upstream_app.command("merge")
def upstream_merge(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the diff; write nothing.")
    ] = False,
    take: Annotated[
        list[str] | None,
        typer.Option(
            help="Settle conflicts: mine or upstream for all, or LINE=mine|upstream for the "
            "conflict at that line (repeatable).",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Merge upstream's changes into your README, keeping your ticks, notes and edits."""
    side, choices = _sides(take or [])
    masters = open_masters(ctx)
    result = masters.upstream_merge(dry_run=dry_run, take=side, choices=choices)
    if present(result, masters.in_use(), as_json=as_json):
        return
    console = make_console()
    if not result.diff:
        console.print(
            f"Nothing to merge: {result.path} is up to date with upstream.",
            soft_wrap=True,
        )
        return
    if dry_run:
        console.print(Text(result.diff), end="")
    kept, surviving = result.marks_kept, result.marks_on_surviving
    console.print(
        f"{'Would merge' if dry_run else 'Merged'} {len(result.changes)} upstream change(s) "
        f"into {result.path}; {kept} of {surviving} marks on surviving items kept.",
        soft_wrap=True,
    )
    for title in result.marks_on_removed:
        console.print(f"  removed upstream, was marked: {title}", soft_wrap=True)
    for title in result.marks_on_unboxed:
        console.print(f"  upstream dropped its checkbox, was marked: {title}", soft_wrap=True)
    if result.sync is not None:
        _print_merge_sync(result.sync)


def _print_merge_sync(sync: SyncSummary) -> None:
    """What the curriculum took in from the merged file."""
    added, domains, archived = (
        sync.added_resources,
        len(sync.added_domains),
        len(sync.archived),
    )
    if added or domains or archived:
        make_console().print(
            f"The curriculum took in {added} new item(s) and {domains} new domain(s); "
            f"{archived} item(s) left the README and are archived, with what was under "
            "them (`diymasters status` lists them).",
            soft_wrap=True,
        )


def _sides(
    values: list[str],
) -> tuple[Literal["mine", "upstream"] | None, dict[int, Literal["mine", "upstream"]]]:
    """`--take` values: one side for every conflict, or LINE=side for one."""
    every: Literal["mine", "upstream"] | None = None
    choices: dict[int, Literal["mine", "upstream"]] = {}
    for value in values:
        line, _, chosen = value.rpartition("=")
        if chosen not in {"mine", "upstream"} or (line and not line.isdigit()):
            msg = f"{value!r} is not mine, upstream, or LINE=mine|upstream"
            raise typer.BadParameter(msg, param_hint="--take")
        side: Literal["mine", "upstream"] = "mine" if chosen == "mine" else "upstream"
        if line:
            choices[int(line)] = side
        else:
            every = side
    return every, choices


def _print_changes(changes: Sequence[Change]) -> None:
    console = make_console()
    if not changes:
        console.print("No upstream changes.")
    symbols = {
        "added": "+",
        "removed": "-",
        "renamed": "~",
        "moved": ">",
        "link": "@",
        "edited": "*",
    }
    for change in changes:
        console.print(
            f"{symbols[change.kind]} {change.kind:<7} {change.title} "
            f"[{change.section}]{_change_detail(change)}",
            soft_wrap=True,
        )


def _change_detail(change: Change) -> str:
    """What a renamed, moved or relinked item was and became; a link may come or go."""
    before, after = change.before, change.after
    if change.kind == "link" and before is None:
        return f" (link added: {after})"
    if change.kind == "link" and after is None:
        return f" (link removed: {before})"
    if change.kind in {"renamed", "moved", "link"}:
        return f" ({before} -> {after})"
    return ""


readme_app = typer.Typer(
    help="Check README round trips; turn autosync on or off; add or remove the progress block."
)
app.add_typer(readme_app, name="readme")
block_app = typer.Typer(
    help="The progress block: a summary of your progress under the README's title, kept current "
    "by every sync between <!-- diymasters:progress --> and <!-- /diymasters:progress -->."
)
readme_app.add_typer(block_app, name="block")


@block_app.command("add")
def readme_block_add(
    ctx: typer.Context, dry_run: DryRunOption = False, as_json: JsonOption = False
) -> None:
    """Sync, and add the progress block under the README's title (at the top if it has none)."""
    masters = open_masters(ctx)
    result = masters.add_progress_block(dry_run=dry_run)
    if not present(result, masters.in_use(), as_json=as_json):
        _print_sync(result)


@block_app.command("remove")
def readme_block_remove(
    ctx: typer.Context, dry_run: DryRunOption = False, as_json: JsonOption = False
) -> None:
    """Sync, and take the progress block out of the README, markers and all."""
    masters = open_masters(ctx)
    result = masters.remove_progress_block(dry_run=dry_run)
    if not present(result, masters.in_use(), as_json=as_json):
        _print_sync(result)


@readme_app.command("check")
def readme_check(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The README to check.", show_default=False)],
    as_json: JsonOption = False,
) -> None:
    """Parse a README, render it back from the model, and compare bytes (exit 1 if not equal)."""
    del ctx  # a check reads only the file: it needs no store
    result = readme.check_file(path)
    if as_json:
        print_json(result)
    else:
        verdict = "identical" if result.identical else "DIFFERENT"
        empty = "" if result.resources else "; it holds no resources, so import would refuse it"
        make_console().print(
            f"{path}: {verdict} ({result.bytes} bytes, {result.domains} domains, "
            f"{result.resources} resources, {result.checkboxes} checkboxes, "
            f"{result.encoding}, {result.newline}){empty}",
            soft_wrap=True,
        )
    if not result.identical:
        raise typer.Exit(1)


@readme_app.command("autosync")
def readme_autosync(
    ctx: typer.Context,
    state: Annotated[str, typer.Argument(help="on or off.", show_default=False)],
    as_json: JsonOption = False,
) -> None:
    """Sync the README automatically after every status change (on), or only by hand (off)."""
    if state not in {"on", "off"}:
        msg = f"expected 'on' or 'off', not {state!r}"
        raise typer.BadParameter(msg, param_hint="STATE")
    masters = open_masters(ctx)
    result = masters.set_autosync(enabled=state == "on")
    if present(result, masters.in_use(), as_json=as_json):
        return
    if not result.changed:
        make_console().print(
            f"Autosync is already {state} for {result.path}; nothing changed.", soft_wrap=True
        )
    else:
        make_console().print(f"Autosync {state} for {result.path}.", soft_wrap=True)


def _print_sync(result: SyncReport) -> None:
    console = make_console()
    if result.edited_since_last_sync:
        console.print("The README changed since the last sync; your edits were merged.")
    _print_written(console, result)
    for title in result.from_file:
        console.print(f"From the README: {title}", soft_wrap=True)
    for name in result.added_domains:
        console.print(f"New section in the README, added as a domain: {name}", soft_wrap=True)
    for title in result.added_from_file:
        console.print(f"Added from the README: {title}", soft_wrap=True)
    for title in result.archived:
        console.print(
            f"No longer in the README, archived (out of progress, history kept): {title}; "
            f"`diymasters restore {_quoted_arg(title)}` brings it back",
            soft_wrap=True,
        )
    for note in result.notes:
        console.print(f"Note: {note}", soft_wrap=True, style="dim")


def _print_written(console: Console, result: SyncReport) -> None:
    """The diff of a dry run, or what was written: the items' changes, then the block."""
    block_changed = result.progress_block in {"added", "removed", "updated"}
    if result.dry_run:
        sys.stdout.write(result.diff or "Nothing to write.\n")
    elif result.to_file or (result.written and not block_changed):
        console.print(f"Wrote {len(result.to_file)} change(s) to {result.path}.", soft_wrap=True)
    elif not result.written:
        console.print(f"{result.path} is up to date.", soft_wrap=True)
    if block_changed:
        verb = "would be" if result.dry_run else "was"
        console.print(f"The progress block {verb} {result.progress_block}.", soft_wrap=True)


def _quoted_arg(text: str) -> str:
    """A title as the learner would type it in a shell."""
    return shlex.quote(text)
