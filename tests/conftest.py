"""Shared fixtures: real SQLite stores (in memory and on disk) and a real CLI subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from diymasters.masters import Masters
from diymasters.store import Store

if TYPE_CHECKING:
    from collections.abc import Iterator

#: The shared corpus beside the project; tests that read it skip when it is absent.
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture
def store() -> Iterator[Store]:
    """A migrated in-memory store."""
    opened = Store.open("sqlite://")
    yield opened
    opened.close()


@pytest.fixture
def masters(store: Store) -> Masters:
    """The ML Engineer masters loaded into an in-memory store."""
    loaded = Masters(store)
    loaded.init()
    return loaded


@pytest.fixture
def seed_readme() -> str:
    """The README that started the project, read from ../shared."""
    path = SHARED / "corpus" / "seed-readme.md"
    if not path.is_file():
        pytest.skip(f"{path} is absent (../shared is not beside the project)")
    return path.read_text(encoding="utf-8")


@dataclass
class Cli:
    """Runs `python -m diymasters` against one store file, as a user would."""

    db: Path
    home: Path

    def __call__(self, *args: str, db: bool = True) -> subprocess.CompletedProcess[str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DIYMASTERS_DB", "DIYMASTERS_CURRICULUM"}
        }
        env.update(
            HOME=str(self.home),
            XDG_DATA_HOME=str(self.home / ".local" / "share"),
            NO_COLOR="1",
            COLUMNS="100",
        )
        options = ["--db", f"sqlite:///{self.db}"] if db else []
        return subprocess.run(
            [sys.executable, "-m", "diymasters", *options, *args],
            capture_output=True,
            text=True,
            env=env,
            stdin=subprocess.DEVNULL,
            timeout=60,
            check=False,
        )


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """A CLI runner with its own store file and home directory."""
    home = tmp_path / "home"
    home.mkdir()
    return Cli(db=tmp_path / "masters.db", home=home)
