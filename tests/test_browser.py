"""The web UI in real Chromium against a real `diymasters serve`, used as a person would.

Screenshots of every page, at desktop and phone widths, go to build/screenshots/.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import WIDTHS, shoot

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

pytestmark = pytest.mark.browser

POSTING = (
    "Machine Learning Engineer\n\nRequirements:\n- Strong Python and PyTorch\n"
    "- Linear algebra, statistics and probability\n\nNice to have: Kubernetes, C++."
)


def domain_progress(page: Page, domain: str) -> float:
    value = page.locator(f'progress[data-domain="{domain}"]').get_attribute("value")
    assert value is not None
    return float(value)


def resource(page: Page, title: str) -> Locator:
    """The curriculum's line for one resource, not the specialisation around it."""
    return page.locator(f"xpath=//ul[@class='tree']/li[a[normalize-space()='{title}']]")


def open_resource(page: Page, title: str) -> Locator:
    """Follow the curriculum's link to the resource's own page, where its forms are."""
    page.get_by_role("link", name=title, exact=True).click()
    page.wait_for_url("**/resources/*")
    return page.locator("main")


def test_a_learner_finishes_a_course_logs_hours_and_sees_it_move(
    browser: Browser, server: str
) -> None:
    page = browser.new_page(viewport=WIDTHS["desktop"])
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(server)
    before = page.locator("#overall-progress").inner_text()
    page.goto(f"{server}venn")
    progress_before = domain_progress(page, "Deep Learning")

    page.get_by_role("link", name="Curriculum", exact=True).click()
    item = open_resource(page, "Practical Deep Learning for Coders")
    item.locator('select[name="status"]').select_option("done")
    item.get_by_role("button", name="Set status").click()
    page.wait_for_url("**/resources/*?saved=yes")
    assert page.get_by_role("status").inner_text() == "Saved."
    assert item.locator(".figure-line .status").inner_text() == "done"
    page.get_by_role("link", name="Curriculum", exact=True).first.click()
    title = "Practical Deep Learning for Coders"
    assert resource(page, title).locator(".status").inner_text() == "done"

    form = open_resource(page, "Linear Algebra").locator('form[action$="/log"]')
    form.locator('input[name="hours"]').fill("2.5")
    form.locator('input[name="note"]').fill("week 1 quiz")
    form.get_by_role("button", name="Log hours").click()
    page.wait_for_url("**/resources/*?saved=yes")

    page.get_by_role("link", name="Overview", exact=True).click()
    after = page.locator("#overall-progress").inner_text()
    assert int(after.rstrip("%")) > int(before.rstrip("%"))
    assert page.locator("#hours-week").inner_text() == "2.5 h"
    assert "week 1 quiz" in page.locator(".activity").inner_text()

    page.get_by_role("link", name="Domains", exact=True).click()
    assert domain_progress(page, "Deep Learning") > progress_before
    dot = page.locator('circle.dot[data-title="Practical Deep Learning for Coders"]')
    assert "dot-done" in (dot.get_attribute("class") or "")
    dot.hover()
    assert "Practical Deep Learning for Coders: done" in page.locator("#venn-caption").inner_text()
    assert errors == []


def test_a_pasted_posting_shows_its_skills_and_a_plan_downloads(
    browser: Browser, server: str
) -> None:
    page = browser.new_page(viewport=WIDTHS["desktop"])
    page.goto(f"{server}postings")
    page.locator("#posting-text").fill(POSTING)
    page.get_by_role("button", name="Find the skills").click()
    marked = page.locator("#highlighted mark").all_inner_texts()
    assert {"Python", "PyTorch", "Linear algebra", "statistics", "Kubernetes"} <= set(marked)
    assert page.locator("[data-coverage]").count() == 1

    page.get_by_role("link", name="Plan", exact=True).click()
    page.wait_for_url("**/plan")
    assert "There is no saved plan yet" in page.locator("main").inner_text()
    page.locator('input[name="hours_per_week"]').fill("6")
    page.get_by_role("button", name="Plan", exact=True).click()
    page.wait_for_url("**/plan?saved=*")
    rows = page.locator(".gantt-row")
    assert rows.count() > 0
    assert page.locator(".gantt-bar rect").count() == rows.count()
    finish = page.locator("#plan-finish").inner_text()
    assert finish in page.locator("#timeline-caption").inner_text()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the calendar (ICS)").click()
    saved = Path(download.value.path())
    assert saved.read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_a_pasted_postings_picks_each_close_new_gaps_and_the_cheapest_set_is_a_tick_away(
    browser: Browser, server: str
) -> None:
    page = browser.new_page(viewport=WIDTHS["desktop"])
    page.goto(f"{server}postings")
    page.locator("#posting-text").fill(
        "Requirements:\n- Machine learning, statistics, Kubernetes and data pipelines\n"
    )
    page.get_by_role("button", name="Find the skills").click()
    picks = page.locator(".recommendations > li").all_inner_texts()
    closed = [line.split("closes ", 1)[1].split(" (", 1)[0] for line in picks]
    assert len(closed) >= 3
    assert len(set(closed)) == len(closed)
    assert "Also teaches " in page.locator(".recommendations").inner_text()
    assert "adds the most" in page.locator(".recommended-by").inner_text()
    page.get_by_label("Recommend the least-hours set that closes every gap").check()
    page.get_by_role("button", name="Find the skills").click()
    assert "least-hours set" in page.locator(".recommended-by").inner_text()


def test_the_forms_work_without_javascript(browser: Browser, server: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=WIDTHS["phone"])
    page = context.new_page()
    page.goto(f"{server}curriculum")
    item = open_resource(page, "Computational Linear Algebra")
    form = item.locator('form[action$="/note"]')
    form.locator("textarea").fill("Start with **lesson 1**")
    form.get_by_role("button", name="Add note").click()
    page.wait_for_url("**/resources/*?saved=yes")
    assert item.locator(".notes strong").inner_text() == "lesson 1"
    context.close()


def test_a_posting_s_gaps_show_every_figure_on_a_phone_without_scrolling_the_table(
    browser: Browser, server: str
) -> None:
    """A heading kept on one line ("Share of postings") pushed the figures off the screen."""
    page = browser.new_page(viewport=WIDTHS["phone"])
    page.goto(f"{server}postings")
    page.locator("#posting-text").fill(POSTING)
    page.get_by_role("button", name="Find the skills").click()
    tables = page.locator("main table")
    assert tables.count() >= 2
    for index in range(tables.count()):
        table = tables.nth(index)
        hidden = table.evaluate("t => t.scrollWidth - t.clientWidth")
        assert hidden <= 0, (table.locator("thead").inner_text(), hidden)


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_every_page_draws_at_desktop_and_phone_width(
    browser: Browser, server: str, width: str
) -> None:
    page = browser.new_page(viewport=WIDTHS[width])
    page.goto(f"{server}postings")
    page.locator("#posting-text").fill(POSTING)
    page.get_by_role("button", name="Find the skills").click()
    shoot(page, f"postings-pasted-{width}")
    page.goto(f"{server}plan")
    page.get_by_role("button", name="Plan", exact=True).click()
    for path in ("", "venn", "curriculum", "readme", "postings", "gaps", "plan"):
        page.goto(f"{server}{path}")
        shoot(page, f"{path or 'overview'}-{width}")
        # Nothing may be wider than the screen: a phone would scroll sideways.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (path, overflow)
        assert page.locator("h1").count() == 1
