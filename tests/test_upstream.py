"""Merging a curated README's upstream changes into a copy with the learner's ticks."""

from __future__ import annotations

import json
import random
import subprocess
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diymasters.readme import parse_text
from diymasters.readme.upstream import _items as items_of
from diymasters.readme.upstream import diff, link_key, match_items, merge, unticked
from tests.conftest import SHARED

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from tests.conftest import Cli

READMES = SHARED / "corpus" / "readmes"
CIU = "jwasham__coding-interview-university__README"
DSM = "datasciencemasters__go__transcripts--scott-davis-transcript"
ROADMAP = "csc-bo__csc-bo.github.io__blog--content--posts--roadmap_ml"
NOTES = "danielkaczmarczyk__dk-cs-notes__README"
HISTORIES = [
    (f"{CIU}@5bb0e29.md", f"{CIU}@0b4ae9b.md"),
    (f"{CIU}@0b4ae9b.md", f"{CIU}.md"),
    (f"{CIU}@5bb0e29.md", f"{CIU}.md"),
    (f"{DSM}@a67da2a.md", f"{DSM}@bd079aa.md"),
    (f"{DSM}@bd079aa.md", f"{DSM}.md"),
    (
        "MichaelCade__90DaysOfDevOps__README@5e0458f.md",
        "MichaelCade__90DaysOfDevOps__README@63dc4a7.md",
    ),
    (f"{ROADMAP}@6d7a062.md", f"{ROADMAP}.md"),
    (f"{NOTES}@d62ea95.md", f"{NOTES}.md"),
]


def read(name: str) -> str:
    path = READMES / name
    if not path.is_file():
        pytest.skip(f"{path} is absent (../shared is not beside the project)")
    return path.read_text(encoding="utf-8")


def tick(text: str, rng: random.Random, share: float = 0.4) -> str:
    """A learner's progress: a random share of the boxes ticked, a few marked in progress."""
    boxes = [i.marker for i in parse_text(text).items() if i.marker is not None]
    edits = [
        (m.start, m.end, "x" if rng.random() < 0.85 else "~") for m in boxes if rng.random() < share
    ]
    for start, end, mark in sorted(edits, reverse=True):
        text = text[:start] + mark + text[end:]
    return text


def marks(text: str) -> dict[int, str]:
    return {n: i.item.marker.text for n, i in enumerate(items_of(text)) if i.item.marker}


@pytest.mark.parametrize(("old", "new"), HISTORIES, ids=[new for _, new in HISTORIES])
def test_real_histories_keep_every_tick_on_a_surviving_item(old: str, new: str) -> None:
    base, upstream = unticked(read(old)), unticked(read(new))
    mine = tick(base, random.Random(old))
    merged = merge(base, mine, upstream)
    assert merged.conflicts == ()
    # The file is upstream's text, box for box, apart from the learner's marks.
    assert unticked(merged.text) == upstream
    yours, theirs, result = items_of(mine), items_of(upstream), items_of(merged.text)
    in_upstream, in_result = match_items(yours, theirs), match_items(yours, result)
    ticked = [
        n for n, item in enumerate(yours) if item.item.marker and item.item.marker.text != " "
    ]
    surviving = [n for n in ticked if n in in_upstream and theirs[in_upstream[n]].item.marker]
    assert surviving, "the history should share ticked items"
    for n in surviving:
        target = result[in_result[n]].item
        assert target.marker is not None
        assert target.marker.text == yours[n].item.marker.text, yours[n].item.title  # type: ignore[union-attr]
    assert merged.marks_kept == merged.marks_on_surviving == len(surviving)
    # Items upstream added arrive unticked; ticks on removed items are reported.
    from_mine = set(match_items(result, yours))
    for n, item in enumerate(result):
        if n not in from_mine and item.item.marker is not None:
            assert item.item.marker.text == " ", item.item.title
    removed = {yours[n].item.title for n in ticked if n not in in_upstream}
    assert set(merged.marks_on_removed) == removed


def test_the_authors_own_ticks_survive_two_upstream_versions() -> None:
    """The 2016 README as its author ticked it, merged to 2016-09 and then to today."""
    first, second, latest = (read(f"{CIU}{at}.md") for at in ("@5bb0e29", "@0b4ae9b", ""))
    once = merge(unticked(first), first, unticked(second))
    twice = merge(unticked(second), once.text, unticked(latest))
    assert once.marks_kept == once.marks_on_surviving > 100
    assert twice.marks_kept == twice.marks_on_surviving > 0
    assert unticked(twice.text) == unticked(latest)


SECTIONED = """# Course list

## Maths

- [ ] [Linear Algebra](https://example.org/la?utm_source=x)
- [ ] [Calculus](https://example.org/calc)
- [ ] Probability, a long title for a book

## Code

- [ ] [Python](https://example.org/py)
- [ ] [C++](https://example.org/cpp)
"""


def test_a_renamed_and_moved_item_keeps_its_tick() -> None:
    mine = SECTIONED.replace("- [ ] [Calculus]", "- [x] [Calculus]").replace(
        "- [ ] Probability", "- [x] Probability"
    )
    upstream = (
        SECTIONED.replace("- [ ] [Calculus](https://example.org/calc)\n", "")
        .replace(
            "- [ ] [C++]", "- [ ] [Multivariable calculus](https://example.org/calc)\n- [ ] [C++]"
        )
        .replace("Probability, a long title for a book", "Probability, a long title for the book")
    )
    merged = merge(SECTIONED, mine, upstream)
    assert "- [x] [Multivariable calculus](https://example.org/calc)" in merged.text
    assert "- [x] Probability, a long title for the book" in merged.text
    kinds = {(c.kind, c.title) for c in diff(SECTIONED, upstream)}
    assert ("moved", "Multivariable calculus") in kinds
    assert ("renamed", "Multivariable calculus") in kinds
    assert ("renamed", "Probability, a long title for the book") in kinds


def test_a_line_changed_on_both_sides_is_a_conflict_until_chosen() -> None:
    mine = SECTIONED.replace(
        "[Python](https://example.org/py)", "[Python](https://example.org/py) my notes"
    )
    upstream = SECTIONED.replace(
        "[Python](https://example.org/py)", "[Python 3](https://example.org/py3)"
    )
    merged = merge(SECTIONED, mine, upstream)
    (conflict,) = merged.conflicts
    assert "my notes" in conflict.mine
    assert "Python 3" in conflict.upstream
    assert (
        conflict.line
        == mine.splitlines().index("- [ ] [Python](https://example.org/py) my notes") + 1
    )
    assert merged.text == mine
    assert merge(SECTIONED, mine, upstream, take="mine").text == mine
    assert merge(SECTIONED, mine, upstream, take="upstream").text == upstream
    assert merge(SECTIONED, mine, upstream, take="upstream").conflicts == ()


def test_each_conflict_can_be_settled_on_its_own() -> None:
    mine = SECTIONED.replace("(https://example.org/py)", "(https://example.org/py) mine").replace(
        "(https://example.org/la?utm_source=x)", "(https://example.org/la) mine"
    )
    upstream = SECTIONED.replace("[Python]", "[Python 3]").replace("[Linear Algebra]", "[Algebra]")
    first, second = merge(SECTIONED, mine, upstream).conflicts
    settled = merge(SECTIONED, mine, upstream, choices={second.line: "upstream"})
    (left,) = settled.conflicts
    assert left.line == first.line
    assert "[Python 3](https://example.org/py)" in settled.text
    assert "(https://example.org/la) mine" in settled.text
    both = merge(SECTIONED, mine, upstream, take="mine", choices={second.line: "upstream"})
    assert both.conflicts == ()
    assert both.text == settled.text


def test_your_line_endings_are_kept() -> None:
    mine = SECTIONED.replace("- [ ] [Python]", "- [x] [Python]").replace("\n", "\r\n")
    upstream = SECTIONED + "- [ ] [Rust](https://example.org/rust)\n"
    merged = merge(SECTIONED, mine, upstream)
    assert "\n" not in merged.text.replace("\r\n", "")
    assert merged.text.endswith("- [ ] [Rust](https://example.org/rust)\r\n")
    assert "- [x] [Python]" in merged.text


def test_only_newlines_end_lines() -> None:
    mine = SECTIONED.replace("- [ ] [C++]", "- [x] [C++]").replace("Calculus]", "Calc\u2028ulus]")
    base = SECTIONED.replace("Calculus]", "Calc\u2028ulus]")
    upstream = base + "- [ ] [Go](https://example.org/go)"
    merged = merge(base, mine, upstream)
    assert merged.text == mine + "- [ ] [Go](https://example.org/go)"


def test_links_are_compared_by_what_they_name() -> None:
    assert link_key("https://www.youtube.com/watch?v=abc&list=PL1&index=3") == link_key(
        "http://youtube.com/watch?v=abc"
    )
    assert link_key("https://youtube.com/watch?v=abc") != link_key(
        "https://youtube.com/watch?v=xyz"
    )
    assert link_key("https://example.org/a/?utm_source=x#part") == link_key("https://example.org/a")


# --- Properties ----------------------------------------------------------------------------

LINES = [f"- [ ] [Item {n}](https://example.org/{n})\n" for n in range(40)]
BASE = "# List\n\n" + "".join(LINES)


def edited(lines: list[str], at: list[int], mark: str) -> list[str]:
    """Lines with some of them rewritten (keeping their link) and some ticked."""
    out = list(lines)
    for n in at:
        out[n] = out[n].replace("](", f" {mark}](")
    return out


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_edits_to_different_items_merge_to_both(data: st.DataObject) -> None:
    split = data.draw(st.integers(min_value=5, max_value=35))
    mine_at = data.draw(st.lists(st.integers(0, split - 3), unique=True, max_size=6))
    upstream_at = data.draw(st.lists(st.integers(split, 39), unique=True, max_size=6))
    ticks = data.draw(st.lists(st.integers(0, 39), unique=True, max_size=10))
    mine_lines = edited(LINES, mine_at, "(mine)")
    for n in ticks:
        mine_lines[n] = mine_lines[n].replace("- [ ]", "- [x]", 1)
    upstream_lines = edited(LINES, upstream_at, "(upstream)")
    expected = list(upstream_lines)
    for n in range(40):
        if n in mine_at:
            expected[n] = mine_lines[n]
        elif n in ticks:
            expected[n] = expected[n].replace("- [ ]", "- [x]", 1)
    merged = merge(BASE, "# List\n\n" + "".join(mine_lines), "# List\n\n" + "".join(upstream_lines))
    assert merged.conflicts == ()
    assert merged.text == "# List\n\n" + "".join(expected)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 39), unique=True, max_size=12), st.integers(0, 2**32))
def test_merging_no_upstream_change_is_the_identity(ticks: list[int], seed: int) -> None:
    lines = list(LINES)
    for n in ticks:
        lines[n] = lines[n].replace("- [ ]", "- [x]", 1)
    rng = random.Random(seed)
    if lines and rng.random() < 0.5:
        lines.insert(rng.randrange(len(lines)), "A note of my own.\n\n")
    mine = "# List\n\n" + "".join(lines)
    assert merge(BASE, mine, BASE).text == mine


# --- The commands ------------------------------------------------------------------------------


def test_follow_diff_and_merge_from_the_command_line(cli: Cli, tmp_path: Path) -> None:
    old, new = read(f"{DSM}@a67da2a.md"), read(f"{DSM}@bd079aa.md")
    mine = tmp_path / "README.md"
    mine.write_text(tick(old, random.Random(1), share=0.6), encoding="utf-8")
    (tmp_path / "base.md").write_text(old, encoding="utf-8")
    (tmp_path / "upstream.md").write_text(new, encoding="utf-8")
    assert cli("import", str(mine)).returncode == 0
    assert "follows no upstream" in cli("upstream", "diff").stderr
    followed = cli("follow", str(tmp_path / "upstream.md"), "--base", str(tmp_path / "base.md"))
    assert followed.returncode == 0, followed.stderr
    changes = json.loads(cli("upstream", "diff", "--json").stdout)["changes"]
    assert {c["kind"] for c in changes} == {"added"}
    before = mine.read_bytes()
    dry = json.loads(cli("upstream", "merge", "--dry-run", "--json").stdout)
    assert dry["diff"].count("\n+") >= len(changes)
    assert mine.read_bytes() == before
    done = json.loads(cli("upstream", "merge", "--json").stdout)
    assert done["written"]
    assert done["marks_kept"] == done["marks_on_surviving"] > 0
    assert unticked(mine.read_text(encoding="utf-8")) == unticked(new)
    assert done["sync"]["added_from_file"], "the new items join the curriculum"
    again = json.loads(cli("upstream", "merge", "--json").stdout)
    assert (again["written"], again["changes"]) == (False, [])


def test_a_conflict_writes_nothing_until_a_side_is_chosen(cli: Cli, tmp_path: Path) -> None:
    mine = tmp_path / "README.md"
    mine.write_text(SECTIONED.replace("(https://example.org/py)", "(https://example.org/py) mine"))
    (tmp_path / "base.md").write_text(SECTIONED)
    upstream = tmp_path / "upstream.md"
    upstream.write_text(
        SECTIONED.replace("[Python](https://example.org/py)", "[Python 3](https://example.org/py3)")
    )
    assert cli("import", str(mine)).returncode == 0
    assert cli("follow", str(upstream), "--base", str(tmp_path / "base.md")).returncode == 0
    before = mine.read_bytes()
    refused = cli("upstream", "merge")
    assert refused.returncode == 1
    assert (
        "1 conflict(s): line 11: yours '- [ ] [Python](https://example.org/py) mine'"
        in refused.stderr
    )
    assert "--take mine or --take upstream" in refused.stderr
    assert mine.read_bytes() == before
    assert cli("upstream", "merge", "--take", "sideways").returncode == 2
    assert cli("upstream", "merge", "--take", "x=mine").returncode == 2
    assert mine.read_bytes() == before
    assert cli("upstream", "merge", "--take", "11=upstream").returncode == 0
    assert "[Python 3](https://example.org/py3)" in mine.read_text()


def test_following_a_file_in_a_git_clone_at_a_ref(cli: Cli, tmp_path: Path) -> None:
    clone = tmp_path / "curated"
    clone.mkdir()

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-C", str(clone), "-c", "user.name=t", "-c", "user.email=t@e", *args],  # noqa: S607
            check=True,
            capture_output=True,
        )

    git("init", "-q", "-b", "main")
    (clone / "README.md").write_text(SECTIONED)
    git("add", "README.md")
    git("commit", "-q", "-m", "first")
    (clone / "README.md").write_text(SECTIONED + "- [ ] [Rust](https://example.org/rust)\n")
    git("commit", "-q", "-am", "second")
    (clone / "README.md").write_text("uncommitted work in the clone\n")
    mine = tmp_path / "README.md"
    mine.write_text(SECTIONED.replace("- [ ] [C++]", "- [x] [C++]"))
    assert cli("import", str(mine)).returncode == 0
    followed = cli("follow", str(clone / "README.md"), "--ref", "main", "--base", "main~1")
    assert followed.returncode == 0, followed.stderr
    assert cli("upstream", "merge").returncode == 0
    assert mine.read_text() == SECTIONED.replace("- [ ] [C++]", "- [x] [C++]") + (
        "- [ ] [Rust](https://example.org/rust)\n"
    )
    missing = cli("follow", str(clone / "README.md"), "--ref", "no-such-branch")
    assert missing.returncode == 1
    assert missing.stderr.startswith("Error: upstream ")
    assert len(missing.stderr.strip().splitlines()) == 1
    absent = cli("follow", str(tmp_path / "nowhere.md"))
    assert absent.returncode == 1  # as for every missing file (issue 13)
    assert "No such file" in absent.stderr


# --- The curators' marks are never the learner's (issue 13) -----------------------------------


def ticked_titles(text: str) -> list[str]:
    return [
        i.item.title
        for i in items_of(text)
        if i.item.marker is not None and i.item.marker.text.strip()
    ]


def walk_report(report: dict[str, Any]) -> Iterator[dict[str, Any]]:
    def resources(entries: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for entry in entries:
            yield entry
            yield from resources(entry["children"])

    def domains(entries: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for domain in entries:
            yield from resources(domain["resources"])
            yield from domains(domain["domains"])

    return domains(report["domains"])


def test_the_curators_ticks_never_become_the_learners() -> None:
    """Upstream as its author published it, 698 of its own boxes ticked."""
    base = unticked(read(f"{CIU}@5bb0e29.md"))
    mine = tick(base, random.Random(10), share=0.04)
    upstream = read(f"{CIU}@0b4ae9b.md")
    assert len(ticked_titles(upstream)) > 600
    merged = merge(base, mine, upstream)
    assert merged.conflicts == ()
    yours = ticked_titles(mine)
    assert 5 <= len(yours) <= 20
    assert len(ticked_titles(merged.text)) == merged.marks_kept <= len(yours)
    assert set(ticked_titles(merged.text)) <= set(yours)
    assert merged.marks_kept + len(merged.marks_on_removed) + len(merged.marks_on_unboxed) == len(
        yours
    )


def test_new_items_arrive_in_the_learners_own_to_do_box() -> None:
    base = "# L\n\n## A\n\n- [] one\n- [] two\n"
    mine = "# L\n\n## A\n\n- [x] one\n- [] two\n"
    upstream = "# L\n\n## A\n\n- [x] one\n- [x] two\n- [x] three\n"
    assert merge(base, mine, upstream).text == "# L\n\n## A\n\n- [x] one\n- [] two\n- [] three\n"


# Real histories through code the other tests cover line by line: traced, it takes three
# times as long and covers nothing more.
@pytest.mark.no_cover
def test_a_chain_of_real_merges_keeps_the_store_equal_to_the_readme(
    cli: Cli, tmp_path: Path
) -> None:
    """Curated versions with their authors' ticks: the store follows the file, not upstream."""
    first, second, latest = (read(f"{CIU}{at}.md") for at in ("@5bb0e29", "@0b4ae9b", ""))
    mine = tmp_path / "README.md"
    mine.write_text(tick(unticked(first), random.Random(3), share=0.04), encoding="utf-8")
    (tmp_path / "base.md").write_text(unticked(first), encoding="utf-8")
    upstream = tmp_path / "upstream.md"
    upstream.write_text(second, encoding="utf-8")
    assert cli("import", str(mine)).returncode == 0
    assert cli("follow", str(upstream), "--base", str(tmp_path / "base.md")).returncode == 0
    for version in (second, latest):
        upstream.write_text(version, encoding="utf-8")
        merged = cli("upstream", "merge", "--json")
        assert merged.returncode == 0, merged.stderr
    text = mine.read_text(encoding="utf-8")
    report = json.loads(cli("status", "--json").stdout)
    in_store = report["overall"]["resources"]
    assert sum(in_store.values()) == len(list(parse_text(text).items()))
    marked = [r for r in walk_report(report) if r["own_status"] != "todo"]
    assert sorted(r["title"] for r in marked) == sorted(ticked_titles(text))
    assert len(marked) <= 20
    assert report["archived"], "items upstream removed are archived, not counted"
    again = json.loads(cli("sync", "--json").stdout)
    assert (again["archived"], again["added_from_file"], again["from_file"]) == ([], [], [])


def test_a_bare_link_becoming_part_of_the_title_is_named_in_the_diff() -> None:
    base = "# L\n\n## Topics\n\n- [ ] Parity:\n"
    upstream = "# L\n\n## Topics\n\n- [ ] Parity: https://www.youtube.com/watch?v=DdMcAUlxh1M\n"
    (change,) = diff(base, upstream)
    assert (change.kind, change.before, change.after) == (
        "link",
        None,
        "https://www.youtube.com/watch?v=DdMcAUlxh1M",
    )
