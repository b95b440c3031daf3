"""The learner's own pace: how their logged hours compare with the estimates they finished.

Once enough is finished against estimates with a basis of their own (stated, derived or the
learner's, never a typical stand-in), the ratio of hours logged to hours estimated says how
this learner's hours run against the catalog's. A plan can scale what is still to do by it;
it offers to, shows the ratio, and can be told not to.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from diymasters.catalog import match_curriculum
from diymasters.hours import OWN_BASES, HoursBasis, at_your_pace
from diymasters.model import Status, rollup
from diymasters.plan.order import resource_hours

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from diymasters.catalog import Catalog
    from diymasters.model import Curriculum
    from diymasters.plan.order import Task

#: A pace is known once this many resources with estimates of their own are done...
PACE_MIN_RESOURCES = 3
#: ...with at least this many hours logged on them.
PACE_MIN_HOURS = 10.0

#: The rule in a sentence, for the frontends to show beside the ratio.
PACE_RULE = (
    f"Your pace is the hours you logged on finished resources divided by their estimates, "
    f"counting only estimates that are stated, derived or yours; it is known once "
    f"{PACE_MIN_RESOURCES} such resources are done with {PACE_MIN_HOURS:g} h logged."
)

_OWN = OWN_BASES | {HoursBasis.YOURS}


@dataclass(frozen=True)
class Pace:
    """The learner's observed pace, and whether a plan used it."""

    #: Hours logged per estimated hour; None until enough is finished to tell.
    ratio: float | None
    #: Finished resources with estimates of their own and hours logged.
    resources: int
    hours_logged: float
    hours_estimated: float
    #: Whether the plan's remaining estimates were scaled by `ratio`.
    applied: bool = False

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Pace | None:
        """A saved pace; None for plans saved before paces were kept."""
        return cls(**data) if data else None


def observed_pace(curriculum: Curriculum, catalog: Catalog) -> Pace:
    """The pace so far, from the finished resources whose estimates have a basis of their own."""
    matches = match_curriculum(catalog, curriculum)
    resources, logged, estimated = 0, 0.0, 0.0
    for resource in curriculum.all_resources():
        summary = rollup(resource)
        if resource.children or summary.status is not Status.DONE or not summary.hours_logged:
            continue
        found = matches.get(resource.id) if resource.id is not None else None
        hours = resource_hours(resource, found.entry if found else None, catalog)
        if hours.basis in _OWN:
            resources += 1
            logged += summary.hours_logged
            estimated += hours.hours
    known = resources >= PACE_MIN_RESOURCES and logged >= PACE_MIN_HOURS and estimated > 0
    ratio = round(logged / estimated, 2) if known else None
    return Pace(ratio, resources, round(logged, 2), round(estimated, 2))


def at_pace(tasks: Sequence[Task], ratio: float) -> list[Task]:
    """The tasks' hours scaled by the learner's pace, each saying so."""
    why = at_your_pace(ratio)
    return [
        dataclasses.replace(task, hours=task.hours * ratio, hours_why=f"{task.hours_why}; {why}")
        for task in tasks
    ]
