"""Page render time of the web UI, against the core report each page starts from.

    .venv/bin/python benchmarks/web_bench.py [--resources 2000] [--runs 30]

Two curricula in SQLite files: the ML Engineer template, and a synthetic one of N resources
(six domains, a third of the resources specialisations of three courses, each resource with
a few time entries, a quarter of them done). For each page, the median time of rendering it
in-process (request to last byte, no network), on an unchanged store and right after a
change made elsewhere, beside the median time of the core's progress report read afresh
from the file (`Masters.status`, what `diymasters status --json` computes), measured in the
same run. The goal is an overview under 100 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from diymasters.masters import Masters
from diymasters.model import Curriculum, Domain, Kind, Resource, Status, TimeEntry
from diymasters.store import Store
from diymasters.web import Settings, create_app, fetch

if TYPE_CHECKING:
    from collections.abc import Callable

DOMAINS = (
    "Mathematics",
    "Software Engineering",
    "Statistics",
    "Machine Learning",
    "Deep Learning",
    "Reinforcement Learning",
)
PAGES = ("/", "/venn", "/curriculum", "/plan")
HTTP_OK = 200


def synthetic(resources: int, seed: int = 1) -> Curriculum:
    """A curriculum of about `resources` resources spread over the six domains."""
    rng = random.Random(seed)  # noqa: S311 (a benchmark, not cryptography)
    today = dt.date(2026, 12, 1)
    made = 0
    per_domain: dict[str, list[Resource]] = {name: [] for name in DOMAINS}

    def resource(title: str, children: tuple[Resource, ...] = ()) -> Resource:
        nonlocal made
        made += 1
        done = rng.random() < 0.25  # noqa: PLR2004
        days = rng.sample(range(1, 200), 3)
        return Resource(
            title=title,
            kind=Kind.SPECIALISATION if children else Kind.COURSE,
            status=Status.DONE if done and not children else Status.TODO,
            estimated_hours=None if children else float(rng.randint(4, 60)),
            time_entries=tuple(
                TimeEntry(on=today - dt.timedelta(days=d), hours=rng.choice([0.5, 1.0, 2.0]))
                for d in days
            ),
            children=children,
        )

    while made < resources:
        domain = rng.choice(DOMAINS)
        n = made
        if rng.random() < 1 / 3:
            courses = tuple(resource(f"Course {n}.{i}") for i in range(3))
            per_domain[domain].append(resource(f"Specialisation {n}", courses))
        else:
            per_domain[domain].append(resource(f"Course {n}"))
    return Curriculum(
        name="synthetic",
        domains=tuple(Domain(name, resources=tuple(rs)) for name, rs in per_domain.items()),
    )


def median_ms(action: Callable[[], object], runs: int) -> float:
    """The median wall time of an action, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(label: str, masters: Masters, runs: int) -> None:
    """Print each page's render time beside the core report's."""
    settings = Settings()
    app = create_app(masters, settings)
    for path in PAGES:  # warm: the catalog, the taxonomy and the templates load once
        status, _, _ = fetch(app, path, settings)
        if status != HTTP_OK:
            raise SystemExit(f"GET {path} answered {status}")
    first = next(masters.curriculum().all_resources())
    # A change from another process (the CLI, say): the next read loads the file afresh.
    elsewhere = Masters(Store.open(masters.store.url))

    def after_a_change(action: Callable[[], object]) -> float:
        times = []
        for _ in range(runs):
            elsewhere.note(f"#{first.id}", "a change from elsewhere")
            started = time.perf_counter()
            action()
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times)

    resources = sum(1 for _ in masters.curriculum().all_resources())
    core = after_a_change(masters.status)
    print(
        f"\n{label}: {resources} resources; baseline: the core's progress report read from "
        f"the file (what `diymasters status --json` computes) {core:.1f} ms"
    )
    for path in PAGES:
        page = median_ms(functools.partial(fetch, app, path, settings), runs)
        print(f"  GET {path:<12} unchanged store {page:7.1f} ms   {page / core:5.2f}x")
    changed = after_a_change(functools.partial(fetch, app, "/", settings))
    print(f"  GET /            after a change  {changed:7.1f} ms   {changed / core:5.2f}x")
    masters.plan()
    planned = median_ms(functools.partial(fetch, app, "/", settings), runs)
    print(f"  GET /            with a plan     {planned:7.1f} ms   {planned / core:5.2f}x")
    elsewhere.store.close()


def main() -> None:
    """Measure both curricula."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        template = Store.open(f"sqlite:///{Path(folder) / 'template.db'}")
        masters = Masters(template)
        masters.init()
        measure("ML Engineer template", masters, args.runs)
        big = Store.open(f"sqlite:///{Path(folder) / 'big.db'}")
        big.create(synthetic(args.resources))
        measure(f"Synthetic curriculum of {args.resources}", Masters(big), args.runs)
        template.close()
        big.close()


if __name__ == "__main__":
    main()
