"""The Domains page in real Chromium: marks big enough to tap, nothing drawn over anything else.

Screenshots go to build/screenshots/venn-*.png.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import pytest

from diymasters.venn import MAX_CIRCLES
from tests.conftest import WIDTHS, shoot
from tests.test_venn import MANY_DOMAINS

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Browser, FloatRect, Page

    from tests.conftest import Cli

pytestmark = pytest.mark.browser

#: A curriculum of seven domains: past what circles can keep apart.
SEVEN = "# Seven domains\n" + "".join(
    f"\n## {domain}\n- [{'x' if done else ' '}] {title}\n"
    for domain, title, done in [
        ("Mathematics", "Linear Algebra", True),
        ("Statistics", "Think Stats", False),
        ("Programming", "Real Python", False),
        ("Databases", "Database Internals", False),
        ("Networks", "Computer Networking", False),
        ("Security", "Security Engineering", False),
        ("Writing", "On Writing Well", False),
    ]
)


def boxes(page: Page, selector: str) -> list[FloatRect]:
    found = [element.bounding_box() for element in page.locator(selector).all()]
    assert all(box is not None for box in found), selector
    return [box for box in found if box is not None]


def overlap(a: FloatRect, b: FloatRect) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def assert_nothing_overlaps(page: Page) -> None:
    marks, labels = boxes(page, "#venn-svg .dot"), boxes(page, "#venn-svg .region-label")
    assert marks
    assert labels
    for a, b in itertools.combinations(marks, 2):
        assert not overlap(a, b), (a, b)
    for a, b in itertools.combinations(labels, 2):
        assert not overlap(a, b), (a, b)
    for a, b in itertools.product(labels, marks):
        assert not overlap(a, b), (a, b)


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_the_template_draws_true_circles_with_marks_to_tap(
    browser: Browser, server: str, width: str
) -> None:
    page = browser.new_page(viewport=WIDTHS[width])
    page.goto(f"{server}venn")
    shoot(page, f"venn-euler-{width}")
    assert page.locator("circle.region").count() == 6
    assert_nothing_overlaps(page)
    if width == "phone":
        for mark in boxes(page, "#venn-svg .dot"):
            assert mark["width"] >= 24
            assert mark["height"] >= 24
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_a_mark_names_its_resource_and_domains_and_leads_to_it(
    browser: Browser, server: str
) -> None:
    page = browser.new_page(viewport=WIDTHS["phone"])
    page.goto(f"{server}venn")
    mark = page.locator('circle.dot[data-title="Computational Linear Algebra"]')
    assert mark.locator("title").text_content() == (
        "Computational Linear Algebra — todo; Mathematics, Software Engineering"
    )
    mark.focus()
    assert page.locator("#venn-caption").inner_text() == (
        "Computational Linear Algebra: todo, in Mathematics, Software Engineering"
    )
    lit = page.locator("circle.region.active")
    assert sorted(lit.evaluate_all("all => all.map(c => c.dataset.domain)")) == [
        "Mathematics",
        "Software Engineering",
    ]
    mark.click()
    page.wait_for_url("**/curriculum#r*")
    assert page.locator("h1").inner_text() != ""


def test_progress_of_each_domain_reads_with_its_counts(browser: Browser, server: str) -> None:
    page = browser.new_page(viewport=WIDTHS["desktop"])
    page.goto(f"{server}venn")
    row = page.locator(".domain-progress li", has_text="Software Engineering")
    assert row.locator(".domain-share").inner_text().endswith("%")
    assert row.locator(".domain-counts").inner_text() == "1 of 3 resources done"
    empty = page.locator(".domain-progress li", has_text="Statistics")
    assert empty.locator(".domain-counts").inner_text() == "nothing here yet"


def test_the_legend_draws_each_status_as_the_diagram_does(browser: Browser, server: str) -> None:
    page = browser.new_page(viewport=WIDTHS["desktop"])
    page.goto(f"{server}venn")
    look = "e => [getComputedStyle(e).fill, getComputedStyle(e).strokeWidth]"
    for status in ("todo", "in_progress", "done"):
        drawn = page.locator(f"#venn-svg .dot-{status}").first.evaluate(look)
        assert page.locator(f".legend .dot-{status}").evaluate(look) == drawn, status


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_seven_domains_are_a_matrix_that_scrolls_within_itself(
    browser: Browser, server: str, cli: Cli, tmp_path: Path, width: str
) -> None:
    readme = tmp_path / "seven.md"
    readme.write_text(SEVEN, encoding="utf-8")
    assert cli("import", str(readme)).returncode == 0
    page = browser.new_page(viewport=WIDTHS[width])
    page.goto(f"{server}venn")
    shoot(page, f"venn-upset-{width}")
    assert page.locator("circle.region").count() == 0
    assert page.locator("line.row").count() == 7
    assert page.locator("circle.member").count() == 7
    assert_nothing_overlaps(page)
    for mark in boxes(page, "#venn-svg .dot"):
        assert mark["width"] >= 24
        assert mark["height"] >= 24
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_a_readme_of_many_domains_reads_as_a_matrix(
    browser: Browser, server: str, cli: Cli, width: str
) -> None:
    if not MANY_DOMAINS.is_file():
        pytest.skip(f"{MANY_DOMAINS} is absent (../shared is not beside the project)")
    assert cli("import", str(MANY_DOMAINS)).returncode == 0
    page = browser.new_page(viewport=WIDTHS[width])
    page.goto(f"{server}venn")
    shoot(page, f"venn-many-{width}")
    assert page.locator("line.row").count() > MAX_CIRCLES
    assert_nothing_overlaps(page)
    for mark in boxes(page, "#venn-svg .dot"):
        assert mark["width"] >= 24
        assert mark["height"] >= 24
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
