"""The study timer: sessions started, stopped, dropped, left running by a crash, and refused.

Time is set through the stored start (a session "started 90 minutes ago"), never by sleeping.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa

from diymasters.masters import Masters
from diymasters.model import InvalidValueError
from diymasters.store import Store, StudyEndedError, StudyUnderWayError
from diymasters.store.tables import study_session_table
from diymasters.study import (
    LONGEST_SESSION,
    NoStudySessionError,
    SessionTooLongError,
    StudyUnderWay,
    session_entries,
)
from tests.conftest import TOKEN, data, unmeasured

if TYPE_CHECKING:
    from pathlib import Path

    from starlette.testclient import TestClient

    from tests.conftest import Cli

PCA = "Principal Component Analysis"
#: How a session left under way is mentioned after another command.
NOTICE = f"Note: a study session of '{PCA}' in 'ML Engineer masters' is under way since "


#: The moment the facade's clock reads in these tests: no in-process result depends on when
#: they run.
NOW = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def masters(store: Store) -> Masters:
    """The template in an in-memory store, on a clock stopped at `NOW`."""
    loaded = Masters(store, today=NOW.date, now=lambda: NOW)
    loaded.init()
    return loaded


def started_ago(store: Store, minutes: float) -> None:
    """Move the stored start of the session under way to some minutes before `NOW`."""
    start = NOW - dt.timedelta(minutes=minutes)
    with store.engine.begin() as connection:
        connection.execute(
            sa.update(study_session_table).values(started=start.replace(tzinfo=None))
        )


def file_started_ago(db: Path, minutes: float) -> None:
    """The same, in a store file another process uses, in milliseconds as SQLite writes them."""
    start = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes)
    with sqlite3.connect(db) as connection:
        connection.execute(
            "UPDATE study_session SET started = ?", (f"{start:%Y-%m-%d %H:%M:%S.%f}"[:-3],)
        )


def hours_on(masters: Masters, title: str) -> float:
    hours = data(masters.show(title))["hours_logged"]
    assert isinstance(hours, int | float)
    return hours


# --- The rules ----------------------------------------------------------------------------


def session_from(started: dt.datetime, minutes: int) -> StudyUnderWay:
    return StudyUnderWay(1, 1, PCA, "c", started.astimezone(dt.UTC), minutes, loggable=True)


def test_a_session_across_midnight_logs_each_day_its_own_minutes() -> None:
    started = dt.datetime(2026, 3, 1, 23, 30).astimezone()
    ended = dt.datetime(2026, 3, 2, 0, 45).astimezone()
    entries = session_entries(session_from(started, 75), ended)
    assert [(e.on, e.hours) for e in entries] == [
        (dt.date(2026, 3, 1), 0.5),
        (dt.date(2026, 3, 2), 0.75),
    ]
    assert {e.note for e in entries} == {"study timer"}


def test_hours_given_for_a_session_go_on_the_day_it_started() -> None:
    started = dt.datetime(2026, 3, 1, 20, 0).astimezone()
    too_long = StudyUnderWay(1, 1, PCA, "c", started.astimezone(dt.UTC), 14 * 60, loggable=False)
    with pytest.raises(SessionTooLongError, match=r"has run 14 h since 2026-03-01 20:00"):
        session_entries(too_long, started + dt.timedelta(hours=14))
    (entry,) = session_entries(too_long, started + dt.timedelta(hours=14), hours=2.0)
    assert (entry.on, entry.hours) == (dt.date(2026, 3, 1), 2.0)


# --- The facade ---------------------------------------------------------------------------


def test_a_session_is_stored_before_it_runs_and_logs_its_time_when_stopped(
    masters: Masters, store: Store
) -> None:
    started = masters.study_start("Principal")
    assert data(masters.study_status())["session"]["resource"] == PCA
    assert started.loggable
    started_ago(store, 90)
    assert data(masters.study_status())["session"]["minutes"] == 90

    stopped = data(masters.study_stop())
    assert sum(part["hours"] for part in stopped["logged"]) == 1.5
    assert stopped["resource"]["status"] == "in_progress"
    assert hours_on(masters, "Principal") == 1.5
    assert masters.study_status().session is None


def test_one_session_runs_at_a_time(masters: Masters) -> None:
    masters.study_start("Principal")
    with pytest.raises(StudyUnderWayError, match=f"a study session of '{PCA}' is already under"):
        masters.study_start("Real Python")
    assert data(masters.study_status())["session"]["resource"] == PCA


def test_a_session_too_long_to_be_timed_waits_for_the_hours(masters: Masters, store: Store) -> None:
    masters.study_start("Principal")
    started_ago(store, LONGEST_SESSION.total_seconds() / 60 + 30)
    assert not data(masters.study_status())["session"]["loggable"]
    with pytest.raises(SessionTooLongError, match="nothing was logged"):
        masters.study_stop()
    assert hours_on(masters, "Principal") == 0
    assert masters.study_status().session is not None

    masters.study_stop(hours=2)
    assert hours_on(masters, "Principal") == 2


def test_a_session_no_day_can_hold_is_refused_and_kept(masters: Masters, store: Store) -> None:
    today = NOW.date()
    for day in (today, today - dt.timedelta(days=1)):
        masters.log("Real Python", 24, day)
    masters.study_start("Principal")
    started_ago(store, 10)
    with pytest.raises(InvalidValueError, match="at most 24 h can be logged on one day"):
        masters.study_stop()
    assert hours_on(masters, "Principal") == 0
    assert masters.study_status().session is not None


def test_discard_drops_a_session_without_logging(masters: Masters, store: Store) -> None:
    masters.study_start("Principal")
    started_ago(store, 45)
    assert data(masters.study_discard())["session"]["minutes"] == 45
    assert masters.study_status().session is None
    assert hours_on(masters, "Principal") == 0
    with pytest.raises(NoStudySessionError):
        masters.study_discard()


def test_a_session_under_a_minute_logs_nothing(masters: Masters) -> None:
    masters.study_start("Principal")
    stopped = data(masters.study_stop())
    assert stopped["logged"] == []
    assert stopped["unlogged"] == "it lasted under a minute"
    assert hours_on(masters, "Principal") == 0


def test_stopping_a_session_that_already_ended_logs_nothing_twice(
    masters: Masters, store: Store
) -> None:
    first = masters.study_start("Principal")
    started_ago(store, 30)
    masters.study_stop(key=first.key)
    second = masters.study_start("Real Python")
    assert second.id != first.id  # an ended session's id is never given again
    started_ago(store, 30)
    with pytest.raises(StudyEndedError):
        masters.study_stop(key=first.key)
    assert hours_on(masters, "Principal") == 0.5
    assert hours_on(masters, "Real Python") == 0


def test_the_store_ends_only_the_session_started_then(masters: Masters, store: Store) -> None:
    first = masters.study_start("Principal")
    masters.study_discard()
    second = masters.study_start("Principal")
    assert second.resource_id == first.resource_id
    assert second.id != first.id
    with pytest.raises(StudyEndedError):
        store.end_study(first.id, first.started)
    store.end_study(second.id, second.started)
    assert masters.study_status().session is None


def test_removing_the_resource_ends_its_session(masters: Masters) -> None:
    masters.study_start("Principal")
    masters.remove("Principal")
    assert masters.study_status().session is None


# --- The command line ---------------------------------------------------------------------


def test_study_stop_logs_a_detached_session(cli: Cli) -> None:
    cli("init")
    started = cli("study", "Principal", "--detach")
    assert started.returncode == 0
    assert f"Studying '{PCA}' since" in started.stdout
    file_started_ago(cli.db, 90)

    status = json.loads(cli("study", "status", "--json").stdout)
    assert (status["session"]["resource"], status["session"]["minutes"]) == (PCA, 90)
    stopped = cli("study", "stop")
    assert stopped.returncode == 0
    assert stopped.stdout.startswith(
        f"Curriculum: ML Engineer masters\nLogged 1 h 30 min on '{PCA}' ("
    )
    entries = json.loads(cli("entries", "--json").stdout)
    # One entry, or one a day when the 90 minutes crossed the learner's midnight.
    assert len(entries) in (1, 2)
    assert sum(entry["hours"] for entry in entries) == pytest.approx(1.5)
    assert {entry["note"] for entry in entries} == {"study timer"}
    assert cli("study", "status").stdout == "No study session is under way.\n"


def test_study_discard_logs_nothing(cli: Cli) -> None:
    cli("init")
    cli("study", "start", "Principal", "--detach")
    file_started_ago(cli.db, 20)
    dropped = cli("study", "discard")
    assert dropped.returncode == 0
    assert dropped.stdout == f"Dropped the session of '{PCA}' (20 min); nothing was logged.\n"
    assert json.loads(cli("entries", "--json").stdout) == []


def test_a_second_study_is_refused_naming_the_running_one(cli: Cli) -> None:
    cli("init")
    cli("study", "Principal", "--detach")
    refused = cli("study", "Real Python")
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr == (
        f"Error: a study session of '{PCA}' is already under way; one runs at a time; "
        "`diymasters study stop` logs it, `diymasters study discard` drops it\n"
    )


def test_limits_are_refused_in_one_line_and_nothing_is_lost(cli: Cli) -> None:
    cli("init")
    assert cli("study", "stop").stderr == (
        "Error: no study session is under way; start one with `diymasters study RESOURCE`\n"
    )
    cli("study", "Principal", "--detach")
    file_started_ago(cli.db, 13 * 60)
    refused = cli("study", "stop")
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1
    assert "has run 13 h since" in refused.stderr
    assert refused.stderr.endswith(
        "nothing was logged; give the hours you studied with `diymasters study stop --hours H`"
        ", or drop it with `diymasters study discard`\n"
    )
    assert cli("study", "stop", "--hours", "1e9").returncode == 2
    assert cli("study", "stop", "--hours", "1h45").returncode == 0
    (entry,) = json.loads(cli("entries", "--json").stdout)
    assert entry["hours"] == 1.75


def test_status_and_log_offer_a_session_left_under_way(cli: Cli) -> None:
    cli("init")
    cli("study", "Principal", "--detach")
    file_started_ago(cli.db, 75)
    for args in (("status", "--json"), ("log", "Real Python", "1")):
        done = cli(*args)
        assert done.returncode == 0
        assert done.stderr.startswith(NOTICE)
        assert done.stderr.endswith(
            "(1 h 15 min): `diymasters study stop` logs it, `diymasters study discard` drops it.\n"
        )
    json.loads(cli("status", "--json").stdout)  # the notice leaves the JSON whole


def study_process(cli: Cli, *args: str) -> subprocess.Popen[str]:
    """`diymasters study ...` in a real process, once its session is stored."""
    process = subprocess.Popen(
        [sys.executable, "-m", "diymasters", "--db", f"sqlite:///{cli.db}", "study", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=unmeasured(cli.environment()),
    )
    deadline = time.monotonic() + 30
    while json.loads(cli("study", "status", "--json").stdout)["session"] is None:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the session was never stored"
        time.sleep(0.1)
    return process


@pytest.fixture
def initialised(cli: Cli) -> Cli:
    assert cli("init").returncode == 0
    return cli


def test_ctrl_c_stops_the_timer_and_logs_the_session(initialised: Cli) -> None:
    cli = initialised
    process = study_process(cli, "Principal", "--json")
    file_started_ago(cli.db, 90)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert f"Studying '{PCA}' since" in err
    assert sum(part["hours"] for part in json.loads(out)["logged"]) == 1.5
    assert json.loads(cli("show", "Principal", "--json").stdout)["hours_logged"] == 1.5


def test_a_killed_timer_loses_nothing_and_is_offered_next_time(initialised: Cli) -> None:
    cli = initialised
    process = study_process(cli, "Principal")
    process.kill()
    process.communicate(timeout=30)
    file_started_ago(cli.db, 40)
    offered = cli("status")
    assert NOTICE in offered.stderr
    assert cli("study", "Principal").returncode == 1
    assert f"\nLogged 40 min on '{PCA}'" in cli("study", "stop").stdout


def test_a_timer_stopped_from_another_terminal_ends_quietly(initialised: Cli) -> None:
    cli = initialised
    process = study_process(cli, "Principal")
    file_started_ago(cli.db, 30)
    assert f"\nLogged 30 min on '{PCA}'" in cli("study", "stop").stdout
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "The session was ended from elsewhere; nothing more to log." in err
    assert out == ""
    assert json.loads(cli("show", "Principal", "--json").stdout)["hours_logged"] == 0.5


def test_the_timer_in_this_process_ends_when_the_session_is_stopped_elsewhere(
    initialised: Cli,
) -> None:
    cli = initialised

    def stop_once_stored() -> None:
        store = Store.open(f"sqlite:///{cli.db}")
        try:
            other = Masters(store)
            deadline = time.monotonic() + 30
            while other.study_status().session is None and time.monotonic() < deadline:
                time.sleep(0.05)
            file_started_ago(cli.db, 10)
            other.study_stop()
        finally:
            store.close()

    elsewhere = threading.Thread(target=stop_once_stored)
    elsewhere.start()
    timed = cli("study", "Principal", "--json")
    elsewhere.join()
    assert timed.returncode == 0
    assert timed.stdout == ""
    assert timed.stderr.endswith("The session was ended from elsewhere; nothing more to log.\n")
    logged = json.loads(cli("show", "Principal", "--json").stdout)["hours_logged"]
    assert logged == pytest.approx(10 / 60, abs=1e-6)  # the report rounds to six places


# --- The web ------------------------------------------------------------------------------


def start_form(client: TestClient, rid: int) -> str:
    page = client.get(f"/resources/{rid}").text
    start = page[page.index(f'action="/resources/{rid}/study/start"') :]
    return start[start.index('name="version" value="') + 22 :].split('"')[0]


def test_the_web_starts_and_stops_a_session(
    client: TestClient, masters: Masters, store: Store
) -> None:
    rid = data(masters.show("Principal"))["id"]
    started = client.post(
        f"/resources/{rid}/study/start", data={"csrf": TOKEN, "version": start_form(client, rid)}
    )
    assert started.status_code == 303
    started_ago(store, 90)  # the clock is stopped at `NOW`: 90 minutes, whenever this runs
    for path in ("/", "/venn", "/curriculum", "/plan"):
        page = client.get(path).text
        assert f"Studying <strong>{PCA}</strong>" in page
        assert '<span class="study-elapsed">1 h 30 min</span>' in page
    twin = client.get("/overview.json").json()["study"]
    assert (twin["resource_id"], twin["minutes"]) == (rid, 90)

    stopped = client.post("/study/stop", data={"csrf": TOKEN, "session": f"{twin['id']}-{rid}"})
    assert stopped.status_code == 303
    assert stopped.headers["location"] == f"/resources/{rid}?saved=studied"
    assert hours_on(masters, "Principal") == 1.5
    assert "study" not in client.get("/overview.json").json()
    assert "Studying" not in client.get("/").text


def test_the_web_refuses_stale_forged_and_second_sessions(
    client: TestClient, masters: Masters
) -> None:
    rid = data(masters.show("Principal"))["id"]
    version = start_form(client, rid)
    forged = client.post(f"/resources/{rid}/study/start", data={"version": version})
    assert forged.status_code == 403
    session = masters.study_start("Real Python")
    second = client.post(f"/resources/{rid}/study/start", data={"csrf": TOKEN, "version": version})
    assert second.status_code == 409
    assert "a study session of &#39;Real Python&#39; is already under way" in second.text
    assert "Studying <strong>Real Python</strong>" in second.text  # its Stop button at hand
    masters.study_discard()
    stale = client.post("/study/stop", data={"csrf": TOKEN, "session": session.key})
    assert stale.status_code == 409
    assert "that study session has already ended" in stale.text


def test_the_web_asks_the_hours_of_a_session_too_long_to_time(
    client: TestClient, masters: Masters, store: Store
) -> None:
    session = masters.study_start("Principal")
    started_ago(store, 14 * 60)
    banner = client.get("/").text
    assert "Too long to be timed" in banner
    assert 'name="hours" required' in banner
    fields = {"csrf": TOKEN, "session": session.key}
    assert client.post("/study/stop", data=fields).status_code == 400
    assert client.post("/study/stop", data={**fields, "hours": "2h"}).status_code == 303
    assert hours_on(masters, "Principal") == 2
    discard = client.post("/study/discard", data={"csrf": TOKEN, "session": session.key})
    assert discard.status_code == 409
