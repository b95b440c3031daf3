"""The shipped skill taxonomy: its types, loading it, and looking skills up.

The taxonomy is data built offline (by `scripts/build_taxonomy.py`) and shipped in the wheel,
so it is checked when it loads: a broken file fails once, naming the skill and the field,
rather than as a wrong match later. It is loaded once per process, since every extraction,
report and plan looks skills up in it.
"""

from __future__ import annotations

import dataclasses
import functools
import gzip
import json
import time
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from diymasters.artefacts import load_or_build
from diymasters.errors import DiyMastersError, NotFoundError

#: Skill types, as the taxonomy states them.
SKILL_TYPES = frozenset({"knowledge", "tool", "language", "framework", "practice", "soft skill"})
#: The type of a field named as a degree's ("MS in Statistics or a related field"): a
#: qualification, set apart like a soft skill; the taxonomy adds one for each of `FIELDS`.
FIELD_OF_STUDY = "field of study"
#: Skills that are also fields of study, by name: in a sentence about a degree, a mention of
#: one of these names the degree's field, not a skill the posting asks for. The ones most
#: often named as degree fields in the shared postings.
FIELDS = frozenset(
    {
        "computer science",
        "mathematics",
        "statistics",
        "data science",
        "physics",
        "economics",
        "econometrics",
        "electrical engineering",
        "computer engineering",
        "software engineering",
        "machine learning",
        "artificial intelligence",
        "optimisation",
        "actuarial science",
        "biostatistics",
        "epidemiology",
        "biology",
        "chemistry",
        "accounting",
        "psychology",
        "mechanical engineering",
        "industrial engineering",
        "geography",
        "information systems",
    }
)
_FIELD_PREFIX = "field:"
#: An action is a verb and its object ("analyse data").
_ACTION_WORDS = 2
#: The curriculum domains a skill can belong to.
DOMAINS = frozenset(
    {
        "Mathematics",
        "Statistics",
        "Software Engineering",
        "Python",
        "C++",
        "Machine Learning",
        "Deep Learning",
        "Reinforcement Learning",
        "Data Engineering",
        "MLOps/Cloud",
        "Computer Vision",
        "NLP",
        "Soft Skills",
        "Other",
    }
)


class TaxonomyError(DiyMastersError):
    """The shipped taxonomy is missing or malformed."""

    def __init__(self, why: str) -> None:
        """Say what is wrong; rebuilding with the script is the fix."""
        super().__init__(f"skill taxonomy: {why} (rebuild with scripts/build_taxonomy.py)")


class SkillNotFoundError(NotFoundError):
    """No skill in the taxonomy has that id or name."""

    def __init__(self, name: str) -> None:
        """Name what was asked for."""
        super().__init__(f"no skill {name!r} in the taxonomy")


#: The id prefix of a skill the taxonomy does not hold, named by the words a posting used.
UNLINKED = "span:"


@dataclass(frozen=True)
class Skill:
    """A skill as the taxonomy knows it."""

    id: str
    name: str
    type: str
    domains: tuple[str, ...]
    #: Forms matched regardless of case and plural "s".
    aliases: tuple[str, ...]
    #: Forms matched only exactly as written ("R", "Go").
    exact: tuple[str, ...]
    #: Whether a match needs a technical neighbour or cue to count.
    context: bool
    esco: str | None
    onet: tuple[str, ...]
    source: str
    #: Verb phrases that name it ("analyse data"), each a verb and its object.
    actions: tuple[str, ...] = ()
    #: Words that, right after a form, make it something else ("reporting to the CFO").
    not_before: tuple[str, ...] = ()
    #: Types of skill right after whose name this one is that skill's object, not a skill of
    #: its own: "image processing algorithms" asks for image processing.
    head_of: tuple[str, ...] = ()

    @property
    def domain(self) -> str:
        """The skill's main curriculum domain."""
        return self.domains[0]

    @property
    def unlinked(self) -> bool:
        """Whether it is a name the taxonomy does not hold, found by the tagger or in a list."""
        return self.id.startswith(UNLINKED)

    @property
    def soft(self) -> bool:
        """Whether it is a soft skill, a language or a degree's field: asked for, not learnt.

        Demand reports and gaps rank the other, learnable technical skills, and list these apart.
        """
        return self.type in {"soft skill", FIELD_OF_STUDY} or self.domain == "Soft Skills"


@dataclass(frozen=True)
class Taxonomy:
    """Every skill, by id, with the attribution its sources require."""

    skills: dict[str, Skill]
    attribution: dict[str, str]
    sources: dict[str, str]
    #: For each skill that is also a field of study, the id of that field.
    fields: dict[str, str]
    #: ESCO skills whose one-word labels ("accounting") were read and kept for matching.
    one_word: frozenset[str] = frozenset()

    def get(self, skill_id: str) -> Skill:
        """A skill by id or exact name (any case)."""
        found = self.skills.get(skill_id) or self._by_name().get(skill_id.casefold())
        if found is None:
            raise SkillNotFoundError(skill_id)
        return found

    def domains_of(self, skill_id: str) -> tuple[str, ...]:
        """The domains a skill belongs to; none for a skill the taxonomy does not hold."""
        found = self.skills.get(skill_id)
        return found.domains if found else ()

    @functools.cached_property
    def soft_ids(self) -> frozenset[str]:
        """The ids of the skills that are `soft`: a set lookup for reports over many postings."""
        return frozenset(skill_id for skill_id, skill in self.skills.items() if skill.soft)

    @functools.cached_property
    def by_esco(self) -> dict[str, Skill]:
        """Skills by ESCO URI."""
        return {s.esco: s for s in self.skills.values() if s.esco}

    def _by_name(self) -> dict[str, Skill]:
        return {s.name.casefold(): s for s in reversed(self.skills.values())}


@dataclass(frozen=True)
class TaxonomyInfo:
    """The shipped taxonomy at a glance: its size by source, load time and attribution."""

    skills: int
    by_source: dict[str, int]
    load_seconds: float
    sources: dict[str, str]
    attribution: dict[str, str]


def taxonomy_info() -> TaxonomyInfo:
    """Load the taxonomy (timing it, unless it is loaded already) and describe it."""
    started = time.perf_counter()
    taxonomy = load_taxonomy()
    seconds = time.perf_counter() - started
    by_source = Counter(skill.source for skill in taxonomy.skills.values())
    return TaxonomyInfo(
        skills=len(taxonomy.skills),
        by_source=dict(by_source),
        load_seconds=round(seconds, 3),
        sources=taxonomy.sources,
        attribution=taxonomy.attribution,
    )


_SHIPPED = resources.files("diymasters") / "data" / "skills" / "taxonomy.json.gz"


@functools.cache
def shipped_taxonomy_bytes() -> bytes:
    """The shipped taxonomy file, as built by `scripts/build_taxonomy.py`."""
    try:
        return _SHIPPED.read_bytes()
    except OSError as error:
        raise TaxonomyError(f"cannot read {_SHIPPED.name}: {error}") from None


@functools.cache
def load_taxonomy() -> Taxonomy:
    """The shipped taxonomy, validated: once per process, and from the user's cache.

    Reading 14,000 skills from JSON takes a third of a second; the cache, a tenth.
    """
    data = shipped_taxonomy_bytes()
    return load_or_build("taxonomy", (data, Path(__file__).read_bytes()), lambda: _parse(data))


def _parse(data: bytes) -> Taxonomy:
    try:
        raw = json.loads(gzip.decompress(data))
    except (OSError, ValueError) as error:
        raise TaxonomyError(f"cannot read {_SHIPPED.name}: {error}") from None
    return parse_taxonomy(raw)


def parse_taxonomy(raw: Any) -> Taxonomy:  # noqa: ANN401 (JSON of any shape, checked here)
    """Check the taxonomy's shape; every problem names the skill and field."""
    if not isinstance(raw, dict) or not isinstance(raw.get("skills"), list):
        msg = "expected an object with a list of skills"
        raise TaxonomyError(msg)
    skills: dict[str, Skill] = {}
    for index, entry in enumerate(raw["skills"]):
        skill = _skill(index, entry)
        if skill.id in skills:
            msg = f"skill {index} ({skill.id}): duplicate id"
            raise TaxonomyError(msg)
        skills[skill.id] = skill
    fields = {
        skill.id: _field(skill) for skill in skills.values() if skill.name.casefold() in FIELDS
    }
    skills.update({field.id: field for field in fields.values()})
    return Taxonomy(
        skills,
        dict(raw.get("attribution", {})),
        dict(raw.get("sources", {})),
        {skill: field.id for skill, field in fields.items()},
        frozenset(raw.get("one_word", ())),
    )


def _field(skill: Skill) -> Skill:
    """The skill as a degree's field: matched by no form of its own, and set apart."""
    return dataclasses.replace(
        skill,
        id=_FIELD_PREFIX + skill.id,
        name=f"{skill.name} degree",
        type=FIELD_OF_STUDY,
        aliases=(),
        exact=(),
        actions=(),
        not_before=(),
    )


def _skill(index: int, entry: Any) -> Skill:  # noqa: ANN401 (one JSON entry, checked here)
    where = f"skill {index}"
    if not isinstance(entry, dict):
        raise TaxonomyError(f"{where}: not an object")
    where = f"skill {index} ({entry.get('id')})"
    for field in ("id", "name", "type", "source"):
        if not isinstance(entry.get(field), str) or not entry[field]:
            raise TaxonomyError(f"{where}: {field} must be a non-empty string")
    if entry["type"] not in SKILL_TYPES:
        raise TaxonomyError(f"{where}: type {entry['type']!r} is not one of {sorted(SKILL_TYPES)}")
    domains = entry.get("domains")
    if not isinstance(domains, list) or not domains or not set(domains) <= DOMAINS:
        raise TaxonomyError(f"{where}: domains {domains!r} must be a list from {sorted(DOMAINS)}")
    return Skill(
        id=entry["id"],
        name=entry["name"],
        type=entry["type"],
        domains=tuple(domains),
        aliases=tuple(entry.get("aliases", ())),
        exact=tuple(entry.get("exact", ())),
        context=bool(entry.get("context", False)),
        esco=entry.get("esco"),
        onet=tuple(entry.get("onet", ())),
        source=entry["source"],
        actions=_actions(where, entry.get("actions", [])),
        not_before=_words(where, "not_before", entry.get("not_before", [])),
        head_of=_types(where, entry.get("head_of", [])),
    )


def _words(where: str, field: str, words: Any) -> tuple[str, ...]:  # noqa: ANN401 (JSON)
    """A list of single lower-case words."""
    if not isinstance(words, list) or not all(
        isinstance(w, str) and w.islower() and len(w.split()) == 1 for w in words
    ):
        raise TaxonomyError(f"{where}: {field} must be a list of single lower-case words")
    return tuple(words)


def _types(where: str, types: Any) -> tuple[str, ...]:  # noqa: ANN401 (JSON, checked here)
    """A list of skill types (`head_of`)."""
    if not isinstance(types, list) or not all(t in SKILL_TYPES for t in types):
        raise TaxonomyError(f"{where}: head_of must be a list of types from {sorted(SKILL_TYPES)}")
    return tuple(types)


def _actions(where: str, actions: Any) -> tuple[str, ...]:  # noqa: ANN401 (JSON, checked here)
    """A skill's verb phrases: each a verb and an object word."""
    if not isinstance(actions, list) or not all(
        isinstance(a, str) and len(a.split()) == _ACTION_WORDS for a in actions
    ):
        raise TaxonomyError(f"{where}: actions must be a list of two-word phrases, verb first")
    return tuple(actions)
