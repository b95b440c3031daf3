"""Export, restore and backup, as a learner runs them: through the CLI, on real SQLite files.

The CSV is checked with Python's `csv` module, which reads RFC 4180
(https://www.rfc-editor.org/rfc/rfc4180) quoting.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import importlib.util
import io
import json
import shutil
import sqlite3
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diymasters.export import (
    FORMAT,
    MAX_EXPORT_BYTES,
    VERSION,
    export_json,
    read_export,
    time_log_csv,
)
from diymasters.masters import Masters
from diymasters.model import Kind, LinkedItem, Parts, Status
from diymasters.store import (
    SCHEMA_HEAD,
    BackupNotSupportedError,
    ExportedCurriculum,
    ExportedDomain,
    ExportedEntry,
    ExportedReadme,
    ExportedResource,
    Store,
    StoreContents,
    StoreError,
    make_engine,
)
from diymasters.tracking import whole_percent
from tests.conftest import Cli

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

#: A README the learner links: two domains, a course with parts, an item to drop later.
README = (
    "# My masters\n\n## Maths\n\n- [ ] [Calculus](https://c.example)\n"
    "  - [x] Limits\n  - [ ] Series\n- [ ] Algebra\n\n## Code\n\n* [ ] Python\n"
)
POSTING = (
    "Machine Learning Engineer\n\nRequirements:\n- Python and PyTorch\n"
    "- Linear algebra and statistics\n- Docker and Kubernetes\n"
)


def ok(cli: Cli, *args: str) -> str:
    result = cli(*args)
    assert result.returncode == 0, (args, result.stderr)
    return result.stdout


def fails(cli: Cli, *args: str) -> tuple[int, str]:
    result = cli(*args)
    assert result.returncode != 0, args
    return result.returncode, result.stderr


def other(cli: Cli, name: str) -> Cli:
    """The same user, on another store file."""
    return Cli(db=cli.db.parent / name, home=cli.home)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    """A store with something of everything an export carries, built once for the module."""
    tmp_path = tmp_path_factory.mktemp("rich")
    cli = Cli(db=tmp_path / "masters.db", home=tmp_path / "home")
    cli.home.mkdir()
    ok(cli, "init")
    ok(cli, "log", "Linear Algebra", "2", "--date", "2024-03-01", "--note", 'week "one", ok')
    ok(cli, "log", "Principal", "1h30", "--date", "2024-03-02")
    ok(cli, "log", "Principal", "1", "--date", "2024-03-03", "--note", "line one\nline two")
    ok(cli, "entry", "remove", "3")  # the highest id: a new entry must never take it again
    ok(cli, "log", "Real Python", "0.5", "--date", "2024-03-04")
    ok(cli, "note", "Linear Algebra", "Strang's lectures help, | and * too")
    ok(cli, "parts", "Principal", "2/5")
    ok(cli, "tag", "Computational", "linear algebra")
    ok(cli, "move", "Real Python", "--domain", "Statistics")
    (tmp_path / "posting.txt").write_text(POSTING, encoding="utf-8")
    ok(cli, "target", "save", "dream job", "--posting", str(tmp_path / "posting.txt"))
    ok(cli, "plan", "--posting", str(tmp_path / "posting.txt"), "--hours-per-week", "8")
    readme = tmp_path / "README.md"
    readme.write_text(README, encoding="utf-8")
    ok(cli, "import", str(readme), "--name", "Second")
    ok(cli, "log", "Limits", "3", "--date", "2024-04-01")
    ok(cli, "log", "Algebra", "2", "--date", "2024-04-02")
    readme.write_text(README.replace("- [ ] Algebra\n", ""), encoding="utf-8")
    ok(cli, "sync")  # Algebra leaves the README: archived, its hours kept
    ok(cli, "readme", "autosync", "on")
    ok(cli, "follow", str(readme))
    ok(cli, "use", "ML Engineer masters")
    ok(cli, "study", "Multivariate", "--detach")
    return cli


@pytest.fixture
def rich(built: Cli, cli: Cli) -> Cli:
    """A copy of the built store for one test (its README stays the module's)."""
    shutil.copyfile(built.db, cli.db)
    return cli


def views(cli: Cli) -> list[str]:
    """What a learner sees of every curriculum: `status --json` and `entries --json`.

    With the study session under way, but for its minutes, which go on counting.
    """
    names = [line["name"] for line in json.loads(ok(cli, "curricula", "--json"))["curricula"]]
    assert len(names) == 2
    session = json.loads(ok(cli, "study", "status", "--json"))["session"]
    if session is not None:
        del session["minutes"]
    return [
        ok(cli, "--curriculum", name, command, "--json")
        for name in names
        for command in ("status", "entries")
    ] + [ok(cli, "status", "--json"), json.dumps(session)]


def test_an_export_restored_into_an_empty_store_shows_the_same(rich: Cli, tmp_path: Path) -> None:
    before = views(rich)
    exported = ok(rich, "export")
    document = json.loads(exported)
    assert (document["format"], document["version"]) == (FORMAT, VERSION)
    assert document["schema"] == SCHEMA_HEAD
    assert [c["name"] for c in document["curricula"]] == ["ML Engineer masters", "Second"]
    path = tmp_path / "export.json"
    path.write_text(exported, encoding="utf-8")

    restored = other(rich, "restored.db")
    said = ok(restored, "restore", "--from", str(path))
    assert said.startswith("Restored 2 curricula, 14 resources, 5 time entries, 1 plan, 1 target")
    assert views(restored) == before
    assert ok(restored, "export") == exported


def test_a_restored_store_carries_on_as_the_first_would(rich: Cli, tmp_path: Path) -> None:
    (tmp_path / "export.json").write_text(ok(rich, "export"), encoding="utf-8")
    restored = other(rich, "restored.db")
    ok(restored, "restore", "--from", str(tmp_path / "export.json"))
    for cli in (rich, restored):
        ok(cli, "study", "stop", "--hours", "1")
        ok(cli, "log", "Principal", "1", "--date", "2024-05-01")
        ok(cli, "add", "New course", "--domain", "Mathematics")
    assert views(restored) == views(rich)
    ids = [line["id"] for line in json.loads(ok(restored, "entries", "--json"))]
    assert sorted(ids) == [1, 2, 4, 7, 8]  # 3 was removed before the export: never given out again
    assert ok(restored, "progress", "--json") == ok(rich, "progress", "--json")


@dataclasses.dataclass
class ServerCli(Cli):
    """The same user, on a database of a PostgreSQL server."""

    url: str = ""

    def arguments(self, args: Sequence[str], *, db: bool) -> list[str]:
        return [*(["--db", self.url] if db else []), *args]


def test_an_export_restores_onto_postgresql_and_carries_on_there(
    rich: Cli, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    server = request.getfixturevalue("postgres_server")
    if isinstance(server, str):
        pytest.skip(f"no PostgreSQL server: {server}")
    (tmp_path / "export.json").write_text(ok(rich, "export"), encoding="utf-8")
    with server.database(migrated=False) as url:
        restored = ServerCli(db=rich.db, home=rich.home, url=url)
        ok(restored, "restore", "--from", str(tmp_path / "export.json"))
        assert views(restored) == views(rich)
        for cli in (rich, restored):
            ok(cli, "log", "Principal", "1", "--date", "2024-05-01")
            ok(cli, "add", "New course", "--domain", "Mathematics")
        assert views(restored) == views(rich)
        ids = [line["id"] for line in json.loads(ok(restored, "entries", "--json"))]
        assert sorted(ids) == [1, 2, 4, 7]  # past every id restored (5, 6: Second's)


def test_the_time_log_as_csv_holds_every_entry(rich: Cli, tmp_path: Path) -> None:
    ok(rich, "export", "--format", "csv", "--output", str(tmp_path / "log.csv"))
    text = (tmp_path / "log.csv").read_bytes().decode("utf-8")
    assert text.startswith("id,curriculum,domain,resource,date,hours,note\r\n")
    assert text == ok(rich, "export", "--format", "csv").replace("\n", "\r\n")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    expected = [
        (str(line["id"]), name, line["resource"], line["date"], line["hours"], line["note"])
        for name in ("ML Engineer masters", "Second")
        for line in json.loads(ok(rich, "--curriculum", name, "entries", "--json"))
    ]
    got = [
        (r["id"], r["curriculum"], r["resource"], r["date"], float(r["hours"]), r["note"])
        for r in rows
    ]
    assert got == expected
    domains = {r["resource"]: r["domain"] for r in rows}
    assert domains["Real Python"] == "Statistics"  # where it was moved
    assert domains["Algebra"] == "Maths"  # archived, still in its domain
    assert 'week "one", ok' in [r["note"] for r in rows]


def _domain_rows(domains: list[dict[str, Any]], above: str = "") -> list[str]:
    """The start of each domain's row in the report, as `status --json` gives its progress."""
    rows = []
    for domain in domains:
        path = f"{above} / {domain['name']}" if above else domain["name"]
        done = f"{domain['items_done']} of {domain['items']}"
        estimated, known = domain["hours_estimated"], domain["hours_known"]
        # As `status` says it: "≥62" where a resource under it has no estimate.
        estimate = f"{estimated:g}" if estimated is not None else f"≥{known:g}" if known else "?"
        hours = f"{domain['hours_logged']:g} | {estimate}"
        rows.append(f"| {path} | {whole_percent(domain['progress'])}% | {done} | {hours} |")
        rows += _domain_rows(domain["domains"], path)
    return rows


def test_the_markdown_report_gives_each_domains_progress(rich: Cli) -> None:
    report = ok(rich, "export", "--format", "md")
    for name in ("ML Engineer masters", "Second"):
        status = json.loads(ok(rich, "--curriculum", name, "status", "--json"))
        assert f"## {name}\n" in report

        for row in _domain_rows(status["domains"]):
            assert row in report, row
    assert " h logged of ≥" in report  # the masters' estimate is a lower bound, and says so
    assert "| ≥" in report
    assert "A domain's row includes the domains under it" in report
    assert "- [x] [Limits]" not in report  # no URL, no link
    assert "  - [x] Limits: done, 100%, 3 h logged" in report
    assert "Strang" not in report  # notes stay private
    assert "- Algebra: in progress, 2 h logged" in report  # archived, listed apart


def test_an_export_to_a_file_is_written_once_unless_forced(rich: Cli, tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    said = ok(rich, "export", "--output", str(path))
    assert said.startswith(f"Wrote {path} (")
    first = path.read_bytes()
    assert first.decode() == ok(rich, "export")
    ok(rich, "log", "Real Python", "1", "--date", "2024-06-01")
    code, error = fails(rich, "export", "--output", str(path))
    assert (code, error) == (
        2,
        f"Error: {path} exists already; nothing was written; pass --force to replace it\n",
    )
    assert path.read_bytes() == first
    ok(rich, "export", "--format", "csv", "--output", str(path), "--force")
    assert path.read_text(encoding="utf-8").startswith("id,curriculum")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out")) == []


def test_a_store_that_is_not_empty_is_refused_and_left_as_it_was(rich: Cli, tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(ok(rich, "export"), encoding="utf-8")
    target = other(rich, "busy.db")
    ok(target, "init", "--name", "Mine")
    before = ok(target, "export")
    code, error = fails(target, "restore", "--from", str(path))
    assert code == 1
    assert error == (
        "Error: the store is not empty (it holds curriculum 'Mine'); an export is restored "
        "into an empty store only; nothing was changed; give a new store with --db NEW.db\n"
    )
    assert ok(target, "export") == before


def test_ids_that_clash_are_refused_before_anything_is_stored(rich: Cli, tmp_path: Path) -> None:
    document = json.loads(ok(rich, "export"))
    second = document["curricula"][1]["domains"][0]["resources"][0]
    second["id"] = document["curricula"][0]["domains"][0]["resources"][0]["id"]
    path = tmp_path / "clash.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    target = other(rich, "empty.db")
    code, error = fails(target, "restore", "--from", str(path))
    assert (code, error) == (
        2,
        f"Error: {path}: resource id 1 appears twice; nothing was changed\n",
    )
    assert json.loads(ok(target, "curricula", "--json"))["curricula"] == []


def test_a_restore_that_fails_late_stores_nothing(rich: Cli, tmp_path: Path) -> None:
    source = Store.open(f"sqlite:///{rich.db}")
    contents = source.contents()
    source.close()
    # The last thing inserted breaks a key: a study session under way twice.
    session = contents.study_sessions[0]
    broken = dataclasses.replace(contents, study_sessions=(session, session))
    store = Store.open(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        with pytest.raises(StoreError, match="UNIQUE constraint failed"):
            store.restore(broken)
        assert store.curriculum_names() == []
        assert store.target_names() == []
        store.restore(contents)  # nothing was left behind to clash with
        assert store.curriculum_names() == ["ML Engineer masters", "Second"]
    finally:
        store.close()


#: Where the first resource of the export sits.
FIRST = "curricula[0].domains[0].resources[0]"


def _edited(document: dict[str, Any], change: str) -> dict[str, Any]:
    """The document with one field made wrong, as a hand edit or a broken tool would."""
    resource = document["curricula"][0]["domains"][0]["resources"][0]
    if change == "status":
        resource["status"] = "finished"
    elif change == "hours":
        resource["children"][0]["time_entries"] = [
            {"id": 99, "date": "2024-01-01", "hours": -1, "note": ""}
        ]
    elif change == "missing":
        del resource["title"]
    elif change == "session":
        document["study_sessions"][0]["resource_id"] = 999
    return document


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"not json at all", "not a diymasters export (not JSON)"),
        (b'{"curricula": []}', "not a diymasters export (no \"format\": 'diymasters-export')"),
        (b"\xff\xfe\x00", "not a diymasters export (not JSON)"),
        (
            b'{"format": "diymasters-export", "version": 2}',
            (
                "made by a newer diymasters (export version 2; this one reads up to 1); "
                "upgrade diymasters to restore it"
            ),
        ),
        (
            b'{"format": "diymasters-export", "version": "1"}',
            "its export version is missing or malformed",
        ),
        (b'{"format": "diymasters-export", "version": 1}', "curricula: is missing"),
        (
            "status",
            f"{FIRST}.status: is not one of todo, in_progress, done, dropped",
        ),
        (
            "hours",
            f"{FIRST}.children[0].time_entries[0]: hours -1 must be a positive number of hours",
        ),
        ("missing", f"{FIRST}.title: is missing"),
        ("session", "study session 1 is of resource 999, which it does not hold"),
    ],
)
def test_a_file_that_is_not_a_good_export_is_refused_in_one_line(
    rich: Cli, tmp_path: Path, content: bytes | str, why: str
) -> None:
    path = tmp_path / "bad.json"
    if isinstance(content, str):
        content = json.dumps(_edited(json.loads(ok(rich, "export")), content)).encode()
    path.write_bytes(content)
    target = other(rich, "empty.db")
    code, error = fails(target, "restore", "--from", str(path))
    assert (code, error) == (2, f"Error: {path}: {why}; nothing was changed\n")
    assert json.loads(ok(target, "curricula", "--json"))["curricula"] == []


def test_a_file_over_the_limit_is_refused_unread(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as stream:
        stream.truncate(MAX_EXPORT_BYTES + 1)
    code, error = fails(cli, "restore", "--from", str(path))
    assert (code, error) == (
        2,
        f"Error: {path}: larger than 64 MiB, the largest export read; nothing was changed\n",
    )


def test_restore_takes_a_resource_or_a_file_not_both(rich: Cli, tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(ok(rich, "export"), encoding="utf-8")
    for args in (("restore",), ("restore", "Algebra", "--from", str(path))):
        code, error = fails(rich, *args)
        assert code == 2
        assert "give a RESOURCE to bring back, or --from FILE to load an export, not both" in error
    # Without --from, restore brings back an archived resource, as before.
    assert '"archived": null' in ok(rich, "--curriculum", "Second", "restore", "Algebra", "--json")


def test_a_backup_opens_as_the_same_store(rich: Cli, tmp_path: Path) -> None:
    path = tmp_path / "backup.db"
    said = ok(rich, "backup", str(path))
    assert said.startswith(f"Backed up {rich.db} to {path} (")
    with sqlite3.connect(path) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert views(other(rich, "backup.db")) == views(rich)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".backup.db")] == []


def test_a_backup_refuses_to_overwrite_unless_forced(rich: Cli, tmp_path: Path) -> None:
    path = tmp_path / "backup.db"
    path.write_bytes(b"my precious file")
    code, error = fails(rich, "backup", str(path))
    assert (code, error) == (
        2,
        f"Error: {path} exists already; nothing was written; pass --force to replace it\n",
    )
    assert path.read_bytes() == b"my precious file"
    ok(rich, "backup", str(path), "--force")
    assert views(other(rich, "backup.db")) == views(rich)


def test_a_backup_is_consistent_while_another_connection_writes(rich: Cli, tmp_path: Path) -> None:
    writer = sqlite3.connect(rich.db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE resource SET notes = 'half-written' WHERE id = 1")
    try:
        ok(rich, "backup", str(tmp_path / "backup.db"))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    copy = sqlite3.connect(tmp_path / "backup.db")
    assert copy.execute("SELECT notes FROM resource WHERE id = 1").fetchone() == ("",)
    copy.close()


def test_a_store_in_memory_is_not_backed_up(tmp_path: Path) -> None:
    cli = Cli(db=tmp_path / "unused.db", home=tmp_path)
    result = cli("--db", "sqlite://", "backup", str(tmp_path / "b.db"), db=False)
    assert (result.returncode, result.stderr) == (
        2,
        (
            "Error: store sqlite://: backup copies a store kept in a file, and this one is kept "
            "in memory\n"
        ),
    )
    assert not (tmp_path / "b.db").exists()


def test_neither_a_backup_nor_an_export_writes_over_the_store(rich: Cli) -> None:
    before = ok(rich, "export")
    for args in (("backup", str(rich.db)), ("export", "--output", f"{rich.db}-wal")):
        code, error = fails(rich, *args, "--force")
        said = f"{args[-1]} is a file of the store itself; choose another; nothing was written"
        assert (code, error) == (2, f"Error: {said}\n")
    assert ok(rich, "export") == before


def test_json_describes_a_file_written(rich: Cli) -> None:
    code, error = fails(rich, "export", "--format", "csv", "--json")
    assert code == 2
    assert "--json describes the file --output writes" in error


# --- Any contents, written and read back ----------------------------------------------------

_texts = st.text(st.characters(codec="utf-8"), max_size=30)
_titles = _texts.filter(lambda text: bool(text.strip()))
_days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31))
_ids = st.integers(min_value=1, max_value=2**31)


@st.composite
def _contents(draw: st.DrawFn) -> StoreContents:
    """Store contents with unique ids, any text, and numbers that are round in no way."""
    ids = iter(draw(st.lists(_ids, min_size=40, max_size=40, unique=True)))

    def resource(children: tuple[ExportedResource, ...] = ()) -> ExportedResource:
        started = draw(st.none() | _days)
        return ExportedResource(
            id=next(ids),
            position=draw(st.integers(0, 50)),
            title=draw(_titles),
            kind=draw(st.sampled_from(Kind)),
            status=draw(st.sampled_from(Status)),
            url=draw(st.none() | _texts),
            provider=draw(st.none() | _texts),
            description=draw(st.none() | _texts),
            estimated_hours=draw(st.none() | st.floats(min_value=0.01, max_value=1e6)),
            cost=draw(st.none() | st.floats(min_value=0, max_value=1e6)),
            started=started,
            finished=None if started is None else started + dt.timedelta(draw(st.integers(0, 9))),
            notes=draw(_texts),
            source=draw(st.none() | _texts),
            archived=draw(st.none() | _days),
            parts=draw(st.none() | st.builds(Parts, st.just(1), st.integers(1, 999))),
            skills=tuple(draw(st.lists(_titles, max_size=3, unique=True))),
            readme_item=draw(
                st.none() | st.builds(LinkedItem, _texts, st.sampled_from(Status), st.none())
            ),
            time_entries=tuple(
                ExportedEntry(next(ids), draw(_days), draw(st.floats(0.01, 24)), draw(_texts))
                for _ in range(draw(st.integers(0, 2)))
            ),
            children=children,
        )

    domain = ExportedDomain(
        next(ids), 0, draw(_titles), (resource((resource(), resource())), resource()), ()
    )
    curriculum = ExportedCurriculum(
        id=next(ids),
        name=draw(_titles),
        description=draw(_texts),
        created_at=draw(st.datetimes()),
        chosen_at=draw(st.none() | st.datetimes()),
        domains=(domain,),
        readme=draw(st.none() | st.builds(ExportedReadme, _texts, _texts, st.booleans())),
        upstream=None,
        plans=(),
    )
    return StoreContents((curriculum,), (), (), draw(st.integers(0, 2**31)))


@settings(max_examples=60, deadline=None)
@given(_contents())
def test_any_contents_read_back_as_they_were_written(contents: StoreContents) -> None:
    text = export_json(contents)
    assert read_export(text.encode(), "export.json") == contents
    rows = list(csv.DictReader(io.StringIO(time_log_csv(contents), newline="")))
    entries = [e for _, r in contents.curricula[0].all_resources() for e in r.time_entries]
    assert sorted((r["id"], r["note"], float(r["hours"])) for r in rows) == sorted(
        (str(e.id), e.note, e.hours) for e in entries
    )


def test_a_store_on_a_database_server_points_to_its_own_tool(tmp_path: Path) -> None:
    if importlib.util.find_spec("psycopg") is None:
        pytest.skip("psycopg is not installed, so no PostgreSQL engine can be made")
    # Made without connecting: the backup is refused before the server is ever asked.
    store = Store(make_engine("postgresql+psycopg://me:secret@localhost/masters"))
    try:
        with pytest.raises(BackupNotSupportedError) as refused:
            Masters(store).backup(tmp_path / "backup.db")
    finally:
        store.close()
    assert str(refused.value) == (
        "store postgresql+psycopg://me:***@localhost/masters: backup copies SQLite stores; back "
        "up a database server with its own tool (pg_dump for PostgreSQL)"
    )
    assert list(tmp_path.iterdir()) == []
