"""README round trip against markdown-it-py's bare parse of the same bytes, in one run.

    .venv/bin/python benchmarks/readme_bench.py [--repeat N]

For every README in ../shared/corpus/readmes (and the seed) it times, paired on the same
file and alternated so that a busy moment touches both, (a) decode + markdown-it-py parse
with the same preset diymasters uses, and (b) our whole round trip: decode, parse, find the
curriculum, build the model, render back to bytes. It prints the median over files of the
per-file ratio b / a (the goal: at most 1.3), its spread, and the corpus totals.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from markdown_it import MarkdownIt

from diymasters.files import decode
from diymasters.readme import parse_readme, to_curriculum

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
GOAL = 1.3


#: The same preset diymasters uses, built once, as diymasters builds its own once.
BARE = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def bare_parse(data: bytes) -> None:
    """What any tool must do at the least: decode and parse the Markdown."""
    text, _ = decode(data)
    BARE.parse(text)


def round_trip(data: bytes) -> None:
    """Everything `readme check` and `import` do with a file's bytes."""
    document = parse_readme(data)
    to_curriculum(document, "bench")
    if document.render({i.key: i.status for i in document.items()}) != data:
        raise SystemExit("round trip is not byte-identical")


def paired_ratio(data: bytes, repeat: int) -> tuple[float, float, float]:
    """The median seconds of (a) and of (b) on one file, alternated, and their ratio."""
    bare: list[float] = []
    ours: list[float] = []
    for _ in range(repeat):
        for function, timings in ((bare_parse, bare), (round_trip, ours)):
            start = time.perf_counter()
            function(data)
            timings.append(time.perf_counter() - start)
    a, b = statistics.median(bare), statistics.median(ours)
    return a, b, b / a


def main() -> None:
    """Time both on every file, paired, and print the median of the per-file ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    paths = [*sorted((SHARED / "readmes").glob("*.md")), SHARED / "seed-readme.md"]
    paths = [p for p in paths if p.is_file()]
    if not paths:
        sys.exit(f"no corpus at {SHARED}: put ../shared beside the project")
    results = {p.name: paired_ratio(p.read_bytes(), args.repeat) for p in paths}
    ratios = sorted(ratio for _, _, ratio in results.values())
    median = statistics.median(ratios)
    quartiles = statistics.quantiles(ratios, n=4)
    bare = sum(a for a, _, _ in results.values())
    ours = sum(b for _, b, _ in results.values())
    verdict = "meets" if median <= GOAL else "misses"
    print(
        f"{len(paths)} files, paired: median ratio {median:.2f}x ({verdict} the {GOAL}x goal); "
        f"quartiles {quartiles[0]:.2f}x to {quartiles[2]:.2f}x, "
        f"range {ratios[0]:.2f}x to {ratios[-1]:.2f}x"
    )
    print(
        f"totals: markdown-it-py parse {bare * 1000:.1f} ms, diymasters round trip "
        f"{ours * 1000:.1f} ms ({ours / bare:.2f}x)"
    )
    slowest = max(results, key=lambda name: results[name][2])
    print(f"highest ratio: {slowest} ({results[slowest][2]:.2f}x)")


if __name__ == "__main__":
    main()
