from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diymasters.model import (
    IN_PROGRESS_CAP,
    AddTimeEntry,
    AmbiguousNameError,
    Curriculum,
    Domain,
    DomainNotFoundError,
    InvalidValueError,
    Resource,
    ResourceNotFoundError,
    SetStatus,
    Status,
    TimeEntry,
    check_url,
    find_domain,
    find_resource,
    is_safe_url,
    log_changes,
    parse_date,
    parse_hours,
    rollup,
    status_changes,
    unchanged_status,
)

TODAY = dt.date(2026, 11, 25)


def course(
    title: str,
    status: Status = Status.TODO,
    hours: float | None = None,
    logged: float = 0.0,
    *,
    children: tuple[Resource, ...] = (),
    id: int | None = None,  # noqa: A002
) -> Resource:
    entries = (TimeEntry(on=TODAY, hours=logged),) if logged else ()
    return Resource(
        title=title,
        status=status,
        estimated_hours=hours,
        time_entries=entries,
        children=children,
        id=id,
    )


# --- The rollup rule ------------------------------------------------------------------------


def test_done_is_complete_whatever_was_logged() -> None:
    assert rollup(course("A", Status.DONE, hours=10, logged=2)).progress == 1.0


def test_todo_leaf_is_zero() -> None:
    assert rollup(course("A", hours=10)).progress == 0.0


def test_in_progress_leaf_reads_logged_over_estimate() -> None:
    assert rollup(course("A", Status.IN_PROGRESS, hours=10, logged=4)).progress == 0.4


def test_in_progress_leaf_stays_below_one_when_logged_outruns_estimate() -> None:
    part = rollup(course("A", Status.IN_PROGRESS, hours=10, logged=25))
    assert part.progress == IN_PROGRESS_CAP
    assert part.progress < 1.0


def test_in_progress_leaf_without_estimate_is_zero() -> None:
    assert rollup(course("A", Status.IN_PROGRESS, logged=3)).progress == 0.0


def test_parent_is_hours_weighted_mean_of_children() -> None:
    parent = course(
        "Spec",
        children=(course("A", Status.DONE, hours=30), course("B", hours=10)),
    )
    assert rollup(parent).progress == pytest.approx(0.75)


def test_parent_is_count_weighted_when_no_child_has_hours() -> None:
    parent = course(
        "Spec",
        children=(course("A", Status.DONE), course("B"), course("C"), course("D")),
    )
    assert rollup(parent).progress == pytest.approx(0.25)


def test_child_with_unknown_hours_weighs_the_mean_of_known_siblings() -> None:
    parent = course(
        "Spec",
        children=(course("A", Status.DONE, hours=10), course("B", hours=30), course("C")),
    )
    # C weighs (10 + 30) / 2 = 20, so progress is 10 / (10 + 30 + 20).
    assert rollup(parent).progress == pytest.approx(10 / 60)


def test_dropped_children_leave_the_denominator() -> None:
    parent = course(
        "Spec",
        children=(
            course("A", Status.DONE, hours=10),
            course("B", Status.DROPPED, hours=90, logged=5),
        ),
    )
    part = rollup(parent)
    assert part.progress == 1.0
    assert part.status is Status.DONE
    assert part.hours_logged == 5  # time spent on a dropped trial still counts as time


def test_parent_whose_children_are_all_dropped_is_read_as_a_leaf() -> None:
    parent = course(
        "Spec", Status.IN_PROGRESS, hours=20, logged=5, children=(course("A", Status.DROPPED),)
    )
    assert rollup(parent).progress == pytest.approx(0.25)


def test_parent_with_all_children_done_reads_done() -> None:
    parent = course("Spec", children=(course("A", Status.DONE), course("B", Status.DONE)))
    assert rollup(parent).status is Status.DONE


def test_parent_with_some_children_done_reads_in_progress() -> None:
    parent = course("Spec", children=(course("A", Status.DONE), course("B")))
    assert rollup(parent).status is Status.IN_PROGRESS


def test_parent_with_a_child_in_progress_reads_in_progress() -> None:
    parent = course("Spec", children=(course("A", Status.IN_PROGRESS), course("B")))
    assert rollup(parent).status is Status.IN_PROGRESS


def test_parent_with_no_child_started_keeps_its_own_status() -> None:
    parent = course("Spec", children=(course("A"), course("B")))
    assert rollup(parent).status is Status.TODO


def test_parent_marked_done_with_open_children_counts_them() -> None:
    """A README that ticks an item but not the boxes under it is not 100% done (issue 15)."""
    parent = course("Spec", Status.DONE, children=(course("A", Status.DONE), course("B")))
    assert rollup(parent).progress == 0.5
    assert rollup(parent).status is Status.IN_PROGRESS


def test_parent_marked_done_with_every_child_done_is_done() -> None:
    parent = course("Spec", Status.DONE, children=(course("A", Status.DONE),))
    assert rollup(parent).progress == 1.0
    assert rollup(parent).status is Status.DONE


def test_dropped_parent_stays_dropped() -> None:
    parent = course("Spec", Status.DROPPED, children=(course("A", Status.DONE),))
    assert rollup(parent).status is Status.DROPPED


def test_hours_estimated_is_known_only_when_every_counted_child_has_hours() -> None:
    known = course("Spec", children=(course("A", hours=2), course("B", hours=3)))
    partial = course("Spec", children=(course("A", hours=2), course("B")))
    assert rollup(known).hours_estimated == 5
    assert rollup(partial).hours_estimated is None
    assert rollup(partial).hours_known == 2


def test_own_estimate_beats_the_sum_of_children() -> None:
    parent = course("Spec", hours=100, children=(course("A", hours=2),))
    assert rollup(parent).hours_estimated == 100


def test_domains_roll_up_resources_and_sub_domains_alike() -> None:
    python = Domain("Python", resources=(course("Real Python", Status.DONE, hours=10),))
    cpp = Domain("C++", resources=(course("Book", hours=30),))
    software = Domain("Software Engineering", domains=(python, cpp))
    assert rollup(software).progress == pytest.approx(0.25)


def test_empty_domains_leave_the_overall_denominator() -> None:
    curriculum = Curriculum(
        "M",
        domains=(
            Domain("Maths", resources=(course("A", Status.DONE),)),
            Domain("Statistics"),
        ),
    )
    top = rollup(curriculum)
    assert top.progress == 1.0
    assert [part.counted for part in top.parts] == [True, False]


def test_empty_curriculum_is_zero() -> None:
    assert rollup(Curriculum("M", domains=(Domain("Statistics"),))).progress == 0.0


resource_trees = st.recursive(
    st.builds(
        course,
        title=st.just("x"),
        status=st.sampled_from(Status),
        hours=st.none() | st.floats(min_value=0.5, max_value=500),
        logged=st.floats(min_value=0, max_value=1000),
    ),
    lambda children: st.builds(
        course,
        title=st.just("x"),
        status=st.sampled_from(Status),
        hours=st.none() | st.floats(min_value=0.5, max_value=500),
        children=st.lists(children, min_size=1, max_size=4).map(tuple),
    ),
    max_leaves=12,
)


@given(resource_trees)
def test_progress_is_a_fraction_and_one_only_when_done(resource: Resource) -> None:
    part = rollup(resource)
    assert 0.0 <= part.progress <= 1.0
    if part.progress == 1.0:
        # An explicit drop wins even over finished children: it is the learner's record.
        assert part.status in {Status.DONE, Status.DROPPED}


# --- Names ----------------------------------------------------------------------------------


@pytest.fixture
def maths() -> Curriculum:
    return Curriculum(
        "M",
        domains=(
            Domain(
                "Mathematics",
                id=1,
                resources=(
                    course("Linear Algebra", id=1),
                    course("Linear Algebra Done Right", id=2),
                    course("Multivariate Calculus", id=3),
                ),
            ),
            Domain("Machine Learning", id=2),
        ),
    )


def test_exact_title_wins_over_prefix(maths: Curriculum) -> None:
    assert find_resource(maths, "linear algebra").id == 1


def test_unambiguous_prefix_finds_the_resource(maths: Curriculum) -> None:
    assert find_resource(maths, "multi").id == 3


def test_ambiguous_prefix_lists_candidates(maths: Curriculum) -> None:
    with pytest.raises(AmbiguousNameError, match=r"Linear Algebra \(#1\).*Done Right \(#2\)"):
        find_resource(maths, "Linear")


def test_hash_id_picks_exactly_one(maths: Curriculum) -> None:
    assert find_resource(maths, "#2").title == "Linear Algebra Done Right"


def test_unknown_name_suggests_close_titles(maths: Curriculum) -> None:
    with pytest.raises(ResourceNotFoundError, match=r"did you mean.*Multivariate Calculus"):
        find_resource(maths, "Multivariate Calculas")


def test_domain_prefix_must_be_unambiguous(maths: Curriculum) -> None:
    with pytest.raises(AmbiguousNameError):
        find_domain(maths, "Ma")
    assert find_domain(maths, "mach").name == "Machine Learning"
    with pytest.raises(DomainNotFoundError, match="Mathematics"):
        find_domain(maths, "Statistics")


# --- Parsing what users type ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hours"),
    [("1.5", 1.5), ("2", 2.0), ("1h30", 1.5), ("1h 15m", 1.25), ("90m", 1.5), ("1:45", 1.75)],
)
def test_parse_hours_reads_common_forms(text: str, hours: float) -> None:
    assert parse_hours(text) == pytest.approx(hours)


@pytest.mark.parametrize("text", ["0", "-2", "abc", "", "nan", "inf", "1e400", "1:75"])
def test_parse_hours_refuses_nonsense(text: str) -> None:
    with pytest.raises(InvalidValueError):
        parse_hours(text)


def test_parse_date_reads_iso_and_words() -> None:
    assert parse_date("2026-01-02", TODAY) == dt.date(2026, 1, 2)
    assert parse_date("yesterday", TODAY) == dt.date(2026, 11, 24)


@pytest.mark.parametrize("text", ["2026-13-01", "25/11/2026", "soon", "2026-11-26"])
def test_parse_date_refuses_bad_and_future_dates(text: str) -> None:
    with pytest.raises(InvalidValueError):
        parse_date(text, TODAY)


def test_time_entries_refuse_non_positive_hours() -> None:
    with pytest.raises(InvalidValueError):
        TimeEntry(on=TODAY, hours=-1)


def test_resources_refuse_finishing_before_starting() -> None:
    with pytest.raises(InvalidValueError):
        Resource("A", started=TODAY, finished=TODAY - dt.timedelta(days=1))


# --- Decisions ------------------------------------------------------------------------------


def test_done_cascades_to_open_children_but_not_dropped_ones() -> None:
    spec = course(
        "Spec",
        id=1,
        children=(
            course("A", Status.DONE, id=2),
            course("B", id=3),
            course("C", Status.DROPPED, id=4, children=(course("C1", id=5),)),
        ),
    )
    changed = {c.resource_id for c in status_changes(spec, Status.DONE, TODAY)}
    assert changed == {1, 3}


def test_start_keeps_an_earlier_start_date() -> None:
    started = Resource("A", id=1, status=Status.IN_PROGRESS, started=dt.date(2026, 1, 1))
    (change,) = status_changes(started, Status.IN_PROGRESS, TODAY)
    assert change == SetStatus(1, Status.IN_PROGRESS, dt.date(2026, 1, 1), None)


def test_finishing_before_the_start_is_refused() -> None:
    started = Resource("A", id=1, status=Status.IN_PROGRESS, started=TODAY)
    with pytest.raises(InvalidValueError, match="before the start"):
        status_changes(started, Status.DONE, TODAY - dt.timedelta(days=3))


def test_logging_time_on_a_todo_resource_starts_it() -> None:
    entry = TimeEntry(on=TODAY, hours=1)
    changes = log_changes(course("A", id=7), entry)
    assert changes == [AddTimeEntry(7, entry), SetStatus(7, Status.IN_PROGRESS, TODAY, None)]


# --- Links (issue 13) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a",
        "HTTP://example.org",
        "mailto:me@example.org",
        "notes/week-1.md",
        "../README.md#maths",
        "#maths",
        "//example.org/a",
    ],
)
def test_http_https_mailto_and_relative_links_are_safe(url: str) -> None:
    assert is_safe_url(url)
    check_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(8)",
        "JavaScript:alert(8)",
        " javascript:alert(8)",
        "\x00javascript:alert(8)",
        "java\tscript:alert(8)",
        "java\nscript:alert(8)",
        "data:text/html,<script>alert(8)</script>",
        "vbscript:msgbox(8)",
        "file:///etc/passwd",
        "",
        "   ",
    ],
)
def test_script_data_and_file_links_are_refused(url: str) -> None:
    assert not is_safe_url(url)
    with pytest.raises(InvalidValueError) as refused:
        check_url(url)
    assert str(refused.value) == (
        f"url {url!r} is not allowed: a link must be http, https, mailto or a relative path"
    )


def test_no_link_is_not_a_link_to_follow() -> None:
    assert not is_safe_url(None)
    check_url(None)


# --- Commands that change nothing say so (issue 13) -----------------------------------------


def test_a_status_the_resource_already_has_changes_nothing() -> None:
    started = Resource("A", id=1, status=Status.IN_PROGRESS, started=dt.date(2026, 1, 1))
    changes = status_changes(started, Status.IN_PROGRESS, TODAY)
    assert unchanged_status(started, Status.IN_PROGRESS, changes) == "'A' is already in progress"
    todo = course("B", id=2)
    changes = status_changes(todo, Status.TODO, TODAY)
    assert unchanged_status(todo, Status.TODO, changes) == "'B' is still to do"


def test_a_new_finish_date_is_a_change() -> None:
    done = Resource("A", id=1, status=Status.DONE, finished=dt.date(2026, 1, 1))
    assert unchanged_status(done, Status.DONE, status_changes(done, Status.DONE, TODAY)) is None


def test_starting_a_specialisation_whose_courses_are_done_changes_nothing() -> None:
    spec = course(
        "Spec",
        Status.DONE,
        id=1,
        children=(course("A", Status.DONE, id=2), course("B", Status.DONE, id=3)),
    )
    for status in (Status.IN_PROGRESS, Status.TODO):
        changes = status_changes(spec, status, TODAY)
        assert unchanged_status(spec, status, changes) == (
            "'Spec' takes its status from the parts under it and stays done"
        )


def test_reopening_a_finished_course_is_a_change() -> None:
    done = course("A", Status.DONE, id=1)
    for status in (Status.IN_PROGRESS, Status.TODO, Status.DROPPED):
        assert unchanged_status(done, status, status_changes(done, status, TODAY)) is None
