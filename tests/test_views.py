"""What the web UI draws: the overview, the Venn placement and highlighted postings."""

from __future__ import annotations

import datetime as dt

from diymasters.demand import highlighted
from diymasters.model import Curriculum, Domain, Resource, Status, TimeEntry
from diymasters.plan import PlanProgress
from diymasters.skills import FoundSkill
from diymasters.views import overview_report, venn_report
from tests.conftest import data

TODAY = dt.date(2026, 12, 3)  # a Thursday


def curriculum(*resources: Resource, sub: tuple[Domain, ...] = ()) -> Curriculum:
    return Curriculum(
        name="c",
        domains=(
            Domain("Mathematics", resources=resources, id=1),
            Domain("Software Engineering", domains=sub, id=2),
            Domain("Statistics", id=3),
        ),
    )


def logged(*days_and_hours: tuple[dt.date, float]) -> tuple[TimeEntry, ...]:
    return tuple(TimeEntry(on=day, hours=hours) for day, hours in days_and_hours)


def test_hours_this_week_count_from_monday() -> None:
    entries = logged(
        (dt.date(2026, 11, 29), 5.0),  # last Sunday
        (dt.date(2026, 11, 30), 1.5),  # Monday
        (TODAY, 2.0),
    )
    report = data(
        overview_report(
            curriculum(Resource("A", estimated_hours=40, time_entries=entries, id=1)), TODAY
        )
    )
    assert report["hours_this_week"] == 3.5
    assert report["hours_total"] == 8.5
    # Begun last Sunday: a week's pace, not the four weeks' mean of a quarter of it.
    assert report["pace_hours_per_week"] == 8.5
    assert (report["pace_weeks"], report["pace_since"]) == (1, "2026-11-29")


def test_the_pace_is_of_the_last_four_weeks_once_there_are_four() -> None:
    entries = logged((TODAY - dt.timedelta(days=60), 50.0), (TODAY - dt.timedelta(days=27), 6.0))
    report = data(
        overview_report(
            curriculum(Resource("A", estimated_hours=80, time_entries=entries, id=1)), TODAY
        )
    )
    assert (report["pace_hours_per_week"], report["pace_weeks"]) == (1.5, 4)
    assert report["pace_since"] == (TODAY - dt.timedelta(days=27)).isoformat()


def test_the_finish_follows_the_recent_pace() -> None:
    entries = logged((TODAY - dt.timedelta(days=3), 8.0))
    report = data(
        overview_report(
            curriculum(Resource("A", estimated_hours=40, time_entries=entries, id=1)), TODAY
        )
    )
    # Begun three days ago: 8 h in a week, so 32 hours left take 4 weeks.
    assert report["finish"]["date"] == (TODAY + dt.timedelta(days=28)).isoformat()
    assert "32 estimated hours left at 8.0 h a week" in report["finish"]["basis"]


def test_hours_beyond_one_estimate_do_not_shorten_what_is_left_of_another() -> None:
    recent = logged((TODAY - dt.timedelta(days=27), 16.0))  # four weeks: 4 h a week
    overspent = Resource(
        "A", status=Status.IN_PROGRESS, estimated_hours=10, time_entries=recent, id=1
    )
    finished = Resource("B", status=Status.DONE, estimated_hours=30, id=2)
    untouched = Resource("C", estimated_hours=20, id=3)
    report = data(overview_report(curriculum(overspent, finished, untouched), TODAY))
    # 20 h left (C's), not 60 - 16 = 44: A is over its estimate and B is done.
    assert "20 estimated hours left at 4.0 h a week" in report["finish"]["basis"]
    assert report["finish"]["date"] == (TODAY + dt.timedelta(days=35)).isoformat()


def test_no_recent_hours_means_no_finish_date() -> None:
    report = data(overview_report(curriculum(Resource("A", estimated_hours=40, id=1)), TODAY))
    assert report["finish"] == {"date": None, "basis": "no hours logged in the last 4 weeks"}


def test_a_saved_plan_sets_the_finish() -> None:
    progress = PlanProgress(
        name="plan",
        created=dt.datetime(2026, 11, 2, tzinfo=dt.UTC),
        start=dt.date(2026, 11, 2),
        today=TODAY,
        saved_finish=dt.date(2027, 4, 24),
        projected_finish=dt.date(2027, 5, 1),
        hours_planned=100.0,
        hours_due_by_today=30.0,
        hours_studied=25.0,
        hours_studied_before=0.0,
        pace_hours_per_week=5.0,
        weeks_ahead=-1.0,
        verdict="behind by 1.0 weeks",
        items=(),
    )
    report = data(overview_report(curriculum(Resource("A", id=1)), TODAY, progress))
    assert report["finish"] == {
        "date": "2027-05-01",
        "basis": "saved plan 'plan', behind by 1.0 weeks",
    }


def test_recent_activity_is_newest_first() -> None:
    resource = Resource(
        "A",
        status=Status.DONE,
        started=dt.date(2026, 11, 1),
        finished=dt.date(2026, 11, 20),
        time_entries=logged((dt.date(2026, 11, 10), 2.0)),
        id=1,
    )
    events = data(overview_report(curriculum(resource), TODAY))["recent"]
    assert [(e["date"], e["what"]) for e in events] == [
        ("2026-11-20", "finished"),
        ("2026-11-10", "logged"),
        ("2026-11-01", "started"),
    ]


def test_a_resource_sits_in_its_domain_and_where_its_skills_are() -> None:
    python = Domain("Python", resources=(Resource("NumPy book", id=2),), id=4)
    report = venn_report(
        curriculum(Resource("Linear algebra course", id=1), sub=(python,)),
        {
            # 4 of 5 skills in Statistics: it counts; one of 5 in Python: under a quarter.
            1: ["Statistics", "Statistics", "Statistics", "Statistics", "Python"],
            # Python is a sub-domain of Software Engineering: no extra region.
            2: ["Python", "Mathematics", "Computer Vision"],
        },
    )
    placed = {r.title: r.domains for r in report.resources}
    assert placed == {
        "Linear algebra course": ("Mathematics", "Statistics"),
        "NumPy book": ("Software Engineering", "Mathematics"),
    }
    assert [d.name for d in report.domains] == [
        "Mathematics",
        "Software Engineering",
        "Statistics",
    ]


def test_highlighting_keeps_every_character_and_skips_overlaps() -> None:
    text = "Python and machine learning"
    mentions = [found(0, 6), found(11, 27), found(19, 27)]
    segments = highlighted(text, mentions)
    assert "".join(s.text for s in segments) == text
    assert [s.text for s in segments if s.skill] == ["Python", "machine learning"]


def found(start: int, end: int) -> FoundSkill:
    return FoundSkill("x", "x", "Other", start, end, True, "x", "requirements", "tool", None, "")
