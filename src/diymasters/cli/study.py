"""The study timer: `study RESOURCE` (`study start`), `study stop`, `study status`, `study discard`.

`study RESOURCE` stores the session's start, then shows the time running until Ctrl-C, and
logs the session; `study stop` does the same from another terminal, or later. The clock and
the lines about it go to standard error, so that `--json` leaves standard output to the
result alone.
"""

from __future__ import annotations

import datetime as dt
import signal
import time
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.live import Live
from rich.text import Text
from typer.core import TyperGroup

from diymasters.cli.options import JsonOption, ResourceArg  # noqa: TC001 (Typer reads them)
from diymasters.cli.output import describe_session, make_console, present, print_json
from diymasters.cli.root import app, open_masters
from diymasters.cli.tracking import print_change
from diymasters.model import parse_hours
from diymasters.study import duration

if TYPE_CHECKING:
    # Typer parses with its own copy of click, whose context its groups take.
    from typer._click import Context as ClickContext

    from diymasters.masters import Masters, StudyStopped
    from diymasters.study import StudyUnderWay

#: How often the running clock redraws, and looks whether the session was ended elsewhere.
TICK_SECONDS = 1.0


class _StudyGroup(TyperGroup):
    """`study RESOURCE` means `study start RESOURCE`: what a learner types first."""

    def parse_args(self, ctx: ClickContext, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["start", *args]
        return super().parse_args(ctx, args)


study_app = typer.Typer(
    cls=_StudyGroup,
    help=(
        "Time a study session: `study RESOURCE` runs until Ctrl-C or `study stop`, then logs "
        "it in whole minutes, split at midnight. One session runs at a time; one longer than "
        "12 h is taken for a timer left running and needs `study stop --hours H`."
    ),
)
app.add_typer(study_app, name="study")


@study_app.command("start")
def study_start(
    ctx: typer.Context,
    resource: ResourceArg,
    detach: Annotated[
        bool, typer.Option("--detach", help="Start the timer and return; `study stop` logs it.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Time a session on a resource until Ctrl-C, then log it (`study RESOURCE` for short)."""
    masters = open_masters(ctx)
    session = masters.study_start(resource)
    clock = Console(stderr=True, highlight=False, markup=False)
    if detach:
        if as_json:
            print_json(session)
        else:
            make_console().print(
                f"Studying {session.resource!r} since {_clock(session)}; "
                "`diymasters study stop` logs it.",
                soft_wrap=True,
            )
        return
    clock.print(
        f"Studying {session.resource!r} since {_clock(session)}; Ctrl-C (or `diymasters study "
        "stop` from another terminal) stops the timer and logs it.",
        soft_wrap=True,
    )
    if not _run_until_interrupted(masters, session, clock):
        clock.print("The session was ended from elsewhere; nothing more to log.")
        return
    _report_stopped(masters.study_stop(key=session.key), as_json=as_json)


@study_app.command("stop")
def study_stop(
    ctx: typer.Context,
    hours: Annotated[
        str | None,
        typer.Option(help="The hours you studied, in place of the time the timer ran."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Stop the session under way (from any terminal, or later) and log its time."""
    stopped = open_masters(ctx).study_stop(hours=None if hours is None else parse_hours(hours))
    _report_stopped(stopped, as_json=as_json)


@study_app.command("status")
def study_status(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Show the study session under way, if there is one."""
    status = open_masters(ctx).study_status()
    if as_json:
        print_json(status)
    elif status.session is None:
        make_console().print("No study session is under way.")
    else:
        described = describe_session(status.session)
        make_console().print(f"{described[0].upper()}{described[1:]}.", soft_wrap=True)


@study_app.command("discard")
def study_discard(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Drop the session under way without logging it."""
    discarded = open_masters(ctx).study_discard()
    if as_json:
        print_json(discarded)
    else:
        session = discarded.session
        make_console().print(
            f"Dropped the session of {session.resource!r} ({duration(session.minutes)}); "
            "nothing was logged.",
            soft_wrap=True,
        )


def _run_until_interrupted(masters: Masters, session: StudyUnderWay, clock: Console) -> bool:
    """Show the time running until Ctrl-C (True), or until the session ends elsewhere.

    Ctrl-C is a KeyboardInterrupt here rather than the quiet exit the console script
    installs, so that the session is logged; a second Ctrl-C while it is being logged ends
    the process quietly again, and the store's one transaction leaves it logged or not.
    """
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with Live(_ticking(session), console=clock, auto_refresh=False, transient=True) as live:
            while _still_running(masters, session):
                time.sleep(TICK_SECONDS)
                live.update(_ticking(session), refresh=True)
    except KeyboardInterrupt:
        return True
    finally:
        signal.signal(signal.SIGINT, previous)
    return False


def _still_running(masters: Masters, session: StudyUnderWay) -> bool:
    running = masters.study_status().session
    return running is not None and running.key == session.key


def _ticking(session: StudyUnderWay) -> Text:
    seconds = int((dt.datetime.now(dt.UTC) - session.started).total_seconds())
    hours, rest = divmod(max(seconds, 0), 3600)
    clock = f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
    return Text.assemble((clock, "bold"), f"  {session.resource}")


def _clock(session: StudyUnderWay) -> str:
    return f"{session.started_local:%H:%M}"


def _report_stopped(stopped: StudyStopped, *, as_json: bool) -> None:
    """What a stopped session logged, under the curriculum it was timed in."""
    if present(stopped, stopped.session.curriculum, as_json=as_json):
        return
    title = stopped.session.resource
    console = make_console()
    if stopped.unlogged:
        console.print(f"Stopped {title!r}: nothing logged, {stopped.unlogged}.", soft_wrap=True)
        return
    parts = stopped.logged
    total = duration(round(sum(part.hours for part in parts) * 60))
    when = (
        str(parts[0].date)
        if len(parts) == 1
        else ", ".join(f"{duration(round(p.hours * 60))} on {p.date}" for p in parts)
        + ", split at midnight"
    )
    console.print(f"Logged {total} on {title!r} ({when}).", soft_wrap=True)
    print_change(stopped.resource)
