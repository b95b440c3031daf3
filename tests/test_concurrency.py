"""The CLI and the web UI share one SQLite file: concurrent writers must all land."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.conftest import Cli

WRITERS = 6


def test_concurrent_processes_all_land_their_writes(cli: Cli) -> None:
    assert cli("init").returncode == 0
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "diymasters",
                "--db",
                f"sqlite:///{cli.db}",
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
        )
        for n in range(WRITERS)
    ]
    outcomes = [(p.communicate(timeout=60)[1], p.returncode) for p in processes]
    assert [stderr for stderr, code in outcomes if code != 0] == []
    shown = json.loads(cli("show", "Real Python", "--json").stdout)
    assert sorted(e["note"] for e in shown["time_entries"]) == [
        f"writer {n}" for n in range(WRITERS)
    ]
