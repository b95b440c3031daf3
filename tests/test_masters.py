from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from diymasters.masters import (
    EmptyNoteError,
    Masters,
    PlaceNeededError,
    RemovalNeedsConfirmationError,
)
from diymasters.model import InvalidValueError, Kind, Resource, ResourceNotFoundError, Status
from diymasters.store import Store
from tests.conftest import data


def domain(report: dict[str, Any], name: str) -> dict[str, Any]:
    return next(d for d in report["domains"] if d["name"] == name)


def test_init_loads_the_seed_progress(masters: Masters) -> None:
    report = data(masters.status())
    maths = domain(report, "Mathematics")
    spec = maths["resources"][0]
    assert spec["status"] == "in_progress"  # Linear Algebra is done, the rest is not
    assert spec["progress"] == pytest.approx(22 / 62)
    python = domain(report, "Software Engineering")["domains"][0]
    assert python["resources"][0]["status"] == "done"


def test_init_if_empty_leaves_a_populated_store_alone(masters: Masters) -> None:
    assert masters.init(if_empty=True) is None
    assert masters.store.curriculum_names() == ["ML Engineer masters"]


def test_init_under_another_name_keeps_both_and_works_on_the_new_one(masters: Masters) -> None:
    masters.init(name="Second try")
    assert masters.store.curriculum_names() == ["ML Engineer masters", "Second try"]
    assert masters.curriculum().name == "Second try"
    assert Masters(masters.store, "ml engineer masters").curriculum().name == (
        "ML Engineer masters"
    )


def test_finishing_a_course_moves_its_domain_by_its_share_of_hours(masters: Masters) -> None:
    before = data(masters.status())
    masters.set_status("Multivariate Calculus", Status.DONE)
    after = data(masters.status())
    spec_before = domain(before, "Mathematics")["resources"][0]
    spec_after = domain(after, "Mathematics")["resources"][0]
    assert spec_after["status"] == "in_progress"
    assert spec_after["progress"] - spec_before["progress"] == pytest.approx(22 / 62)
    # Computational Linear Algebra has no stated hours: it weighs as much as the
    # specialisation (the mean of its known siblings), so the course moves Mathematics by
    # 22 / (62 + 62).
    moved = domain(after, "Mathematics")["progress"] - domain(before, "Mathematics")["progress"]
    assert moved == pytest.approx(22 / 124)


def test_finishing_the_last_course_finishes_the_specialisation(masters: Masters) -> None:
    masters.set_status("Multivariate Calculus", Status.DONE)
    masters.set_status("Principal Component Analysis", Status.DONE)
    spec = domain(data(masters.status()), "Mathematics")["resources"][0]
    assert spec["status"] == "done"
    assert spec["own_status"] == "todo"


def test_done_on_a_specialisation_finishes_its_courses(masters: Masters) -> None:
    masters.set_status("Mathematics for Machine Learning", Status.DONE, dt.date(2026, 5, 1))
    spec = data(masters.show("Mathematics for Machine Learning"))
    assert [c["status"] for c in spec["children"]] == ["done"] * 3
    # Linear Algebra was already done: it keeps the date it had (none in the template).
    assert [c["finished"] for c in spec["children"]] == [None, "2026-05-01", "2026-05-01"]


def test_logging_time_starts_a_resource_and_counts_towards_progress(masters: Masters) -> None:
    entry = data(masters.log("Principal Component Analysis", 9, note="week one"))
    assert entry["status"] == "in_progress"
    assert entry["progress"] == pytest.approx(0.5)
    assert entry["time_entries"][0]["note"] == "week one"
    assert data(masters.status())["overall"]["hours_logged"] == 9


def test_dates_in_the_future_are_refused() -> None:
    masters = Masters(Store.open("sqlite://"), today=lambda: dt.date(2026, 1, 1))
    masters.init()
    with pytest.raises(InvalidValueError, match="future"):
        masters.log("Real Python", 1, on=dt.date(2026, 1, 2))


def test_notes_append_and_replace(masters: Masters) -> None:
    masters.note("Real Python", "Great on packaging.")
    assert data(masters.note("Real Python", "And testing."))["notes"] == (
        "Great on packaging.\n\nAnd testing."
    )
    assert data(masters.note("Real Python", "Only this.", replace=True))["notes"] == "Only this."


def test_rename_keeps_everything_else(masters: Masters) -> None:
    masters.log("Real Python", 2)
    renamed = data(masters.rename("Real Python", "Real Python (membership)"))
    assert renamed["hours_logged"] == 2
    with pytest.raises(ResourceNotFoundError):
        masters.show("Real Python tutorials")


def test_removing_a_resource_with_children_needs_confirmation(masters: Masters) -> None:
    with pytest.raises(RemovalNeedsConfirmationError, match="3 resources under it"):
        masters.remove("Mathematics for Machine Learning")
    masters.remove("Mathematics for Machine Learning", confirmed=True)
    titles = [r.title for r in masters.curriculum().all_resources()]
    assert "Multivariate Calculus" not in titles


def test_removing_a_plain_resource_needs_no_confirmation(masters: Masters) -> None:
    masters.remove("Practical Deep Learning")
    assert domain(data(masters.status()), "Deep Learning")["resources"] == []


def test_add_to_a_domain_and_under_a_resource(masters: Masters) -> None:
    added = data(
        masters.add(
            Resource("Think Stats", kind=Kind.BOOK, estimated_hours=40), domain="statistics"
        )
    )
    assert added["title"] == "Think Stats"
    assert domain(data(masters.status()), "Statistics")["resources"][0]["title"] == "Think Stats"
    child = data(masters.add(Resource("Capstone"), under="Mathematics for Machine Learning"))
    spec = data(masters.show("Mathematics for Machine Learning"))
    assert spec["children"][-1]["id"] == child["id"]


def test_add_needs_exactly_one_place(masters: Masters) -> None:
    with pytest.raises(PlaceNeededError) as nowhere:
        masters.add(Resource("Nowhere"))
    assert str(nowhere.value) == (
        "'Nowhere' needs a place: give a domain or a resource to go under"
    )
    with pytest.raises(PlaceNeededError) as twice:
        masters.add(Resource("Twice"), domain="Statistics", under="Real Python")
    assert str(twice.value) == "'Twice' can go in a domain or under a resource, not both"


@pytest.mark.parametrize("url", ["javascript:alert(8)", "data:text/html,<b>8</b>"])
def test_add_refuses_a_link_no_page_may_follow(masters: Masters, url: str) -> None:
    before = data(masters.status())
    with pytest.raises(InvalidValueError, match="is not allowed: a link must be http"):
        masters.add(Resource("Evil", url=url), domain="Statistics")
    course = Resource("Part", url=url)
    with pytest.raises(InvalidValueError, match="is not allowed"):
        masters.add(Resource("Spec", url="https://example.org", children=(course,)), "Statistics")
    assert data(masters.status()) == before


def test_add_takes_http_mailto_and_relative_links(masters: Masters) -> None:
    for url in ("https://example.org/a", "mailto:tutor@example.org", "notes/stats.md"):
        assert data(masters.add(Resource(url, url=url), domain="Statistics"))["url"] == url


def test_marking_a_status_again_keeps_its_date_and_says_nothing_changed(
    masters: Masters,
) -> None:
    masters.set_status("Real Python", Status.DONE, dt.date(2026, 3, 1))
    again = data(masters.set_status("Real Python", Status.DONE))
    assert again["finished"] == "2026-03-01"
    assert again["unchanged"] == "'Real Python' is already done; nothing changed"
    moved = data(masters.set_status("Real Python", Status.DONE, dt.date(2026, 3, 2)))
    assert moved["finished"] == "2026-03-02"
    assert "unchanged" not in moved


def test_starting_a_finished_specialisation_changes_nothing_and_says_why(
    masters: Masters,
) -> None:
    spec = "Mathematics for Machine Learning"
    masters.set_status(spec, Status.DONE, dt.date(2026, 5, 1))
    before = data(masters.show(spec))
    started = data(masters.set_status(spec, Status.IN_PROGRESS))
    assert started["unchanged"] == (
        "'Mathematics for Machine Learning Specialization' takes its status from the parts "
        "under it and stays done; nothing changed"
    )
    assert data(masters.show(spec)) == before


def test_an_empty_note_is_refused_and_adds_nothing(masters: Masters) -> None:
    masters.note("Real Python", "Kept.")
    with pytest.raises(EmptyNoteError, match=r"^the note is empty; nothing was added$"):
        masters.note("Real Python", "  \n ")
    assert data(masters.show("Real Python"))["notes"] == "Kept."
    assert data(masters.note("Real Python", "", replace=True))["notes"] == ""
    cleared = data(masters.note("Real Python", "", replace=True))
    assert cleared["unchanged"] == "'Real Python' has no notes to clear; nothing changed"


def test_renaming_or_tagging_to_what_is_there_says_nothing_changed(masters: Masters) -> None:
    renamed = data(masters.rename("Real Python", "Real Python"))
    assert renamed["unchanged"] == "'Real Python' already has that title; nothing changed"
    assert "unchanged" not in data(masters.tag("Real Python", ["python"]))
    tagged = data(masters.tag("Real Python", ["python"]))
    assert tagged["unchanged"] == "'Real Python' already has those tags; nothing changed"
    untagged = data(masters.tag("Real Python", ["pytorch"], remove=True))
    assert untagged["unchanged"] == "'Real Python' has none of those tags; nothing changed"
    assert untagged["skills"] == tagged["skills"]
