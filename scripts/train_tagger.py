"""Train the skill span tagger shipped in the package, from SkillSpan's training split.

    .venv/bin/python scripts/train_tagger.py

Reads ../shared/corpus/labelled/skillspan/train.json only (dev and test stay for the
benchmark), turns each sentence into the features `diymasters.skills.tagger_features` makes
(with the dictionary's matches as a feature), trains a CRF with CRFsuite, and writes
`src/diymasters/data/skills/tagger.crfsuite`. SkillSpan: Zhang, Jensen, Sonniks and Plank
(2022), NAACL-HLT; MIT (repository) / CC BY 4.0 (dataset card).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pycrfsuite

from diymasters.skills import extract, tagger_features

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "corpus" / "labelled" / "skillspan" / "train.json"
OUTPUT = ROOT / "src" / "diymasters" / "data" / "skills" / "tagger.crfsuite"
PARAMETERS = {"c1": 0.1, "c2": 0.05, "max_iterations": 120, "feature.possible_transitions": True}


def bio(length: int, spans: list[tuple[int, int]]) -> list[str]:
    """Spans back to B/I/O tags."""
    tags = ["O"] * length
    for start, end in spans:
        tags[start] = "B"
        for index in range(start + 1, end):
            tags[index] = "I"
    return tags


def gold(tags: list[str]) -> list[tuple[int, int]]:
    """SkillSpan's B/I/O tags to spans."""
    spans, start = [], None
    for index, tag in enumerate([*tags, "O"]):
        if tag in {"B", "O"} and start is not None:
            spans.append((start, index))
            start = None
        if tag == "B":
            start = index
    return spans


def dictionary_spans(tokens: list[str]) -> list[tuple[int, int]]:
    """The dictionary's matches over the given tokens, as word spans."""
    starts, position = [], 0
    for token in tokens:
        starts.append(position)
        position += len(token) + 1
    spans = []
    for mention in extract(" ".join(tokens)):
        first = max(i for i, s in enumerate(starts) if s <= mention.start)
        last = max(i for i, s in enumerate(starts) if s < mention.end)
        spans.append((first, last + 1))
    return spans


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
            spans = sorted(set(gold(row["tags_skill"]) + gold(row["tags_knowledge"])))
            trainer.append(
                tagger_features(tokens, dictionary_spans(tokens)), bio(len(tokens), spans)
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
