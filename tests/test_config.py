"""The configuration file as a learner uses it: their store, curriculum and weekly hours.

What a command line or the environment names wins over the file; the file wins over the
built-in defaults.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from diymasters.config import DEFAULT_HOURS_PER_WEEK, ConfigError, load_config

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Cli


def write_config(cli: Cli, text: str) -> Path:
    """The learner's config.toml, where the CLI's environment looks for it."""
    path = cli.home / ".config" / "diymasters" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_store_named_in_the_file_is_used_when_no_db_is_given(cli: Cli) -> None:
    path = write_config(cli, 'store = "studies/masters.db"\n')
    (path.parent / "studies").mkdir()
    created = cli("init", db=False)
    assert created.returncode == 0, created.stderr
    store = path.parent / "studies" / "masters.db"
    assert store.is_file(), "a relative store is read from the configuration file's folder"
    assert str(store) in created.stdout
    assert cli("status", "--json", db=False).returncode == 0


def test_db_on_the_command_line_wins_over_the_file(cli: Cli) -> None:
    path = write_config(cli, 'store = "elsewhere.db"\n')
    assert cli("init").returncode == 0
    assert cli.db.is_file()
    assert not (path.parent / "elsewhere.db").exists()


def test_the_curriculum_named_in_the_file_is_worked_on(cli: Cli) -> None:
    assert cli("init").returncode == 0
    readme = cli.home / "README.md"
    readme.write_text("# Second masters\n\n## Statistics\n\n- [ ] Think Stats\n", encoding="utf-8")
    assert cli("import", str(readme)).returncode == 0
    write_config(cli, 'curriculum = "ML Engineer masters"\n')
    status = json.loads(cli("status", "--json").stdout)
    assert status["curriculum"] == "ML Engineer masters"
    switched = cli("use", "Second masters")
    assert "sets curriculum = 'ML Engineer masters'" in switched.stderr
    assert json.loads(cli("status", "--json").stdout)["curriculum"] == "ML Engineer masters"
    chosen = cli("--curriculum", "Second masters", "status", "--json")
    assert json.loads(chosen.stdout)["curriculum"] == "Second masters"


def test_a_plan_takes_its_weekly_hours_from_the_file(cli: Cli) -> None:
    assert cli("init").returncode == 0
    posting = "Required: Python, statistics and machine learning."
    default = json.loads(cli("plan", "--posting", "-", "--no-save", "--json", stdin=posting).stdout)
    assert default["hours_per_week"] == DEFAULT_HOURS_PER_WEEK
    write_config(cli, "[plan]\nhours_per_week = 3.5\n")
    paced = json.loads(cli("plan", "--posting", "-", "--no-save", "--json", stdin=posting).stdout)
    assert paced["hours_per_week"] == 3.5
    argv = ("plan", "--posting", "-", "--no-save", "--json", "--hours-per-week", "10")
    assert json.loads(cli(*argv, stdin=posting).stdout)["hours_per_week"] == 10


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[plan]\nhours_per_week = 0\n", "config.toml:2: plan.hours_per_week: "),
        ('store = ""\n', "config.toml:1: store: "),
        ("curriculum = 3\n", "config.toml:1: curriculum: "),
    ],
)
def test_a_wrong_setting_is_one_line_naming_file_line_and_key(
    cli: Cli, text: str, message: str
) -> None:
    path = write_config(cli, text)
    with pytest.raises(ConfigError) as refused:
        load_config(path)
    assert str(refused.value).startswith(f"{path.parent}/{message}")
    result = cli("status")
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1
    assert message in result.stderr
