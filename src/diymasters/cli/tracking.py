"""Tracking: the curricula, their progress, and changes to their resources one at a time.

`init`, `curricula`, `use`, `status`, `show`, `start`, `done`, `drop`, `todo`, `log`, `parts`,
`note`, `rename`, `move`, `remove`, `restore`, `tag` and `add`, and what they print.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path  # noqa: TC003 (Typer reads annotations at run time)
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from diymasters.cli.options import DateOption, ForceOption, JsonOption, ResourceArg, parse_day
from diymasters.cli.output import (
    hours_text,
    make_console,
    present,
    print_json,
    print_switch,
    study_notice,
)
from diymasters.cli.root import app, keep_status, open_masters, replay_point, warn_if_pinned
from diymasters.cli.tree import (
    overall_hours,
    percent_text,
    resource_table,
    share_note,
    status_table,
)
from diymasters.entry import REPLAYED
from diymasters.export import MAX_EXPORT_BYTES
from diymasters.masters import AutosyncFailed, CurriculumLine, ResourceChanged
from diymasters.model import InvalidValueError, Kind, Resource, Status, parse_hours, parse_parts
from diymasters.template import DEFAULT_TEMPLATE
from diymasters.tracking import WEIGHTING_RULE


@app.command()
def init(
    ctx: typer.Context,
    template: Annotated[
        str, typer.Option(help="A shipped template's name, or a path to a YAML template.")
    ] = DEFAULT_TEMPLATE,
    name: Annotated[str | None, typer.Option(help="Name the new curriculum.")] = None,
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Load only when the store holds no curriculum.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Create a curriculum from a template (the ML Engineer masters by default), and use it."""
    masters = open_masters(ctx)
    created = masters.init(template, name, if_empty=if_empty)
    if as_json:
        fields = dataclasses.asdict(created) if created is not None else {}
        print_json({"created": created is not None, **fields}, masters.in_use())
    elif created is None:
        names = ", ".join(masters.curriculum_names())
        make_console().print(f"The store already holds {names}; nothing loaded.", soft_wrap=True)
    else:
        make_console().print(
            f"Created {created.curriculum!r} ({created.domains} domains, {created.resources} "
            f"resources) in {masters.location}",
            soft_wrap=True,
        )
        print_switch(created.curriculum, created.previous)
    if created is not None:
        warn_if_pinned()


@app.command()
def curricula(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the curricula in the store, with their progress, and which one is in use.

    Progress is computed as `status` computes it (`status --help` says how); beside it are
    the hours logged of the estimate and the resources it counts, by status.
    """
    report = open_masters(ctx).curricula()
    if as_json:
        print_json(report)
        return
    console = make_console()
    if not report.curricula:
        console.print("The store holds no curriculum yet; `diymasters init` creates one.")
        return
    for line in report.curricula:
        console.print(_curriculum_line(line), soft_wrap=True)
    console.print(
        f"* in use: {report.curriculum}. `diymasters use NAME` chooses another.", soft_wrap=True
    )


def _curriculum_line(line: CurriculumLine) -> str:
    """One curriculum: its progress beside the hours and the resources it comes from."""
    counts = line.overall.resources
    by_status = ", ".join(
        f"{counts[status.value]} {_STATUS_WORDS[status]}"
        for status in Status
        if counts.get(status.value)
    )
    hours = overall_hours(line.overall)
    basis = f"{hours}; " if hours else ""
    readme = f"; README {line.readme}" if line.readme else ""
    return (
        f"{'*' if line.in_use else ' '} {line.name}: {percent_text(line.overall.progress)} "
        f"({basis}{line.resources} resources: {by_status}){readme}"
    )


_STATUS_WORDS = {
    Status.TODO: "to do",
    Status.IN_PROGRESS: "in progress",
    Status.DONE: "done",
    Status.DROPPED: "dropped",
}


@app.command()
def use(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(help="The curriculum's name (any case).", show_default=False)
    ],
    as_json: JsonOption = False,
) -> None:
    """Choose the curriculum every later command (and the web UI) works on."""
    chosen = open_masters(ctx).use(name)
    if as_json:
        print_json(chosen)
    else:
        print_switch(chosen.curriculum, chosen.previous)
    warn_if_pinned()


@app.command(epilog=WEIGHTING_RULE)
def status(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Show progress: the whole masters, each domain and each resource, with what it counts."""
    point = replay_point(ctx, REPLAYED) if as_json else None
    masters = open_masters(ctx)
    if as_json:
        answer, session = keep_status(masters, point)
        sys.stdout.write(answer)
    else:
        report = masters.status()
        session = masters.study_status().session
        console = make_console()
        console.print(status_table(report))
        console.print(share_note(report.overall), style="dim", soft_wrap=True)
    study_notice(session)


#: A resource's fields `show` prints under its progress line, when set.
_SHOWN_FIELDS = ("url", "provider", "kind", "started", "finished", "cost", "source", "archived")


@app.command(epilog=WEIGHTING_RULE)
def show(ctx: typer.Context, resource: ResourceArg, as_json: JsonOption = False) -> None:
    """Show one resource in full: its estimate and where it comes from, time log and notes."""
    masters = open_masters(ctx)
    entry = masters.show(resource)
    if present(entry, masters.in_use(), as_json=as_json):
        return
    console = make_console()
    console.print(resource_table(entry))
    if entry.hours_estimated is not None:
        basis = f" ({entry.estimate_basis})" if entry.estimate_basis else ""
        console.print(f"  estimate: {hours_text(entry.hours_estimated)} h{basis}", soft_wrap=True)
    for field_name in _SHOWN_FIELDS:
        value = getattr(entry, field_name)
        # A catalog entry's source is the estimate's basis, said on the line above.
        if value not in (None, "", entry.estimate_basis):
            console.print(f"  {field_name}: {value}", soft_wrap=True)
    if entry.archived:
        console.print(
            "  No longer in the README: out of progress; `diymasters restore` brings it back.",
            style="dim",
        )
    for logged in entry.time_entries or ():
        console.print(f"  {logged.date}  {hours_text(logged.hours)} h  {logged.note}".rstrip())
    if entry.notes:
        console.print(Text(entry.notes), style="italic")


def _status_command(new_status: Status, verb: str) -> Any:  # noqa: ANN401 (a Typer callback)
    def command(
        ctx: typer.Context,
        resource: ResourceArg,
        date: DateOption = None,
        as_json: JsonOption = False,
    ) -> None:
        entry = open_masters(ctx).set_status(resource, new_status, parse_day(date))
        report_change(ctx, entry, as_json)

    command.__doc__ = f"{verb}."
    return command


app.command("start")(_status_command(Status.IN_PROGRESS, "Mark a resource in progress"))
app.command("done")(_status_command(Status.DONE, "Mark a resource done, and the ones under it"))
app.command("drop")(_status_command(Status.DROPPED, "Mark a resource dropped: tried, stopped"))
app.command("todo")(_status_command(Status.TODO, "Mark a resource still to do"))


@app.command(context_settings={"ignore_unknown_options": True})
def log(
    ctx: typer.Context,
    resource: ResourceArg,
    hours: Annotated[str, typer.Argument(help="1.5, 1h30, 90m or 1:30.", show_default=False)],
    date: DateOption = None,
    note: Annotated[str, typer.Option(help="What you did.")] = "",
    force: ForceOption = False,
    as_json: JsonOption = False,
) -> None:
    """Log hours spent on a resource (starts it if it was still to do)."""
    masters = open_masters(ctx)
    entry = masters.log(resource, parse_hours(hours), parse_day(date), note, confirmed=force)
    report_change(ctx, entry, as_json)
    study_notice(masters.study_status().session)


@app.command()
def parts(
    ctx: typer.Context,
    resource: ResourceArg,
    count: Annotated[
        str,
        typer.Argument(
            help="Parts done of parts in all (4/5, '4 of 5'), or done alone (4) of the count "
            "it has.",
            show_default=False,
        ),
    ],
    as_json: JsonOption = False,
) -> None:
    """Count parts done of a resource (lectures, chapters); its progress reads done / total."""
    done, total = parse_parts(count)
    report_change(ctx, open_masters(ctx).parts(resource, done, total), as_json)


@app.command()
def entries(
    ctx: typer.Context,
    resource: Annotated[
        str | None,
        typer.Argument(help="Only this resource's (and its parts'); title, prefix or #id."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List logged time with each entry's id, to correct or remove one with `entry`."""
    masters = open_masters(ctx)
    lines = masters.entries(resource)
    if present(lines, masters.in_use(), as_json=as_json):
        return
    console = make_console()
    if not lines:
        console.print("No time logged yet.")
        return
    table = Table(box=None, pad_edge=False)
    for heading in ("id", "date", "hours", "resource", "note"):
        table.add_column(heading, justify="right" if heading in {"id", "hours"} else "left")
    for line in lines:
        hours = hours_text(line.hours)
        table.add_row(f"#{line.id}", str(line.date), hours, line.resource, line.note)
    console.print(table)
    count = f"{len(lines)} {'entry' if len(lines) == 1 else 'entries'}"
    console.print(f"{count}, {hours_text(sum(line.hours for line in lines))} h.")


entry_app = typer.Typer(help="Correct or remove a logged entry (ids from `diymasters entries`).")
app.add_typer(entry_app, name="entry")

EntryArg = Annotated[
    str, typer.Argument(help="The entry's id, as `entries` lists it (3 or #3).", show_default=False)
]


def _entry_id(text: str) -> int:
    """An entry's id as typed: `3`, or `#3` as `entries` prints it."""
    digits = text.strip().removeprefix("#")
    if not digits.isdigit():
        raise InvalidValueError("entry id", text, "is not an id as `entries` lists it (3 or #3)")
    return int(digits)


@entry_app.command("edit")
def entry_edit(
    ctx: typer.Context,
    entry_id: EntryArg,
    hours: Annotated[str | None, typer.Option(help="1.5, 1h30, 90m or 1:30.")] = None,
    date: DateOption = None,
    note: Annotated[str | None, typer.Option(help="What you did.")] = None,
    force: ForceOption = False,
    as_json: JsonOption = False,
) -> None:
    """Correct an entry's hours, date or note; what you leave out stays as it is."""
    changed = open_masters(ctx).edit_entry(
        _entry_id(entry_id),
        hours=None if hours is None else parse_hours(hours),
        on=parse_day(date),
        note=note,
        confirmed=force,
    )
    report_change(ctx, changed, as_json)


@entry_app.command("remove")
def entry_remove(ctx: typer.Context, entry_id: EntryArg, as_json: JsonOption = False) -> None:
    """Delete an entry logged by mistake."""
    report_change(ctx, open_masters(ctx).remove_entry(_entry_id(entry_id)), as_json)


@app.command()
def note(
    ctx: typer.Context,
    resource: ResourceArg,
    text: Annotated[str, typer.Argument(help="The note.", show_default=False)],
    replace: Annotated[bool, typer.Option(help="Replace the notes instead of appending.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Add a note to a resource."""
    entry = open_masters(ctx).note(resource, text, replace=replace)
    report_change(ctx, entry, as_json)


@app.command()
def rename(
    ctx: typer.Context,
    resource: ResourceArg,
    title: Annotated[str, typer.Argument(help="The new title.", show_default=False)],
    as_json: JsonOption = False,
) -> None:
    """Give a resource a new title."""
    report_change(ctx, open_masters(ctx).rename(resource, title), as_json)


@app.command(context_settings={"ignore_unknown_options": True})
def estimate(
    ctx: typer.Context,
    resource: ResourceArg,
    hours: Annotated[
        str | None,
        typer.Argument(help="Your estimate: 40, 12h30 or 90m.", show_default=False),
    ] = None,
    clear: Annotated[
        bool, typer.Option("--clear", help="Forget your estimate; the catalog's counts again.")
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", help="Keep an estimate over 2,000 h: it is not a typo.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Set how many hours a resource takes, or correct the estimate given when adding it."""
    if (hours is None) != clear:
        raise typer.BadParameter("give HOURS or --clear, one of them", param_hint="HOURS")
    figure = None if hours is None else parse_hours(hours)
    report_change(ctx, open_masters(ctx).estimate(resource, figure, confirmed=yes), as_json)


@app.command()
def move(
    ctx: typer.Context,
    resource: ResourceArg,
    domain: Annotated[str | None, typer.Option(help="The domain to move it to.")] = None,
    under: Annotated[
        str | None, typer.Option(help="A resource to move it under (e.g. a specialisation).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Move a resource, with all under it, to another domain or under another resource."""
    report_change(ctx, open_masters(ctx).move(resource, domain=domain, under=under), as_json)


@app.command()
def remove(
    ctx: typer.Context,
    resource: ResourceArg,
    yes: Annotated[
        bool, typer.Option("--yes", help="Also delete the resources and hours under it.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Remove a resource from the curriculum."""
    masters = open_masters(ctx)
    removed = masters.remove(resource, confirmed=yes)
    if not present(removed, masters.in_use(), as_json=as_json):
        make_console().print(f"Removed {removed.removed!r}.")


@app.command()
def restore(
    ctx: typer.Context,
    resource: Annotated[
        str | None,
        typer.Argument(help="Title, unambiguous title prefix, or #id.", show_default=False),
    ] = None,
    from_file: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="Instead, load a JSON export (from `diymasters export`) into this empty "
            f"store, all or nothing; at most {MAX_EXPORT_BYTES // (1024 * 1024)} MiB.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Bring back a resource archived when it left the README (sync writes it back), or a store.

    With --from FILE, fill an empty store from an export instead.
    """
    if (resource is None) == (from_file is None):
        raise typer.BadParameter(
            "give a RESOURCE to bring back, or --from FILE to load an export, not both",
            param_hint="RESOURCE",
        )
    if from_file is not None:
        # The export commands load only when a store is restored (issue 18: `status` loads
        # no other command's module).
        from diymasters.cli.export import restore_from  # noqa: PLC0415

        restore_from(ctx, from_file, as_json=as_json)
        return
    assert resource is not None  # noqa: S101 (checked above)
    report_change(ctx, open_masters(ctx).restore(resource), as_json)


@app.command()
def tag(
    ctx: typer.Context,
    resource: ResourceArg,
    skill_names: Annotated[
        list[str], typer.Argument(help="Skill ids or names, e.g. pytorch 'linear algebra'.")
    ],
    remove: Annotated[bool, typer.Option("--remove", help="Untag instead.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Tag a resource with the skills it teaches, when the catalog does not know it."""
    masters = open_masters(ctx)
    entry = masters.tag(resource, skill_names, remove=remove)
    if present(entry, masters.in_use(), as_json=as_json):
        return
    console = make_console()
    console.print(f"{entry.title}: {', '.join(entry.skills) or 'no tags'}", soft_wrap=True)
    if entry.unchanged:
        console.print(f"{entry.unchanged}.", soft_wrap=True)


@app.command()
def add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="The resource's title.", show_default=False)],
    domain: Annotated[str | None, typer.Option(help="The domain to add it to.")] = None,
    under: Annotated[
        str | None, typer.Option(help="A resource to add it under (e.g. a specialisation).")
    ] = None,
    kind: Annotated[Kind, typer.Option(help="What sort of resource it is.")] = Kind.COURSE,
    url: Annotated[str | None, typer.Option(help="Where it lives.")] = None,
    provider: Annotated[str | None, typer.Option(help="Who offers it.")] = None,
    hours: Annotated[str | None, typer.Option(help="Estimated hours to complete.")] = None,
    cost: Annotated[float | None, typer.Option(help="Cost in USD.")] = None,
    description: Annotated[str | None, typer.Option(help="One line on what it is.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Add a resource to a domain, or under another resource."""
    new = Resource(
        title=title.strip(),
        kind=kind,
        url=url,
        provider=provider,
        description=description,
        estimated_hours=None if hours is None else parse_hours(hours),
        cost=cost,
    )
    report_change(ctx, open_masters(ctx).add(new, domain=domain, under=under), as_json)


def report_change(ctx: typer.Context, entry: ResourceChanged, as_json: bool) -> None:
    """Print a resource as a command left it (or its JSON, naming the curriculum in use)."""
    if not present(entry, open_masters(ctx).in_use(), as_json=as_json):
        print_change(entry)


def print_change(entry: ResourceChanged) -> None:
    """The resource as a change left it, and what else the change says (README, no-op)."""
    make_console().print(resource_table(entry))
    if entry.unchanged:
        make_console().print(f"{entry.unchanged}.", soft_wrap=True)
    if entry.unwritten:
        make_console().print(f"Note: {entry.unwritten}.", soft_wrap=True, style="dim")
    synced = entry.readme
    if synced is None:
        return
    if isinstance(synced, AutosyncFailed):
        sys.stderr.write(f"README not synced: {synced.error}\n")
    elif synced.written:
        make_console().print(f"README updated: {synced.path}", soft_wrap=True)
