"""Plans: the optimal plan for a demand, how it is going, and adopting it.

`plan`, `progress` and `adopt`, and what they print.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path  # noqa: TC003 (Typer reads the annotations at run time)
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from diymasters.cli.options import (
    CorpusOption,
    JsonOption,
    MaxPostingBytesOption,
    MaxPostingsOption,
    PostingOption,
    RoleOption,
    TargetOption,
    posting_text,
)
from diymasters.cli.output import hours_text, make_console, present
from diymasters.cli.progress import extraction_progress
from diymasters.cli.root import app, open_masters
from diymasters.config import load_config
from diymasters.hours import basis_phrase
from diymasters.plan import (
    PROGRESS_RULE,
    PlanOptions,
    StudyCalendar,
    parse_break,
    parse_weekday_hours,
)
from diymasters.plan.pace import PACE_MIN_HOURS, PACE_MIN_RESOURCES, PACE_RULE
from diymasters.postings import MAX_POSTING_BYTES, MAX_POSTINGS, Limits

if TYPE_CHECKING:
    from diymasters.plan import Pace, PlanItem, PlanReport

IcsAtOption = Annotated[
    str | None,
    typer.Option(
        help="With --ics: timed events from this time of day (HH:MM, your local time), "
        "each as long as that day's hours; all-day events without it."
    ),
]
Objective = Annotated[
    str,
    typer.Option(help="What to minimise: hours, cost, or weighted (cost + hours x --hour-value)."),
]


@app.command("plan", epilog=PACE_RULE)
def make_plan(
    ctx: typer.Context,
    posting: PostingOption = None,
    corpus: CorpusOption = None,
    role: RoleOption = None,
    target: TargetOption = None,
    hours_per_week: Annotated[
        float | None,
        typer.Option(
            help="Study hours a week, spread over every day "
            "(default: hours_per_week in the configuration file, else 8)."
        ),
    ] = None,
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
        Path | None,
        typer.Option(help="Also write the schedule as an .ics file: an event per study day."),
    ] = None,
    ics_at: IcsAtOption = None,
    pace: Annotated[
        bool | None,
        typer.Option(
            "--pace/--no-pace",
            help="Scale the hours still to do by your observed pace, once it is known "
            "(default: own_pace in the configuration file, else off).",
            show_default=False,
        ),
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
    weekly = hours_per_week if hours_per_week is not None else load_config().hours_per_week
    calendar = (
        StudyCalendar(parse_weekday_hours(hours), tuple(days_off))
        if hours
        else StudyCalendar.weekly(weekly, days_off)
    )
    masters = open_masters(ctx)
    limits = Limits(max_posting_bytes, max_postings)
    with extraction_progress(quiet=as_json) as progress:
        result = masters.plan(
            posting=posting_text(posting, limits),
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
            pace=pace,
            ics_at=_time_of_day(ics_at),
            progress=progress,
        )
    if not present(result, masters.in_use(), as_json=as_json):
        _print_plan(result)


def _time_of_day(text: str | None) -> dt.time | None:
    if text is None:
        return None
    try:
        return dt.time.fromisoformat(text.strip())
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a time of day (use HH:MM)") from None


def _start_day(text: str | None) -> dt.date | None:
    if text is None or text.strip().lower() == "today":
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date (use YYYY-MM-DD)") from None


@app.command(epilog=PROGRESS_RULE)
def progress(
    ctx: typer.Context,
    name: Annotated[str, typer.Option(help="The saved plan.")] = "plan",
    ics: Annotated[
        Path | None,
        typer.Option(help="Write the saved plan as an .ics file; importing it again updates it."),
    ] = None,
    ics_at: IcsAtOption = None,
    as_json: JsonOption = False,
) -> None:
    """How your saved plan is going: hours studied since it was made, pace, projected finish."""
    masters = open_masters(ctx)
    result = masters.plan_progress(name, ics=ics, ics_at=_time_of_day(ics_at))
    if present(result, masters.in_use(), as_json=as_json):
        return
    console = make_console()
    before = result.hours_studied_before
    console.print(
        f"Plan {result.name!r}: {hours_text(result.hours_studied)} of "
        f"{hours_text(result.hours_planned)} h studied ({hours_text(result.hours_due_by_today)} h "
        f"were due by {result.today})"
        + (
            f"; the {hours_text(before)} h studied before it was made are not counted."
            if before
            else "."
        ),
        soft_wrap=True,
    )
    pace = result.pace_hours_per_week
    how = (
        f"at your pace of {hours_text(pace)} h a week"
        if pace is not None
        else "on the plan's calendar"
    )
    console.print(
        f"Projected finish {result.projected_finish} {how}; the plan said "
        f"{result.saved_finish}: {result.verdict}.",
        soft_wrap=True,
    )
    if result.ics is not None:
        console.print(f"Calendar written: {result.ics.path}", soft_wrap=True)


@app.command()
def adopt(
    ctx: typer.Context,
    name: Annotated[str, typer.Option(help="The saved plan.")] = "plan",
    as_json: JsonOption = False,
) -> None:
    """Add the saved plan's resources to your curriculum, so their hours count in `progress`."""
    masters = open_masters(ctx)
    result = masters.adopt_plan(name)
    if present(result, masters.in_use(), as_json=as_json):
        return
    console = make_console()
    for item in result.added:
        console.print(f"+ {item.title} (in {item.domain})", soft_wrap=True)
    if not result.added:
        console.print("Nothing to add: the curriculum has every resource of the plan.")
    for title in result.no_domain:
        console.print(
            f"Not added, no domain of yours fits: {title} (use `diymasters add`)", soft_wrap=True
        )


def _covers(item: PlanItem, prerequisites: frozenset[str], shown: int = 4) -> str:
    """The target skills an item covers, or why it is in the plan when it covers none."""
    skills = item.covers
    if skills:
        return ", ".join(skills[:shown]) + (" …" if len(skills) > shown else "")
    if item.id in prerequisites:
        return "(a prerequisite)"
    if item.committed:
        return "(under way)"
    return f"(part of {item.part_of})" if item.part_of else ""


def _cost_text(cost: float | None) -> str:
    return "unknown" if cost is None else f"${cost:g}" if cost else "free"


def _total_cost_text(result: PlanReport) -> str:
    unknown = result.costs_unknown
    return f"${result.total_cost:g}" + (f" ({unknown} more of unknown price)" if unknown else "")


def _print_plan(result: PlanReport) -> None:
    console = make_console()
    table = Table(box=None, pad_edge=False)
    for column in ("", "resource", "hours", "basis", "cost", "start", "finish", "covers"):
        table.add_column(column, justify="right" if column in {"hours", "cost"} else "left")
    prerequisites = result.prerequisites()
    for number, item in enumerate(result.items, 1):
        table.add_row(
            str(number),
            item.title + (" (under way)" if item.committed else ""),
            f"{item.hours:g}",
            item.hours_basis,
            _cost_text(item.cost),
            item.start.isoformat(),
            item.finish.isoformat(),
            _covers(item, prerequisites),
        )
    console.print(table)
    quality = (
        "proven optimal"
        if result.optimal
        else "greedy (the solver ran out of time)"
        if result.method == "greedy" or result.gap is None
        else f"best found, gap {result.gap:.1%}"
    )
    console.print(
        f"Plan {result.name!r} against {result.demand_source}: {len(result.items)} "
        f"items, {result.total_hours:g} h, {_total_cost_text(result)}, {quality} in "
        f"{result.seconds:g} s. At {result.hours_per_week:g} h a week from "
        f"{result.start}, finished {result.finish}.",
        soft_wrap=True,
    )
    console.print(result.target(), soft_wrap=True)
    named = ", ".join(f"{hours:g} {basis_phrase(basis)}" for basis, hours in result.hours_named())
    console.print(f"Hours: {result.total_hours:g} h: {named}.", soft_wrap=True)
    if result.pace is not None and (result.pace.ratio is not None or result.pace.resources):
        console.print(_pace_text(result.pace), soft_wrap=True)
    if result.stand_in():
        console.print(result.stand_in(), soft_wrap=True)
    if result.uncovered:
        console.print(
            "No catalog resource teaches: " + ", ".join(result.uncovered[:10]), soft_wrap=True
        )
    if result.ics is not None:
        console.print(f"Calendar written: {result.ics.path}", soft_wrap=True)
    if result.saved and any(not item.committed for item in result.items):
        console.print(
            f"Saved as {result.name!r}: `diymasters adopt` adds its resources to your "
            "curriculum, and `diymasters progress` tracks it.",
            soft_wrap=True,
        )


def _pace_text(pace: Pace) -> str:
    """What the learner's pace is, and whether the plan used it."""
    if pace.ratio is None:
        return (
            f"Your pace: not known yet ({pace.resources} finished resources with estimates of "
            f"their own, {pace.hours_logged:g} h logged; it takes {PACE_MIN_RESOURCES} and "
            f"{PACE_MIN_HOURS:g} h)."
        )
    seen = (
        f"{pace.ratio:g}x the estimates ({pace.hours_logged:g} h logged on {pace.resources} "
        f"finished resources estimated at {pace.hours_estimated:g} h)"
    )
    if pace.applied:
        return f"Hours scaled by your pace, {seen}; --no-pace plans without it."
    return f"Your pace: {seen}. --pace plans with it."
