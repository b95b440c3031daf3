"""READMEs that count progress in parts: "(3/5)", "3 of 5 lectures" (issue 15, item 8)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diymasters import readme
from diymasters.masters import Masters
from diymasters.model import (
    MAX_PARTS,
    InvalidValueError,
    Parts,
    Resource,
    Status,
    TimeEntry,
    rollup,
)
from diymasters.readme import ReadmeConflictError, parse_text
from tests.conftest import SHARED, WIDTHS, shoot

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Browser

    from diymasters.readme import ReadmeItem
    from diymasters.store import Store
    from tests.conftest import Cli

CORPUS = SHARED / "corpus" / "readmes"
CORPUS_FILES = sorted(CORPUS.glob("*.md")) if CORPUS.is_dir() else []


def only_item(line: str) -> ReadmeItem:
    (item,) = parse_text(f"# M\n\n## Maths\n{line}\n", "test.md").items()
    return item


# --- Reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "title", "parts"),
    [
        ("- [ ] Linear Algebra (3/5)", "Linear Algebra", Parts(3, 5)),
        ("- [ ] Linear Algebra [3/5]", "Linear Algebra", Parts(3, 5)),
        ("- [ ] Linear Algebra (3 of 5)", "Linear Algebra", Parts(3, 5)),
        ("- [ ] Linear Algebra 3/5 done", "Linear Algebra", Parts(3, 5)),
        ("- [ ] Linear Algebra 3 of 5 lectures", "Linear Algebra", Parts(3, 5)),
        ("- [ ] Linear Algebra (3/5 chapters)", "Linear Algebra", Parts(3, 5)),
        ("- [ ] Linear Algebra: 3 / 5 videos watched  ", "Linear Algebra", Parts(3, 5)),
        ("- [ ] Linear Algebra - 7/20 chapters", "Linear Algebra", Parts(7, 20)),
        ("- [ ] Linear Algebra — 7 of 20 chapters", "Linear Algebra", Parts(7, 20)),
        ("- [ ] [Linear Algebra](https://la.example) (3/5)", "Linear Algebra", Parts(3, 5)),
        ("- [Linear Algebra](https://la.example) 1 of 1 course", "Linear Algebra", Parts(1, 1)),
        ("- [ ] Linear Algebra (0/5)", "Linear Algebra", Parts(0, 5)),
        ("[Linear Algebra](https://la.example) (3/5)", "Linear Algebra", Parts(3, 5)),
    ],
)
def test_a_count_ending_an_item_is_its_parts_done_and_leaves_its_title(
    line: str, title: str, parts: Parts
) -> None:
    item = only_item(line)
    assert (item.title, item.parts) == (title, parts)


@pytest.mark.parametrize(
    "line",
    [
        # Prose and links of the corpus (coding-interview-university, mybatis-test, p1xt).
        "- [ ] Among balanced search trees, AVL and 2/3 trees",
        "- [ ] Keep the 80/20 rule in mind when estimating",
        "- [ ] when popping an item, if the size is 1/4 of capacity",
        "- [x] [MyBatis技术内幕  徐郡明  2017/07](https://pan.baidu.com/s/1)",
        "> - [x] [MyBatis 3 源码深度解析  江荣波  2019/10]",
        "- [ ] mybatis源码研究-2019/12/04-2019/12/09",
        "- [ ] [Discrete Mathematics](https://nptel.ac.in/courses/106/106/106106183/)",
        "- [ ] Book: [Bayesian Methods](https://link.springer.com/book/10.1007/978-981-10)",
        # Shapes a count is not.
        "- [ ] Over-counted (6/5)",
        "- [ ] Nothing in all (0/0)",
        "- [ ] Leading zero (03/5)",
        "- [ ] An academic year (2019/2020)",
        "- [ ] More than a README can count (120/1000 pages)",
        "- [ ] Bare numbers 3/5",
        "- [ ] Unclosed (3/5",
        "- [ ] Mismatched (3/5]",
        "- [ ] Not at the end (3/5) of the line",
        "- [ ] Glued to its word Chapter(3/5)",
    ],
)
def test_text_that_only_looks_like_a_count_is_not_one(line: str) -> None:
    item = only_item(line)
    assert item.parts is None
    assert item.status is (Status.DONE if "[x]" in line else Status.TODO)


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name[:48])
def test_no_corpus_readme_has_a_count_misread_and_each_still_round_trips(path: Path) -> None:
    # The corpus writes no counts beside items (a survey found none): any read is a misreading.
    data = path.read_bytes()
    document = readme.parse_readme(data, str(path))
    assert [item.title for item in document.items() if item.count is not None] == []
    assert readme.check(data).identical


@pytest.mark.parametrize(
    ("box", "count", "status"),
    [
        (" ", "(2/5)", Status.IN_PROGRESS),
        (" ", "(5/5)", Status.IN_PROGRESS),
        (" ", "(0/5)", Status.TODO),
        ("x", "(2/5)", Status.DONE),
        ("-", "(0/5)", Status.IN_PROGRESS),
    ],
)
def test_an_empty_box_with_a_part_done_reads_begun_and_only_a_tick_reads_done(
    box: str, count: str, status: Status
) -> None:
    assert only_item(f"- [{box}] Course {count}").status is status


# --- Writing back ----------------------------------------------------------------------------

SHAPES = """# My masters

## Maths
- [ ] Linear Algebra (3/5)
- [x] [Calculus](https://c.example) [2 of 4]
- [ ] Statistics 3 of 5 lectures\r
- [ ] Probability 3/5 done \x20
- [ ] Optimisation
"""


def test_each_count_round_trips_byte_for_byte() -> None:
    data = SHAPES.encode()
    report = readme.check(data)
    assert report.identical
    assert report.conventions["count of parts beside item"] == 4


def test_a_changed_count_is_written_in_its_own_form_and_nothing_else_moves() -> None:
    document = parse_text(SHAPES)
    keys = {item.title: item.key for item in document.items()}
    changed = {
        keys["Linear Algebra"]: Parts(4, 5),
        keys["Calculus"]: Parts(3, 4),
        keys["Statistics"]: Parts(10, 12),
        keys["Probability"]: Parts(5, 5),
        keys["Optimisation"]: Parts(1, 3),
    }
    text = document.edited({}, parts=changed)
    assert text == (
        SHAPES.replace("(3/5)", "(4/5)")
        .replace("[2 of 4]", "[3 of 4]")
        .replace("3 of 5 lectures", "10 of 12 lectures")
        .replace("3/5 done", "5/5 done")
        .replace("Optimisation", "Optimisation (1/3)")
    )
    assert {item.title: item.parts for item in parse_text(text).items()} == {
        "Linear Algebra": Parts(4, 5),
        "Calculus": Parts(3, 4),
        "Statistics": Parts(10, 12),
        "Probability": Parts(5, 5),
        "Optimisation": Parts(1, 3),
    }


def test_a_count_new_to_the_file_copies_the_files_first_brackets_and_separator() -> None:
    document = parse_text("## Maths\n- [ ] Algebra [2 of 4]\n- [ ] Calculus  \n")
    calculus = next(item for item in document.items() if item.title == "Calculus")
    assert document.edited({}, parts={calculus.key: Parts(1, 3)}).endswith(
        "- [ ] Calculus [1 of 3]  \n"
    )


_SHAPE = st.sampled_from(
    ["({}/{})", "[{} of {}]", "({} / {} lectures)", "{}/{} done", "{} of {} videos"]
)
_PARTS = st.integers(min_value=1, max_value=MAX_PARTS).flatmap(
    lambda total: st.builds(Parts, st.integers(min_value=0, max_value=total), st.just(total))
)


@settings(max_examples=200)
@given(_SHAPE, _PARTS, _PARTS, st.sampled_from(["", "  ", "\t"]), st.sampled_from(["\n", "\r\n"]))
def test_any_count_is_read_and_rewritten_in_its_shape_with_nothing_else_moved(
    shape: str, before: Parts, after: Parts, trailing: str, newline: str
) -> None:
    line = f"- [ ] [Course](https://c.example) {shape.format(before.done, before.total)}"
    text = newline.join(["## Maths", line + trailing, "- [ ] Next", ""])
    document = parse_text(text)
    item = next(document.items())
    assert item.parts == before
    assert document.render({}, {item.key: before}) == text.encode()
    rewritten = document.edited({}, parts={item.key: after})
    expected = f"- [ ] [Course](https://c.example) {shape.format(after.done, after.total)}"
    assert rewritten == text.replace(line, expected)
    assert next(parse_text(rewritten).items()).parts == after


@pytest.mark.parametrize(
    "line",
    [
        "- [ ] Course (60 h)",
        "> - [ ] Course",
        "1. [ ] **Course**",
        "- [ ] Course  ",
        "- [ ] `code` Course",
        "- [ ] Course <!-- note -->",
        "- [ ] [Course](https://u.example) — by X",
        "* [x] Course ✅",
        "- [ ] Course (in progress)",
        "- [ ] ~~Course~~",
        "- [Course](https://u.example)",
        "[Course](https://u.example)",
        "- [ ] Course\n  *What it teaches.*",
        "- [ ] Course\n  - [ ] Its first part",
    ],
)
def test_a_count_added_to_any_item_reads_back_on_the_same_item(line: str) -> None:
    # Were it not read back, every sync would add it again.
    document = parse_text(f"## Maths\n{line}\n- [ ] Other\n")
    before = list(document.items())
    added = parse_text(document.edited({}, parts={before[0].key: Parts(1, 2)}))
    assert [item.key for item in added.items()] == [item.key for item in before]
    assert next(added.items()).parts == Parts(1, 2)


# --- Progress --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "parts", "progress"),
    [
        (Status.IN_PROGRESS, Parts(3, 5), 0.6),
        (Status.IN_PROGRESS, Parts(5, 5), 0.99),
        (Status.DROPPED, Parts(1, 4), 0.25),
        (Status.DONE, Parts(3, 5), 1.0),
        (Status.TODO, Parts(0, 5), 0.0),
    ],
)
def test_counted_parts_are_the_progress_until_the_box_is_ticked(
    status: Status, parts: Parts, progress: float
) -> None:
    course = Resource("Course", status=status, parts=parts, estimated_hours=10)
    assert rollup(course).progress == pytest.approx(progress)
    # The learner's count is their word over the hours logged against the estimate.
    logged = dataclasses.replace(course, time_entries=(TimeEntry(dt.date(2024, 3, 1), 8),))
    assert rollup(logged).progress == rollup(course).progress


@pytest.mark.parametrize(("done", "total"), [(6, 5), (0, 0), (-1, 5), (1, 1000)])
def test_a_count_no_learner_can_have_is_refused(done: int, total: int) -> None:
    with pytest.raises(InvalidValueError):
        Parts(done, total)


# --- Sync, both ways -------------------------------------------------------------------------


@pytest.fixture
def linked(tmp_path: Path, store: Store) -> tuple[Masters, Path]:
    path = tmp_path / "README.md"
    path.write_bytes(SHAPES.encode())
    masters = Masters(store)
    masters.import_readme(path)
    return masters, path


def parts_of(masters: Masters) -> dict[str, Parts | None]:
    return {r.title: r.parts for r in masters.curriculum().all_resources()}


def test_import_stores_each_count_and_a_sync_with_nothing_changed_writes_nothing(
    linked: tuple[Masters, Path],
) -> None:
    masters, path = linked
    assert parts_of(masters) == {
        "Linear Algebra": Parts(3, 5),
        "Calculus": Parts(2, 4),
        "Statistics": Parts(3, 5),
        "Probability": Parts(3, 5),
        "Optimisation": None,
    }
    assert masters.show("Linear Algebra").progress == pytest.approx(0.6)
    assert masters.sync().written is False
    assert path.read_bytes() == SHAPES.encode()


def test_a_count_edited_in_the_file_reaches_the_store(linked: tuple[Masters, Path]) -> None:
    masters, path = linked
    path.write_bytes(SHAPES.replace("(3/5)", "(4/6)").replace("[2 of 4]", "").encode())
    result = masters.sync()
    assert set(result.from_file) == {"Linear Algebra", "Calculus"}
    assert parts_of(masters)["Linear Algebra"] == Parts(4, 6)
    assert parts_of(masters)["Calculus"] is None
    assert masters.sync().from_file == ()


def test_a_count_changed_in_the_app_reaches_the_file_in_its_own_form(
    linked: tuple[Masters, Path],
) -> None:
    masters, path = linked
    masters.parts("Linear Algebra", 4)
    masters.parts("Statistics", 4, 5)
    masters.parts("Optimisation", 2, 7)
    result = masters.sync()
    assert result.to_file == ("Linear Algebra", "Statistics", "Optimisation")
    assert path.read_bytes() == (
        SHAPES.replace("(3/5)", "(4/5)")
        .replace("3 of 5 lectures", "4 of 5 lectures")
        .replace("Optimisation", "Optimisation (2/7)")
        .encode()
    )
    assert masters.sync().written is False


def test_a_count_changed_on_both_sides_is_a_conflict_and_nothing_is_lost(
    linked: tuple[Masters, Path],
) -> None:
    masters, path = linked
    masters.parts("Linear Algebra", 4)
    path.write_bytes(SHAPES.replace("(3/5)", "(1/5)").encode())
    with pytest.raises(ReadmeConflictError, match=r"README: 1 of 5 parts, diymasters: 4 of 5"):
        masters.sync()
    assert parts_of(masters)["Linear Algebra"] == Parts(4, 5)
    assert b"(1/5)" in path.read_bytes()


def test_a_resource_added_in_the_app_with_a_count_is_written_with_it(
    linked: tuple[Masters, Path],
) -> None:
    masters, path = linked
    masters.add(Resource("Geometry", parts=Parts(1, 2)), domain="Maths")
    masters.sync()
    assert path.read_text().endswith("- [ ] Optimisation\n- [ ] Geometry (1/2)\n")
    assert masters.sync().written is False


def test_marking_a_counted_resource_to_do_again_zeroes_its_count_in_the_file(
    linked: tuple[Masters, Path],
) -> None:
    masters, path = linked
    assert masters.show("Linear Algebra").status is Status.IN_PROGRESS
    changed = masters.set_status("Linear Algebra", Status.TODO)
    assert (changed.status, changed.parts, changed.progress) == (Status.TODO, Parts(0, 5), 0)
    masters.sync()
    assert b"- [ ] Linear Algebra (0/5)\n" in path.read_bytes()
    assert masters.sync().written is False
    assert masters.show("Linear Algebra").status is Status.TODO


# --- The command line ------------------------------------------------------------------------


def test_parts_counts_progress_shows_it_and_autosync_writes_it(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_text("# M\n\n## Maths\n- [ ] Linear Algebra (0/5)\n- [ ] Calculus\n")
    assert cli("import", str(path)).returncode == 0
    assert cli("readme", "autosync", "on").returncode == 0
    changed = json.loads(cli("parts", "Linear", "3", "--json").stdout)
    assert changed["parts"] == {"done": 3, "total": 5}
    assert (changed["status"], changed["progress"]) == ("in_progress", 0.6)
    assert changed["readme"]["written"] is True
    assert path.read_text() == "# M\n\n## Maths\n- [ ] Linear Algebra (3/5)\n- [ ] Calculus\n"
    assert "3 of 5 parts" in cli("status").stdout
    assert "3 of 5 parts" in cli("show", "Linear").stdout
    again = cli("parts", "Linear", "3 of 5")
    assert "already counts 3 of 5 parts; nothing changed" in again.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("Calculus", "2"), "Calculus' has no count yet"),
        (("Linear", "6/5"), "parts done 6 must be between 0 and the 5 in all"),
        (("Linear", "0/0"), "parts in all 0 must be from 1 to 999"),
        (("Linear", "three"), "is not a count of parts"),
    ],
)
def test_a_count_that_cannot_be_is_refused_in_one_line(
    cli: Cli, tmp_path: Path, args: tuple[str, str], message: str
) -> None:
    path = tmp_path / "README.md"
    path.write_text("# M\n\n## Maths\n- [ ] Linear Algebra (0/5)\n- [ ] Calculus\n")
    cli("import", str(path))
    result = cli("parts", *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert json.loads(cli("show", "Linear", "--json").stdout)["parts"] == {"done": 0, "total": 5}


# --- The browser -----------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_curriculum_page_shows_the_parts_a_progress_bar_stands_for(
    browser: Browser, server: str, cli: Cli, width: str
) -> None:
    assert cli("parts", "Principal", "3/8").returncode == 0
    page = browser.new_page(viewport=WIDTHS[width])
    page.goto(f"{server}curriculum")
    title = "Principal Component Analysis"
    summary = page.locator(f"xpath=//li[a[normalize-space()='{title}']]")
    assert "3 of 8 parts" in summary.locator(".small").first.inner_text()
    assert summary.locator("progress").get_attribute("value") == "0.375"
    summary.scroll_into_view_if_needed()
    shoot(page, f"fractions-curriculum-{width}")
    twin = page.request.get(f"{server}curriculum.json").json()
    assert titled(twin, title)["parts"] == {"done": 3, "total": 8}
    page.close()


def titled(data: object, title: str) -> dict[str, object]:
    """The object of a page's JSON twin with that title, at any depth."""
    if isinstance(data, dict):
        if data.get("title") == title:
            return data
        data = list(data.values())
    for value in data if isinstance(data, list) else ():
        try:
            return titled(value, title)
        except LookupError:
            continue
    raise LookupError(title)


def test_the_resource_page_shows_the_parts_its_share_stands_for(cli: Cli) -> None:
    assert cli("init").returncode == 0
    assert cli("parts", "Principal", "3/8").returncode == 0
    resource_id = json.loads(cli("show", "Principal", "--json").stdout)["id"]
    # A process of its own: this module's browser keeps an event loop running in this one.
    page = cli.subprocess("serve", "--get", f"/resources/{resource_id}").stdout
    assert '<span class="small" id="resource-basis">3 of 8 parts</span>' in page
