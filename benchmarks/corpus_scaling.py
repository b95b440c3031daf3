"""`skills corpus` on 1k, 10k and 100k postings: time and peak RSS, to check both scale (issue 18).

    .venv/bin/python benchmarks/corpus_scaling.py [--sizes 1000 10000 100000] [--seed 18]

The postings are recombined from the real ones in ../shared/corpus/jobs: each is a title
and six to twelve lines drawn from different real postings, so every one is new to the
store. Each size runs in a process of its own on a fresh store and cache. It prints seconds,
postings a second, peak RSS, and the time per posting against the smallest size's, measured
in the same run (1.0x is linear). Goals: peak RSS at most 300 MB at 10k and 400 MB at 100k.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from diymasters.postings import read_path

ROOT = Path(__file__).resolve().parents[1]
JOBS = ROOT.parent / "shared" / "corpus" / "jobs"
RSS_GOALS_MB = {10_000: 300, 100_000: 400}
#: A line shorter than this is a heading or a bullet's stub, not worth drawing.
MIN_LINE = 20


def real_lines(limit: int = 5_000) -> tuple[list[str], list[str]]:
    """Titles and non-empty text lines of real postings, from the first `limit` read."""
    titles, lines = [], []
    for number, posting in enumerate(read_path(JOBS)):
        if number >= limit:
            break
        titles.append(posting.title or "Data Scientist")
        lines += [
            line.strip() for line in posting.text.splitlines() if len(line.strip()) > MIN_LINE
        ]
    return titles, lines


def write_corpus(path: Path, size: int, seed: int) -> None:
    """A CSV of `size` postings recombined from real titles and lines."""
    rng = random.Random(seed)  # noqa: S311 (sampling, not secrets)
    titles, lines = real_lines()
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["title", "description"])
        for _ in range(size):
            body = "\n".join(rng.sample(lines, rng.randint(6, 12)))
            writer.writerow([rng.choice(titles), body])


def environment(home: str, cache: str) -> dict[str, str]:
    """This environment with a fresh store in `home` and the built matcher kept in `cache`."""
    env = {key: value for key, value in os.environ.items() if key != "DIYMASTERS_DB"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env | {"XDG_DATA_HOME": home, "XDG_CONFIG_HOME": home, "XDG_CACHE_HOME": cache}


def run(corpus: Path, home: str, cache: str) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of `skills corpus` on a fresh store in `home`."""
    env = environment(home, cache)
    probe = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode)\n"
    )
    command = [sys.executable, "-m", "diymasters", "skills", "corpus", str(corpus), "--json"]
    started = time.perf_counter()
    out = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, "-c", probe, *command], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    if out[1] != "0":
        sys.exit(f"skills corpus on {corpus} exited with {out[1]}")
    return time.perf_counter() - started, int(out[0]) / 1024


def main() -> None:
    """Make each corpus, run it on a fresh store, and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    if not JOBS.is_dir():
        sys.exit(f"{JOBS} is absent (../shared is not beside the project)")
    base: float | None = None
    with tempfile.TemporaryDirectory() as cache:
        with tempfile.TemporaryDirectory() as home:  # the matcher built once, for every size
            warm = Path(home) / "warm.csv"
            write_corpus(warm, 10, args.seed)
            run(warm, home, cache)
        print(f"{'postings':>9} {'seconds':>8} {'per s':>7} {'peak RSS':>9} {'per posting':>12}")
        for size in sorted(args.sizes):
            with tempfile.TemporaryDirectory() as home:
                corpus = Path(home) / f"synthetic-{size}.csv"
                write_corpus(corpus, size, args.seed)
                seconds, peak = run(corpus, home, cache)
            per = seconds / size
            base = base or per
            goal = RSS_GOALS_MB.get(size)
            verdict = f"  (goal {goal} MB: {'met' if peak <= goal else 'not met'})" if goal else ""
            print(
                f"{size:>9,} {seconds:>8.1f} {size / seconds:>7.0f} {peak:>7.0f} MB "
                f"{per / base:>11.2f}x{verdict}"
            )


if __name__ == "__main__":
    main()
