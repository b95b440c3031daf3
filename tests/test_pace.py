"""The learner's own pace (issue 16): shown once known, used when asked, and switched off.

The ratio is the hours logged on finished resources over their estimates, counting only
estimates with a basis of their own; a typical stand-in says nothing about the learner.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import pytest

from diymasters import plan
from diymasters.catalog import load_catalog
from diymasters.config import CONFIG_ENV
from diymasters.hours import HoursBasis
from diymasters.model import Curriculum, Domain, Kind, Resource, Status, TimeEntry

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Cli

DAY = dt.date(2026, 11, 2)


def finished(title: str, estimate: float | None, logged: float, key: int) -> Resource:
    return Resource(
        title,
        Kind.BOOK,
        status=Status.DONE,
        estimated_hours=estimate,
        time_entries=(TimeEntry(DAY, logged),),
        id=key,
    )


def curriculum_of(*resources: Resource) -> Curriculum:
    return Curriculum("c", (Domain("d", resources, id=1),))


def test_the_pace_is_logged_over_estimated_on_finished_resources_of_known_size() -> None:
    curriculum = curriculum_of(
        finished("Private notes one", 10, 15, 1),
        finished("Private notes two", 4, 6, 2),
        finished("Private notes three", 6, 9, 3),
        finished("Unsized notes", None, 20, 4),  # a typical figure says nothing of the learner
        Resource("Under way", Kind.BOOK, status=Status.IN_PROGRESS, estimated_hours=10, id=5),
    )
    pace = plan.observed_pace(curriculum, load_catalog())
    assert (pace.ratio, pace.resources, pace.hours_logged, pace.hours_estimated) == (
        1.5,
        3,
        30.0,
        20.0,
    )


@pytest.mark.parametrize(
    "resources",
    [
        (finished("A notes", 10, 15, 1), finished("B notes", 10, 15, 2)),  # two resources
        tuple(finished(f"{n} notes", 2, 3, n) for n in range(1, 4)),  # 9 h logged
    ],
)
def test_the_pace_is_not_known_before_enough_is_finished(resources: tuple[Resource, ...]) -> None:
    pace = plan.observed_pace(curriculum_of(*resources), load_catalog())
    assert pace.ratio is None


def test_work_under_way_is_charged_at_the_pace_less_what_is_logged() -> None:
    under_way = Resource(
        "Under way",
        Kind.BOOK,
        status=Status.IN_PROGRESS,
        estimated_hours=20,
        time_entries=(TimeEntry(DAY, 10),),
        id=1,
    )
    (task,) = plan.committed_tasks(curriculum_of(under_way), load_catalog(), pace=1.5)
    assert task.hours == 20.0  # 20 h at 1.5 is 30, of which 10 are logged
    assert task.hours_basis is HoursBasis.YOURS
    assert task.hours_why == "your estimate; times 1.5, your pace"


def set_up_a_known_pace(cli: Cli) -> None:
    assert cli("init").returncode == 0
    for number in range(1, 4):
        title = f"Private notes {number}"
        assert cli("add", title, "--domain", "Mathematics", "--hours", "10").returncode == 0
        assert cli("log", title, "14", "--date", f"2026-11-0{number}").returncode == 0
        assert cli("done", title).returncode == 0


def plan_json(cli: Cli, *args: str) -> dict[str, Any]:
    result = cli("plan", "--no-save", "--json", *args)
    assert result.returncode == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def test_the_plan_offers_the_pace_uses_it_when_asked_and_can_be_told_not_to(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_up_a_known_pace(cli)
    offered = plan_json(cli)
    assert offered["pace"] == {
        "ratio": 1.4,
        "resources": 3,
        "hours_logged": 42.0,
        "hours_estimated": 30.0,
        "applied": False,
    }
    used = plan_json(cli, "--pace")
    assert used["pace"]["applied"] is True
    scaled = [1.4 * item["hours"] for item in offered["items"]]
    assert [item["hours"] for item in used["items"]] == pytest.approx(scaled, abs=0.011)
    assert all(i["hours_why"].endswith("times 1.4, your pace") for i in used["items"])
    text = cli("plan", "--no-save").stdout
    assert "Your pace: 1.4x the estimates (42 h logged on 3 finished resources" in text
    assert "--pace plans with it." in text
    config = tmp_path / "config.toml"
    config.write_text("[hours]\nown_pace = true\n")
    monkeypatch.setenv(CONFIG_ENV, str(config))
    assert plan_json(cli)["total_hours"] == used["total_hours"]
    assert plan_json(cli, "--no-pace")["total_hours"] == offered["total_hours"]
    assert "--no-pace plans without it." in cli("plan", "--no-save").stdout


def test_a_plan_report_keeps_its_pace_and_an_older_one_loads_without(cli: Cli) -> None:
    set_up_a_known_pace(cli)
    report = plan_json(cli, "--pace")
    assert plan.PlanReport.from_json(report).pace == plan.Pace(1.4, 3, 42.0, 30.0, applied=True)
    older = {key: value for key, value in report.items() if key != "pace"}
    assert plan.PlanReport.from_json(older).pace is None
