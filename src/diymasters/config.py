"""The learner's configuration file: their store, curriculum and pace, and the hours rules.

A TOML file in the user's config directory (`DIYMASTERS_CONFIG` names another). Every key
is optional; a missing file means the shipped defaults. It is read on each use, so an edit
takes effect on the next command, and a wrong key or value is refused with its file, line
and key rather than ignored. What a command line or the environment names (`--db`,
`DIYMASTERS_DB`, `--curriculum`, `DIYMASTERS_CURRICULUM`, `--hours-per-week`) wins over it.

    store = "~/masters/diymasters.db"   # a file, or a database URL
    curriculum = "ML Engineer masters"  # the one commands work on, over the one last chosen

    [plan]
    hours_per_week = 8     # study hours a week when a plan names none

    [hours]
    pages_per_hour = 5     # a technical book's pages studied in an hour
    video_factor = 2       # hours of study for each hour of lecture video
    own_pace = false       # plan with your observed pace once it is known
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import platformdirs
import pydantic

from diymasters import yamlfile
from diymasters.hours import DEFAULT_RULES, HoursRules

#: The environment variable naming another configuration file.
CONFIG_ENV = "DIYMASTERS_CONFIG"
#: Study hours a week when neither a command nor the configuration file names them.
DEFAULT_HOURS_PER_WEEK = 8.0
#: A configuration file larger than this is refused unread.
MAX_CONFIG_BYTES = 64 * 1024


class ConfigError(yamlfile.DataFileError):
    """The configuration file did not validate."""


class _HoursSpec(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)

    pages_per_hour: pydantic.PositiveFloat = DEFAULT_RULES.pages_per_hour
    video_factor: pydantic.PositiveFloat = DEFAULT_RULES.video_factor
    own_pace: bool = False


#: A store or a curriculum named in the file: never blank.
_Named = Annotated[str, pydantic.StringConstraints(strip_whitespace=True, min_length=1)]


class _PlanSpec(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)

    hours_per_week: pydantic.PositiveFloat = DEFAULT_HOURS_PER_WEEK


class _ConfigSpec(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)

    store: _Named | None = None
    curriculum: _Named | None = None
    plan: _PlanSpec = _PlanSpec()
    hours: _HoursSpec = _HoursSpec()


@dataclass(frozen=True)
class Config:
    """What the configuration file sets, defaults filled in."""

    #: The file read, or the one that would be read when it does not exist.
    path: Path
    exists: bool
    rules: HoursRules = DEFAULT_RULES
    #: Whether plans scale remaining estimates by the learner's observed pace by default.
    own_pace: bool = False
    #: The store to open when no `--db` or `DIYMASTERS_DB` names one: a file or a URL.
    store: str | None = None
    #: The curriculum to work on when no `--curriculum` or `DIYMASTERS_CURRICULUM` names one.
    curriculum: str | None = None
    #: Study hours a week for a plan that names none.
    hours_per_week: float = DEFAULT_HOURS_PER_WEEK


def config_path() -> Path:
    """The configuration file: `DIYMASTERS_CONFIG`, or config.toml in the user config dir."""
    named = os.environ.get(CONFIG_ENV)
    if named:
        return Path(named).expanduser()
    return Path(platformdirs.user_config_dir("diymasters", appauthor=False)) / "config.toml"


def load_config(path: Path | None = None) -> Config:
    """The configuration in force: the file's settings over the defaults."""
    path = path or config_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        return Config(path, exists=False)
    except OSError as error:
        raise ConfigError([yamlfile.Problem(str(path), None, "", error.strerror or "")]) from None
    return _parsed(path, stat.st_mtime_ns, stat.st_size)


@functools.cache
def _parsed(path: Path, mtime_ns: int, size: int) -> Config:
    """The file parsed, once per version of it (the modification time and size name one)."""
    del mtime_ns  # part of the cache key only
    if size > MAX_CONFIG_BYTES:
        problem = f"larger than {MAX_CONFIG_BYTES // 1024} KB; is this the configuration file?"
        raise ConfigError([yamlfile.Problem(str(path), None, "", problem)])
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError([yamlfile.Problem(str(path), None, "", str(error))]) from None
    try:
        spec = _ConfigSpec.model_validate(data)
    except pydantic.ValidationError as error:
        problems = [_problem(path, text, detail["loc"], detail["msg"]) for detail in error.errors()]
        raise ConfigError(problems) from None
    rules = dataclasses.replace(
        DEFAULT_RULES,
        pages_per_hour=spec.hours.pages_per_hour,
        video_factor=spec.hours.video_factor,
    )
    return Config(
        path,
        exists=True,
        rules=rules,
        own_pace=spec.hours.own_pace,
        store=_store_beside(path, spec.store),
        curriculum=spec.curriculum,
        hours_per_week=spec.plan.hours_per_week,
    )


def _store_beside(path: Path, store: str | None) -> str | None:
    """A relative store path is read from the configuration file's folder, not the shell's."""
    if store is None or "://" in store:
        return store
    return str(path.parent / Path(store).expanduser())


def _problem(path: Path, text: str, loc: tuple[int | str, ...], message: str) -> yamlfile.Problem:
    key = ".".join(str(part) for part in loc)
    return yamlfile.Problem(str(path), _line_of(text, str(loc[-1])), key, message.lower())


def _line_of(text: str, key: str) -> int | None:
    """The line a key is set on: TOML parsers give values, not their places."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=|^\s*\[{re.escape(key)}\]")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return None
