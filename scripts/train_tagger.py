"""Train the skill span tagger shipped in the package, from SkillSpan's training split.

    .venv/bin/python scripts/train_tagger.py

Reads ../shared/corpus/labelled/skillspan/train.json only (dev and test stay for the
benchmark), turns each sentence into the features `diymasters.skills.tagger_features` makes
(with the dictionary's matches as a feature) and its skills into B/I/E/S/O tags, trains a
CRF with CRFsuite, and writes `src/diymasters/data/skills/tagger.crfsuite`. The features,
tags and parameters are those that scored best on SkillSpan's dev split (and in
cross-validation within train.json); test is read only to report them. SkillSpan: Zhang,
Jensen, Sonniks and Plank (2022), NAACL-HLT; MIT (repository) / CC BY 4.0 (dataset card).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pycrfsuite

from diymasters.skills import span_tags, spans_from_tags, tagger_features, word_spans

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "corpus" / "labelled" / "skillspan" / "train.json"
OUTPUT = ROOT / "src" / "diymasters" / "data" / "skills" / "tagger.crfsuite"
PARAMETERS = {"c1": 0.05, "c2": 0.1, "max_iterations": 120, "feature.possible_transitions": True}


def main() -> None:
    """Train and write the model."""
    if not TRAIN.is_file():
        sys.exit(f"{TRAIN} is absent: put ../shared beside the project")
    trainer = pycrfsuite.Trainer(verbose=False)
    sentences = 0
    with TRAIN.open(encoding="utf-8") as stream:
        for line in stream:
            row = json.loads(line)
            tokens = row["tokens"]
            gold = spans_from_tags(row["tags_skill"]) + spans_from_tags(row["tags_knowledge"])
            spans = sorted(set(gold))
            trainer.append(
                tagger_features(tokens, word_spans(tokens, shared=False)),
                span_tags(len(tokens), spans),
            )
            sentences += 1
    trainer.set_params(PARAMETERS)
    started = time.perf_counter()
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(OUTPUT))
    seconds = time.perf_counter() - started
    size = OUTPUT.stat().st_size
    print(f"wrote {OUTPUT}: {sentences} sentences, {size:,} bytes, {seconds:.1f} s")


if __name__ == "__main__":
    main()
