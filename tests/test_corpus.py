"""A corpus read twice: what is stored and unchanged is not read again; demand is the same."""

from __future__ import annotations

import dataclasses
import os
import pty
import subprocess
import sys
import time
from typing import TYPE_CHECKING, Any

import pytest

from diymasters import postings, skills
from diymasters.masters import ExtractionProgress, Masters
from diymasters.masters import demand as demand_part
from diymasters.store import Store

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


def write_postings(path: Path, skills: list[str]) -> None:
    rows = ["title,date,description"] + [
        f"{'Data Scientist' if i % 2 else 'Data Engineer'} {i},2026-0{1 + i % 3}-01,"
        f'"Requirements: {skill}, SQL and statistics."'
        for i, skill in enumerate(skills)
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def files_opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files the reader opens from now on, in order."""
    opened: list[Path] = []
    read_file = postings._read_file

    def spied(path: Path, *args: Any) -> Iterator[postings.Posting]:
        opened.append(path)
        return read_file(path, *args)

    monkeypatch.setattr(postings, "_read_file", spied)
    return opened


def test_a_second_run_extracts_nothing_and_reports_the_same_demand(
    masters: Masters, tmp_path: Path
) -> None:
    jobs = tmp_path / "jobs.csv"
    write_postings(jobs, ["Python", "Kafka", "Docker", "Airflow"])
    extracted: list[int] = []
    first = masters.analyse_corpus(jobs, progress=ExtractionProgress(on_total=extracted.append))
    again = masters.analyse_corpus(jobs, progress=ExtractionProgress(on_total=extracted.append))
    assert extracted == [4, 0]
    assert (again.new_in_store, again.in_store) == (0, 4)
    assert again.demand == first.demand
    role = masters.analyse_corpus(
        jobs, role="Data Scientist", progress=ExtractionProgress(on_total=extracted.append)
    )
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
    grown = masters.analyse_corpus(jobs, progress=ExtractionProgress(on_total=extracted.append))
    assert extracted == [1]
    assert (grown.new_in_store, grown.demand.postings) == (1, 3)
    assert {s.name for s in grown.demand.skills} >= {"Python", "Kafka", "Rust", "SQL"}


def test_a_corpus_unchanged_since_it_was_read_is_not_read_again(
    masters: Masters, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    jobs = tmp_path / "jobs.csv"
    write_postings(jobs, ["Python", "Kafka", "Python"])
    past = time.time() - 60
    os.utime(jobs, (past, past))
    first = masters.analyse_corpus(jobs)
    opened = files_opened(monkeypatch)
    again = masters.analyse_corpus(jobs)
    assert opened == []
    assert dataclasses.replace(again, new_in_store=first.new_in_store) == first
    assert (first.read, first.collapsed, again.read, again.collapsed) == (3, 1, 3, 1)
    assert again.columns == first.columns != {}
    write_postings(jobs, ["Python", "Kafka", "Python", "Rust programming"])
    os.utime(jobs, (past, past))
    grown = masters.analyse_corpus(jobs)
    assert opened == [jobs]
    assert (grown.new_in_store, grown.read) == (1, 4)


def test_a_corpus_too_large_to_index_is_read_again_but_not_extracted_again(
    masters: Masters, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postings, "INDEXED_POSTINGS", 3)
    small, large = tmp_path / "a.csv", tmp_path / "b.csv"
    write_postings(small, ["Python", "Kafka"])
    write_postings(large, ["Docker", "Airflow", "Rust programming", "Docker"])
    past = time.time() - 60
    for path in (small, large):
        os.utime(path, (past, past))
    first = masters.analyse_corpus(tmp_path)
    opened = files_opened(monkeypatch)
    extracted: list[int] = []
    again = masters.analyse_corpus(tmp_path, progress=ExtractionProgress(on_total=extracted.append))
    assert opened == [large]  # the small file is indexed; the large one is past the limit
    assert extracted == [0]
    assert dataclasses.replace(again, new_in_store=first.new_in_store) == first
    assert (again.read, again.collapsed, again.demand.postings) == (6, 1, 5)


def test_stored_postings_counted_a_chunk_at_a_time_report_as_if_counted_whole(
    masters: Masters, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    jobs = tmp_path / "jobs.csv"
    write_postings(jobs, ["Python", "Kafka", "Python", "Docker", "Kafka", "Rust programming"])
    past = time.time() - 60
    os.utime(jobs, (past, past))
    first = masters.analyse_corpus(jobs)
    monkeypatch.setattr(demand_part, "CORPUS_CHUNK", 2)
    passed_over = masters.analyse_corpus(jobs)  # its hashes, from the index, two at a time
    jobs.touch()  # changed as far as the index knows: read again, two postings at a time
    read_again = masters.analyse_corpus(jobs, role="Data Scientist")
    assert dataclasses.replace(passed_over, new_in_store=first.new_in_store) == first
    assert (read_again.read, read_again.collapsed, read_again.new_in_store) == (6, 2, 0)
    assert read_again.demand == masters.analyse_corpus(jobs, role="Data Scientist").demand
    assert read_again.demand.postings == 3  # Kafka, Docker and Rust; Python is an engineer's


@pytest.fixture
def two_processes(tmp_path: Path) -> Iterator[tuple[Masters, Masters]]:
    """The template with two postings stored, open twice on one file: here and, say, the CLI."""
    url = f"sqlite:///{tmp_path / 'masters.db'}"
    write_postings(tmp_path / "jobs.csv", ["Python", "Kafka"])
    masters, elsewhere = Masters(Store.open(url)), Masters(Store.open(url))
    try:
        masters.init()
        masters.analyse_corpus(tmp_path / "jobs.csv")
        yield masters, elsewhere
    finally:
        masters.store.close()
        elsewhere.store.close()


def test_demand_and_gaps_are_kept_until_the_store_changes_by_any_process(
    two_processes: tuple[Masters, Masters], tmp_path: Path
) -> None:
    masters, elsewhere = two_processes
    demand, gaps = masters.stored_demand(), masters.gaps()
    assert masters.stored_demand() is demand  # nothing changed: not computed again
    assert masters.gaps() is gaps
    write_postings(tmp_path / "more.csv", ["Rust programming"])
    elsewhere.analyse_corpus(tmp_path / "more.csv")  # another process, say the CLI
    assert masters.stored_demand().demand.postings == 3
    assert "Rust" in {s.name for s in masters.stored_demand().demand.skills}
    assert masters.gaps() != gaps


def test_an_edit_that_leaves_the_postings_alone_keeps_their_demand_but_not_the_gaps(
    two_processes: tuple[Masters, Masters], tmp_path: Path
) -> None:
    """Logging an hour redrew the demand of every stored posting: a second at 10,000 of them."""
    masters, elsewhere = two_processes
    demand, gaps = masters.stored_demand(), masters.gaps()
    elsewhere.log("Principal Component Analysis", 1)
    assert masters.stored_demand() is demand
    again = masters.gaps()
    assert again is not gaps  # the curriculum changed: its coverage is drawn again
    assert again == gaps  # from the same demand, and an hour moves no share
    write_postings(tmp_path / "more.csv", ["Rust programming"])
    elsewhere.analyse_corpus(tmp_path / "more.csv")
    assert masters.stored_demand().demand.postings == 3
    assert "dm:rust" in {g.id for g in masters.gaps().gaps}


def test_gaps_over_a_corpus_report_each_new_posting_found(masters: Masters, tmp_path: Path) -> None:
    jobs = tmp_path / "jobs.csv"
    write_postings(jobs, ["Python", "Kafka", "Docker"])
    totals: list[int] = []
    done: list[int] = []
    progress = ExtractionProgress(on_total=totals.append, on_progress=done.append)
    masters.gaps(corpus=jobs, progress=progress)
    assert (totals, sum(done)) == ([3], 3)
    masters.plan(corpus=jobs, save=False, progress=progress)
    assert (totals, sum(done)) == ([3, 0], 3)  # stored already: nothing more to find


def test_gaps_over_a_corpus_shows_a_bar_on_a_terminal(tmp_path: Path) -> None:
    jobs = tmp_path / "jobs.csv"
    write_postings(jobs, ["Python", "Kafka"])
    db = f"sqlite:///{tmp_path / 'masters.db'}"
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
    cli = [sys.executable, "-m", "diymasters", "--db", db]
    subprocess.run([*cli, "init"], env=env, capture_output=True, check=True)
    terminal, other_end = pty.openpty()
    try:
        done = subprocess.run(
            [*cli, "gaps", "--corpus", str(jobs)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=other_end,
            check=False,
            timeout=120,
        )
        os.close(other_end)
        drawn = read_all(terminal)
    finally:
        os.close(terminal)
    assert done.returncode == 0
    assert b"Finding skills" in drawn
    assert b"2/2" in drawn


def read_all(terminal: int) -> bytes:
    """Everything written to a pseudo-terminal whose other end is closed."""
    chunks = []
    while True:
        try:
            chunk = os.read(terminal, 65536)
        except OSError:  # Linux says EIO once the other end is closed and all is read
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def test_a_corpus_read_in_chunks_reports_as_if_read_whole(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    jobs = tmp_path / "jobs.csv"
    write_postings(jobs, ["Python", "Kafka", "Python", "Docker", "Kafka", "Rust programming"])
    whole = Masters(Store.open("sqlite://")).analyse_corpus(jobs)
    monkeypatch.setattr(demand_part, "CORPUS_CHUNK", 2)
    totals: list[int] = []
    chunked = Masters(store).analyse_corpus(
        jobs, progress=ExtractionProgress(on_total=totals.append)
    )
    assert chunked == whole
    assert (chunked.read, chunked.collapsed, chunked.new_in_store) == (6, 2, 4)
    assert totals == [2, 3, 4]  # the postings to find skills in, as far as the corpus is read


def test_a_limit_broken_part_way_keeps_the_chunks_read_before_it(
    masters: Masters, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    jobs = tmp_path / "jobs.csv"
    write_postings(jobs, ["Python", "Kafka", "Docker", "Airflow", "Rust programming"])
    monkeypatch.setattr(demand_part, "CORPUS_CHUNK", 2)
    with pytest.raises(postings.LimitExceededError):
        masters.analyse_corpus(jobs, limits=postings.Limits(postings=4))
    assert masters.store.posting_count() == 4  # two chunks: the second still being found
    extracted: list[int] = []
    whole = masters.analyse_corpus(jobs, progress=ExtractionProgress(on_total=extracted.append))
    assert extracted[-1] == 1  # only the posting past the limit is new
    assert (whole.new_in_store, whole.demand.postings) == (1, 5)


def test_postings_an_older_extractor_read_have_their_skills_found_again(
    masters: Masters, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    jobs = tmp_path / "jobs.csv"
    write_postings(jobs, ["Python", "Kafka"])
    first = masters.analyse_corpus(jobs)
    assert (first.new_in_store, first.refreshed) == (2, 0)
    monkeypatch.setattr(skills.extraction, "RULES_VERSION", skills.RULES_VERSION + 1)
    skills.extractor_version.cache_clear()
    try:
        again = masters.analyse_corpus(jobs)
    finally:
        skills.extractor_version.cache_clear()
    assert (again.new_in_store, again.refreshed, again.in_store) == (0, 2, 2)
    assert again.demand == first.demand


def test_refresh_finds_again_what_an_older_extractor_found(
    masters: Masters, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    jobs = tmp_path / "jobs.csv"
    write_postings(jobs, ["Python", "Kafka", "Docker"])
    first = masters.analyse_corpus(jobs)
    assert masters.refresh_postings().refreshed == 0  # all found by this extractor
    monkeypatch.setattr(skills.extraction, "RULES_VERSION", skills.RULES_VERSION + 1)
    skills.extractor_version.cache_clear()
    done: list[int] = []
    try:
        refreshed = masters.refresh_postings(
            progress=ExtractionProgress(on_total=done.append, on_progress=done.append)
        )
        assert masters.refresh_postings().refreshed == 0
    finally:
        skills.extractor_version.cache_clear()
    assert (refreshed.refreshed, refreshed.in_store) == (3, 3)
    assert done[0] == 3
    assert sum(done[1:]) == 3
    assert masters.stored_demand().demand == first.demand


def test_reports_prepared_ahead_are_not_worked_out_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'masters.db'}"
    jobs = tmp_path / "jobs.csv"
    write_postings(jobs, ["Python", "Kafka"])
    masters = Masters(Store.open(url))
    try:
        masters.prepare_reports()  # an empty store: nothing to prepare, and no error
        masters.init()
        masters.analyse_corpus(jobs)
        masters.prepare_reports()
        read: list[str | None] = []
        analysed_postings = masters.store.analysed_postings

        def spied(role: str | None = None, hashes: Any = None) -> Any:
            read.append(role)
            return analysed_postings(role, hashes)

        monkeypatch.setattr(masters.store, "analysed_postings", spied)
        shares: list[str | None] = []
        skill_shares = masters.store.skill_shares

        def spied_shares(role: str | None = None) -> list[tuple[str, float]]:
            shares.append(role)
            return skill_shares(role)

        monkeypatch.setattr(masters.store, "skill_shares", spied_shares)
        assert masters.stored_demand().demand.postings == 2
        assert masters.gaps().demand_source.startswith("postings")
        assert (read, shares) == ([], [])
    finally:
        masters.store.close()
