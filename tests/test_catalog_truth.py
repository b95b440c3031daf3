"""The catalog's truth list: figures checked by hand against their cited pages (issue 16).

`catalog_truth.yaml` names, for each checked figure, the entry, the figure as the page gave it,
the page, its words and the day it was checked. The catalog must still say the same: an edit
that changes a checked figure fails here until its page is read again and the list updated.
Grow the list with every sourcing pass; never change a figure in it without the page.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from diymasters.catalog import Entry, load_catalog

if TYPE_CHECKING:
    from collections.abc import Callable

    from diymasters.hours import Quantity

TRUTH = Path(__file__).with_name("catalog_truth.yaml")
FIGURES = ("hours", "pages", "lectures", "weeks", "video_hours", "cost")


def checked() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = yaml.safe_load(TRUTH.read_text(encoding="utf-8"))["checked"]
    return rows


def label(row: dict[str, Any]) -> str:
    return f"{row['id']}:{next(key for key in FIGURES if key in row)}"


def as_pair(value: float | list[float]) -> tuple[float, float]:
    return (value[0], value[1]) if isinstance(value, list) else (value, value)


def figure_in_catalog(entry: Entry, row: dict[str, Any]) -> object:
    """The catalog's figure in the shape the row gives it."""
    if "hours" in row:
        return list(entry.hours_range) if entry.hours_range else entry.hours
    if "cost" in row:
        return entry.cost
    quantity = entry.derive
    shapes: dict[str, Callable[[Quantity], object]] = {
        "pages": lambda q: q.amount,
        "video": lambda q: q.amount,
        "lectures": lambda q: (q.amount, q.per[0]),
        "weekly": lambda q: (q.amount, q.per),
    }
    row_kind = {"pages": "pages", "video_hours": "video", "lectures": "lectures", "weeks": "weekly"}
    kind = next(row_kind[key] for key in row_kind if key in row)
    if quantity is None or quantity.kind != kind:
        return None
    return shapes[kind](quantity)


def figure_in_row(row: dict[str, Any]) -> object:
    if "lectures" in row:
        return (row["lectures"], row["minutes"])
    if "weeks" in row:
        return (row["weeks"], as_pair(row["hours_per_week"]))
    return row[next(key for key in FIGURES if key in row)]


def test_the_truth_list_is_well_formed_and_growing() -> None:
    rows = checked()
    assert len(rows) >= 20
    for row in rows:
        assert row["page"].startswith(("http://", "https://")), row
        assert row["words"].strip(), row
        assert dt.date.fromisoformat(str(row["checked"])) <= dt.datetime.now(dt.UTC).date()
        assert sum(key in row for key in FIGURES) == 1, row


@pytest.mark.parametrize("row", checked(), ids=label)
def test_a_checked_figure_is_still_what_the_catalog_says(row: dict[str, Any]) -> None:
    entry = load_catalog().get(row["id"])
    assert figure_in_catalog(entry, row) == figure_in_row(row)
    if "cost" in row:
        assert entry.cost_source
        assert entry.cost_read is not None
    else:
        assert entry.source
        assert entry.read is not None
