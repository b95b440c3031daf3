"""The plan's calendar: an event per item per study day, with its hours, and UIDs that stay put."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

import icalendar
import pytest

from diymasters import plan
from diymasters.hours import HoursBasis
from tests.conftest import WIDTHS, shoot
from tests.test_plan import MONDAY, report_of

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from tests.conftest import Cli

STAMP = dt.datetime(2027, 1, 1, 9, 30, tzinfo=dt.UTC)
HOURS = re.compile(r"^Study: (?P<title>.+) \((?P<hours>[\d.]+) h\)$")


def events(data: bytes) -> list[icalendar.cal.Component]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def uids(path: Path) -> set[str]:
    return {str(event["uid"]) for event in events(path.read_bytes())}


def ok(cli: Cli, *args: str) -> str:
    result = cli(*args)
    assert result.returncode == 0, result.stderr
    return str(result.stdout)


def test_each_event_names_the_basis_of_its_hours() -> None:
    calendar = plan.StudyCalendar.weekly(8)
    tasks = [
        plan.Task("stated", "Stated", None, 2.0, hours_basis=HoursBasis.STATED, cost=0.0),
        plan.Task(
            "typical",
            "Typical",
            None,
            2.0,
            hours_basis=HoursBasis.TYPICAL,
            cost=0.0,
            hours_why="median of 2 stated courses, beginner",
        ),
    ]
    found = events(
        plan.plan_ics(report_of(plan.schedule(tasks, calendar, MONDAY), calendar), STAMP)
    )
    for event in found:
        named = "(typical: median of 2 stated courses, beginner)" in str(event["description"])
        assert named == str(event["summary"]).startswith("Study: Typical")
    assert len(found) == 5  # 8/7 h a day: 2 days for the first, 3 for the second


def test_the_same_plan_made_from_another_start_gives_the_same_uids(
    cli: Cli, tmp_path: Path
) -> None:
    ok(cli, "init")
    first, moved = tmp_path / "first.ics", tmp_path / "moved.ics"
    ok(cli, "plan", "--start", "2027-01-04", "--ics", str(first))
    ok(
        cli,
        "plan",
        "--start",
        "2027-02-17",
        "--break",
        "2027-03-01:2027-03-07",
        "--ics",
        str(moved),
    )
    assert uids(first) == uids(moved)
    assert len(uids(first)) == len(events(first.read_bytes())) > 1
    starts = {event.decoded("dtstart") for event in events(moved.read_bytes())}
    assert min(starts) == dt.date(2027, 2, 17)
    assert not starts & {dt.date(2027, 3, d) for d in range(1, 8)}


def test_progress_and_the_page_write_the_plan_as_plan_wrote_it(cli: Cli, tmp_path: Path) -> None:
    ok(cli, "init")
    planned, followed = tmp_path / "planned.ics", tmp_path / "followed.ics"
    ok(cli, "plan", "--start", "2027-01-04", "--ics", str(planned))
    ok(cli, "progress", "--ics", str(followed))
    assert followed.read_bytes() == planned.read_bytes()
    page = cli("serve", "--get", "/plan.ics")
    assert page.returncode == 0, page.stderr
    # The fixture reads output as text, with universal newlines.
    assert page.stdout.encode() == planned.read_bytes().replace(b"\r\n", b"\n")


def test_a_plan_made_later_is_a_later_revision_of_the_same_events() -> None:
    calendar = plan.StudyCalendar.weekly(8)
    tasks = [plan.Task("t", "T", None, 3.0, hours_basis=HoursBasis.STATED, cost=0.0)]
    report = report_of(plan.schedule(tasks, calendar, MONDAY), calendar)

    def revisions(stamp: dt.datetime) -> dict[str, int]:
        found = events(plan.plan_ics(report, stamp))
        return {str(event["uid"]): int(event.decoded("sequence")) for event in found}

    first, later = revisions(STAMP), revisions(STAMP + dt.timedelta(minutes=1))
    assert first.keys() == later.keys()
    assert all(later[uid] > first[uid] for uid in first)


def test_plans_under_other_names_do_not_overwrite_each_other(cli: Cli, tmp_path: Path) -> None:
    ok(cli, "init")
    mine, other = tmp_path / "mine.ics", tmp_path / "other.ics"
    ok(cli, "plan", "--start", "2027-01-04", "--ics", str(mine))
    ok(cli, "plan", "--start", "2027-01-04", "--name", "slower", "--ics", str(other))
    assert uids(mine).isdisjoint(uids(other))


def test_each_day_carries_the_hours_the_schedule_gave_it(cli: Cli, tmp_path: Path) -> None:
    ok(cli, "init")
    path = tmp_path / "plan.ics"
    args = ("--start", "2027-01-04", "--hours", "mon=1,wed=1.5,sat=4", "--ics", str(path))
    report = json.loads(ok(cli, "plan", *args, "--json"))
    found = events(path.read_bytes())
    assert report["ics"]["events"] == len(found)
    by_item: dict[str, list[float]] = defaultdict(list)
    by_day: dict[dt.date, float] = defaultdict(float)
    for event in found:
        summary = HOURS.match(str(event["summary"]))
        assert summary is not None, event["summary"]
        by_item[summary["title"]].append(float(summary["hours"]))
        by_day[event.decoded("dtstart")] += float(summary["hours"])
    weekday_hours = {0: 1.0, 2: 1.5, 5: 4.0}
    assert all(hours <= weekday_hours[day.weekday()] + 0.01 for day, hours in by_day.items())
    assert {4.0, 1.5, 1.0} <= {h for hours in by_item.values() for h in hours}
    for item in report["items"]:
        days = by_item[item["title"]]
        assert sum(days) == pytest.approx(item["hours"], abs=0.005 * len(days) + 0.01)
    basis = {i["title"]: i["hours_basis"] for i in report["items"]}
    assert set(basis.values()) - {"stated"}
    for event in found:
        title = str(event["summary"]).removeprefix("Study: ").rpartition(" (")[0]
        assert f" h ({basis[title]}" in str(event["description"])


@pytest.mark.parametrize(
    "laid",
    [
        # Laid with 1.1375 h, saved as 1.14 h: laying the saved hours again leaves the second
        # item 0.003 h on the first day, too little to be a session.
        (1.1375, 1.0, 10 / 3),
        # Each laid with 1.1449 h (seconds spill onto the next day) and saved as 1.14 h: laying
        # the saved hours again starts the fifth 0.01 h before the day it started on.
        (*[1.1449] * 4, 1.0, 22 / 7),
    ],
)
def test_days_laid_again_from_a_saved_report_agree_with_its_dates(
    laid: tuple[float, ...],
) -> None:
    """Hours kept to the hundredth must not move a share of an item outside its dates."""
    calendar = plan.StudyCalendar.weekly(8)  # 8/7 h a day
    tasks = [
        plan.Task(f"t{n}", f"T{n}", None, hours, hours_basis=HoursBasis.STATED, cost=0.0)
        for n, hours in enumerate(laid)
    ]
    scheduled = plan.schedule(tasks, calendar, MONDAY)
    report = report_of(scheduled, calendar)
    sessions = plan.study_sessions(report)
    for item, saved in zip(scheduled, report.items, strict=True):
        mine = [s for s in sessions if s.item.id == item.task.key]
        days = [s.day for s in mine]
        assert all(saved.start <= day <= saved.finish for day in days)
        assert {day for day, hours in item.days if hours > 0.05} <= set(days)
        assert all(s.hours >= 0.005 for s in mine)
        assert sum(s.hours for s in mine) == pytest.approx(saved.hours)
        assert [(s.number, s.of) for s in mine] == [(n, len(mine)) for n in range(1, len(mine) + 1)]


def test_the_file_keeps_the_shape_calendar_apps_read(cli: Cli, tmp_path: Path) -> None:
    """RFC 5545: CRLF lines of at most 75 octets, each event with a UID and a DTSTAMP."""
    ok(cli, "init")
    path = tmp_path / "plan.ics"
    ok(cli, "plan", "--start", "2027-01-04", "--ics", str(path))
    data = path.read_bytes()
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines)
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # long descriptions are folded
    found = events(data)
    assert all("uid" in event and "dtstamp" in event for event in found)
    assert len({str(event["uid"]) for event in found}) == len(found)
    assert all(
        event.decoded("dtend") - event.decoded("dtstart") == dt.timedelta(days=1) for event in found
    )


def plan_at(page: Page, hours_per_week: str) -> None:
    page.locator('input[name="hours_per_week"]').fill(hours_per_week)
    page.get_by_role("button", name="Plan", exact=True).click()
    page.wait_for_url("**/plan?saved=*")


def download_calendar(page: Page, at: str = "") -> list[icalendar.cal.Component]:
    page.locator('#calendar-form input[name="at"]').fill(at)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the calendar (ICS)").click()
    found = events(Path(download.value.path()).read_bytes())
    return [event for event in found if str(event.get("status", "")) != "CANCELLED"]


@pytest.mark.browser
def test_a_learner_puts_the_plan_in_a_calendar_and_slows_down(
    browser: Browser, server: str
) -> None:
    """The calendar shows each item on the days the page shows, and a slower plan replaces it."""
    for width, viewport in WIDTHS.items():
        page = browser.new_page(viewport=viewport, accept_downloads=True)
        page.goto(f"{server}plan")
        plan_at(page, "7")
        assert "the calendar updates the events" in page.locator("#calendar-note").inner_text()
        shoot(page, f"ics-plan-{width}")
        found = download_calendar(page)
        days: dict[str, list[dt.date]] = defaultdict(list)
        for event in found:
            summary = HOURS.match(str(event["summary"]))
            assert summary is not None, event["summary"]
            assert float(summary["hours"]) <= 1  # 7 h a week: an hour a day at most
            days[summary["title"]].append(event.decoded("dtstart"))
        rows = page.locator(".gantt-label")
        assert rows.count() == len(days)
        for row in rows.all():
            title = row.locator("a, span:not(.small)").first.inner_text()
            first, _, rest = row.locator(".small").inner_text().partition(" → ")
            shown = (dt.date.fromisoformat(first), dt.date.fromisoformat(rest.partition(",")[0]))
            assert (min(days[title]), max(days[title])) == shown

        plan_at(page, "3.5")
        slower = download_calendar(page)
        assert len(slower) > len(found)
        assert {str(e["uid"]) for e in found} <= {str(e["uid"]) for e in slower}
        timed = download_calendar(page, "07:30")
        assert {str(e["uid"]) for e in timed} == {str(e["uid"]) for e in slower}
        assert all(e.decoded("dtstart").time() >= dt.time(7, 30) for e in timed)
        page.close()


def test_other_calendar_libraries_read_the_same_events(cli: Cli, tmp_path: Path) -> None:
    """What icalendar reads, the ics and vobject parsers read too: apps differ in what they use."""
    import ics  # noqa: PLC0415 (test-only parsers)
    import vobject  # noqa: PLC0415

    ok(cli, "init")
    path = tmp_path / "plan.ics"
    ok(cli, "plan", "--start", "2027-01-04", "--ics", str(path))
    text = path.read_text(encoding="utf-8")
    expected = {str(event["uid"]) for event in events(path.read_bytes())}
    assert {event.uid for event in ics.Calendar(text).events} == expected
    parsed = vobject.readOne(text)
    assert {event.uid.value for event in parsed.vevent_list} == expected


def test_timed_events_last_each_days_hours_from_the_chosen_time(cli: Cli, tmp_path: Path) -> None:
    """With --ics-at, a day's items follow one another from that time, each as long as its hours."""
    ok(cli, "init")
    path = tmp_path / "plan.ics"
    args = ("--start", "2027-01-04", "--hours-per-week", "10.5", "--ics", str(path))
    ok(cli, "plan", *args, "--ics-at", "19:00")
    found = events(path.read_bytes())
    by_day: dict[dt.date, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for event in found:
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert isinstance(start, dt.datetime)
        assert start.tzinfo is None  # floating: the learner's own local time
        summary = HOURS.match(str(event["summary"]))
        assert summary is not None
        minutes = (end - start).total_seconds() / 60
        assert minutes == pytest.approx(float(summary["hours"]) * 60, abs=0.6)
        by_day[start.date()].append((start, end))
    shared = [spans for spans in by_day.values() if len(spans) > 1]
    assert shared  # an item that ends mid-day is followed by the next the same day
    for spans in by_day.values():
        ordered = sorted(spans)
        assert ordered[0][0].time() == dt.time(19, 0)
        assert all(before[1] == after[0] for before, after in itertools.pairwise(ordered))
    all_day = tmp_path / "all-day.ics"
    ok(cli, "plan", *args[:-1], str(all_day))
    assert {str(e["uid"]) for e in events(all_day.read_bytes())} == {str(e["uid"]) for e in found}


def test_a_time_of_day_that_is_not_one_is_refused(cli: Cli, tmp_path: Path) -> None:
    ok(cli, "init")
    path = tmp_path / "plan.ics"
    result = cli("plan", "--ics", str(path), "--ics-at", "7pm")
    assert result.returncode == 2
    assert "'7pm' is not a time of day (use HH:MM)" in result.stderr
    assert not path.exists()


def test_days_a_re_made_plan_drops_are_cancelled_under_their_old_uids(
    cli: Cli, tmp_path: Path
) -> None:
    """Fewer, longer study days: the days the new plan no longer has come back cancelled."""
    ok(cli, "init")
    slow, fast, again = (tmp_path / name for name in ("slow.ics", "fast.ics", "again.ics"))
    ok(cli, "plan", "--start", "2027-01-04", "--hours-per-week", "4", "--ics", str(slow))
    ok(cli, "plan", "--start", "2027-01-04", "--hours-per-week", "12", "--ics", str(fast))
    before, after = events(slow.read_bytes()), events(fast.read_bytes())
    live = {str(e["uid"]) for e in after if str(e.get("status", "")) != "CANCELLED"}
    cancelled = {str(e["uid"]) for e in after if str(e.get("status", "")) == "CANCELLED"}
    assert cancelled == {str(e["uid"]) for e in before} - live
    assert cancelled
    assert {e["sequence"] for e in after} == {after[0]["sequence"]}  # one revision for all
    gone = [e for e in after if str(e["uid"]) in cancelled]
    assert all(str(e["summary"]).startswith("Cancelled: Study: ") for e in gone)
    ok(cli, "plan", "--start", "2027-01-04", "--hours-per-week", "4", "--ics", str(again))
    restored = events(again.read_bytes())
    back = {str(e["uid"]) for e in restored if str(e.get("status", "")) != "CANCELLED"}
    assert back == {str(e["uid"]) for e in before}
    assert not back & {str(e["uid"]) for e in restored if str(e.get("status")) == "CANCELLED"}
    import ics  # noqa: PLC0415 (test-only parsers)
    import vobject  # noqa: PLC0415

    text = fast.read_text(encoding="utf-8")
    assert {event.uid for event in ics.Calendar(text).events} == live | cancelled
    assert len(vobject.readOne(text).vevent_list) == len(live | cancelled)
