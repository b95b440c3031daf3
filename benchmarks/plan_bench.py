"""Plan solve time and quality: the optimal plan against a greedy cover, in the same run.

    .venv/bin/python benchmarks/plan_bench.py [--seed N] [--resources 2000] [--skills 1000]

Real: the shipped catalog against the seed README's Microsoft qualifications, and against
every skill the catalog teaches in the ML Engineer template's domains. Synthetic: a catalog
of N resources over M skills, each resource teaching 1-6 skills at 2-120 hours and needing
up to two earlier resources or skills (a random prerequisite DAG), with a target of a third
of the skills. For each: the solve time of the optimal plan (HiGHS, proven optimal or not),
the greedy cover's hours and time, and the greedy plan's extra hours as a ratio.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from diymasters import catalog, coverage, plan
from diymasters.catalog import Catalog, Entry
from diymasters.model import Kind
from diymasters.skills import load_taxonomy
from diymasters.template import load_template

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "corpus" / "seed-readme.md"


def synthetic(resources: int, skills: int, seed: int) -> tuple[Catalog, coverage.Demand]:
    """A random catalog whose prerequisites only point at earlier resources and their skills."""
    rng = random.Random(seed)  # noqa: S311 (a benchmark, not cryptography)
    names = [f"dm:s{n}" for n in range(skills)]
    entries: dict[str, Entry] = {}
    taught_so_far: list[str] = []
    for n in range(resources):
        # Later resources teach later skills, so prerequisites on earlier skills form a DAG.
        centre = int(n / resources * skills)
        taught = tuple(
            dict.fromkeys(
                names[min(skills - 1, max(0, centre + rng.randint(-40, 40)))]
                for _ in range(rng.randint(1, 6))
            )
        )
        needs: list[str] = []
        if entries and rng.random() < 0.3:  # noqa: PLR2004
            needs.append(rng.choice(list(entries)))
        if taught_so_far and rng.random() < 0.4:  # noqa: PLR2004
            needs.append(rng.choice(taught_so_far))
        key = f"r{n}"
        entries[key] = Entry(
            id=key,
            title=key,
            provider="synthetic",
            url=f"https://example.org/{key}",
            kind=Kind.COURSE,
            hours=float(rng.randint(2, 120)),
            source="synthetic",
            read=None,
            cost=float(rng.choice([0, 0, 0, 29, 49, 79])),
            audit=None,
            level=None,
            language="en",
            skills=taught,
            prerequisites=tuple(needs),
            children=(),
        )
        taught_so_far.extend(taught)
    target = rng.sample(names, skills // 3)
    return Catalog(entries, tuple(entries.values())), coverage.Demand(
        {s: rng.uniform(0.1, 1.0) for s in target}, {}, "synthetic"
    )


def hours(selection: plan.Selection) -> float:
    """Total hours of a selection, as the plan would schedule them."""
    return sum(selection.hours[e.id].hours for e in selection.entries)


def compare(name: str, demand: coverage.Demand, supply: coverage.Supply, cat: Catalog) -> None:
    """Solve optimally and greedily, and print both with their ratio."""
    options = plan.PlanOptions(time_limit=60.0)
    started = time.perf_counter()
    best = plan.select(demand, supply, cat, options)
    solve = time.perf_counter() - started
    started = time.perf_counter()
    rough = plan.greedy(demand, supply, cat, options)
    fast = time.perf_counter() - started
    optimal_hours, greedy_hours = hours(best), hours(rough)
    print(
        f"{name}: {len(cat.entries)} resources, {len(best.target)} target skills | "
        f"optimal: {len(best.entries)} items, {optimal_hours:g} h, proven={best.optimal}, "
        f"{solve:.3f} s ({best.cuts} cycle cuts) | greedy: {len(rough.entries)} items, "
        f"{greedy_hours:g} h, {fast:.3f} s | greedy/optimal hours = "
        f"{greedy_hours / optimal_hours if optimal_hours else 1:.3f}"
    )


def main() -> None:
    """Run the real and synthetic comparisons."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--resources", type=int, default=2000)
    parser.add_argument("--skills", type=int, default=1000)
    args = parser.parse_args()

    shipped = catalog.load_catalog()
    template = load_template("ml-engineer")
    supply = coverage.curriculum_supply(template, shipped)
    taxonomy = load_taxonomy()
    if SEED.is_file():
        text = SEED.read_text(encoding="utf-8")
        posting = text[text.index("Example Qualifications") : text.index("## Curriculum")]
        compare("real, seed posting", coverage.posting_demand(posting, taxonomy), supply, shipped)
    domains = coverage.domain_demand(template, shipped, taxonomy)
    compare("real, template domains", domains, supply, shipped)
    empty = coverage.Supply(frozenset(), frozenset(), frozenset(), frozenset())
    for seed in (args.seed, args.seed + 1, args.seed + 2):
        cat, demand = synthetic(args.resources, args.skills, seed)
        compare(f"synthetic seed {seed}", demand, empty, cat)


if __name__ == "__main__":
    main()
