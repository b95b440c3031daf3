"""Everyday commands against `python -c pass`, in one run (issue 18).

    .venv/bin/python benchmarks/startup.py [--repeat N]

Each command runs N times in a fresh process on a throwaway store made from the template;
the median wall time is compared with the median of `python -c pass` measured in the same
run, so a busy machine moves both. Goals: `status --json` at most 8x, `skills extract` of
one paragraph at most 15x. `status --json` is timed three times: as a repeated run finds it
(replayed from the cache, see `diymasters.replay`); right after a write by diymasters (`log`,
not timed), which keeps the answer it leaves; and right after a write by another program (an
UPDATE through Python's sqlite3, not timed), when it is computed afresh. The last has no goal:
it shows what a status costs when nothing kept applies.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "corpus" / "seed-readme.md"
#: The Microsoft paragraph of the seed README, or a paragraph of the same kind without it.
PARAGRAPH = (
    "Experience with Python, C++ and machine learning frameworks such as TensorFlow; "
    "a background in statistics, image processing and information theory."
)
GOALS = {
    "status --json": 8.0,
    "status --json after a write": 8.0,
    "skills extract (one paragraph)": 15.0,
}
#: A write by another program than diymasters: nothing kept can answer the status after it.
FOREIGN_WRITE = (
    "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
    "c.execute(\"UPDATE resource SET notes = notes || '.' WHERE id = 1\"); c.commit()"
)


def paragraph() -> str:
    """The seed's Microsoft paragraph (its lines 20 to 26) when ../shared is there."""
    if SEED.is_file():
        return "\n".join(SEED.read_text(encoding="utf-8").splitlines()[19:26])
    return PARAGRAPH


def median_seconds(
    command: list[str],
    env: dict[str, str],
    repeat: int,
    stdin: str = "",
    before: list[str] | None = None,
) -> float:
    """The median wall time of `command` over `repeat` fresh processes, each after `before`."""
    times = []
    for _ in range(repeat):
        if before:
            subprocess.run(before, env=env, capture_output=True, check=True)  # noqa: S603
        started = time.perf_counter()
        subprocess.run(command, input=stdin, env=env, capture_output=True, text=True, check=True)  # noqa: S603
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    """Time the baseline and each command, and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    cli = [sys.executable, "-m", "diymasters"]
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "XDG_DATA_HOME": home, "XDG_CONFIG_HOME": home, "NO_COLOR": "1"}
        # A learner's Python keeps compiled modules; this machine's environment turns that off.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([*cli, "init"], env=env, capture_output=True, check=True)  # noqa: S603
        baseline = median_seconds([sys.executable, "-c", "pass"], env, args.repeat)
        print(f"python -c pass: {baseline * 1000:.0f} ms (median of {args.repeat})")
        write = [*cli, "log", "Real Python", "0.1"]
        store = Path(home, "diymasters", "diymasters.db")
        foreign_write = [sys.executable, "-c", FOREIGN_WRITE, str(store)]
        commands = {
            "status --json": ([*cli, "status", "--json"], "", None),
            "status --json after a write": ([*cli, "status", "--json"], "", write),
            "status --json after another program's write": (
                [*cli, "status", "--json"],
                "",
                foreign_write,
            ),
            "skills extract (one paragraph)": ([*cli, "skills", "extract", "-"], paragraph(), None),
        }
        for label, (command, stdin, before) in commands.items():
            median_seconds(command, env, 1, stdin)  # compiles modules and fills the user cache
            seconds = median_seconds(command, env, args.repeat, stdin, before)
            ratio = seconds / baseline
            goal = GOALS.get(label)
            verdict = (
                f"goal {goal:.0f}x: {'met' if ratio <= goal else 'not met'}" if goal else "no goal"
            )
            print(f"{label:44} {seconds * 1000:7.0f} ms  {ratio:5.1f}x python -c pass ({verdict})")


if __name__ == "__main__":
    main()
