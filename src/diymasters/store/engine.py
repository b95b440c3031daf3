"""Opening a store: the engine, SQLite's settings, and the schema brought up to date.

SQLite by default (a file under the user's data directory), any SQLAlchemy URL by choice.
The schema is owned by the Alembic scripts in `diymasters/migrations`, applied on open, so
an installed wheel upgrades its own database. WAL mode and a busy timeout let the CLI and
the web UI share one file, and transactions are begun here rather than by the driver, so
that a migration is whole or not at all. On PostgreSQL, writers take turns at a lock too.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs
import sqlalchemy as sa
from sqlalchemy.pool import StaticPool

from diymasters.errors import DiyMastersError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from alembic.config import Config
    from sqlalchemy.engine import Connection, Engine

#: The newest migration in `diymasters/migrations/versions`; a test keeps it in step.
SCHEMA_HEAD = "0010"
#: Milliseconds a writer waits for another process's lock before giving up.
BUSY_TIMEOUT_MS = 5000
#: The PostgreSQL advisory lock that writers to one database take in turn ("diym" in ASCII).
WRITE_TURN_LOCK = 0x6469796D


class StoreError(DiyMastersError):
    """The store cannot be opened, read or written."""

    def __init__(self, url: str, why: str) -> None:
        """Say which store failed and why, in one line."""
        super().__init__(f"store {url}: {why}")


def default_url() -> str:
    """Return the SQLite file under the user's data directory, creating the directory."""
    folder = Path(platformdirs.user_data_dir("diymasters", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'diymasters.db'}"


def database_url(url_or_path: str) -> str:
    """Accept a SQLAlchemy URL or a plain file path."""
    if "://" in url_or_path:
        return url_or_path
    return f"sqlite:///{Path(url_or_path).expanduser().resolve()}"


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL and a busy timeout on each connection."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise StoreError(url, "not a database URL or path") from None
    if parsed.get_backend_name() != "sqlite":
        return _server_engine(parsed)
    in_memory = parsed.database in {None, "", ":memory:"}
    engine = sa.create_engine(
        parsed,
        poolclass=StaticPool if in_memory else None,
        connect_args={"check_same_thread": False} if in_memory else {},
    )
    sa.event.listen(engine, "connect", _configure_sqlite)
    sa.event.listen(engine, "begin", _begin_sqlite)
    return engine


def _server_engine(url: sa.URL) -> Engine:
    """An engine for a database server, or one line on why its driver cannot be loaded.

    SQLAlchemy imports the driver here; without it, a `--db postgresql://...` would end in
    an internal error (issue 13). The password is never shown.
    """
    shown = url.render_as_string(hide_password=True)
    try:
        engine = sa.create_engine(url)
    except sa.exc.NoSuchModuleError:
        raise StoreError(shown, f"there is no database driver called {url.drivername!r}") from None
    except ImportError as error:
        module = error.name or url.drivername
        why = (
            f"the {url.get_backend_name()} driver is not installed (no module named "
            f"{module!r}); install it in the environment diymasters runs in"
        )
        raise StoreError(shown, why) from None
    if url.get_backend_name() == "postgresql":
        sa.event.listen(engine, "begin", _begin_postgresql)
    return engine


def _begin_postgresql(connection: Connection) -> None:
    """A writer's transaction waits for its turn, as SQLite's `BEGIN IMMEDIATE` makes it.

    A command checks what is stored, then writes what the check allowed, in one transaction:
    no study session under way, then start one; the session still there, then log it and
    end it. At PostgreSQL's READ COMMITTED two writers would both pass the check (two
    sessions under way; one session logged twice, by the CLI and the web UI stopping it at
    once) (issue 20). A lock held until the transaction ends makes them take turns.
    """
    if connection.get_execution_options().get("diymasters_write", False):
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_TURN_LOCK})")


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:  # noqa: ANN401 (DBAPI)
    # The sqlite3 module begins a transaction only before INSERT, UPDATE or DELETE, so DDL
    # would commit statement by statement: a migration killed half-way would leave tables
    # without their version, a store no later run could open. We begin transactions
    # ourselves (_begin_sqlite) so that a migration is whole or not at all.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def _begin_sqlite(connection: Connection) -> None:
    write = connection.get_execution_options().get("diymasters_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def alembic_config() -> Config:
    """Alembic's configuration for the migrations shipped in the package."""
    from alembic.config import Config  # noqa: PLC0415 (Alembic loads only to migrate)

    config = Config()
    config.set_main_option("script_location", "diymasters:migrations")
    return config


def _current_revision(connection: Connection) -> str | None:
    if "alembic_version" not in sa.inspect(connection).get_table_names():
        return None
    return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def migrate(engine: Engine) -> None:
    """Bring the schema up to date, refusing files that are not diymasters stores.

    A store already at the head costs one query: Alembic is imported only to upgrade.
    """
    with engine.begin() as connection:
        if _current_revision(connection) == SCHEMA_HEAD:
            return
    # Upgrading takes the write lock first, so that two processes opening a new store at
    # once migrate it one after the other; the second then finds it done.
    with (
        engine.connect() as connection,
        _foreign_keys_off(connection),
        connection.execution_options(diymasters_write=True).begin(),
    ):
        current = _current_revision(connection)
        if current == SCHEMA_HEAD:
            return
        if current is None and sa.inspect(connection).get_table_names():
            raise StoreError(str(engine.url), "a database, but not a diymasters store")
        _upgrade(connection, current)


@contextmanager
def _foreign_keys_off(connection: Connection) -> Iterator[None]:
    """SQLite without foreign keys while migrating, as its documentation asks.

    A migration that rebuilds a table drops the old one, and with foreign keys on that
    deletes every row referring to it: time entries, tags, README items. The pragma is a
    no-op inside a transaction, so it is set on the driver's connection before one begins.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    driver = connection.connection.driver_connection
    assert driver is not None  # noqa: S101 (an open connection has one)
    driver.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        driver.execute("PRAGMA foreign_keys = ON")


def _upgrade(connection: Connection, current: str | None) -> None:
    from alembic import command  # noqa: PLC0415 (see migrate)
    from alembic.util.exc import CommandError  # noqa: PLC0415

    config = alembic_config()
    config.attributes["connection"] = connection
    try:
        command.upgrade(config, "head")
    except CommandError:
        raise StoreError(
            str(connection.engine.url),
            f"schema {current} is newer than this diymasters; upgrade it",
        ) from None
