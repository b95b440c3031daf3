"""The CLI and the web UI share one store: concurrent writers must all land.

On SQLite they take turns at the file's lock; on PostgreSQL, at the server's.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa

from diymasters.model import find_resource
from diymasters.store import Store, StudyUnderWayError
from diymasters.store.study import start_session
from diymasters.store.tables import study_session_table
from diymasters.template import load_template
from tests.conftest import serving

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.conftest import Cli

WRITERS = 6
#: Learners with the resource's page open in a browser, each logging time and adding a note.
WEB_WRITERS = 3
RESOURCE = "Real Python"


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


def start_cli(cli: Cli, url: str, *args: str) -> subprocess.Popen[str]:
    """Start `diymasters --db URL ARGS...` in a process of its own."""
    return subprocess.Popen(
        [sys.executable, "-m", "diymasters", "--db", url, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=cli.environment(),
    )


def failures(processes: list[subprocess.Popen[str]]) -> list[str]:
    """Wait for every process; the error output of those that failed."""
    outcomes = [(p.communicate(timeout=120)[1], p.returncode) for p in processes]
    return [stderr for stderr, code in outcomes if code != 0]


def shown(cli: Cli, url: str) -> dict[str, object]:
    """The resource as `show --json` prints it."""
    result = cli("--db", url, "show", RESOURCE, "--json", db=False)
    assert result.returncode == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def writes(n: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The CLI's `n`th time entry and note on the resource."""
    return ("log", RESOURCE, "1", "--note", f"cli {n}"), ("note", RESOURCE, f"cli note {n}")


def assert_landed(after: dict[str, object], cli_writers: int, web_writers: int = 0) -> None:
    """Every writer's hour and note is on the resource, once."""
    entries = after["time_entries"]
    assert isinstance(entries, list)
    assert sorted(e["note"] for e in entries) == sorted(
        [f"cli {n}" for n in range(cli_writers)] + [f"web {n}" for n in range(web_writers)]
    )
    assert after["hours_logged"] == cli_writers * 1 + web_writers * 0.5
    assert sorted(str(after["notes"]).split("\n\n")) == sorted(
        [f"cli note {n}" for n in range(cli_writers)]
        + [f"web note {n}" for n in range(web_writers)]
    )


def test_concurrent_processes_all_land_their_writes(cli: Cli, shared_url: str) -> None:
    """Notes too: each was appended to the notes as read, and two at once kept one (issue 20)."""
    assert cli("--db", shared_url, "init", db=False).returncode == 0
    processes = [
        start_cli(cli, shared_url, *command) for n in range(WRITERS // 2) for command in writes(n)
    ]
    assert failures(processes) == []
    assert_landed(shown(cli, shared_url), WRITERS // 2)


class ResourcePage:
    """A resource's page open in a learner's browser, whose forms the learner posts.

    A form drawn before another writer changed the resource is refused as stale (409) and
    saves nothing; the learner reloads and posts it again, as the page asks.
    """

    def __init__(self, base: str, resource_id: int) -> None:
        self.address = urllib.parse.urlsplit(base).netloc
        self.path = f"/resources/{resource_id}"
        #: The statuses of every answer to a form, refusals included.
        self.answers: list[int] = []

    def post(self, action: str, fields: dict[str, str]) -> None:
        """Post a form from a freshly drawn page until it is saved, at most a few dozen times."""
        for _ in range(50):
            status, body = self._request(
                "POST", f"{self.path}/{action}", self._form(action, fields)
            )
            self.answers.append(status)
            if status != http.client.CONFLICT:
                assert status == http.client.SEE_OTHER, body
                return
            assert "changed after this page was drawn" in body
        pytest.fail(f"the {action} form was refused as stale 50 times over")

    def _form(self, action: str, fields: dict[str, str]) -> str:
        """The form's hidden fields as the page draws them now, with what the learner typed."""
        status, page = self._request("GET", self.path)
        assert status == http.client.OK, page
        start = page.index(f'action="{self.path}/{action}"')
        drawn = page[start : page.index("</form>", start)]
        hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', drawn))
        return urllib.parse.urlencode({**hidden, **fields})

    def _request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection(self.address, timeout=120)
        headers = {"content-type": "application/x-www-form-urlencoded"} if body else {}
        try:
            connection.request(method, path, body, headers)
            answer = connection.getresponse()
            return answer.status, answer.read().decode()
        finally:
            connection.close()


def log_and_note(page: ResourcePage, n: int) -> None:
    page.post("log", {"hours": "0.5", "note": f"web {n}"})
    page.post("note", {"text": f"web note {n}"})


def test_the_web_ui_and_cli_processes_writing_at_once_lose_nothing(
    cli: Cli, shared_url: str
) -> None:
    """Both frontends log time and add notes to one resource at once: all of it lands, once."""
    assert cli("--db", shared_url, "init", db=False).returncode == 0
    resource_id = shown(cli, shared_url)["id"]
    assert isinstance(resource_id, int)
    with serving(cli, shared_url) as base:
        processes = [
            start_cli(cli, shared_url, *command)
            for n in range(WRITERS // 2)
            for command in writes(n)
        ]
        pages = [ResourcePage(base, resource_id) for _ in range(WEB_WRITERS)]
        with ThreadPoolExecutor(WEB_WRITERS) as pool:
            list(pool.map(log_and_note, pages, range(WEB_WRITERS)))
        assert failures(processes) == []
    answers = {status for page in pages for status in page.answers}
    assert answers <= {http.client.SEE_OTHER, http.client.CONFLICT}
    assert_landed(shown(cli, shared_url), WRITERS // 2, WEB_WRITERS)


def test_postgresql_writers_take_turns_so_a_check_holds_until_its_write(
    store_url_postgresql: str,
) -> None:
    """A second `study start` waits for the first to commit, then sees its session.

    At READ COMMITTED both would find no session under way and store two; SQLite's writers
    take turns (`BEGIN IMMEDIATE`), and PostgreSQL's must too (issue 20).
    """
    first, second = Store.open(store_url_postgresql), Store.open(store_url_postgresql)
    try:
        resource_id = find_resource(first.create(load_template()), RESOURCE).id
        assert resource_id is not None
        now = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
        refused: list[StudyUnderWayError] = []

        def start_second() -> None:
            try:
                second.start_study(resource_id, now)
            except StudyUnderWayError as error:
                refused.append(error)

        waiter = threading.Thread(target=start_second)
        with first.engine.execution_options(diymasters_write=True).begin() as connection:
            start_session(connection, resource_id, now)
            waiter.start()
            wait_until_waiting_or_done(first, waiter)
        waiter.join(timeout=60)
        assert len(refused) == 1
        with first.engine.connect() as connection:
            count = sa.select(sa.func.count()).select_from(study_session_table)
            assert connection.scalar(count) == 1
    finally:
        first.close()
        second.close()


def wait_until_waiting_or_done(store: Store, thread: threading.Thread) -> None:
    """Return once the thread waits for a lock on the server, or has finished without one."""
    waiting = sa.text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
    for _ in range(1200):
        if not thread.is_alive():
            return
        with store.engine.connect() as connection:
            if connection.scalar(waiting):
                return
        time.sleep(0.05)
    pytest.fail("the second writer neither waited for its turn nor finished within a minute")
