"""The `diymasters` command: parse arguments, call the core once, present the result.

Every expected failure (bad input, an unknown resource, a broken store) ends as one line on
stderr and a non-zero exit: 2 for what the user typed, 1 for everything else.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import shlex
import sys
import time
import webbrowser
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from diymasters import catalog, readme
from diymasters.masters import Masters, extract_postings
from diymasters.model import (
    DiyMastersError,
    Kind,
    Resource,
    Status,
    parse_date,
    parse_hours,
)
from diymasters.plan import PlanOptions, StudyCalendar, parse_break, parse_weekday_hours
from diymasters.postings import (
    MAX_POSTING_BYTES,
    MAX_POSTINGS,
    LimitExceededError,
    Limits,
    read_posting,
    read_stream,
)
from diymasters.skills import load_taxonomy
from diymasters.store import DB_ENV, Store, default_url, normalise_url
from diymasters.template import DEFAULT_TEMPLATE

if TYPE_CHECKING:
    from collections.abc import Iterable

    from diymasters.postings import Posting

#: Environment variable naming the curriculum when `--curriculum` is not given.
CURRICULUM_ENV = "DIYMASTERS_CURRICULUM"

app = typer.Typer(
    name="diymasters",
    help="Plan, track and publish a self-curated masters.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

ResourceArg = Annotated[
    str, typer.Argument(help="Title, unambiguous title prefix, or #id.", show_default=False)
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
DateOption = Annotated[
    str | None,
    typer.Option("--date", help="YYYY-MM-DD, 'today' or 'yesterday' (default: today)."),
]

PostingOption = Annotated[
    str | None, typer.Option(help="A posting file, or '-' to read one from stdin.")
]
CorpusOption = Annotated[Path | None, typer.Option(help="A file or folder of postings.")]
RoleOption = Annotated[str | None, typer.Option(help="Only postings of this role.")]
TargetOption = Annotated[str | None, typer.Option(help="A target saved with `target save`.")]
MaxPostingBytesOption = Annotated[
    int,
    typer.Option(
        min=1,
        help="The most bytes one posting may hold (stdin, a file, or one CSV or JSON Lines "
        "record); reading stops past it.",
    ),
]
MaxPostingsOption = Annotated[
    int, typer.Option(min=1, help="The most postings read, from all the files given.")
]


@dataclass
class _Session:
    """What the global options chose; the store opens on first use."""

    db: str | None
    curriculum: str | None
    masters: Masters | None = field(default=None)

    def open(self, ctx: typer.Context) -> Masters:
        if self.masters is None:
            store = Store.open(normalise_url(self.db) if self.db else default_url())
            ctx.call_on_close(store.close)
            self.masters = Masters(store, self.curriculum)
        return self.masters


@app.callback()
def _global_options(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar=DB_ENV,
            help="Store URL or SQLite file (default: diymasters.db in your data directory).",
        ),
    ] = None,
    curriculum: Annotated[
        str | None,
        typer.Option(
            "--curriculum",
            envvar=CURRICULUM_ENV,
            help="Which curriculum to work on (default: the last one created or imported).",
        ),
    ] = None,
) -> None:
    ctx.obj = _Session(db, curriculum)


def _masters(ctx: typer.Context) -> Masters:
    session = ctx.find_object(_Session)
    assert session is not None  # noqa: S101 (set by the callback)
    return session.open(ctx)


def _today() -> dt.date:
    return dt.date.today()  # noqa: DTZ011 (the learner's local day is the one that counts)


def _day(text: str | None) -> dt.date | None:
    return None if text is None else parse_date(text, _today())


def _console() -> Console:
    # Titles, notes and diffs are the user's text: "[x]" must print as written, not as markup.
    return Console(highlight=False, soft_wrap=False, markup=False)


def _print_json(data: Any) -> None:  # noqa: ANN401 (any JSON-ready value)
    # Written as it is encoded: `dumps` held a long posting's every mention as one string,
    # and its pieces, at once (issue 13).
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


# --- Commands -------------------------------------------------------------------------------


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
    """Create a curriculum from a template (the ML Engineer masters by default)."""
    masters = _masters(ctx)
    created = masters.init(template, name, if_empty=if_empty)
    if as_json:
        _print_json({"created": created is not None, "curriculum": created and created.name})
    elif created is None:
        names = ", ".join(masters.store.curriculum_names())
        _console().print(f"The store already holds {names}; nothing loaded.", soft_wrap=True)
    else:
        count = sum(1 for _ in created.all_resources())
        _console().print(
            f"Created {created.name!r} ({len(created.domains)} domains, {count} resources) "
            f"in {masters.store.location}",
            soft_wrap=True,
        )


@app.command()
def status(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Show progress: the whole masters, each domain and each resource."""
    report = _masters(ctx).status()
    if as_json:
        _print_json(report)
    else:
        _console().print(_status_table(report))


#: A resource's fields `show` prints under its progress line, when set.
_SHOWN_FIELDS = ("url", "provider", "kind", "started", "finished", "cost", "source", "archived")


@app.command()
def show(ctx: typer.Context, resource: ResourceArg, as_json: JsonOption = False) -> None:
    """Show one resource in full, with its time log and notes."""
    entry = _masters(ctx).show(resource)
    if as_json:
        _print_json(entry)
        return
    console = _console()
    console.print(_resource_table(entry))
    for field_name in _SHOWN_FIELDS:
        if entry[field_name] not in (None, ""):
            console.print(f"  {field_name}: {entry[field_name]}")
    if entry["archived"]:
        console.print(
            "  No longer in the README: out of progress; `diymasters restore` brings it back.",
            style="dim",
        )
    for logged in entry["time_entries"]:
        console.print(f"  {logged['date']}  {logged['hours']:g} h  {logged['note']}".rstrip())
    if entry["notes"]:
        console.print(Text(entry["notes"]), style="italic")


def _status_command(new_status: Status, verb: str) -> Any:  # noqa: ANN401 (a Typer callback)
    def command(
        ctx: typer.Context,
        resource: ResourceArg,
        date: DateOption = None,
        as_json: JsonOption = False,
    ) -> None:
        entry = _masters(ctx).set_status(resource, new_status, _day(date))
        _report_change(entry, as_json)

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
    as_json: JsonOption = False,
) -> None:
    """Log hours spent on a resource (starts it if it was still to do)."""
    entry = _masters(ctx).log(resource, parse_hours(hours), _day(date), note)
    _report_change(entry, as_json)


@app.command()
def note(
    ctx: typer.Context,
    resource: ResourceArg,
    text: Annotated[str, typer.Argument(help="The note.", show_default=False)],
    replace: Annotated[bool, typer.Option(help="Replace the notes instead of appending.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Add a note to a resource."""
    entry = _masters(ctx).note(resource, text, replace=replace)
    _report_change(entry, as_json)


@app.command()
def rename(
    ctx: typer.Context,
    resource: ResourceArg,
    title: Annotated[str, typer.Argument(help="The new title.", show_default=False)],
    as_json: JsonOption = False,
) -> None:
    """Give a resource a new title."""
    _report_change(_masters(ctx).rename(resource, title), as_json)


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
    removed = _masters(ctx).remove(resource, confirmed=yes)
    if as_json:
        _print_json({"removed": removed.title, "id": removed.id})
    else:
        _console().print(f"Removed {removed.title!r}.")


@app.command()
def restore(ctx: typer.Context, resource: ResourceArg, as_json: JsonOption = False) -> None:
    """Bring back a resource archived when it left the README; sync writes it back."""
    _report_change(_masters(ctx).restore(resource), as_json)


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
    entry = _masters(ctx).tag(resource, skill_names, remove=remove)
    if as_json:
        _print_json(entry)
        return
    console = _console()
    console.print(f"{entry['title']}: {', '.join(entry['skills']) or 'no tags'}", soft_wrap=True)
    if "unchanged" in entry:
        console.print(f"{entry['unchanged']}.", soft_wrap=True)


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
    _report_change(_masters(ctx).add(new, domain=domain, under=under), as_json)


@app.command("import")
def import_readme(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The README to import.", show_default=False)],
    name: Annotated[
        str | None, typer.Option(help="Name the curriculum (default: its title).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Import a curriculum README and link it, so progress can be synced back."""
    summary = _masters(ctx).import_readme(path, name)
    if as_json:
        _print_json(summary)
        return
    _console().print(
        f"Imported {summary['curriculum']!r} from {summary['path']}: {summary['domains']} "
        f"domains, {summary['resources']} resources, {summary['checkboxes']} checkboxes.",
        soft_wrap=True,
    )
    if summary["conventions"]:
        found = ", ".join(f"{name} ({count})" for name, count in summary["conventions"].items())
        _console().print(f"Conventions kept: {found}", soft_wrap=True)


@app.command()
def sync(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the diff; write nothing.")
    ] = False,
    add_checkboxes: Annotated[
        bool,
        typer.Option("--add-checkboxes", help="Give checkbox-less resources a checkbox."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Write progress to the linked README, taking in your edits to it."""
    result = _masters(ctx).sync(dry_run=dry_run, add_checkboxes=add_checkboxes)
    if as_json:
        _print_json(result)
    else:
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
    result = _masters(ctx).follow(source, ref, base)
    if as_json:
        _print_json(result)
        return
    at = f" at {result['ref']}" if result["ref"] else ""
    _console().print(
        f"Following {result['upstream']}{at}, based on {result['based_on']}: "
        f"{result['changes']} change(s) upstream. `diymasters upstream diff` lists them.",
        soft_wrap=True,
    )


upstream_app = typer.Typer(help="What the curators changed upstream, and merging it in.")
app.add_typer(upstream_app, name="upstream")


@upstream_app.command("diff")
def upstream_diff(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List what the curators changed since the version your README is based on."""
    result = _masters(ctx).upstream_diff()
    if as_json:
        _print_json(result)
        return
    _print_changes(result["changes"])


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
    result = _masters(ctx).upstream_merge(dry_run=dry_run, take=side, choices=choices)
    if as_json:
        _print_json(result)
        return
    console = _console()
    if not result["diff"]:
        console.print(
            f"Nothing to merge: {result['path']} is up to date with upstream.",
            soft_wrap=True,
        )
        return
    if dry_run:
        console.print(Text(result["diff"]), end="")
    kept, surviving = result["marks_kept"], result["marks_on_surviving"]
    console.print(
        f"{'Would merge' if dry_run else 'Merged'} {len(result['changes'])} upstream change(s) "
        f"into {result['path']}; {kept} of {surviving} marks on surviving items kept.",
        soft_wrap=True,
    )
    for title in result["marks_on_removed"]:
        console.print(f"  removed upstream, was marked: {title}", soft_wrap=True)
    for title in result["marks_on_unboxed"]:
        console.print(f"  upstream dropped its checkbox, was marked: {title}", soft_wrap=True)
    if "sync" in result:
        _print_merge_sync(result["sync"])


def _print_merge_sync(sync: dict[str, Any]) -> None:
    """What the curriculum took in from the merged file."""
    added, domains, archived = (
        sync["added_resources"],
        len(sync["added_domains"]),
        len(sync["archived"]),
    )
    if added or domains or archived:
        _console().print(
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


def _print_changes(changes: list[dict[str, Any]]) -> None:
    console = _console()
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
            f"{symbols[change['kind']]} {change['kind']:<7} {change['title']} "
            f"[{change['section']}]{_change_detail(change)}",
            soft_wrap=True,
        )


def _change_detail(change: dict[str, Any]) -> str:
    """What a renamed, moved or relinked item was and became; a link may come or go."""
    before, after = change["before"], change["after"]
    if change["kind"] == "link" and before is None:
        return f" (link added: {after})"
    if change["kind"] == "link" and after is None:
        return f" (link removed: {before})"
    if change["kind"] in {"renamed", "moved", "link"}:
        return f" ({before} -> {after})"
    return ""


readme_app = typer.Typer(help="Check README round trips; turn autosync on or off.")
app.add_typer(readme_app, name="readme")


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
        _print_json(result)
    else:
        verdict = "identical" if result["identical"] else "DIFFERENT"
        _console().print(
            f"{path}: {verdict} ({result['bytes']} bytes, {result['domains']} domains, "
            f"{result['resources']} resources, {result['checkboxes']} checkboxes, "
            f"{result['encoding']}, {result['newline']})",
            soft_wrap=True,
        )
    if not result["identical"]:
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
    result = _masters(ctx).set_autosync(enabled=state == "on")
    if as_json:
        _print_json(result)
    elif not result["changed"]:
        _console().print(
            f"Autosync is already {state} for {result['path']}; nothing changed.", soft_wrap=True
        )
    else:
        _console().print(f"Autosync {state} for {result['path']}.", soft_wrap=True)


@app.command()
def gaps(
    ctx: typer.Context,
    posting: PostingOption = None,
    corpus: CorpusOption = None,
    role: RoleOption = None,
    target: TargetOption = None,
    max_posting_bytes: MaxPostingBytesOption = MAX_POSTING_BYTES,
    max_postings: MaxPostingsOption = MAX_POSTINGS,
    as_json: JsonOption = False,
) -> None:
    """How much of the demand your curriculum covers, its gaps, and what to add."""
    limits = Limits(max_posting_bytes, max_postings)
    result = _masters(ctx).gaps(
        posting=_posting_text(posting, limits),
        corpus=corpus,
        role=role,
        target=target,
        limits=limits,
    )
    if as_json:
        _print_json(result)
    else:
        _print_gaps(result)


def _posting_text(posting: str | None, limits: Limits) -> str | None:
    if posting == "-":
        return read_stream(sys.stdin.buffer, "stdin", limits).text
    if posting is not None:
        return read_posting(Path(posting), limits).text
    return None


target_app = typer.Typer(help="Saved targets: the demand you aim at, kept under a name.")
app.add_typer(target_app, name="target")


@target_app.command("save")
def target_save(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The target's name.", show_default=False)],
    posting: PostingOption = None,
    corpus: CorpusOption = None,
    role: RoleOption = None,
    max_posting_bytes: MaxPostingBytesOption = MAX_POSTING_BYTES,
    max_postings: MaxPostingsOption = MAX_POSTINGS,
    as_json: JsonOption = False,
) -> None:
    """Save the demand of a posting or of postings as a target for `gaps --target`."""
    masters = _masters(ctx)
    limits = Limits(max_posting_bytes, max_postings)
    demand = masters.demand(
        posting=_posting_text(posting, limits), corpus=corpus, role=role, limits=limits
    )
    result = masters.save_target(name, demand)
    if as_json:
        _print_json(result)
    else:
        _console().print(
            f"Saved target {name!r}: {result['skills']} skills from {result['source']}.",
            soft_wrap=True,
        )


def _print_gaps(result: dict[str, Any]) -> None:
    console = _console()
    cover = result["coverage"]
    console.print(
        f"Coverage of {result['demand_source']}: {cover['curriculum']:.0%} by the whole "
        f"curriculum, {cover['done']:.0%} by what is done.",
        soft_wrap=True,
    )
    for domain, shares in result["by_domain"].items():
        console.print(
            f"  {domain}: {shares['curriculum']:.0%} (done {shares['done']:.0%})", soft_wrap=True
        )
    if result["gaps"]:
        console.print(
            "Top gaps: " + ", ".join(g["skill"] for g in result["gaps"][:10]), soft_wrap=True
        )
    for item in result["recommendations"][:5]:
        console.print(f"→ {item['title']} ({item['url']}): {item['why']}", soft_wrap=True)


Objective = Annotated[
    str,
    typer.Option(help="What to minimise: hours, cost, or weighted (cost + hours x --hour-value)."),
]


@app.command("plan")
def make_plan(
    ctx: typer.Context,
    posting: PostingOption = None,
    corpus: CorpusOption = None,
    role: RoleOption = None,
    target: TargetOption = None,
    hours_per_week: Annotated[
        float, typer.Option(help="Study hours a week, spread over every day.")
    ] = 8.0,
    hours: Annotated[
        str | None, typer.Option(help="Hours per weekday instead, e.g. 'mon=1,wed=1,sat=4'.")
    ] = None,
    start: Annotated[
        str | None, typer.Option(help="First study day, YYYY-MM-DD (default: today).")
    ] = None,
    breaks: Annotated[
        list[str] | None,
        typer.Option("--break", help="Days off, FIRST:LAST (YYYY-MM-DD:YYYY-MM-DD); repeatable."),
    ] = None,
    budget: Annotated[float | None, typer.Option(help="Most to spend, in USD.")] = None,
    max_hours: Annotated[float | None, typer.Option(help="Most hours in all.")] = None,
    objective: Objective = "hours",
    hour_value: Annotated[
        float | None, typer.Option(help="With --objective weighted: USD an hour is worth.")
    ] = None,
    coverage: Annotated[
        float, typer.Option(help="Demand-weighted share to cover (1: every skill taught).")
    ] = 1.0,
    include: Annotated[
        list[str] | None, typer.Option(help="A catalog entry the plan must take; repeatable.")
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option(help="A catalog entry the plan must not take; repeatable.")
    ] = None,
    know: Annotated[
        list[str] | None, typer.Option(help="A skill you already have; repeatable.")
    ] = None,
    time_limit: Annotated[float, typer.Option(help="Seconds the solver may take.")] = 5.0,
    name: Annotated[str, typer.Option(help="Save the plan under this name.")] = "plan",
    save: Annotated[
        bool, typer.Option("--save/--no-save", help="Keep the plan for `progress`.")
    ] = True,
    ics: Annotated[
        Path | None, typer.Option(help="Also write the schedule as an .ics file.")
    ] = None,
    max_posting_bytes: MaxPostingBytesOption = MAX_POSTING_BYTES,
    max_postings: MaxPostingsOption = MAX_POSTINGS,
    as_json: JsonOption = False,
) -> None:
    """The fewest hours (or dollars) that cover the demand, in order, on your calendar."""
    if objective not in {"hours", "cost", "weighted"}:
        raise typer.BadParameter("use hours, cost or weighted", param_hint="--objective")
    options = PlanOptions(
        objective=objective,  # type: ignore[arg-type]
        coverage=coverage,
        budget=budget,
        max_hours=max_hours,
        hour_value=hour_value,
        include=frozenset(include or ()),
        exclude=frozenset(exclude or ()),
        time_limit=time_limit,
    )
    days_off = [parse_break(text) for text in breaks or ()]
    calendar = (
        StudyCalendar(parse_weekday_hours(hours), tuple(days_off))
        if hours
        else StudyCalendar.weekly(hours_per_week, days_off)
    )
    masters = _masters(ctx)
    limits = Limits(max_posting_bytes, max_postings)
    result = masters.plan(
        posting=_posting_text(posting, limits),
        corpus=corpus,
        role=role,
        target=target,
        options=options,
        known=know,
        calendar=calendar,
        start=_start_day(start),
        name=name,
        save=save,
        ics=ics,
        limits=limits,
    )
    if as_json:
        _print_json(result)
    else:
        _print_plan(result)


def _start_day(text: str | None) -> dt.date | None:
    if text is None or text.strip().lower() == "today":
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date (use YYYY-MM-DD)") from None


@app.command()
def progress(
    ctx: typer.Context,
    name: Annotated[str, typer.Option(help="The saved plan.")] = "plan",
    ics: Annotated[Path | None, typer.Option(help="Write the saved plan as an .ics file.")] = None,
    as_json: JsonOption = False,
) -> None:
    """How your saved plan is going: hours studied, pace, projected finish, ahead or behind."""
    masters = _masters(ctx)
    result = masters.plan_progress(name)
    if ics is not None:
        result["ics"] = masters.plan_ics(ics, name)
    if as_json:
        _print_json(result)
        return
    console = _console()
    console.print(
        f"Plan {result['name']!r}: {result['hours_studied']:g} of {result['hours_planned']:g} h "
        f"studied ({result['hours_due_by_today']:g} h were due by {result['today']}).",
        soft_wrap=True,
    )
    pace = result["pace_hours_per_week"]
    how = f"at your pace of {pace:g} h a week" if pace is not None else "on the plan's calendar"
    console.print(
        f"Projected finish {result['projected_finish']} {how}; the plan said "
        f"{result['saved_finish']}: {result['verdict']}.",
        soft_wrap=True,
    )
    if "ics" in result:
        console.print(f"Calendar written: {result['ics']['path']}", soft_wrap=True)


@app.command()
def adopt(
    ctx: typer.Context,
    name: Annotated[str, typer.Option(help="The saved plan.")] = "plan",
    as_json: JsonOption = False,
) -> None:
    """Add the saved plan's resources to your curriculum, so their hours count in `progress`."""
    result = _masters(ctx).adopt_plan(name)
    if as_json:
        _print_json(result)
        return
    console = _console()
    for item in result["added"]:
        console.print(f"+ {item['title']} (in {item['domain']})", soft_wrap=True)
    if not result["added"]:
        console.print("Nothing to add: the curriculum has every resource of the plan.")
    for title in result["no_domain"]:
        console.print(
            f"Not added, no domain of yours fits: {title} (use `diymasters add`)", soft_wrap=True
        )


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = (
        "127.0.0.1"
    ),
    port: Annotated[
        int, typer.Option(min=0, max=65535, help="Port to listen on; 0 takes any free one.")
    ] = 8000,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the overview in your web browser.")
    ] = False,
    get: Annotated[
        str | None,
        typer.Option(
            "--get",
            metavar="PATH",
            help="Print one page (e.g. /overview.json) and exit, 1 if it is not a 200.",
        ),
    ] = None,
    timeout: Annotated[
        int,
        typer.Option(
            min=1,
            help="Seconds a client has to send a whole request, and an idle connection stays open.",
        ),
    ] = 5,
) -> None:
    """Serve the web UI: overview, Venn diagram, curriculum, README, postings, gaps and plan."""
    # The one place the CLI reaches the web layer: starting it. Imported here so that other
    # commands do not pay for Starlette and uvicorn.
    from diymasters import web  # noqa: PLC0415
    from diymasters.web.limits import Limits  # noqa: PLC0415

    masters = _masters(ctx)
    if get is not None:
        settings = web.Settings()
        status, _, body = web.fetch(web.create_app(masters, settings), get, settings)
        sys.stdout.buffer.write(body)
        if status != 200:  # noqa: PLR2004 (HTTP OK)
            _fail(f"GET {get} answered {status}", 1)
        return
    masters.curriculum()  # fail now, in one line, on an empty or broken store
    sock = web.listen(host, port)
    settings = web.settings_for(sock, Limits(timeout=timeout))
    if not settings.loopback:
        sys.stderr.write(
            f"Warning: {host} is not a loopback address; anyone who can reach it can change "
            "your masters.\n"
        )
    sys.stdout.write(f"diymasters is serving {settings.url} (Ctrl-C stops it)\n")
    sys.stdout.flush()
    if open_browser:
        webbrowser.open(settings.url)
    web.serve(masters, sock, settings)
    sys.stdout.write("Stopped.\n")


def _covers(skills: list[str], shown: int = 4) -> str:
    if not skills:
        return "(a prerequisite)"
    return ", ".join(skills[:shown]) + (" …" if len(skills) > shown else "")


def _print_plan(result: dict[str, Any]) -> None:
    console = _console()
    table = Table(box=None, pad_edge=False)
    for column in ("", "resource", "hours", "cost", "start", "finish", "covers"):
        table.add_column(column, justify="right" if column in {"hours", "cost"} else "left")
    for number, item in enumerate(result["items"], 1):
        hours = f"{item['hours']:g}" + ("" if item["hours_stated"] else "*")
        table.add_row(
            str(number),
            item["title"] + (" (under way)" if item["committed"] else ""),
            hours,
            f"${item['cost']:g}" if item["cost"] else "free",
            item["start"],
            item["finish"],
            _covers(item["covers"]),
        )
    console.print(table)
    quality = (
        "proven optimal"
        if result["optimal"]
        else "greedy (the solver ran out of time)"
        if result["method"] == "greedy"
        else f"best found, gap {result['gap']:.1%}"
    )
    console.print(
        f"Plan {result['name']!r} against {result['demand_source']}: {len(result['items'])} "
        f"items, {result['total_hours']:g} h, ${result['total_cost']:g}, {quality} in "
        f"{result['seconds']:g} s. At {result['hours_per_week']:g} h a week from "
        f"{result['start']}, finished {result['finish']}.",
        soft_wrap=True,
    )
    if any(not item["hours_stated"] for item in result["items"]):
        console.print(
            f"* no stated hours: the catalog median ({result['assumed_hours']:g} h) stands in.",
            soft_wrap=True,
        )
    if result["uncovered"]:
        console.print(
            "No catalog resource teaches: " + ", ".join(result["uncovered"][:10]), soft_wrap=True
        )
    if "ics" in result:
        console.print(f"Calendar written: {result['ics']['path']}", soft_wrap=True)
    if result["saved"] and any(not item["committed"] for item in result["items"]):
        console.print(
            f"Saved as {result['name']!r}: `diymasters adopt` adds its resources to your "
            "curriculum, and `diymasters progress` tracks it.",
            soft_wrap=True,
        )


catalog_app = typer.Typer(help="The catalog of real learning resources.")
app.add_typer(catalog_app, name="catalog")


@catalog_app.command("search")
def catalog_search(
    query: Annotated[str, typer.Argument(help="Words to look for (title, provider, skills).")] = "",
    skill: Annotated[str | None, typer.Option(help="Only entries teaching this skill.")] = None,
    domain: Annotated[str | None, typer.Option(help="Only entries in this domain.")] = None,
    free: Annotated[bool, typer.Option("--free", help="Only free or auditable ones.")] = False,
    max_hours: Annotated[
        float | None, typer.Option(help="Only entries of at most this many stated hours.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Search the catalog."""
    entries = catalog.search(
        catalog.load_catalog(), query, skill=skill, domain=domain, free=free, max_hours=max_hours
    )
    if as_json:
        _print_json([catalog.entry_json(e) for e in entries])
        return
    table = Table(box=None, pad_edge=False)
    id_width = min(36, max([2, *(len(e.id) for e in entries)]))
    title_width = max(20, _console().width - id_width - 7 - 10 - 6)
    for heading, width in (("id", id_width), ("title", title_width), ("hours", 7), ("cost", 10)):
        table.add_column(heading, no_wrap=True, overflow="ellipsis", width=width)
    for entry in entries:
        hours = f"{entry.hours:g} h" if entry.hours else ""
        cost = "free" if entry.cost == 0 else "audit free" if entry.audit else ""
        table.add_row(entry.id, entry.title, hours, cost)
    _console().print(table)


@catalog_app.command("show")
def catalog_show(
    entry_id: Annotated[str, typer.Argument(help="The entry's id.", show_default=False)],
    as_json: JsonOption = False,
) -> None:
    """Show one catalog entry in full."""
    entry = catalog.entry_json(catalog.load_catalog().get(entry_id))
    if as_json:
        _print_json(entry)
        return
    console = _console()
    console.print(f"{entry['title']} ({entry['provider']})", style="bold", soft_wrap=True)
    for key in ("url", "kind", "level", "hours", "source", "cost", "audit", "parent"):
        if entry[key] not in (None, ""):
            console.print(f"  {key}: {entry[key]}", soft_wrap=True)
    skills = ", ".join(s["name"] for s in entry["skills"])
    console.print(f"  skills: {skills}", soft_wrap=True)
    if entry["prerequisites"]:
        console.print(f"  prerequisites: {', '.join(entry['prerequisites'])}", soft_wrap=True)
    if entry["children"]:
        console.print(f"  parts: {', '.join(entry['children'])}", soft_wrap=True)


@catalog_app.command("match")
def catalog_match(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Show which catalog entry each resource of the curriculum is, and how sure the match is."""
    rows = _masters(ctx).catalog_matches()
    if as_json:
        _print_json(rows)
        return
    matched = sum(1 for row in rows if row["entry"])
    console = _console()
    for row in rows:
        if row["entry"]:
            console.print(
                f"✓ {row['resource']} → {row['entry']} ({row['by']}, {row['score']:.0f})",
                soft_wrap=True,
            )
        else:
            console.print(f"○ {row['resource']}: no catalog entry", soft_wrap=True, style="dim")
    console.print(f"{matched} of {len(rows)} resources matched.")


skills_app = typer.Typer(help="Skills demanded by job postings: one posting, or a corpus.")
app.add_typer(skills_app, name="skills")


@skills_app.command("extract")
def skills_extract(
    path: Annotated[
        str,
        typer.Argument(help="A posting file, CSV, JSON Lines or folder; '-' reads stdin."),
    ] = "-",
    column: Annotated[str | None, typer.Option(help="The text column of a CSV.")] = None,
    tagger: Annotated[
        bool, typer.Option(help="Also find long phrases with the trained span tagger.")
    ] = True,
    max_posting_bytes: MaxPostingBytesOption = MAX_POSTING_BYTES,
    max_postings: MaxPostingsOption = MAX_POSTINGS,
    as_json: JsonOption = False,
) -> None:
    """Find the skills a posting asks for, with where each was said."""
    limits = Limits(max_posting_bytes, max_postings)
    if path == "-":
        if sys.stdin.isatty():
            msg = "paste a posting on standard input, or give a file"
            raise typer.BadParameter(msg, param_hint="PATH")
        found = extract_postings(sys.stdin.buffer, tagger=tagger, limits=limits)
    else:
        found = extract_postings(Path(path), column=column, tagger=tagger, limits=limits)
    first, second = next(found, None), next(found, None)
    if path.lower().endswith(".jsonl") or second is not None:
        _print_mention_lines(itertools.chain(filter(None, (first, second)), found))
        return
    mentions = first[1] if first else []
    if as_json:
        _print_json({"skills": mentions})
    elif mentions:
        _console().print(_mentions_table(mentions))
    else:
        _console().print(_nothing_found(path, first[0] if first else None), soft_wrap=True)


def _nothing_found(path: str, posting: Posting | None) -> str:
    """Say plainly why there is no table, rather than print an empty one (issue 13)."""
    if posting is None:
        return f"No postings found in {path}."
    if not posting.text.strip():
        return f"No skills found: {posting.source} is empty."
    return f"No skills found in {posting.source}: it names none that diymasters knows."


def _print_mention_lines(found: Iterable[tuple[Posting, list[dict[str, Any]]]]) -> None:
    """One JSON line per posting, written as each is read, so that none waits for the rest."""
    for posting, mentions in found:
        identifier = posting.id.rsplit("#", 1)[-1] if "#" in posting.id else posting.id
        sys.stdout.write(json.dumps({"id": identifier, "skills": mentions}) + "\n")


@skills_app.command("corpus")
def skills_corpus(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A file or folder of postings.", show_default=False)],
    column: Annotated[str | None, typer.Option(help="The text column.")] = None,
    title_column: Annotated[str | None, typer.Option(help="The job title column.")] = None,
    date_column: Annotated[str | None, typer.Option(help="The posting date column.")] = None,
    role: Annotated[
        str | None, typer.Option(help="Report only this role, e.g. 'data scientist'.")
    ] = None,
    top: Annotated[int, typer.Option(help="How many skills to list.")] = 30,
    tagger: Annotated[
        bool, typer.Option(help="Use the span tagger too (finds more; about 10x slower).")
    ] = False,
    max_posting_bytes: MaxPostingBytesOption = MAX_POSTING_BYTES,
    max_postings: MaxPostingsOption = MAX_POSTINGS,
    as_json: JsonOption = False,
) -> None:
    """Import postings into the store and report which skills they demand."""
    masters = _masters(ctx)
    console = Console(stderr=True)
    with Progress(
        TextColumn("Finding skills"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=as_json or not console.is_terminal,
    ) as progress:
        task = progress.add_task("postings", total=None)
        result = masters.analyse_corpus(
            path,
            column=column,
            title_column=title_column,
            date_column=date_column,
            role=role,
            top=top,
            tagger=tagger,
            on_total=lambda total: progress.update(task, total=total),
            on_progress=lambda done: progress.advance(task, done),
            limits=Limits(max_posting_bytes, max_postings),
        )
    if as_json:
        _print_json(result)
    else:
        _print_demand(result)


@skills_app.command("info")
def skills_info(as_json: JsonOption = False) -> None:
    """Show the shipped taxonomy's size, sources, load time and attribution."""
    started = time.perf_counter()
    taxonomy = load_taxonomy()
    seconds = time.perf_counter() - started
    by_source: dict[str, int] = {}
    for skill in taxonomy.skills.values():
        by_source[skill.source] = by_source.get(skill.source, 0) + 1
    result = {
        "skills": len(taxonomy.skills),
        "by_source": by_source,
        "load_seconds": round(seconds, 3),
        "sources": taxonomy.sources,
        "attribution": taxonomy.attribution,
    }
    if as_json:
        _print_json(result)
        return
    console = _console()
    console.print(
        f"{result['skills']} skills ({', '.join(f'{k} {v}' for k, v in by_source.items())}), "
        f"loaded in {seconds:.2f} s",
        soft_wrap=True,
    )
    for name, statement in taxonomy.attribution.items():
        console.print(f"{name}: {statement}", soft_wrap=True)


def _mentions_table(mentions: list[dict[str, Any]]) -> Table:
    """One row per skill, at its first mention; the evidence is cut to fit the line."""
    rows, seen = [], set()
    for mention in mentions:
        if mention["id"] not in seen:
            seen.add(mention["id"])
            needed = "required" if mention["required"] else "preferred"
            evidence = " ".join(mention["evidence"].split())
            rows.append((mention["name"], mention["domain"], needed, evidence))
    table = Table(box=None, pad_edge=False)
    widths = [
        min(28, max([len(heading), *(len(row[index]) for row in rows)]))
        for index, heading in enumerate(("skill", "domain", "needed"))
    ]
    for heading, width in zip(("skill", "domain", "needed"), widths, strict=True):
        table.add_column(heading, no_wrap=True, overflow="ellipsis", width=width)
    room = max(20, _console().width - sum(widths) - 2 * len(widths))
    table.add_column("evidence", no_wrap=True, overflow="ellipsis", width=room)
    for row in rows:
        table.add_row(*row)
    return table


def _print_demand(result: dict[str, Any]) -> None:
    console = _console()
    console.print(
        f"{result['read']} postings read, {result['collapsed']} near-duplicates collapsed, "
        f"{result['postings']} analysed ({result['new_in_store']} new in the store, "
        f"{result['in_store']} in all)",
        soft_wrap=True,
    )
    for source, columns in result["columns"].items():
        console.print(
            f"  {source}: text {columns['text']!r}, title {columns['title']!r}, "
            f"date {columns['date']!r}",
            soft_wrap=True,
            style="dim",
        )
    table = Table(title="Skills most demanded", box=None, pad_edge=False)
    for heading in ("skill", "domain", "postings", "required", "preferred"):
        table.add_column(heading, justify="left" if heading in {"skill", "domain"} else "right")
    for skill in result["skills"]:
        table.add_row(
            skill["name"],
            skill["domain"],
            f"{skill['share']:.1%}",
            f"{skill['required_share']:.1%}",
            f"{skill['preferred_share']:.1%}",
        )
    console.print(table)
    domains = Table(title="By domain", box=None, pad_edge=False)
    domains.add_column("domain")
    domains.add_column("postings naming it", justify="right")
    for domain in result["domains"]:
        domains.add_row(domain["domain"], f"{domain['share']:.1%}")
    console.print(domains)
    for role in result["roles"][:6]:
        top = ", ".join(f"{s['name']} {s['share']:.0%}" for s in role["skills"][:8])
        console.print(f"{role['role']} ({role['postings']}): {top}", soft_wrap=True)
    months = [m for m in result["months"] if m["postings"] >= _MONTH_MIN_POSTINGS]
    for month in months[-12:]:
        leaders = sorted(month["shares"].items(), key=lambda item: -item[1])[:4]
        shares = ", ".join(f"{name} {share:.0%}" for name, share in leaders)
        console.print(f"{month['month']} ({month['postings']}): {shares}", soft_wrap=True)
    pairs = ", ".join(
        f"{' + '.join(p['skills'])} {p['share']:.0%}" for p in result["co_occurring"][:8]
    )
    console.print(f"Most often together: {pairs}", soft_wrap=True)


#: Months with fewer dated postings than this are too thin to show in the text report.
_MONTH_MIN_POSTINGS = 20


def _print_sync(result: dict[str, Any]) -> None:
    console = _console()
    if result["edited_since_last_sync"]:
        console.print("The README changed since the last sync; your edits were merged.")
    if result["dry_run"]:
        sys.stdout.write(result["diff"] or "Nothing to write.\n")
    elif result["written"]:
        console.print(
            f"Wrote {len(result['to_file'])} change(s) to {result['path']}.", soft_wrap=True
        )
    else:
        console.print(f"{result['path']} is up to date.", soft_wrap=True)
    for title in result["from_file"]:
        console.print(f"From the README: {title}", soft_wrap=True)
    for name in result["added_domains"]:
        console.print(f"New section in the README, added as a domain: {name}", soft_wrap=True)
    for title in result["added_from_file"]:
        console.print(f"Added from the README: {title}", soft_wrap=True)
    for title in result["archived"]:
        console.print(
            f"No longer in the README, archived (out of progress, history kept): {title}; "
            f"`diymasters restore {_quoted_arg(title)}` brings it back",
            soft_wrap=True,
        )
    for note in result["notes"]:
        console.print(f"Note: {note}", soft_wrap=True, style="dim")


# --- Presentation ---------------------------------------------------------------------------

_GLYPHS = {
    "done": ("✓", "green"),
    "in_progress": ("◐", "yellow"),
    "todo": ("○", ""),
    "dropped": ("✗", "dim"),
}
_BAR_WIDTH = 12


@dataclass(frozen=True)
class _Row:
    """One line of the status table: a domain or a resource at some depth of the tree."""

    prefix: str
    label: Text
    progress: float | None
    hours: str


def _bar(progress: float) -> Text:
    filled = round(progress * _BAR_WIDTH)
    bar = Text("█" * filled, style="green")
    bar.append("░" * (_BAR_WIDTH - filled), style="dim")
    return bar


def _hours(logged: float, estimated: float | None, known: float | None = None) -> str:
    if estimated is not None:
        return f"{logged:g} / {estimated:g} h"
    if known:
        return f"{logged:g} / ≥{known:g} h"
    return f"{logged:g} h" if logged else ""


def _status_table(report: dict[str, Any]) -> Table:
    overall = report["overall"]
    estimate = overall["hours_estimated"] if overall["estimate_complete"] else None
    total = _Row(
        "",
        Text(report["curriculum"], style="bold"),
        overall["progress"],
        _hours(overall["hours_logged"], estimate, overall["hours_estimated"]),
    )
    rows = [total]
    domains = report["domains"]
    for index, domain in enumerate(domains):
        rows += _domain_rows(domain, "", last=index == len(domains) - 1)
    if report["archived"]:
        rows.append(_Row("", Text("No longer in the README (archived)", style="dim"), None, ""))
        rows += [_archived_row(entry) for entry in report["archived"]]
    return _table(rows)


def _archived_row(entry: dict[str, Any]) -> _Row:
    logged = f"{entry['hours_logged']:g} h logged" if entry["hours_logged"] else ""
    label = Text(f"{entry['title']} (since {entry['archived']})", style="dim")
    return _Row("   ", label, None, logged)


def _quoted_arg(text: str) -> str:
    """A title as the learner would type it in a shell."""
    return shlex.quote(text)


def _table(rows: list[_Row]) -> Table:
    labels = [len(row.prefix) + row.label.cell_len for row in rows]
    hours = max((len(row.hours) for row in rows), default=0)
    # The title column gives way first: bars, percentages and hours stay whole and aligned.
    room = _console().width - _BAR_WIDTH - 4 - hours - 6
    table = Table(box=None, show_header=False, pad_edge=False, expand=False)
    table.add_column(
        "item", overflow="ellipsis", no_wrap=True, width=min(max(labels), max(room, 16))
    )
    table.add_column("bar", no_wrap=True, width=_BAR_WIDTH)
    table.add_column("%", justify="right", no_wrap=True, width=4)
    table.add_column("hours", justify="right", no_wrap=True, style="dim", width=hours)
    for row in rows:
        label = Text(row.prefix, style="dim").append_text(row.label)
        if row.progress is None:
            table.add_row(label, "", "", row.hours)
        else:
            table.add_row(label, _bar(row.progress), f"{row.progress:.0%}", row.hours)
    return table


def _branch(prefix: str, *, last: bool) -> tuple[str, str]:
    """Return the connector for this item and the prefix for its children."""
    return prefix + ("└─ " if last else "├─ "), prefix + ("   " if last else "│  ")


def _domain_rows(domain: dict[str, Any], prefix: str, *, last: bool) -> list[_Row]:
    here, below = _branch(prefix, last=last)
    empty = not domain["resources"] and not domain["domains"]
    label = Text(domain["name"], style="bold cyan")
    if empty:
        label.append("  nothing here yet", style="dim")
    hours = _hours(domain["hours_logged"], domain["hours_estimated"], domain["hours_known"])
    rows = [_Row(here, label, None if empty else domain["progress"], hours)]
    children: list[tuple[str, dict[str, Any]]] = [("resource", r) for r in domain["resources"]]
    children += [("domain", d) for d in domain["domains"]]
    for index, (kind, child) in enumerate(children):
        is_last = index == len(children) - 1
        if kind == "domain":
            rows += _domain_rows(child, below, last=is_last)
        else:
            rows += _resource_rows(child, below, last=is_last)
    return rows


def _resource_label(resource: dict[str, Any]) -> Text:
    glyph, style = _GLYPHS[resource["status"]]
    label = Text(f"{glyph} ", style=style)
    label.append(resource["title"], style="strike dim" if resource["status"] == "dropped" else "")
    return label


def _resource_rows(resource: dict[str, Any], prefix: str, *, last: bool) -> list[_Row]:
    here, below = _branch(prefix, last=last)
    hours = _hours(resource["hours_logged"], resource["hours_estimated"])
    rows = [_Row(here, _resource_label(resource), resource["progress"], hours)]
    children = resource["children"]
    for index, child in enumerate(children):
        rows += _resource_rows(child, below, last=index == len(children) - 1)
    return rows


def _resource_table(resource: dict[str, Any]) -> Table:
    hours = _hours(resource["hours_logged"], resource["hours_estimated"])
    rows = [_Row("", _resource_label(resource), resource["progress"], hours)]
    children = resource["children"]
    for index, child in enumerate(children):
        rows += _resource_rows(child, "", last=index == len(children) - 1)
    return _table(rows)


def _report_change(entry: dict[str, Any], as_json: bool) -> None:
    if as_json:
        _print_json(entry)
        return
    _console().print(_resource_table(entry))
    if "unchanged" in entry:
        _console().print(f"{entry['unchanged']}.", soft_wrap=True)
    if "unwritten" in entry:
        _console().print(f"Note: {entry['unwritten']}.", soft_wrap=True, style="dim")
    synced = entry.get("readme")
    if synced is None:
        return
    if "error" in synced:
        sys.stderr.write(f"README not synced: {synced['error']}\n")
    elif synced["written"]:
        _console().print(f"README updated: {synced['path']}", soft_wrap=True)


# --- Entry point ----------------------------------------------------------------------------


#: The option that raises each reading limit (a field of `postings.Limits`).
_LIMIT_OPTIONS = {"posting_bytes": "--max-posting-bytes", "postings": "--max-postings"}


def _hint(error: DiyMastersError) -> str:
    """What the CLI can add to a core error: the option that gets past a reading limit."""
    if isinstance(error, LimitExceededError) and error.limit in _LIMIT_OPTIONS:
        return f"; pass {_LIMIT_OPTIONS[error.limit]} to raise it"
    return ""


def _fail(message: str, code: int) -> None:
    sys.stderr.write(f"Error: {message}\n")
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI, turning every expected failure into one line and an exit status."""
    args = sys.argv[1:] if argv is None else argv
    command = typer.main.get_command(app)
    try:
        code = command.main(args=args or ["--help"], prog_name="diymasters", standalone_mode=False)
    except typer.TyperException as error:
        context = getattr(error, "ctx", None)
        hint = f" (see '{context.command_path} --help')" if context is not None else ""
        # Typer passes on the validator's "Value error, " prefix: not a sentence a user reads.
        message = error.format_message().replace(": Value error, ", ": ")
        _fail(f"{message}{hint}", error.exit_code)
    except typer.Abort:
        _fail("aborted", 1)
    except DiyMastersError as error:
        _fail(f"{error}{_hint(error)}", error.exit_code)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except BrokenPipeError:
        # The reader went away (`diymasters status | head`): not an error worth a word.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except Exception as error:  # a bug: say so in one line, not a traceback
        if os.environ.get("DIYMASTERS_DEBUG"):
            raise
        _fail(
            f"internal error: {type(error).__name__}: {error} "
            "(set DIYMASTERS_DEBUG=1 to see where; please report it)",
            70,
        )
    sys.exit(code if isinstance(code, int) else 0)
