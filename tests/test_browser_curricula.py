"""Switching curricula from the web UI's header, in real Chromium, as a learner would.

At desktop width with JavaScript, and at phone width without it: the switcher is a plain form.
Screenshots go to build/screenshots/curricula-*.png.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.conftest import WIDTHS, shoot

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from tests.conftest import Cli

pytestmark = pytest.mark.browser

TEMPLATE = "ML Engineer masters"
README = "# Reading list\n\n## Maths\n\n- [x] Algebra\n- [ ] Calculus\n"


def in_use(page: Page) -> str:
    """The curriculum the header says is in use."""
    return page.locator("#curriculum-in-use option:checked").inner_text()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_a_learner_switches_curriculum_from_the_header(
    browser: Browser, server: str, cli: Cli, width: str
) -> None:
    readme = cli.db.parent / "README.md"
    readme.write_text(README, encoding="utf-8")
    assert cli("import", str(readme)).returncode == 0
    # The phone goes without JavaScript: the switcher is a plain form.
    javascript = width == "desktop"
    context = browser.new_context(java_script_enabled=javascript, viewport=WIDTHS[width])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(server)
    assert in_use(page) == "Reading list"
    assert page.locator("h1").inner_text() == "Reading list"
    shoot(page, f"curricula-header-{width}")

    page.get_by_label("Curriculum in use").select_option(TEMPLATE)
    page.get_by_role("button", name="Switch", exact=True).click()
    page.wait_for_url(f"{server}?switched")
    assert page.get_by_role("status").inner_text() == f"Now using {TEMPLATE}."
    assert in_use(page) == TEMPLATE
    assert page.locator("h1").inner_text() == TEMPLATE
    shoot(page, f"curricula-switched-{width}")

    # From another page, the switch comes back to that page, showing the other curriculum.
    page.get_by_role("link", name="Curriculum", exact=True).click()
    assert page.get_by_text("Practical Deep Learning for Coders").count() > 0
    page.get_by_label("Curriculum in use").select_option("Reading list")
    page.get_by_role("button", name="Switch", exact=True).click()
    page.wait_for_url(f"{server}curriculum?switched")
    assert in_use(page) == "Reading list"
    assert page.get_by_text("Calculus", exact=True).count() == 1
    assert page.get_by_text("Practical Deep Learning for Coders").count() == 0
    shoot(page, f"curricula-curriculum-{width}")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0

    # The command line sees the choice the page made.
    assert '"curriculum": "Reading list"' in cli("status", "--json").stdout
    assert errors == []
    context.close()


def test_a_long_curriculum_name_and_wide_tables_keep_every_page_within_a_phone(
    browser: Browser, server: str, cli: Cli
) -> None:
    readme = cli.db.parent / "README.md"
    long_name = "The DIY Machine Learning Engineer Masters, second attempt"
    readme.write_text(README, encoding="utf-8")
    assert cli("import", str(readme), "--name", long_name).returncode == 0
    assert cli("use", TEMPLATE).returncode == 0
    page = browser.new_page(viewport=WIDTHS["phone"])
    for path in ("", "venn", "curriculum", "postings", "gaps", "plan", "readme"):
        page.goto(f"{server}{path}")
        switch = page.get_by_role("button", name="Switch", exact=True).bounding_box()
        assert switch is not None
        assert switch["x"] + switch["width"] <= WIDTHS["phone"]["width"], path
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTHS["phone"]["width"], (path, width)
    shoot(page, "curricula-long-name-phone")
    page.close()
