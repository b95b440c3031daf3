"""What the store keeps of job postings, and the targets saved from them.

Postings are stored analysed, with the skills found in each, so that reports over thousands
of them need no extraction; a target is demand the learner saved under a name, to plan
against later without reading the postings again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from diymasters.errors import NotFoundError

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence


class TargetNotFoundError(NotFoundError):
    """No saved target has that name."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        """List the targets there are."""
        #: The targets there are, for a frontend to say how to save one when there is none.
        self.known = tuple(known)
        there = ", ".join(known) if known else "none yet"
        super().__init__(f"no target named {name!r}; targets: {there}")


@dataclass(frozen=True)
class SavedTarget:
    """Demand saved under a name: a weight per skill, with evidence where there was some."""

    name: str
    source: str
    weights: dict[str, float]
    evidence: dict[str, str]


@dataclass(frozen=True)
class StoredPosting:
    """A posting as the store keeps it, with the skills found in it."""

    content_hash: str
    source: str
    title: str | None
    role: str
    posted: dt.date | None
    text: str
    #: Skill id to (required anywhere in the posting, number of mentions).
    skills: dict[str, tuple[bool, int]]
    #: The version of the extractor that found them; None for postings stored before it was
    #: kept.
    extractor: str | None = None


@dataclass(frozen=True)
class SavedPostings:
    """What saving postings did: how many were new, and how many had their skills found anew."""

    new: int
    refreshed: int
