from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
import threading
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from diymasters.model import (
    AddResource,
    AddTimeEntry,
    AppendNote,
    EditResource,
    Resource,
    SetStatus,
    Status,
    TimeEntry,
    find_resource,
)
from diymasters.store import (
    SCHEMA_HEAD,
    CurriculumExistsError,
    CurriculumNotFoundError,
    ResourceGoneError,
    Store,
    StoreError,
    alembic_config,
    database_url,
    metadata,
)
from diymasters.template import load_template

if TYPE_CHECKING:
    from pathlib import Path

    from diymasters.masters import Masters


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {name for (name,) in rows}


def test_opening_an_empty_file_migrates_it(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    Store.open(f"sqlite:///{path}").close()
    assert {"curriculum", "domain", "resource", "time_entry", "alembic_version"} <= tables(path)


def test_opening_a_missing_file_creates_it(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Store.open(database_url(str(path))).close()
    assert "curriculum" in tables(path)


def test_migrations_match_the_tables_the_store_uses(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'm.db'}")
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    store.close()
    assert differences == []


def test_the_store_knows_the_newest_migration() -> None:
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == SCHEMA_HEAD


def test_reopening_a_current_store_keeps_its_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    first = Store.open(url)
    first.create(load_template())
    first.close()
    again = Store.open(url)
    assert again.curriculum_names() == ["ML Engineer masters"]
    again.close()


def test_sqlite_stores_use_wal_and_a_busy_timeout(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'w.db'}")
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.close()


def test_a_corrupt_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.db"
    garbage = b"this is not a database, it is a shopping list\n" * 100
    path.write_bytes(garbage)
    with pytest.raises(StoreError, match="file is not a database"):
        Store.open(f"sqlite:///{path}")
    assert path.read_bytes() == garbage


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(StoreError, match="not a diymasters store"):
        Store.open(f"sqlite:///{path}")
    assert tables(path) == {"invoices"}


def test_a_store_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'future.db'}"
    Store.open(url).close()
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    engine.dispose()
    with pytest.raises(StoreError, match="newer than this diymasters"):
        Store.open(url)


def test_an_unopenable_path_gets_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="unable to open"):
        Store.open(f"sqlite:///{tmp_path / 'missing-folder' / 'x.db'}")


def test_a_curriculum_round_trips_through_the_store(store: Store) -> None:
    template = load_template()
    stored = store.create(template)
    titles = [r.title for r in stored.all_resources()]
    assert titles == [r.title for r in template.all_resources()]
    assert all(r.id is not None for r in stored.all_resources())
    assert store.load() == stored
    spec = find_resource(stored, "Mathematics for Machine Learning Specialization")
    assert [c.title for c in spec.children] == [
        "Linear Algebra",
        "Multivariate Calculus",
        "Principal Component Analysis",
    ]


def test_names_are_unique_regardless_of_case(store: Store) -> None:
    store.create(load_template())
    with pytest.raises(CurriculumExistsError):
        store.create(load_template())


def test_loading_from_an_empty_store_says_there_is_none(store: Store) -> None:
    with pytest.raises(CurriculumNotFoundError, match="no curriculum yet") as refused:
        store.load()
    assert refused.value.known == ()


def test_loading_an_unknown_curriculum_lists_the_known_ones(store: Store) -> None:
    store.create(load_template())
    with pytest.raises(CurriculumNotFoundError, match="ML Engineer masters"):
        store.load("Quantum masters")


def test_changes_apply_together(store: Store) -> None:
    stored = store.create(load_template())
    calculus = find_resource(stored, "Multivariate Calculus")
    assert calculus.id is not None
    day = dt.date(2026, 11, 1)
    store.apply(
        [
            AddTimeEntry(calculus.id, TimeEntry(on=day, hours=2, note="week 1")),
            SetStatus(calculus.id, Status.IN_PROGRESS, day, None),
            EditResource(calculus.id, notes="the Jacobian, at last"),
        ]
    )
    after = find_resource(store.load(), "Multivariate Calculus")
    assert after.status is Status.IN_PROGRESS
    assert after.started == day
    assert after.notes == "the Jacobian, at last"
    assert [(e.on, e.hours, e.note) for e in after.time_entries] == [(day, 2, "week 1")]


def test_a_note_is_appended_to_the_notes_as_stored_not_as_read(store: Store) -> None:
    """Two writers that read the same notes each add their paragraph (issue 20)."""
    stored = store.create(load_template())
    calculus = find_resource(stored, "Multivariate Calculus")
    assert calculus.id is not None
    store.apply([AppendNote(calculus.id, "first")])
    store.apply([AppendNote(calculus.id, "second")])
    assert find_resource(store.load(), "Multivariate Calculus").notes == "first\n\nsecond"
    with pytest.raises(ResourceGoneError):
        store.apply([AppendNote(999_999, "to nobody")])


def test_a_failing_change_rolls_back_the_whole_command(store: Store) -> None:
    stored = store.create(load_template())
    calculus = find_resource(stored, "Multivariate Calculus")
    assert calculus.id is not None
    with pytest.raises(ResourceGoneError):
        store.apply(
            [
                SetStatus(calculus.id, Status.DONE, None, dt.date(2026, 11, 1)),
                EditResource(999_999, title="nobody"),
            ]
        )
    assert store.load() == stored


def test_added_resources_go_to_the_end_of_their_siblings(store: Store) -> None:
    stored = store.create(load_template())
    spec = find_resource(stored, "Mathematics for Machine Learning Specialization")
    assert spec.id is not None
    maths = stored.domains[0]
    assert maths.id is not None
    (new_id,) = store.apply([AddResource(maths.id, spec.id, Resource("Bonus"))])
    children = find_resource(store.load(), "Mathematics for Machine Learning").children
    assert [c.title for c in children][-1] == "Bonus"
    assert children[-1].id == new_id


def test_a_reloaded_curriculum_sees_every_commit_to_the_file(tmp_path: Path) -> None:
    """Loads from a file are reused only while nothing was committed, by anyone."""
    url = f"sqlite:///{tmp_path / 'm.db'}"
    mine, other = Store.open(url), Store.open(url)
    try:
        created = mine.create(load_template("ml-engineer"))
        assert mine.load() is mine.load()  # nothing changed: the same object
        calculus = find_resource(mine.load(), "Multivariate Calculus")
        assert calculus.id is not None
        mine.apply([EditResource(calculus.id, notes="mine")])
        assert find_resource(mine.load(), "Multivariate Calculus").notes == "mine"
        other.apply([EditResource(calculus.id, notes="another process's")])
        assert find_resource(mine.load(), "Multivariate Calculus").notes == "another process's"
        with sqlite3.connect(tmp_path / "m.db") as raw:
            raw.execute("UPDATE resource SET title = 'Calculus' WHERE id = ?", (calculus.id,))
        assert find_resource(mine.load(created.name), "Calculus").id == calculus.id
    finally:
        mine.close()
        other.close()


def upgrade_to(path: Path, revision: str, *, down: bool = False) -> None:
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        connection.exec_driver_sql("PRAGMA foreign_keys = ON")
        (command.downgrade if down else command.upgrade)(config, revision)
    engine.dispose()


def counts(path: Path) -> tuple[int, int]:
    with sqlite3.connect(path) as connection:
        entries = connection.execute("SELECT count(*) FROM time_entry").fetchone()[0]
        resources = connection.execute("SELECT count(*) FROM resource").fetchone()[0]
        return entries, resources


def test_archiving_migrates_in_place_both_ways_keeping_every_row(tmp_path: Path) -> None:
    """A table rebuilt with foreign keys on would take the time entries with it."""
    path = tmp_path / "m.db"
    store = Store.open(f"sqlite:///{path}")
    curriculum = store.create(load_template())
    resource_id = next(curriculum.all_resources()).id or 0
    store.apply([AddTimeEntry(resource_id, TimeEntry(dt.date(2026, 12, 1), 2.0))])
    store.close()
    before = counts(path)
    upgrade_to(path, "0007", down=True)
    assert counts(path) == before
    Store.open(f"sqlite:///{path}").close()  # upgrades again
    assert counts(path) == before


def test_a_removed_entrys_id_is_never_given_again_even_in_an_upgraded_store(
    tmp_path: Path,
) -> None:
    """`entry remove N` twice must not delete an entry logged after the first."""
    path = tmp_path / "m.db"
    store = Store.open(f"sqlite:///{path}")
    resource_id = next(store.create(load_template()).all_resources()).id or 0
    store.close()
    upgrade_to(path, "0008", down=True)
    with sqlite3.connect(path) as raw:
        for day in (1, 2):
            raw.execute(
                "INSERT INTO time_entry (resource_id, day, hours, note) VALUES (?, ?, 1, '')",
                (resource_id, f"2026-12-0{day}"),
            )
    Store.open(f"sqlite:///{path}").close()  # upgrades to the newest
    with sqlite3.connect(path) as raw:
        assert [row[0] for row in raw.execute("SELECT id FROM time_entry")] == [1, 2]
        raw.execute("DELETE FROM time_entry WHERE id = 2")
        raw.execute(
            "INSERT INTO time_entry (resource_id, day, hours, note) VALUES (?, ?, 1, '')",
            (resource_id, "2026-12-03"),
        )
        assert [row[0] for row in raw.execute("SELECT id FROM time_entry")] == [1, 3]


def test_a_migration_killed_half_way_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    """DDL is inside the migration's transaction: no tables without their version."""
    path = tmp_path / "m.db"
    script = (
        "import os, sqlalchemy as sa\n"
        "from sqlalchemy import event\n"
        "from diymasters.store import Store\n"
        "@event.listens_for(sa.engine.Engine, 'commit')\n"
        "def die(_c): os._exit(9)\n"
        f"Store.open('sqlite:///{path}')\n"
    )
    assert subprocess.run([sys.executable, "-c", script], check=False).returncode == 9
    assert "curriculum" not in tables(path)
    Store.open(f"sqlite:///{path}").close()
    assert "curriculum" in tables(path)


def test_an_in_memory_store_serves_threads_one_transaction_at_a_time(masters: Masters) -> None:
    """The web UI runs the core in worker threads; an in-memory store is one shared connection."""
    failures: list[BaseException] = []

    def read_and_write(number: int) -> None:
        try:
            for _ in range(10):
                masters.status()
                masters.log("Real Python", 0.5, note=f"thread {number}")
        except BaseException as error:  # noqa: BLE001 (reported by the assertion below)
            failures.append(error)

    threads = [threading.Thread(target=read_and_write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    logged = sum(e.hours for e in find_resource(masters.curriculum(), "Real Python").time_entries)
    assert logged == pytest.approx(4 * 10 * 0.5)  # 20 h: within the 24 h one day holds
