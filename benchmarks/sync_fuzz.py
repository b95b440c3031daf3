"""The long run of the sync fuzz: many more READMEs than `make test` tries, and its cost.

    .venv/bin/python benchmarks/sync_fuzz.py [--examples N] [--seed S]

Each example is a README in one checkbox convention (`[]`, `[✔️]`, `[-]`, CRLF, tabs...)
imported into a fresh store, with statuses changed in diymasters and a sync (see
`tests/sync_fuzz.py` for what is checked). It prints how many passed and the time per
example against a baseline measured in the same run: parsing and rendering the same READMEs
back without a store.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests import sync_fuzz

from diymasters.readme import parse_text


def main() -> None:
    """Run the property over many examples and report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=13)
    options = parser.parse_args()
    seen: list[sync_fuzz.Case] = []
    timing = {"sync": 0.0, "baseline": 0.0}

    @seed(options.seed)
    @settings(
        max_examples=options.examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(sync_fuzz.cases())
    def run(case: sync_fuzz.Case) -> None:
        seen.append(case)
        started = time.perf_counter()
        parse_text(case.text).render()
        middle = time.perf_counter()
        sync_fuzz.check(case)
        timing["baseline"] += middle - started
        timing["sync"] += time.perf_counter() - middle

    run()
    count = len(seen)
    print(f"{count} READMEs imported, changed and synced: all passed (seed {options.seed})")
    print(
        f"per example: {timing['sync'] / count * 1000:.1f} ms against "
        f"{timing['baseline'] / count * 1000:.2f} ms to parse and render alone "
        f"({timing['sync'] / timing['baseline']:.0f}x)"
    )


if __name__ == "__main__":
    main()
