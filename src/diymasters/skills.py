"""Skills: the shipped taxonomy, and an extractor that finds them in job postings.

The taxonomy (`data/skills/taxonomy.json.gz`, built by `scripts/build_taxonomy.py`) merges a
curated layer for the ML engineer's field with ESCO and O*NET. The extractor is a dictionary
matcher over a token trie: text is split into tokens the way surface forms are (so "CI/CD",
"C++", ".NET", "Node.js" and "scikit-learn" survive, and "Python, R or Julia" is three
matches), lower-cased and singularised for ordinary forms, kept as written for forms that
are also plain words ("R", "Go", "Spark", "Excel"). Names that are ambiguous on their own ("C",
"Go", "R") count only beside another technical skill or a cue such as "programming".

Postings are read in sections: requirements and responsibilities count as required, "nice to
have" lines as preferred, and benefits or "about us" blurbs not at all.
"""

from __future__ import annotations

import bisect
import functools
import gzip
import itertools
import json
import multiprocessing
import os
import re
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from diymasters.model import DiyMastersError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

#: Skill types, as the taxonomy states them.
SKILL_TYPES = frozenset({"knowledge", "tool", "language", "framework", "practice", "soft skill"})
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
#: Longest surface form, in tokens, that the matcher looks for.
MAX_FORM_TOKENS = 6


class TaxonomyError(DiyMastersError):
    """The shipped taxonomy is missing or malformed."""

    def __init__(self, why: str) -> None:
        """Say what is wrong; rebuilding with the script is the fix."""
        super().__init__(f"skill taxonomy: {why} (rebuild with scripts/build_taxonomy.py)")


class SkillNotFoundError(DiyMastersError):
    """No skill in the taxonomy has that id or name."""

    exit_code = 2

    def __init__(self, name: str) -> None:
        """Name what was asked for."""
        super().__init__(f"no skill {name!r} in the taxonomy")


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

    @property
    def domain(self) -> str:
        """The skill's main curriculum domain."""
        return self.domains[0]


@dataclass(frozen=True)
class Taxonomy:
    """Every skill, by id, with the attribution its sources require."""

    skills: dict[str, Skill]
    attribution: dict[str, str]
    sources: dict[str, str]

    def get(self, skill_id: str) -> Skill:
        """A skill by id or exact name (any case)."""
        found = self.skills.get(skill_id) or self._by_name().get(skill_id.casefold())
        if found is None:
            raise SkillNotFoundError(skill_id)
        return found

    @functools.cached_property
    def by_esco(self) -> dict[str, Skill]:
        """Skills by ESCO URI."""
        return {s.esco: s for s in self.skills.values() if s.esco}

    def _by_name(self) -> dict[str, Skill]:
        return {s.name.casefold(): s for s in reversed(self.skills.values())}


@functools.cache
def load_taxonomy() -> Taxonomy:
    """Load and validate the shipped taxonomy (cached: once per process)."""
    path = resources.files("diymasters") / "data" / "skills" / "taxonomy.json.gz"
    try:
        raw = json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, ValueError) as error:
        raise TaxonomyError(f"cannot read {path.name}: {error}") from None
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
    return Taxonomy(skills, dict(raw.get("attribution", {})), dict(raw.get("sources", {})))


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
    )


# --- Tokens ---------------------------------------------------------------------------------

#: A token: letters and digits, with inner dots ("node.js", "asp.net"), a leading dot (".NET"),
#: and trailing "+" or "#" ("C++", "C#"). Hyphens, slashes and "&" separate tokens, so
#: "CI/CD", "ci cd" and "scikit-learn" / "scikit learn" meet in the middle.
_TOKEN = re.compile(r"\.?[^\W_]+(?:\.[^\W_]+)*[+#]*")
_PLURAL_KEEP = ("ss", "us", "is", "os")
_SEPARATOR = re.compile(r"[\s/&-]")
#: Words repeat across forms and postings: normalise each once per process.
_NORMALISED: dict[str, str] = {}


def normalise(token: str) -> str:
    """Lower-case and singularise, the same way for text and for surface forms."""
    cached = _NORMALISED.get(token)
    if cached is None:
        cached = _NORMALISED[token] = _singular(token.casefold())
    return cached


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith(_PLURAL_KEEP):  # noqa: PLR2004
        return word[:-3] + "y" if word.endswith("ies") else word[:-1]
    return word


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Tokens of a text with their offsets."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


# --- Matching -------------------------------------------------------------------------------

_END = ""  # trie key under which a node stores the skills whose form ends there
_SOURCE_RANK = {"curated": 0, "onet": 1, "esco": 2}


@dataclass(frozen=True)
class _Form:
    skill: Skill
    length: int


class Matcher:
    """Two token tries (normalised forms and exact forms) over the taxonomy."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        """Index every surface form short enough to be worth looking for."""
        self.loose: dict[str, Any] = {}
        self.exact: dict[str, Any] = {}
        for skill in sorted(taxonomy.skills.values(), key=lambda s: _SOURCE_RANK[s.source]):
            for form in skill.aliases:
                if skill.source == "esco" and not _SEPARATOR.search(form):
                    continue  # one-word ESCO labels ("design", "English") are too loose alone
                self._add(self.loose, [normalise(t) for t in _TOKEN.findall(form)], skill)
            for form in skill.exact:
                self._add(self.exact, _TOKEN.findall(form), skill)

    def _add(self, trie: dict[str, Any], words: list[str], skill: Skill) -> None:
        if not words or len(words) > MAX_FORM_TOKENS:
            return
        node = trie
        for word in words:
            node = node.setdefault(word, {})
        node.setdefault(_END, _Form(skill, len(words)))  # the better-ranked source keeps it

    def matches(self, toks: Sequence[tuple[str, int, int]]) -> Iterator[tuple[int, int, Skill]]:
        """Longest, leftmost, non-overlapping matches as (first token, end token, skill)."""
        raw = [t for t, _, _ in toks]
        normalised = [normalise(t) for t in raw]
        position = 0
        while position < len(toks):
            best = self._longest(self.exact, raw, position)
            loose = self._longest(self.loose, normalised, position)
            if loose and (not best or loose.length > best.length):
                best = loose
            if best is None:
                position += 1
                continue
            yield position, position + best.length, best.skill
            position += best.length

    @staticmethod
    def _longest(trie: dict[str, Any], words: list[str], start: int) -> _Form | None:
        node: dict[str, Any] | None = trie
        found: _Form | None = None
        for word in words[start : start + MAX_FORM_TOKENS]:
            node = node.get(word) if node is not None else None
            if node is None:
                break
            found = node.get(_END, found)
        return found


@functools.cache
def default_matcher() -> Matcher:
    """The matcher over the shipped taxonomy, built once per process."""
    return Matcher(load_taxonomy())


# --- Sections -------------------------------------------------------------------------------

_SECTION_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "benefits",
        re.compile(
            r"\b(benefits?|perks|what we offer|we offer|compensation|salary|why join"
            r"|why you'll love)",
            re.IGNORECASE,
        ),
    ),
    (
        "company",
        re.compile(
            r"\b(about (us|the company|the team|our company)|who we are|our (company|mission"
            r"|story)|equal opportunit|eeo\b)",
            re.IGNORECASE,
        ),
    ),
    (
        "preferred",
        re.compile(
            r"\b(preferred|nice[- ]to[- ]have|bonus|pluses|desired|desirable|good to have)",
            re.IGNORECASE,
        ),
    ),
    (
        "requirements",
        re.compile(
            r"\b(requirements?|qualifications?|must[- ]have|what you need|what you('ll)? bring"
            r"|who you are|you have|skills|experience|what we('re| are) looking for|about you)",
            re.IGNORECASE,
        ),
    ),
    (
        "responsibilities",
        re.compile(
            r"\b(responsibilit|what you('ll| will) do|the role|your role|duties"
            r"|day[- ]to[- ]day|you will)",
            re.IGNORECASE,
        ),
    ),
)
_INLINE_PREFERRED = re.compile(
    r"\b(preferred|a plus|nice[- ]to[- ]have|bonus|ideally|desirable|is an advantage)\b",
    re.IGNORECASE,
)
#: Kinds of section whose skills are not demanded by the posting.
IGNORED_SECTIONS = frozenset({"benefits", "company"})
_HEADING_MAX = 70


@dataclass(frozen=True)
class Section:
    """A stretch of a posting under one heading."""

    kind: str
    start: int
    end: int


def sections(text: str) -> list[Section]:
    """Split a posting at lines that look like headings ("Requirements:", "## Benefits")."""
    found: list[Section] = []
    kind, start = "other", 0
    for line in re.finditer(r"[^\n]+", text):
        heading = _heading_kind(line.group())
        if heading is not None:
            found.append(Section(kind, start, line.start()))
            kind, start = heading, line.start()
    found.append(Section(kind, start, len(text)))
    return [s for s in found if s.end > s.start]


def _heading_kind(line: str) -> str | None:
    stripped = line.strip().strip("*_#:>-• ").strip()
    if not stripped or len(stripped) > _HEADING_MAX:
        return None
    looks_like_heading = (
        line.rstrip().endswith(":")
        or line.lstrip().startswith("#")
        or line.strip().startswith(("**", "__"))
        or (stripped.isupper() and len(stripped) > 3)  # noqa: PLR2004
        or len(stripped.split()) <= 4  # noqa: PLR2004
    )
    if not looks_like_heading:
        return None
    return next((kind for kind, cue in _SECTION_CUES if cue.search(stripped)), None)


# --- Extraction -----------------------------------------------------------------------------

_CONTEXT_CUES = re.compile(
    r"\b(programming|language|languages|coding|code|scripting|developer|development|software"
    r"|libraries|stack|such as|e\.g\.|like|backend|services|systems)\b",
    re.IGNORECASE,
)
_CONTEXT_WINDOW = 60
#: How far evidence reaches either side of a mention for the ends of its sentence.
EVIDENCE_REACH = 300
_SENTENCE_BREAK = re.compile(r"[.!?;]\s|\n|•|\u2022")


@dataclass(frozen=True)
class Mention:
    """A skill found in a text: where, as written, and in which part of the posting."""

    skill: Skill
    start: int
    end: int
    surface: str
    section: str
    required: bool

    def evidence(self, text: str) -> str:
        """The sentence (or list line) the mention sits in, cut short where it is very long.

        Only `EVIDENCE_REACH` characters either side are looked at: a posting that is one
        long line would otherwise give every mention the whole posting as evidence, which
        took minutes and gigabytes across thousands of mentions (issue 13).
        """
        low = max(self.start - EVIDENCE_REACH, 0)
        high = min(self.end + EVIDENCE_REACH, len(text))
        breaks = [m.end() for m in _SENTENCE_BREAK.finditer(text, low, self.start)]
        after = _SENTENCE_BREAK.search(text, self.end, high)
        end = high if after is None else after.start() + (text[after.start()] in ".!?;")
        head = "…" if not breaks and low > 0 else ""
        tail = "…" if after is None and high < len(text) else ""
        return f"{head}{text[breaks[-1] if breaks else low : end].strip()}{tail}"


def extract(text: str, matcher: Matcher | None = None, *, tagger: bool = False) -> list[Mention]:
    """Every skill mention in a posting, with its section and whether it is required.

    With `tagger`, the span tagger's mentions replace the dictionary's where they overlap,
    which finds the long phrases a dictionary misses; the dictionary alone is ten times faster.
    """
    mentions = _dictionary_mentions(text, matcher or default_matcher())
    if not tagger:
        return mentions
    tagged = _tagged_mentions(text, mentions)
    tagged_ends = [t.end for t in tagged]
    untouched = [m for m in mentions if not _overlapped(m, tagged, tagged_ends)]
    return sorted([*tagged, *untouched], key=lambda m: m.start)


# Mentions (the dictionary's, and the tagger's) come in order and never overlap, so the ones
# near an offset are found by bisection: scanning them all for each mention made extraction
# quadratic in the posting's length (issue 13).


def _overlapped(mention: Mention, spans: Sequence[Mention], ends: Sequence[int]) -> bool:
    """Whether any of `spans` (in order, disjoint, ending at `ends`) overlaps the mention."""
    index = bisect.bisect_right(ends, mention.start)
    return index < len(spans) and spans[index].start < mention.end


def _section_at(parts: Sequence[Section], starts: Sequence[int], offset: int) -> str:
    """The kind of the section (of contiguous `parts`, starting at `starts`) holding `offset`."""
    return parts[bisect.bisect_right(starts, offset) - 1].kind


def _dictionary_mentions(text: str, matcher: Matcher) -> list[Mention]:
    toks = tokens(text)
    found = [
        (toks[first][1], toks[last - 1][2], skill)
        for first, last, skill in matcher.matches(toks)
        if _clean_edges(text, toks[first][1], toks[last - 1][2])
    ]
    # Two ambiguous names side by side ("Go and Rust") vouch for each other.
    technical = [(start, end) for start, end, skill in found if skill.type != "soft skill"]
    parts = sections(text)
    part_starts = [p.start for p in parts]
    says_preferred = _PreferredLines(text)
    mentions = []
    for start, end, skill in found:
        if skill.context and not _has_context(text, start, end, technical):
            continue
        section = _section_at(parts, part_starts, start)
        if section in IGNORED_SECTIONS:
            continue
        preferred = section == "preferred" or says_preferred(start)
        mentions.append(Mention(skill, start, end, text[start:end], section, not preferred))
    return mentions


def _clean_edges(text: str, start: int, end: int) -> bool:
    """A one-letter name ("R", "C") next to "&" or "-" is "R&D" or "C-level", not a language."""
    if end - start > 1:
        return True
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return before not in "&-'" and after not in "&-'"


def _has_context(text: str, start: int, end: int, technical: list[tuple[int, int]]) -> bool:
    """Whether another technical name or a cue word is near; `technical` is in order."""
    low, high = start - _CONTEXT_WINDOW, end + _CONTEXT_WINDOW
    for index in range(bisect.bisect_left(technical, (low,)), len(technical)):
        s, e = technical[index]
        if s > high:
            break
        if e <= high and (s, e) != (start, end):
            return True
    return bool(_CONTEXT_CUES.search(text, max(low, 0), min(high, len(text))))


class _PreferredLines:
    """Whether the line holding an offset says "preferred" or "a plus", each line read once.

    Searching the line afresh for each mention made a posting that is one long line
    quadratic (issue 13).
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._breaks = [m.start() for m in re.finditer("\n", text)]
        self._found: dict[int, bool] = {}

    def __call__(self, offset: int) -> bool:
        line = bisect.bisect_left(self._breaks, offset)
        if line not in self._found:
            start = self._breaks[line - 1] + 1 if line else 0
            end = self._breaks[line] if line < len(self._breaks) else len(self._text)
            self._found[line] = bool(_INLINE_PREFERRED.search(self._text, start, end))
        return self._found[line]


def mention_json(mention: Mention) -> dict[str, Any]:
    """A mention as `skills extract --json` prints it."""
    return {
        "id": mention.skill.id,
        "name": mention.skill.name,
        "domain": mention.skill.domain,
        "start": mention.start,
        "end": mention.end,
        "required": mention.required,
        "surface": mention.surface,
        "section": mention.section,
        "type": mention.skill.type,
        "esco": mention.skill.esco,
    }


# --- Many postings at once ------------------------------------------------------------------

#: One posting's findings, small enough to send between processes: skill id to
#: (required anywhere in the posting, number of mentions).
Findings = dict[str, tuple[bool, int]]


def findings(text: str, *, tagger: bool = False) -> Findings:
    """The skills a posting demands, with whether any mention is required."""
    found: Findings = {}
    for mention in extract(text, tagger=tagger):
        required, count = found.get(mention.skill.id, (False, 0))
        found[mention.skill.id] = (required or mention.required, count + 1)
    return found


def extract_many(
    texts: Sequence[str],
    *,
    processes: int | None = None,
    on_progress: Callable[[int], None] | None = None,
    tagger: bool = False,
) -> list[Findings]:
    """Findings for many postings, on every core.

    The matcher is built before the workers fork, so they share it instead of each building
    their own.
    """
    default_matcher()
    if tagger:
        _tagger()
    work = functools.partial(findings, tagger=tagger)
    workers = processes or os.cpu_count() or 1
    if workers == 1 or len(texts) < _PARALLEL_THRESHOLD:
        results = []
        for text in texts:
            results.append(work(text))
            if on_progress:
                on_progress(1)
        return results
    context = multiprocessing.get_context("fork")
    chunk = max(1, min(256, len(texts) // (workers * 8)))
    results = []
    with context.Pool(workers) as pool:
        for result in pool.imap(work, texts, chunksize=chunk):
            results.append(result)
            if on_progress:
                on_progress(1)
    return results


_PARALLEL_THRESHOLD = 200


# --- The span tagger ------------------------------------------------------------------------
#
# A CRF trained on SkillSpan's training split (scripts/train_tagger.py) finds the long
# verb-phrase skills a dictionary cannot ("manage stakeholder expectations"), using the
# dictionary's own matches as features. It tags about a hundred postings a second, so single
# postings use it and corpus runs only on request.

#: Tokens as the tagger was trained on them: words with inner punctuation, or one symbol.
_TAGGER_TOKEN = re.compile(r"[^\W_](?:[\w+#'&-]|[./](?=[^\W_]))*|[^\w\s]")
_TAGGER_SENTENCE = re.compile(r"[^\n.!?;]+[.!?;]?")
_SHAPE_RUNS = re.compile(r"(.)\1+")


def _shape(word: str) -> str:
    shaped = "".join(
        "X" if c.isupper() else "x" if c.islower() else "d" if c.isdigit() else c for c in word
    )
    return _SHAPE_RUNS.sub(r"\1\1", shaped)


def tagger_features(
    words: Sequence[str], known: Sequence[tuple[int, int]]
) -> list[dict[str, float]]:
    """Features of each word, for the span tagger.

    Each word gives itself, its shape and affixes, its neighbours, and whether a dictionary
    match covers it (B/I/O), so the tagger learns where the dictionary is right.
    """
    tags = bio_tags(len(words), known)
    lowered = [w.lower() for w in words]
    shapes = [_shape(w) for w in words]
    features = []
    for i, word in enumerate(words):
        feature = {
            "b": 1.0,
            "w=" + lowered[i]: 1.0,
            "s3=" + lowered[i][-3:]: 1.0,
            "p3=" + lowered[i][:3]: 1.0,
            "sh=" + shapes[i]: 1.0,
            "d=" + tags[i]: 1.0,
            "title": float(word.istitle()),
            "upper": float(word.isupper()),
            "long": float(len(word) > 6),  # noqa: PLR2004
        }
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if 0 <= j < len(words):
                feature[f"{offset}w={lowered[j]}"] = 1.0
                feature[f"{offset}d={tags[j]}"] = 1.0
                feature[f"{offset}sh={shapes[j]}"] = 1.0
            else:
                feature[f"{offset}pad"] = 1.0
        if i == 0:
            feature["BOS"] = 1.0
        features.append(feature)
    return features


def bio_tags(length: int, spans: Sequence[tuple[int, int]]) -> list[str]:
    """Word spans (end exclusive) to B/I/O tags."""
    tags = ["O"] * length
    for start, end in spans:
        tags[start] = "B"
        for index in range(start + 1, end):
            tags[index] = "I"
    return tags


def word_spans(words: Sequence[str], *, tagger: bool = False) -> list[tuple[int, int]]:
    """Mentions in pre-split words (as SkillSpan gives them), as word spans."""
    starts, position = [], 0
    for word in words:
        starts.append(position)
        position += len(word) + 1
    spans = []
    for mention in extract(" ".join(words), tagger=tagger):
        first = max(i for i, s in enumerate(starts) if s <= mention.start)
        last = max(i for i, s in enumerate(starts) if s < mention.end)
        spans.append((first, last + 1))
    return spans


def spans_from_tags(tags: Sequence[str]) -> list[tuple[int, int]]:
    """BIO tags to spans of words (end exclusive); a stray I starts a span."""
    spans, start = [], None
    for index, tag in enumerate([*tags, "O"]):
        if tag in {"B", "O"} and start is not None:
            spans.append((start, index))
            start = None
        if tag == "B" or (tag == "I" and start is None):
            start = index
    return spans


@functools.cache
def _tagger() -> Any:  # noqa: ANN401 (pycrfsuite has no type hints)
    import pycrfsuite  # noqa: PLC0415 (only the tagger needs it)

    path = resources.files("diymasters") / "data" / "skills" / "tagger.crfsuite"
    tagger = pycrfsuite.Tagger()
    with resources.as_file(path) as model:
        tagger.open(str(model))
    return tagger


def tag_spans(words: Sequence[str], known: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The tagger's skill spans over a sentence's words."""
    if not words:
        return []
    return spans_from_tags(_tagger().tag(tagger_features(words, known)))


def _tagged_mentions(text: str, dictionary: list[Mention]) -> list[Mention]:
    """Tagger spans, linked to the dictionary skill they cover where there is one."""
    parts = sections(text)
    part_starts = [p.start for p in parts]
    says_preferred = _PreferredLines(text)
    starts, ends = [m.start for m in dictionary], [m.end for m in dictionary]
    mentions: list[Mention] = []
    for chunk_start, chunk_end, words in _tagger_chunks(text):
        word_ends = [w.end() for w in words]
        low = bisect.bisect_left(starts, chunk_start)
        inside = dictionary[low : bisect.bisect_left(starts, chunk_end, low)]
        known = [
            (first, last + 1)
            for mention in inside
            for first, last in [_covering(words, word_ends, mention.start, mention.end)]
            if first <= last
        ]
        for first, last in tag_spans([w.group() for w in words], known):
            start, end = words[first].start(), words[last - 1].end()
            section = _section_at(parts, part_starts, start)
            if section in IGNORED_SECTIONS:
                continue
            covered = dictionary[bisect.bisect_right(ends, start) : bisect.bisect_left(starts, end)]
            if len(covered) > 1:
                continue  # "linear algebra, statistics": the dictionary's finer matches win
            linked = covered[0] if covered else None
            skill = linked.skill if linked else _unlinked_skill(text[start:end])
            required = linked.required if linked else not says_preferred(start)
            mentions.append(
                Mention(
                    skill, start, end, text[start:end], section, required and section != "preferred"
                )
            )
    return mentions


#: The most words the tagger is given at once. It was trained on sentences, and no sentence
#: of the 13,754 postings in ../shared/corpus/jobs has more than 829 words; a text with no
#: sentence breaks would otherwise be one "sentence" with features for every word, gigabytes
#: for a megabyte of text (issue 13).
MAX_TAGGER_WORDS = 1_000


def _tagger_chunks(text: str) -> Iterator[tuple[int, int, list[re.Match[str]]]]:
    """The words of each sentence, at most `MAX_TAGGER_WORDS` at a time, with their span."""
    for sentence in _TAGGER_SENTENCE.finditer(text):
        words = _TAGGER_TOKEN.finditer(text, sentence.start(), sentence.end())
        start = sentence.start()
        while chunk := list(itertools.islice(words, MAX_TAGGER_WORDS)):
            end = chunk[-1].end() if len(chunk) == MAX_TAGGER_WORDS else sentence.end()
            yield start, end, chunk
            start = end


def _covering(words: list[re.Match[str]], ends: list[int], start: int, end: int) -> tuple[int, int]:
    """The first and last of the words (in order, ending at `ends`) that overlap start:end."""
    first = bisect.bisect_right(ends, start)
    last = first
    while last < len(words) and words[last].start() < end:
        last += 1
    return (first, last - 1) if last > first else (1, 0)


def _unlinked_skill(surface: str) -> Skill:
    """A skill the tagger found that the taxonomy does not name: kept, and marked as such."""
    name = " ".join(surface.split())
    return Skill(
        id="span:" + " ".join(normalise(t) for t in _TOKEN.findall(name)),
        name=name,
        type="practice",
        domains=("Other",),
        aliases=(),
        exact=(),
        context=False,
        esco=None,
        onet=(),
        source="tagger",
    )
