"""Adopting a saved plan: the catalog entries it adds to a curriculum, each in its home domain.

A specialisation the plan takes a course of comes whole, what the curriculum already has is
left alone, and each entry goes into the curriculum domain most of its skills belong to
(`home_domain`); an entry none of whose skills is in a domain of the curriculum is reported,
not added.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from diymasters.catalog import match_curriculum, teaches

if TYPE_CHECKING:
    from diymasters.catalog import Catalog, Entry
    from diymasters.model import Curriculum, Domain
    from diymasters.plan.results import PlanReport
    from diymasters.skills import Taxonomy


@dataclass(frozen=True)
class AdoptedResource:
    """A catalog resource added to the curriculum from a plan, and the domain it went in."""

    title: str
    domain: str


@dataclass(frozen=True)
class PlanAdopted:
    """What adopting a saved plan added, and what no domain of the curriculum fits."""

    plan: str
    added: tuple[AdoptedResource, ...]
    #: Titles of the resources left out: none of their skills is in a domain of the curriculum.
    no_domain: tuple[str, ...]


def to_adopt(
    report: PlanReport, catalog: Catalog, curriculum: Curriculum, taxonomy: Taxonomy
) -> list[tuple[Entry, Domain | None]]:
    """The catalog entries adopting a plan adds to a curriculum, each with its home domain.

    A course of a specialisation the plan takes whole brings the specialisation (with its
    courses); what the curriculum already has, wholly or in part, is left alone; work
    already under way is not a catalog entry. The home is `home_domain`'s.
    """
    have = {m.entry.id for m in match_curriculum(catalog, curriculum).values()}
    found = []
    for key in dict.fromkeys(item.part_of or item.id for item in report.items):
        entry = catalog.entries.get(key)
        if entry is None or {e.id for e in entry.walk()} & have:
            continue
        found.append((entry, home_domain(curriculum, entry, taxonomy)))
    return found


def home_domain(curriculum: Curriculum, entry: Entry, taxonomy: Taxonomy) -> Domain | None:
    """The curriculum domain most of an entry's skills belong to, if it has one of them.

    Domains match by name, whatever the case; a tie goes to the name last in alphabetical order.
    """
    domains = {d.name.casefold(): d for d in curriculum.all_domains()}
    votes: dict[str, int] = {}
    for skill in teaches(entry):
        for name in taxonomy.domains_of(skill):
            if name.casefold() in domains:
                votes[name.casefold()] = votes.get(name.casefold(), 0) + 1
    return domains[max(votes, key=lambda n: (votes[n], n))] if votes else None
