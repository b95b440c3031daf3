"""The progress block: added on the learner's word, kept current by sync, every other byte kept."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from diymasters.readme import parse_readme
from diymasters.readme.block import CLOSE, OPEN, add_block, remove_block
from diymasters.tracking import whole_percent

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Cli

README = """# My masters

Notes on why, and how.

## Mathematics

- [x] [Linear Algebra](https://example.org/la) (20 h)
- [ ] [Calculus](https://example.org/calc) (30 h)

## Statistics

- [ ] [Think Stats](https://example.org/stats)
"""


@pytest.fixture
def linked(cli: Cli) -> Path:
    """A README imported into the store, linked for syncs."""
    path = cli.home / "README.md"
    path.write_text(README, encoding="utf-8")
    assert cli("import", str(path)).returncode == 0
    return path


def outside_block(text: str) -> str:
    """The text with the block cut out: what the learner owns."""
    start, end = text.index(OPEN), text.index(CLOSE) + len(CLOSE)
    return text[:start] + text[end:]


def percent_done(cli: Cli) -> int:
    """The whole percent `status` reports, which the block must agree with."""
    return whole_percent(json.loads(cli("status", "--json").stdout)["overall"]["progress"])


def items_of(text: str) -> list[tuple[str, str]]:
    return [(i.key, i.status.value) for i in parse_readme(text.encode()).items()]


def test_a_sync_never_adds_a_block_unasked(cli: Cli, linked: Path) -> None:
    assert cli("done", "Calculus").returncode == 0
    assert cli("sync").returncode == 0
    assert OPEN not in linked.read_text(encoding="utf-8")


def test_the_block_goes_under_the_title_and_the_readme_reads_as_before(
    cli: Cli, linked: Path
) -> None:
    added = cli("readme", "block", "add")
    assert added.returncode == 0, added.stderr
    assert "The progress block was added." in added.stdout
    text = linked.read_text(encoding="utf-8")
    shown = percent_done(cli)
    headline = f"**{shown}% done**: 1 of 3 resources, 0 of ≥50 h logged."
    assert text.startswith(f"# My masters\n\n{OPEN}\n{headline}")
    assert "| Mathematics | 40% | 1 of 2 | 0 of 50 h |" in text, "20 of 50 hours done"
    assert "| Statistics | 0% | 0 of 1 | 0 h (no estimate yet) |" in text
    assert f"{CLOSE}\n\nNotes on why" in text
    assert outside_block(text).replace("# My masters\n\n\n", "# My masters\n", 1) == README
    assert items_of(text) == items_of(README), "the block adds no resource"
    assert cli("readme", "check", str(linked)).returncode == 0


def test_a_sync_changes_only_the_marks_and_the_bytes_inside_the_block(
    cli: Cli, linked: Path
) -> None:
    assert cli("readme", "block", "add").returncode == 0
    before = linked.read_text(encoding="utf-8")
    assert cli("done", "Calculus").returncode == 0
    synced = cli("sync")
    assert "The progress block was updated." in synced.stdout
    after = linked.read_text(encoding="utf-8")
    ticked = outside_block(before).replace("- [ ] [Calculus]", "- [x] [Calculus]")
    assert outside_block(after) == ticked
    assert f"**{percent_done(cli)}% done**: 2 of 3 resources" in after
    assert "| Mathematics | 100% | 2 of 2 | 0 of 50 h |" in after
    again = cli("sync", "--json")
    report = json.loads(again.stdout)
    assert (report["written"], report["progress_block"]) == (False, "current")


def test_an_edit_in_the_file_reaches_the_block_in_the_same_sync(cli: Cli, linked: Path) -> None:
    assert cli("readme", "block", "add").returncode == 0
    text = linked.read_text(encoding="utf-8")
    linked.write_text(text.replace("- [ ] [Think Stats]", "- [x] [Think Stats]"), encoding="utf-8")
    assert cli("sync").returncode == 0
    after = linked.read_text(encoding="utf-8")
    assert "| Statistics | 100% | 1 of 1 |" in after
    assert json.loads(cli("status", "--json").stdout)["overall"]["items_done"] == 2


def test_a_saved_plan_gives_the_block_its_projected_finish(cli: Cli, linked: Path) -> None:
    posting = "Required: linear algebra, calculus and statistics."
    planned = cli("plan", "--posting", "-", "--start", "2027-01-04", "--json", stdin=posting)
    finish = json.loads(planned.stdout)["finish"]
    assert cli("readme", "block", "add").returncode == 0
    assert f"Projected finish {finish}, at 8 h a week" in linked.read_text(encoding="utf-8")


def test_adding_twice_or_removing_none_is_refused_and_writes_nothing(
    cli: Cli, linked: Path
) -> None:
    removed = cli("readme", "block", "remove")
    assert removed.returncode != 0
    assert removed.stderr.count("\n") == 1
    assert "has no progress block to remove" in removed.stderr
    assert linked.read_text(encoding="utf-8") == README
    assert cli("readme", "block", "add").returncode == 0
    with_block = linked.read_text(encoding="utf-8")
    twice = cli("readme", "block", "add")
    assert twice.returncode != 0
    assert "has a progress block already" in twice.stderr
    assert linked.read_text(encoding="utf-8") == with_block


def test_removing_the_block_gives_back_the_readme_as_it_was(cli: Cli, linked: Path) -> None:
    assert cli("readme", "block", "add").returncode == 0
    removed = cli("readme", "block", "remove")
    assert "The progress block was removed." in removed.stdout
    assert linked.read_text(encoding="utf-8") == README


def test_a_dry_run_shows_the_block_and_writes_nothing(cli: Cli, linked: Path) -> None:
    shown = cli("readme", "block", "add", "--dry-run")
    assert f"+{OPEN}" in shown.stdout
    assert "The progress block would be added." in shown.stdout
    assert linked.read_text(encoding="utf-8") == README


def test_broken_markers_stop_the_sync_before_it_writes(cli: Cli, linked: Path) -> None:
    broken = README.replace("Notes on why", f"{OPEN}\nNotes on why")
    linked.write_text(broken, encoding="utf-8")
    assert cli("done", "Calculus").returncode == 0
    synced = cli("sync")
    assert synced.returncode != 0
    assert "progress block's markers" in synced.stderr
    assert linked.read_text(encoding="utf-8") == broken


def test_the_block_keeps_the_files_line_endings(cli: Cli) -> None:
    path = cli.home / "README.md"
    path.write_bytes(README.replace("\n", "\r\n").encode())
    assert cli("import", str(path)).returncode == 0
    assert cli("readme", "block", "add").returncode == 0
    data = path.read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert f"{CLOSE}\r\n\r\nNotes on why".encode() in data


def test_a_readme_without_a_title_gets_the_block_at_the_top_and_back() -> None:
    text = "- [ ] One\n"
    added = add_block(text, f"{OPEN}\n{CLOSE}", "README.md")
    assert added == f"{OPEN}\n{CLOSE}\n\n- [ ] One\n"
    assert remove_block(added, "README.md") == text
