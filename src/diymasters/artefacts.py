"""Built objects kept on disk, so that a command reading one posting does not build them again.

Building the matcher from the shipped taxonomy (14,000 skills, their forms indexed in two
tries) takes over a second, and checking the catalog's YAML a third of one; loading either
back with the garbage collector paused takes a fraction of that (issue 18). The file lives
in the user's cache directory, named by a digest of everything it was built from (the
taxonomy, the code that builds it, the Python that wrote it), so a new taxonomy or a new
matcher never loads a stale one. A file that cannot be read is built again and replaced; a
cache directory that cannot be written to only costs the time. Objects are pickled unless
their builder passes a `Codec` of its own: the matcher writes an index that it reads a word
at a time, since one posting needs a few hundred of its thousands of entries.

`keep` and `load` do the same for what is not built but kept from one run to the next: the
files of a corpus as they were last read.

The files are the user's own, written by this package into a directory only they write to,
so unpickling them trusts nothing the package does not already trust.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import platformdirs

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

T = TypeVar("T")


class Codec(Generic[T]):
    """How a built object is written to its file, and read back.

    `read` raises ValueError, EOFError or TypeError on bytes it cannot read (another format,
    a damaged file), and the object is then built again. A plain class, not a dataclass: a
    replayed answer (`replay`) loads this module, and must not load `dataclasses` with it.
    """

    def __init__(
        self, suffix: str, write: Callable[[T], bytes], read: Callable[[bytes], T]
    ) -> None:
        """Name the file's suffix, which tells one format's files from another's, and the codec."""
        self.suffix = suffix
        self.write = write
        self.read = read


def _pickled(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


#: The codec of everything that names no other: the user's own cache, see above.
PICKLE: Codec[Any] = Codec(".pickle", _pickled, pickle.loads)
#: A version's file name: the name, the digest's first characters, the codec's suffix.
_DIGEST_CHARS = 16


def cache_dir() -> Path:
    """Where built objects are kept: the user's cache directory for diymasters."""
    return Path(platformdirs.user_cache_dir("diymasters", appauthor=False))


def load_or_build(
    name: str, inputs: Iterable[bytes], build: Callable[[], T], codec: Codec[T] = PICKLE
) -> T:
    """The object `build` makes from `inputs`, from the cache when it holds this version."""
    path = _version_path(name, inputs, codec)
    with _collector_paused():
        found = _read(path, codec)
        if found is not None:
            return found
        built = build()
    _write(path, built, codec)
    _remove_other_versions(path, name)
    return built


def load(name: str, inputs: Iterable[bytes]) -> object | None:
    """What `keep` last kept under `name` for these `inputs`, or None."""
    with _collector_paused():
        return _read(_version_path(name, inputs, PICKLE), PICKLE)


def keep(name: str, inputs: Iterable[bytes], value: object) -> None:
    """Keep `value` under `name` for these `inputs`, in place of any other version of it."""
    path = _version_path(name, inputs, PICKLE)
    _write(path, value, PICKLE)
    _remove_other_versions(path, name)


def _version_path(name: str, inputs: Iterable[bytes], codec: Codec[Any]) -> Path:
    """The file for `name` built from `inputs` by this Python, in the codec's format."""
    digest = hashlib.sha256(sys.version.encode())
    for data in inputs:
        digest.update(hashlib.sha256(data).digest())
    return cache_dir() / f"{name}-{digest.hexdigest()[:_DIGEST_CHARS]}{codec.suffix}"


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: it scans every new object while millions are made."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read(path: Path, codec: Codec[T]) -> T | None:
    try:
        found = codec.read(path.read_bytes())
    except (
        OSError,
        pickle.UnpicklingError,
        EOFError,
        ValueError,
        AttributeError,
        ImportError,
        TypeError,
    ):
        return None  # absent, unreadable, or written by other code: built again and replaced
    return found


def _remove_other_versions(kept: Path, name: str) -> None:
    """Versions built from an older taxonomy or code, in any format, are never read again."""
    for stale in kept.parent.glob(f"{name}-{'?' * _DIGEST_CHARS}.*"):
        if stale != kept:
            stale.unlink(missing_ok=True)


def _write(path: Path, built: T, codec: Codec[T]) -> None:
    """Write atomically, so that a process reading at the same time never sees half a file."""
    import tempfile  # noqa: PLC0415 (a replayed answer only reads: it need not load this)

    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
        try:
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(codec.write(built))
            Path(temporary).replace(path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
