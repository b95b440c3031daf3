"""Honest arithmetic and estimates that arrive (issue 15, items 3 and 4), as a learner meets them.

Progress against a new plan reads "on schedule"; "(a prerequisite)" names only real ones;
every percentage comes with the resources it counts and the rule a click or `--help` away;
a ticked README item with open boxes under it is not 100%; and a resource matched to the
catalog takes the catalog's hours, naming them, unless the learner set their own.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from diymasters.catalog import load_catalog, parse_catalog, shipped_catalog_text
from diymasters.skills import load_taxonomy
from diymasters.tracking import WEIGHTING_RULE

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Cli

PCA_URL = "https://www.coursera.org/learn/pca-machine-learning"
PCA_BASIS = "catalog: Mathematics for Machine Learning: PCA, Coursera course data as copied"


def ok(cli: Cli, *args: str, db: bool = True) -> str:
    result = cli(*args, db=db)
    assert result.returncode == 0, result.stderr
    return result.stdout


def as_json(cli: Cli, *args: str) -> Any:
    return json.loads(ok(cli, *args, "--json"))


@pytest.fixture
def seeded(cli: Cli, seed_readme: str, tmp_path: Path) -> Cli:
    """The seed README imported, as the issue's learner did."""
    readme = tmp_path / "README.md"
    readme.write_text(seed_readme, encoding="utf-8")
    ok(cli, "import", str(readme))
    return cli


# --- Progress against a plan ----------------------------------------------------------------


def test_a_new_plan_reads_on_schedule_although_hours_were_logged_before_it(seeded: Cli) -> None:
    ok(seeded, "log", "Principal", "5.25")
    ok(seeded, "plan")
    progress = as_json(seeded, "progress")
    assert progress["weeks_ahead"] == 0
    assert progress["verdict"] == "on schedule"
    assert progress["hours_studied"] == 0
    assert progress["hours_studied_before"] == 5.25
    assert "5.25 h studied before it was made are not counted" in ok(seeded, "progress")


def test_hours_logged_after_the_plan_count_once(seeded: Cli) -> None:
    ok(seeded, "log", "Principal", "5.25")
    ok(seeded, "plan")
    ok(seeded, "log", "Principal", "2")
    progress = as_json(seeded, "progress")
    assert progress["hours_studied"] == 2
    studied = {item["title"]: item["studied"] for item in progress["items"]}
    assert studied["Principal Component Analysis"] == 2


def test_only_real_prerequisites_are_labelled_so(seeded: Cli) -> None:
    ok(seeded, "start", "Computational Linear Algebra")
    report = as_json(seeded, "plan", "--no-save")
    needed = {after for item in report["items"] for after in item["after"]}
    uncovering = [item for item in report["items"] if not item["covers"]]
    real = [item for item in uncovering if item["id"] in needed]
    under_way = [item for item in uncovering if item["committed"] and item["id"] not in needed]
    assert under_way, "the seed's course under way covers no target skill"
    text = ok(seeded, "plan", "--no-save")
    assert text.count("(a prerequisite)") == len(real)
    assert "(under way)" in text


# --- Percentages with their counts ------------------------------------------------------------


def test_status_shows_the_resources_done_beside_each_share(seeded: Cli) -> None:
    report = as_json(seeded, "status")
    overall = report["overall"]
    assert (overall["items"], overall["items_done"]) == (8, 2)
    assert overall["weighted_by"] == "hours where known"
    maths = report["domains"][0]
    assert (maths["name"], maths["items"], maths["items_done"]) == ("Mathematics", 4, 1)
    text = ok(seeded, "status")
    assert "2/8 done" in text
    assert "1/4 done" in text
    assert (
        f"{overall['progress']:.0%} done, weighted by estimated hours where known: "
        "2 of 8 resources done" in text
    )


def test_the_rule_is_in_the_help_of_the_commands_that_show_a_share(cli: Cli) -> None:
    for command in ("status", "show"):
        shown = " ".join(ok(cli, command, "--help", db=False).split())
        assert "weighted by their estimated hours" in shown
        assert "each part weighs as many resources as it holds" in shown
    assert "Hours studied before the plan do not count" in " ".join(
        ok(cli, "progress", "--help", db=False).split()
    )


def test_without_estimates_the_share_is_the_share_of_resources_done(
    cli: Cli, tmp_path: Path
) -> None:
    readme = tmp_path / "plain.md"
    readme.write_text(
        "# Plain\n\n## One\n\n- [x] A\n- [ ] B\n\n## Two\n\n- [ ] C\n- [ ] D\n- [ ] E\n- [ ] F\n",
        encoding="utf-8",
    )
    ok(cli, "import", str(readme))
    overall = as_json(cli, "status")["overall"]
    # One domain of two half done and one of four not started: 1 of 6 resources, not 25%.
    assert overall["progress"] == pytest.approx(1 / 6)
    assert (overall["weighted_by"], overall["items_done"], overall["items"]) == (
        "resources",
        1,
        6,
    )
    assert "17% done, counting resources (no estimates known): 1 of 6" in ok(cli, "status")


def test_a_ticked_item_with_open_boxes_under_it_is_not_done(cli: Cli, tmp_path: Path) -> None:
    """The corpus's web learning path read 100% with 2 of its 65 boxes open; now 97%."""
    readme = tmp_path / "nested.md"
    readme.write_text(
        "# Nested\n\n## Web\n\n- [x] Virtual lists\n    - [ ] Reading one\n"
        "    - [ ] Reading two\n- [x] Lazy loading\n",
        encoding="utf-8",
    )
    ok(cli, "import", str(readme))
    report = as_json(cli, "status")
    assert report["overall"]["progress"] == pytest.approx(1 / 3)
    assert (report["overall"]["items_done"], report["overall"]["items"]) == (1, 3)
    parent = report["domains"][0]["resources"][0]
    assert (parent["title"], parent["status"], parent["own_status"]) == (
        "Virtual lists",
        "in_progress",
        "done",
    )
    assert (parent["items_done"], parent["items"]) == (0, 2)


def test_the_overview_page_shows_the_counts_and_the_rule(seeded: Cli) -> None:
    page = ok(seeded, "serve", "--get", "/")
    assert "weighted by estimated hours where known · 2 of 8 resources done" in page
    assert "<summary>How is this counted?</summary>" in page
    assert WEIGHTING_RULE.split(":")[0] in page
    twin = json.loads(ok(seeded, "serve", "--get", "/overview.json"))
    assert (twin["overall"]["items_done"], twin["overall"]["items"]) == (2, 8)
    assert [d["items"] for d in twin["domains"]][:2] == [4, 3]


def test_the_curriculum_and_plan_pages_show_what_their_numbers_count(seeded: Cli) -> None:
    ok(seeded, "log", "Principal", "5.25")
    curriculum = ok(seeded, "serve", "--get", "/curriculum")
    assert "2 of 8 resources done" in curriculum
    assert 'Mathematics <span class="small">22% · 1 of 4 done</span>' in curriculum
    assert "How is this counted?" in curriculum
    ok(seeded, "plan")
    page = ok(seeded, "serve", "--get", "/plan")
    assert "0 h of" in page
    assert "studied since the plan was made" in page
    assert "The 5.25 h studied before it do not count." in page
    assert "How is progress counted?" in page


# --- Estimates that arrive --------------------------------------------------------------------


def test_an_imported_course_takes_the_catalog_hours_and_names_them(seeded: Cli) -> None:
    ok(seeded, "log", "Principal", "5.25")
    shown = as_json(seeded, "show", "Principal")
    assert shown["hours_estimated"] == 18
    assert shown["estimate_basis"].startswith(PCA_BASIS)
    assert shown["progress"] == pytest.approx(5.25 / 18)
    text = ok(seeded, "show", "Principal")
    assert "29%" in text
    assert "5.25 / 18 h" in text
    assert f"estimate: 18 h ({PCA_BASIS}" in text
    specialisation = as_json(seeded, "show", "Mathematics for Machine Learning")
    assert specialisation["hours_estimated"] == 62
    assert specialisation["estimate_basis"] == "the sum of its parts' estimates"


def test_your_own_estimate_wins_over_the_catalog(seeded: Cli) -> None:
    ok(seeded, "add", "My PCA", "--domain", "Mathematics", "--url", PCA_URL, "--hours", "30")
    shown = as_json(seeded, "show", "My PCA")
    assert (shown["hours_estimated"], shown["estimate_basis"]) == (30, "your estimate")
    lent = as_json(seeded, "add", "PCA again", "--domain", "Statistics", "--url", PCA_URL)
    assert (lent["hours_estimated"], lent["estimate_basis"][:40]) == (18, PCA_BASIS[:40])


def test_a_resource_the_catalog_does_not_know_has_no_estimate(seeded: Cli) -> None:
    shown = as_json(seeded, "show", "Real Python")
    assert (shown["hours_estimated"], shown["estimate_basis"]) == (None, None)
    assert "estimate:" not in ok(seeded, "show", "Real Python")


def test_adopted_plan_items_take_the_catalog_hours_too(cli: Cli, tmp_path: Path) -> None:
    readme = tmp_path / "mine.md"
    readme.write_text("# Mine\n\n## Mathematics\n\n- [ ] Something\n", encoding="utf-8")
    ok(cli, "import", str(readme))
    ok(cli, "plan", "--include", "coursera-mml", "--coverage", "0.01")
    added = as_json(cli, "adopt")["added"]
    assert [a["title"] for a in added] == ["Mathematics for Machine Learning Specialization"]
    shown = as_json(cli, "show", "Mathematics for Machine Learning: PCA")
    assert shown["hours_estimated"] == 18
    assert shown["estimate_basis"].startswith(PCA_BASIS)
    whole = as_json(cli, "show", "Mathematics for Machine Learning Specialization")
    assert (whole["hours_estimated"], whole["items"]) == (62, 3)


def test_the_web_resource_page_says_where_the_estimate_comes_from(seeded: Cli) -> None:
    resource_id = as_json(seeded, "show", "Principal")["id"]
    page = ok(seeded, "serve", "--get", f"/resources/{resource_id}")
    assert f"Estimate 18 h: {PCA_BASIS}" in page


def test_the_shipped_catalog_names_only_skills_of_the_shipped_taxonomy() -> None:
    """`load_catalog` leaves this check to the test, to keep `status` fast."""
    catalog, problems = parse_catalog(shipped_catalog_text(), "catalog.yaml", load_taxonomy())
    assert problems == []
    assert catalog is not None
    assert set(catalog.entries) == set(load_catalog().entries)


def test_a_share_short_of_everything_never_reads_100_percent(cli: Cli, tmp_path: Path) -> None:
    readme = tmp_path / "long.md"
    ticked = "".join(f"- [x] Done {n}\n" for n in range(300))
    readme.write_text(f"# Long\n\n## All\n\n{ticked}- [ ] The last one\n", encoding="utf-8")
    ok(cli, "import", str(readme))
    overall = as_json(cli, "status")["overall"]
    assert overall["progress"] == pytest.approx(300 / 301)
    assert "99% done" in ok(cli, "status")
    assert '<p class="figure" id="overall-progress">99%</p>' in ok(cli, "serve", "--get", "/")
