"""Hand-annotated shared postings: which ones, what they ask for, and how a finder scores.

    .venv/bin/python benchmarks/posting_gold.py sample [--per-source N] [--seed S] [--out DIR]
    .venv/bin/python benchmarks/posting_gold.py agree FIRST.yaml SECOND.yaml

`sample` draws postings evenly across the sources in ../shared/corpus/jobs (after collapsing
exact and near duplicates), with a fixed seed, and writes each one's text to DIR for the
annotator to read; nothing of the text is kept in the repository, only the posting's file
and record id and the annotation (benchmarks/postings_gold/*.yaml, by the rules in
benchmarks/postings_gold/GUIDELINES.md).

`agree` scores a second annotator's reading of the same postings against a first's, the way
`skills_eval.py` scores a finder: how far two people following the guidelines agree.

The annotations are split in two by a hash of the posting: `dev` postings may be read while
the extractor is changed; `test` postings are only scored.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from diymasters.postings import Posting, read_path
from diymasters.skills import load_taxonomy
from diymasters.skills.tokens import TOKEN, normalise

ROOT = Path(__file__).resolve().parents[1]
JOBS = ROOT.parent / "shared" / "corpus" / "jobs"
GOLD = ROOT / "benchmarks" / "postings_gold"


@dataclass(frozen=True)
class GoldSkill:
    """A skill a posting asks for, as the annotator named it and as the posting wrote it."""

    name: str
    required: bool
    forms: tuple[str, ...]


@dataclass(frozen=True)
class GoldPosting:
    """One annotated posting: where it is, and the technical skills it asks for."""

    source: str
    record: str | int | None
    #: The posting's `content_hash` when it was annotated: a posting that no longer has it
    #: is another text (its file changed, or record ids were numbered another way).
    content: str
    role: str
    skills: tuple[GoldSkill, ...]
    #: Annotated after the extractor last changed, and never used to tune it.
    held_out: bool = False

    @property
    def key(self) -> tuple[str, str]:
        """The posting's file and record id, as `postings_by_key` names it."""
        return (self.source, str(self.record))

    @property
    def split(self) -> str:
        """`held-out`, or `dev` or `test` fixed by the posting's key."""
        if self.held_out:
            return "held-out"
        digest = hashlib.sha1(repr(self.key).encode(), usedforsecurity=False).digest()
        return "dev" if digest[0] % 2 == 0 else "test"


def read_gold() -> list[GoldPosting]:
    """Every annotated posting in benchmarks/postings_gold/*.yaml.

    Files named `heldout-*.yaml` were annotated after the extractor's last change and never
    used to tune it, so their scores are the unbiased ones.
    """
    return [posting for path in sorted(GOLD.glob("*.yaml")) for posting in read_annotations(path)]


def read_annotations(path: Path) -> list[GoldPosting]:
    """The annotated postings of one file."""
    postings = []
    for row in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        skills = tuple(
            GoldSkill(
                str(skill["name"]),
                bool(skill.get("required", True)),
                tuple(str(form) for form in skill.get("forms", ())),
            )
            for skill in row.get("skills") or ()
        )
        postings.append(
            GoldPosting(
                row["source"],
                row["record"],
                row["content"],
                row["role"],
                skills,
                held_out=path.name.startswith("heldout-"),
            )
        )
    return postings


def postings_by_key() -> dict[tuple[str, str], Posting]:
    """Every shared posting, by its file (relative to the jobs folder) and record id."""
    return {
        (str(Path(posting.source).relative_to(JOBS)), str(posting.record)): posting
        for posting in read_path(JOBS)
    }


def key_of(words: str) -> str:
    """A name or surface form as the matcher compares them: tokens, normalised."""
    return " ".join(normalise(token) for token in TOKEN.findall(words))


def gold_ids(skill: GoldSkill) -> set[str]:
    """The taxonomy skills the annotator's name or forms are names of."""
    by_form = _taxonomy_forms()
    return {by_form[key] for key in map(key_of, (skill.name, *skill.forms)) if key in by_form}


_FORMS: dict[str, str] = {}


def _taxonomy_forms() -> dict[str, str]:
    if not _FORMS:
        for skill in load_taxonomy().skills.values():
            for form in (skill.name, *skill.aliases, *skill.exact):
                _FORMS.setdefault(key_of(form), skill.id)
    return _FORMS


# --- Scoring --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """A skill a finder reports for a posting: its id (if linked), name and surface forms."""

    id: str | None
    name: str
    forms: tuple[str, ...]
    required: bool

    @property
    def keys(self) -> set[str]:
        """Its name and forms as the matcher compares them."""
        return {key_of(self.name), *map(key_of, self.forms)} - {""}


@dataclass
class Score:
    """Posting-level counts over a set of postings, and what was wrong, for the error list."""

    predicted: int = 0
    correct: int = 0
    gold: int = 0
    found: int = 0
    gold_required: int = 0
    found_required: int = 0
    agreed_required: int = 0
    #: Required gold skills that some taxonomy form names, and how many of those were found:
    #: the most a dictionary can find, and how much of it this one does.
    named_required: int = 0
    found_named_required: int = 0
    false_positives: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Of the skills found, the share the annotator marked."""
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        """Of the skills the annotator marked, the share found."""
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def required_recall(self) -> float:
        """Of the required skills the annotator marked, the share found."""
        return self.found_required / self.gold_required if self.gold_required else 0.0

    @property
    def named_share(self) -> float:
        """Of the required gold skills, the share some form in the taxonomy names."""
        return self.named_required / self.gold_required if self.gold_required else 0.0

    @property
    def named_recall(self) -> float:
        """Of the required gold skills the taxonomy names, the share found."""
        return self.found_named_required / self.named_required if self.named_required else 0.0

    @property
    def required_agreement(self) -> float:
        """Of the required gold skills found, the share the finder also calls required."""
        return self.agreed_required / self.found_required if self.found_required else 0.0

    def add(self, gold: GoldPosting, found: list[Found]) -> None:
        """Count one posting: a found skill is right when it names a gold one."""
        self._count(gold, [(_ids_of(item), item.keys, item) for item in found])

    def add_reading(self, gold: GoldPosting, other: GoldPosting) -> None:
        """Count another annotator's reading of the same posting, as if a finder's."""
        self._count(
            gold,
            [
                (gold_ids(skill), _gold_keys(skill), Found(None, skill.name, (), skill.required))
                for skill in other.skills
            ],
        )

    def _count(self, gold: GoldPosting, found: list[tuple[set[str], set[str], Found]]) -> None:
        gold_keys = [(skill, gold_ids(skill), _gold_keys(skill)) for skill in gold.skills]
        matched: set[int] = set()
        self.predicted += len(found)
        for found_ids, found_keys, item in found:
            hits = [
                index
                for index, (_, ids, keys) in enumerate(gold_keys)
                if found_ids & ids or found_keys & keys
            ]
            if hits:
                self.correct += 1
            else:
                self.false_positives.append(item.name.casefold())
            for index in hits:
                if index not in matched and gold_keys[index][0].required and item.required:
                    self.agreed_required += 1
                matched.add(index)
        for index, (skill, ids, _) in enumerate(gold_keys):
            self.gold += 1
            self.gold_required += skill.required
            named = skill.required and bool(ids)
            self.named_required += named
            if index in matched:
                self.found += 1
                self.found_required += skill.required
                self.found_named_required += named
            else:
                self.misses.append(skill.name.casefold())


def _ids_of(item: Found) -> set[str]:
    return set() if item.id is None else {item.id}


def _gold_keys(skill: GoldSkill) -> set[str]:
    return {key_of(skill.name), *map(key_of, skill.forms)} - {""}


# --- Sampling -------------------------------------------------------------------------------


def sample(per_source: int, seed: int) -> list[Posting]:
    """`per_source` distinct postings of each source folder, drawn with `seed`."""
    by_source: dict[str, dict[str, Posting]] = defaultdict(dict)
    for posting in read_path(JOBS):
        folder = Path(posting.source).relative_to(JOBS).parts[0]
        if len(posting.text) >= 400:  # noqa: PLR2004 (a title or a stub is not a posting)
            by_source[folder].setdefault(posting.content_hash, posting)
    chooser = random.Random(seed)  # noqa: S311 (a reproducible sample, not a secret)
    chosen = []
    for folder in sorted(by_source):
        pool = sorted(by_source[folder].values(), key=lambda p: (p.source, str(p.record)))
        chosen.extend(chooser.sample(pool, min(per_source, len(pool))))
    return chosen


def write_sample(postings: list[Posting], out: Path) -> None:
    """Each posting's text in a file of its own, named by its place in the sample."""
    out.mkdir(parents=True, exist_ok=True)
    for number, posting in enumerate(postings, 1):
        source = Path(posting.source).relative_to(JOBS)
        header = (
            f"source: {source}\nrecord: {posting.record}\ncontent: {posting.content_hash}\n"
            f"title: {posting.title}\n---\n"
        )
        name = f"{number:02d}-{re.sub(r'[^a-z0-9]+', '-', str(source).lower())[:40]}.txt"
        (out / name).write_text(header + posting.text + "\n", encoding="utf-8")


def agree(first: Path, second: Path) -> Score:
    """How far a second annotator's file agrees with a first's, over the postings both read."""
    theirs = {posting.content: posting for posting in read_annotations(second)}
    score = Score()
    for posting in read_annotations(first):
        if posting.content in theirs:
            score.add_reading(posting, theirs[posting.content])
    return score


def main() -> None:
    """Draw the sample to annotate, or compare two annotators' readings of it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    drawing = commands.add_parser("sample")
    drawing.add_argument("--per-source", type=int, default=6)
    drawing.add_argument("--seed", type=int, default=20261203)
    drawing.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "to-annotate")
    agreeing = commands.add_parser("agree")
    agreeing.add_argument("first", type=Path)
    agreeing.add_argument("second", type=Path)
    args = parser.parse_args()
    if args.command == "agree":
        score = agree(args.first, args.second)
        print(
            f"{args.second.name} against {args.first.name}: P {score.precision:.3f} "
            f"R {score.recall:.3f} F1 {score.f1:.3f} | required recall "
            f"{score.required_recall:.3f} | {score.correct}/{score.predicted} named by the "
            f"first, {score.found}/{score.gold} of the first's named"
        )
        return
    postings = sample(args.per_source, args.seed)
    write_sample(postings, args.out)
    print(f"{len(postings)} postings written to {args.out}")


if __name__ == "__main__":
    main()
