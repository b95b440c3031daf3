"""The store: the only module that speaks SQL.

SQLite by default (a file under the user's data directory), any SQLAlchemy URL by choice.
The schema is owned by the Alembic scripts in `diymasters/migrations`, applied on open, so
an installed wheel upgrades its own database. WAL mode and a busy timeout let the CLI and
the web UI share one file.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs
import sqlalchemy as sa
from sqlalchemy.pool import StaticPool

from diymasters.model import (
    AddResource,
    AddTimeEntry,
    ArchiveResource,
    Change,
    Curriculum,
    DiyMastersError,
    Domain,
    EditResource,
    ExpectReadme,
    ItemKey,
    Kind,
    LinkedItem,
    LinkItem,
    LinkReadme,
    MoveResource,
    NewDomain,
    ReadmeLink,
    RemoveResource,
    Resource,
    SetStatus,
    Status,
    TagSkills,
    TimeEntry,
)

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from alembic.config import Config
    from sqlalchemy.engine import Connection, Engine

#: Environment variable that names the store when `--db` is not given.
DB_ENV = "DIYMASTERS_DB"
#: The newest migration in `diymasters/migrations/versions`; a test keeps it in step.
SCHEMA_HEAD = "0008"
#: Milliseconds a writer waits for another process's lock before giving up.
BUSY_TIMEOUT_MS = 5000


class StoreError(DiyMastersError):
    """The store cannot be opened, read or written."""

    def __init__(self, url: str, why: str) -> None:
        """Say which store failed and why, in one line."""
        super().__init__(f"store {url}: {why}")


class ResourceGoneError(DiyMastersError):
    """A resource was deleted (by another process, say) between reading and writing."""

    def __init__(self, resource_id: int) -> None:
        """Name the resource by id: its title is gone with it."""
        super().__init__(f"resource #{resource_id} is no longer in the store; try again")


class CurriculumNotFoundError(DiyMastersError):
    """The store holds no curriculum of that name, or none at all."""

    exit_code = 2

    def __init__(self, name: str | None, known: Sequence[str]) -> None:
        """Point to `init` on an empty store, or list what there is."""
        if not known:
            message = "the store holds no curriculum yet; run `diymasters init`"
        else:
            message = f"no curriculum named {name!r}; there are: " + ", ".join(known)
        super().__init__(message)


class CurriculumExistsError(DiyMastersError):
    """A curriculum of that name is already in the store."""

    def __init__(self, name: str) -> None:
        """Suggest giving the new one another name."""
        super().__init__(f"a curriculum named {name!r} already exists; choose another name")


metadata = sa.MetaData()

curriculum_table = sa.Table(
    "curriculum",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String, nullable=False, unique=True),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

domain_table = sa.Table(
    "domain",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "curriculum_id",
        sa.Integer,
        sa.ForeignKey("curriculum.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("parent_id", sa.Integer, sa.ForeignKey("domain.id", ondelete="CASCADE")),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("name", sa.String, nullable=False),
)

resource_table = sa.Table(
    "resource",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "domain_id",
        sa.Integer,
        sa.ForeignKey("domain.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column(
        "parent_id", sa.Integer, sa.ForeignKey("resource.id", ondelete="CASCADE"), index=True
    ),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("title", sa.String, nullable=False),
    sa.Column("kind", sa.String, nullable=False),
    sa.Column("status", sa.String, nullable=False),
    sa.Column("url", sa.String),
    sa.Column("provider", sa.String),
    sa.Column("description", sa.Text),
    sa.Column("estimated_hours", sa.Float),
    sa.Column("cost", sa.Float),
    sa.Column("started", sa.Date),
    sa.Column("finished", sa.Date),
    sa.Column("notes", sa.Text, nullable=False, server_default=""),
    sa.Column("source", sa.Text),
    #: The day the resource left the curriculum (its README item went away); null while in it.
    sa.Column("archived", sa.Date),
)

time_entry_table = sa.Table(
    "time_entry",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "resource_id",
        sa.Integer,
        sa.ForeignKey("resource.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("hours", sa.Float, nullable=False),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
)


readme_link_table = sa.Table(
    "readme_link",
    metadata,
    sa.Column(
        "curriculum_id",
        sa.Integer,
        sa.ForeignKey("curriculum.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("path", sa.String, nullable=False),
    sa.Column("sha256", sa.String, nullable=False),
    sa.Column("autosync", sa.Boolean, nullable=False, server_default=sa.false()),
)

readme_item_table = sa.Table(
    "readme_item",
    metadata,
    sa.Column(
        "resource_id",
        sa.Integer,
        sa.ForeignKey("resource.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("key", sa.String, nullable=False),
    sa.Column("base_status", sa.String, nullable=False),
)


posting_table = sa.Table(
    "posting",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("content_hash", sa.String, nullable=False, unique=True),
    sa.Column("source", sa.String, nullable=False),
    sa.Column("title", sa.String),
    sa.Column("role", sa.String, nullable=False),
    sa.Column("posted", sa.Date),
    sa.Column("text", sa.Text, nullable=False),
)

posting_skill_table = sa.Table(
    "posting_skill",
    metadata,
    sa.Column(
        "posting_id",
        sa.Integer,
        sa.ForeignKey("posting.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("skill_id", sa.String, primary_key=True, index=True),
    sa.Column("required", sa.Boolean, nullable=False),
    sa.Column("mentions", sa.Integer, nullable=False),
)


resource_skill_table = sa.Table(
    "resource_skill",
    metadata,
    sa.Column(
        "resource_id",
        sa.Integer,
        sa.ForeignKey("resource.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("skill_id", sa.String, primary_key=True),
)


target_table = sa.Table(
    "target",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String, nullable=False, unique=True),
    sa.Column("source", sa.Text, nullable=False),
)

target_skill_table = sa.Table(
    "target_skill",
    metadata,
    sa.Column(
        "target_id", sa.Integer, sa.ForeignKey("target.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("skill_id", sa.String, primary_key=True),
    sa.Column("weight", sa.Float, nullable=False),
    sa.Column("evidence", sa.Text),
)


upstream_table = sa.Table(
    "upstream",
    metadata,
    sa.Column(
        "curriculum_id",
        sa.Integer,
        sa.ForeignKey("curriculum.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("location", sa.String, nullable=False),
    sa.Column("ref", sa.String),
    sa.Column("base", sa.Text, nullable=False),
    sa.Column("updated", sa.String, nullable=False),
)

plan_table = sa.Table(
    "plan",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "curriculum_id",
        sa.Integer,
        sa.ForeignKey("curriculum.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("name", sa.String, nullable=False),
    sa.Column("created", sa.String, nullable=False),
    sa.Column("inputs", sa.Text, nullable=False),
    sa.Column("report", sa.Text, nullable=False),
    sa.UniqueConstraint("curriculum_id", "name"),
)


class PlanNotFoundError(DiyMastersError):
    """The curriculum has no saved plan of that name."""

    exit_code = 2

    def __init__(self, name: str, known: Sequence[str]) -> None:
        """List the plans there are."""
        there = ", ".join(known) if known else "none yet; make one with `diymasters plan`"
        super().__init__(f"no plan named {name!r}; plans: {there}")


@dataclass(frozen=True)
class SavedPlan:
    """A plan as it was made: its inputs (demand, limits, calendar) and its report."""

    name: str
    created: dt.datetime
    inputs: dict[str, Any]
    report: dict[str, Any]


@dataclass(frozen=True)
class FollowedUpstream:
    """Where a README came from (a file, or a file in a git clone at a ref) and its base.

    `base` is the upstream text the learner's copy was last brought up to date with.
    """

    location: str
    ref: str | None
    base: str
    updated: dt.datetime


class TargetNotFoundError(DiyMastersError):
    """No saved target has that name."""

    exit_code = 2

    def __init__(self, name: str, known: Sequence[str]) -> None:
        """List the targets there are."""
        there = ", ".join(known) if known else "none yet; save one with `diymasters target save`"
        super().__init__(f"no target named {name!r}; targets: {there}")


@dataclass(frozen=True)
class SavedTarget:
    """Demand saved under a name: a weight per skill, with evidence where there was some."""

    name: str
    source: str
    weights: dict[str, float]
    evidence: dict[str, str]


@dataclass(frozen=True)
class StoredPosting:
    """A posting as the store keeps it, with the skills found in it."""

    content_hash: str
    source: str
    title: str | None
    role: str
    posted: dt.date | None
    text: str
    #: Skill id to (required anywhere in the posting, number of mentions).
    skills: dict[str, tuple[bool, int]]


def default_url() -> str:
    """Return the SQLite file under the user's data directory, creating the directory."""
    folder = Path(platformdirs.user_data_dir("diymasters", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'diymasters.db'}"


def normalise_url(url_or_path: str) -> str:
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
        return sa.create_engine(url)
    except sa.exc.NoSuchModuleError:
        raise StoreError(shown, f"there is no database driver called {url.drivername!r}") from None
    except ImportError as error:
        module = error.name or url.drivername
        why = (
            f"the {url.get_backend_name()} driver is not installed (no module named "
            f"{module!r}); install it in the environment diymasters runs in"
        )
        raise StoreError(shown, why) from None


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


class _ChangeWatch:
    """Tells whether anything was committed to an SQLite file since it last looked.

    `PRAGMA data_version` on a connection of its own, which never writes, changes whenever
    another connection commits: one of this process's or another's, such as the CLI's while
    the web UI is open. Reading it costs a few microseconds, loading a large curriculum tens
    of milliseconds.
    """

    def __init__(self, path: str) -> None:
        self._connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()

    def version(self) -> int:
        with self._lock:
            (value,) = self._connection.execute("PRAGMA data_version").fetchone()
        return int(value)

    def close(self) -> None:
        self._connection.close()


class Store:
    """Curricula persisted in a database: load them whole, change them atomically."""

    def __init__(self, engine: Engine) -> None:
        """Wrap an engine whose schema is already migrated (see `Store.open`)."""
        self.engine = engine
        self.url = engine.url.render_as_string(hide_password=True)
        sqlite_file = (
            engine.url.get_backend_name() == "sqlite"
            and engine.url.database not in {None, "", ":memory:"}
            and not engine.url.query
        )
        #: Where the data lives, as a person would name it: a file path for SQLite.
        self.location = engine.url.database if sqlite_file and engine.url.database else self.url
        self._watch = _ChangeWatch(self.location) if sqlite_file else None
        #: Curricula as last loaded, by the name asked for, with the data version they saw.
        self._loaded: dict[str | None, tuple[int, Curriculum]] = {}

    @classmethod
    def open(cls, url: str) -> Store:
        """Open (creating if need be) and migrate the store at a URL."""
        engine = make_engine(url)
        try:
            migrate(engine)
        except sa.exc.DBAPIError as error:
            engine.dispose()
            raise StoreError(url, _reason(error)) from None
        except StoreError:
            engine.dispose()
            raise
        return cls(engine)

    def close(self) -> None:
        """Release the connection pool."""
        if self._watch is not None:
            self._watch.close()
        self.engine.dispose()

    @contextmanager
    def _transaction(self, *, write: bool = False) -> Iterator[Connection]:
        """One transaction; `write` takes SQLite's write lock at once, waiting its turn.

        A deferred transaction that reads and then writes fails at once when another
        process wrote in between; taking the lock first makes it wait instead.
        """
        engine = self.engine.execution_options(diymasters_write=True) if write else self.engine
        try:
            with engine.begin() as connection:
                yield connection
        except sa.exc.DBAPIError as error:
            raise StoreError(self.url, _reason(error)) from None

    # --- Reading ----------------------------------------------------------------------------

    def curriculum_names(self) -> list[str]:
        """Names of the stored curricula, oldest first."""
        with self._transaction() as connection:
            query = sa.select(curriculum_table.c.name).order_by(curriculum_table.c.id)
            return list(connection.scalars(query))

    def load(self, name: str | None = None) -> Curriculum:
        """Load a curriculum whole; with no name, the newest: the one just created or imported.

        From an SQLite file, a curriculum loaded before is reused while nothing at all has
        been committed to the file since: curricula are immutable, and every page needs one.
        """
        version = self._watch.version() if self._watch is not None else None
        cached = self._loaded.get(name)
        if version is not None and cached is not None and cached[0] == version:
            return cached[1]
        with self._transaction() as connection, _without_collections():
            row = self._curriculum_row(connection, name)
            curriculum = _build_curriculum(connection, row)
        if version is not None:
            self._loaded[name] = (version, curriculum)
        return curriculum

    def _curriculum_row(self, connection: Connection, name: str | None) -> sa.Row[Any]:
        query = sa.select(curriculum_table).order_by(curriculum_table.c.id.desc())
        if name is not None:
            query = query.where(sa.func.lower(curriculum_table.c.name) == name.lower())
        row = connection.execute(query.limit(1)).first()
        if row is None:
            known = list(connection.scalars(sa.select(curriculum_table.c.name)))
            raise CurriculumNotFoundError(name, known)
        return row

    # --- Writing ----------------------------------------------------------------------------

    def readme_link(self, curriculum_id: int) -> ReadmeLink | None:
        """The README a curriculum is linked to, with each resource's item, if any."""
        with self._transaction() as connection:
            row = connection.execute(
                sa.select(readme_link_table).where(
                    readme_link_table.c.curriculum_id == curriculum_id
                )
            ).first()
            if row is None:
                return None
            items = connection.execute(
                sa.select(readme_item_table)
                .join(resource_table, resource_table.c.id == readme_item_table.c.resource_id)
                .join(domain_table, domain_table.c.id == resource_table.c.domain_id)
                .where(domain_table.c.curriculum_id == curriculum_id)
            ).all()
        return ReadmeLink(
            path=row.path,
            sha256=row.sha256,
            autosync=row.autosync,
            items={i.resource_id: LinkedItem(i.key, Status(i.base_status)) for i in items},
        )

    def create(
        self,
        curriculum: Curriculum,
        readme: tuple[str, str] | None = None,
        keys: Sequence[str] = (),
    ) -> Curriculum:
        """Store a new curriculum (from a template or an import) and return it with ids.

        An imported one comes with its README (path, sha256) and each resource's item key in
        reading order; the link is stored in the same transaction.
        """
        with self._transaction(write=True) as connection:
            exists = connection.scalar(
                sa.select(curriculum_table.c.id).where(
                    sa.func.lower(curriculum_table.c.name) == curriculum.name.lower()
                )
            )
            if exists is not None:
                raise CurriculumExistsError(curriculum.name)
            curriculum_id = _insert(
                connection,
                curriculum_table.insert().values(
                    name=curriculum.name,
                    description=curriculum.description,
                    created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
                ),
            )
            for position, domain in enumerate(curriculum.domains):
                _insert_domain(connection, curriculum_id, None, position, domain)
            row = self._curriculum_row(connection, curriculum.name)
            stored = _build_curriculum(connection, row)
            if readme is not None:
                _link_imported(connection, stored, readme, keys)
            return stored

    def save_postings(self, postings: Sequence[StoredPosting]) -> int:
        """Store postings not seen before (by content hash); return how many were new."""
        with self._transaction(write=True) as connection:
            known = set(connection.scalars(sa.select(posting_table.c.content_hash)))
            fresh = [p for p in postings if p.content_hash not in known]
            for posting in fresh:
                posting_id = _insert(
                    connection,
                    posting_table.insert().values(
                        content_hash=posting.content_hash,
                        source=posting.source,
                        title=posting.title,
                        role=posting.role,
                        posted=posting.posted,
                        text=posting.text,
                    ),
                )
                rows = [
                    {"posting_id": posting_id, "skill_id": skill, "required": req, "mentions": n}
                    for skill, (req, n) in posting.skills.items()
                ]
                if rows:
                    connection.execute(posting_skill_table.insert(), rows)
            return len(fresh)

    def skill_shares(self, role: str | None = None) -> list[tuple[str, float]]:
        """Each skill's share of the stored postings (of one role, if given)."""
        with self._transaction() as connection:
            postings = sa.select(posting_table.c.id)
            if role is not None:
                postings = postings.where(sa.func.lower(posting_table.c.role) == role.lower())
            total = connection.scalar(sa.select(sa.func.count()).select_from(postings.subquery()))
            if not total:
                return []
            counts = connection.execute(
                sa.select(posting_skill_table.c.skill_id, sa.func.count())
                .where(posting_skill_table.c.posting_id.in_(postings))
                .group_by(posting_skill_table.c.skill_id)
            ).all()
        return [(skill, count / total) for skill, count in counts]

    def analysed_postings(
        self, role: str | None = None
    ) -> list[tuple[str, dt.date | None, dict[str, tuple[bool, int]]]]:
        """Each stored posting's role, date and skills (required?, mentions), for reports."""
        with self._transaction() as connection:
            postings = sa.select(posting_table.c.id, posting_table.c.role, posting_table.c.posted)
            if role is not None:
                postings = postings.where(sa.func.lower(posting_table.c.role) == role.lower())
            found: dict[int, tuple[str, dt.date | None, dict[str, tuple[bool, int]]]] = {
                row.id: (row.role, row.posted, {}) for row in connection.execute(postings)
            }
            skill_rows = connection.execute(
                sa.select(
                    posting_skill_table.c.posting_id,
                    posting_skill_table.c.skill_id,
                    posting_skill_table.c.required,
                    posting_skill_table.c.mentions,
                )
            )
            for posting_id, skill, required, mentions in skill_rows:
                if posting_id in found:
                    found[posting_id][2][skill] = (bool(required), int(mentions))
        return list(found.values())

    def save_target(self, target: SavedTarget) -> None:
        """Save (or replace) a named target."""
        with self._transaction(write=True) as connection:
            connection.execute(target_table.delete().where(target_table.c.name == target.name))
            target_id = _insert(
                connection, target_table.insert().values(name=target.name, source=target.source)
            )
            rows = [
                {
                    "target_id": target_id,
                    "skill_id": skill,
                    "weight": weight,
                    "evidence": target.evidence.get(skill),
                }
                for skill, weight in target.weights.items()
            ]
            if rows:
                connection.execute(target_skill_table.insert(), rows)

    def load_target(self, name: str) -> SavedTarget:
        """A saved target by name."""
        with self._transaction() as connection:
            row = connection.execute(
                sa.select(target_table).where(target_table.c.name == name)
            ).first()
            if row is None:
                known = list(connection.scalars(sa.select(target_table.c.name)))
                raise TargetNotFoundError(name, known)
            skills = connection.execute(
                sa.select(target_skill_table).where(target_skill_table.c.target_id == row.id)
            ).all()
        return SavedTarget(
            name=row.name,
            source=row.source,
            weights={s.skill_id: s.weight for s in skills},
            evidence={s.skill_id: s.evidence for s in skills if s.evidence},
        )

    def newest_target_name(self) -> str | None:
        """The target saved last, if any."""
        with self._transaction() as connection:
            return connection.scalar(
                sa.select(target_table.c.name).order_by(target_table.c.id.desc()).limit(1)
            )

    def target_names(self) -> list[str]:
        """Names of the saved targets."""
        with self._transaction() as connection:
            return list(
                connection.scalars(sa.select(target_table.c.name).order_by(target_table.c.name))
            )

    def save_plan(self, curriculum_id: int, plan: SavedPlan) -> None:
        """Save (or replace) a curriculum's plan of that name."""
        with self._transaction(write=True) as connection:
            connection.execute(
                plan_table.delete().where(
                    (plan_table.c.curriculum_id == curriculum_id) & (plan_table.c.name == plan.name)
                )
            )
            connection.execute(
                plan_table.insert().values(
                    curriculum_id=curriculum_id,
                    name=plan.name,
                    created=plan.created.isoformat(),
                    inputs=json.dumps(plan.inputs, sort_keys=True),
                    report=json.dumps(plan.report, sort_keys=True),
                )
            )

    def save_upstream(self, curriculum_id: int, followed: FollowedUpstream) -> None:
        """Record (or replace) the upstream a curriculum's README follows."""
        with self._transaction(write=True) as connection:
            connection.execute(
                upstream_table.delete().where(upstream_table.c.curriculum_id == curriculum_id)
            )
            connection.execute(
                upstream_table.insert().values(
                    curriculum_id=curriculum_id,
                    location=followed.location,
                    ref=followed.ref,
                    base=followed.base,
                    updated=followed.updated.isoformat(),
                )
            )

    def load_upstream(self, curriculum_id: int) -> FollowedUpstream | None:
        """The upstream a curriculum's README follows, if any."""
        with self._transaction() as connection:
            row = connection.execute(
                sa.select(upstream_table).where(upstream_table.c.curriculum_id == curriculum_id)
            ).first()
        if row is None:
            return None
        return FollowedUpstream(
            row.location, row.ref, row.base, dt.datetime.fromisoformat(row.updated)
        )

    def load_plan(self, curriculum_id: int, name: str) -> SavedPlan:
        """A curriculum's saved plan by name."""
        with self._transaction() as connection:
            row = connection.execute(
                sa.select(plan_table).where(
                    (plan_table.c.curriculum_id == curriculum_id) & (plan_table.c.name == name)
                )
            ).first()
            if row is None:
                raise PlanNotFoundError(name, self._plan_names(connection, curriculum_id))
        return SavedPlan(
            name=row.name,
            created=dt.datetime.fromisoformat(row.created),
            inputs=json.loads(row.inputs),
            report=json.loads(row.report),
        )

    def plan_names(self, curriculum_id: int) -> list[str]:
        """Names of a curriculum's saved plans."""
        with self._transaction() as connection:
            return self._plan_names(connection, curriculum_id)

    @staticmethod
    def _plan_names(connection: Connection, curriculum_id: int) -> list[str]:
        return list(
            connection.scalars(
                sa.select(plan_table.c.name)
                .where(plan_table.c.curriculum_id == curriculum_id)
                .order_by(plan_table.c.name)
            )
        )

    def posting_naming(self, skill_id: str, role: str | None = None) -> str | None:
        """The text of one stored posting that names a skill (of one role, if given)."""
        with self._transaction() as connection:
            query = (
                sa.select(posting_table.c.text)
                .join(posting_skill_table, posting_skill_table.c.posting_id == posting_table.c.id)
                .where(posting_skill_table.c.skill_id == skill_id)
                .order_by(posting_skill_table.c.required.desc(), posting_table.c.id)
                .limit(1)
            )
            if role is not None:
                query = query.where(sa.func.lower(posting_table.c.role) == role.lower())
            return connection.scalar(query)

    def posting_count(self) -> int:
        """How many postings the store holds."""
        with self._transaction() as connection:
            return int(
                connection.scalar(sa.select(sa.func.count()).select_from(posting_table)) or 0
            )

    def apply(self, changes: Sequence[Change]) -> list[int]:
        """Apply one command's changes in one transaction, all or none; return added ids."""
        with self._transaction(write=True) as connection:
            added = [_apply(connection, change) for change in changes]
        return [resource_id for resource_id in added if resource_id is not None]


def _link_imported(
    connection: Connection, stored: Curriculum, readme: tuple[str, str], keys: Sequence[str]
) -> None:
    assert stored.id is not None  # noqa: S101 (just stored)
    path, digest = readme
    _apply(connection, LinkReadme(stored.id, path, digest, autosync=False))
    for resource, key in zip(stored.all_resources(), keys, strict=True):
        assert resource.id is not None  # noqa: S101
        _apply(connection, LinkItem(resource.id, LinkedItem(key, resource.status)))


def _reason(error: sa.exc.DBAPIError) -> str:
    return str(error.orig).splitlines()[0] if error.orig else str(error)


def _apply(connection: Connection, change: Change) -> int | None:
    """Apply one change; return the id of a resource it added."""
    if isinstance(change, LinkReadme | LinkItem | ExpectReadme):
        _apply_link(connection, change)
        return None
    match change:
        case SetStatus(resource_id, status, started, finished):
            _update_resource(
                connection, resource_id, status=status.value, started=started, finished=finished
            )
        case AddTimeEntry(resource_id, entry):
            _require_resource(connection, resource_id)
            connection.execute(
                time_entry_table.insert().values(
                    resource_id=resource_id, day=entry.on, hours=entry.hours, note=entry.note
                )
            )
        case EditResource(resource_id, title, notes, url):
            values = {"title": title, "notes": notes, "url": url}
            _update_resource(
                connection, resource_id, **{k: v for k, v in values.items() if v is not None}
            )
        case AddResource():
            return _add_resource(connection, change)
        case TagSkills():
            _tag(connection, change)
        case MoveResource():
            _move(connection, change)
        case ArchiveResource():
            _archive(connection, change)
        case RemoveResource(resource_id):
            _require_resource(connection, resource_id)
            connection.execute(resource_table.delete().where(resource_table.c.id == resource_id))
    return None


def _add_resource(connection: Connection, change: AddResource) -> int:
    """Insert a resource and its subtree, with their README items; return its id."""
    domain_id = _domain_id(connection, change.domain_id)
    position = _next_position(connection, domain_id, change.parent_id)
    added = _insert_resource(connection, domain_id, change.parent_id, position, change.resource)
    for resource_id, link in zip(_subtree_ids(connection, added), change.links, strict=False):
        if link is not None:
            _apply_link(connection, LinkItem(resource_id, link))
    return added


def _archive(connection: Connection, change: ArchiveResource) -> None:
    """Archive (or restore) a resource; archiving forgets the README items of its subtree.

    A resource restored while the one it was under is archived comes back at the top of its
    domain: under an archived parent it would stay out of sight.
    """
    _update_resource(connection, change.resource_id, archived=change.on)
    if change.on is None and _under_archived(connection, change.resource_id):
        r = resource_table.c
        domain_id = int(
            connection.scalar(sa.select(r.domain_id).where(r.id == change.resource_id)) or 0
        )
        connection.execute(
            resource_table.update()
            .where(r.id == change.resource_id)
            .values(parent_id=None, position=_next_position(connection, domain_id, None))
        )
    if change.on is not None:
        subtree = _subtree_ids(connection, change.resource_id)
        connection.execute(
            readme_item_table.delete().where(readme_item_table.c.resource_id.in_(subtree))
        )


def _under_archived(connection: Connection, resource_id: int) -> bool:
    """Whether any resource above this one is archived."""
    r = resource_table.c
    parent = connection.scalar(sa.select(r.parent_id).where(r.id == resource_id))
    while parent is not None:
        row = connection.execute(sa.select(r.parent_id, r.archived).where(r.id == parent)).one()
        if row.archived is not None:
            return True
        parent = row.parent_id
    return False


class MoveIntoItselfError(DiyMastersError):
    """A resource cannot be moved under one of its own descendants."""

    def __init__(self, resource_id: int) -> None:
        """Name the resource; nothing was changed."""
        super().__init__(
            f"resource #{resource_id} would be moved inside itself; nothing was changed"
        )


def _move(connection: Connection, move: MoveResource) -> None:
    """Re-home a resource and its subtree at the end of a domain or of another resource."""
    _require_resource(connection, move.resource_id)
    subtree = _subtree_ids(connection, move.resource_id)
    parent = _resource_id(connection, move.parent) if move.parent is not None else None
    if parent in subtree:
        raise MoveIntoItselfError(move.resource_id)
    r = resource_table.c
    if parent is not None:
        domain_id = int(connection.scalar(sa.select(r.domain_id).where(r.id == parent)) or 0)
    else:
        assert move.domain is not None  # noqa: S101 (a move names a parent or a domain)
        domain_id = _domain_id(connection, move.domain)
    position = _next_position(connection, domain_id, parent)
    connection.execute(
        resource_table.update()
        .where(r.id == move.resource_id)
        .values(parent_id=parent, position=position)
    )
    connection.execute(resource_table.update().where(r.id.in_(subtree)).values(domain_id=domain_id))


def _resource_id(connection: Connection, reference: int | ItemKey) -> int:
    """A stored resource's id, or the id of the one linked to a README item."""
    if isinstance(reference, int):
        return reference
    i, r, d = readme_item_table.c, resource_table.c, domain_table.c
    found = connection.scalar(
        sa.select(i.resource_id)
        .join(resource_table, r.id == i.resource_id)
        .join(domain_table, d.id == r.domain_id)
        .where(i.key == reference.key, d.curriculum_id == reference.curriculum_id)
    )
    if found is None:
        raise DiyMastersError(f"no resource is linked to the README item {reference.key!r}")
    return int(found)


def _domain_id(connection: Connection, domain: int | NewDomain) -> int:
    """The id of a stored domain, creating a new one (and its new parents) at the end."""
    if isinstance(domain, int):
        return domain
    parent = None if domain.parent is None else _domain_id(connection, domain.parent)
    d = domain_table.c
    siblings = sa.and_(
        d.curriculum_id == domain.curriculum_id,
        d.parent_id.is_(None) if parent is None else d.parent_id == parent,
    )
    found = connection.scalar(
        sa.select(d.id).where(siblings, sa.func.lower(d.name) == domain.name.lower())
    )
    if found is not None:
        return int(found)
    highest = connection.scalar(sa.select(sa.func.max(d.position)).where(siblings))
    return _insert(
        connection,
        domain_table.insert().values(
            curriculum_id=domain.curriculum_id,
            parent_id=parent,
            position=0 if highest is None else highest + 1,
            name=domain.name,
        ),
    )


def _tag(connection: Connection, change: TagSkills) -> None:
    """Replace the given tags (so tagging twice is harmless), or only remove them."""
    _require_resource(connection, change.resource_id)
    table = resource_skill_table
    connection.execute(
        table.delete().where(
            table.c.resource_id == change.resource_id, table.c.skill_id.in_(change.skill_ids)
        )
    )
    if not change.remove:
        rows = [{"resource_id": change.resource_id, "skill_id": s} for s in change.skill_ids]
        connection.execute(table.insert(), rows)


class ReadmeSyncedMeanwhileError(DiyMastersError):
    """Another command recorded a sync of the same README while this one was deciding."""

    def __init__(self) -> None:
        """Say that nothing was recorded and what to do."""
        super().__init__(
            "the README was synced by another command meanwhile; nothing was recorded, sync again"
        )


def _apply_link(connection: Connection, change: LinkReadme | LinkItem | ExpectReadme) -> None:
    """Record how the store and the linked README correspond."""
    match change:
        case ExpectReadme(curriculum_id, digest):
            link = readme_link_table.c
            stored = connection.scalar(
                sa.select(link.sha256).where(link.curriculum_id == curriculum_id)
            )
            if stored != digest:
                raise ReadmeSyncedMeanwhileError
        case LinkReadme(curriculum_id, path, digest, autosync):
            _upsert(
                connection,
                readme_link_table,
                {"curriculum_id": curriculum_id},
                {"path": path, "sha256": digest, "autosync": autosync},
            )
        case LinkItem(resource_id, LinkedItem(key, base)):
            _upsert(
                connection,
                readme_item_table,
                {"resource_id": resource_id},
                {"key": key, "base_status": base.value},
            )


def _upsert(
    connection: Connection, table: sa.Table, key: dict[str, object], values: dict[str, object]
) -> None:
    condition = sa.and_(*(table.c[name] == value for name, value in key.items()))
    updated = connection.execute(table.update().where(condition).values(**values))
    if updated.rowcount == 0:
        connection.execute(table.insert().values(**key, **values))


def _subtree_ids(connection: Connection, resource_id: int) -> list[int]:
    """Ids of a resource and its descendants, in the order `Resource.walk()` yields them."""
    ids = [resource_id]
    children = connection.scalars(
        sa.select(resource_table.c.id)
        .where(resource_table.c.parent_id == resource_id)
        .order_by(resource_table.c.position, resource_table.c.id)
    ).all()
    for child in children:
        ids += _subtree_ids(connection, child)
    return ids


def _update_resource(connection: Connection, resource_id: int, **values: object) -> None:
    if not values:
        return
    result = connection.execute(
        resource_table.update().where(resource_table.c.id == resource_id).values(**values)
    )
    if result.rowcount == 0:
        raise ResourceGoneError(resource_id)


def _require_resource(connection: Connection, resource_id: int) -> None:
    found = connection.scalar(
        sa.select(resource_table.c.id).where(resource_table.c.id == resource_id)
    )
    if found is None:
        raise ResourceGoneError(resource_id)


def _next_position(connection: Connection, domain_id: int, parent_id: int | None) -> int:
    siblings = sa.select(sa.func.max(resource_table.c.position)).where(
        resource_table.c.domain_id == domain_id,
        resource_table.c.parent_id.is_(None)
        if parent_id is None
        else resource_table.c.parent_id == parent_id,
    )
    highest = connection.scalar(siblings)
    return 0 if highest is None else highest + 1


def _insert(connection: Connection, statement: sa.Insert) -> int:
    key = connection.execute(statement).inserted_primary_key
    assert key is not None  # noqa: S101 (every table has an integer primary key)
    return int(key[0])


def _insert_domain(
    connection: Connection, curriculum_id: int, parent_id: int | None, position: int, domain: Domain
) -> None:
    domain_id = _insert(
        connection,
        domain_table.insert().values(
            curriculum_id=curriculum_id, parent_id=parent_id, position=position, name=domain.name
        ),
    )
    for index, resource in enumerate(domain.resources):
        _insert_resource(connection, domain_id, None, index, resource)
    for index, sub in enumerate(domain.domains):
        _insert_domain(connection, curriculum_id, domain_id, index, sub)


def _insert_resource(
    connection: Connection,
    domain_id: int,
    parent_id: int | None,
    position: int,
    resource: Resource,
) -> int:
    resource_id = _insert(
        connection,
        resource_table.insert().values(
            domain_id=domain_id,
            parent_id=parent_id,
            position=position,
            title=resource.title,
            kind=resource.kind.value,
            status=resource.status.value,
            url=resource.url,
            provider=resource.provider,
            description=resource.description,
            estimated_hours=resource.estimated_hours,
            cost=resource.cost,
            started=resource.started,
            finished=resource.finished,
            notes=resource.notes,
            source=resource.source,
        ),
    )
    for entry in resource.time_entries:
        connection.execute(
            time_entry_table.insert().values(
                resource_id=resource_id, day=entry.on, hours=entry.hours, note=entry.note
            )
        )
    for index, child in enumerate(resource.children):
        _insert_resource(connection, domain_id, resource_id, index, child)
    return resource_id


@contextmanager
def _without_collections() -> Iterator[None]:
    """Build without the garbage collector's pauses.

    A large curriculum is thousands of new objects, none in a reference cycle, and each few
    hundred of them would otherwise start a collection that walks every object the process
    holds (the catalog and the taxonomy among them): that doubled the load time of a
    2,000-resource curriculum.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_KINDS = {kind.value: kind for kind in Kind}
_STATUSES = {status.value: status for status in Status}


def _build_curriculum(connection: Connection, row: sa.Row[Any]) -> Curriculum:
    # Subqueries rather than IN lists of ids: a curriculum of thousands of resources would
    # otherwise bind (and compile) thousands of parameters on every load.
    domain_ids = sa.select(domain_table.c.id).where(domain_table.c.curriculum_id == row.id)
    resource_ids = sa.select(resource_table.c.id).where(
        resource_table.c.domain_id.in_(domain_ids.scalar_subquery())
    )
    domain_rows = connection.execute(
        sa.select(domain_table)
        .where(domain_table.c.curriculum_id == row.id)
        .order_by(domain_table.c.position, domain_table.c.id)
    ).all()
    r = resource_table.c
    resource_rows = connection.execute(
        sa.select(
            r.id,
            r.domain_id,
            r.parent_id,
            r.title,
            r.kind,
            r.status,
            r.url,
            r.provider,
            r.description,
            r.estimated_hours,
            r.cost,
            r.started,
            r.finished,
            r.notes,
            r.source,
            r.archived,
        )
        .where(r.domain_id.in_(domain_ids.scalar_subquery()))
        .order_by(r.position, r.id)
    ).all()
    t = time_entry_table.c
    entries: dict[int, list[TimeEntry]] = {}
    for resource_id, entry_id, day, hours, note in connection.execute(
        sa.select(t.resource_id, t.id, t.day, t.hours, t.note)
        .where(t.resource_id.in_(resource_ids.scalar_subquery()))
        .order_by(t.day, t.id)
    ).all():
        entries.setdefault(resource_id, []).append(
            TimeEntry(on=day, hours=hours, note=note, id=entry_id)
        )
    tags: dict[int, list[str]] = {}
    for tag in connection.execute(
        sa.select(resource_skill_table)
        .where(resource_skill_table.c.resource_id.in_(resource_ids.scalar_subquery()))
        .order_by(resource_skill_table.c.skill_id)
    ):
        tags.setdefault(tag.resource_id, []).append(tag.skill_id)
    # Rows are plain tuples here: a curriculum of thousands of resources loads on every page.
    resources_by_parent: dict[tuple[int, int | None], list[tuple[Any, ...]]] = {}
    archived_rows: list[tuple[Any, ...]] = []
    for resource in resource_rows:
        if resource[15] is not None:
            archived_rows.append(tuple(resource))
        else:
            resources_by_parent.setdefault((resource[1], resource[2]), []).append(tuple(resource))
    domains_by_parent: dict[int | None, list[sa.Row[Any]]] = {}
    for domain in domain_rows:
        domains_by_parent.setdefault(domain.parent_id, []).append(domain)

    def build_resource(row: tuple[Any, ...]) -> Resource:
        (rid, domain_id, _, title, kind, status, url, provider, description) = row[:9]
        (hours, cost, started, finished, notes, source, archived) = row[9:]
        return Resource(
            id=rid,
            title=title,
            kind=_KINDS[kind],
            status=_STATUSES[status],
            url=url,
            provider=provider,
            description=description,
            estimated_hours=hours,
            cost=cost,
            started=started,
            finished=finished,
            notes=notes,
            source=source,
            archived=archived,
            time_entries=tuple(entries.get(rid, ())),
            skills=tuple(tags.get(rid, ())),
            children=tuple(
                build_resource(c) for c in resources_by_parent.get((domain_id, rid), ())
            ),
        )

    def build_domain(d: sa.Row[Any]) -> Domain:
        return Domain(
            id=d.id,
            name=d.name,
            resources=tuple(build_resource(r) for r in resources_by_parent.get((d.id, None), ())),
            domains=tuple(build_domain(s) for s in domains_by_parent.get(d.id, ())),
        )

    return Curriculum(
        id=row.id,
        name=row.name,
        description=row.description,
        domains=tuple(build_domain(d) for d in domains_by_parent.get(None, ())),
        archived=tuple(build_resource(r) for r in archived_rows),
    )
