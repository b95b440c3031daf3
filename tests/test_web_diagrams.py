"""Where the drawings put things: inside the right regions, apart, and along the dates."""

from __future__ import annotations

import itertools
import math
import random
from typing import Any

import pytest

from diymasters.web.diagrams import DOT, RADIUS, timeline, venn_layout

DOMAINS = [
    "Mathematics",
    "Software Engineering",
    "Statistics",
    "Machine Learning",
    "Deep Learning",
    "Reinforcement Learning",
]


def venn(resources: list[list[str]]) -> dict[str, Any]:
    return {
        "domains": [{"name": name, "progress": 0.5, "id": i} for i, name in enumerate(DOMAINS)],
        "resources": [
            {"id": i, "title": f"r{i}", "status": "todo", "progress": 0.0, "domains": domains}
            for i, domains in enumerate(resources)
        ],
    }


def test_every_set_of_domains_has_its_dot_inside_all_of_their_circles() -> None:
    subsets = [
        list(combo) for size in range(1, 7) for combo in itertools.combinations(DOMAINS, size)
    ]
    for subset in subsets:
        layout = venn_layout(venn([subset, subset, subset]))
        centres = {c.name: (c.x, c.y) for c in layout["circles"]}
        for dot in layout["dots"]:
            for name in dot.domains:
                assert math.dist((dot.x, dot.y), centres[name]) <= RADIUS, (dot.domains, name)


def test_a_dot_of_one_domain_sits_outside_the_other_circles() -> None:
    layout = venn_layout(venn([[name] for name in DOMAINS]))
    centres = {c.name: (c.x, c.y) for c in layout["circles"]}
    for dot in layout["dots"]:
        (home,) = dot.domains
        others = [centre for name, centre in centres.items() if name != home]
        assert all(math.dist((dot.x, dot.y), centre) > RADIUS for centre in others), home


def test_dots_do_not_cover_each_other() -> None:
    rng = random.Random(7)
    resources = [rng.sample(DOMAINS, rng.choice([1, 1, 1, 2, 2, 3])) for _ in range(60)]
    dots = venn_layout(venn(resources))["dots"]
    for a, b in itertools.combinations(dots, 2):
        assert math.dist((a.x, a.y), (b.x, b.y)) >= 2 * DOT - 0.2, (a.title, b.title)


@pytest.mark.parametrize("progress", [0.0, 0.5, 1.0])
def test_shading_grows_with_progress(progress: float) -> None:
    report = venn([])
    report["domains"][0]["progress"] = progress
    (first, *_) = venn_layout(report)["circles"]
    assert first.shade == pytest.approx(0.08 + 0.5 * progress)


def test_the_timeline_places_bars_by_date() -> None:
    report = {
        "start": "2027-01-01",
        "finish": "2027-03-31",
        "items": [
            {"id": "b", "start": "2027-02-01", "finish": "2027-03-31"},
            {"id": "a", "start": "2027-01-01", "finish": "2027-01-31"},
        ],
    }
    drawn = timeline(report)
    first, second = drawn["rows"]
    assert (first["id"], second["id"]) == ("a", "b")
    assert first["x"] == 0
    assert first["width"] == pytest.approx(1000 * 31 / 90, abs=0.01)
    assert second["x"] + second["width"] == pytest.approx(1000)
    assert drawn["months"] == pytest.approx([1000 * 31 / 90, 1000 * 59 / 90], abs=0.01)


def test_a_thousand_resources_fit_with_smaller_dots_and_stay_in_their_regions() -> None:
    rng = random.Random(11)
    resources = [rng.sample(DOMAINS, rng.choice([1, 1, 1, 2, 2, 3])) for _ in range(1000)]
    layout = venn_layout(venn(resources))
    radius = layout["dot"]
    assert radius < DOT
    dots = layout["dots"]
    closest = min(math.dist((a.x, a.y), (b.x, b.y)) for a, b in itertools.combinations(dots, 2))
    assert closest >= 2 * radius - 0.2
    centres = {c.name: (c.x, c.y) for c in layout["circles"]}
    inside = sum(
        all(math.dist((d.x, d.y), centres[name]) <= RADIUS for name in d.domains) for d in dots
    )
    assert inside / len(dots) >= 0.95
