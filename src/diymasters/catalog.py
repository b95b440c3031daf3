"""The catalog of real learning resources, and matching a curriculum's resources to it.

`data/catalog.yaml` is written by hand: each entry is a real resource at its canonical URL,
with the provider's stated hours and the page they came from, or no figure at all. It is
checked on load (schema, unique ids and URLs, skills that exist in the taxonomy, entries
that exist, no prerequisite cycles), and every problem names the entry and field.
"""

from __future__ import annotations

import dataclasses
import datetime as dt  # noqa: TC003 (pydantic reads the spec's annotations at run time)
import functools
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal
from urllib.parse import urlsplit

import pydantic
from rapidfuzz import fuzz, process

from diymasters import hours as hours_module
from diymasters import model as model_module
from diymasters import yamlfile
from diymasters.artefacts import load_or_build
from diymasters.config import load_config
from diymasters.errors import NotFoundError
from diymasters.hours import DEFAULT_RULES, HoursRules, Quantity, assess, is_own
from diymasters.model import Estimate, Kind, Resource
from diymasters.skills import load_taxonomy

if TYPE_CHECKING:
    from collections.abc import Iterator

    from diymasters.hours import CatalogHours, Hours
    from diymasters.model import Curriculum
    from diymasters.skills import Taxonomy
    from diymasters.yamlfile import Problem

#: A title match must score at least this (rapidfuzz token-set ratio, 0-100) to count.
TITLE_MATCH_THRESHOLD = 92


class CatalogError(yamlfile.DataFileError):
    """The catalog did not validate."""


class EntryNotFoundError(NotFoundError):
    """No catalog entry has that id."""

    def __init__(self, entry_id: str) -> None:
        """Name what was asked for."""
        super().__init__(f"no catalog entry {entry_id!r}")


def _url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        msg = "must be an http(s) URL"
        raise ValueError(msg)
    return value


class _QuantitySpec(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)


class _PagesSpec(_QuantitySpec):
    """A book's printed page count."""

    pages: pydantic.PositiveInt

    def quantity(self) -> Quantity:
        return Quantity("pages", self.pages)


class _WeeklySpec(_QuantitySpec):
    """Weeks at the hours a week the page states (a range where it states one)."""

    weeks: pydantic.PositiveFloat
    hours_per_week: pydantic.PositiveFloat | tuple[pydantic.PositiveFloat, pydantic.PositiveFloat]

    def quantity(self) -> Quantity:
        per = self.hours_per_week
        low, high = per if isinstance(per, tuple) else (per, per)
        return Quantity("weekly", self.weeks, (min(low, high), max(low, high)))


class _VideoSpec(_QuantitySpec):
    """The running time of its videos, in hours."""

    video_hours: pydantic.PositiveFloat

    def quantity(self) -> Quantity:
        return Quantity("video", self.video_hours)


class _LecturesSpec(_QuantitySpec):
    """Recorded lectures, and the minutes of each."""

    lectures: pydantic.PositiveInt
    minutes: pydantic.PositiveFloat

    def quantity(self) -> Quantity:
        return Quantity("lectures", self.lectures, (self.minutes, self.minutes))


class _EntrySpec(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, pydantic.StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    title: Annotated[str, pydantic.StringConstraints(strip_whitespace=True, min_length=1)]
    provider: str
    url: Annotated[str, pydantic.AfterValidator(_url)]
    kind: Kind
    #: A figure, or [low, high] where the page states a range or two pages disagree.
    hours: pydantic.PositiveFloat | tuple[pydantic.PositiveFloat, pydantic.PositiveFloat] | None = (
        None
    )
    #: A stated quantity the hours are derived from (`hours.HoursRules`).
    derive: _PagesSpec | _WeeklySpec | _VideoSpec | _LecturesSpec | None = None
    source: str | None = None
    #: The day the figures were read from `source`: pages change (Coursera has said 21, 22
    #: and 23 h for one course), so a figure says when it was true.
    read: dt.date | None = None
    cost: pydantic.NonNegativeFloat | None = None
    #: The page a price above 0 came from, and the day it was read: prices change.
    cost_source: str | None = None
    cost_read: dt.date | None = None
    audit: bool | None = None
    level: Literal["beginner", "intermediate", "advanced"] | None = None
    language: str = "en"
    skills: list[str] = []
    prerequisites: list[str] = []
    children: list[_EntrySpec] = []

    @pydantic.field_validator("hours")
    @classmethod
    def _range_in_order(cls, value: object) -> object:
        if isinstance(value, tuple) and value[0] > value[1]:
            msg = "a range is [low, high]"
            raise ValueError(msg)
        return value

    @pydantic.model_validator(mode="after")
    def _figures_name_their_source(self) -> _EntrySpec:
        if self.hours is not None and self.derive is not None:
            msg = "give hours or derive, not both: a stated figure needs no derived one"
            raise ValueError(msg)
        if (self.hours is not None or self.derive is not None) and not self.source:
            msg = "hours need a source: the page the figure or quantity came from"
            raise ValueError(msg)
        if self.read is not None and not self.source:
            msg = "a day read needs a source: the page that was read"
            raise ValueError(msg)
        if self.cost and not (self.cost_source and self.cost_read):
            msg = "a price needs cost_source and cost_read: the page it came from, and when"
            raise ValueError(msg)
        return self


class _CatalogSpec(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)

    entries: list[_EntrySpec]


@dataclass(frozen=True)
class Entry:
    """A learning resource in the catalog."""

    id: str
    title: str
    provider: str
    url: str
    kind: Kind
    #: The stated hours (a range's midpoint), with `source`; None when it states none.
    hours: float | None
    source: str | None
    #: The day `source` was read for the figures, when the catalog records it.
    read: dt.date | None
    cost: float | None
    audit: bool | None
    level: str | None
    language: str
    #: Taxonomy skill ids it teaches.
    skills: tuple[str, ...]
    #: Skill ids or entry ids to know or have done first.
    prerequisites: tuple[str, ...]
    children: tuple[Entry, ...]
    parent: str | None = None
    #: The stated range, low and high, where the page states one or two pages disagree.
    hours_range: tuple[float, float] | None = None
    #: The stated quantity its hours are derived from, when it states no hours.
    derive: Quantity | None = None
    #: Where a price above 0 came from, and when it was read.
    cost_source: str | None = None
    cost_read: dt.date | None = None

    @property
    def free(self) -> bool:
        """Whether it can be followed without paying."""
        return self.cost == 0 or bool(self.audit)

    @property
    def cost_to_learn(self) -> float:
        """What following it costs: nothing where it can be audited, its price otherwise.

        A plan is for learning, so an edX course's certificate price is not charged when
        the course itself is free to follow; an unknown price counts as 0, as it always has.
        """
        return 0.0 if self.free else self.cost or 0.0

    @property
    def known_cost_to_learn(self) -> float | None:
        """What following it costs, as `cost_to_learn`, or None where its price is not known."""
        return 0.0 if self.free else self.cost

    def walk(self) -> Iterator[Entry]:
        """This entry and its children, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Catalog:
    """Every entry by id, children included."""

    entries: dict[str, Entry]
    top: tuple[Entry, ...]
    #: The rules that derive hours from stated quantities (the learner may change them).
    rules: HoursRules = DEFAULT_RULES

    def get(self, entry_id: str) -> Entry:
        """An entry by id."""
        try:
            return self.entries[entry_id]
        except KeyError:
            raise EntryNotFoundError(entry_id) from None

    @functools.cached_property
    def hours(self) -> CatalogHours:
        """Every entry's hours and their basis: stated, derived, typical of its peers, or none."""
        return assess(self.entries.values(), self.rules)

    @functools.cached_property
    def by_url(self) -> dict[str, Entry]:
        """Entries by normalised URL."""
        return {comparable_url(e.url): e for e in self.entries.values()}

    @functools.cached_property
    def last_matched(self) -> list[tuple[Curriculum, dict[int, Match]]]:
        """The curricula matched last, with their matches (see `match_curriculum`)."""
        return []

    @functools.cached_property
    def title_matches(self) -> dict[str, Match | None]:
        """Titles matched so far, and what they matched."""
        return {}

    @functools.cached_property
    def title_choices(self) -> dict[str, str]:
        """Entry titles to match against; a short one ("Linear Algebra") matches only by URL."""
        cleaned = ((e.id, clean_title(e.title)) for e in self.entries.values())
        return {key: title for key, title in cleaned if len(title.split()) >= _SHORT_TITLE_WORDS}


def comparable_url(url: str) -> str:
    """Compare URLs by host and path: scheme, "www.", query, fragment and a final "/" aside."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}".lower()


def load_catalog() -> Catalog:
    """The shipped catalog, its derived hours by the rules of the learner's configuration."""
    return _with_rules(load_config().rules)


@functools.cache
def _with_rules(rules: HoursRules) -> Catalog:
    """The shipped catalog under a set of rules (loaded and checked once per process).

    Its skills are not looked up in the taxonomy here: both files ship together and a test
    checks one against the other, while loading the taxonomy would cost `status` a fifth of a
    second each run now that it reads the catalog's estimates.
    """
    if rules != DEFAULT_RULES:
        return dataclasses.replace(_with_rules(DEFAULT_RULES), rules=rules)
    return load_or_build("catalog", _catalog_inputs(), _parse_shipped_catalog)


def _parse_shipped_catalog() -> Catalog:
    """The shipped catalog checked, with every entry's hours assessed (kept in the cache)."""
    catalog, problems = parse_catalog(shipped_catalog_text(), "catalog.yaml", None)
    if catalog is None:
        raise CatalogError(problems)
    _ = catalog.hours
    return catalog


def _catalog_inputs() -> Iterator[bytes]:
    """What the parsed catalog depends on: its file and the code of the types it holds."""
    yield shipped_catalog_text().encode()
    for module in (__file__, hours_module.__file__, model_module.__file__):
        yield Path(module).read_bytes()


def shipped_catalog_text() -> str:
    """The catalog file shipped with the package."""
    return (resources.files("diymasters") / "data" / "catalog.yaml").read_text(encoding="utf-8")


def parse_catalog(
    text: str, filename: str, taxonomy: Taxonomy | None
) -> tuple[Catalog | None, list[Problem]]:
    """Validate catalog text; return the catalog or every problem, located.

    Skills are checked against `taxonomy`; with None they are taken as they are.
    """
    spec, locator, problems = yamlfile.load(text, filename, _CatalogSpec)
    if spec is None:
        return None, problems
    top = tuple(_entry(e, None) for e in spec.entries)
    entries: dict[str, Entry] = {}
    paths: dict[str, tuple[object, ...]] = {}
    for path, entry in _located(top):
        if entry.id in entries:
            problems.append(_at(filename, locator, (*path, "id"), f"duplicate id {entry.id!r}"))
        entries.setdefault(entry.id, entry)
        paths.setdefault(entry.id, path)
    problems += _check_references(filename, locator, top, entries, taxonomy)
    problems += _check_cycles(filename, locator, entries, paths)
    if problems:
        return None, problems
    return Catalog(entries, top), []


def _entry(spec: _EntrySpec, parent: str | None) -> Entry:
    return Entry(
        id=spec.id,
        title=spec.title,
        provider=spec.provider,
        url=spec.url,
        kind=spec.kind,
        hours=_midpoint(spec.hours),
        hours_range=spec.hours if isinstance(spec.hours, tuple) else None,
        derive=spec.derive.quantity() if spec.derive is not None else None,
        source=spec.source,
        read=spec.read,
        cost=spec.cost,
        cost_source=spec.cost_source,
        cost_read=spec.cost_read,
        audit=spec.audit,
        level=spec.level,
        language=spec.language,
        skills=tuple(_skill_id(s) for s in spec.skills),
        prerequisites=tuple(spec.prerequisites),
        children=tuple(_entry(child, spec.id) for child in spec.children),
        parent=parent,
    )


def _midpoint(hours: float | tuple[float, float] | None) -> float | None:
    if isinstance(hours, tuple):
        return (hours[0] + hours[1]) / 2
    return hours


def _skill_id(name: str) -> str:
    return name if ":" in name else f"dm:{name}"


def _located(
    entries: tuple[Entry, ...], prefix: tuple[object, ...] = ("entries",)
) -> Iterator[tuple[tuple[object, ...], Entry]]:
    for index, entry in enumerate(entries):
        path = (*prefix, index)
        yield path, entry
        yield from _located(entry.children, (*path, "children"))


def _at(
    filename: str, locator: yamlfile.Locator, path: tuple[object, ...], message: str
) -> Problem:
    return yamlfile.Problem(filename, locator.line(path), yamlfile.field_name(path), message)


def _check_references(
    filename: str,
    locator: yamlfile.Locator,
    top: tuple[Entry, ...],
    entries: dict[str, Entry],
    taxonomy: Taxonomy | None,
) -> list[Problem]:
    problems = []
    urls: dict[str, str] = {}
    for path, entry in _located(top):
        url = comparable_url(entry.url)
        if url in urls and urls[url] != entry.id:
            message = f"URL already used by {urls[url]!r}"
            problems.append(_at(filename, locator, (*path, "url"), message))
        urls.setdefault(url, entry.id)
        if taxonomy is None:
            continue
        for index, skill in enumerate(entry.skills):
            if skill not in taxonomy.skills:
                message = f"no skill {skill!r} in the taxonomy"
                problems.append(_at(filename, locator, (*path, "skills", index), message))
        for index, needed in enumerate(entry.prerequisites):
            if needed not in entries and _skill_id(needed) not in taxonomy.skills:
                message = f"{needed!r} is neither a catalog entry nor a skill"
                problems.append(_at(filename, locator, (*path, "prerequisites", index), message))
    return problems


def _check_cycles(
    filename: str,
    locator: yamlfile.Locator,
    entries: dict[str, Entry],
    paths: dict[str, tuple[object, ...]],
) -> list[Problem]:
    """Entries that (through other entries) require themselves."""
    state: dict[str, int] = {}  # 1 while on the path being walked, 2 once finished
    problems: list[Problem] = []

    def visit(entry_id: str, trail: list[str]) -> None:
        state[entry_id] = 1
        for needed in entries[entry_id].prerequisites:
            if needed not in entries:
                continue
            if state.get(needed) == 1:
                cycle = " -> ".join([*trail[trail.index(needed) :], needed])
                path = (*paths[entry_id], "prerequisites")
                problems.append(_at(filename, locator, path, f"prerequisite cycle: {cycle}"))
            elif needed not in state:
                visit(needed, [*trail, needed])
        state[entry_id] = 2

    for entry_id in entries:
        if entry_id not in state:
            visit(entry_id, [entry_id])
    return problems


# --- Search ---------------------------------------------------------------------------------


def search(
    catalog: Catalog,
    query: str = "",
    *,
    skill: str | None = None,
    domain: str | None = None,
    free: bool = False,
    max_hours: float | None = None,
) -> list[Entry]:
    """Entries matching a text query and filters, best first."""
    taxonomy = load_taxonomy()
    skill_id = taxonomy.get(skill).id if skill else None
    found = []
    for entry in catalog.entries.values():
        if skill_id and skill_id not in entry.skills:
            continue
        if domain and not any(
            domain.casefold() in (d.casefold() for d in taxonomy.skills[s].domains)
            for s in entry.skills
        ):
            continue
        if free and not entry.free:
            continue
        if max_hours is not None and not _within(catalog.hours.of(entry), max_hours):
            continue
        score = _score(entry, query, taxonomy) if query else 100.0
        if score > 0:
            found.append((score, entry))
    return [entry for _, entry in sorted(found, key=lambda item: (-item[0], item[1].title))]


def _within(hours: Hours, max_hours: float) -> bool:
    """Whether an entry's own figure (stated or derived) is at most `max_hours`."""
    return is_own(hours) and hours.hours <= max_hours


def _score(entry: Entry, query: str, taxonomy: Taxonomy) -> float:
    words = " ".join(
        [entry.title, entry.provider, *(taxonomy.skills[s].name for s in entry.skills)]
    )
    needle = query.casefold()
    if needle in words.casefold():
        return 100.0 + (needle in entry.title.casefold()) * 10
    score = fuzz.partial_ratio(needle, words.casefold())
    return score if score >= TITLE_MATCH_THRESHOLD else 0.0


# --- Matching a curriculum's resources ------------------------------------------------------

#: Words that say nothing about which resource it is. "Specialization" is not one: without it
#: "Natural Language Processing" is a subject, with it a Coursera programme.
_NOISE = re.compile(r"\b(course|the|a|an)\b|[^\w\s+#]", re.IGNORECASE)


@dataclass(frozen=True)
class Match:
    """Which catalog entry a curriculum resource is, and how sure we are."""

    entry: Entry
    #: 100 for the same URL; otherwise the title similarity (0-100).
    score: float
    by: Literal["url", "title", "position"]


def match(catalog: Catalog, resource: Resource) -> Match | None:
    """Find a resource's catalog entry: by normalised URL first, then by title."""
    if resource.url:
        found = catalog.by_url.get(comparable_url(resource.url))
        if found is not None:
            return Match(found, 100.0, "url")
    return _match_title(catalog, resource.title)


def _match_title(catalog: Catalog, title: str) -> Match | None:
    # The web UI matches the whole curriculum on every page; the catalog never changes.
    if title not in catalog.title_matches:
        catalog.title_matches[title] = _best_title(catalog, title)
    return catalog.title_matches[title]


def _best_title(catalog: Catalog, title: str) -> Match | None:
    cleaned = clean_title(title)
    choices = catalog.title_choices
    best = process.extractOne(
        cleaned,
        choices,
        scorer=fuzz.token_sort_ratio,
        score_cutoff=TITLE_MATCH_THRESHOLD,
    )
    if best is None:
        return None
    chosen, score, key = best
    if sum(1 for other in choices.values() if other == chosen) > 1:
        return None  # two entries share this title (a course and a book): a title cannot tell
    entry = catalog.entries[key]
    # "Machine Learning" or "Algorithms I" name a subject more often than a course: a short
    # title counts only when it is the entry's whole title.
    if (
        len(cleaned.split()) < _SHORT_TITLE_WORDS
        and title.casefold().strip() != entry.title.casefold()
    ):
        return None
    return Match(entry, float(score), "title")


#: Titles of fewer words than this match by title only when equal to the entry's.
_SHORT_TITLE_WORDS = 3


def clean_title(title: str) -> str:
    """A title as titles are compared: casefolded, without punctuation or words of no weight."""
    return " ".join(_NOISE.sub(" ", title.casefold()).split())


def as_resource(entry: Entry) -> Resource:
    """The entry as a curriculum resource, with its courses; its hours are lent at read time."""
    return Resource(
        title=entry.title,
        kind=entry.kind,
        url=entry.url,
        provider=entry.provider,
        cost=entry.cost,
        source=entry.source,
        children=tuple(as_resource(child) for child in entry.children),
    )


@dataclass(frozen=True)
class TaughtSkill:
    """A skill an entry teaches, named as the taxonomy names it."""

    id: str
    name: str
    domain: str


@dataclass(frozen=True)
class EntryReport:
    """A catalog entry in full, its skills named and its parts by id."""

    id: str
    title: str
    provider: str
    url: str
    kind: Kind
    #: The hours it states (a range's midpoint), with their `source`; None when it states none.
    hours: float | None
    hours_range: tuple[float, float] | None
    #: The stated quantity its hours are derived from ("412 pages"), when it states no hours.
    derive: str | None
    source: str | None
    read: dt.date | None
    #: The hours a plan charges it, and what they rest on (`diymasters.hours`).
    estimate: Hours
    cost: float | None
    cost_source: str | None
    cost_read: dt.date | None
    audit: bool | None
    free: bool
    level: str | None
    language: str
    skills: tuple[TaughtSkill, ...]
    prerequisites: tuple[str, ...]
    parent: str | None
    children: tuple[str, ...]


def entry_report(catalog: Catalog, entry: Entry, taxonomy: Taxonomy | None = None) -> EntryReport:
    """An entry in full, as `catalog show` and `catalog search` report it."""
    taxonomy = taxonomy or load_taxonomy()
    return EntryReport(
        id=entry.id,
        title=entry.title,
        provider=entry.provider,
        url=entry.url,
        kind=entry.kind,
        hours=entry.hours,
        hours_range=entry.hours_range,
        derive=entry.derive.describe() if entry.derive else None,
        source=entry.source,
        read=entry.read,
        estimate=catalog.hours.of(entry),
        cost=entry.cost,
        cost_source=entry.cost_source,
        cost_read=entry.cost_read,
        audit=entry.audit,
        free=entry.free,
        level=entry.level,
        language=entry.language,
        skills=tuple(
            TaughtSkill(s, taxonomy.skills[s].name, taxonomy.skills[s].domain) for s in entry.skills
        ),
        prerequisites=tuple(entry.prerequisites),
        parent=entry.parent,
        children=tuple(child.id for child in entry.children),
    )


#: Among a matched parent's children, a looser title match is enough.
CHILD_MATCH_THRESHOLD = 80


def match_curriculum(catalog: Catalog, curriculum: Curriculum) -> dict[int, Match]:
    """Catalog matches for a curriculum's stored resources, by resource id.

    A course under a matched specialisation is looked for among that specialisation's
    courses first, so the seed's bare "Linear Algebra" is Imperial's course, not Khan's.
    The answers for the two curricula matched last are kept: curricula are immutable, and
    the store hands back the same one until something changes; the second is that one with
    the catalog's estimates lent (`estimates`).
    """
    for matched_before, matches in catalog.last_matched:
        if matched_before is curriculum:
            return dict(matches)
    found: dict[int, Match] = {}

    def visit(resource: Resource, parent: Entry | None, position: tuple[int, int]) -> None:
        matched = _match_child(parent, resource, position) if parent else None
        matched = matched or match(catalog, resource)
        if matched is not None and resource.id is not None:
            found[resource.id] = matched
        for index, child in enumerate(resource.children):
            visit(child, matched.entry if matched else None, (index, len(resource.children)))

    for domain in curriculum.all_domains():
        for resource in domain.resources:
            visit(resource, None, (0, 0))
    catalog.last_matched[:] = [*catalog.last_matched[-1:], (curriculum, found)]
    return dict(found)


def estimates(catalog: Catalog, curriculum: Curriculum) -> dict[int, Estimate]:
    """The hours of each resource's catalog entry, by resource id, naming the entry and source.

    Only an entry's own figure, stated or derived, is lent; a specialisation's sum is left to
    its courses, and the learner's own figure wins over these (`model.with_estimates`).
    """
    lent = {}
    for resource_id, found in match_curriculum(catalog, curriculum).items():
        entry, hours = found.entry, catalog.hours.of(found.entry)
        if is_own(hours) and (entry.hours is not None or not entry.children):
            lent[resource_id] = Estimate(hours.hours, f"catalog: {entry.title}, {hours.why}")
    return lent


def _match_child(parent: Entry, resource: Resource, position: tuple[int, int]) -> Match | None:
    if resource.url:
        for child in parent.children:
            if comparable_url(child.url) == comparable_url(resource.url):
                return Match(child, 100.0, "url")
    choices = {child.id: clean_title(child.title) for child in parent.children}
    best = process.extractOne(
        clean_title(resource.title),
        choices,
        scorer=fuzz.partial_ratio,
        score_cutoff=CHILD_MATCH_THRESHOLD,
    )
    if best is not None:
        _, score, key = best
        return Match(next(c for c in parent.children if c.id == key), float(score), "title")
    index, siblings = position
    if siblings == len(parent.children):
        # Courses listed in the specialisation's own order: "Principal Component Analysis"
        # is its third course, "Mathematics for Machine Learning: PCA".
        return Match(parent.children[index], 0.0, "position")
    return None


def teaches(entry: Entry) -> tuple[str, ...]:
    """The skills an entry teaches, its courses' included.

    One model of "what covers what": the recommendations and the planner both use it.
    """
    seen: dict[str, None] = {}
    for each in entry.walk():
        seen.update(dict.fromkeys(each.skills))
    return tuple(seen)
