"""Fault injection: a command ended abruptly at any write, fsync, rename or commit loses nothing.

Each command runs once uninterrupted to count its kill points and to record what it leaves.
Then, for every point N, the same starting state runs the command killed at N (see
`tests/killpoints.py`). After each kill the learner's file is byte for byte either as it was
or as the uninterrupted run leaves it, and running the command again opens the store and
finishes with the file exactly as the uninterrupted run leaves it, with no temporary file
left behind.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import Cli, unmeasured
from tests.killpoints import KILLED

if TYPE_CHECKING:
    from collections.abc import Callable

PROJECT = Path(__file__).resolve().parents[1]
README = """# My masters

## Maths

- [x] Linear Algebra
- [ ] [Calculus](https://calc.example)
  - [ ] Limits
  - [ ] Series
- [ ] Probability

## Code

- [ ] Python
- [ ] C++
"""
UPSTREAM = README.replace("- [ ] Probability\n", "- [ ] Probability\n- [x] Statistics\n").replace(
    "- [ ] C++\n", ""
)
#: Stamps that change on every run of a calendar write.
_STAMP = re.compile(rb"^DTSTAMP:.*$", re.MULTILINE)


@dataclass
class Workdir:
    """A folder holding a README and a store, run as a learner would run the CLI."""

    path: Path

    @property
    def readme(self) -> Path:
        return self.path / "README.md"

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in unmeasured(os.environ).items() if not k.startswith("DIYMASTERS_")}
        env.update(
            HOME=str(self.path / "home"), NO_COLOR="1", DIYMASTERS_DB=str(self.path / "m.db")
        )
        env.update(extra)
        return env

    def run(
        self, *args: str, kill_at: int | None = None, given: str = "", **env: str
    ) -> subprocess.CompletedProcess[str]:
        """Run a command: in this process, or, to count or kill at its points, in its own."""
        if kill_at is None and not env:
            return Cli(db=self.path / "m.db", home=self.path / "home")(*args, stdin=given)
        program = ["diymasters"] if kill_at is None else ["tests.killpoints", str(kill_at)]
        return subprocess.run(
            [sys.executable, "-m", *program, *args],
            cwd=PROJECT,
            env=self.env(**env),
            input=given,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def ok(self, *args: str, given: str = "") -> str:
        done = self.run(*args, given=given)
        assert done.returncode == 0, (args, done.stderr)
        return done.stdout


def _prepare_sync(work: Workdir) -> None:
    work.readme.write_text(README)
    work.ok("import", str(work.readme))
    work.ok("done", "Limits")
    work.ok("drop", "Linear Algebra")  # the file can only show an empty box
    work.ok("add", "Topology", "--domain", "Maths")
    edited = (
        work.readme.read_text()
        .replace("- [ ] Python", "- [x] Python")
        .replace("- [ ] C++\n", "")  # archived
        .replace("- [ ] Probability\n", "")
        .replace("  - [ ] Series\n", "  - [ ] Series\n  - [ ] Probability\n")  # moved
    )
    work.readme.write_text(edited + "\n## Statistics\n\n- [ ] Bayes\n")  # a new domain


def _prepare_merge(work: Workdir) -> None:
    work.readme.write_text(README.replace("- [ ] Python", "- [x] Python"))
    (work.path / "base.md").write_text(README)
    (work.path / "upstream.md").write_text(UPSTREAM)
    work.ok("import", str(work.readme))
    work.ok("log", "Series", "2")
    work.ok("follow", str(work.path / "upstream.md"), "--base", str(work.path / "base.md"))


def _prepare_import(work: Workdir) -> None:
    work.readme.write_text(README)


def _prepare_autosync(work: Workdir) -> None:
    work.readme.write_text(README)
    work.ok("import", str(work.readme))
    work.ok("readme", "autosync", "on")


def _prepare_calendar(work: Workdir) -> None:
    work.readme.write_text(README)
    work.ok("import", str(work.readme))
    posting = "Requirements: Python, linear algebra, statistics and probability.\n"
    work.ok("plan", "--posting", "-", "--hours-per-week", "6", given=posting)


@dataclass(frozen=True)
class Case:
    """A command, the state it starts from, and the file it writes."""

    name: str
    prepare: Callable[[Workdir], None]
    command: tuple[str, ...]
    output: str


CASES = [
    Case("sync", _prepare_sync, ("sync",), "README.md"),
    Case("upstream merge", _prepare_merge, ("upstream", "merge"), "README.md"),
    Case("import", _prepare_import, ("import", "{work}/README.md"), "README.md"),
    Case("done with autosync", _prepare_autosync, ("done", "Probability"), "README.md"),
    Case("calendar", _prepare_calendar, ("progress", "--ics", "{work}/plan.ics"), "plan.ics"),
]


def _snapshot(path: Path) -> bytes | None:
    return _STAMP.sub(b"", path.read_bytes()) if path.exists() else None


def _restore(pristine: Path, work: Path) -> None:
    shutil.rmtree(work)
    shutil.copytree(pristine, work)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_kill_at_any_point_loses_nothing_and_a_rerun_finishes(case: Case, tmp_path: Path) -> None:
    work = Workdir(tmp_path / "work")
    (work.path / "home").mkdir(parents=True)
    case.prepare(work)
    pristine = tmp_path / "pristine"
    shutil.copytree(work.path, pristine)
    output = work.path / case.output
    before = _snapshot(output)
    command = [part.format(work=work.path) for part in case.command]

    counted = tmp_path / "points.txt"
    finished = work.run(*command, kill_at=0, DIYMASTERS_KILLPOINTS=str(counted))
    assert finished.returncode == 0, finished.stderr
    after, points = _snapshot(output), int(counted.read_text())
    assert after is not None
    assert points >= 2
    expected = work.ok("status", "--json")

    for point in range(1, points + 1):
        _restore(pristine, work.path)
        killed = work.run(*command, kill_at=point)
        assert killed.returncode == KILLED, (point, killed.stderr)
        assert _snapshot(output) in {before, after}, f"{case.name}: garbled at point {point}"
        rerun = work.run(*command)
        assert rerun.returncode == 0, (point, rerun.stderr)
        assert _snapshot(output) == after, f"{case.name}: rerun after point {point}"
        assert work.ok("status", "--json") == expected, f"{case.name}: store after {point}"
        assert _leftovers(work.path) == [], f"{case.name}: temporary files after point {point}"
    print(f"{case.name}: {points} kill points")  # noqa: T201 (the closing note quotes it)
