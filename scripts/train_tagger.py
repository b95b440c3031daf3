"""Train the skill span tagger shipped in the package, from SkillSpan's training split.

    .venv/bin/python scripts/train_tagger.py

Reads ../shared/corpus/labelled/skillspan/train.json only (dev and test stay for the
benchmark), turns each sentence into the features `diymasters.skills.tagger_features` makes
(with the dictionary's matches as a feature) and its skills into B/I/E/S/O tags, trains a
CRF with CRFsuite, and writes `src/diymasters/data/skills/tagger.crfsuite`. The features,
tags and parameters are those that scored best on SkillSpan's dev split (and in
cross-validation within train.json); test is read only to report them. SkillSpan: Zhang,
Jensen, Sonniks and Plank (2022), NAACL-HLT; MIT (repository) / CC BY 4.0 (dataset card).

`posting_examples` makes the same from the postings annotated by hand
(`benchmarks/postings_gold/batch-*.yaml`, never `heldout-*`): each posting's text is read
from ../shared/corpus/jobs, split into sentences and words as the tagger reads it at run time
(`diymasters.skills.tagger_inputs`), and every whole-word, case-insensitive occurrence of a
skill's `forms` is a skill span. `benchmarks/tagger_cv.py` measures, by cross-validation
over those postings, whether they make a better tagger; the shipped model never learns from
them, since the postings' text may not leave the project (../shared/corpus/MANIFEST-data.md).
"""

from __future__ import annotations

import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pycrfsuite
import yaml

from diymasters.postings import read_path
from diymasters.skills import (
    span_tags,
    spans_from_tags,
    tagger_features,
    tagger_inputs,
    word_spans,
)
from diymasters.skills.tagger import covering_words

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "corpus" / "labelled" / "skillspan" / "train.json"
JOBS = ROOT.parent / "shared" / "corpus" / "jobs"
GOLD = ROOT / "benchmarks" / "postings_gold"
OUTPUT = ROOT / "src" / "diymasters" / "data" / "skills" / "tagger.crfsuite"
#: Chosen on SkillSpan's dev split (stop 37): strict F1 0.429, against 0.423 for the former
#: c1 0.05, c2 0.1 and 120 iterations, which stopped short of converging, so that each small
#: change to the dictionary moved the test figure by as much as 0.006.
PARAMETERS: dict[str, object] = {
    "c1": 0.1,
    "c2": 0.05,
    "max_iterations": 200,
    "feature.possible_transitions": True,
}

#: One sentence for the CRF: each word's features, and each word's tag.
Example = tuple[list[dict[str, float]], list[str]]


@dataclass(frozen=True)
class AnnotatedPosting:
    """A posting annotated by hand: its key, its text, and the words it used for its skills."""

    #: The posting's file (under corpus/jobs) and record id, as `posting_gold` names it.
    key: tuple[str, str]
    text: str
    forms: tuple[str, ...]


def skillspan_examples(path: Path = TRAIN) -> list[Example]:
    """SkillSpan's sentences, SKILL and KNOWLEDGE spans alike tagged as skills."""
    examples = []
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            row = json.loads(line)
            tokens = row["tokens"]
            gold = spans_from_tags(row["tags_skill"]) + spans_from_tags(row["tags_knowledge"])
            spans = sorted(set(gold))
            examples.append(
                (
                    tagger_features(tokens, word_spans(tokens, shared=False)),
                    span_tags(len(tokens), spans),
                )
            )
    return examples


def annotated_postings(files: Iterable[Path]) -> list[AnnotatedPosting]:
    """The postings of the annotation files whose text ../shared still holds unchanged."""
    rows = [row for path in files for row in yaml.safe_load(path.read_text("utf-8")) or []]
    texts = {}
    for source in sorted({str(row["source"]) for row in rows}):
        if (JOBS / source).is_file():
            for read in read_path(JOBS / source):
                texts[source, str(read.record)] = read
    postings = []
    for row in rows:
        posting = texts.get((str(row["source"]), str(row["record"])))
        if posting is None or posting.content_hash != row["content"]:
            continue  # another text now: what was annotated is not there to learn from
        forms = tuple(str(f) for skill in row.get("skills") or () for f in skill.get("forms", ()))
        postings.append(AnnotatedPosting((row["source"], str(row["record"])), posting.text, forms))
    return postings


def form_spans(text: str, forms: Iterable[str]) -> list[tuple[int, int]]:
    """Where the forms occur in the text, whole words in any case; the longest win overlaps."""
    found = {
        (match.start(), match.end())
        for form in set(forms)
        if form.strip()
        for match in re.finditer(rf"(?<!\w){re.escape(form.strip())}(?!\w)", text, re.IGNORECASE)
    }
    chosen: list[tuple[int, int]] = []
    for start, end in sorted(found, key=lambda span: (span[0] - span[1], span[0])):
        if all(end <= s or e <= start for s, e in chosen):
            chosen.append((start, end))
    return sorted(chosen)


def posting_examples(posting: AnnotatedPosting, *, skilled_only: bool = False) -> list[Example]:
    """A posting's sentences, as the tagger reads them, with its forms tagged as skills.

    With `skilled_only`, only the sentences that have a skill.
    """
    spans = form_spans(posting.text, posting.forms)
    examples = []
    for sentence in tagger_inputs(posting.text):
        words = [w.group() for w in sentence.words]
        ends = [w.end() for w in sentence.words]
        skills: list[tuple[int, int]] = []
        for start, end in spans:
            if sentence.start <= start and end <= sentence.end:
                first, last = covering_words(sentence.words, ends, start, end)
                if first <= last and all(last < s or e <= first for s, e in skills):
                    skills.append((first, last + 1))
        if skills or not skilled_only:
            examples.append((tagger_features(words, sentence.known), span_tags(len(words), skills)))
    return examples


def train(
    examples: Sequence[Example], output: Path, parameters: dict[str, object] | None = None
) -> float:
    """Train a CRF on the examples, in order, and write it to `output`; the seconds it took."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for features, tags in examples:
        trainer.append(features, tags)
    trainer.set_params(parameters or PARAMETERS)
    started = time.perf_counter()
    output.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(output))
    return time.perf_counter() - started


def main() -> None:
    """Train and write the model."""
    if not TRAIN.is_file():
        sys.exit(f"{TRAIN} is absent: put ../shared beside the project")
    examples = skillspan_examples()
    seconds = train(examples, OUTPUT)
    size = OUTPUT.stat().st_size
    print(f"wrote {OUTPUT}: {len(examples)} sentences, {size:,} bytes, {seconds:.1f} s")


if __name__ == "__main__":
    main()
