"""The `Store`: the one object the rest of diymasters reads and writes curricula through.

Its methods take and return model objects and hide connections and transactions, so that
nothing outside this package speaks SQL. One command's changes are one transaction, and a
curriculum loaded from an SQLite file is kept while nothing has been committed to the file,
since every page loads one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from diymasters.errors import InvalidInputError
from diymasters.model import Curriculum, ReadmeLink
from diymasters.store.changes import apply_change, link_imported, linked_item
from diymasters.store.curricula import (
    CurriculumExistsError,
    CurriculumNotFoundError,
    FollowedUpstream,
    build_curriculum,
    insert_domain,
    without_collections,
)
from diymasters.store.engine import BUSY_TIMEOUT_MS, StoreError, make_engine, migrate
from diymasters.store.export import StoreContents, insert_contents, read_contents
from diymasters.store.plans import PlanNotFoundError, SavedPlan
from diymasters.store.postings import (
    SavedPostings,
    SavedTarget,
    StoredPosting,
    TargetNotFoundError,
)
from diymasters.store.study import StudySession, end_session, running_session, start_session
from diymasters.store.tables import (
    curriculum_table,
    domain_table,
    insert,
    plan_table,
    posting_skill_table,
    posting_table,
    readme_item_table,
    readme_link_table,
    resource_table,
    target_skill_table,
    target_table,
    upstream_table,
)

if TYPE_CHECKING:
    from collections.abc import Collection, Iterator, Sequence
    from pathlib import Path

    from sqlalchemy.engine import Connection, Engine

    from diymasters.model import Change

#: Every posting's skills, read through the driver's cursor (see `Store.analysed_postings`).
_EVERY_POSTING_SKILL = "SELECT posting_id, skill_id, required, mentions FROM posting_skill"


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


class BackupNotSupportedError(InvalidInputError):
    """Only an SQLite file is backed up here; a database server has tools of its own."""

    def __init__(self, url: str, backend: str) -> None:
        """Name the store, and the tool that backs up a server."""
        if backend == "sqlite":
            why = "backup copies a store kept in a file, and this one is kept in memory"
        else:
            why = (
                "backup copies SQLite stores; back up a database server with its own tool "
                "(pg_dump for PostgreSQL)"
            )
        super().__init__(f"store {url}: {why}")


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
        in_memory = engine.url.get_backend_name() == "sqlite" and not sqlite_file
        #: An in-memory database is one connection that every thread shares, so its
        #: transactions take turns; a file or a server gives each thread its own.
        self._one_at_a_time: contextlib.AbstractContextManager[object] = (
            threading.RLock() if in_memory else contextlib.nullcontext()
        )
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

    def data_version(self) -> int | None:
        """A number that changes whenever anything is committed to the store, by any process.

        None for a database server, which cannot say so cheaply: whoever keeps results by it
        computes them afresh instead.
        """
        return self._watch.version() if self._watch is not None else None

    def close(self) -> None:
        """Release the connection pool."""
        if self._watch is not None:
            self._watch.close()
        self.engine.dispose()

    def reopened(self) -> Store:
        """The same database over new connections, for a process forked after `close`.

        A connection opened before a fork must not be used after it (SQLite's rule): a
        server's workers each open their own, and keep nothing this one read.
        """
        return type(self)(self.engine)

    @contextmanager
    def _transaction(self, *, write: bool = False) -> Iterator[Connection]:
        """One transaction; `write` takes SQLite's write lock at once, waiting its turn.

        A deferred transaction that reads and then writes fails at once when another
        process wrote in between; taking the lock first makes it wait instead.
        """
        engine = self.engine.execution_options(diymasters_write=True) if write else self.engine
        try:
            with self._one_at_a_time, engine.begin() as connection:
                yield connection
        except sa.exc.DBAPIError as error:
            raise StoreError(self.url, _reason(error)) from None

    # --- Reading ----------------------------------------------------------------------------

    def curriculum_names(self) -> list[str]:
        """Names of the stored curricula, oldest first."""
        with self._transaction() as connection:
            query = sa.select(curriculum_table.c.name).order_by(curriculum_table.c.id)
            return list(connection.scalars(query))

    def in_use(self, name: str | None = None) -> str | None:
        """The stored name of the named curriculum (any case), or of the one in use.

        None when the store holds no curriculum and none is named.
        """
        with self._transaction() as connection:
            if name is None and connection.scalar(sa.select(curriculum_table.c.id)) is None:
                return None
            return str(self._curriculum_row(connection, name).name)

    def choose(self, name: str) -> str:
        """Make the named curriculum (any case) the one in use; return its stored name."""
        with self._transaction(write=True) as connection:
            row = self._curriculum_row(connection, name)
            connection.execute(
                curriculum_table.update()
                .where(curriculum_table.c.id == row.id)
                .values(chosen_at=_now())
            )
            return str(row.name)

    def load(self, name: str | None = None) -> Curriculum:
        """Load a curriculum whole; with no name, the one in use (see `_curriculum_row`).

        From an SQLite file, a curriculum loaded before is reused while nothing at all has
        been committed to the file since: curricula are immutable, and every page needs one.
        """
        version = self._watch.version() if self._watch is not None else None
        cached = self._loaded.get(name)
        if version is not None and cached is not None and cached[0] == version:
            return cached[1]
        with self._transaction() as connection, without_collections():
            row = self._curriculum_row(connection, name)
            curriculum = build_curriculum(connection, row)
        if version is not None:
            self._loaded[name] = (version, curriculum)
        return curriculum

    def _curriculum_row(self, connection: Connection, name: str | None) -> sa.Row[Any]:
        """The named curriculum, or the one in use: chosen last, else the newest (issue 15).

        Stores from before curricula were chosen have no choice recorded: the newest is used.
        """
        chosen_at = curriculum_table.c.chosen_at
        query = sa.select(curriculum_table).order_by(
            chosen_at.is_(None), chosen_at.desc(), curriculum_table.c.id.desc()
        )
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
            items={i.resource_id: linked_item(i.key, i.base_status) for i in items},
        )

    def create(
        self,
        curriculum: Curriculum,
        readme: tuple[str, str] | None = None,
        keys: Sequence[str] = (),
    ) -> Curriculum:
        """Store a new curriculum (from a template or an import), in use from now on, with ids.

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
            now = _now()
            curriculum_id = insert(
                connection,
                curriculum_table.insert().values(
                    name=curriculum.name,
                    description=curriculum.description,
                    created_at=now,
                    chosen_at=now,
                ),
            )
            for position, domain in enumerate(curriculum.domains):
                insert_domain(connection, curriculum_id, None, position, domain)
            row = self._curriculum_row(connection, curriculum.name)
            stored = build_curriculum(connection, row)
            if readme is not None:
                link_imported(connection, stored, readme, keys)
            return stored

    def save_postings(self, postings: Sequence[StoredPosting]) -> SavedPostings:
        """Store postings not seen before (by content hash), in one transaction.

        A posting stored before whose skills another version of the extractor found has
        them replaced by these, with its extractor.
        """
        with self._transaction(write=True) as connection:
            stored = _posting_ids(connection, [p.content_hash for p in postings])
            fresh = [p for p in postings if p.content_hash not in stored]
            for posting in postings:
                if posting.content_hash in stored:
                    _forget_skills(connection, stored[posting.content_hash], posting.extractor)
            # A chunk's rows in one statement each: a row at a time was a third of a corpus's
            # import on a fresh store (issue 18).
            if fresh:
                connection.execute(posting_table.insert(), [_posting_row(p) for p in fresh])
                stored |= _posting_ids(connection, [p.content_hash for p in fresh])
            rows = [
                {
                    "posting_id": stored[p.content_hash],
                    "skill_id": skill,
                    "required": req,
                    "mentions": n,
                }
                for p in postings
                for skill, (req, n) in p.skills.items()
            ]
            if rows:
                connection.execute(posting_skill_table.insert(), rows)
            return SavedPostings(len(fresh), len(postings) - len(fresh))

    def postings_version(self) -> tuple[object, ...]:
        """What changes whenever postings are added or their skills found again.

        Postings are only ever added (ids grow) or re-read by a newer extractor (recorded on
        each), never edited or removed one by one.
        """
        query = sa.select(
            sa.func.count(),
            sa.func.max(posting_table.c.id),
            sa.func.min(posting_table.c.extractor),
            sa.func.max(posting_table.c.extractor),
        )
        with self._transaction() as connection:
            return tuple(connection.execute(query).one())

    def skill_shares(self, role: str | None = None) -> list[tuple[str, float]]:
        """Each skill's share of the stored postings (of one role, if given)."""
        with self._transaction() as connection:
            postings = sa.select(posting_table.c.id)
            if role is not None:
                postings = postings.where(_of_role(role))
            total = connection.scalar(sa.select(sa.func.count()).select_from(postings.subquery()))
            if not total:
                return []
            counts = connection.execute(
                sa.select(posting_skill_table.c.skill_id, sa.func.count())
                .where(posting_skill_table.c.posting_id.in_(postings))
                .group_by(posting_skill_table.c.skill_id)
            ).all()
        return [(skill, count / total) for skill, count in counts]

    def postings_asking(self, skill_ids: Collection[str], role: str | None = None) -> int:
        """How many stored postings (of one role, if given) name at least one of the skills."""
        postings = sa.select(posting_table.c.id)
        if role is not None:
            postings = postings.where(_of_role(role))
        query = sa.select(sa.func.count(sa.distinct(posting_skill_table.c.posting_id))).where(
            posting_skill_table.c.skill_id.in_(list(skill_ids)),
            posting_skill_table.c.posting_id.in_(postings),
        )
        with self._transaction() as connection:
            return int(connection.scalar(query) or 0)

    def known_hashes(self, hashes: Sequence[str], extractor: str) -> set[str]:
        """Which of these content hashes are stored postings whose skills `extractor` found.

        A corpus need not find those postings' skills again. Asked a chunk at a time, so that
        reading a corpus never holds every stored hash (issue 20).
        """
        column = posting_table.c.content_hash
        found: set[str] = set()
        with self._transaction() as connection:
            for wanted in _batches(hashes):
                query = sa.select(column).where(
                    column.in_(wanted), posting_table.c.extractor == extractor
                )
                found.update(connection.scalars(query))
        return found

    def analysed_postings(
        self, role: str | None = None, hashes: Sequence[str] | None = None
    ) -> list[tuple[str, dt.date | None, dict[str, tuple[bool, int]]]]:
        """Each stored posting's role, date and skills (required?, mentions), for reports.

        With `hashes`, only the postings with those content hashes, in the order stored.
        """
        with self._transaction() as connection:
            if hashes is not None:
                return _analysed_with_hashes(connection, role, hashes)
            postings = sa.select(posting_table.c.id, posting_table.c.role, posting_table.c.posted)
            if role is not None:
                postings = postings.where(_of_role(role))
            found: dict[int, tuple[str, dt.date | None, dict[str, tuple[bool, int]]]] = {
                row.id: (row.role, row.posted, {}) for row in connection.execute(postings)
            }
            # 180,000 rows for 10,000 postings: the driver's own tuples come in less than half
            # the time SQLAlchemy's rows take (issue 18).
            cursor = connection.connection.cursor()
            cursor.execute(_EVERY_POSTING_SKILL)
            for posting_id, skill, required, mentions in cursor.fetchall():
                if posting_id in found:
                    found[posting_id][2][skill] = (bool(required), int(mentions))
        return list(found.values())

    def save_target(self, target: SavedTarget) -> None:
        """Save (or replace) a named target."""
        with self._transaction(write=True) as connection:
            connection.execute(target_table.delete().where(target_table.c.name == target.name))
            target_id = insert(
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
                query = query.where(_of_role(role))
            return connection.scalar(query)

    def stale_postings(self, extractor: str) -> list[int]:
        """The ids of the stored postings whose skills another extractor found, in order."""
        column = posting_table.c.extractor
        query = sa.select(posting_table.c.id).where(column.is_(None) | (column != extractor))
        with self._transaction() as connection:
            return list(connection.scalars(query.order_by(posting_table.c.id)))

    def postings(self, ids: Sequence[int]) -> list[StoredPosting]:
        """Stored postings by id, with the skills stored for them."""
        p = posting_table.c
        with self._transaction() as connection:
            rows = connection.execute(
                sa.select(p.id, p.content_hash, p.source, p.title, p.role, p.posted, p.text)
                .where(p.id.in_(ids))
                .order_by(p.id)
            ).all()
            skills: dict[int, dict[str, tuple[bool, int]]] = {row.id: {} for row in rows}
            for posting_id, skill, required, mentions in connection.execute(
                sa.select(posting_skill_table).where(posting_skill_table.c.posting_id.in_(ids))
            ):
                skills[posting_id][skill] = (bool(required), int(mentions))
        return [StoredPosting(*row[1:], skills[row.id]) for row in rows]

    def posting_count(self, role: str | None = None) -> int:
        """How many postings the store holds (of one role, if given)."""
        query = sa.select(sa.func.count()).select_from(posting_table)
        if role is not None:
            query = query.where(_of_role(role))
        with self._transaction() as connection:
            return int(connection.scalar(query) or 0)

    def study_session(self) -> StudySession | None:
        """The study session under way, if any."""
        with self._transaction() as connection:
            return running_session(connection)

    def start_study(self, resource_id: int, started: dt.datetime) -> StudySession:
        """Store the start of a study session, unless one is already under way."""
        with self._transaction(write=True) as connection:
            return start_session(connection, resource_id, started)

    def end_study(
        self, session_id: int, started: dt.datetime, changes: Sequence[Change] = ()
    ) -> None:
        """End a session (the one started then) and apply the changes that log it, all or none."""
        with self._transaction(write=True) as connection:
            end_session(connection, session_id, started, changes)

    def contents(self) -> StoreContents:
        """Everything the learner keeps in the store, read in one transaction, for an export."""
        with self._transaction() as connection:
            return read_contents(connection)

    def restore(self, contents: StoreContents) -> None:
        """Put an export into this store, which must be empty, in one transaction: all or none."""
        with self._transaction(write=True) as connection:
            insert_contents(connection, contents)

    def backup(self, to: Path) -> None:
        """Copy the SQLite file to `to` with SQLite's online backup, safe while others write.

        The copy is one consistent state of the store: SQLite restarts it if another
        connection writes meanwhile, and WAL lets writers carry on while it reads.
        """
        if self._watch is None:
            raise BackupNotSupportedError(self.url, self.engine.url.get_backend_name())
        try:
            source = sqlite3.connect(self.location, timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                copy = sqlite3.connect(to)
                try:
                    source.backup(copy)
                finally:
                    copy.close()
            finally:
                source.close()
        except sqlite3.Error as error:
            raise StoreError(self.url, str(error)) from None

    def apply(self, changes: Sequence[Change]) -> list[int]:
        """Apply one command's changes in one transaction, all or none; return added ids."""
        with self._transaction(write=True) as connection:
            added = [apply_change(connection, change) for change in changes]
        return [resource_id for resource_id in added if resource_id is not None]


def _now() -> dt.datetime:
    """The time now, as the store keeps times: UTC, without a zone."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _reason(error: sa.exc.DBAPIError) -> str:
    return str(error.orig).splitlines()[0] if error.orig else str(error)


#: Content hashes looked up in one query: well under SQLite's limit of bound parameters.
_HASHES_PER_QUERY = 500


def _batches(hashes: Sequence[str]) -> Iterator[Sequence[str]]:
    """Content hashes a query's worth at a time."""
    for start in range(0, len(hashes), _HASHES_PER_QUERY):
        yield hashes[start : start + _HASHES_PER_QUERY]


def _of_role(role: str) -> sa.ColumnElement[bool]:
    """Postings of a role, whatever its case."""
    return sa.func.lower(posting_table.c.role) == role.lower()


def _posting_ids(connection: Connection, hashes: Sequence[str]) -> dict[str, int]:
    """The ids of the stored postings with these content hashes.

    Only the hashes asked for, not every stored one: a corpus of a million postings is saved
    a chunk at a time, and each chunk would otherwise read the whole table (issue 20).
    """
    found: dict[str, int] = {}
    column = posting_table.c.content_hash
    for wanted in _batches(hashes):
        query = sa.select(column, posting_table.c.id).where(column.in_(wanted))
        found.update({row[0]: row[1] for row in connection.execute(query)})
    return found


def _analysed_with_hashes(
    connection: Connection, role: str | None, hashes: Sequence[str]
) -> list[tuple[str, dt.date | None, dict[str, tuple[bool, int]]]]:
    """The role, date and skills of the stored postings with these hashes (and role)."""
    found: dict[int, tuple[str, dt.date | None, dict[str, tuple[bool, int]]]] = {}
    for wanted in _batches(hashes):
        postings = sa.select(
            posting_table.c.id, posting_table.c.role, posting_table.c.posted
        ).where(posting_table.c.content_hash.in_(wanted))
        if role is not None:
            postings = postings.where(_of_role(role))
        batch: dict[int, tuple[str, dt.date | None, dict[str, tuple[bool, int]]]] = {
            row.id: (row.role, row.posted, {}) for row in connection.execute(postings)
        }
        skills = sa.select(
            posting_skill_table.c.posting_id,
            posting_skill_table.c.skill_id,
            posting_skill_table.c.required,
            posting_skill_table.c.mentions,
        ).where(posting_skill_table.c.posting_id.in_(list(batch)))
        for posting_id, skill, required, mentions in connection.execute(skills):
            batch[posting_id][2][skill] = (bool(required), int(mentions))
        found.update(batch)
    return [found[posting_id] for posting_id in sorted(found)]


def _posting_row(posting: StoredPosting) -> dict[str, object]:
    """A posting's row, less its id."""
    return {
        "content_hash": posting.content_hash,
        "source": posting.source,
        "title": posting.title,
        "role": posting.role,
        "posted": posting.posted,
        "text": posting.text,
        "extractor": posting.extractor,
    }


def _forget_skills(connection: Connection, posting_id: int, extractor: str | None) -> None:
    """Drop a stored posting's skills, for the ones `extractor` found to take their place."""
    connection.execute(
        posting_skill_table.delete().where(posting_skill_table.c.posting_id == posting_id)
    )
    connection.execute(
        posting_table.update().where(posting_table.c.id == posting_id).values(extractor=extractor)
    )
