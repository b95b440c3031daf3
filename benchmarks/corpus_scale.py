"""`skills corpus` on 10k, 100k and 1M postings, on this machine and on Spark (issue 20).

    .venv/bin/python benchmarks/corpus_scale.py [--sizes 10000 100000 1000000]
        [--engines local spark] [--master 'local[2]'] [--seed 20]

The postings are recombined from the real ones in ../shared/corpus/jobs as
`corpus_scaling.py` makes them (a real title and six to twelve lines drawn from different
real postings, so near-duplicate collapsing keeps every one). Each size's corpus is written
once; each engine reads it into a fresh store, in a process of its own, with the matcher
already built in a shared cache. For each it prints seconds, postings a second, the peak RSS
of the driver (the Python process that runs the command: for `local` not its forked extractor
processes, for Spark neither the JVM nor Spark's Python workers), and the time against the
first engine's at the same size, measured in the same run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus_scaling import JOBS, environment, write_corpus

#: Runs the command in this process, then prints this process's peak RSS (KB) to stderr.
DRIVER_PROBE = (
    "import resource, runpy, sys\n"
    "sys.argv = ['diymasters', *sys.argv[1:]]\n"
    "try:\n"
    "    runpy.run_module('diymasters', run_name='__main__')\n"
    "except SystemExit as stopped:\n"
    "    code = stopped.code\n"
    "else:\n"
    "    code = 0\n"
    "print('peak', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, code, file=sys.stderr)\n"
)


def run(corpus: Path, size: int, engine: str, master: str, cache: str) -> tuple[float, float]:
    """Seconds and the driver's peak RSS (MB) of `skills corpus` with one engine."""
    options = ["--json", "--max-postings", str(size), "--engine", engine]
    options += ["--master", master] if engine == "spark" else []
    with tempfile.TemporaryDirectory() as home:
        started = time.perf_counter()
        done = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
            [
                sys.executable,
                "-c",
                DRIVER_PROBE,
                "skills",
                "corpus",
                str(corpus),
                "--json",
                *options,
            ],
            env=environment(home, cache),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - started
    last = done.stderr.splitlines()[-1].split() if done.stderr.strip() else []
    if last[:1] != ["peak"] or last[2:3] != ["0"]:
        sys.exit(f"skills corpus --engine {engine} on {corpus} failed:\n{done.stderr[-2000:]}")
    return seconds, int(last[1]) / 1024


def main() -> None:
    """Make each corpus, run each engine on it, and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--engines", nargs="+", default=["local", "spark"])
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--seed", type=int, default=20)
    args = parser.parse_args()
    if not JOBS.is_dir():
        sys.exit(f"{JOBS} is absent (../shared is not beside the project)")
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as corpora:
        warm = Path(corpora) / "warm.csv"  # the matcher built once, for every run
        write_corpus(warm, 10, args.seed)
        run(warm, 10, "local", args.master, cache)
        print(
            f"{'postings':>9} {'engine':>15} {'seconds':>8} {'per s':>7} {'driver RSS':>10}   time"
        )
        for size in sorted(args.sizes):
            corpus = Path(corpora) / f"synthetic-{size}.csv"
            write_corpus(corpus, size, args.seed)
            base: float | None = None
            for engine in args.engines:
                seconds, peak = run(corpus, size, engine, args.master, cache)
                base = base or seconds
                name = f"spark {args.master}" if engine == "spark" else engine
                print(
                    f"{size:>9,} {name:>15} {seconds:>8.1f} {size / seconds:>7.0f} "
                    f"{peak:>7.0f} MB {seconds / base:>6.2f}x",
                    flush=True,
                )
            corpus.unlink()


if __name__ == "__main__":
    main()
