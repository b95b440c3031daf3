"""The learner's files: atomic replacement, refusing changed files, stale temporaries."""

from __future__ import annotations

import os
import stat
from typing import TYPE_CHECKING

import pytest

from diymasters import files
from diymasters.files import ChangedOnDiskError

if TYPE_CHECKING:
    from pathlib import Path


def test_atomic_write_replaces_the_file_and_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_bytes(b"old")
    path.chmod(0o640)
    files.write_atomically(path, b"new", files.sha256(b"old"))
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["README.md"]


def test_atomic_write_refuses_a_file_that_changed_meanwhile(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_bytes(b"edited by the user")
    with pytest.raises(ChangedOnDiskError):
        files.write_atomically(path, b"ours", files.sha256(b"what we read"))
    assert path.read_bytes() == b"edited by the user"


def test_temporary_files_of_dead_writers_are_removed(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_bytes(b"old")
    dead = tmp_path / ".README.md.999999999-abcd.tmp"
    alive = tmp_path / f".README.md.{os.getpid()}-efgh.tmp"
    old_style = tmp_path / ".README.md.k2j4h5g6.tmp"
    fresh_style = tmp_path / ".README.md.a1b2c3d4.tmp"
    other = tmp_path / ".notes.md.999999999-abcd.tmp"
    for each in (dead, alive, old_style, fresh_style, other):
        each.write_bytes(b"partial")
    os.utime(old_style, (0, 0))
    files.replace_atomically(path, b"new")
    assert path.read_bytes() == b"new"
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted(["README.md", alive.name, fresh_style.name, other.name])


def test_a_new_file_refuses_one_that_appeared_while_it_was_written(tmp_path: Path) -> None:
    path = tmp_path / "export.json"

    def write_while_another_does() -> None:
        with files.written_beside(path) as temporary:
            temporary.write_bytes(b"ours")
            path.write_bytes(b"someone else's")

    with pytest.raises(files.FileExistsAlreadyError, match="exists already; nothing was written"):
        write_while_another_does()
    assert path.read_bytes() == b"someone else's"
    assert [p.name for p in tmp_path.iterdir()] == ["export.json"]


def test_a_new_file_is_not_written_when_its_writer_fails(tmp_path: Path) -> None:
    path = tmp_path / "backup.db"

    def fail_half_way() -> None:
        with files.written_beside(path) as temporary:
            temporary.write_bytes(b"half")
            message = "half-way"
            raise ValueError(message)

    with pytest.raises(ValueError, match="half-way"):
        fail_half_way()
    assert list(tmp_path.iterdir()) == []


def test_a_new_file_replaces_one_only_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_bytes(b"old")
    with pytest.raises(files.FileExistsAlreadyError):
        files.write_new(path, b"new")
    assert path.read_bytes() == b"old"
    files.write_new(path, b"new", replace=True)
    assert path.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_a_device_or_pipe_is_never_replaced_by_a_file(tmp_path: Path) -> None:
    """`export -o /dev/full --force` renamed a JSON file over the device."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(files.FileAccessError, match="not a regular file; nothing was written"):
        files.replace_atomically(pipe, b"{}")
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert list(tmp_path.iterdir()) == [pipe]
