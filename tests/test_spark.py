"""The Spark engine of `skills corpus`: the same demand and the same stored rows as this machine's.

The postings are real ones from the shared corpus (../shared/corpus/jobs), a few hundred from
four of its sources, written to one JSON Lines file. One Spark session on `local[2]` serves the
module, so the suite starts the JVM once; without pyspark or Java those tests skip and say why.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import shutil
import sys
from typing import TYPE_CHECKING

import pytest

from diymasters import spark_engine
from diymasters.masters import CorpusReport, Engine, Masters
from diymasters.postings import read_path
from diymasters.store import Store
from tests.conftest import SHARED

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from pyspark.sql import SparkSession

    from tests.conftest import Cli

#: One worker runs every test here, so `make test` starts one JVM (`--dist loadgroup`).
pytestmark = pytest.mark.xdist_group("spark")

JOBS = SHARED / "corpus" / "jobs"
#: Sources with dates and titles of many roles, so months and roles are compared too.
SOURCES = ("linkedin_ai_ml_2024", "google_jobs_data_analyst_2023", "glassdoor_ds_2021")
PER_SOURCE = 80

needs_pyspark = pytest.mark.skipif(
    importlib.util.find_spec("pyspark") is None,
    reason="pyspark is not installed (pip install 'diymasters[spark]')",
)
needs_java = pytest.mark.skipif(
    shutil.which("java") is None and not os.environ.get("JAVA_HOME"),
    reason="no Java runtime on the PATH or in JAVA_HOME, which Spark needs",
)
needs_shared = pytest.mark.skipif(not JOBS.is_dir(), reason=f"{JOBS} is absent")


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    """One session for the module: the engine runs in it instead of starting its own."""
    with spark_engine.spark_session("local[2]") as session:
        yield session


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Real postings from the shared corpus, as one JSON Lines file."""
    path = tmp_path_factory.mktemp("corpus") / "sample.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for source in SOURCES:
            for posting in itertools.islice(read_path(JOBS / source), PER_SOURCE):
                posted = posting.posted.isoformat() if posting.posted else None
                record = {"title": posting.title, "date": posted, "description": posting.text}
                out.write(json.dumps(record) + "\n")
    return path


def stored_rows(store: Store) -> list[tuple[object, ...]]:
    """Every stored posting with its skills, in the order they were stored."""
    return [
        (
            p.content_hash,
            p.source,
            p.title,
            p.role,
            p.posted,
            p.text,
            list(p.skills.items()),
            p.extractor,
        )
        for p in store.postings(store.stale_postings(extractor="none"))
    ]


def both_engines(
    sample: Path, tmp_path: Path, role: str | None = None
) -> tuple[tuple[CorpusReport, Store], tuple[CorpusReport, Store]]:
    """The corpus read by each engine into a store of its own."""
    local_store = Store.open(f"sqlite:///{tmp_path / 'local.db'}")
    spark_store = Store.open(f"sqlite:///{tmp_path / 'spark.db'}")
    local = Masters(local_store).analyse_corpus(sample, role=role)
    on_spark = Masters(spark_store).analyse_corpus(
        sample, role=role, engine=Engine.SPARK, master="local[2]"
    )
    return (local, local_store), (on_spark, spark_store)


@needs_shared
@needs_pyspark
@needs_java
@pytest.mark.usefixtures("spark")
def test_spark_finds_the_same_demand_and_stores_the_same_rows(sample: Path, tmp_path: Path) -> None:
    (local, local_store), (on_spark, spark_store) = both_engines(sample, tmp_path)
    assert on_spark.new_in_store == local.new_in_store > 200
    for ours, theirs in zip(on_spark.demand.skills, local.demand.skills, strict=True):
        assert (ours.id, ours.postings, ours.share, ours.required_share) == (
            theirs.id,
            theirs.postings,
            theirs.share,
            theirs.required_share,
        )
    assert on_spark.demand.months, "the sample has dated postings"
    assert on_spark == local  # soft skills, domains, roles, months and pairs too
    assert stored_rows(spark_store) == stored_rows(local_store)


@needs_shared
@needs_pyspark
@needs_java
@pytest.mark.usefixtures("spark")
def test_spark_counts_stored_postings_of_one_role_the_same(sample: Path, tmp_path: Path) -> None:
    both_engines(sample, tmp_path)
    # The second reading passes over the file: the demand is counted from the stored skills.
    (local, _), (on_spark, _) = both_engines(sample, tmp_path, role="data scientist")
    assert (on_spark.new_in_store, on_spark.role_filter) == (0, "data scientist")
    assert 0 < on_spark.demand.postings < on_spark.in_store
    assert on_spark == local


@needs_shared
@needs_pyspark
@needs_java
@pytest.mark.usefixtures("spark")
def test_spark_counts_alike_when_the_corpus_spans_many_batches(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spark_engine, "SPARK_BATCH", 60)  # 240 postings: four batches and more
    (local, local_store), (on_spark, spark_store) = both_engines(sample, tmp_path)
    assert on_spark == local
    assert stored_rows(spark_store) == stored_rows(local_store)
    # Read again, every posting is counted from its stored skills, sent to Spark in batches too.
    (local_again, _), (spark_again, _) = both_engines(sample, tmp_path)
    assert spark_again.new_in_store == 0
    assert spark_again == local_again
    assert spark_again.demand == on_spark.demand


def test_without_pyspark_the_spark_engine_names_the_extra(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    jobs = tmp_path / "jobs.jsonl"
    jobs.write_text(json.dumps({"description": "We need Python and SQL."}) + "\n")
    monkeypatch.setitem(sys.modules, "pyspark", None)  # as if it were not installed
    result = cli("skills", "corpus", str(jobs), "--engine", "spark")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        (
            "Error: the Spark engine needs pyspark, which is not installed: it comes with "
            "diymasters' 'spark' extra; pip install 'diymasters[spark]'"
        )
    ]
    assert Store.open(f"sqlite:///{cli.db}").posting_count() == 0


@needs_pyspark
def test_without_java_the_spark_engine_says_so_in_one_line(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    jobs = tmp_path / "jobs.jsonl"
    jobs.write_text(json.dumps({"description": "We need Python and SQL."}) + "\n")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no java there
    result = cli("skills", "corpus", str(jobs), "--engine", "spark", "--master", "local[1]")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        (
            "Error: the Spark engine needs a Java runtime (17 or later), and there is none in "
            "JAVA_HOME or on the PATH"
        )
    ]


def test_a_master_without_the_spark_engine_is_refused(cli: Cli, tmp_path: Path) -> None:
    jobs = tmp_path / "jobs.jsonl"
    jobs.write_text(json.dumps({"description": "We need Python and SQL."}) + "\n")
    result = cli("skills", "corpus", str(jobs), "--master", "local[2]")
    assert result.returncode == 2
    assert "a master is Spark's: give --engine spark too" in result.stderr
    assert Store.open(f"sqlite:///{cli.db}").posting_count() == 0


@needs_pyspark
@needs_java
def test_a_spark_connect_address_is_refused_before_anything_is_read(
    cli: Cli, tmp_path: Path
) -> None:
    jobs = tmp_path / "jobs.jsonl"
    jobs.write_text(json.dumps({"description": "We need Python and SQL."}) + "\n")
    result = cli("skills", "corpus", str(jobs), "--engine", "spark", "--master", "sc://host:15002")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        (
            "Error: sc://host:15002: Spark Connect is not supported; give a cluster's master URL "
            "(spark://, yarn, k8s://) or local[N]"
        )
    ]
    assert Store.open(f"sqlite:///{cli.db}").posting_count() == 0
