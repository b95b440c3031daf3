from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from diymasters.model import Status
from diymasters.serialise import OMIT_WHEN_NONE, fingerprint, plain, written_as


@dataclass(frozen=True)
class Entry:
    on: dt.date
    status: Status
    where: Path
    note: str | None = None
    extra: tuple[int, ...] | None = field(default=None, metadata=OMIT_WHEN_NONE)


@dataclass(frozen=True)
class Report:
    title: str
    entries: tuple[Entry, ...]
    counts: dict[Status, int]


def test_a_typed_result_becomes_the_json_scripts_read() -> None:
    report = Report(
        "ML",
        (
            Entry(dt.date(2026, 12, 2), Status.DONE, Path("/home/me/a.md"), extra=(1, 2)),
            Entry(dt.date(2026, 1, 5), Status.TODO, Path("b.md")),
        ),
        {Status.DONE: 1, Status.TODO: 1},
    )
    data = plain(report)
    assert json.dumps(data) == json.dumps(
        {
            "title": "ML",
            "entries": [
                {
                    "on": "2026-12-02",
                    "status": "done",
                    "where": "/home/me/a.md",
                    "note": None,
                    "extra": [1, 2],
                },
                {"on": "2026-01-05", "status": "todo", "where": "b.md", "note": None},
            ],
            "counts": {"done": 1, "todo": 1},
        }
    )


def test_a_value_with_no_json_form_is_refused() -> None:
    with pytest.raises(TypeError, match="set has no JSON form"):
        plain({"skills": {"python"}})


def _days_by_name(days: tuple[float, float]) -> dict[str, float]:
    return {"sat": days[0], "sun": days[1]}


@dataclass(frozen=True)
class Weekend:
    days: tuple[float, float] | None = field(metadata=written_as(_days_by_name))
    on: dt.date = dt.date(2027, 1, 2)


def test_a_field_with_a_writer_is_written_by_it_and_none_stays_null() -> None:
    assert plain(Weekend((4.0, 0.5))) == {"days": {"sat": 4.0, "sun": 0.5}, "on": "2027-01-02"}
    assert plain(Weekend(None)) == {"days": None, "on": "2027-01-02"}


def test_a_fingerprint_follows_the_data_not_its_key_order() -> None:
    assert fingerprint({"a": 1, "b": [1, 2]}) == fingerprint({"b": [1, 2], "a": 1})
    assert fingerprint({"a": 1}) != fingerprint({"a": 2})
