"""What the commands print through: the console, JSON, a session's notice, a failure's line.

Every command module imports this one, so it imports no feature of the core at load time:
`skills extract` prints through it too, and loads no curriculum model (issue 18). The progress
tree that `status`, `show` and every change print is in `cli.tree`.
"""

from __future__ import annotations

import datetime as dt
import json
import shlex
import sys
from typing import TYPE_CHECKING, NoReturn

from rich.console import Console

from diymasters import serialise

if TYPE_CHECKING:
    from diymasters.study import StudyUnderWay


def hours_text(hours: float) -> str:
    """Hours as the CLI prints them: to the hundredth, no trailing zeros (a timed 40 min: 0.67)."""
    return f"{round(hours, 2):g}"


def make_console() -> Console:
    """A console for standard output that prints text as written."""
    # Titles, notes and diffs are the user's text: "[x]" must print as written, not as markup.
    return Console(highlight=False, soft_wrap=False, markup=False)


def print_json(result: object, curriculum: str | None = None) -> None:
    """Print a result as JSON on standard output, as `serialise` makes it plain.

    An object gets a `curriculum` field naming the curriculum the command worked on, when
    one is given and the result does not name it already.
    """
    # Written as it is encoded: `dumps` held a long posting's every mention as one string,
    # and its pieces, at once (issue 13).
    data = serialise.naming(serialise.plain(result), curriculum)
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def json_text(result: object) -> str:
    """A small result as the JSON `print_json` prints, in one string to keep or print."""
    return json.dumps(serialise.plain(result), indent=2, ensure_ascii=False) + "\n"


def describe_session(session: StudyUnderWay) -> str:
    """A study session under way, its start and length, and the command that ends it."""
    from diymasters.study import duration  # noqa: PLC0415 (see the module's docstring)

    started = session.started_local
    today = dt.date.today()  # noqa: DTZ011 (the learner's own day)
    since = f"{started:%H:%M}" if started.date() == today else f"{started:%Y-%m-%d %H:%M}"
    running = (
        f"a study session of {session.resource!r} in {session.curriculum!r} is under way since "
        f"{since} ({duration(session.minutes)})"
    )
    if not session.loggable:
        return (
            f"{running}, too long to log as timed: `diymasters study stop --hours H` logs "
            "the hours you studied, `diymasters study discard` drops it"
        )
    return f"{running}: `diymasters study stop` logs it, `diymasters study discard` drops it"


def study_notice(session: StudyUnderWay | None) -> None:
    """One line on standard error about a session left under way, after another command."""
    if session is not None:
        sys.stderr.write(f"Note: {describe_session(session)}.\n")


def present(result: object, curriculum: str | None, *, as_json: bool) -> bool:
    """Say which curriculum a command worked on, first; True when that printed the result.

    As JSON, the result is printed whole, naming its curriculum; otherwise a first line
    names it, and the command prints the rest (issue 15).
    """
    if as_json:
        print_json(result, curriculum)
    elif curriculum is not None:
        make_console().print(f"Curriculum: {curriculum}", style="dim", soft_wrap=True)
    return as_json


def print_switch(curriculum: str, previous: str | None) -> None:
    """Say which curriculum commands work on from now on, and how to go back (issue 15)."""
    if previous is None or previous == curriculum:
        message = f"Now using {curriculum!r}."
    else:
        message = (
            f"Now using {curriculum!r} (was {previous!r}); "
            f"`diymasters use {shlex.quote(previous)}` goes back."
        )
    make_console().print(message, soft_wrap=True)


def fail(message: str, code: int) -> NoReturn:
    """End the command with `Error: MESSAGE` on stderr and the exit status `code`."""
    sys.stderr.write(f"Error: {message}\n")
    sys.exit(code)


#: How both reports introduce the soft skills they keep out of their rankings.
SOFT_SKILLS_APART = (
    "Also asked for, and not taught by a course (soft skills, languages and degree fields)"
)
