"""Does training the span tagger on annotated postings too make it better on unseen ones?

    PYTHONPATH=src .venv/bin/python benchmarks/tagger_cv.py [--folds 5] [--seed 20261211]
        [--rounds 2000]

Cross-validation by posting over the postings annotated by hand in
`benchmarks/postings_gold/batch-*.yaml` (never `heldout-*`): the postings are shuffled with
the seed and dealt into folds; for each fold, each variant's tagger is trained (by
`scripts/train_tagger.py`'s functions) on SkillSpan's train split and the other folds'
postings, and "dictionary + tagger" is scored on the fold's own postings as
`benchmarks/skills_eval.py` scores it (`our_skills`, `posting_gold.Score`). The scores are
pooled over the folds, beside the dictionary alone and the tagger trained on SkillSpan alone
(which is the same in every fold), with a paired bootstrap over postings of each variant's
F1 against the dictionary's. Every variant is trained in every fold: about eight minutes.

At stop 36 (216 postings, seed 20261211) no variant beat the dictionary alone (F1 0.794):
SkillSpan and the postings together gave 0.780, the postings alone 0.797 (a bootstrap
range of -0.002 to +0.009 about the dictionary, the best of five variants), the shipped
SkillSpan tagger 0.693. A tagger trained on the postings could not ship in any case: their
text has no licence, and ../shared/corpus/MANIFEST-data.md allows it for development and
evaluation only, which a model's word features would carry out of the project. This
benchmark is that evaluation.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from posting_gold import GOLD, Found, GoldPosting, Score, postings_by_key, read_annotations
from skills_eval import our_skills

from diymasters.skills import default_matcher
from diymasters.skills.tagger import load_tagger

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import train_tagger


@dataclass(frozen=True)
class Variant:
    """What a tagger is trained on, and how."""

    name: str
    #: How many times each of the training postings' sentences is given (0: none).
    weight: int = 1
    #: Only the postings' sentences that have a skill.
    skilled_only: bool = False
    #: SkillSpan's training split as well.
    skillspan: bool = True
    parameters: dict[str, object] = field(default_factory=lambda: dict(train_tagger.PARAMETERS))


VARIANTS = (
    Variant("SkillSpan only (shipped)", weight=0),
    Variant("+ postings"),
    Variant("+ postings, sentences with a skill", skilled_only=True),
    Variant("+ postings x3", weight=3),
    Variant(
        "+ postings, c1 0.2 c2 0.05", parameters=train_tagger.PARAMETERS | {"c1": 0.2, "c2": 0.05}
    ),
    Variant("postings only", skillspan=False),
)


#: A posting's counts: skills found right, skills found, gold skills found, gold skills.
Counts = tuple[int, int, int, int]


@dataclass
class Result:
    """A finder's pooled score, each fold's F1, and its models' training time and size."""

    score: Score = field(default_factory=Score)
    folds: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    #: Each posting's counts, for the bootstrap.
    postings: dict[tuple[str, str], Counts] = field(default_factory=dict)

    def add(self, gold: GoldPosting, found: list[Found], fold: Score) -> None:
        """Count one posting in the pooled score, its fold's and its own."""
        self.score.add(gold, found)
        fold.add(gold, found)
        own = Score()
        own.add(gold, found)
        self.postings[gold.key] = (own.correct, own.predicted, own.found, own.gold)


def _f1(counts: list[Counts]) -> float:
    precision = sum(c[0] for c in counts) / sum(c[1] for c in counts)
    recall = sum(c[2] for c in counts) / sum(c[3] for c in counts)
    return 2 * precision * recall / (precision + recall)


def bootstrap(ours: Result, theirs: Result, rounds: int, seed: int) -> tuple[float, float, float]:
    """F1 ours minus theirs over postings drawn with replacement: a 95% interval, share > 0."""
    keys = sorted(ours.postings)
    chooser = random.Random(seed)  # noqa: S311 (a reproducible resampling)
    gaps = []
    for _ in range(rounds):
        drawn = chooser.choices(keys, k=len(keys))
        gaps.append(
            _f1([ours.postings[k] for k in drawn]) - _f1([theirs.postings[k] for k in drawn])
        )
    gaps.sort()
    return (
        gaps[int(0.025 * rounds)],
        gaps[int(0.975 * rounds) - 1],
        sum(g > 0 for g in gaps) / rounds,
    )


def main() -> None:
    """Run the cross-validation and print the pooled scores."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20261211)
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args()
    if not train_tagger.TRAIN.is_file():
        sys.exit(f"{train_tagger.TRAIN} is absent: put ../shared beside the project")
    files = sorted(GOLD.glob("batch-*.yaml"))
    texts = postings_by_key()
    gold = [
        posting
        for path in files
        for posting in read_annotations(path)
        if posting.key in texts and texts[posting.key].content_hash == posting.content
    ]
    annotated = {posting.key: posting for posting in train_tagger.annotated_postings(files)}
    assert sorted(annotated) == sorted(g.key for g in gold)  # noqa: S101 (the same postings)
    keys = sorted(annotated)
    random.Random(args.seed).shuffle(keys)  # noqa: S311 (a reproducible split)
    fold_of = {key: index % args.folds for index, key in enumerate(keys)}
    print(
        f"{len(gold)} postings ({', '.join(p.name for p in files)}), "
        f"{sum(len(g.skills) for g in gold)} skills, {args.folds} folds, seed {args.seed}"
    )
    default_matcher()
    skillspan = train_tagger.skillspan_examples()
    sentences = {
        skilled: {
            key: train_tagger.posting_examples(posting, skilled_only=skilled)
            for key, posting in annotated.items()
        }
        for skilled in (False, True)
    }
    plain = Result()
    results = {variant.name: Result() for variant in VARIANTS}
    with tempfile.TemporaryDirectory() as folder:
        for fold in range(args.folds):
            held = [g for g in gold if fold_of[g.key] == fold]
            alone = Score()
            for posting in held:
                plain.add(posting, our_skills(texts[posting.key].text, tagger=False), alone)
            plain.folds.append(alone.f1)
            for variant in VARIANTS:
                model = Path(folder) / f"{fold}-{variant.name}.crfsuite"
                examples = list(skillspan) if variant.skillspan else []
                for key in keys:
                    if fold_of[key] != fold:
                        examples += sentences[variant.skilled_only][key] * variant.weight
                result = results[variant.name]
                result.seconds.append(train_tagger.train(examples, model, variant.parameters))
                result.sizes.append(model.stat().st_size)
                load_tagger().open(str(model))
                score = Score()
                for posting in held:
                    result.add(posting, our_skills(texts[posting.key].text, tagger=True), score)
                result.folds.append(score.f1)
                print(f"  fold {fold}: {variant.name:40} F1 {score.f1:.3f}", flush=True)
    print("Pooled over the folds (each posting scored by the models not trained on it):")
    _print("dictionary alone", plain)
    for variant in VARIANTS:
        _print(f"dictionary + tagger, {variant.name}", results[variant.name])
    print(f"F1 minus the dictionary's, postings drawn with replacement ({args.rounds} times):")
    for variant in VARIANTS:
        low, high, share = bootstrap(results[variant.name], plain, args.rounds, args.seed)
        gap = results[variant.name].score.f1 - plain.score.f1
        print(
            f"  {variant.name:60} {gap:+.3f}, 95% in [{low:+.3f}, {high:+.3f}], "
            f"above 0 in {share:.0%} of draws"
        )


def _print(label: str, result: Result) -> None:
    score = result.score
    folds = " ".join(f"{f:.3f}" for f in result.folds)
    trained = (
        f" | trained in {sum(result.seconds) / len(result.seconds):.1f} s, "
        f"{sum(result.sizes) / len(result.sizes) / 1e6:.2f} MB"
        if result.seconds
        else ""
    )
    print(
        f"  {label:60} P {score.precision:.3f} R {score.recall:.3f} F1 {score.f1:.3f} | "
        f"required recall {score.required_recall:.3f} | {score.correct}/{score.predicted} "
        f"right, {score.found}/{score.gold} found | fold F1 {folds}{trained}"
    )


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"{time.perf_counter() - started:.0f} s")
