"""Peak memory of the CLI on hostile postings, beside a normal posting measured in the same run.

    .venv/bin/python benchmarks/hostile_input.py [--cap-mb 4096] [--case NAME ...]

Each case runs `diymasters skills extract` (or `skills corpus`) on one hostile input: endless
stdin, /dev/zero, a 50 MB text, a YAML alias bomb in front matter, JSON nested 100,000 deep,
front matter nested 50,000 deep, an executable, a million one-word CSV records, and postings
just under the 1 MiB limit: real text, the densest text there is (`y` lines), a line of
150,000 skill names, and unclosed tags. One more raises the limit to read a 5 MB posting, to
show what the limit saves. Each case runs under a fresh measuring subprocess, which reports
`getrusage(RUSAGE_CHILDREN).ru_maxrss`: the peak resident memory of that one CLI run. The
baseline is `skills extract` on a normal 3 KB posting. The measurer caps the CLI's address
space (`--cap-mb`), so that a regression fails with MemoryError instead of taking the
machine (issue 13).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

SHARED_POSTINGS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "jobs"
#: Runs one command with its address space capped and reports the peak RSS of that child.
MEASURE = """
import json, resource, subprocess, sys, time
cap = int(sys.argv[1]) * 2**20
def limit():
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
started = time.perf_counter()
done = subprocess.run(sys.argv[2:], capture_output=True, text=True, preexec_fn=limit)
print(json.dumps({
    "code": done.returncode,
    "seconds": time.perf_counter() - started,
    "peak_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    "stdout_lines": done.stdout.count("\\n"),
    "stdout": done.stdout[:300],
    "stderr": done.stderr[-300:],
}))
"""
#: Writes `y` lines until it is killed, as `yes` does.
ENDLESS = "import sys\nwhile True:\n    sys.stdout.buffer.write(b'y\\n' * 65536)\n"
LIMIT = 1 << 20


@dataclass(frozen=True)
class Case:
    """One command to measure, and what feeds its standard input."""

    name: str
    args: list[str]
    endless_stdin: bool = False


def normal_posting() -> str:
    """A real posting of about 3 KB from ../shared, or a written one when it is absent."""
    for path in sorted(SHARED_POSTINGS.rglob("*.md")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if 2_500 <= len(text.encode()) <= 3_500:  # noqa: PLR2004 (about 3 KB)
            return text
    lines = [
        "Machine Learning Engineer",
        "",
        "Requirements:",
        "- Python, SQL and Git; PyTorch or TensorFlow",
        "- Linear algebra, statistics and probability",
        "- Docker and Kubernetes; AWS or GCP",
        "Nice to have: Spark, Airflow, MLflow.",
        "",
    ]
    return ("\n".join(lines) * 20)[:3_000]


def alias_bomb(levels: int = 9) -> str:
    """About 350 bytes of front matter whose title is 9**levels strings once expanded."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{n}: &a{n} [{','.join([f'*a{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "---\n" + "\n".join(lines) + f"\ntitle: *a{levels - 1}\n---\nPython\n"


def repeated(text: str, size: int) -> bytes:
    """`text` repeated to exactly `size` bytes."""
    data = text.encode()
    return (data * (size // len(data) + 1))[:size]


def write_inputs(folder: Path) -> dict[str, Path]:
    """The hostile files, written once for every case."""
    posting = normal_posting()
    files = {
        "normal.md": posting.encode(),
        "under_limit.txt": repeated(posting, LIMIT - 1),
        "under_limit_y.txt": repeated("y\n", LIMIT - 1),
        "one_line.txt": repeated("Python ", LIMIT - 1),
        "open_tags.html": repeated("<p ", LIMIT - 1),
        "five_mb.txt": repeated(posting, 5_000_000),
        "bomb.md": alias_bomb().encode(),
        "deep.json": ('[{"text": ' + "[" * 100_000 + '"x"' + "]" * 100_000 + "}]").encode(),
        "deep.md": ("---\ntitle: " + "[" * 50_000 + "x" + "]" * 50_000 + "\n---\nx\n").encode(),
        "tiny.csv": ("text\n" + "".join(f"{i}\n" for i in range(1_000_000))).encode(),
    }
    paths = {name: folder / name for name in files}
    for name, data in files.items():
        paths[name].write_bytes(data)
    with (folder / "fifty_mb.txt").open("wb") as out:
        chunk = repeated(posting, 1 << 20)
        for _ in range(50):
            out.write(chunk)
    paths["fifty_mb.txt"] = folder / "fifty_mb.txt"
    return paths


def cases(folder: Path) -> list[Case]:
    """Every case, the baseline first."""
    paths = write_inputs(folder)
    cli = [sys.executable, "-m", "diymasters", "--db", f"sqlite:///{folder / 'store.db'}"]
    extract = [*cli, "skills", "extract"]
    executable = str(Path(sys.executable).resolve())
    return [
        Case("baseline: normal 3 KB posting", [*extract, str(paths["normal.md"])]),
        Case("endless stdin (yes |)", [*extract, "-"], endless_stdin=True),
        Case("/dev/zero", [*extract, "/dev/zero"]),
        Case("50 MB text", [*extract, str(paths["fifty_mb.txt"])]),
        Case("YAML alias bomb in front matter", [*extract, str(paths["bomb.md"])]),
        Case("JSON nested 100,000 deep", [*extract, str(paths["deep.json"])]),
        Case("front matter nested 50,000 deep", [*extract, str(paths["deep.md"])]),
        Case("an executable (python)", [*extract, executable]),
        Case("1,000,000 one-word CSV records", [*cli, "skills", "corpus", str(paths["tiny.csv"])]),
        Case("1 MiB - 1 of real postings", [*extract, str(paths["under_limit.txt"])]),
        Case("1 MiB - 1 of 'y' lines", [*extract, str(paths["under_limit_y.txt"])]),
        Case(
            "1 MiB - 1 of 'Python ', one line, --json",
            [*extract, str(paths["one_line.txt"]), "--json"],
        ),
        Case("1 MiB - 1 of unclosed '<p ' tags", [*extract, str(paths["open_tags.html"])]),
        Case(
            "5 MB posting, limit raised to 6 MB",
            [*extract, str(paths["five_mb.txt"]), "--max-posting-bytes", "6000000"],
        ),
    ]


def measure(case: Case, cap_mb: int) -> dict[str, object]:
    """Run one case in a fresh measuring subprocess and return what it reports."""
    command = [sys.executable, "-c", MEASURE, str(cap_mb), *case.args]
    if not case.endless_stdin:
        return _reported(command, subprocess.DEVNULL)
    with subprocess.Popen(  # noqa: S603 (a fixed interpreter and script of ours)
        [sys.executable, "-c", ENDLESS], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    ) as endless:
        try:
            return _reported(command, endless.stdout)
        finally:
            endless.kill()


def _reported(command: list[str], stdin: int | IO[bytes] | None) -> dict[str, object]:
    done = subprocess.run(  # noqa: S603 (our interpreter, script and CLI)
        command, stdin=stdin, capture_output=True, text=True, check=True
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def outcome(result: dict[str, object]) -> str:
    """The error line the CLI ended with, or how much it printed when it succeeded."""
    if result["code"]:
        lines = str(result["stderr"]).strip().splitlines() or [""]
        return lines[-1][:120]
    first = str(result["stdout"]).split("\n", 1)[0]
    return f"printed {result['stdout_lines']} line(s): {first[:80]}"


def main() -> None:
    """Measure every case (or those named) and print a table of peak RSS against baseline."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--cap-mb", type=int, default=4096, help="Address space per CLI run.")
    parser.add_argument("--case", action="append", help="Only cases whose name has this.")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        every = cases(Path(folder))
        chosen = [every[0]] + [
            case
            for case in every[1:]
            if not options.case or any(part in case.name for part in options.case)
        ]
        baseline = 0
        print(f"{'case':<42} {'exit':>4} {'peak RSS':>9} {'ratio':>6} {'time':>7}  outcome")
        for case in chosen:
            result = measure(case, options.cap_mb)
            peak = int(str(result["peak_kb"]))
            baseline = baseline or peak
            print(
                f"{case.name:<42} {result['code']:>4} {peak / 1024:>6.0f} MB "
                f"{peak / baseline:>5.2f}x {float(str(result['seconds'])):>6.1f}s  "
                f"{outcome(result)}",
                flush=True,
            )
        print(f"(inputs written and all cases run in {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
