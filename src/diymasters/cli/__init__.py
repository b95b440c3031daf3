"""The `diymasters` command: parse arguments, call the core once, present the result.

Every expected failure (bad input, an unknown resource, a broken store) ends as one line on
stderr and a non-zero exit: 2 for what the user typed, 1 for everything else.

The modules: `root` (the Typer app, its global options, the session that opens the store),
`options` (the options and arguments commands share), `output` (the console, JSON, the
progress tree and the one line a failure ends with), `errors` (exit statuses and hints),
then one module per group of commands, each named after the part of the facade it calls
(`tracking`, `study`, `readme`, `progress_import`, `demand`, `plans`, `publish`, `export`),
`skills` (apart from `demand`, so that `skills extract` loads no store), and `serve`.
Importing a command module registers its commands; a command line loads only the module of
the command it names, so `status` never imports the other commands or the web server, and
`skills extract` never imports the store (issue 18). This package imports Typer only when it
runs a command line or ends a failure (`end`): `entry` runs `skills extract PATH` through
`extract` without it.
"""

from __future__ import annotations

import errno
import importlib
import os
import sys
from typing import TYPE_CHECKING, NoReturn

from diymasters.cli.output import fail
from diymasters.errors import DiyMastersError

if TYPE_CHECKING:
    from collections.abc import Sequence

    import typer
    from typer.models import CommandInfo, TyperInfo

#: The command modules, in the order `--help` lists the commands they register.
COMMAND_MODULES = (
    "tracking", "study", "readme", "progress_import", "demand", "skills", "plans", "publish",
    "export", "serve",
)  # fmt: skip
_TRACKING = (
    "init", "curricula", "use", "status", "show", "start", "done", "drop", "todo", "log",
    "parts", "entries", "entry", "note", "rename", "estimate", "move", "remove", "restore",
    "tag", "add",
)  # fmt: skip
#: The module that registers each command or group of commands (a test keeps it in step).
COMMANDS = {
    **dict.fromkeys(_TRACKING, "tracking"),
    **dict.fromkeys(("import", "sync", "follow", "upstream", "readme"), "readme"),
    "import-progress": "progress_import",
    **dict.fromkeys(("gaps", "target", "catalog"), "demand"),
    "skills": "skills",
    **dict.fromkeys(("plan", "progress", "adopt"), "plans"),
    **dict.fromkeys(("export", "backup"), "export"),
    "study": "study",
    **dict.fromkeys(("publish", "action"), "publish"),
    "serve": "serve",
}
#: The global options that take a value, which is not a command's name.
_OPTIONS_WITH_VALUE = frozenset({"--db", "--curriculum"})


def load_commands(args: Sequence[str] = ()) -> typer.Typer:
    """The app with the commands `args` need: the named command's module, or every module."""
    from diymasters.cli.root import app  # noqa: PLC0415 (see the module's docstring)

    module = COMMANDS.get(named_command(args) or "")
    for name in (module,) if module else () if _version_only(args) else COMMAND_MODULES:
        importlib.import_module(f"diymasters.cli.{name}")
    _in_help_order(app)
    return app


def _version_only(args: Sequence[str]) -> bool:
    """Whether the command line asks only for the version: no command's module is needed.

    Loading every module to print one line made `--version` slower than `status` (1 s).
    """
    return "--version" in args and named_command(args) is None and "--help" not in args


def named_command(args: Sequence[str]) -> str | None:
    """The command a command line names: its first word that is not an option or its value."""
    value_next = False
    for arg in args:
        if value_next:
            value_next = False
        elif arg in _OPTIONS_WITH_VALUE:
            value_next = True
        elif not arg.startswith("-"):
            return arg
    return None


def _in_help_order(app: typer.Typer) -> None:
    """Put the commands in `COMMAND_MODULES` order, whichever module a process loaded first.

    Typer lists commands in the order they were registered; a process that ran `gaps` before
    `--help` (the tests do) would otherwise list the demand commands first.
    """
    rank = {f"diymasters.cli.{name}": index for index, name in enumerate(COMMAND_MODULES)}
    app.registered_commands.sort(key=lambda command: rank[_module_of(command)])
    app.registered_groups.sort(key=lambda group: rank[_module_of(group)])


def _module_of(registered: CommandInfo | TyperInfo) -> str:
    """The module a command, or a group's first command, was registered by."""
    from typer.models import TyperInfo  # noqa: PLC0415 (see the module's docstring)

    if isinstance(registered, TyperInfo):
        assert registered.typer_instance is not None  # noqa: S101 (every group has its app)
        registered = registered.typer_instance.registered_commands[0]
    assert registered.callback is not None  # noqa: S101 (every command has its function)
    return registered.callback.__module__


__all__ = ["end", "load_commands", "main"]


def main(argv: list[str] | None = None) -> None:
    """Run the CLI, turning every expected failure into one line and an exit status."""
    import typer  # noqa: PLC0415 (see the module's docstring)

    args = sys.argv[1:] if argv is None else argv
    command = typer.main.get_command(load_commands(args))
    try:
        code = command.main(args=args or ["--help"], prog_name="diymasters", standalone_mode=False)
    except (Exception, KeyboardInterrupt) as error:  # noqa: BLE001 (`end` says each in one line)
        end(error)
    sys.exit(code if isinstance(code, int) else 0)


#: Errors writing the output that say where it goes is full, not that diymasters failed.
_OUTPUT_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def end(error: Exception | KeyboardInterrupt) -> NoReturn:
    """End a command that raised `error`: one line and an exit status, a traceback for none.

    A bug is said in one line too, unless DIYMASTERS_DEBUG asks for its traceback.
    """
    import typer  # noqa: PLC0415 (see the module's docstring)

    if isinstance(error, typer.TyperException):
        context = getattr(error, "ctx", None)
        hint = f" (see '{context.command_path} --help')" if context is not None else ""
        # Typer passes on the validator's "Value error, " prefix: not a sentence a user reads.
        message = error.format_message().replace(": Value error, ", ": ")
        fail(f"{message}{hint}", error.exit_code)
    if isinstance(error, typer.Abort):
        fail("aborted", 1)
    if isinstance(error, DiyMastersError):
        from diymasters.cli.errors import EXIT_STATUS, hint_for  # noqa: PLC0415 (see its docstring)

        fail(f"{error}{hint_for(error)}", EXIT_STATUS[error.category])
    if isinstance(error, KeyboardInterrupt):
        fail("interrupted", 130)
    if isinstance(error, BrokenPipeError):
        # The reader went away (`diymasters status | head`): not an error worth a word.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    if isinstance(error, OSError) and error.errno in _OUTPUT_FULL:
        # Nothing the command changed is lost: only what it printed (`status > /dev/full`).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        fail(f"could not write the output: {error.strerror}", 1)
    if os.environ.get("DIYMASTERS_DEBUG"):
        raise error
    fail(
        f"internal error: {type(error).__name__}: {error} "
        "(set DIYMASTERS_DEBUG=1 to see where; please report it)",
        70,
    )
