"""Demand: skills in job postings, and how well the curriculum covers them.

Postings are read into the store with the skills found in them; demand comes from one posting,
the stored postings (of one role, if asked) or a target saved under a name, and the gaps
report measures the curriculum's resources, and the catalog entries they are, against it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from diymasters import catalog, coverage, skills, spark_engine
from diymasters.demand import (
    AnalysedPosting,
    DemandReport,
    DemandTally,
    Segment,
    demand_report,
    highlighted,
)
from diymasters.errors import DiyMastersError, InvalidInputError, NotFoundError, NotReadyError
from diymasters.masters.base import SILENT, ExtractionProgress, Part
from diymasters.masters.extract import Engine, found_skills
from diymasters.postings import (
    DEFAULT_LIMITS,
    Limits,
    PassedOver,
    ReadIndex,
    ReadReport,
    SeenHashes,
    read_path,
    read_text,
    redact,
    role_of,
)
from diymasters.recommendations import Postings
from diymasters.serialise import INLINE
from diymasters.store import SavedPostings, SavedTarget, StoredPosting

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from pathlib import Path

    from diymasters.model import Resource
    from diymasters.postings import Posting

    #: Waits for the skills found in a chunk's texts, each heard by the callback; gives them.
    Finish = Callable[[Callable[[int], None] | None], list[skills.Findings]]

#: Postings read, their skills found and stored at a time: memory is bounded by a chunk.
CORPUS_CHUNK = 2_000
#: How the store's postings are named as a demand's source, and how a target saved from them
#: is known to hold shares of postings.
CORPUS_SOURCE = "postings"


@dataclass(frozen=True)
class CorpusReport:
    """Postings read into the store, and the demand for skills across them."""

    read: int
    collapsed: int
    new_in_store: int
    #: Postings stored before whose skills an older extractor found, found again now.
    refreshed: int
    in_store: int
    role_filter: str | None
    #: For each file, which column held the text, the title and the date.
    columns: dict[str, dict[str, str | None]]
    skipped_files: tuple[str, ...]
    demand: DemandReport = field(metadata=INLINE)


@dataclass(frozen=True)
class StoredDemand:
    """The demand across the postings in the store, of one role if one was asked for."""

    role_filter: str | None
    demand: DemandReport = field(metadata=INLINE)


@dataclass(frozen=True)
class PostingAnalysis:
    """One pasted posting: its text cut for marking, the skills found, and the coverage."""

    text: str
    segments: tuple[Segment, ...]
    mentions: tuple[skills.FoundSkill, ...]
    coverage: coverage.CoverageReport


@dataclass(frozen=True)
class PostingsRefreshed:
    """Stored postings whose skills an older extractor found, found again by this one."""

    refreshed: int
    in_store: int
    extractor: str


@dataclass(frozen=True)
class TargetSaved:
    """A demand kept under a name: where it came from and how many skills it weighs."""

    name: str
    source: str
    skills: int


@dataclass(frozen=True)
class CatalogMatch:
    """A resource of the curriculum, and the catalog entry it is (if any) and why."""

    resource: str
    resource_id: int | None
    entry: str | None
    entry_title: str | None
    by: str | None
    score: float | None

    @classmethod
    def of(cls, resource: Resource, match: catalog.Match | None) -> CatalogMatch:
        """The resource and its match, or no match."""
        if match is None:
            return cls(resource.title, resource.id, None, None, None, None)
        return cls(
            resource.title, resource.id, match.entry.id, match.entry.title, match.by, match.score
        )


class NoDemandError(NotReadyError):
    """There is nothing to measure coverage against."""

    def __init__(self, role: str | None) -> None:
        """Say which postings are missing."""
        what = f"no stored postings for the role {role!r}" if role else "no stored postings"
        super().__init__(what)


class PostingWithoutSkillsError(InvalidInputError):
    """A posting names no skill the taxonomy knows, so there is no demand to measure."""

    def __init__(self, soft: Sequence[str] = ()) -> None:
        """Say that nothing can be compared or planned, rather than report 0% of nothing."""
        only = f" (only soft skills: {', '.join(soft)})" if soft else ""
        super().__init__(
            f"the posting names no technical skills diymasters knows{only}; "
            "nothing to compare or plan against"
        )


class DemandPart(Part):
    """Postings in the store, the demand for skills they make, and the curriculum's gaps."""

    def analyse_corpus(
        self,
        path: Path,
        *,
        column: str | None = None,
        title_column: str | None = None,
        date_column: str | None = None,
        role: str | None = None,
        top: int = 30,
        tagger: bool = False,
        progress: ExtractionProgress = SILENT,
        limits: Limits = DEFAULT_LIMITS,
        engine: Engine = Engine.LOCAL,
        master: str | None = None,
    ) -> CorpusReport:
        """Import postings into the store and report the demand for skills across them.

        Postings are read, their skills found and stored a chunk at a time (`CORPUS_CHUNK`,
        or `spark_engine.SPARK_BATCH` on Spark), and the demand is counted as they go, so a
        corpus of any size is held in memory a chunk at a time: one that breaks a limit part
        way keeps the chunks stored before, which a run with the limit raised passes over.
        A file unchanged since it was last read, whose postings the store holds, is not read
        again (see `postings.ReadIndex`). `progress.on_total` hears how many postings need their
        skills found, as far as the corpus has been read. On `Engine.SPARK`, Spark (at
        `master`) finds the skills and counts the demand; this process reads and stores.
        """
        read = ReadReport()
        how = (column, title_column, date_column, limits)
        extractor = skills.extractor_version(tagger=tagger)
        taxonomy = skills.load_taxonomy()
        index = ReadIndex.for_corpus(path, how)
        # Postings an older extractor read are not known: their skills are found again.
        passing = PassedOver(index, self.store.known_hashes(index.hashes(), extractor))
        postings = read_path(
            path,
            column=column,
            title_column=title_column,
            date_column=date_column,
            report=read,
            limits=limits,
            passing=passing,
        )
        read_count = to_find = 0
        saved: list[SavedPostings] = []
        with (
            contextlib.closing(SeenHashes()) as seen,
            _counting(engine, master, taxonomy, tagger=tagger) as (counting, chunk_size),
        ):
            # Each chunk's skills are found while the next is read and the one before stored.
            pending: _Pending | None = None
            try:
                while chunk := list(itertools.islice(postings, chunk_size)):
                    read_count += len(chunk)
                    fresh = self._count_known(_first_sight(chunk, seen), extractor, role, counting)
                    to_find += len(fresh)
                    if progress.on_total:
                        progress.on_total(to_find)
                    started = _Pending(fresh, counting.start(*_to_find(fresh, role)))
                    if pending:
                        saved.append(self._save_found(pending, progress))
                    pending = started
            except DiyMastersError:
                # What was read before a failure (a limit broken part way) is kept all the same.
                if pending:
                    self._save_found(pending, progress)
                raise
            if pending:
                saved.append(self._save_found(pending, progress))
            passing.index.keep(path, how)
            read_count += len(passing.hashes)
            for start in range(0, len(passing.hashes), chunk_size):
                hashes = passing.hashes[start : start + chunk_size]
                marks = seen.first_sight(hashes)
                once = [posting for posting, first in zip(hashes, marks, strict=True) if first]
                self._count_stored(once, role, counting)
            tally = counting.tally()
            distinct = seen.count
        return CorpusReport(
            read=read_count,
            collapsed=read_count - distinct,
            new_in_store=sum(chunk.new for chunk in saved),
            refreshed=sum(chunk.refreshed for chunk in saved),
            in_store=self.store.posting_count(),
            role_filter=role,
            columns=read.columns,
            skipped_files=tuple(read.skipped),
            demand=tally.report(taxonomy, top=top),
        )

    def _count_known(
        self, postings: Sequence[Posting], extractor: str, role: str | None, counting: _Counting
    ) -> list[StoredPosting]:
        """Count the postings stored before with their stored skills; return the others.

        The others are new, or were read by another version of the extractor: their skills
        are to be found.
        """
        known = self.store.known_hashes([p.content_hash for p in postings], extractor)
        self._count_stored(
            [p.content_hash for p in postings if p.content_hash in known], role, counting
        )
        return [_stored(p, {}, extractor) for p in postings if p.content_hash not in known]

    def _save_found(self, pending: _Pending, progress: ExtractionProgress) -> SavedPostings:
        """Wait for a chunk's skills, and store its postings with them."""
        found = pending.finish(progress.on_progress)
        return self.store.save_postings(
            [dataclasses.replace(p, skills=f) for p, f in zip(pending.postings, found, strict=True)]
        )

    def _count_stored(self, hashes: Sequence[str], role: str | None, counting: _Counting) -> None:
        """Count stored postings (of the role, if given) with the skills the store holds."""
        if hashes:
            rows = self.store.analysed_postings(role, hashes=hashes)
            counting.add_stored(AnalysedPosting(*row) for row in rows)

    def prepare_reports(self) -> None:
        """Work out the store's demand and gaps now, so that the first asking finds them kept.

        Over 10,000 postings each takes a second; a server calls this as it starts. Nothing
        to report (no postings, no curriculum) is not an error here: the pages say so.
        """
        self.stored_demand()
        with contextlib.suppress(NotReadyError, NotFoundError):
            self.gaps()

    def refresh_postings(
        self, *, tagger: bool = False, progress: ExtractionProgress = SILENT
    ) -> PostingsRefreshed:
        """Find again, from their stored text, the skills of postings an older extractor read.

        After an upgrade brings a better taxonomy or better rules, the demand already stored
        would otherwise stay as the old extractor found it until each corpus is read again.
        """
        extractor = skills.extractor_version(tagger=tagger)
        stale = self.store.stale_postings(extractor)
        if progress.on_total:
            progress.on_total(len(stale))
        for start in range(0, len(stale), CORPUS_CHUNK):
            chunk = self.store.postings(stale[start : start + CORPUS_CHUNK])
            texts = [posting.text for posting in chunk]
            found = skills.extract_many(texts, on_progress=progress.on_progress, tagger=tagger)
            self.store.save_postings(
                [
                    dataclasses.replace(posting, skills=finding, extractor=extractor)
                    for posting, finding in zip(chunk, found, strict=True)
                ]
            )
        return PostingsRefreshed(len(stale), self.store.posting_count(), extractor)

    def demand(
        self,
        *,
        posting: str | None = None,
        corpus: Path | None = None,
        role: str | None = None,
        target: str | None = None,
        limits: Limits = DEFAULT_LIMITS,
        progress: ExtractionProgress = SILENT,
    ) -> coverage.Demand:
        """What to measure against: a posting, postings (imported first), or a saved target.

        A posting that names no known skill is refused: a 0% gap report or a plan for it
        would answer a question nobody asked (issue 13).
        """
        if target is not None:
            saved = self.store.load_target(target)
            return coverage.demand_of(
                saved.weights,
                skills.load_taxonomy(),
                saved.evidence,
                f"target {saved.name!r}",
                shares=saved.source.startswith(CORPUS_SOURCE),
            )
        if posting is not None:
            taxonomy = skills.load_taxonomy()
            demand = coverage.posting_demand(posting, taxonomy)
            if not demand.weights:
                raise PostingWithoutSkillsError([taxonomy.skills[s].name for s in demand.soft])
            return demand
        if corpus is not None:
            self.analyse_corpus(corpus, limits=limits, progress=progress)
        shares = self._as_of_postings(("shares", role), lambda: self.store.skill_shares(role))
        if not shares:
            raise NoDemandError(role)
        return coverage.share_demand(
            shares, skills.load_taxonomy(), f"{CORPUS_SOURCE} ({role or 'all roles'})"
        )

    def save_target(self, name: str, demand: coverage.Demand) -> TargetSaved:
        """Keep a demand under a name, to measure against later."""
        self.store.save_target(
            SavedTarget(name, demand.source, demand.everything, dict(demand.evidence))
        )
        return TargetSaved(name, demand.source, len(demand.weights))

    def gaps(
        self,
        *,
        posting: str | None = None,
        corpus: Path | None = None,
        role: str | None = None,
        target: str | None = None,
        cheapest: bool = False,
        limits: Limits = DEFAULT_LIMITS,
        progress: ExtractionProgress = SILENT,
    ) -> coverage.CoverageReport:
        """Coverage of job demand by the curriculum, its gaps, and what would close them.

        Demand comes from one posting's text, a corpus of postings (imported into the store
        first, within `limits`), or a saved target; with none of them, from the postings the
        store holds. The recommendations each add the most they can to those above them, or
        with `cheapest` are the least-hours set that closes every gap the catalog teaches.
        """
        if posting is None and corpus is None:  # the store's postings, or a target it keeps
            rules = catalog.load_catalog().rules
            return self._as_of_store(
                ("gaps", self.curriculum_name, role, target, cheapest, rules),
                lambda: self._coverage(
                    self.demand(role=role, target=target),
                    role,
                    cheapest=cheapest,
                    counted=target is None,
                ),
            )
        demand = self.demand(
            posting=posting,
            corpus=corpus,
            role=role,
            target=target,
            limits=limits,
            progress=progress,
        )
        counted = posting is None and target is None
        return self._coverage(demand, role, cheapest=cheapest, counted=counted)

    def _coverage(
        self, demand: coverage.Demand, role: str | None, *, cheapest: bool, counted: bool
    ) -> coverage.CoverageReport:
        """The curriculum's coverage of a demand, with evidence from stored postings.

        A demand `counted` over the stored postings lets each recommendation say how many of
        them ask for what it closes.
        """
        entries = catalog.load_catalog()
        supply = coverage.curriculum_supply(self.curriculum(), entries)
        postings = None
        if counted:
            postings = Postings(
                total=self._as_of_postings(("count", role), lambda: self.store.posting_count(role)),
                role=role,
                asking=lambda skills: self._as_of_postings(
                    ("asking", frozenset(skills), role),
                    lambda: self.store.postings_asking(skills, role),
                ),
            )
        return coverage.coverage_report(
            demand,
            supply,
            entries,
            skills.load_taxonomy(),
            cheapest=cheapest,
            evidence=lambda skill: self._posting_evidence(skill, role),
            postings=postings,
        )

    def _posting_evidence(self, skill_id: str, role: str | None) -> str | None:
        """A sentence from a stored posting asking for the skill; personal details hidden."""
        return self._as_of_postings(
            ("evidence", skill_id, role), lambda: self._read_evidence(skill_id, role)
        )

    def _read_evidence(self, skill_id: str, role: str | None) -> str | None:
        text = self.store.posting_naming(skill_id, role)
        if text is None:
            return None
        mention = next((m for m in skills.extract(text) if m.skill.id == skill_id), None)
        return redact(" ".join(mention.evidence(text).split())) if mention else None

    def catalog_matches(self) -> tuple[CatalogMatch, ...]:
        """Each resource of the curriculum with the catalog entry it is, if any."""
        curriculum = self.curriculum()
        found = catalog.match_curriculum(catalog.load_catalog(), curriculum)
        return tuple(
            CatalogMatch.of(resource, found.get(resource.id) if resource.id is not None else None)
            for resource in curriculum.all_resources()
        )

    def analyse_posting(self, text: str, *, cheapest: bool = False) -> PostingAnalysis:
        """One pasted posting: its skills marked in its text, and the curriculum's coverage.

        With `cheapest`, the recommendations are the least-hours set that closes its gaps.
        """
        posting = read_text(text)
        mentions = found_skills(posting.text, tagger=False)
        return PostingAnalysis(
            text=posting.text,
            segments=highlighted(posting.text, mentions),
            mentions=mentions,
            coverage=self.gaps(posting=posting.text, cheapest=cheapest),
        )

    def stored_demand(self, role: str | None = None, top: int = 30) -> StoredDemand:
        """The demand for skills across the postings in the store (of one role, if given)."""

        def report() -> StoredDemand:
            analysed = [AnalysedPosting(*row) for row in self.store.analysed_postings(role)]
            return StoredDemand(role, demand_report(analysed, skills.load_taxonomy(), top=top))

        return self._as_of_postings(("stored demand", role, top), report)


def _first_sight(chunk: Sequence[Posting], seen: SeenHashes) -> list[Posting]:
    """The postings of a chunk not met before in this corpus (nor earlier in the chunk)."""
    marks = seen.first_sight(posting.content_hash for posting in chunk)
    return [posting for posting, first in zip(chunk, marks, strict=True) if first]


class _Counting(Protocol):
    """Finds the skills of new postings and counts the demand, for one corpus."""

    def start(
        self, texts: Sequence[str], analysed: Sequence[AnalysedPosting], counted: Sequence[bool]
    ) -> Finish:
        """Begin finding the skills in each text; the postings `counted` count as demand."""

    def add_stored(self, analysed: Iterable[AnalysedPosting]) -> None:
        """Stored postings, with their stored skills, to count as demand."""

    def tally(self) -> DemandTally:
        """The demand counted."""


@dataclass(frozen=True)
class _Pending:
    """A chunk's new postings, their skills being found."""

    postings: list[StoredPosting]
    finish: Finish


def _to_find(
    postings: Sequence[StoredPosting], role: str | None
) -> tuple[list[str], list[AnalysedPosting], list[bool]]:
    """The texts whose skills to find, what the demand needs of each, and which count for it."""
    return (
        [p.text for p in postings],
        [AnalysedPosting(p.role, p.posted, {}) for p in postings],
        [role is None or p.role.lower() == role.lower() for p in postings],
    )


@dataclass
class _LocalCounting:
    """This machine's cores find the skills (`skills.Extraction`); this process counts."""

    taxonomy: skills.Taxonomy
    extraction: skills.Extraction
    counts: DemandTally = field(default_factory=DemandTally)

    def start(
        self, texts: Sequence[str], analysed: Sequence[AnalysedPosting], counted: Sequence[bool]
    ) -> Finish:
        """Hand the texts to the workers; finishing counts the `counted` ones as demand."""
        found = self.extraction.start(texts)

        def finish(on_progress: Callable[[int], None] | None) -> list[skills.Findings]:
            results = skills.collected(found, on_progress)
            self.add_stored(
                dataclasses.replace(posting, skills=finding)
                for posting, finding, count in zip(analysed, results, counted, strict=True)
                if count
            )
            return results

        return finish

    def add_stored(self, analysed: Iterable[AnalysedPosting]) -> None:
        """Stored postings, with their stored skills, to count as demand."""
        for posting in analysed:
            self.counts.add(posting, self.taxonomy)

    def tally(self) -> DemandTally:
        """The demand counted."""
        return self.counts


@contextlib.contextmanager
def _counting(
    engine: Engine, master: str | None, taxonomy: skills.Taxonomy, *, tagger: bool
) -> Iterator[tuple[_Counting, int]]:
    """The engine that finds and counts, and how many postings to read for each of its chunks."""
    if engine is Engine.LOCAL:
        extraction = skills.Extraction(tagger=tagger)
        try:
            yield _LocalCounting(taxonomy, extraction), CORPUS_CHUNK
        finally:
            extraction.close()
        return
    with spark_engine.spark_session(master) as session:
        yield spark_engine.SparkCounting(session, taxonomy, tagger), spark_engine.SPARK_BATCH


def _stored(posting: Posting, finding: skills.Findings, extractor: str) -> StoredPosting:
    """A posting with its skills, as the store keeps it."""
    return StoredPosting(
        content_hash=posting.content_hash,
        source=posting.source,
        title=posting.title,
        role=role_of(posting.title),
        posted=posting.posted,
        text=posting.text,
        skills=finding,
        extractor=extractor,
    )
