"""The CLI and the web UI share one store: concurrent writers must all land.

On SQLite they take turns at the file's lock; on PostgreSQL, at the server's.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.conftest import Cli

WRITERS = 6


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_url(request: pytest.FixtureRequest, cli: Cli) -> str:
    """The store every writer opens: the CLI's SQLite file, or a database on the server."""
    if request.param == "sqlite":
        return f"sqlite:///{cli.db}"
    url: str = request.getfixturevalue("store_url_postgresql")
    return url


@pytest.fixture
def store_url_postgresql(request: pytest.FixtureRequest) -> Iterator[str]:
    """A migrated database of its own on the test server (skips where there is none)."""
    server = request.getfixturevalue("postgres_server")
    if isinstance(server, str):
        pytest.skip(f"no PostgreSQL server: {server}")
    with server.database() as url:
        yield url


def test_concurrent_processes_all_land_their_writes(cli: Cli, shared_url: str) -> None:
    assert cli("--db", shared_url, "init", db=False).returncode == 0
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "diymasters",
                "--db",
                shared_url,
                "log",
                "Real Python",
                "1",
                "--note",
                f"writer {n}",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            env=cli.environment(),
        )
        for n in range(WRITERS)
    ]
    outcomes = [(p.communicate(timeout=60)[1], p.returncode) for p in processes]
    assert [stderr for stderr, code in outcomes if code != 0] == []
    shown = json.loads(cli("--db", shared_url, "show", "Real Python", "--json", db=False).stdout)
    assert sorted(e["note"] for e in shown["time_entries"]) == [
        f"writer {n}" for n in range(WRITERS)
    ]
