"""Saved plans: a plan kept with the inputs it was made from.

A plan takes a solver to make, and the curriculum and demand it was made from change
afterwards: keeping its report with its inputs lets progress be measured against it, and its
resources be adopted, without solving it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from diymasters.errors import NotFoundError

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence


class PlanNotFoundError(NotFoundError):
    """The curriculum has no saved plan of that name."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        """List the plans there are."""
        #: The plans there are, for a frontend to say how to make one when there is none.
        self.known = tuple(known)
        there = ", ".join(known) if known else "none yet"
        super().__init__(f"no plan named {name!r}; plans: {there}")


@dataclass(frozen=True)
class SavedPlan:
    """A plan as it was made: its inputs (demand, limits, calendar) and its report."""

    name: str
    created: dt.datetime
    inputs: dict[str, Any]
    report: dict[str, Any]
