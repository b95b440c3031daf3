"""READMEs in every checkbox convention, status changes, and what a sync must do with them.

Shared by the bounded fuzz test in `tests/test_readme.py` and the long run in
`benchmarks/sync_fuzz.py`.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

from diymasters import readme
from diymasters.masters import Masters
from diymasters.model import Status
from diymasters.store import Store

TODO_MARKS = (" ", "")
DONE_MARKS = ("x", "X", "✔️", "✓", "✅")
PARTIAL_MARKS = (None, "-", "~", "🚧")
STATUSES = (Status.TODO, Status.IN_PROGRESS, Status.DONE, Status.DROPPED)


@dataclass(frozen=True)
class Case:
    """A README and the status changes a learner makes in diymasters before a sync."""

    text: str
    #: Resource position (reading order) to its new status.
    changes: dict[int, Status]


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """A README in one convention: to-do, done and partial markers, newlines, indentation."""
    todo, done = draw(st.sampled_from(TODO_MARKS)), draw(st.sampled_from(DONE_MARKS))
    partial = draw(st.sampled_from(PARTIAL_MARKS))
    newline = draw(st.sampled_from(("\n", "\r\n")))
    indent = draw(st.sampled_from(("  ", "    ", "\t")))
    bullet = draw(st.sampled_from("-*+"))
    marks = [todo, done] + ([partial] if partial else [])
    lines = ["# Masters", ""]
    count = 0
    for section in range(draw(st.integers(1, 3))):
        lines += [f"## Section {section}", ""]
        for index in range(draw(st.integers(1, 5))):
            depth = draw(st.integers(0, 1)) if index else 0  # nested under the item above
            mark = draw(st.sampled_from(marks))
            lines.append(f"{indent * depth}{bullet} [{mark}] Item {count}")
            count += 1
        lines.append("")
    changed = draw(st.lists(st.integers(0, count - 1), unique=True, max_size=count))
    changes = {position: draw(st.sampled_from(STATUSES)) for position in changed}
    return Case(newline.join(lines), changes)


def check(case: Case) -> None:
    """Import, change statuses, sync: exactly the changed markers change, and visibly."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "README.md"
        path.write_bytes(case.text.encode())
        masters = Masters(Store.open("sqlite://"), today=lambda: dt.date(2026, 12, 2))
        try:
            masters.import_readme(path)
            _check_sync(masters, path, case)
        finally:
            masters.store.close()


def _check_sync(masters: Masters, path: Path, case: Case) -> None:
    before = readme.parse_text(case.text)
    resources = list(masters.curriculum().all_resources())
    for position, status in case.changes.items():
        masters.set_status(f"#{resources[position].id}", status)
    # `done` on a parent finishes its children: what changed is what the store now says.
    current = [r.status for r in masters.curriculum().all_resources()]
    result = masters.sync()
    assert result.from_file == result.added_from_file == result.archived == ()
    text = path.read_bytes().decode()
    after = readme.parse_text(text)
    old_items, new_items = list(before.items()), list(after.items())
    assert [i.title for i in old_items] == [i.title for i in new_items]
    assert _unmarked(case.text, old_items) == _unmarked(text, new_items)
    for resource, status, old, new in zip(resources, current, old_items, new_items, strict=True):
        assert old.marker is not None
        assert new.marker is not None
        if status is resource.status:
            assert new.marker.text == old.marker.text, old.title
        else:
            _check_shown(before.style, status, new)
    assert [r.status for r in masters.curriculum().all_resources()] == current
    again = masters.sync()
    assert (again.written, again.from_file) == (False, ()), "a second sync changes nothing"


def _check_shown(style: readme.Style, status: Status, item: readme.ReadmeItem) -> None:
    assert item.marker is not None
    if status is Status.DONE:
        assert readme.MARKS[item.marker.text] is Status.DONE, item.title
        assert item.marker.text.strip(), "a tick is visible"
    elif status is Status.IN_PROGRESS and style.partial_mark is not None:
        assert readme.MARKS[item.marker.text] is Status.IN_PROGRESS, item.title
    else:
        assert readme.MARKS[item.marker.text] is Status.TODO, item.title


def _unmarked(text: str, items: list[readme.ReadmeItem]) -> str:
    """The text with every checkbox emptied: what must not change."""
    for item in sorted(items, key=lambda i: i.marker.start if i.marker else 0, reverse=True):
        if item.marker is not None:
            text = text[: item.marker.start] + text[item.marker.end :]
    return text
