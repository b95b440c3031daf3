"""The learner's files: decoding, digests, atomic writes and diffs, for every feature.

A README, a posting or a calendar is the learner's own, so a file is read with a clear error
when it cannot be, decoded into text that encodes back to the same bytes, and replaced whole
or not at all, and only if it is still the version that was read (the digest).
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import stat
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from diymasters.errors import Category, ConflictError, DiyMastersError

if TYPE_CHECKING:
    from collections.abc import Iterator


class EncodingError(DiyMastersError):
    """The file's bytes are not text in an encoding we can write back unchanged."""

    def __init__(self, source: str, why: str) -> None:
        """Name the file and the offending offset."""
        super().__init__(f"{source}: {why}; nothing was read or written")


class ChangedOnDiskError(ConflictError):
    """The file changed on disk between reading it and writing it."""

    def __init__(self, path: Path) -> None:
        """Ask the user to run the command again."""
        super().__init__(f"{path} changed while being written; nothing was written, run it again")


# --- Encodings ------------------------------------------------------------------------------

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


@dataclass(frozen=True)
class Encoding:
    """How a file's text became bytes, so that it can become the same bytes again."""

    codec: str = "utf-8"
    bom: bytes = b""

    def encode(self, text: str) -> bytes:
        """Turn text back into the file's bytes."""
        return self.bom + text.encode(self.codec)


def decode(data: bytes, source: str = "README") -> tuple[str, Encoding]:
    """Decode UTF-8 (with or without a BOM) or UTF-16 with a BOM; refuse anything else."""
    encoding = next(
        (Encoding(codec, bom) for bom, codec in _BOMS if data.startswith(bom)), Encoding()
    )
    try:
        return data[len(encoding.bom) :].decode(encoding.codec), encoding
    except UnicodeDecodeError as error:
        offset = error.start + len(encoding.bom)
        name = "UTF-8" if encoding.codec == "utf-8" else encoding.codec.upper()
        why = f"not {name}: byte 0x{data[offset]:02x} at offset {offset}"
        raise EncodingError(source, why) from None


def sha256(data: bytes) -> str:
    """The digest that tells us whether a file changed since we last saw it."""
    return hashlib.sha256(data).hexdigest()


# --- Reading and writing -------------------------------------------------------------------


#: The largest README read: seven times the largest real one seen (289 KB, a translation of
#: coding-interview-university). A 50 MB list took six minutes to import and left a store that
#: no export could read.
MAX_README_BYTES = 2 * 1024 * 1024


def read_bytes(path: Path) -> bytes:
    """Read a README, turning OS errors into one clear line."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise FileAccessError(path, error.strerror or str(error)) from None


def read_readme(path: Path) -> bytes:
    """Read a README of at most `MAX_README_BYTES`, reading no more than that of a larger one."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_README_BYTES + 1)
    except OSError as error:
        raise FileAccessError(path, error.strerror or str(error)) from None
    if len(data) > MAX_README_BYTES:
        raise ReadmeTooLargeError(path)
    return data


class ReadmeTooLargeError(DiyMastersError):
    """A README larger than any curriculum's: a wrong file, or one no store should take in."""

    category = Category.LIMIT_EXCEEDED

    def __init__(self, path: Path) -> None:
        """Name the limit, and that nothing was read in."""
        limit = f"{MAX_README_BYTES // (1024 * 1024)} MiB"
        super().__init__(f"{path}: larger than {limit}, the largest README read; nothing was read")


class FileAccessError(DiyMastersError):
    """A README could not be read or written."""

    def __init__(self, path: Path, why: str) -> None:
        """Name the file and the system's reason."""
        super().__init__(f"{path}: {why}")


def write_atomically(path: Path, data: bytes, expected_sha256: str) -> None:
    """Replace a file whole or not at all, and only if it is still the version we read.

    The new bytes go to a temporary file in the same folder, are flushed to disk, take the
    old file's permissions, and are renamed over it; a crash leaves one file or the other.
    """
    if sha256(read_bytes(path)) != expected_sha256:
        raise ChangedOnDiskError(path)
    replace_atomically(path, data)


def replace_atomically(path: Path, data: bytes) -> None:
    """Write a file whole or not at all: temp file, fsync, rename, old permissions kept.

    A file the learner made read-only is refused rather than silently replaced (a rename
    needs only the folder to be writable). Temporary files left by writers that died are
    removed first.
    """
    try:
        status = path.stat().st_mode
    except FileNotFoundError:
        status = stat.S_IFREG | 0o644
    except OSError as error:
        raise FileAccessError(path, error.strerror or str(error)) from None
    if not (stat.S_ISREG(status) or stat.S_ISDIR(status)):
        # Renaming over /dev/full replaced the device with a file (`export --force`).
        raise FileAccessError(path, "not a regular file; nothing was written")
    mode = status & 0o7777
    if not mode & stat.S_IWUSR:
        raise FileAccessError(
            path, "the file is read-only; nothing was written (make it writable to let it change)"
        )
    remove_stale_temporaries(path)
    try:
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f"{_temporary_prefix(path)}{os.getpid()}-", suffix=".tmp"
        )
    except OSError as error:
        raise FileAccessError(path, error.strerror or str(error)) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)  # noqa: PTH101 (the temp file is a plain path string)
        os.replace(temporary, path)  # noqa: PTH105
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise FileAccessError(path, error.strerror or str(error)) from None
    _fsync_folder(path.parent)


class FileExistsAlreadyError(DiyMastersError):
    """A new file was to be written where one exists, and replacing it was not asked for."""

    category = Category.NEEDS_CONFIRMATION

    def __init__(self, path: Path) -> None:
        """Name the file, which is left as it was."""
        super().__init__(f"{path} exists already; nothing was written")


def write_new(path: Path, data: bytes, *, replace: bool = False) -> None:
    """Write a file whole or not at all, refusing one that exists unless `replace`."""
    with written_beside(path, replace=replace) as temporary:
        temporary.write_bytes(data)


@contextmanager
def written_beside(path: Path, *, replace: bool = False) -> Iterator[Path]:
    """A temporary file beside `path` to fill, moved to `path` once the block ends well.

    Without `replace`, an existing `path` is refused before anything is written, and again
    when the file is moved in: a hard link fails rather than replace a file that appeared
    meanwhile. A block that fails leaves no temporary behind.
    """
    if not replace and path.exists():
        raise FileExistsAlreadyError(path)
    remove_stale_temporaries(path)
    try:
        handle, name = tempfile.mkstemp(
            dir=path.parent, prefix=f"{_temporary_prefix(path)}{os.getpid()}-", suffix=".tmp"
        )
    except OSError as error:
        raise FileAccessError(path, error.strerror or str(error)) from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        _move_into_place(temporary, path, replace=replace)
    except OSError as error:
        raise FileAccessError(path, error.strerror or str(error)) from None
    finally:
        temporary.unlink(missing_ok=True)
    _fsync_folder(path.parent)


def _move_into_place(temporary: Path, path: Path, *, replace: bool) -> None:
    with temporary.open("rb+") as stream:
        os.fsync(stream.fileno())
    temporary.chmod(0o644)
    if replace:
        temporary.replace(path)
        return
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise FileExistsAlreadyError(path) from None
    except OSError:
        # A file system without hard links (FAT, some network shares): checked, then renamed.
        if path.exists():
            raise FileExistsAlreadyError(path) from None
        temporary.replace(path)


#: A temporary file without a living writer's id is stale once it is this old (seconds):
#: files from versions that did not name their writer.
_UNOWNED_TEMPORARY_AGE = 3600
_TEMPORARY_OWNER = re.compile(r"(\d+)-[^.]*\.tmp")


def _temporary_prefix(path: Path) -> str:
    return f".{path.name}."


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Delete the temporary files of writes to `path` whose writer is gone; return them.

    A write killed between creating its temporary file and renaming it leaves the file
    behind. Each is named for its writer's process id, so one still being written by a live
    process is left alone.
    """
    prefix = _temporary_prefix(path)
    removed = []
    try:
        candidates = [p for p in path.parent.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return []
    for candidate in candidates:
        if candidate.suffix == ".tmp" and _is_stale(candidate, candidate.name[len(prefix) :]):
            candidate.unlink(missing_ok=True)
            removed.append(candidate)
    return removed


def _is_stale(candidate: Path, rest: str) -> bool:
    owner = _TEMPORARY_OWNER.fullmatch(rest)
    # On Windows os.kill would end the process it asks about: age alone decides there.
    if owner is not None and os.name == "posix":
        return not _process_alive(int(owner.group(1)))
    try:
        return time.time() - candidate.stat().st_mtime > _UNOWNED_TEMPORARY_AGE
    except OSError:
        return False


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


# --- Showing a change --------------------------------------------------------------------------


def unified_diff(before: str, after: str, path: str) -> str:
    """A unified diff of the file, as `--dry-run` shows it."""
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
    )
