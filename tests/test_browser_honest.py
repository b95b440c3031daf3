"""Honest numbers in real Chromium: the counts beside each share, the rule a click away, where an
estimate comes from, and a new plan on schedule (issue 15, items 3 and 4).

Screenshots at desktop and phone widths go to build/screenshots/honest-*.png.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.conftest import WIDTHS, shoot

if TYPE_CHECKING:
    from playwright.sync_api import Browser

    from tests.conftest import Cli

pytestmark = pytest.mark.browser

PCA_URL = "https://www.coursera.org/learn/pca-machine-learning"


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_a_learner_sees_what_each_number_counts_and_where_an_estimate_comes_from(
    browser: Browser, server: str, cli: Cli, width: str
) -> None:
    added = cli("add", "My PCA course", "--domain", "Mathematics", "--url", PCA_URL)
    assert added.returncode == 0, added.stderr
    assert cli("log", "My PCA course", "4.5").returncode == 0
    page = browser.new_page(viewport=WIDTHS[width])
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(server)
    basis = page.locator(".card .share-basis")
    assert "resources done" in basis.inner_text()
    rule = page.locator(".card details.rule")
    assert not rule.locator("p").is_visible()
    rule.locator("summary").click()
    assert "weighted by their estimated hours" in rule.locator("p").inner_text()
    shoot(page, f"honest-overview-{width}")

    page.get_by_role("link", name="Curriculum", exact=True).click()
    line = page.locator("xpath=//li[a[normalize-space()='My PCA course']]")
    assert "4.5 h of 18 h" in line.inner_text()
    line.get_by_role("link", name="My PCA course").click()
    estimate = page.locator(".estimate")
    assert estimate.inner_text().startswith(
        "Estimate 18 h: catalog: Mathematics for Machine Learning: PCA"
    )
    shoot(page, f"honest-resource-{width}")

    page.get_by_role("link", name="Plan", exact=True).click()
    page.get_by_role("button", name="Plan").click()
    page.wait_for_selector("#plan-studied")
    assert "on schedule" in page.locator(".figure-line").inner_text()
    studied = page.locator("#plan-studied").inner_text()
    assert studied.startswith("0 h of")
    assert "studied before it do not count" in studied
    rule = page.locator("details.rule", has_text="How is progress counted?")
    rule.locator("summary").click()
    assert "Hours studied before the plan do not count" in rule.locator("p").inner_text()
    shoot(page, f"honest-plan-{width}")
    assert errors == []
