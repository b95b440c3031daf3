"""Skill extraction quality against SkillSpan and Decorte et al., with SkillNER in the same run.

    .venv/bin/python benchmarks/skills_eval.py [--skillner-sample N] [--no-skillner]

Span level (SkillSpan dev and test; SKILL and KNOWLEDGE spans together): precision, recall
and F1, strict (same token boundaries) and loose (any overlap), for the dictionary alone
and with the span tagger (trained on train.json only, by scripts/train_tagger.py).
SkillNER runs in its own virtual environment (../skillner-venv, see
../shared/baselines/skillner/README.md) on an evenly spread sample of N sentences of each
split, because it handles about one posting a second; diymasters (with the tagger) is
reported on the same sentences and on the whole split.

Linking (Decorte TECH, HOUSE, TECHWOLF): for each span (or sentence, for TECHWOLF), the ESCO
labels of the skills found in it, in order, scored as R-Precision@5 against the gold labels.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import time
from collections import defaultdict
from pathlib import Path

from diymasters.skills import (
    default_matcher,
    extract,
    load_taxonomy,
    spans_from_tags,
    word_spans,
)

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT.parent / "shared" / "corpus" / "labelled"
SKILLNER_DIR = ROOT.parent / "shared" / "baselines" / "skillner"
SKILLNER_PYTHON = ROOT.parent / "skillner-venv" / "bin" / "python"

Span = tuple[int, int]


def read_skillspan(split: str) -> list[tuple[list[str], list[Span]]]:
    """Sentences of a SkillSpan split with their gold SKILL and KNOWLEDGE spans."""
    sentences = []
    with (LABELLED / "skillspan" / f"{split}.json").open(encoding="utf-8") as stream:
        for line in stream:
            row = json.loads(line)
            spans = spans_from_tags(row["tags_skill"]) + spans_from_tags(row["tags_knowledge"])
            sentences.append((row["tokens"], sorted(set(spans))))
    return sentences


def our_spans(tokens: list[str], *, tagger: bool = True) -> list[Span]:
    """Our mentions in the sentence, as token spans."""
    return word_spans(tokens, tagger=tagger)


def skillner_spans(sentences: list[list[str]]) -> list[list[Span]]:
    """SkillNER's spans, from its own environment."""
    lines = "".join(json.dumps({"tokens": tokens}) + "\n" for tokens in sentences)
    result = subprocess.run(  # noqa: S603 (a fixed interpreter and script of ours)
        [str(SKILLNER_PYTHON), str(ROOT / "benchmarks" / "skillner_runner.py")],
        input=lines,
        capture_output=True,
        text=True,
        cwd=SKILLNER_DIR,
        check=True,
    )
    return [
        [(int(s[0]), int(s[1])) for s in json.loads(line)["spans"]]
        for line in result.stdout.splitlines()
    ]


def scores(predicted: list[list[Span]], gold: list[list[Span]]) -> dict[str, float]:
    """Strict and loose precision, recall and F1 over all sentences."""
    counts: dict[str, float] = defaultdict(float)
    for ours, theirs in zip(predicted, gold, strict=True):
        ours_set, gold_set = set(ours), set(theirs)
        counts["predicted"] += len(ours_set)
        counts["gold"] += len(gold_set)
        counts["strict"] += len(ours_set & gold_set)
        counts["loose_p"] += sum(1 for p in ours_set if any(_overlap(p, g) for g in gold_set))
        counts["loose_r"] += sum(1 for g in gold_set if any(_overlap(p, g) for p in ours_set))
    result: dict[str, float] = {}
    for kind, hits_p, hits_r in (
        ("strict", counts["strict"], counts["strict"]),
        ("loose", counts["loose_p"], counts["loose_r"]),
    ):
        precision = hits_p / counts["predicted"] if counts["predicted"] else 0.0
        recall = hits_r / counts["gold"] if counts["gold"] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result |= {f"{kind}_p": precision, f"{kind}_r": recall, f"{kind}_f1": f1}
    return result


def _overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def print_scores(label: str, result: dict[str, float], seconds: float, sentences: int) -> None:
    """One line of span scores."""
    print(
        f"  {label:44} strict P {result['strict_p']:.3f} R {result['strict_r']:.3f} "
        f"F1 {result['strict_f1']:.3f} | loose P {result['loose_p']:.3f} R {result['loose_r']:.3f} "
        f"F1 {result['loose_f1']:.3f} | {sentences / seconds:8.0f} sentences/s"
    )


def span_benchmark(sample: int, *, with_skillner: bool) -> None:
    """SkillSpan dev and test."""
    for split in ("dev", "test"):
        data = read_skillspan(split)
        print(f"SkillSpan {split}: {len(data)} sentences")
        for label, tagger in (("dictionary", False), ("dictionary + tagger", True)):
            start = time.perf_counter()
            ours = [our_spans(tokens, tagger=tagger) for tokens, _ in data]
            elapsed = time.perf_counter() - start
            gold_all = [g for _, g in data]
            print_scores(
                f"diymasters {label}, whole split", scores(ours, gold_all), elapsed, len(data)
            )
        if not with_skillner:
            continue
        stride = max(1, len(data) // sample)
        chosen = list(range(0, len(data), stride))[:sample]
        subset = [data[i] for i in chosen]
        gold = [g for _, g in subset]
        start = time.perf_counter()
        mine = scores([our_spans(tokens) for tokens, _ in subset], gold)
        print_scores(
            f"diymasters, {len(subset)} sampled", mine, time.perf_counter() - start, len(subset)
        )
        start = time.perf_counter()
        baseline = scores(skillner_spans([tokens for tokens, _ in subset]), gold)
        print_scores(
            f"SkillNER, same {len(subset)}", baseline, time.perf_counter() - start, len(subset)
        )
        print(
            f"  loose F1 {mine['loose_f1'] - baseline['loose_f1']:+.3f} and strict F1 "
            f"{mine['strict_f1'] - baseline['strict_f1']:+.3f} over SkillNER "
            "(goal: loose at least +0.10, strict above)"
        )


def esco_labels(text: str, label_of: dict[str, str]) -> list[str]:
    """ESCO preferred labels of the skills found in a text, first found first."""
    found: list[str] = []
    for mention in extract(text):
        label = label_of.get(mention.skill.esco or "")
        if label and label not in found:
            found.append(label)
    return found


def r_precision_at_5(predicted: list[str], gold: set[str]) -> float:
    """Share of the gold labels in the top five, out of at most five."""
    return len(set(predicted[:5]) & gold) / min(5, len(gold))


def linking_benchmark() -> None:
    """Decorte et al.: ESCO linking of spans and sentences."""
    taxonomy = load_taxonomy()
    esco_names = {s.esco: s.name for s in taxonomy.skills.values() if s.esco and s.source == "esco"}
    label_of = {s.esco: esco_names.get(s.esco, s.name) for s in taxonomy.skills.values() if s.esco}
    folder = LABELLED / "decorte_esco"
    for name in ("tech_test", "house_test", "techwolf_test"):
        gold: dict[str, set[str]] = defaultdict(set)
        with (folder / f"{name}_annotations.csv").open(encoding="utf-8", newline="") as stream:
            for row in csv.DictReader(stream):
                if row["label"] in {"LABEL NOT PRESENT", "UNDERSPECIFIED"}:
                    continue
                key = row.get("span") or row["sentence"]
                gold[key].add(row["label"])
        values = [
            r_precision_at_5(esco_labels(text, label_of), labels) for text, labels in gold.items()
        ]
        linked = sum(1 for v in values if v > 0)
        print(
            f"Decorte {name}: {len(values)} items, R-Precision@5 {sum(values) / len(values):.3f} "
            f"({linked} with a correct label in the top five)"
        )


def main() -> None:
    """Run the span and linking benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skillner-sample", type=int, default=300)
    parser.add_argument("--no-skillner", action="store_true")
    args = parser.parse_args()
    default_matcher()
    with_skillner = not args.no_skillner and SKILLNER_PYTHON.is_file()
    if not with_skillner:
        print(f"SkillNER not run ({SKILLNER_PYTHON} absent or --no-skillner)")
    span_benchmark(args.skillner_sample, with_skillner=with_skillner)
    linking_benchmark()


if __name__ == "__main__":
    main()
