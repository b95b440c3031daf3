"""The domains' diagram tells the truth: every mark inside exactly the shapes of its domains.

Each check reads the geometry as `/venn.json` carries it, the numbers the page draws.
"""

from __future__ import annotations

import itertools
import json
import math
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diymasters import serialise
from diymasters.model import Status
from diymasters.venn import MAX_CIRCLES, PHONE, VennResource, venn_layout
from tests.conftest import SHARED

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Cli

#: The corpus README with the most top-level sections (37 of them, 28 holding resources).
MANY_DOMAINS = SHARED / "corpus" / "readmes" / "jwasham__coding-interview-university__README.md"
NAMES = [f"Domain {letter}" for letter in "ABCDEFGHI"]


def twin(cli: Cli) -> dict[str, Any]:
    shown = cli("serve", "--get", "/venn.json")
    assert shown.returncode == 0, shown.stderr
    answer: dict[str, Any] = json.loads(shown.stdout)
    return answer


def drawn(domains: list[str], memberships: list[list[str]]) -> dict[str, Any]:
    """The layout as /venn.json writes it, for resources with these domains."""
    resources = [
        VennResource(i, f"r{i}", Status.TODO, 0.0, tuple(domains))
        for i, domains in enumerate(memberships)
    ]
    layout = serialise.plain(venn_layout(domains, resources))
    assert isinstance(layout, dict)
    return layout


def box(thing: dict[str, Any]) -> tuple[float, float, float, float]:
    """A mark's or a label's box: left, top, right, bottom."""
    if "size" in thing:
        half = thing["size"] / 2
        return thing["x"] - half, thing["y"] - half, thing["x"] + half, thing["y"] + half
    return thing["x"], thing["y"], thing["x"] + thing["width"], thing["y"] + thing["height"]


def apart(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


def assert_true_to_memberships(layout: dict[str, Any], memberships: dict[Any, set[str]]) -> None:
    """Every mark inside the shapes of its domains and outside all others; nothing overlaps."""
    marks, regions = layout["marks"], layout["regions"]
    placed = [rid for mark in marks for rid in mark["resources"]]
    assert sorted(placed, key=str) == sorted(memberships, key=str)
    for mark in marks:
        domains = set(mark["domains"])
        assert all(memberships[rid] == domains for rid in mark["resources"]), mark
        if layout["kind"] == "euler":
            for region in regions:
                gap = math.dist((mark["x"], mark["y"]), (region["x"], region["y"])) - region["r"]
                if region["domain"] in domains:
                    assert gap + mark["size"] / 2 <= 0, (mark["title"], region["domain"])
                else:
                    assert gap - mark["size"] / 2 >= 0, (mark["title"], region["domain"])
        else:
            column = layout["combinations"][mark["combination"]]
            assert set(column["domains"]) == domains
            assert mark["x"] == column["x"]
    assert {r["domain"] for r in regions} >= {d for m in marks for d in m["domains"]}
    labelled = {label["domain"] for label in layout["labels"]}
    assert labelled == {r["domain"] for r in regions}
    for a, b in itertools.combinations(marks, 2):
        assert math.dist((a["x"], a["y"]), (b["x"], b["y"])) >= a["size"], (a, b)
    labels = [box(label) for label in layout["labels"]]
    for a, b in itertools.combinations(labels, 2):
        assert apart(a, b), (a, b)
    for label, mark in itertools.product(labels, marks):
        assert apart(label, box(mark)), (label, mark["title"])
    for thing in [*labels, *(box(m) for m in marks)]:
        assert thing[0] >= 0
        assert thing[2] <= layout["width"]
        assert thing[1] >= 0
        assert thing[3] <= layout["height"]


def memberships_of(report: dict[str, Any]) -> dict[Any, set[str]]:
    return {r["id"]: set(r["domains"]) for r in report["resources"]}


def circles_that_overlap(layout: dict[str, Any]) -> set[frozenset[str]]:
    return {
        frozenset((a["domain"], b["domain"]))
        for a, b in itertools.combinations(layout["regions"], 2)
        if math.dist((a["x"], a["y"]), (b["x"], b["y"])) < a["r"] + b["r"]
    }


def test_the_template_draws_only_the_overlap_its_resources_have(cli: Cli) -> None:
    assert cli("init").returncode == 0
    report = twin(cli)
    layout = report["layout"]
    assert layout["kind"] == "euler"
    assert_true_to_memberships(layout, memberships_of(report))
    assert circles_that_overlap(layout) == {frozenset({"Mathematics", "Software Engineering"})}
    (algebra,) = [m for m in layout["marks"] if m["title"] == "Computational Linear Algebra"]
    assert set(algebra["domains"]) == {"Mathematics", "Software Engineering"}


def test_the_seed_readme_imported_is_drawn_true(cli: Cli, seed_readme: str, tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(seed_readme, encoding="utf-8")
    assert cli("import", str(readme)).returncode == 0
    report = twin(cli)
    assert report["layout"]["kind"] == "euler"
    assert_true_to_memberships(report["layout"], memberships_of(report))


def test_a_readme_of_many_domains_is_a_matrix(cli: Cli) -> None:
    if not MANY_DOMAINS.is_file():
        pytest.skip(f"{MANY_DOMAINS} is absent (../shared is not beside the project)")
    assert cli("import", str(MANY_DOMAINS)).returncode == 0
    report = twin(cli)
    layout = report["layout"]
    assert len(report["domains"]) > MAX_CIRCLES
    assert layout["kind"] == "upset"
    assert f"{len(report['domains'])} domains" in layout["why"]
    assert_true_to_memberships(layout, memberships_of(report))
    assert len(layout["combinations"]) == len(
        {frozenset(r["domains"]) for r in report["resources"]}
    )


def test_domains_that_share_nothing_never_overlap() -> None:
    layout = drawn(NAMES[:6], [[name] for name in NAMES[:6] for _ in range(3)])
    assert layout["kind"] == "euler"
    assert circles_that_overlap(layout) == set()


def test_past_six_domains_the_matrix_is_drawn() -> None:
    layout = drawn(NAMES[:7], [[name] for name in NAMES[:7]])
    assert layout["kind"] == "upset"
    assert [r["shape"] for r in layout["regions"]] == ["row"] * 7


def test_a_region_too_small_for_its_resources_holds_one_mark_that_counts_them() -> None:
    layout = drawn(NAMES[:2], [NAMES[:2]] * 200 + [NAMES[:1]])
    assert layout["kind"] == "euler"
    (both,) = [m for m in layout["marks"] if len(m["domains"]) == 2]
    assert len(both["resources"]) == 200
    assert both["title"] == "200 resources"
    assert both["status"] is None
    assert_true_to_memberships(
        layout, {i: set(NAMES[:2]) for i in range(200)} | {200: set(NAMES[:1])}
    )


@pytest.mark.parametrize("count", [3, 9])
def test_marks_are_big_enough_to_tap_on_a_phone(count: int) -> None:
    layout = drawn(NAMES[:count], [NAMES[:2], NAMES[1:3], NAMES[:1]])
    assert layout["min_px_width"] <= PHONE or layout["kind"] == "upset"
    for mark in layout["marks"]:
        assert mark["size"] * layout["min_px_width"] / layout["width"] >= 24


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(min_value=1, max_value=9).flatmap(
        lambda count: st.tuples(
            st.just(NAMES[:count]),
            st.lists(
                st.sets(st.sampled_from(NAMES[:count]), min_size=1, max_size=count),
                max_size=40,
            ),
        )
    )
)
def test_random_memberships_are_drawn_true(case: tuple[list[str], list[set[str]]]) -> None:
    domains, memberships = case
    layout = drawn(domains, [sorted(m, key=domains.index) for m in memberships])
    assert_true_to_memberships(layout, dict(enumerate(memberships)))
    if len(domains) > MAX_CIRCLES:
        assert layout["kind"] == "upset"
    if layout["kind"] == "euler":
        shared = {frozenset(p) for m in memberships for p in itertools.combinations(m, 2)}
        assert circles_that_overlap(layout) <= shared


def test_the_domains_page_counts_what_every_other_page_counts(cli: Cli) -> None:
    """A specialisation counts through its courses here too, beside the same percentage."""
    assert cli("init").returncode == 0
    assert cli("done", "Linear Algebra").returncode == 0
    venn = json.loads(cli("serve", "--get", "/venn.json").stdout)
    status = json.loads(cli("status", "--json").stdout)
    counted = {d["name"]: (d.get("items", 0), d.get("items_done", 0)) for d in status["domains"]}
    drawn = {d["name"]: (d["resources"], d["done"]) for d in venn["domains"]}
    assert drawn == counted
    assert drawn["Mathematics"] == (4, 1)
