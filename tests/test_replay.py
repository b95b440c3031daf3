"""`status --json` is replayed from the cache while nothing it rests on changed (issue 18).

Whether an answer was replayed is read from Python's own import log (`-X importtime`): a
replayed answer loads neither SQLAlchemy nor the CLI.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from diymasters.cli.root import CURRICULUM_ENV, DB_ENV
from diymasters.entry import replayed_request

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Cli


@pytest.fixture
def own_cache(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """The CLI with a cache of its own: other tests' replays cannot replace this one's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert cli("init").returncode == 0
    return cli


def status(cli: Cli, *global_options: str) -> tuple[dict[str, object], bool]:
    """`status --json` in a process of its own: the answer, and whether it was replayed."""
    done = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "diymasters",
            *(global_options or ("--db", str(cli.db))),
            "status",
            "--json",
        ],
        capture_output=True,
        env=cli.environment(),
        timeout=60,
        check=True,
    )
    loaded = done.stderr.decode()
    assert "diymasters.replay" in loaded
    return json.loads(done.stdout), "sqlalchemy" not in loaded


def test_a_second_status_is_replayed_and_says_the_same(own_cache: Cli) -> None:
    first, replayed = status(own_cache)
    assert not replayed
    second, replayed = status(own_cache)
    assert replayed
    assert second == first
    computed = json.loads(own_cache("status", "--json").stdout)
    assert computed == first


def test_a_write_by_the_tool_keeps_the_status_it_leaves(own_cache: Cli) -> None:
    before, _ = status(own_cache)
    written = own_cache.subprocess("--db", str(own_cache.db), "log", "Real Python", "2", db=False)
    assert written.returncode == 0
    after, replayed = status(own_cache)
    assert replayed
    assert after != before
    assert after == json.loads(own_cache("status", "--json").stdout)


def test_a_write_keeps_no_status_for_a_learner_who_never_asked_for_one(own_cache: Cli) -> None:
    written = own_cache.subprocess("--db", str(own_cache.db), "log", "Real Python", "2", db=False)
    assert written.returncode == 0
    _, replayed = status(own_cache)
    assert not replayed


def test_a_write_keeps_no_status_while_a_study_session_runs(own_cache: Cli) -> None:
    status(own_cache)
    started = own_cache.subprocess(
        "--db", str(own_cache.db), "study", "start", "Real Python", "--detach", db=False
    )
    assert started.returncode == 0
    _, replayed = status(own_cache)
    assert not replayed


def test_a_write_by_another_program_is_never_hidden_by_a_replay(own_cache: Cli) -> None:
    before, _ = status(own_cache)
    with sqlite3.connect(own_cache.db) as connection:
        connection.execute("UPDATE resource SET status = 'done'")
    connection.close()
    after, replayed = status(own_cache)
    assert not replayed
    assert after != before


def test_a_changed_configuration_is_never_hidden_by_a_replay(own_cache: Cli) -> None:
    status(own_cache)
    config = own_cache.home / ".config" / "diymasters" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[hours]\nvideo_factor = 3\n", encoding="utf-8")
    _, replayed = status(own_cache)
    assert not replayed


def test_status_is_not_replayed_while_a_study_session_runs(own_cache: Cli) -> None:
    assert own_cache("study", "start", "Real Python", "--detach").returncode == 0
    status(own_cache)
    _, replayed = status(own_cache)
    assert not replayed


def test_another_request_or_store_is_never_answered_with_this_ones(
    own_cache: Cli, tmp_path: Path
) -> None:
    status(own_cache)
    other = tmp_path / "other.db"
    assert own_cache.subprocess("--db", str(other), "init", db=False).returncode == 0
    answer, replayed = status(own_cache, "--db", str(other))
    assert not replayed
    assert answer == json.loads(own_cache("--db", str(other), "status", "--json", db=False).stdout)


def test_only_status_as_json_is_replayed_with_the_store_the_command_line_names() -> None:
    env = {DB_ENV: "env.db", CURRICULUM_ENV: "Mine"}
    words = ("status", "--json")
    assert replayed_request(["status", "--json"], env) == (words, "env.db", "Mine")
    assert replayed_request(["--db", "a.db", "status", "--json"], env) == (words, "a.db", "Mine")
    assert replayed_request(["--db=b.db", "status", "--json"], {}) == (words, "b.db", None)
    for other in (["status"], ["status", "--json", "--x"], ["log", "x", "1"], ["--db", "a.db"]):
        assert replayed_request(other, env) is None
