"""The study timer in real Chromium: start a session, see it on every page, stop it, see the hours.

Time passes through the stored start (the session "began 90 minutes ago"), not by waiting.
Screenshots go to build/screenshots/study-*.png.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import TYPE_CHECKING

import pytest

from tests.conftest import WIDTHS, shoot

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

    from tests.conftest import Cli

pytestmark = pytest.mark.browser

PCA = "Principal Component Analysis"
DEEP = "Practical Deep Learning for Coders"


def started_ago(cli: Cli, minutes: float) -> None:
    """Move the stored start of the session under way back by some minutes."""
    start = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes)
    with sqlite3.connect(cli.db) as connection:
        connection.execute(
            "UPDATE study_session SET started = ?", (f"{start:%Y-%m-%d %H:%M:%S.%f}",)
        )


def start_studying(page: Page, server: str, title: str) -> None:
    page.goto(f"{server}curriculum")
    page.get_by_role("link", name=title, exact=True).click()
    page.get_by_role("button", name="Start studying").click()
    page.wait_for_url("**/resources/*?saved=*")


def curriculum_line(page: Page, server: str, title: str) -> Locator:
    """The curriculum page's line for one resource: its status, bar and hours."""
    page.goto(f"{server}curriculum")
    return page.locator(f"xpath=//li[a[normalize-space()='{title}']]")


def watched(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_a_learner_times_a_session_and_sees_its_hours(
    browser: Browser, server: str, cli: Cli
) -> None:
    page = browser.new_page(viewport=WIDTHS["desktop"])
    errors = watched(page)
    start_studying(page, server, PCA)
    banner = page.get_by_role("complementary", name="Study session")
    assert banner.inner_text().startswith(f"Studying {PCA} since ")
    assert "0 min" in banner.inner_text()
    # While it runs, no resource offers a second session.
    assert page.get_by_role("button", name="Start studying").count() == 0
    shoot(page, "study-started-desktop")

    started_ago(cli, 90)
    page.clock.install()
    page.get_by_role("link", name="Domains", exact=True).click()
    elapsed = banner.locator(".study-elapsed")
    assert elapsed.inner_text() == "1 h 30 min"
    page.clock.fast_forward("05:00")
    assert elapsed.inner_text() == "1 h 35 min"  # kept current while the page stays open
    phone = browser.new_page(viewport=WIDTHS["phone"])
    phone.goto(server)
    phone_banner = phone.get_by_role("complementary", name="Study session")
    assert phone_banner.get_by_role("button", name="Stop and log").is_visible()
    box = phone_banner.bounding_box()
    assert box is not None
    assert box["width"] <= WIDTHS["phone"]["width"]
    shoot(phone, "study-running-phone")
    phone.close()
    shoot(page, "study-running-desktop")

    banner.get_by_role("button", name="Stop and log").click()
    page.wait_for_url("**/resources/*?saved=studied")
    assert page.get_by_role("status").inner_text() == "The study session is logged below."
    assert page.get_by_role("complementary", name="Study session").count() == 0
    line = curriculum_line(page, server, PCA)
    assert "1.5 h of 18 h" in line.inner_text()
    assert line.locator(".status").first.inner_text() == "in progress"
    shoot(page, "study-stopped-desktop")
    assert errors == []


def test_a_timer_left_running_asks_for_the_hours_on_a_phone(
    browser: Browser, server: str, cli: Cli
) -> None:
    page = browser.new_page(viewport=WIDTHS["phone"])
    errors = watched(page)
    start_studying(page, server, DEEP)
    started_ago(cli, 14 * 60)
    page.goto(server)
    banner = page.get_by_role("complementary", name="Study session")
    assert "Too long to be timed" in banner.inner_text()
    shoot(page, "study-too-long-phone")

    banner.get_by_label("Hours").fill("1h45")
    banner.get_by_role("button", name="Stop and log").click()
    page.wait_for_url("**/resources/*?saved=*")
    assert "1.75 h" in curriculum_line(page, server, DEEP).inner_text()
    shoot(page, "study-too-long-logged-phone")

    start_studying(page, server, DEEP)
    page.get_by_role("button", name="Discard").click()
    page.wait_for_url("**/curriculum?saved=discarded")
    assert "discarded; nothing was logged" in page.get_by_role("status").inner_text()
    assert page.get_by_role("complementary", name="Study session").count() == 0
    assert errors == []
