"""Run the CLI and end its process abruptly at the Nth write, fsync, rename or store commit.

`python -m tests.killpoints N ARGS...` runs `diymasters ARGS...`. Every file write (through
`os.fdopen`), every `os.fsync`, every `os.replace`/`os.rename` and every store commit is a
kill point, counted from 1. At point N the process calls `os._exit` before doing it, as a
power cut or `kill -9` would stop it. With N = 0 nothing is killed, and the number of points
the run passed is written to the file named by `DIYMASTERS_KILLPOINTS` when it exits.
"""

from __future__ import annotations

import atexit
import os
import sys
from pathlib import Path
from typing import IO, Any, Self

import sqlalchemy as sa
from sqlalchemy import event

#: The exit status of a run ended at its kill point.
KILLED = 86


class _Points:
    def __init__(self, kill_at: int) -> None:
        self.kill_at = kill_at
        self.passed = 0

    def reach(self) -> None:
        self.passed += 1
        if self.passed == self.kill_at:
            os._exit(KILLED)


class _CountedFile:
    """A file object whose writes are kill points."""

    def __init__(self, stream: IO[Any], points: _Points) -> None:
        self._stream = stream
        self._points = points

    def write(self, data: Any) -> int:
        self._points.reach()
        return int(self._stream.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stream.close()


def _install(points: _Points) -> None:
    fsync, replace, rename, fdopen = os.fsync, os.replace, os.rename, os.fdopen

    def counted_fsync(fd: Any) -> None:
        points.reach()
        fsync(fd)

    def counted_replace(src: Any, dst: Any, **kwargs: Any) -> None:
        points.reach()
        replace(src, dst, **kwargs)

    def counted_rename(src: Any, dst: Any, **kwargs: Any) -> None:
        points.reach()
        rename(src, dst, **kwargs)

    def counted_fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        return _CountedFile(fdopen(fd, *args, **kwargs), points)

    os.fsync, os.replace, os.rename = counted_fsync, counted_replace, counted_rename
    os.fdopen = counted_fdopen

    @event.listens_for(sa.engine.Engine, "commit")
    def counted_commit(_connection: Any) -> None:
        points.reach()


def main() -> None:
    """Run the CLI with kill points installed."""
    points = _Points(int(sys.argv[1]))
    report = os.environ.get("DIYMASTERS_KILLPOINTS")
    if report:
        atexit.register(lambda: Path(report).write_text(str(points.passed)))
    _install(points)
    from diymasters.cli import main as cli_main  # noqa: PLC0415 (after the hooks are in)

    cli_main(sys.argv[2:])


if __name__ == "__main__":
    main()
