"""The published site in real Chromium, opened from files as a learner would before pushing it.

No server runs: each page is opened through a file:// URL. Screenshots go to
build/screenshots/publish-*.png.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.conftest import WIDTHS, shoot
from tests.test_browser_venn import SEVEN

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Browser, Page


pytestmark = pytest.mark.browser

PAGES = ("index", "venn", "plan", "curriculum")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template curriculum with an hour logged and a saved plan, published once."""
    from tests.conftest import Cli  # noqa: PLC0415 (a module-scoped store of its own)

    root = tmp_path_factory.mktemp("published")
    (root / "home").mkdir()
    cli = Cli(db=root / "masters.db", home=root / "home")
    for command in (
        ("init",),
        ("log", "Real Python", "2.5", "--note", "Closures and decorators"),
        ("plan", "--hours-per-week", "10"),
        ("publish", str(root / "site")),
    ):
        result = cli(*command)
        assert result.returncode == 0, result.stderr
    return root / "site"


def opened(browser: Browser, site: Path, page_name: str, width: str) -> tuple[Page, list[str]]:
    """A page opened from its file, and every URL the browser asked for while drawing it."""
    page = browser.new_page(viewport=WIDTHS[width])
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto((site / f"{page_name}.html").as_uri())
    page.wait_for_load_state("load")
    return page, requested


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("page_name", PAGES)
def test_every_page_draws_from_its_own_files_and_fits_the_screen(
    browser: Browser, site: Path, page_name: str, width: str
) -> None:
    page, requested = opened(browser, site, page_name, width)
    shoot(page, f"publish-{page_name}-{width}")
    outside = [url for url in requested if not url.startswith(("file://", "data:"))]
    assert outside == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The stylesheet loaded: the header is laid out as a flex row, not the browser's default.
    assert page.locator("header.top").evaluate("e => getComputedStyle(e).display") == "flex"


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_the_overview_shows_each_domains_progress_and_the_finish(
    browser: Browser, site: Path, width: str
) -> None:
    page, _ = opened(browser, site, "index", width)
    rows = page.locator("#domains tbody tr")
    assert rows.count() == 6
    assert rows.first.locator("th").inner_text() == "Mathematics"
    assert page.locator("#overall-progress").inner_text().endswith("%")
    assert page.locator("#finish").inner_text()[:2] == "20"  # a date, from the saved plan
    assert page.locator("img.badge").evaluate("img => img.naturalWidth") > 0
    assert page.locator("#domains progress").first.is_visible()


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_the_diagram_is_drawn_and_a_mark_leads_to_the_resource(
    browser: Browser, site: Path, width: str
) -> None:
    page, _ = opened(browser, site, "venn", width)
    assert page.locator("circle.region").count() == 6
    assert page.locator("#venn-svg").bounding_box()["width"] > 300  # type: ignore[index]
    mark = page.locator('circle.dot[data-title="Computational Linear Algebra"]')
    mark.focus()
    # The served page's script lights the circles here too: it needs no server.
    assert page.locator("#venn-caption").inner_text() == (
        "Computational Linear Algebra: todo, in Mathematics, Software Engineering"
    )
    mark.click()
    page.wait_for_url("**/curriculum.html#r*")
    assert page.locator("h1").inner_text() == "Curriculum"


def test_the_plan_is_on_its_timeline_with_its_finish(browser: Browser, site: Path) -> None:
    page, _ = opened(browser, site, "plan", "desktop")
    assert page.locator(".gantt-row").count() > 0
    assert page.locator("#plan-finish").inner_text()[:2] == "20"
    assert page.locator("form").count() == 0


def test_notes_are_not_on_the_published_curriculum(browser: Browser, site: Path) -> None:
    page, _ = opened(browser, site, "curriculum", "phone")
    assert "Closures and decorators" not in page.content()
    assert page.locator("#domains, .domain").count() >= 6


def test_a_matrix_of_many_domains_scrolls_within_itself_on_a_phone(
    browser: Browser, tmp_path: Path
) -> None:
    """Past six domains the diagram is an UpSet matrix, wider than a phone: the page is not."""
    from tests.conftest import Cli  # noqa: PLC0415

    (tmp_path / "home").mkdir()
    cli = Cli(db=tmp_path / "masters.db", home=tmp_path / "home")
    readme = tmp_path / "README.md"
    readme.write_text(SEVEN, encoding="utf-8")
    for command in (("import", str(readme)), ("publish", str(tmp_path / "site"))):
        result = cli(*command)
        assert result.returncode == 0, result.stderr
    page, requested = opened(browser, tmp_path / "site", "venn", "phone")
    shoot(page, "publish-venn-upset-phone")
    assert page.locator("figure.venn-upset").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert [url for url in requested if not url.startswith(("file://", "data:"))] == []
