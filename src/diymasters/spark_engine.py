"""The corpus analysis on Spark: postings' skills found by Spark's executors, demand counted there.

What runs where (issue 20). The driver, this process, reads the corpus with `postings` as the
single-node engine does (the file formats, the limits, near-duplicates collapsed by content
hash, files passed over), and writes what is found to the store. Each batch of new postings
goes to Spark as a DataFrame; the executors' Python workers find their skills with the same
extractor (`skills.findings`, the matcher and taxonomy loaded once per worker process, which
Spark reuses from task to task) in Arrow batches (`mapInArrow`), and Spark keeps what they
found. The driver takes each posting's skills back to store them. At the end Spark counts the
demand over every batch (postings by skill, role, month, domain and pair of skills), and the
driver makes the report from those counts with `DemandTally.report`, so the two engines report
alike, ties included.

pyspark (with pandas and pyarrow, which `mapInArrow` needs) is imported only here, and only
when this engine runs: without it the rest of diymasters works as before. Nothing is fetched
at run time; Spark's scratch space and warehouse are in a temporary folder of their own.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diymasters import skills
from diymasters.demand import DemandTally, ranked
from diymasters.errors import DiyMastersError, NotReadyError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession

    from diymasters.demand import AnalysedPosting

#: New postings sent to Spark as one DataFrame, their skills brought back and stored at once.
#: Larger than the single-node engine's chunk: each batch is a Spark job, which costs a start.
SPARK_BATCH = 20_000
#: The master when none is given and none is set by spark-submit: every core of this machine.
LOCAL_MASTER = "local[*]"
#: Shuffle partitions on a local master.
LOCAL_SHUFFLE = 8

_POSTINGS_SCHEMA = "ordinal long, counted boolean, role string, month string, text string"
_SKILL_TYPE = "struct<id:string,required:boolean,mentions:int,soft:boolean,domain:string>"
_FOUND_SCHEMA = (
    f"ordinal long, counted boolean, role string, month string, skills array<{_SKILL_TYPE}>"
)
_QUIET_LOGGING = """\
rootLogger.level = error
logger.gateway.name = org.apache.spark.api.python.PythonGatewayServer
logger.gateway.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
"""


class SparkMissingError(NotReadyError):
    """The Spark engine was chosen, but pyspark (or what it needs) is not installed."""

    def __init__(self, missing: str) -> None:
        """Name what is missing and the extra that brings it."""
        super().__init__(
            f"the Spark engine needs {missing}, which is not installed: "
            "it comes with diymasters' 'spark' extra"
        )


class JavaMissingError(NotReadyError):
    """The Spark engine was chosen, but no Java runtime is there to run Spark."""

    def __init__(self) -> None:
        """Say where Java was looked for."""
        super().__init__(
            "the Spark engine needs a Java runtime (17 or later), and there is none "
            "in JAVA_HOME or on the PATH"
        )


class SparkFailedError(DiyMastersError):
    """Spark could not start, or failed while it ran."""

    def __init__(self, error: BaseException) -> None:
        """Keep the first line of Spark's own message, which names the cause."""
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        super().__init__(f"Spark failed: {lines[0] if lines else type(error).__name__}")


class SparkConnectUnsupportedError(NotReadyError):
    """A Spark Connect address was given; this engine runs Python on Spark's executors."""

    def __init__(self, master: str) -> None:
        """Name the address and what works instead."""
        super().__init__(
            f"{master}: Spark Connect is not supported; give a cluster's master URL "
            "(spark://, yarn, k8s://) or local[N]"
        )


def require_spark() -> None:
    """Refuse early, in one sentence, when pyspark, pandas, pyarrow or Java is missing."""
    for module in ("pyspark", "pandas", "pyarrow"):
        try:
            __import__(module)
        except ImportError:
            raise SparkMissingError(module) from None
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return
    if shutil.which("java") is None:
        raise JavaMissingError


@contextlib.contextmanager
def spark_session(master: str | None = None) -> Iterator[SparkSession]:
    """A Spark session for one command, stopped at its end, with nothing left behind.

    Without `master`, the one spark-submit set, else every core of this machine. A session
    already running in this process (a notebook's, or a test module's) is used and left
    running.
    """
    require_spark()
    if master is not None and master.startswith("sc://"):
        raise SparkConnectUnsupportedError(master)
    from pyspark.sql import SparkSession  # noqa: PLC0415 (only when the Spark engine runs)

    running = SparkSession.getActiveSession()
    if running is not None:
        yield running
        return
    # spark-submit starts the JVM with its master before it runs us, and says so thus.
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ
    master = master or ("" if submitted else LOCAL_MASTER)
    with tempfile.TemporaryDirectory(prefix="diymasters-spark-") as scratch:
        builder = SparkSession.builder
        if master:
            builder = builder.master(master)
        builder = (
            builder.appName("diymasters skills corpus")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.local.dir", str(Path(scratch) / "local"))
            .config("spark.sql.warehouse.dir", str(Path(scratch) / "warehouse"))
        )
        if master.startswith("local"):
            # Spark's 200 shuffle partitions suit a cluster; on one machine each is a task.
            builder = builder.config("spark.sql.shuffle.partitions", str(LOCAL_SHUFFLE))
        with _local_environment(master, Path(scratch)), _spark_failures():
            session = builder.getOrCreate()
        try:
            session.sparkContext.setLogLevel("ERROR")
            yield session
        finally:
            session.stop()


@contextlib.contextmanager
def _local_environment(master: str, scratch: Path) -> Iterator[None]:
    """What Spark reads from the environment as it starts, where the user has not set it.

    Its logging: errors only (Spark reads `log4j2.properties` from `SPARK_CONF_DIR`, and sets
    its root level from the logger of the class that started it, pyspark's gateway). On a
    local master, Python workers run this interpreter (Spark's default is `python3` on the
    PATH), so they import the same diymasters.
    """
    (scratch / "log4j2.properties").write_text(_QUIET_LOGGING, encoding="utf-8")
    wanted = {"SPARK_CONF_DIR": str(scratch)}
    if master.startswith("local"):
        wanted["PYSPARK_PYTHON"] = sys.executable
    added = {name: value for name, value in wanted.items() if name not in os.environ}
    os.environ.update(added)
    try:
        yield
    finally:
        for name in added:
            os.environ.pop(name, None)


@contextlib.contextmanager
def _spark_failures() -> Iterator[None]:
    """Spark's and the JVM bridge's errors as one line each."""
    from py4j.protocol import Py4JError  # noqa: PLC0415 (only when the Spark engine runs)
    from pyspark.errors import PySparkException  # noqa: PLC0415

    try:
        yield
    except (PySparkException, Py4JError) as error:
        raise SparkFailedError(error) from error


@dataclass
class SparkCounting:
    """Skills found and demand counted on Spark, batch by batch, for one corpus."""

    session: SparkSession
    taxonomy: skills.Taxonomy
    tagger: bool = False
    #: What the executors found in each batch, kept by Spark until the demand is counted.
    _found: list[DataFrame] = field(default_factory=list, init=False)
    #: The next posting's number, which finds its skills again among those Spark brings back.
    _next: int = field(default=0, init=False)

    def find(
        self,
        texts: Sequence[str],
        analysed: Sequence[AnalysedPosting],
        counted: Sequence[bool],
        on_progress: Callable[[int], None] | None = None,
    ) -> list[skills.Findings]:
        """The skills of a batch of postings, found by Spark; `counted` ones count as demand."""
        if not texts:
            return []
        first = self._next
        self._next += len(texts)
        rows = [
            (first + n, count, posting.role, _month(posting), text)
            for n, (text, posting, count) in enumerate(zip(texts, analysed, counted, strict=True))
        ]
        with _spark_failures():
            frame = self.session.createDataFrame(rows, _POSTINGS_SCHEMA)
            worker = functools.partial(_find_skills, tagger=self.tagger)
            found = _kept(frame.mapInArrow(worker, _FOUND_SCHEMA))
            back = found.select("ordinal", "skills").toArrow().to_pylist()
        self._found.append(found)
        by_ordinal = {row["ordinal"]: _findings(row["skills"]) for row in back}
        if on_progress:
            on_progress(len(texts))
        return [by_ordinal[first + n] for n in range(len(texts))]

    def start(
        self, texts: Sequence[str], analysed: Sequence[AnalysedPosting], counted: Sequence[bool]
    ) -> Callable[[Callable[[int], None] | None], list[skills.Findings]]:
        """What finds a batch's skills when called: Spark's job runs then, not at once."""
        return functools.partial(self.find, texts, analysed, counted)

    def add_stored(self, analysed: Iterable[AnalysedPosting]) -> None:
        """Postings the store holds already, with their stored skills, to count as demand."""
        postings = iter(analysed)
        while batch := list(itertools.islice(postings, SPARK_BATCH)):
            rows = [
                (self._next + n, True, posting.role, _month(posting), _skill_rows(posting.skills))
                for n, posting in enumerate(batch)
            ]
            self._next += len(rows)
            with _spark_failures():
                self._found.append(_kept(self.session.createDataFrame(rows, _FOUND_SCHEMA)))

    def tally(self) -> DemandTally:
        """The demand over every counted posting, counted by Spark."""
        if not self._found:
            return DemandTally()
        with _spark_failures():
            return _tally(functools.reduce(lambda a, b: a.unionAll(b), self._found))


def _kept(frame: DataFrame) -> DataFrame:
    """The frame computed now and kept on the executors' disks, cut from what it was made of.

    A frame made from this process's rows keeps them in the JVM for as long as the frame
    lives, so that Spark could compute it again. A corpus of a million postings sends 50
    batches of text, more than a local master's default heap: Spark stalled in garbage
    collection a third of the way in. Checkpointed, a batch's texts are let go once its
    skills are found.
    """
    from pyspark import StorageLevel  # noqa: PLC0415 (only when the Spark engine runs)

    return frame.localCheckpoint(eager=True, storageLevel=StorageLevel.DISK_ONLY)


def _month(posting: AnalysedPosting) -> str | None:
    return posting.posted.strftime("%Y-%m") if posting.posted else None


def _findings(rows: Sequence[dict[str, Any]]) -> skills.Findings:
    """A posting's skills as Spark brought them back, in the order they were found."""
    return {row["id"]: (row["required"], row["mentions"]) for row in rows}


def _skill_rows(found: Mapping[str, tuple[bool, int]]) -> list[dict[str, Any]]:
    """A posting's skills, each with what the counting needs to know of it."""
    taxonomy = _taxonomy()
    rows = []
    for skill_id, (required, mentions) in found.items():
        skill = taxonomy.skills.get(skill_id)
        rows.append(
            {
                "id": skill_id,
                "required": required,
                "mentions": mentions,
                "soft": skill_id in taxonomy.soft_ids,
                "domain": skill.domain if skill else None,
            }
        )
    return rows


@functools.cache
def _taxonomy() -> skills.Taxonomy:
    """The taxonomy, and the matcher it is found with, loaded once in each process."""
    skills.default_matcher()
    return skills.load_taxonomy()


def _find_skills(batches: Iterable[pa.RecordBatch], *, tagger: bool) -> Iterator[pa.RecordBatch]:
    """On an executor: each Arrow batch of postings with the skills found in its texts."""
    import pyarrow as pa  # noqa: PLC0415 (on Spark's Python workers only)

    skill = pa.struct(
        [
            ("id", pa.string()),
            ("required", pa.bool_()),
            ("mentions", pa.int32()),
            ("soft", pa.bool_()),
            ("domain", pa.string()),
        ]
    )
    _taxonomy()
    for batch in batches:
        texts = batch.column("text").to_pylist()
        found = [_skill_rows(skills.findings(text, tagger=tagger)) for text in texts]
        kept = [batch.column(name) for name in ("ordinal", "counted", "role", "month")]
        yield pa.RecordBatch.from_arrays(
            [*kept, pa.array(found, type=pa.list_(skill))],
            names=["ordinal", "counted", "role", "month", "skills"],
        )


def _tally(found: DataFrame) -> DemandTally:
    """Spark's counts of the demand, in a tally.

    Every count is one group of one aggregation (one Spark job): the kind of count, then
    what it counts (a role, a month, a skill, a domain, or a role or month and a skill).
    """
    from pyspark.sql import functions as f  # noqa: PLC0415 (only when the Spark engine runs)

    counted = found.where("counted")
    named = counted.select("ordinal", "role", "month", f.explode("skills").alias("skill"))
    technical = named.where(~f.col("skill.soft"))
    dated = f.col("month").isNotNull()
    # Each posting's domains once, however many of its technical skills are in one.
    domains = f.array_distinct(
        f.transform(
            f.filter("skills", lambda skill: ~skill.soft & skill.domain.isNotNull()),
            lambda skill: skill.domain,
        )
    )

    def keyed(frame: DataFrame, kind: str, key: str, skill: str | None) -> DataFrame:
        return frame.select(
            f.lit(kind).alias("kind"),
            f.col(key).cast("string").alias("key"),
            (f.col(skill) if skill else f.lit("")).alias("skill"),
            (f.col("skill.required") if skill else f.lit(False)).alias("required"),
        )

    parts = [
        keyed(counted, "postings", "counted", None),
        keyed(counted, "role", "role", None),
        keyed(counted.where(dated), "month", "month", None),
        keyed(named, "skill", "skill.soft", "skill.id"),
        keyed(technical, "role skill", "role", "skill.id"),
        keyed(technical.where(dated), "month skill", "month", "skill.id"),
        keyed(
            counted.select("ordinal", f.explode(domains).alias("domain")), "domain", "domain", None
        ),
    ]
    counts = (
        functools.reduce(lambda a, b: a.unionAll(b), parts)
        .groupBy("kind", "key", "skill")
        .agg(f.count("*").alias("n"), f.sum(f.col("required").cast("int")).alias("required"))
    )
    tally = DemandTally()
    for row in counts.collect():
        _count(tally, row)
    _count_pairs(technical, tally)
    return tally


def _count(tally: DemandTally, row: Any) -> None:  # noqa: ANN401 (a Spark Row)
    """One of Spark's counts into the tally."""
    if row.kind == "postings":
        tally.postings = row.n
    elif row.kind == "role":
        tally.roles[row.key] = row.n
    elif row.kind == "month":
        tally.months[row.key] = row.n
    elif row.kind == "domain":
        tally.domains[row.key] = row.n
    elif row.kind == "role skill":
        tally.role_skills[row.key][row.skill] = row.n
    elif row.kind == "month skill":
        tally.month_skills[row.key][row.skill] = row.n
    else:
        soft = row.key == "true"
        (tally.soft_named if soft else tally.named)[row.skill] = row.n
        (tally.soft_required if soft else tally.required)[row.skill] = row.required


def _count_pairs(technical: DataFrame, tally: DemandTally) -> None:
    """Pairs among the skills the report ranks for co-occurrence (the 40 most named)."""
    from pyspark.sql import functions as f  # noqa: PLC0415 (only when the Spark engine runs)

    top = [skill for skill, _ in ranked(tally.named, 40)]
    if len(top) < 2:  # noqa: PLR2004 (a pair)
        return
    among = technical.where(f.col("skill.id").isin(top)).select(
        "ordinal", f.col("skill.id").alias("id")
    )
    one, other = among.alias("one"), among.alias("other")
    pairs = (
        one.join(
            other,
            (f.col("one.ordinal") == f.col("other.ordinal"))
            & (f.col("one.id") < f.col("other.id")),
        )
        .groupBy(f.col("one.id").alias("a"), f.col("other.id").alias("b"))
        .agg(f.count("*").alias("n"))
    )
    for row in pairs.collect():
        tally.pairs[row.a, row.b] = row.n
