"""The `diymasters` command: parse arguments, call the core once, present the result.

Every expected failure (bad input, an unknown resource, a broken store) ends as one line on
stderr and a non-zero exit: 2 for what the user typed, 1 for everything else.

The modules: `root` (the Typer app, its global options, the session that opens the store),
`options` (the options and arguments commands share), `output` (the console, JSON and the
progress tree), `errors` (exit statuses and hints), then one module per group of commands,
each named after the part of the facade it calls (`tracking`, `study`, `readme`, `demand`,
`plans`),
and `serve`. Importing a command module registers its commands.
"""

from __future__ import annotations

import os
import sys

import typer

from diymasters.cli.errors import EXIT_STATUS, fail, hint_for
from diymasters.cli.root import app
from diymasters.errors import DiyMastersError

# Importing a command module registers its commands, and `--help` lists them in the order
# they were registered: the order of this import, not the alphabet's.
# isort: off
from diymasters.cli import tracking, study, readme, demand, plans, serve  # noqa: F401
# isort: on

__all__ = ["app", "main"]


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
        fail(f"{message}{hint}", error.exit_code)
    except typer.Abort:
        fail("aborted", 1)
    except DiyMastersError as error:
        fail(f"{error}{hint_for(error)}", EXIT_STATUS[error.category])
    except KeyboardInterrupt:
        fail("interrupted", 130)
    except BrokenPipeError:
        # The reader went away (`diymasters status | head`): not an error worth a word.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except Exception as error:  # a bug: say so in one line, not a traceback
        if os.environ.get("DIYMASTERS_DEBUG"):
            raise
        fail(
            f"internal error: {type(error).__name__}: {error} "
            "(set DIYMASTERS_DEBUG=1 to see where; please report it)",
            70,
        )
    sys.exit(code if isinstance(code, int) else 0)
