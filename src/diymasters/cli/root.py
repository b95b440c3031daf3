"""The `diymasters` command itself: its Typer app, its global options and the session.

The command modules register their commands on `app`. The session keeps what `--db` and
`--curriculum` chose and opens the store on first use, so `--help` never touches one. The
store, the facade and the configuration are imported then too: a command that needs none of
them (`skills extract`) does not load SQLAlchemy (issue 18).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated

import typer

from diymasters.entry import REPLAYED
from diymasters.errors import DiyMastersError

if TYPE_CHECKING:
    from diymasters import replay
    from diymasters.config import Config
    from diymasters.masters import Masters
    from diymasters.study import StudyUnderWay

#: Environment variable naming the store when `--db` is not given.
DB_ENV = "DIYMASTERS_DB"
#: Environment variable naming the curriculum when `--curriculum` is not given.
CURRICULUM_ENV = "DIYMASTERS_CURRICULUM"

app = typer.Typer(
    name="diymasters",
    help="Plan, track and publish a self-curated masters.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


@dataclass
class _Session:
    """What the global options chose; the store opens on first use."""

    db: str | None
    curriculum: str | None
    masters: Masters | None = field(default=None)
    #: The configuration, once read.
    config: Config | None = field(default=None)
    #: The store's files as the store was opened: a command that changed them may have
    #: outdated a kept status.
    opened_on: replay.Observed | None = field(default=None)

    def open(self, ctx: typer.Context) -> Masters:
        if self.masters is None:
            from diymasters.masters import Masters  # noqa: PLC0415 (see the docstring)
            from diymasters.store import Store  # noqa: PLC0415

            config = self._config()
            self.opened_on = self._stamped()
            store = Store.open(self._url(config))
            ctx.call_on_close(self._close)
            self.masters = Masters(store, self.curriculum or config.curriculum)
        return self.masters

    def _close(self) -> None:
        """Close the store; then, if its files changed meanwhile, bring a kept status up to date."""
        assert self.masters is not None  # noqa: S101 (registered by `open`)
        self.masters.store.close()
        if self.opened_on is not None and self._stamped() != self.opened_on:
            self._keep_status_if_outdated()

    def _keep_status_if_outdated(self) -> None:
        """Compute `status --json` afresh when this command (or another) changed its answer.

        Only a learner who asked for it is served this way (an answer was kept), and it costs
        a write a few hundredths of a second while the next status saves most of a second
        (issue 18). It reads the store anew, stamped first, as `status` itself does.
        """
        from diymasters import replay  # noqa: PLC0415 (see the module's docstring)

        if not replay.outdated((REPLAYED, self.db, self.curriculum)):
            return
        point = self.replay_point(REPLAYED)
        if point is None:
            return
        from diymasters.masters import Masters  # noqa: PLC0415
        from diymasters.store import Store  # noqa: PLC0415

        config = self._config()
        store = Store.open(self._url(config))
        try:
            keep_status(Masters(store, self.curriculum or config.curriculum), point)
        except DiyMastersError:
            return  # the store went away or is busy: the next status computes its answer
        finally:
            store.close()

    def replay_point(self, words: tuple[str, ...]) -> tuple[replay.Request, replay.Observed] | None:
        """The request these words make, with the store's files stamped now.

        Stamped before the store is read (see `replay`); None when the store is no SQLite file.
        """
        observed = self._stamped()
        return None if observed is None else ((words, self.db, self.curriculum), observed)

    def _stamped(self) -> replay.Observed | None:
        """The store's files (and the configuration's) stamped now; None for a database server."""
        from diymasters import replay  # noqa: PLC0415 (see the docstring)

        config = self._config()
        files = replay.sqlite_files(self._url(config), str(config.path))
        return None if files is None else replay.observe(files)

    def _config(self) -> Config:
        """The configuration, read once per command."""
        if self.config is None:
            from diymasters.config import load_config  # noqa: PLC0415 (see the docstring)

            self.config = load_config()
        return self.config

    def _url(self, config: Config) -> str:
        from diymasters.store import database_url, default_url  # noqa: PLC0415 (see above)

        named = self.db or config.store
        return database_url(named) if named else default_url()


def keep_status(
    masters: Masters, point: tuple[replay.Request, replay.Observed] | None
) -> tuple[str, StudyUnderWay | None]:
    """The status as JSON and the study session under way; the answer is kept for `replay`.

    Not while a session runs, whose minutes move.
    """
    from diymasters import replay  # noqa: PLC0415 (see the module's docstring)
    from diymasters.cli.output import json_text  # noqa: PLC0415

    answer = json_text(masters.status())
    session = masters.study_status().session
    if point is not None and session is None:
        replay.remember(*point, answer.encode(sys.stdout.encoding or "utf-8"))
    return answer, session


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version  # noqa: PLC0415 (a tenth of the CLI's start)

        sys.stdout.write(f"diymasters {version('diymasters')}\n")
        raise typer.Exit


@app.callback()
def _global_options(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar=DB_ENV,
            help="Store URL or SQLite file (default: `store` in the configuration file, else "
            "diymasters.db in your data directory).",
        ),
    ] = None,
    curriculum: Annotated[
        str | None,
        typer.Option(
            "--curriculum",
            envvar=CURRICULUM_ENV,
            help="Which curriculum to work on (default: `curriculum` in the configuration file, "
            "else the one in use).",
        ),
    ] = None,
    show_version: Annotated[
        bool,
        typer.Option(
            "--version", is_eager=True, callback=_print_version, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    del show_version  # handled by its callback
    ctx.obj = _Session(db, curriculum)


def open_masters(ctx: typer.Context) -> Masters:
    """The `Masters` the global options chose, opening the store on first use."""
    return _session(ctx).open(ctx)


def replay_point(
    ctx: typer.Context, words: tuple[str, ...]
) -> tuple[replay.Request, replay.Observed] | None:
    """For an answer `replay` may keep: the request, and its files stamped before reading."""
    return _session(ctx).replay_point(words)


def _session(ctx: typer.Context) -> _Session:
    session = ctx.find_object(_Session)
    assert session is not None  # noqa: S101 (set by the callback)
    return session


def warn_if_pinned() -> None:
    """After a switch, say so when the environment or the configuration names another (issue 15)."""
    pinned = os.environ.get(CURRICULUM_ENV)
    if pinned:
        sys.stderr.write(
            f"Note: {CURRICULUM_ENV} is set, so commands in this shell still work on "
            f"{pinned!r} until it is unset.\n"
        )
        return
    from diymasters.config import load_config  # noqa: PLC0415 (see the module's docstring)

    config = load_config()
    if config.curriculum:
        sys.stderr.write(
            f"Note: {config.path} sets curriculum = {config.curriculum!r}, so commands still "
            "work on it until that line is removed.\n"
        )
