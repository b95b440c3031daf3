"""Working from the browser (issue 15, item 7), in real Chromium, as a learner would.

Screenshots at desktop and phone widths go to build/screenshots/ (`editing-*`).
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import pytest

from tests.conftest import WIDTHS, shoot

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Browser, Locator, Page

    from tests.conftest import Cli

pytestmark = pytest.mark.browser


def no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, (page.url, overflow)


def entry(page: Page, date: str) -> Locator:
    """The line of the entries list logged on that day."""
    return page.locator(f'.entries li:has(input[name="date"][value="{date}"])')


def log(page: Page, hours: str, date: str = "", note: str = "") -> None:
    form = page.locator('form[action$="/log"]')
    form.locator('input[name="hours"]').fill(hours)
    if date:
        form.locator('input[name="date"]').fill(date)
    form.locator('input[name="note"]').fill(note)
    form.get_by_role("button", name="Log hours").click()


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_a_learner_adds_a_resource_and_corrects_its_time(
    browser: Browser, server: str, width: str
) -> None:
    page = browser.new_page(viewport=WIDTHS[width])
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server}curriculum")
    shoot(page, f"editing-curriculum-{width}")
    no_sideways_scroll(page)

    page.get_by_role("link", name="Add a resource to Statistics").click()
    page.get_by_label("Title").fill("Think Stats")
    page.get_by_label("Kind").select_option("book")
    page.get_by_label("Link").fill("https://greenteapress.com/thinkstats2/")
    page.get_by_label("Estimated hours").fill("6")
    shoot(page, f"editing-add-{width}")
    no_sideways_scroll(page)
    page.get_by_role("button", name="Add the resource").click()
    page.wait_for_url("**/resources/*?saved=yes")
    assert page.locator("h1").inner_text() == "Think Stats"
    assert "Statistics" in page.locator(".crumbs").inner_text()

    today = page.locator('input[name="date"]').first.evaluate(
        "() => new Date().toLocaleDateString('en-CA')"
    )
    log(page, "1h30", note="chapter 1")
    page.wait_for_url("**/resources/*?saved=yes")
    assert page.locator("#resource-hours").inner_text().startswith("1.5 h logged of 6 h")
    line = entry(page, today)
    line.locator('input[name="hours"]').fill("2")
    line.get_by_role("button", name="Save").click()
    page.wait_for_url("**/resources/*?saved=yes")
    assert page.locator("#resource-hours").inner_text().startswith("2 h logged")

    log(page, "1", date="2001-01-01", note="old notes")
    alert = page.get_by_role("alert")
    assert "2001-01-01 is more than a year before your first entry" in alert.inner_text()
    shoot(page, f"editing-old-date-{width}")
    no_sideways_scroll(page)
    form = page.locator('form[action$="/log"]')
    assert form.locator('input[name="hours"]').input_value() == "1"
    form.get_by_label("Yes, that date").check()
    form.get_by_role("button", name="Log hours").click()
    page.wait_for_url("**/resources/*?saved=yes")
    assert page.locator("#resource-hours").inner_text().startswith("3 h logged")
    shoot(page, f"editing-entries-{width}")
    no_sideways_scroll(page)
    entry(page, "2001-01-01").get_by_role("button", name="Remove").click()
    page.wait_for_url("**/resources/*?saved=yes")
    assert entry(page, "2001-01-01").count() == 0
    assert errors == []


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_a_learner_renames_moves_and_removes_a_resource(
    browser: Browser, server: str, width: str
) -> None:
    page = browser.new_page(viewport=WIDTHS[width])
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server}curriculum")
    page.get_by_role("link", name="Practical Deep Learning for Coders").click()
    log(page, "2")
    page.wait_for_url("**/resources/*?saved=yes")
    page.get_by_label("Title", exact=True).fill("fast.ai, part 1")
    page.get_by_role("button", name="Rename").click()
    page.wait_for_url("**/resources/*?saved=yes")
    page.get_by_label("To the domain").select_option("Python")
    page.get_by_role("button", name="Move", exact=True).click()
    page.wait_for_url("**/resources/*?saved=yes")
    assert page.locator("h1").inner_text() == "fast.ai, part 1"
    assert page.locator(".crumbs").inner_text().endswith("Python")
    shoot(page, f"editing-moved-{width}")
    no_sideways_scroll(page)

    remove = page.get_by_role("button", name="Remove from the curriculum")
    remove.click()  # the box that stands for `--yes` is not ticked: the browser holds the form
    assert "?saved=" in page.url
    page.get_by_label("Also delete").check()
    remove.click()
    page.wait_for_url("**/curriculum?saved=removed")
    assert page.get_by_role("status").inner_text() == "Removed."
    assert page.get_by_role("link", name="fast.ai, part 1").count() == 0
    shoot(page, f"editing-removed-{width}")
    assert errors == []


def test_a_part_is_added_under_a_resource_without_javascript(browser: Browser, server: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=WIDTHS["phone"])
    page = context.new_page()
    page.goto(f"{server}curriculum")
    page.get_by_role("link", name="Mathematics for Machine Learning Specialization").click()
    page.get_by_role("link", name="Add a part under this resource").click()
    page.get_by_label("Title").fill("Probability for ML")
    page.get_by_role("button", name="Add the resource").click()
    page.wait_for_url("**/resources/*?saved=yes")
    page.get_by_role("link", name="Curriculum", exact=True).first.click()
    spec = page.locator(
        "xpath=//li[a[normalize-space()='Mathematics for Machine Learning Specialization']]"
    )
    assert spec.get_by_role("link", name="Probability for ML").count() == 1
    context.close()


def test_sub_domains_sit_inside_their_domain(browser: Browser, server: str) -> None:
    page = browser.new_page(viewport=WIDTHS["desktop"])
    page.goto(f"{server}curriculum")
    outer = page.locator("section.domain:has(> h2:text-is('Software Engineering'))")
    inner = outer.locator("section.domain:has(> h3:text-is('Python'))")
    assert inner.count() == 1
    outer_box, inner_box = outer.bounding_box(), inner.bounding_box()
    assert outer_box is not None
    assert inner_box is not None
    assert inner_box["x"] > outer_box["x"]  # drawn indented, not as a sibling


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_the_plan_names_its_months_without_overlap(
    browser: Browser, server: str, width: str
) -> None:
    page = browser.new_page(viewport=WIDTHS[width])
    page.goto(f"{server}plan")
    page.locator('input[name="hours_per_week"]').fill("3")
    page.get_by_role("button", name="Plan", exact=True).click()
    page.wait_for_url("**/plan?saved=*")
    labels = page.locator(".gantt-months text")
    assert labels.count() >= 2
    boxes = [box for box in (labels.nth(i).bounding_box() for i in range(labels.count())) if box]
    axis = page.locator(".gantt-months").bounding_box()
    assert axis is not None
    for left, right in itertools.pairwise(boxes):
        assert left["x"] + left["width"] < right["x"], (left, right)
    assert boxes[-1]["x"] + boxes[-1]["width"] <= axis["x"] + axis["width"] + 1
    shoot(page, f"editing-plan-{width}")
    no_sideways_scroll(page)


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_the_readme_change_reads_beside_its_diff_and_long_lines_wrap(
    browser: Browser, server: str, cli: Cli, tmp_path: Path, width: str
) -> None:
    title = "Linear Algebra, a course title long enough to run well past the edge of a phone"
    readme = tmp_path / "README.md"
    readme.write_text(
        f"# My masters\n\n## Mathematics\n\n- [ ] [{title}](https://example.org/la)\n"
        "  *Vectors, matrices and <b>everything</b> after them.*\n- [ ] Calculus\n",
        encoding="utf-8",
    )
    assert cli("import", str(readme)).returncode == 0
    assert cli("done", "Linear Algebra").returncode == 0
    page = browser.new_page(viewport=WIDTHS[width])
    page.goto(f"{server}readme")
    diff, preview = page.locator(".hunk .diff"), page.locator(".hunk .readme-preview")
    assert title in diff.inner_text()
    assert preview.locator("li").first.inner_text().startswith(f"☑ {title}")
    assert preview.locator("b").count() == 0  # the README's HTML shows as text
    shoot(page, f"editing-readme-{width}")
    no_sideways_scroll(page)
    assert diff.evaluate("e => e.scrollWidth - e.clientWidth") <= 0  # wrapped, not cut off
    diff_box, preview_box = diff.bounding_box(), preview.bounding_box()
    assert diff_box is not None
    assert preview_box is not None
    if width == "desktop":
        assert preview_box["x"] > diff_box["x"] + diff_box["width"] - 1
    else:
        assert preview_box["y"] > diff_box["y"] + diff_box["height"] - 1
