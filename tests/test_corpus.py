"""A corpus read twice: postings already stored are not read again, and demand is the same."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from diymasters.masters import Masters


def write_postings(path: Path, skills: list[str]) -> None:
    rows = ["title,date,description"] + [
        f"{'Data Scientist' if i % 2 else 'Data Engineer'} {i},2026-0{1 + i % 3}-01,"
        f'"Requirements: {skill}, SQL and statistics."'
        for i, skill in enumerate(skills)
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_a_second_run_extracts_nothing_and_reports_the_same_demand(
    masters: Masters, tmp_path: Path
) -> None:
    jobs = tmp_path / "jobs.csv"
    write_postings(jobs, ["Python", "Kafka", "Docker", "Airflow"])
    extracted: list[int] = []
    first = masters.analyse_corpus(jobs, on_total=extracted.append)
    again = masters.analyse_corpus(jobs, on_total=extracted.append)
    assert extracted == [4, 0]
    assert (again.new_in_store, again.in_store) == (0, 4)
    assert again.demand == first.demand
    role = masters.analyse_corpus(jobs, role="Data Scientist", on_total=extracted.append)
    assert role.demand.postings == 2
    assert {s.name: s.share for s in role.demand.skills}["Kafka"] == 0.5


def test_a_corpus_that_grew_extracts_only_its_new_postings(
    masters: Masters, tmp_path: Path
) -> None:
    jobs = tmp_path / "jobs.csv"
    write_postings(jobs, ["Python", "Kafka"])
    masters.analyse_corpus(jobs)
    write_postings(jobs, ["Python", "Kafka", "Rust programming"])
    extracted: list[int] = []
    grown = masters.analyse_corpus(jobs, on_total=extracted.append)
    assert extracted == [1]
    assert (grown.new_in_store, grown.demand.postings) == (1, 3)
    assert {s.name for s in grown.demand.skills} >= {"Python", "Kafka", "Rust", "SQL"}
