"""Replay: the answer to a read-only request kept with the state it was computed from.

The status report as JSON is what a learner, a shell prompt or an editor asks for most, and
most of its second is Python importing SQLAlchemy, pydantic and Typer (issue 18). Its answer
depends only on the request, the environment, the day, the code, the configuration file and
the store's file. So the answer is kept in the cache directory (`artefacts`) under a digest of
the first five, beside the size and modification time of the configuration and store files
(the SQLite file and its write-ahead log) as they were before the store was read. The next
run whose digest matches, and whose files still have those sizes and times, prints the answer
without importing anything but the standard library; any write, by this tool or another,
changes a time and so computes the answer afresh. A command of this tool that writes
computes it as it ends (`outdated`), while SQLAlchemy is loaded anyway, so the status asked
for after it is replayed too.

Only a store in an SQLite file is replayed, and never while a study session is under way
(its minutes move). Being on the path of every replayed run, this module imports only the
standard library and `artefacts`, and keeps its records as plain tuples (no `dataclasses`,
whose import alone costs a third of a replay).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from diymasters import artefacts

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

#: Environment variables that can change an answer, besides those naming the store
#: and the curriculum (which are part of the request).
_PREFIXES = ("DIYMASTERS_", "XDG_")
_NAMES = ("HOME", "TZ", "LANG", "LC_ALL", "LC_CTYPE", "PYTHONIOENCODING", "PYTHONUTF8")
_NAME = "replay-status"
_PACKAGE = Path(__file__).parent

#: A file's size and modification time in nanoseconds, or None where there is no file.
Stamp = tuple[int, int] | None
#: What an answer is for: the request's words, and the store and the curriculum it named.
Request = tuple[tuple[str, ...], str | None, str | None]
#: The files an answer rests on, each with its stamp from before the store was read.
Observed = tuple[tuple[str, Stamp], ...]


def sqlite_files(url: str, config: str) -> list[str] | None:
    """The files an answer from this store rests on; None for a store that is no file."""
    path = url.removeprefix("sqlite:///")
    if path == url or not path or ":memory:" in path or "?" in path:
        return None
    return [config, path, f"{path}-wal"]


def observe(paths: Sequence[str]) -> Observed:
    """Stamp these files now, before the store is read.

    A write made while the store is read then changes a stamp, and the answer is not replayed.
    """
    return tuple((path, _stamp(path)) for path in paths)


def remember(request: Request, observed: Observed, answer: bytes) -> None:
    """Keep an answer for the next identical request, while its files stay as they were."""
    artefacts.keep(_NAME, _inputs(request), (observed, answer))


def recall(request: Request) -> bytes | None:
    """The answer kept for this request, if nothing it rests on has changed since."""
    kept = artefacts.load(_NAME, _inputs(request))
    match kept:
        case (tuple() as observed, bytes() as answer) if _unchanged(observed):
            return answer
    return None


def outdated(request: Request) -> bool:
    """Whether an answer was kept for this request and something it rests on changed since.

    A command that wrote to the store asks this when it ends: a learner who asks for the
    status as JSON (a shell prompt, an editor) then finds the new answer kept, not computed.
    """
    kept = artefacts.load(_NAME, _inputs(request))
    match kept:
        case (tuple() as observed, bytes()):
            return not _unchanged(observed)
    return False


def _unchanged(observed: Observed) -> bool:
    """Whether every file still has the size and time it had."""
    return all(_stamp(path) == stamp for path, stamp in observed)


def _inputs(request: Request) -> Iterator[bytes]:
    """What an answer depends on, besides its files: the request, where and when, the code."""
    yield repr(request).encode()
    yield str(Path.cwd()).encode()
    # The learner's local day is the one the answer's weeks and pace are counted to.
    yield time.strftime("%Y-%m-%d").encode()
    yield repr(sorted(_environment().items())).encode()
    yield repr(sorted(_code())).encode()


def _environment() -> dict[str, str]:
    return {
        key: value
        for key, value in os.environ.items()
        if key.startswith(_PREFIXES) or key in _NAMES
    }


def _code() -> Iterator[tuple[str, Stamp]]:
    """Every file of the package with its stamp: a new version or an edit is new code."""
    for folder, subfolders, files in os.walk(_PACKAGE):
        subfolders[:] = [s for s in subfolders if s != "__pycache__"]
        for name in files:
            path = Path(folder, name)
            yield str(path.relative_to(_PACKAGE)), _stamp(path)


def _stamp(path: str | Path) -> Stamp:
    try:
        found = Path(path).stat()
    except OSError:
        return None
    return found.st_size, found.st_mtime_ns
