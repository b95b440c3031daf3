"""`serve --workers N`: processes answering side by side, each seeing the others' writes,
all stopped by one Ctrl-C, none left behind."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.conftest import Cli

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/task").is_dir(), reason="finds the workers through Linux's /proc"
)

COURSE = "Practical Deep Learning for Coders"
#: Connections held open at once: with two workers, each likely takes some of them.
CONNECTIONS = 8
#: A bound on anything the server should do at once, so that a hang fails instead.
PATIENCE = 30.0


def workers_of(pid: int) -> list[int]:
    """The processes the server forked."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in children.read_text().split()]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child not yet reaped by the test's own process is a zombie: ended all the same.
    stat = Path(f"/proc/{pid}/stat")
    return stat.is_file() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


def gone(pids: list[int]) -> bool:
    """Whether every one of these processes ends within PATIENCE."""
    deadline = time.monotonic() + PATIENCE
    while any(alive(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@contextlib.contextmanager
def server(
    cli: Cli, workers: int, *options: str, init: bool = True, own_group: bool = False
) -> Iterator[tuple[subprocess.Popen[str], int]]:
    """`diymasters serve --workers N` on a free port: the process, once serving, and its port.

    `options` go before `serve`; `init` first puts the template curriculum in the store;
    `own_group` starts it in a process group of its own, as a shell starts a command.
    """
    if init:
        assert cli("init").returncode == 0
    store = ["--db", f"sqlite:///{cli.db}", *options]
    command = [sys.executable, "-m", "diymasters", *store, "serve"]
    with subprocess.Popen(
        [*command, "--port", "0", "--workers", str(workers)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "HOME": str(cli.home), "NO_COLOR": "1"},
        process_group=0 if own_group else None,
    ) as process:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("diymasters is serving http://127.0.0.1:")
        try:
            yield process, int(line.split()[3].rstrip("/").rsplit(":", 1)[1])
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                process.communicate(timeout=PATIENCE)


def get(connection: http.client.HTTPConnection, path: str) -> str:
    connection.request("GET", path)
    answer = connection.getresponse()
    body = answer.read().decode()
    assert answer.status == 200, body
    return body


def status_shown(connection: http.client.HTTPConnection) -> str:
    """The course's status, as the page's JSON twin shows it."""
    dots = json.loads(get(connection, "/venn.json"))["resources"]
    return str(next(dot["status"] for dot in dots if dot["title"] == COURSE))


def post(connection: http.client.HTTPConnection, page: str, action: str, **fields: str) -> None:
    """Post a form drawn on `page` (its token, and its version if it has one), as a browser."""
    drawn = get(connection, page)
    for name in ("csrf", "version"):
        found = re.search(rf'name="{name}" value="([^"]+)"', drawn)
        if found is not None:
            fields.setdefault(name, found.group(1))
    connection.request(
        "POST",
        action,
        body=urllib.parse.urlencode(fields),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    answer = connection.getresponse()
    answer.read()
    assert answer.status == 303


def mark_done(connection: http.client.HTTPConnection) -> None:
    """Mark the course done through its page's form, as a browser would."""
    dots = json.loads(get(connection, "/venn.json"))["resources"]
    rid = next(dot["id"] for dot in dots if dot["title"] == COURSE)
    post(connection, f"/resources/{rid}", f"/resources/{rid}/status", status="done")


def connections_to(port: int) -> list[http.client.HTTPConnection]:
    """Keep-alive connections, each accepted by whichever worker takes it."""
    return [
        http.client.HTTPConnection("127.0.0.1", port, timeout=PATIENCE) for _ in range(CONNECTIONS)
    ]


def curriculum_shown(connection: http.client.HTTPConnection) -> str:
    return str(json.loads(get(connection, "/overview.json"))["curriculum"])


def test_each_worker_sees_a_change_made_through_another(cli: Cli) -> None:
    with server(cli, workers=2) as (process, port):
        assert len(workers_of(process.pid)) == 2
        connections = connections_to(port)
        # Every connection is accepted, by whichever worker, and its page kept there.
        assert {status_shown(c) for c in connections} == {"todo"}
        mark_done(connections[0])
        assert {status_shown(c) for c in connections} == {"done"}
        for connection in connections:
            connection.close()


def test_each_worker_sees_a_change_from_the_command_line(cli: Cli) -> None:
    with server(cli, workers=2) as (_process, port):
        connections = connections_to(port)
        assert {status_shown(c) for c in connections} == {"todo"}
        assert cli("done", COURSE).returncode == 0
        assert {status_shown(c) for c in connections} == {"done"}
        for connection in connections:
            connection.close()


def test_the_switcher_in_one_worker_moves_every_worker_off_a_named_curriculum(cli: Cli) -> None:
    assert cli("init").returncode == 0
    readme = cli.db.parent / "README.md"
    readme.write_text("# Reading list\n\n## Maths\n\n- [ ] Algebra\n", encoding="utf-8")
    assert cli("import", str(readme)).returncode == 0
    pinned = ("--curriculum", "ML Engineer masters")
    with server(cli, 2, *pinned, init=False) as (_process, port):
        connections = connections_to(port)
        assert {curriculum_shown(c) for c in connections} == {"ML Engineer masters"}
        post(connections[0], "/", "/use", curriculum="Reading list", back="/")
        assert {curriculum_shown(c) for c in connections} == {"Reading list"}
        for connection in connections:
            connection.close()


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_one_signal_stops_every_worker(cli: Cli, stop: signal.Signals, workers: int) -> None:
    with server(cli, workers) as (process, _port):
        forked = workers_of(process.pid)
        assert len(forked) == (workers if workers > 1 else 0)
        process.send_signal(stop)
        out, err = process.communicate(timeout=PATIENCE)
    assert gone(forked)
    assert err == ""
    if stop == signal.SIGINT:  # Ctrl-C: the server's normal end
        assert process.returncode == 0
        assert out.strip() == "Stopped."
    else:  # asked to terminate, it ends as a single process does: by the signal
        assert process.returncode == -signal.SIGTERM


@pytest.mark.parametrize("attempt", range(4))
def test_ctrl_c_at_a_terminal_stops_every_worker(cli: Cli, attempt: int) -> None:
    """A terminal's Ctrl-C reaches the workers too: one that stops first is no failure."""
    with server(cli, 2, own_group=True) as (process, _port):
        forked = workers_of(process.pid)
        os.killpg(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=PATIENCE)
    assert gone(forked)
    assert (process.returncode, out.strip(), err) == (0, "Stopped.", ""), attempt


def test_workers_of_a_server_killed_outright_stop_by_themselves(cli: Cli) -> None:
    with server(cli, workers=2) as (process, _port):
        workers = workers_of(process.pid)
        process.kill()
        process.wait(timeout=PATIENCE)
        assert gone(workers)


def test_a_worker_that_dies_stops_the_server_with_one_line(cli: Cli) -> None:
    with server(cli, workers=2) as (process, _port):
        workers = workers_of(process.pid)
        os.kill(workers[0], signal.SIGKILL)
        _, err = process.communicate(timeout=PATIENCE)
    assert gone(workers)
    assert process.returncode != 0
    assert (
        err == f"Error: a server worker ended on signal {signal.SIGKILL}; the server has stopped\n"
    )
