"""Where the drawings put things: inside the right regions, apart, and along the dates."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random

import pytest

from diymasters.model import Status
from diymasters.plan import PlanItem, PlanReport, StudyCalendar
from diymasters.views import VennDomain, VennReport, VennResource
from diymasters.web.diagrams import DOT, RADIUS, timeline, venn_layout

DOMAINS = [
    "Mathematics",
    "Software Engineering",
    "Statistics",
    "Machine Learning",
    "Deep Learning",
    "Reinforcement Learning",
]


def venn(resources: list[list[str]], progress: float = 0.5) -> VennReport:
    return VennReport(
        domains=tuple(VennDomain(name, progress, i) for i, name in enumerate(DOMAINS)),
        resources=tuple(
            VennResource(i, f"r{i}", Status.TODO, 0.0, tuple(domains))
            for i, domains in enumerate(resources)
        ),
    )


def test_every_set_of_domains_has_its_dot_inside_all_of_their_circles() -> None:
    subsets = [
        list(combo) for size in range(1, 7) for combo in itertools.combinations(DOMAINS, size)
    ]
    for subset in subsets:
        layout = venn_layout(venn([subset, subset, subset]))
        centres = {c.name: (c.x, c.y) for c in layout.circles}
        for dot in layout.dots:
            for name in dot.domains:
                assert math.dist((dot.x, dot.y), centres[name]) <= RADIUS, (dot.domains, name)


def test_a_dot_of_one_domain_sits_outside_the_other_circles() -> None:
    layout = venn_layout(venn([[name] for name in DOMAINS]))
    centres = {c.name: (c.x, c.y) for c in layout.circles}
    for dot in layout.dots:
        (home,) = dot.domains
        others = [centre for name, centre in centres.items() if name != home]
        assert all(math.dist((dot.x, dot.y), centre) > RADIUS for centre in others), home


def test_dots_do_not_cover_each_other() -> None:
    rng = random.Random(7)
    resources = [rng.sample(DOMAINS, rng.choice([1, 1, 1, 2, 2, 3])) for _ in range(60)]
    dots = venn_layout(venn(resources)).dots
    for a, b in itertools.combinations(dots, 2):
        assert math.dist((a.x, a.y), (b.x, b.y)) >= 2 * DOT - 0.2, (a.title, b.title)


@pytest.mark.parametrize("progress", [0.0, 0.5, 1.0])
def test_shading_grows_with_progress(progress: float) -> None:
    (first, *_) = venn_layout(venn([], progress)).circles
    assert first.shade == pytest.approx(0.08 + 0.5 * progress)


def plan_item(key: str, start: dt.date, finish: dt.date) -> PlanItem:
    return PlanItem(key, key, None, 10.0, True, 0.0, start, finish, (), (), None, False)


def test_the_timeline_places_bars_by_date() -> None:
    start, finish = dt.date(2027, 1, 1), dt.date(2027, 3, 31)
    report = PlanReport(
        name="plan",
        saved=True,
        curriculum="c",
        demand_source="posting",
        optimal=True,
        gap=0.0,
        method="mip",
        seconds=0.1,
        cycle_cuts=0,
        total_hours=20.0,
        total_cost=0.0,
        start=start,
        finish=finish,
        hours_per_week=8.0,
        calendar=StudyCalendar.weekly(8),
        assumed_hours=20.0,
        target_skills=1,
        covered_skills=1,
        items=(
            plan_item("b", dt.date(2027, 2, 1), finish),
            plan_item("a", start, dt.date(2027, 1, 31)),
        ),
        uncovered=(),
    )
    drawn = timeline(report)
    first, second = drawn.rows
    assert (first.item.id, second.item.id) == ("a", "b")
    assert first.x == 0
    assert first.width == pytest.approx(1000 * 31 / 90, abs=0.01)
    assert second.x + second.width == pytest.approx(1000)
    assert drawn.months == pytest.approx([1000 * 31 / 90, 1000 * 59 / 90], abs=0.01)
    assert (drawn.start, drawn.finish) == (start, finish)


def test_a_thousand_resources_fit_with_smaller_dots_and_stay_in_their_regions() -> None:
    rng = random.Random(11)
    resources = [rng.sample(DOMAINS, rng.choice([1, 1, 1, 2, 2, 3])) for _ in range(1000)]
    layout = venn_layout(venn(resources))
    radius = layout.dot
    assert radius < DOT
    dots = layout.dots
    closest = min(math.dist((a.x, a.y), (b.x, b.y)) for a, b in itertools.combinations(dots, 2))
    assert closest >= 2 * radius - 0.2
    centres = {c.name: (c.x, c.y) for c in layout.circles}
    inside = sum(
        all(math.dist((d.x, d.y), centres[name]) <= RADIUS for name in d.domains) for d in dots
    )
    assert inside / len(dots) >= 0.95
