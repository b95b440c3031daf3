from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from diymasters.catalog import Catalog, load_catalog, parse_catalog
from diymasters.coverage import (
    Demand,
    DomainCoverage,
    Supply,
    coverage_report,
    curriculum_supply,
    posting_demand,
)
from diymasters.model import Resource, Status
from diymasters.recommendations import recommend
from diymasters.skills import load_taxonomy
from tests.conftest import data

if TYPE_CHECKING:
    from diymasters.masters import Masters

ENTRY = (
    '  - {{id: {id}, title: {id}, provider: P, url: "https://x.example/{id}", kind: course, '
    "hours: {hours}, source: test{extra}, skills: [{skills}]}}\n"
)
SMALL_CATALOG = (
    "entries:\n"
    + ENTRY.format(id="sql-course", hours=10, extra=", cost: 0", skills="sql")
    + ENTRY.format(id="big-course", hours=40, extra="", skills="sql, docker, kubernetes")
    + ENTRY.format(id="owned", hours=1, extra="", skills="sql, docker")
)


def small_catalog() -> Catalog:
    catalog, problems = parse_catalog(SMALL_CATALOG, "c.yaml", load_taxonomy())
    assert catalog is not None, problems
    return catalog


def test_a_postings_required_skills_weigh_1_and_preferred_half() -> None:
    demand = posting_demand(
        "Requirements:\n- Python\n- SQL\nNice to have:\n- Docker\n", load_taxonomy()
    )
    assert demand.weights == {"dm:python": 1.0, "dm:sql": 1.0, "dm:docker": 0.5}
    assert demand.evidence["dm:docker"] == "- Docker"


def test_soft_skills_are_set_apart_from_the_demand_a_curriculum_is_measured_by() -> None:
    """Teamwork is asked for, but no course closes it: it is listed, never a gap (issue 17)."""
    text = "Requirements:\n- Python and SQL\n- Teamwork and communication\n- Fluent English\n"
    demand = posting_demand(text, load_taxonomy())
    assert set(demand.weights) == {"dm:python", "dm:sql"}
    assert set(demand.soft) >= {"dm:teamwork", "dm:communication"}
    nothing = Supply(frozenset(), frozenset(), frozenset(), frozenset())
    report = coverage_report(demand, nothing, small_catalog(), load_taxonomy())
    assert [g.id for g in report.gaps] == ["dm:python", "dm:sql"]
    assert "Soft Skills" not in report.by_domain
    assert report.coverage.skills == 2
    soft = {s.id: s for s in report.soft_skills}
    assert soft["dm:teamwork"].skill == "teamwork"
    assert soft["dm:teamwork"].evidence == "- Teamwork and communication"
    assert not {c for r in report.recommendations for c in r.covers} & {"teamwork"}


def test_names_the_taxonomy_lacks_are_listed_apart_from_the_coverage_they_would_sink() -> None:
    """No catalog entry can teach a name found only listed beside skills ("Quarkle"): it is
    reported, not counted in the share, a domain or the gaps. Over the shared corpus 3,476
    such names read as "covers 9%: 21 of 5018 skills", where 1,542 skills are asked for."""
    text = "Requirements:\n- Experience with Python, SQL, Quarkle and Airflow\n"
    demand = posting_demand(text, load_taxonomy())
    assert set(demand.weights) == {"dm:python", "dm:sql", "dm:airflow"}
    assert demand.unlinked == {"span:quarkle": 1.0}
    assert demand.everything.keys() == {*demand.weights, "span:quarkle"}
    python_done = Supply(frozenset({"dm:python"}), frozenset(), frozenset(), frozenset())
    report = coverage_report(demand, python_done, small_catalog(), load_taxonomy())
    assert report.coverage.done == pytest.approx(1 / 3, abs=1e-4)
    assert report.coverage.skills == 3
    assert "Other" not in report.by_domain
    assert "quarkle" not in {g.skill for g in report.gaps} | set(report.untaught)
    assert [(n.name, n.demand) for n in report.unlinked] == [("quarkle", 1.0)]
    assert report.unlinked[0].evidence == text.splitlines()[1]
    assert report.unlinked_count == 1


def test_coverage_is_demand_weighted_overall_and_by_domain() -> None:
    demand = Demand({"dm:python": 1.0, "dm:sql": 1.0, "dm:docker": 0.5, "dm:pytorch": 0.5})
    supply = Supply(
        done=frozenset({"dm:python"}),
        in_progress=frozenset({"dm:sql"}),
        planned=frozenset(),
        entries=frozenset(),
    )
    report = coverage_report(demand, supply, small_catalog(), load_taxonomy())
    assert report.coverage.done == pytest.approx(1 / 3, abs=1e-4)
    assert report.coverage.curriculum == pytest.approx(2 / 3, abs=1e-4)
    assert report.by_domain["Python"] == DomainCoverage(
        done=1.0, curriculum=1.0, skills=1, skills_taught=1, skills_done=1, demand=1.0
    )
    counts = report.coverage
    assert (counts.skills, counts.skills_taught, counts.skills_done) == (len(demand.weights), 2, 1)
    assert report.by_domain["MLOps/Cloud"].curriculum == 0.0
    assert [g.skill for g in report.gaps] == ["Docker", "PyTorch"]


def test_recommendations_rank_gap_demand_per_hour_and_skip_what_is_owned() -> None:
    demand = Demand({"dm:sql": 1.0, "dm:docker": 1.0, "dm:kubernetes": 1.0})
    supply = Supply(frozenset(), frozenset(), frozenset(), entries=frozenset({"owned"}))
    ranked = recommend(demand, supply, small_catalog(), load_taxonomy()).picks
    assert [r.id for r in ranked] == ["sql-course", "big-course"]
    assert ranked[0].covers == ("SQL",)
    assert "owned" not in {r.id for r in ranked}
    covered = Supply(frozenset({"dm:sql"}), frozenset(), frozenset(), frozenset())
    # Once SQL is covered, one hour for Docker beats forty for Docker and Kubernetes.
    assert [r.id for r in recommend(demand, covered, small_catalog(), load_taxonomy()).picks] == [
        "owned",
        "big-course",
    ]


def test_the_template_supplies_by_status_and_dropped_teaches_nothing(masters: Masters) -> None:
    catalog = load_catalog()
    supply = curriculum_supply(masters.curriculum(), catalog)
    assert "dm:python" in supply.done
    assert "dm:linear-algebra" in supply.done
    assert "dm:pytorch" in supply.planned
    assert "fastai-practical-deep-learning" in supply.entries
    masters.set_status("Practical Deep Learning", Status.DROPPED)
    assert "dm:pytorch" not in curriculum_supply(masters.curriculum(), catalog).everything


def test_recommendations_never_include_what_the_curriculum_has(masters: Masters) -> None:
    report = masters.gaps(posting="Requirements: PyTorch, C++, linear algebra, Kubernetes, Spark.")
    owned = curriculum_supply(masters.curriculum(), load_catalog()).entries
    assert report.recommendations
    assert not owned & {r.id for r in report.recommendations}
    assert report.gaps[0].skill
    assert report.gaps[0].demand > 0


def test_hand_tagged_skills_count_as_supply(masters: Masters) -> None:
    masters.add(Resource("My own Kubernetes notes"), domain="Software Engineering")
    catalog = load_catalog()
    assert "dm:terraform" not in curriculum_supply(masters.curriculum(), catalog).everything
    entry = data(masters.tag("My own Kubernetes", ["terraform", "Docker"]))
    assert entry["skills"] == ["dm:docker", "dm:terraform"]
    supply = curriculum_supply(masters.curriculum(), catalog)
    assert {"dm:terraform", "dm:docker", "dm:kubernetes"} <= supply.planned
    masters.tag("My own Kubernetes", ["terraform"], remove=True)
    assert data(masters.show("My own Kubernetes"))["skills"] == ["dm:docker"]
