"""The `diymasters` console script: quiet on Ctrl-C from its first instant, then the CLI.

Importing the CLI takes most of a second (Typer, Rich, SQLAlchemy). Python's own handler turns
a Ctrl-C in that time into a KeyboardInterrupt traceback (issue 13), so this module imports
only the standard library, installs its own handler, and only then imports the CLI. The
package's `__init__` imports nothing eagerly, so reaching this module is cheap too.

Two command lines are answered before the CLI loads (issue 18): `status --json`, replayed
when nothing it rests on changed (`replay`), and `skills extract [PATH] [--json]`, printed by
the CLI's own `cli.extract` without Typer, which (with the pydantic it validates options with)
takes longer to load than a paragraph takes to read. Anything else on either line, and any
failure's message, is the CLI's.
"""

from __future__ import annotations

# `_signal` is the C module under `signal` (which imports enum and more first, milliseconds
# in which Ctrl-C would still print a traceback); like `os`, it is loaded with the interpreter.
import _signal  # type: ignore[import-not-found]
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from types import FrameType

    from diymasters.replay import Request

#: The status a shell reports for a command ended by Ctrl-C: 128 + SIGINT.
INTERRUPTED = 130
#: The request answered from `replay` when nothing it rests on changed (issue 18).
REPLAYED = ("status", "--json")
#: The command run without Typer when only a path and `--json` follow it (issue 18).
EXTRACT = ("skills", "extract")
_JSON = "--json"
#: Rich hides the cursor while a progress bar runs; an interrupted bar must give it back.
_SHOW_CURSOR = b"\x1b[?25h"


def _interrupted(signum: int, frame: FrameType | None) -> None:
    """End the process at once and quietly, with the status of an interrupted command.

    `os._exit` rather than an exception: the handler may run in the middle of an import, a
    finaliser or a library's `except BaseException`, where an exception can be swallowed or
    printed with a traceback. Stopping at any instant is safe because every write is atomic:
    a README is renamed into place whole, and the store commits each command in one
    transaction.
    """
    del signum, frame
    if os.isatty(2):
        os.write(2, _SHOW_CURSOR)
    os._exit(INTERRUPTED)


def replayed_request(argv: Sequence[str], environ: Mapping[str, str]) -> Request | None:
    """The request a command line makes, if it is the one replayed: `[--db STORE] status --json`.

    The store named by `--db` goes before `DIYMASTERS_DB`, as Typer has it.
    """
    words = list(argv)
    store = environ.get("DIYMASTERS_DB")
    if words[:1] == ["--db"] and len(words) > 1:
        store, words = words[1], words[2:]
    elif words and words[0].startswith("--db="):
        store, words = words[0].removeprefix("--db="), words[1:]
    if tuple(words) != REPLAYED:
        return None
    return REPLAYED, store, environ.get("DIYMASTERS_CURRICULUM")


def extract_request(argv: Sequence[str]) -> tuple[str, bool] | None:
    """For `skills extract [PATH] [--json]`: the path ('-', stdin, when none) and `--json`.

    A second path, another option or a path that starts like one leaves the line to the CLI,
    which parses, and explains, everything.
    """
    words = list(argv)
    if tuple(words[:2]) != EXTRACT:
        return None
    paths = [word for word in words[2:] if word != _JSON]
    if len(paths) > 1 or (paths and paths[0].startswith("-") and paths[0] != "-"):
        return None
    return (paths[0] if paths else "-"), len(paths) < len(words) - 2


def _extracted(argv: Sequence[str]) -> bool:
    """Run `skills extract [PATH] [--json]` without Typer; False for any other line.

    Standard input at a terminal is left to the CLI, which says what to do instead of waiting.
    """
    request = extract_request(argv)
    if request is None or (request[0] == "-" and sys.stdin.isatty()):
        return False
    from diymasters.cli import end  # noqa: PLC0415 (only once Ctrl-C is handled)
    from diymasters.cli.extract import print_extracted  # noqa: PLC0415

    path, as_json = request
    try:
        print_extracted(path, as_json=as_json)
    except (Exception, KeyboardInterrupt) as error:  # noqa: BLE001 (`end` says each in one line)
        end(error)
    return True


def _replayed(argv: Sequence[str]) -> bytes | None:
    """`status --json` kept from a run on the same files, printed before the CLI loads."""
    request = replayed_request(argv, os.environ)
    if request is None:
        return None
    from diymasters import replay  # noqa: PLC0415

    return replay.recall(request)


def main() -> None:
    """Handle Ctrl-C, then run the CLI.

    A command a shell started in the background with Ctrl-C ignored (`cmd &` in a script)
    keeps ignoring it, as Python itself does.
    """
    if _signal.getsignal(_signal.SIGINT) != _signal.SIG_IGN:
        _signal.signal(_signal.SIGINT, _interrupted)
    answer = _replayed(sys.argv[1:])
    if answer is not None:
        sys.stdout.buffer.write(answer)
        sys.stdout.flush()
        return
    if _extracted(sys.argv[1:]):
        return
    from diymasters.cli import main as run_cli  # noqa: PLC0415 (only once Ctrl-C is handled)

    run_cli()
