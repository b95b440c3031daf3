"""What each catalog entry's hours rest on: stated, derived, typical of its peers, or none.

The rule (issue 16), which the README's catalog section repeats for learners:

- **stated**: the entry states hours, with the page they came from (`hours` and `source`); a
  specialisation or programme whose every course has stated hours takes their sum.
- **derived**: hours derived from a stated quantity (`derive` in the catalog, with the page
  that states it) by one of the rules of `HoursRules`: a book's pages at a reading rate,
  weeks at the stated hours a week, video running time times a factor for the work around
  it. A parent whose courses are stated or derived, some derived, is derived.
- **typical**: the median of the stated and derived peers of the same kind and level; when
  that kind and level has none, of the same kind at every level. Never of the whole catalog:
  a one-page article must not weigh as much as a specialisation.
- **none**: no entry of its kind has hours of its own. The catalog-wide median of the figures
  entries have stands in (or `DEFAULT_HOURS`, when no entry has one), and says so.

A curriculum's own resource may carry the learner's estimate: its basis is **yours**.

Where a page states a range ("6-8 hours per week") or two pages disagree, the range is kept
(`Hours.low`, `Hours.high`) and a plan charges its midpoint.
"""

from __future__ import annotations

import dataclasses
import enum
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from diymasters.model import Kind

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from diymasters.catalog import Catalog, Entry

#: Hours charged to every entry when no entry of the catalog has a figure of its own.
DEFAULT_HOURS = 20.0

QuantityKind = Literal["pages", "weekly", "video", "lectures"]


@dataclass(frozen=True)
class Quantity:
    """A stated quantity that hours are derived from: pages, weeks, or video running time."""

    kind: QuantityKind
    #: Pages, weeks, hours of video, or lectures, as `kind` says.
    amount: float
    #: For "weekly", the stated hours a week, low and high (equal unless a range is stated);
    #: for "lectures", the minutes of each lecture (both equal).
    per: tuple[float, float] = (0.0, 0.0)

    def describe(self) -> str:
        """The quantity as the page states it: "412 pages", "9 weeks at 6-8 h a week"."""
        if self.kind == "pages":
            return f"{self.amount:g} pages"
        if self.kind == "video":
            return f"{self.amount:g} h of video"
        if self.kind == "lectures":
            return f"{self.amount:g} lectures of {self.per[0]:g} min"
        return f"{self.amount:g} weeks at {_span(*self.per)} h a week"


@dataclass(frozen=True)
class HoursRules:
    """The rules that turn a stated quantity into hours, in one place with their reasons.

    They are conventions of this tool, not measurements: each is stated beside every figure
    it makes, and a learner changes them in the configuration file (`diymasters.config`).
    """

    #: A technical book is studied, not read: its examples run and its exercises tried.
    #: Five pages an hour is a planning pace for that; a reader who only reads goes faster.
    pages_per_hour: float = 5.0
    #: An hour of lectures takes about as long again in notes, quizzes and exercises.
    video_factor: float = 2.0

    def derive(self, quantity: Quantity) -> tuple[float, float]:
        """The hours a quantity comes to by these rules, low and high."""
        if quantity.kind == "pages":
            hours = quantity.amount / self.pages_per_hour
            return hours, hours
        if quantity.kind == "video":
            hours = quantity.amount * self.video_factor
            return hours, hours
        if quantity.kind == "lectures":
            hours = quantity.amount * quantity.per[0] / 60 * self.video_factor
            return hours, hours
        low, high = quantity.per
        return quantity.amount * low, quantity.amount * high

    def rule(self, quantity: Quantity) -> str:
        """The rule applied to a quantity, in words."""
        if quantity.kind == "pages":
            return f"at {self.pages_per_hour:g} pages an hour"
        if quantity.kind == "weekly":
            return "(weeks times hours a week)"
        noun = "videos" if quantity.kind == "video" else "lectures"
        return f"times {self.video_factor:g} for the work around the {noun}"

    def describe(self) -> tuple[str, ...]:
        """Every rule with its current value, for `catalog stats` and the README."""
        return (
            f"a book's pages at {self.pages_per_hour:g} pages an hour (pages_per_hour)",
            "a course's weeks times the hours a week its page states",
            f"video time, or lectures times length, times {self.video_factor:g} (video_factor)",
        )


#: The rules as shipped; the configuration file may change them.
DEFAULT_RULES = HoursRules()


def _span(low: float, high: float) -> str:
    return f"{low:g}" if low == high else f"{low:g}-{high:g}"


class HoursBasis(enum.StrEnum):
    """What an hours figure rests on."""

    STATED = "stated"
    DERIVED = "derived"
    TYPICAL = "typical"
    NONE = "none"
    #: The learner's own estimate for a resource of their curriculum; never a catalog entry's.
    YOURS = "yours"


#: The rule in a sentence, for the frontends to show beside a plan's hours.
HOURS_RULE = (
    "Stated hours are the provider's, with the page they came from; derived hours follow from "
    "a stated quantity by a stated rule; typical hours are the median of the stated and "
    "derived entries of the same kind and level (of the kind, when none shares the level); "
    "none means no entry of its kind has hours, and the catalog-wide median stands in."
)


def basis_phrase(basis: str) -> str:
    """How a basis reads after its hours: "33.5 h none" said nothing of what stood in."""
    return "catalog-median stand-in" if basis == HoursBasis.NONE else basis


#: The bases a catalog entry can have, in the order reports list them.
ENTRY_BASES = (HoursBasis.STATED, HoursBasis.DERIVED, HoursBasis.TYPICAL, HoursBasis.NONE)
#: The bases of a figure an entry has of its own, which make it a peer for typical figures.
OWN_BASES = frozenset({HoursBasis.STATED, HoursBasis.DERIVED})

_PLURAL = {
    Kind.COURSE: "courses",
    Kind.SPECIALISATION: "specialisations",
    Kind.BOOK: "books",
    Kind.PROJECT: "projects",
    Kind.ARTICLE: "articles",
    Kind.VIDEO: "videos",
    Kind.OTHER: "other resources",
}


def _singular(kind: Kind) -> str:
    return _PLURAL[kind].removesuffix("s")


def counted(kind: Kind, count: int) -> str:
    """A count of entries of a kind, in words: "109 courses", "1 video"."""
    return f"{count} {_PLURAL[kind] if count != 1 else _singular(kind)}"


@dataclass(frozen=True)
class Typical:
    """The typical hours of a kind (and level): the median of its peers' own figures."""

    kind: Kind
    #: None when no peer shares the level and the median is of the kind at every level.
    level: str | None
    hours: float
    #: How many stated and derived peers the median is of.
    stated: int
    derived: int

    def describe(self) -> str:
        """The peers named and counted: "median of 3 stated courses, beginner"."""
        peers = " and ".join(
            f"{count} {basis}"
            for count, basis in ((self.stated, "stated"), (self.derived, "derived"))
            if count
        )
        noun = _PLURAL[self.kind] if self.stated + self.derived > 1 else _singular(self.kind)
        return f"median of {peers} {noun}, {self.level or 'any level'}"


@dataclass(frozen=True)
class Hours:
    """An entry's hours and what they rest on."""

    hours: float
    basis: HoursBasis
    #: The figure's source, its parts, or its peers, in words.
    why: str
    #: The peers of a typical figure.
    peers: Typical | None = None
    #: The range the figure is the midpoint of, where its page states one or pages disagree.
    low: float | None = None
    high: float | None = None
    #: The quantity and rule of a derived figure without its page, for one-line reports.
    short: str | None = None

    @property
    def figure(self) -> str:
        """The hours in words: "22 h", or "56 h (48-64)" for a range."""
        hours = f"{self.hours:.4g} h"
        if self.low is None or self.high is None or self.low == self.high:
            return hours
        return f"{hours} ({self.low:.4g}-{self.high:.4g})"

    def describe(self) -> str:
        """The figure and its basis in one phrase, as recommendations and plans say it."""
        if self.basis is HoursBasis.STATED:
            return f"{self.figure} stated"
        return f"{self.figure} {self.basis}: {self.short or self.why}"

    def scaled(self, ratio: float) -> Hours:
        """The figure times the learner's pace, saying so."""
        low = self.low * ratio if self.low is not None else None
        high = self.high * ratio if self.high is not None else None
        why = f"{self.why}; {at_your_pace(ratio)}"
        return dataclasses.replace(self, hours=self.hours * ratio, why=why, low=low, high=high)


def at_your_pace(ratio: float) -> str:
    """What a figure scaled by the learner's pace says of it: "times 1.4, your pace"."""
    return f"times {ratio:g}, your pace"


def split_by_basis(figures: Iterable[tuple[HoursBasis, float]]) -> dict[str, float]:
    """Hours summed by basis: the catalog's four, then the learner's own, each named."""
    totals = dict.fromkeys([*ENTRY_BASES, HoursBasis.YOURS], 0.0)
    for basis, hours in figures:
        totals[basis] += hours
    return {basis.value: round(hours, 2) for basis, hours in totals.items()}


def is_own(hours: Hours) -> bool:
    """Whether the figure is the entry's own (stated or derived), not borrowed from peers."""
    return hours.basis in OWN_BASES


@dataclass(frozen=True)
class CatalogHours:
    """Every entry's hours, with the typical figures and the fallback they rest on."""

    by_entry: Mapping[str, Hours]
    #: The typical figure of each kind and level (level None: of the kind at every level).
    typical: Mapping[tuple[Kind, str | None], Typical]
    #: How many entries have a figure of their own, the base of the fallback.
    own: int
    #: Hours charged where the basis is none.
    fallback: float

    def of(self, entry: Entry) -> Hours:
        """An entry's hours and basis."""
        return self.by_entry[entry.id]

    def typical_of(self, kind: Kind, level: str | None) -> Hours:
        """Hours for something with no figure of its own: its peers' median, or the fallback."""
        peers = self.typical.get((kind, level)) or self.typical.get((kind, None))
        if peers is not None:
            return Hours(peers.hours, HoursBasis.TYPICAL, peers.describe(), peers)
        stands_in = (
            f"the catalog-wide median of {self.own} entries' own figures"
            if self.own
            else "a default figure"
        )
        why = f"no {_singular(kind)} in the catalog has hours; {stands_in} stands in"
        return Hours(self.fallback, HoursBasis.NONE, why)


def assess(entries: Iterable[Entry], rules: HoursRules = DEFAULT_RULES) -> CatalogHours:
    """Each entry's hours and basis, by the rule in this module's docstring."""
    listed = list(entries)
    own = {e.id: found for e in listed if (found := _own(e, rules)) is not None}
    groups: dict[tuple[Kind, str | None], list[Hours]] = defaultdict(list)
    for entry in listed:
        if entry.id in own:
            groups[entry.kind, entry.level].append(own[entry.id])
            groups[entry.kind, None].append(own[entry.id])
    typical = {key: _typical(key, peers) for key, peers in groups.items()}
    figures = [h.hours for h in own.values()]
    fallback = float(statistics.median(figures)) if figures else DEFAULT_HOURS
    without_entries = CatalogHours({}, typical, len(figures), fallback)
    by_entry = {e.id: own.get(e.id) or without_entries.typical_of(e.kind, e.level) for e in listed}
    return dataclasses.replace(without_entries, by_entry=by_entry)


def _own(entry: Entry, rules: HoursRules) -> Hours | None:
    """The entry's own figure: stated, derived, or the sum of its courses' own figures."""
    read = f", read {entry.read.isoformat()}" if entry.read else ""
    if entry.hours:
        low, high = entry.hours_range or (None, None)
        return Hours(entry.hours, HoursBasis.STATED, f"{entry.source or ''}{read}", None, low, high)
    if entry.derive is not None:
        low, high = rules.derive(entry.derive)
        stated = f"{entry.derive.describe()} {rules.rule(entry.derive)}"
        why = f"{stated} (the quantity: {entry.source}{read})"
        return Hours((low + high) / 2, HoursBasis.DERIVED, why, None, low, high, stated)
    parts = [_own(child, rules) for child in entry.children]
    if not parts or None in parts:
        return None
    known = [part for part in parts if part is not None]
    derived = any(part.basis is HoursBasis.DERIVED for part in known)
    basis = HoursBasis.DERIVED if derived else HoursBasis.STATED
    why = f"the sum of its {len(known)} parts' {basis} hours"
    low = sum(part.low if part.low is not None else part.hours for part in known)
    high = sum(part.high if part.high is not None else part.hours for part in known)
    return Hours(sum(part.hours for part in known), basis, why, None, low, high)


def _typical(key: tuple[Kind, str | None], peers: list[Hours]) -> Typical:
    bases = Counter(peer.basis for peer in peers)
    median = round(float(statistics.median(peer.hours for peer in peers)), 2)
    return Typical(key[0], key[1], median, bases[HoursBasis.STATED], bases[HoursBasis.DERIVED])


@dataclass(frozen=True)
class TypicalUse:
    """A typical figure, the peers it is the median of, and how many entries are charged it."""

    kind: Kind
    #: None for the median of the kind at every level.
    level: str | None
    hours: float
    #: The stated and derived peers it is the median of.
    stated: int
    derived: int
    why: str
    entries: int

    @classmethod
    def of(cls, typical: Typical, entries: int) -> TypicalUse:
        """A typical figure charged to this many entries."""
        return cls(
            typical.kind,
            typical.level,
            typical.hours,
            typical.stated,
            typical.derived,
            typical.describe(),
            entries,
        )


@dataclass(frozen=True)
class CatalogStats:
    """The catalog counted: entries by kind, and their hours by basis."""

    entries: int
    by_kind: Mapping[str, int]
    #: Entries by the basis of their hours.
    hours: Mapping[str, int]
    #: The typical figures charged, most used first, each naming its peers.
    typical: tuple[TypicalUse, ...]
    #: Hours charged to an entry whose basis is none.
    fallback_hours: float
    #: Entries of each kind whose hours are their own, stated or derived.
    own_by_kind: Mapping[str, int]
    #: The rules derived hours follow, with their current values.
    rules: tuple[str, ...]

    @property
    def studied_kinds_own(self) -> tuple[int, int]:
        """Courses, specialisations and books with hours of their own, and how many there are.

        These are what a learner studies start to finish; articles and videos are reference.
        """
        kinds = [kind.value for kind in STUDIED_KINDS]
        return sum(self.own_by_kind[k] for k in kinds), sum(self.by_kind[k] for k in kinds)


#: The kinds a plan's hours mostly rest on, whose own figures `catalog stats` counts apart.
STUDIED_KINDS = (Kind.COURSE, Kind.SPECIALISATION, Kind.BOOK)


def catalog_stats(catalog: Catalog) -> CatalogStats:
    """Entries by kind, and hours by basis, with the typical figures they rest on."""
    entries = list(catalog.entries.values())
    assessed = [catalog.hours.of(entry) for entry in entries]
    kinds = Counter(entry.kind for entry in entries)
    bases = Counter(hours.basis for hours in assessed)
    own = Counter(
        entry.kind for entry, hours in zip(entries, assessed, strict=True) if is_own(hours)
    )
    used = Counter(hours.peers for hours in assessed if hours.peers is not None)
    most_used = sorted(used.items(), key=lambda item: (-item[1], item[0].kind, item[0].level or ""))
    return CatalogStats(
        entries=len(entries),
        by_kind={kind.value: kinds[kind] for kind in Kind},
        hours={basis.value: bases[basis] for basis in ENTRY_BASES},
        typical=tuple(TypicalUse.of(peers, count) for peers, count in most_used),
        fallback_hours=catalog.hours.fallback,
        own_by_kind={kind.value: own[kind] for kind in Kind},
        rules=catalog.rules.describe(),
    )
