from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

import pytest

from diymasters.postings import (
    Posting,
    PostingsError,
    ReadReport,
    collapse_duplicates,
    read_path,
    redact,
    role_of,
    strip_html,
)
from diymasters.store import Store, StoredPosting

if TYPE_CHECKING:
    from pathlib import Path


def test_csv_columns_are_found_by_their_usual_names(tmp_path: Path) -> None:
    (tmp_path / "jobs.csv").write_text(
        "Job Title,Job Description,posted_at\nData Scientist,Python and SQL,2024-03-01\n",
        encoding="utf-8",
    )
    report = ReadReport()
    (posting,) = read_path(tmp_path / "jobs.csv", report=report)
    assert (posting.title, posting.text, posting.posted) == (
        "Data Scientist",
        "Python and SQL",
        dt.date(2024, 3, 1),
    )
    assert report.columns[str(tmp_path / "jobs.csv")] == {
        "text": "Job Description",
        "title": "Job Title",
        "date": "posted_at",
    }


def test_google_style_split_columns_become_sections(tmp_path: Path) -> None:
    (tmp_path / "g.csv").write_text(
        "Title,Responsibilities,Minimum Qualifications,Preferred Qualifications\n"
        "ML Engineer,Ship models,BS in CS,PhD\n",
        encoding="utf-8",
    )
    (posting,) = read_path(tmp_path / "g.csv")
    assert posting.text.splitlines() == [
        "Responsibilities:",
        "Ship models",
        "",
        "Minimum Qualifications:",
        "BS in CS",
        "",
        "Preferred Qualifications:",
        "PhD",
    ]


def test_a_missing_column_is_named_with_the_ones_there_are(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(PostingsError, match="no text column among a, b"):
        list(read_path(tmp_path / "x.csv"))
    with pytest.raises(PostingsError, match="no column 'body'"):
        list(read_path(tmp_path / "x.csv", column="body"))


def test_json_lines_json_dumps_html_and_front_matter(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"id": 7, "text": "Rust"}) + "\n", encoding="utf-8"
    )
    (tmp_path / "b.json").write_text(
        json.dumps({"jobs": [{"text": "<p>Go &amp; Kafka</p>", "time": 1767225600}]}),
        encoding="utf-8",
    )
    (tmp_path / "c.md").write_text(
        "---\ntitle: Python Developer\ncreated: 2017-01-27\n---\n# Overview\nDjango\n",
        encoding="utf-8",
    )
    postings = {p.text.strip(): p for p in read_path(tmp_path)}
    assert set(postings) == {"Rust", "Go & Kafka", "# Overview\nDjango"}
    assert postings["Rust"].id.endswith("#7")
    assert postings["Go & Kafka"].posted == dt.date(2026, 1, 1)
    assert postings["# Overview\nDjango"].title == "Python Developer"


def test_html_is_stripped_to_lines() -> None:
    assert strip_html("<ul><li>SQL</li><li>R&amp;D</li></ul>").split() == ["SQL", "R&D"]


def test_plain_text_with_angle_brackets_is_kept() -> None:
    text = "Python: if 1 < 2 && x > y, or C++ templates like vector <int>"
    assert strip_html(text) == text.replace("<int>", " ")


def test_near_duplicates_collapse() -> None:
    postings = [
        Posting("Senior   Data Scientist.\nPython!", "1", "s"),
        Posting("<p>senior data scientist python</p>", "2", "s"),
        Posting("Data engineer", "3", "s"),
    ]
    kept, collapsed = collapse_duplicates(postings)
    assert [p.id for p in kept] == ["1", "3"]
    assert collapsed == 1


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("Senior Machine Learning Engineer", "ML engineer"),
        ("Data Scientist II", "data scientist"),
        ("Business Intelligence Analyst", "data analyst"),
        ("Data Engineer, Platform", "data engineer"),
        ("Backend Python Developer", "software engineer"),
        ("Chef", "other"),
        (None, "unknown"),
    ],
)
def test_titles_become_roles(title: str | None, role: str) -> None:
    assert role_of(title) == role


def test_personal_details_are_redacted() -> None:
    assert redact("Mail jane.doe@acme.io or call +1 (555) 010-9999.") == (
        "Mail [email] or call [phone]."
    )


def test_the_store_imports_postings_once(store: Store) -> None:
    posting = StoredPosting(
        "h1", "s", "DS", "data scientist", None, "text", {"dm:python": (True, 1)}
    )
    assert store.save_postings([posting]) == 1
    assert store.save_postings([posting]) == 0
    assert store.posting_count() == 1
