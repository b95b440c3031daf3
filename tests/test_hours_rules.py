"""Derived hours (issue 16): a stated quantity, a stated rule, and rules the learner can change.

A book's pages, a course's weeks at its hours a week, or its video time become hours by the
rules of `hours.HoursRules`; each figure names its quantity, the quantity's page and the
rule. Ranges are kept, a price names its page, and the configuration file changes the rules.
"""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING

import pytest

from diymasters import coverage, plan, recommendations
from diymasters.catalog import Catalog, parse_catalog
from diymasters.config import CONFIG_ENV, ConfigError, load_config
from diymasters.hours import DEFAULT_RULES, HoursBasis, HoursRules
from diymasters.skills import load_taxonomy

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Cli


NO_SUPPLY = coverage.Supply(frozenset(), frozenset(), frozenset(), frozenset())


def line(key: str, extra: str, kind: str = "course") -> str:
    return (
        f"  - {{id: {key}, title: {key}, provider: P, url: 'https://example.org/{key}', "
        f"kind: {kind}, level: beginner, skills: [sql]{extra}}}\n"
    )


SOURCE = ", source: 'a page, \"the words\"', read: 2026-12-02"


def parsed(*lines: str) -> tuple[Catalog | None, list[str]]:
    catalog, problems = parse_catalog("entries:\n" + "".join(lines), "c.yaml", load_taxonomy())
    return catalog, [str(p) for p in problems]


def catalog_of(*lines: str) -> Catalog:
    catalog, problems = parsed(*lines)
    assert catalog is not None, problems
    return catalog


DERIVED = catalog_of(
    line("book", ", derive: {pages: 400}" + SOURCE, kind="book"),
    line("weekly", ", derive: {weeks: 8, hours_per_week: [6, 8]}" + SOURCE),
    line("videos", ", derive: {video_hours: 3.5}" + SOURCE),
    line("lectures", ", derive: {lectures: 24, minutes: 50}" + SOURCE),
    line("ranged", ", hours: [21, 23]" + SOURCE),
)


@pytest.mark.parametrize(
    ("key", "hours", "low", "high", "why"),
    [
        ("book", 80.0, 80.0, 80.0, "400 pages at 5 pages an hour"),
        ("weekly", 56.0, 48.0, 64.0, "8 weeks at 6-8 h a week (weeks times hours a week)"),
        ("videos", 7.0, 7.0, 7.0, "3.5 h of video times 2 for the work around the videos"),
        (
            "lectures",
            40.0,
            40.0,
            40.0,
            "24 lectures of 50 min times 2 for the work around the lectures",
        ),
    ],
)
def test_a_derived_figure_names_its_quantity_its_page_and_its_rule(
    key: str, hours: float, low: float, high: float, why: str
) -> None:
    found = DERIVED.hours.of(DERIVED.get(key))
    assert (found.hours, found.low, found.high) == (hours, low, high)
    assert found.basis is HoursBasis.DERIVED
    assert found.why.startswith(why)
    assert found.why.endswith('(the quantity: a page, "the words", read 2026-12-02)')


def test_a_stated_range_is_kept_and_its_midpoint_charged() -> None:
    found = DERIVED.hours.of(DERIVED.get("ranged"))
    assert (found.hours, found.low, found.high, found.basis) == (22.0, 21, 23, HoursBasis.STATED)
    assert found.figure == "22 h (21-23)"
    assert DERIVED.get("ranged").hours_range == (21, 23)


def test_derived_figures_are_peers_for_the_typical_hours_of_their_kind() -> None:
    catalog = catalog_of(
        line("book", ", derive: {pages: 300}" + SOURCE, kind="book"),
        line("open-book", "", kind="book"),
    )
    found = catalog.hours.of(catalog.get("open-book"))
    assert (found.hours, found.basis) == (60.0, HoursBasis.TYPICAL)
    assert found.why == "median of 1 derived book, beginner"


def test_other_rules_give_other_derived_hours_and_leave_stated_ones() -> None:
    slower = dataclasses.replace(DERIVED, rules=HoursRules(pages_per_hour=10, video_factor=3))
    assert slower.hours.of(slower.get("book")).hours == 40.0
    assert slower.hours.of(slower.get("videos")).hours == 10.5
    assert slower.hours.of(slower.get("weekly")).hours == 56.0
    assert slower.hours.of(slower.get("ranged")).hours == 22.0
    assert "at 10 pages an hour" in slower.hours.of(slower.get("book")).why


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (", derive: {pages: 300}", "hours need a source"),
        (", hours: 5, derive: {pages: 300}" + SOURCE, "give hours or derive, not both"),
        (", derive: {pages: 300, weeks: 2}" + SOURCE, "derive"),
        (", derive: {weeks: 2}" + SOURCE, "derive"),
        (", hours: [30, 20]" + SOURCE, "a range is [low, high]"),
        (", cost: 49" + SOURCE, "a price needs cost_source and cost_read"),
    ],
)
def test_a_figure_without_its_basis_is_refused_at_its_line(extra: str, message: str) -> None:
    catalog, problems = parsed(line("ok", ""), line("bad", extra))
    assert catalog is None
    assert problems
    assert all(p.startswith("c.yaml:3: entries[1]") for p in problems), problems
    assert any(message in p for p in problems), problems


def test_a_price_names_its_page_and_day() -> None:
    priced = ", cost: 49.99, cost_source: 'publisher page, \"$49.99\"', cost_read: 2026-12-02"
    catalog = catalog_of(line("priced", priced, kind="book"))
    entry = catalog.get("priced")
    assert (entry.cost, entry.cost_source) == (49.99, 'publisher page, "$49.99"')
    assert entry.cost_read is not None
    assert entry.cost_read.isoformat() == "2026-12-02"


def test_the_configuration_file_changes_the_rules(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    assert load_config(path).rules == DEFAULT_RULES
    assert not load_config(path).exists
    path.write_text("[hours]\npages_per_hour = 8\nown_pace = true\n")
    config = load_config(path)
    assert config.rules == HoursRules(pages_per_hour=8, video_factor=DEFAULT_RULES.video_factor)
    assert config.own_pace


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[hours]\n\npages_per_hour = 0\n", "config.toml:3: hours.pages_per_hour: "),
        ("[hours]\npages_per_huor = 8\n", "config.toml:2: hours.pages_per_huor: "),
        ("[hours\n", "config.toml: "),
    ],
)
def test_a_wrong_setting_is_refused_with_its_file_line_and_key(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as refused:
        load_config(path)
    assert str(refused.value).startswith(f"{tmp_path}/{message}")


def test_catalog_stats_and_show_follow_the_learners_rules(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = json.loads(cli("catalog", "stats", "--json").stdout)
    assert "a book's pages at 5 pages an hour (pages_per_hour)" in before["rules"]
    path = tmp_path / "config.toml"
    path.write_text("[hours]\npages_per_hour = 10\n")
    monkeypatch.setenv(CONFIG_ENV, str(path))
    after = json.loads(cli("catalog", "stats", "--json").stdout)
    assert "a book's pages at 10 pages an hour (pages_per_hour)" in after["rules"]
    assert after["hours"] == before["hours"]
    text = cli("catalog", "stats").stdout
    assert "Derived hours follow these rules" in text
    assert "Courses, specialisations and books with stated or derived hours: " in text


def test_a_broken_configuration_is_one_line_and_a_failure(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[hours]\nvideo_factor = 'two'\n")
    monkeypatch.setenv(CONFIG_ENV, str(path))
    result = cli("catalog", "stats")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert f"{path}:2: hours.video_factor: " in result.stderr


def test_a_course_free_to_audit_costs_a_plan_nothing_and_says_what_a_certificate_costs() -> None:
    priced = ", cost: 50, cost_source: 'a page, \"$50\"', cost_read: 2026-12-02"
    catalog = catalog_of(
        line("audited", priced + ", audit: true"),
        line("paid", priced),
    )
    assert catalog.get("audited").cost_to_learn == 0.0
    assert catalog.get("paid").cost_to_learn == 50.0
    demand = coverage.Demand({"dm:sql": 1.0})

    def why(owned: str) -> str:
        """The one pick's line when the curriculum already has the other entry."""
        having = dataclasses.replace(NO_SUPPLY, entries=frozenset({owned}))
        (pick,) = recommendations.recommend(demand, having, catalog, load_taxonomy()).picks
        return pick.why

    assert why(owned="paid").endswith("free to audit ($50 with a certificate)")
    assert why(owned="audited").endswith("; $50")
    options = plan.PlanOptions(objective="cost")
    selection = plan.select(demand, NO_SUPPLY, catalog, options)
    assert [e.id for e in selection.entries] == ["audited"]
    assert [t.cost for t in plan.order(selection)] == [0.0]
