"""Replay: the answer to a read-only request kept with the state it was computed from.

The status report as JSON is what a learner, a shell prompt or an editor asks for most, and
most of its second is Python importing SQLAlchemy, pydantic and Typer (issue 18). Its answer
depends only
on the request, the environment, the day, the code, the configuration file and the store's
file. So the answer is kept in the cache directory (`artefacts`) under a digest of the first
five, beside the size and modification time of the configuration and store files (the SQLite
file and its write-ahead log) as they were before the store was read. The next run whose
digest matches, and whose files still have those sizes and times, prints the answer without
importing anything but the standard library; any write, by this tool or another, changes a
time and so computes the answer afresh.

Only a store in an SQLite file is replayed, and never while a study session is under way
(its minutes move). This module imports only the standard library and `artefacts`.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from diymasters import artefacts

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


@dataclass(frozen=True)
class Request:
    """What an answer is for: the request's words, and the store and curriculum it named."""

    words: tuple[str, ...]
    store: str | None
    curriculum: str | None


@dataclass(frozen=True)
class Observed:
    """The files an answer rests on, stamped before the store was read."""

    stamps: tuple[tuple[str, Stamp], ...]

    @classmethod
    def of(cls, paths: Sequence[Path]) -> Observed:
        """Stamp these files now, before the store is read.

        A write made while the store is read then changes a stamp, and the answer is not
        replayed.
        """
        return cls(tuple((str(p), _stamp(p)) for p in paths))

    def unchanged(self) -> bool:
        """Whether every file still has the size and time it had."""
        return all(_stamp(Path(p)) == stamp for p, stamp in self.stamps)


@dataclass(frozen=True)
class _Kept:
    observed: Observed
    answer: bytes


def sqlite_files(url: str, config: Path) -> list[Path] | None:
    """The files an answer from this store rests on; None for a store that is no file."""
    path = url.removeprefix("sqlite:///")
    if path == url or not path or ":memory:" in path or "?" in path:
        return None
    store = Path(path)
    return [config, store, store.with_name(store.name + "-wal")]


def remember(request: Request, observed: Observed, answer: bytes) -> None:
    """Keep an answer for the next identical request, while its files stay as they were."""
    artefacts.keep(_NAME, _inputs(request), _Kept(observed, answer))


def recall(request: Request) -> bytes | None:
    """The answer kept for this request, if nothing it rests on has changed since."""
    kept = artefacts.load(_NAME, _inputs(request))
    if not isinstance(kept, _Kept) or not kept.observed.unchanged():
        return None
    return kept.answer


def _inputs(request: Request) -> Iterator[bytes]:
    """What an answer depends on, besides its files: the request, where and when, the code."""
    yield repr((request.words, request.store, request.curriculum)).encode()
    yield str(Path.cwd()).encode()
    # The learner's local day is the one the answer's weeks and pace are counted to.
    yield dt.date.today().isoformat().encode()  # noqa: DTZ011
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


def _stamp(path: Path) -> Stamp:
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_size, found.st_mtime_ns
