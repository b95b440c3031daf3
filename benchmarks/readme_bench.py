"""README round trip against markdown-it-py's bare parse of the same bytes, in one run.

    .venv/bin/python benchmarks/readme_bench.py [--repeat N]

For every README in ../shared/corpus/readmes (and the seed), and for the largest alone, it
times (a) decode + markdown-it-py parse with the same preset diymasters uses, and (b) our
whole round trip: decode, parse, find the curriculum, build the model, render back to bytes.
It prints the ratio b / a. The goal is at most 1.5.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt

from diymasters.files import decode
from diymasters.readme import parse_readme, to_curriculum

if TYPE_CHECKING:
    from collections.abc import Callable

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
GOAL = 1.5


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


def best_of(function: Callable[[bytes], None], files: list[bytes], repeat: int) -> float:
    """Median of `repeat` timings of the function over all files, in seconds."""
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        for data in files:
            function(data)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    """Time both over the corpus and the largest file, interleaved, and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    paths = [*sorted((SHARED / "readmes").glob("*.md")), SHARED / "seed-readme.md"]
    paths = [p for p in paths if p.is_file()]
    if not paths:
        sys.exit(f"no corpus at {SHARED}: put ../shared beside the project")
    corpus = [p.read_bytes() for p in paths]
    largest = max(paths, key=lambda p: p.stat().st_size)
    for label, files in (
        (f"all {len(corpus)} files, {sum(map(len, corpus)):,} bytes", corpus),
        (
            f"largest alone: {largest.name} ({largest.stat().st_size:,} bytes)",
            [largest.read_bytes()],
        ),
    ):
        bare = best_of(bare_parse, files, args.repeat)
        ours = best_of(round_trip, files, args.repeat)
        verdict = "meets" if ours / bare <= GOAL else "misses"
        print(
            f"{label}\n  markdown-it-py parse {bare * 1000:8.1f} ms   "
            f"diymasters round trip {ours * 1000:8.1f} ms   ratio {ours / bare:.2f}x "
            f"({verdict} the {GOAL}x goal)"
        )


if __name__ == "__main__":
    main()
