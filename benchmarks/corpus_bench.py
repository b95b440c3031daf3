"""`skills corpus` over ../shared/corpus/jobs: a fresh store, then the same corpus again (issue 18).

    .venv/bin/python benchmarks/corpus_bench.py [--corpus PATH]

Each run is a process of its own on a throwaway store and cache, timed with its peak RSS.
The baseline, measured in the same run, is a process that only reads every byte of the
corpus's files. Goals: the first run in at most 15 s, the second (nothing new to extract)
in at most 3 s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JOBS = ROOT.parent / "shared" / "corpus" / "jobs"
GOALS = {"first run (fresh store)": 15.0, "second run (same corpus)": 3.0}
#: A process that reads every file of a corpus and does nothing with the bytes.
READ_ONLY = (
    "import pathlib, sys\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*')):\n"
    "    if p.is_file(): p.read_bytes()\n"
)


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process running `command`."""
    probe = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode)\n"
    )
    started = time.perf_counter()
    out = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, "-c", probe, *command], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    seconds = time.perf_counter() - started
    if out[1] != "0":
        msg = f"{' '.join(command)} exited with {out[1]}"
        raise RuntimeError(msg)
    return seconds, int(out[0]) / 1024


def main() -> None:
    """Time the baseline and both runs, and print each against its goal."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=JOBS)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"{args.corpus} is absent (../shared is not beside the project)")
    with tempfile.TemporaryDirectory() as home:
        env = {key: value for key, value in os.environ.items() if key != "DIYMASTERS_DB"}
        # A learner's Python keeps compiled modules; this machine's environment turns that off.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env |= {"XDG_DATA_HOME": home, "XDG_CONFIG_HOME": home, "XDG_CACHE_HOME": home}
        env |= {"NO_COLOR": "1"}
        baseline, _ = timed([sys.executable, "-c", READ_ONLY, str(args.corpus)], env)
        print(f"reading the corpus's bytes: {baseline:.2f} s")
        command = [sys.executable, "-m", "diymasters", "skills", "corpus", str(args.corpus)]
        for label, goal in GOALS.items():
            seconds, peak = timed([*command, "--json"], env)
            verdict = "met" if seconds <= goal else "not met"
            print(
                f"{label:26} {seconds:6.2f} s  {seconds / baseline:6.1f}x reading  "
                f"peak RSS {peak:4.0f} MB  (goal {goal:.0f} s: {verdict})"
            )


if __name__ == "__main__":
    main()
