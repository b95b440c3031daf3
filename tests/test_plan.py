"""Planning: optimal selection (checked against brute force), order, schedule, ICS, progress."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import random
from collections import defaultdict
from typing import TYPE_CHECKING, Any

import icalendar
import pytest

from diymasters import catalog, coverage, plan
from diymasters.catalog import Catalog, Entry
from diymasters.hours import HoursBasis
from diymasters.model import (
    Curriculum,
    Domain,
    InvalidValueError,
    Kind,
    Resource,
    Status,
    TimeEntry,
    rollup,
)
from diymasters.skills import load_taxonomy
from tests.conftest import data

if TYPE_CHECKING:
    from pathlib import Path

    from diymasters.masters import Masters
    from tests.conftest import Cli

NO_SUPPLY = coverage.Supply(frozenset(), frozenset(), frozenset(), frozenset())
MONDAY = dt.date(2027, 1, 4)


def entry(
    key: str,
    skills: tuple[str, ...],
    hours: float | None = None,
    *,
    cost: float | None = 0.0,
    prerequisites: tuple[str, ...] = (),
    children: tuple[Entry, ...] = (),
    parent: str | None = None,
) -> Entry:
    return Entry(
        id=key,
        title=key.upper(),
        provider="test",
        url=f"https://example.org/{key}",
        kind=Kind.SPECIALISATION if children else Kind.COURSE,
        hours=hours,
        source="test" if hours else None,
        read=None,
        cost=cost,
        audit=None,
        level=None,
        language="en",
        skills=tuple(f"dm:{s}" for s in skills),
        prerequisites=prerequisites,
        children=children,
        parent=parent,
    )


def catalog_of(*top: Entry) -> Catalog:
    entries = {e.id: e for t in top for e in t.walk()}
    return Catalog(entries, top)


def demand_of(*skills: str, weight: float = 1.0) -> coverage.Demand:
    return coverage.Demand({f"dm:{s}": weight for s in skills})


# --- A brute force to check the solver against -------------------------------------------------


def ancestors(e: Entry, cat: Catalog) -> set[str]:
    found, parent = set(), e.parent
    while parent:
        found.add(parent)
        parent = cat.entries[parent].parent
    return found


def orderable(chosen: set[str], cat: Catalog) -> bool:
    """Whether some order takes each chosen entry after what it needs, as the issue defines."""
    placed: set[str] = set()
    while len(placed) < len(chosen):
        ready = [
            k
            for k in chosen - placed
            if all(met(k, need, placed, cat) for need in cat.entries[k].prerequisites)
        ]
        if not ready:
            return False
        placed.update(ready)
    return True


def met(key: str, need: str, placed: set[str], cat: Catalog) -> bool:
    if need in cat.entries:
        return bool(({need} | ancestors(cat.entries[need], cat)) & placed)
    relatives = {key} | ancestors(cat.entries[key], cat) | {e.id for e in cat.entries[key].walk()}
    return any(need in catalog.teaches(cat.entries[k]) for k in placed - relatives)


def brute_force_hours(cat: Catalog, target: set[str], share: float = 1.0) -> float | None:
    """The fewest hours of any valid plan, by trying every subset."""
    keys = sorted(cat.entries)
    taught = {s for e in cat.entries.values() for s in catalog.teaches(e)}
    wanted = target & taught
    best: float | None = None
    for size in range(len(keys) + 1):
        for subset in itertools.combinations(keys, size):
            chosen = set(subset)
            if any(ancestors(cat.entries[k], cat) & chosen for k in chosen):
                continue
            covered = {s for k in chosen for s in catalog.teaches(cat.entries[k])} & wanted
            enough = covered == wanted if share >= 1 else len(covered) >= share * len(target) - 1e-9
            if not enough or not orderable(chosen, cat):
                continue
            hours = sum(cat.hours.of(cat.entries[k]).hours for k in chosen)
            best = hours if best is None else min(best, hours)
    return best


def random_catalog(seed: int) -> tuple[Catalog, set[str]]:
    """Eight entries over six skills, with random skill and entry prerequisites."""
    rng = random.Random(seed)
    skills = [f"s{i}" for i in range(6)]
    entries: list[Entry] = []
    for n in range(8):
        taught = tuple(rng.sample(skills, rng.randint(1, 3)))
        needs: list[str] = []
        if rng.random() < 0.5:
            needs.append(f"dm:{rng.choice(skills)}")
        if n and rng.random() < 0.25:
            needs.append(entries[rng.randrange(n)].id)
        entries.append(
            entry(f"e{n}", taught, float(rng.randint(2, 30)), prerequisites=tuple(needs))
        )
    target = {f"dm:{s}" for s in rng.sample(skills, rng.randint(2, 6))}
    return catalog_of(*entries), target


def plan_hours(selection: plan.Selection) -> float:
    return sum(selection.hours[e.id].hours for e in selection.entries)


@pytest.mark.parametrize("seed", range(40))
def test_the_plan_is_as_short_as_brute_force_finds(seed: int) -> None:
    cat, target = random_catalog(seed)
    expected = brute_force_hours(cat, target)
    demand = coverage.Demand(dict.fromkeys(target, 1.0))
    if expected is None:
        with pytest.raises(plan.PlanInfeasibleError):
            plan.select(demand, NO_SUPPLY, cat)
        return
    selection = plan.select(demand, NO_SUPPLY, cat)
    assert selection.optimal
    assert plan_hours(selection) == pytest.approx(expected)
    assert orderable({e.id for e in selection.entries}, cat)


@pytest.mark.parametrize("seed", range(15))
def test_a_partial_coverage_plan_is_as_short_as_brute_force_finds(seed: int) -> None:
    cat, target = random_catalog(100 + seed)
    taught = {s for e in cat.entries.values() for s in catalog.teaches(e)}
    share = len(target & taught) / len(target) * 0.6
    expected = brute_force_hours(cat, target, share)
    demand = coverage.Demand(dict.fromkeys(target, 1.0))
    if expected is None:
        with pytest.raises(plan.PlanInfeasibleError):
            plan.select(demand, NO_SUPPLY, cat, plan.PlanOptions(coverage=share))
        return
    selection = plan.select(demand, NO_SUPPLY, cat, plan.PlanOptions(coverage=share))
    assert plan_hours(selection) == pytest.approx(expected)


def test_two_resources_that_need_each_other_are_not_a_plan() -> None:
    # A needs what only B teaches and B what only A teaches: no order takes either first.
    cat = catalog_of(
        entry("a", ("x",), 5, prerequisites=("dm:y",)),
        entry("b", ("y",), 5, prerequisites=("dm:x",)),
        entry("c", ("x",), 20),
    )
    selection = plan.select(demand_of("x", "y"), NO_SUPPLY, cat)
    assert {e.id for e in selection.entries} == {"b", "c"}
    assert selection.cuts >= 1
    assert selection.optimal
    tasks = plan.order(selection)
    assert [t.key for t in tasks] == ["c", "b"]
    assert tasks[1].after == ("c",)


def test_what_is_known_or_done_meets_prerequisites_and_is_not_planned() -> None:
    cat = catalog_of(
        entry("basics", ("python",), 10), entry("ml", ("ml",), 30, prerequisites=("dm:python",))
    )
    selection = plan.select(
        demand_of("ml"), NO_SUPPLY, cat, plan.PlanOptions(known=frozenset({"dm:python"}))
    )
    assert [e.id for e in selection.entries] == ["ml"]
    done = coverage.Supply(
        frozenset({"dm:python"}),
        frozenset(),
        frozenset(),
        frozenset({"basics"}),
        frozenset({"basics"}),
    )
    selection = plan.select(demand_of("ml", "python"), done, cat)
    assert [e.id for e in selection.entries] == ["ml"]


def test_a_specialisation_or_its_courses_never_both() -> None:
    courses = (
        entry("c1", ("a",), 10, parent="spec"),
        entry("c2", ("b",), 10, parent="spec"),
    )
    cat = catalog_of(entry("spec", ("a", "b"), 15, children=courses))
    assert [e.id for e in plan.select(demand_of("a", "b"), NO_SUPPLY, cat).entries] == ["spec"]
    # One course alone is cheaper than the whole when only its skill is wanted.
    assert [e.id for e in plan.select(demand_of("a"), NO_SUPPLY, cat).entries] == ["c1"]


def test_a_whole_specialisation_is_scheduled_as_its_courses_in_order() -> None:
    courses = (
        entry("c1", ("a",), 10, parent="spec"),
        entry("c2", ("b",), 12, parent="spec"),
    )
    spec = entry("spec", ("a", "b"), cost=49.0, children=courses)
    hours = catalog_of(spec).hours.by_entry
    target = {"dm:a": 1.0, "dm:b": 1.0}
    chosen = plan.Selection((spec,), True, 0.0, "mip", (), 20.0, target, hours=hours)
    tasks = plan.order(chosen)
    assert [(t.key, t.hours, t.part_of, t.after) for t in tasks] == [
        ("c1", 10, "spec", ()),
        ("c2", 12, "spec", ("c1",)),
    ]
    assert [t.cost for t in tasks] == [49.0, 0.0]  # the specialisation is paid for once


def test_cost_objective_and_budget() -> None:
    cat = catalog_of(entry("paid", ("a",), 5, cost=100.0), entry("free", ("a",), 40, cost=0.0))
    assert [e.id for e in plan.select(demand_of("a"), NO_SUPPLY, cat).entries] == ["paid"]
    cheapest = plan.select(demand_of("a"), NO_SUPPLY, cat, plan.PlanOptions(objective="cost"))
    assert [e.id for e in cheapest.entries] == ["free"]
    weighted = plan.PlanOptions(objective="weighted", hour_value=1.0)
    assert [e.id for e in plan.select(demand_of("a"), NO_SUPPLY, cat, weighted).entries] == ["free"]
    weighted = plan.PlanOptions(objective="weighted", hour_value=5.0)
    assert [e.id for e in plan.select(demand_of("a"), NO_SUPPLY, cat, weighted).entries] == ["paid"]
    capped = plan.PlanOptions(budget=0.0)
    assert [e.id for e in plan.select(demand_of("a"), NO_SUPPLY, cat, capped).entries] == ["free"]


def test_infeasible_limits_say_what_they_would_need_to_be() -> None:
    cat = catalog_of(entry("a", ("a",), 10, cost=30.0), entry("b", ("b",), 10, cost=20.0))
    with pytest.raises(
        plan.PlanInfeasibleError, match=r"budget would need to be at least \$50\.00"
    ):
        plan.select(demand_of("a", "b"), NO_SUPPLY, cat, plan.PlanOptions(budget=40.0))
    with pytest.raises(plan.PlanInfeasibleError, match="hours cap would need to be at least 20"):
        plan.select(demand_of("a", "b"), NO_SUPPLY, cat, plan.PlanOptions(max_hours=12.0))


def test_untaught_skills_are_reported_and_an_unreachable_share_refused() -> None:
    cat = catalog_of(entry("a", ("a",), 10))
    selection = plan.select(demand_of("a", "python"), NO_SUPPLY, cat)
    assert selection.uncovered == ("dm:python",)
    with pytest.raises(plan.PlanInfeasibleError, match=r"teaches only 50% .*Python.*0\.5 or less"):
        plan.select(demand_of("a", "python"), NO_SUPPLY, cat, plan.PlanOptions(coverage=0.9))


def test_bad_options_are_refused() -> None:
    with pytest.raises(InvalidValueError, match="coverage"):
        plan.PlanOptions(coverage=1.5)
    with pytest.raises(InvalidValueError, match="hour value"):
        plan.PlanOptions(objective="weighted")
    with pytest.raises(InvalidValueError, match="budget"):
        plan.PlanOptions(budget=-1)
    with pytest.raises(InvalidValueError, match="not in the catalog"):
        plan.select(
            demand_of("a"),
            NO_SUPPLY,
            catalog_of(entry("a", ("a",), 1)),
            plan.PlanOptions(include=frozenset({"nope"})),
        )


# --- Calendar and schedule ---------------------------------------------------------------------


def test_weekday_hours_and_breaks_parse() -> None:
    assert plan.parse_weekday_hours("mon=1, wed=1.5,Sat=4") == (1, 0, 1.5, 0, 0, 4, 0)
    assert plan.parse_break("2027-12-20:2028-01-03") == (dt.date(2027, 12, 20), dt.date(2028, 1, 3))
    for bad in ("funday=2", "mon=lots"):
        with pytest.raises(InvalidValueError):
            plan.parse_weekday_hours(bad)
    for bad in ("2027-12-20", "2028-01-03:2027-12-20", "2027-13-01:2027-12-30"):
        with pytest.raises(InvalidValueError):
            plan.parse_break(bad)
    with pytest.raises(InvalidValueError, match="above 0"):
        plan.StudyCalendar(plan.parse_weekday_hours("mon=0"))


def test_impossible_hours_are_named_by_their_day() -> None:
    with pytest.raises(InvalidValueError) as too_many:
        plan.StudyCalendar(plan.parse_weekday_hours("mon=2,tue=25"))
    assert str(too_many.value) == "hours on tue 25 must be between 0 and 24"
    with pytest.raises(InvalidValueError) as weekly:
        plan.StudyCalendar.weekly(200)
    assert str(weekly.value) == "hours per week 200 must be at most 168"


def tasks_of(*hours: float) -> list[plan.Task]:
    return [
        plan.Task(f"t{n}", f"T{n}", None, h, HoursBasis.STATED, cost=0.0)
        for n, h in enumerate(hours)
    ]


def test_items_fill_the_calendar_one_after_another() -> None:
    calendar = plan.StudyCalendar(plan.parse_weekday_hours("mon=1,wed=1,sat=4"))
    items = plan.schedule(tasks_of(5, 1, 6), calendar, MONDAY)
    # Mon 1 + Wed 1 + Sat 3 of 4; the next item takes Sat's last hour; then 6 more hours.
    assert [(i.start, i.finish) for i in items] == [
        (MONDAY, dt.date(2027, 1, 9)),
        (dt.date(2027, 1, 9), dt.date(2027, 1, 9)),
        (dt.date(2027, 1, 11), dt.date(2027, 1, 16)),
    ]
    assert plan.finish_date(items, MONDAY) == dt.date(2027, 1, 16)


@pytest.mark.parametrize(
    ("weekly", "hours"),
    [(None, "mon=1,wed=1,sat=4"), (8.0, None), (3.5, None), (None, "sun=7.25")],
)
def test_no_week_gets_more_than_its_hours_and_breaks_get_none(
    weekly: float | None, hours: str | None
) -> None:
    breaks = ((dt.date(2027, 2, 10), dt.date(2027, 2, 24)),)
    calendar = (
        plan.StudyCalendar.weekly(weekly, breaks)
        if weekly
        else plan.StudyCalendar(plan.parse_weekday_hours(hours or ""), breaks)
    )
    items = plan.schedule(tasks_of(7.5, 22, 0.5, 40, 13), calendar, dt.date(2027, 1, 6))
    per_week: dict[tuple[int, int], float] = defaultdict(float)
    per_day: dict[dt.date, float] = defaultdict(float)
    for item in items:
        assert sum(h for _, h in item.days) == pytest.approx(item.task.hours)
        for day, used in item.days:
            per_week[day.isocalendar()[:2]] += used
            per_day[day] += used
    assert max(per_week.values()) <= calendar.hours_per_week + 1e-9
    for day, used in per_day.items():
        assert used <= calendar.hours_on(day) + 1e-9
        assert not breaks[0][0] <= day <= breaks[0][1]
    for before, after in itertools.pairwise(items):
        assert after.start >= before.finish


def real_plan(masters: Masters, seed_readme: str) -> plan.PlanReport:
    posting = seed_readme[
        seed_readme.index("Example Qualifications") : seed_readme.index("## Curriculum")
    ]
    return masters.plan(
        posting=posting,
        calendar=plan.StudyCalendar(
            plan.parse_weekday_hours("mon=1,wed=1,sat=4"),
            ((dt.date(2027, 3, 1), dt.date(2027, 3, 14)),),
        ),
        start=MONDAY,
    )


def test_the_seed_plan_starts_each_item_after_its_prerequisites(
    masters: Masters, seed_readme: str
) -> None:
    report = real_plan(masters, seed_readme)
    assert report.optimal
    assert report.items
    finish = {i.id: i.finish for i in report.items}
    for number, item in enumerate(report.items):
        earlier = {i.id for i in report.items[:number]}
        for needed in item.after:
            assert needed in earlier
            assert item.start >= finish[needed]
    assert report.finish == max(finish.values())
    covered = {s for i in report.items for s in i.covers}
    assert {"computer vision", "C++", "information theory"} <= covered
    assert "Python" not in covered  # Real Python is done in the seed


def test_the_ics_file_parses_back_with_the_same_dates(masters: Masters, seed_readme: str) -> None:
    report = real_plan(masters, seed_readme)
    calendar = report.calendar
    parsed = icalendar.Calendar.from_ical(
        plan.plan_ics(report, dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    )
    days: dict[str, list[dt.date]] = defaultdict(list)
    for event in parsed.walk("VEVENT"):
        days[str(event["summary"]).rpartition(" (")[0]].append(event.decoded("dtstart"))
    assert len(days) == len(report.items)
    for item in report.items:
        studied = days[f"Study: {item.title}"]
        assert (min(studied), max(studied)) == (item.start, item.finish)
        assert all(calendar.hours_on(d) > 0 for d in studied)


def report_of(scheduled: list[plan.ScheduledItem], calendar: plan.StudyCalendar) -> plan.PlanReport:
    """The saved report of an optimal plan named "plan" of these items, started on `MONDAY`."""
    return plan.plan_report(
        plan.Selection((), True, 0.0, "mip", (), 20.0),
        scheduled,
        load_taxonomy(),
        calendar=calendar,
        start=MONDAY,
        name="plan",
        saved=True,
        curriculum="test",
        demand_source="test",
    )


def test_progress_compares_hours_studied_with_the_calendar() -> None:
    calendar = plan.StudyCalendar.weekly(8)
    items = plan.schedule(tasks_of(40, 40), calendar, MONDAY)
    report = report_of(items, calendar)
    assert report.finish == MONDAY + dt.timedelta(days=69)
    inputs = plan.PlanInputs("test", {}, plan.PlanOptions(), calendar, MONDAY)
    saved = plan.PlanRecord("plan", dt.datetime(2027, 1, 1, tzinfo=dt.UTC), inputs, report)
    two_weeks = MONDAY + dt.timedelta(days=13)
    ahead = plan.plan_progress(saved, {"t0": 32.0}, two_weeks)
    # 32 h in 2 weeks is 16 h a week: the 48 h left take 3 weeks, not the 8 planned.
    assert ahead.hours_due_by_today == 16
    assert ahead.pace_hours_per_week == 16
    assert ahead.projected_finish == two_weeks + dt.timedelta(days=21)
    assert ahead.verdict.startswith("ahead by 5.")
    behind = plan.plan_progress(saved, {"t0": 8.0}, two_weeks)
    assert behind.verdict.startswith("behind by ")
    fresh = plan.plan_progress(saved, {}, MONDAY)
    assert fresh.verdict == "on schedule"
    assert fresh.projected_finish == report.finish


def test_a_price_not_known_is_not_shown_as_free() -> None:
    unknown = entry("unknown", ("a",), 10, cost=None)
    priced = entry("priced", ("b",), 10, cost=30.0)
    hours = catalog_of(unknown, priced).hours.by_entry
    chosen = plan.Selection((unknown, priced), True, 0.0, "mip", (), 20.0, hours=hours)
    tasks = plan.order(chosen)
    assert {t.key: t.cost for t in tasks} == {"unknown": None, "priced": 30.0}
    calendar = plan.StudyCalendar.weekly(8)
    report = report_of(plan.schedule(tasks, calendar, MONDAY), calendar)
    assert (report.total_cost, report.costs_unknown) == (30.0, 1)
    stored = json.loads(json.dumps(report.to_json()))
    assert plan.PlanReport.from_json(stored) == report
    before = {key: value for key, value in stored.items() if key != "costs_unknown"}
    assert plan.PlanReport.from_json(before).costs_unknown == 0  # saved before it was counted


def test_a_report_reads_back_from_its_saved_json_as_it_was() -> None:
    calendar = plan.StudyCalendar(
        plan.parse_weekday_hours("mon=1,sat=4"), ((dt.date(2027, 3, 1), dt.date(2027, 3, 14)),)
    )
    items = plan.schedule(tasks_of(10, 3.5), calendar, MONDAY)
    report = plan.plan_report(
        plan.Selection((), False, math.inf, "greedy", ("dm:python",), 20.0),
        items,
        load_taxonomy(),
        calendar=calendar,
        start=MONDAY,
        name="mine",
        saved=True,
        curriculum="test",
        demand_source="posting",
    )
    stored = json.loads(json.dumps(report.to_json(), sort_keys=True))
    assert plan.PlanReport.from_json(stored) == report
    # The first plans (migration 0006) were saved before reports said whether they were.
    first_release = {key: value for key, value in stored.items() if key != "saved"}
    assert plan.PlanReport.from_json(first_release) == report
    assert stored["gap"] is None
    assert stored["calendar"]["weekday_hours"]["sat"] == 4
    assert stored["calendar"]["breaks"] == [["2027-03-01", "2027-03-14"]]
    # An empty plan's totals are the integer 0, and read back as they were saved.
    empty = plan.plan_report(
        plan.Selection((), True, 0.0, "mip", (), 20.0),
        [],
        load_taxonomy(),
        calendar=calendar,
        start=MONDAY,
        name="empty",
        saved=False,
        curriculum="test",
        demand_source="posting",
    )
    text = json.dumps(data(empty))
    assert '"total_hours": 0,' in text
    assert json.dumps(data(plan.PlanReport.from_json(json.loads(text)))) == text
    options = plan.PlanOptions(objective="cost", budget=10.0, include=frozenset({"b", "a"}))
    assert options.to_json()["include"] == ["a", "b"]
    assert plan.PlanOptions.from_json(json.loads(json.dumps(options.to_json()))) == options


# --- Through the store and the CLI -------------------------------------------------------------


def test_plans_are_saved_with_their_inputs_and_track_logged_hours(
    masters: Masters, seed_readme: str
) -> None:
    report = real_plan(masters, seed_readme)
    saved = masters.saved_plan()
    assert saved.report == report
    assert saved.inputs.calendar.hours_on(dt.date(2027, 1, 9)) == 4  # a Saturday
    assert saved.inputs.demand_source == "posting"
    assert saved.inputs.start == MONDAY
    first = report.items[0]
    added = data(
        masters.add(
            Resource(first.title, url=first.url, estimated_hours=first.hours),
            domain="Deep Learning",
        )
    )
    masters.log(f"#{added['id']}", 6.0)
    progress = masters.plan_progress()
    assert progress.hours_studied == 6.0
    masters.set_status(f"#{added['id']}", Status.DONE)
    assert masters.plan_progress().hours_studied == first.hours


def test_with_no_demand_given_the_plan_aims_at_the_curriculum_domains(masters: Masters) -> None:
    report = masters.plan(start=MONDAY, save=False)
    assert report.demand_source.startswith("the skills of")
    covered = {s for i in report.items for s in i.covers}
    assert "reinforcement learning" in covered


def ok(result: Any) -> str:
    assert result.returncode == 0, result.stderr
    return str(result.stdout)


def test_cli_plan_progress_and_ics(cli: Cli, tmp_path: Path, seed_readme: str) -> None:
    posting = tmp_path / "posting.txt"
    posting.write_text(
        seed_readme[
            seed_readme.index("Example Qualifications") : seed_readme.index("## Curriculum")
        ],
        encoding="utf-8",
    )
    ok(cli("init"))
    ics = tmp_path / "plan.ics"
    out = json.loads(
        ok(
            cli(
                "plan",
                "--posting",
                str(posting),
                "--hours",
                "mon=1,wed=1,sat=4",
                "--start",
                "2027-01-04",
                "--break",
                "2027-03-01:2027-03-14",
                "--ics",
                str(ics),
                "--json",
            )
        )
    )
    assert {
        "optimal",
        "gap",
        "total_hours",
        "total_cost",
        "finish",
        "items",
        "uncovered",
    } <= out.keys()
    assert {"title", "url", "hours", "cost", "start", "finish", "after", "covers"} <= out["items"][
        0
    ].keys()
    assert out["optimal"] is True
    assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR")
    text = ok(cli("plan", "--posting", str(posting), "--start", "2027-01-04"))
    assert "proven optimal" in text
    assert "finished 20" in text
    progress = json.loads(ok(cli("progress", "--json")))
    assert (
        progress["saved_finish"]
        == json.loads(
            ok(cli("plan", "--posting", str(posting), "--start", "2027-01-04", "--json"))
        )["finish"]
    )


def test_cli_plan_refuses_bad_input_in_one_line(cli: Cli, tmp_path: Path) -> None:
    ok(cli("init"))
    mine = tmp_path / "mine.ics"
    mine.write_text("my own calendar\n", encoding="utf-8")
    for args, words in [
        (("--hours", "funday=3"), "weekday"),
        (("--break", "2027-12-20"), "break"),
        (("--coverage", "2"), "coverage"),
        (("--objective", "fun"), "objective"),
        (("--start", "soon"), "not a date"),
        (("--ics", str(mine)), "not a plan calendar"),
        (("--include", "no-such-entry"), "not in the catalog"),
    ]:
        result = cli("plan", *args)
        assert result.returncode == 2, (args, result.stderr)
        assert words in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert mine.read_text(encoding="utf-8") == "my own calendar\n"
    result = cli("progress", "--name", "nothing")
    assert result.returncode == 2
    assert "no plan named 'nothing'" in result.stderr


def test_adopting_a_plan_adds_its_resources_once_and_their_hours_count(
    masters: Masters, seed_readme: str
) -> None:
    report = real_plan(masters, seed_readme)
    adopted = masters.adopt_plan()
    new = [i for i in report.items if not i.committed]
    assert adopted.added
    assert len(adopted.added) + len(adopted.no_domain) <= len(new)
    assert masters.adopt_plan().added == ()
    titles = {r.title for r in masters.curriculum().all_resources()}
    assert {a.title for a in adopted.added} <= titles
    first = adopted.added[0].title
    masters.log(first, 4.0)
    assert masters.plan_progress().hours_studied == 4.0


def test_adoption_brings_whole_specialisations_to_the_domain_of_most_of_their_skills() -> None:
    spec = entry("spec", ("pytorch",), children=(entry("deep-1", ("pytorch",), 10, parent="spec"),))
    maths = entry("maths", ("linear-algebra", "statistics"), 10)
    stray = entry("stray", ("docker",), 10)
    known = entry("known", ("python",), 10)
    deep, lower = Domain("Deep Learning", id=2), Domain("mathematics", id=1)
    have = Resource("KNOWN", url="https://example.org/known", id=5)
    curriculum = Curriculum("c", (lower, deep, Domain("Python", resources=(have,), id=3)))
    tasks = [
        plan.Task("deep-1", "DEEP-1", None, 10, HoursBasis.STATED, cost=0.0, part_of="spec"),
        plan.Task("maths", "MATHS", None, 10, HoursBasis.STATED, cost=0.0),
        plan.Task("stray", "STRAY", None, 10, HoursBasis.STATED, cost=0.0),
        plan.Task("known", "KNOWN", None, 10, HoursBasis.STATED, cost=0.0),
        plan.Task("resource:5", "KNOWN", None, 10, HoursBasis.STATED, cost=0.0, committed=True),
    ]
    calendar = plan.StudyCalendar.weekly(8)
    report = report_of(plan.schedule(tasks, calendar, MONDAY), calendar)
    entries = catalog_of(spec, maths, stray, known)
    found = plan.to_adopt(report, entries, curriculum, load_taxonomy())
    assert found == [(spec, deep), (maths, lower), (stray, None)]


def test_work_under_way_is_planned_first_and_its_hours_count_for_its_entry() -> None:
    started = Resource(
        "A",
        status=Status.IN_PROGRESS,
        estimated_hours=10,
        time_entries=(TimeEntry(on=MONDAY, hours=4.0),),
        url="https://example.org/maths",
        id=1,
    )
    unsized = Resource("B", status=Status.IN_PROGRESS, id=2)
    done = Resource("C", status=Status.DONE, estimated_hours=5, id=3)
    curriculum = Curriculum("c", (Domain("Mathematics", (started, unsized, done), id=1),))
    tasks = plan.committed_tasks(curriculum, catalog_of())
    assert [(t.key, t.hours, t.hours_basis, t.committed) for t in tasks] == [
        ("resource:1", 6.0, HoursBasis.YOURS, True),
        ("resource:2", 20.0, HoursBasis.NONE, True),
    ]
    matches = catalog.match_curriculum(
        catalog_of(entry("maths", ("linear-algebra",), 10)), curriculum
    )
    studied = plan.hours_studied(rollup(curriculum), matches)
    assert studied["resource:1"] == studied["maths"] == 4.0
    assert studied["resource:3"] == math.inf
