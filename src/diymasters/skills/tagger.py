"""The span tagger: a CRF that finds the skills a dictionary cannot.

A CRF trained on SkillSpan's training split (`scripts/train_tagger.py`) finds the long
verb-phrase skills a dictionary cannot ("manage stakeholder expectations"), using the
dictionary's own matches as features. It tags about a hundred postings a second, so single
postings use it and corpus runs only on request; pycrfsuite is imported only when it does.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from diymasters.skills.matcher import Mention
from diymasters.skills.sectioning import Reading
from diymasters.skills.taxonomy import UNLINKED, Skill
from diymasters.skills.tokens import TOKEN, normalise

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

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

    Each word gives itself, its shape and affixes, its neighbours, the word pairs it makes
    with them, and whether a dictionary match covers it (B/I/O), so the tagger learns where
    the dictionary is right.
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
        feature |= _context_features(i, lowered, tags, shapes)
        features.append(feature)
    return features


def _context_features(
    i: int, lowered: Sequence[str], tags: Sequence[str], shapes: Sequence[str]
) -> dict[str, float]:
    """The i-th word's neighbours, two either side, and the pairs it makes with each next to it.

    The pairs ("experience|with", "with|python") mark where a skill's words begin and end
    better than either word alone: SkillSpan's dev split scores 0.01 higher strict F1 with them.
    """
    feature = {}
    for offset in (-2, -1, 1, 2):
        j = i + offset
        if 0 <= j < len(lowered):
            feature[f"{offset}w={lowered[j]}"] = 1.0
            feature[f"{offset}d={tags[j]}"] = 1.0
            feature[f"{offset}sh={shapes[j]}"] = 1.0
        else:
            feature[f"{offset}pad"] = 1.0
    if i > 0:
        feature[f"-1|0={lowered[i - 1]}|{lowered[i]}"] = 1.0
    if i + 1 < len(lowered):
        feature[f"0|1={lowered[i]}|{lowered[i + 1]}"] = 1.0
    if i == 0:
        feature["BOS"] = 1.0
    return feature


def _shared_within(
    sharing: Sequence[Mention], starts: Sequence[int], start: int, end: int
) -> Mention | None:
    """The one shared-word mention inside start:end, if exactly one is."""
    inside = sharing[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]
    return inside[0] if len(inside) == 1 and inside[0].end <= end else None


def bio_tags(length: int, spans: Sequence[tuple[int, int]]) -> list[str]:
    """Word spans (end exclusive) to B/I/O tags."""
    tags = ["O"] * length
    for start, end in spans:
        tags[start] = "B"
        for index in range(start + 1, end):
            tags[index] = "I"
    return tags


def span_tags(length: int, spans: Sequence[tuple[int, int]]) -> list[str]:
    """Word spans (end exclusive) to the tags the tagger learns: B/I/E/S/O.

    A span's last word (E) and a one-word span (S) have tags of their own, so the CRF learns
    where a skill ends as well as where it starts; SkillSpan's strict F1, which needs both
    ends right, is higher with them than with B/I/O.
    """
    tags = ["O"] * length
    for start, end in spans:
        tags[start:end] = ["S"] if end - start == 1 else ["B", *["I"] * (end - start - 2), "E"]
    return tags


def spans_from_tags(tags: Sequence[str]) -> list[tuple[int, int]]:
    """B/I/O or B/I/E/S/O tags to spans of words (end exclusive); a stray I or E starts one."""
    spans, start = [], None
    for index, tag in enumerate([*tags, "O"]):
        begins = tag in {"B", "S"}
        if (begins or tag == "O") and start is not None:
            spans.append((start, index))
            start = None
        if begins or (tag in {"I", "E"} and start is None):
            start = index
    return spans


@functools.cache
def load_tagger() -> Any:  # noqa: ANN401 (pycrfsuite has no type hints)
    """The shipped CRF model, opened once per process."""
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
    return spans_from_tags(load_tagger().tag(tagger_features(words, known)))


def tagged_mentions(
    text: str, dictionary: list[Mention], sharing: Sequence[Mention] = ()
) -> list[Mention]:
    """Tagger spans, linked to the dictionary skill they cover where there is one.

    `sharing` are the dictionary's mentions by a word sharing its phrase ("data collection
    and analysis"): shown to the tagger as nothing, they only link a span that covers one
    and no other ("analysis skills" is data analysis).
    """
    shared_starts = [m.start for m in sharing]
    reading = Reading(text)
    starts, ends = [m.start for m in dictionary], [m.end for m in dictionary]
    mentions: list[Mention] = []
    for sentence in tagger_sentences(text, dictionary):
        words = sentence.words
        for first, last in tag_spans([w.group() for w in words], sentence.known):
            start, end = words[first].start(), words[last - 1].end()
            if not reading.demanded(start):
                continue
            section = reading.section(start)
            covered = dictionary[bisect.bisect_right(ends, start) : bisect.bisect_left(starts, end)]
            shared = sharing[
                bisect.bisect_left(shared_starts, start) : bisect.bisect_left(shared_starts, end)
            ]
            if len(covered) + (len(shared) if covered else 0) > 1:
                # "linear algebra, statistics", "deploy machine learning models": the
                # dictionary's finer matches win
                continue
            linked = covered[0] if covered else _shared_within(sharing, shared_starts, start, end)
            if linked is None and is_noise(text[start:end]):
                continue
            skill = linked.skill if linked else unlinked_skill(text[start:end])
            required = linked.required if linked else not reading.preferred(start)
            mentions.append(Mention(skill, start, end, text[start:end], section, required))
    return mentions


#: The most words the tagger is given at once. It was trained on sentences, and no sentence
#: of the 13,754 postings in ../shared/corpus/jobs has more than 829 words; a text with no
#: sentence breaks would otherwise be one "sentence" with features for every word, gigabytes
#: for a megabyte of text (issue 13).
MAX_TAGGER_WORDS = 1_000


@dataclass(frozen=True)
class TaggerSentence:
    """A sentence (or part of one) as the tagger reads it: its words and the dictionary's."""

    #: Where the sentence starts and ends in the text.
    start: int
    end: int
    #: Its words, as the tagger splits them.
    words: list[re.Match[str]]
    #: The dictionary's matches over the words, as spans of them (end exclusive).
    known: list[tuple[int, int]]


def tagger_sentences(text: str, dictionary: Sequence[Mention]) -> Iterator[TaggerSentence]:
    """The sentences the tagger reads in a text, with the dictionary's mentions (in order).

    `scripts/train_tagger.py` reads annotated postings through it too, so the tagger learns
    from sentences split, and dictionary matches placed, as it is later shown them.
    """
    starts = [m.start for m in dictionary]
    for chunk_start, chunk_end, words in _tagger_chunks(text):
        word_ends = [w.end() for w in words]
        low = bisect.bisect_left(starts, chunk_start)
        inside = dictionary[low : bisect.bisect_left(starts, chunk_end, low)]
        known = [
            (first, last + 1)
            for mention in inside
            for first, last in [covering_words(words, word_ends, mention.start, mention.end)]
            if first <= last
        ]
        yield TaggerSentence(chunk_start, chunk_end, words, known)


def _tagger_chunks(text: str) -> Iterator[tuple[int, int, list[re.Match[str]]]]:
    """The words of each sentence, at most `MAX_TAGGER_WORDS` at a time, with their span."""
    for sentence in _TAGGER_SENTENCE.finditer(text):
        words = _TAGGER_TOKEN.finditer(text, sentence.start(), sentence.end())
        start = sentence.start()
        while chunk := list(itertools.islice(words, MAX_TAGGER_WORDS)):
            end = chunk[-1].end() if len(chunk) == MAX_TAGGER_WORDS else sentence.end()
            yield start, end, chunk
            start = end


def covering_words(
    words: Sequence[re.Match[str]], ends: Sequence[int], start: int, end: int
) -> tuple[int, int]:
    """The first and last of the words (in order, ending at `ends`) that overlap start:end.

    `(1, 0)` when none does.
    """
    first = bisect.bisect_right(ends, start)
    last = first
    while last < len(words) and words[last].start() < end:
        last += 1
    return (first, last - 1) if last > first else (1, 0)


#: Single words the tagger takes for skills when they only qualify one ("Strong", "hands-on").
_NOT_SKILLS = frozenset(
    {
        "strong", "excellent", "good", "solid", "proven", "deep", "hands-on", "hands", "on",
        "advanced", "basic", "working", "work", "experience", "experienced", "knowledge",
        "skills", "skill", "ability", "abilities", "understanding", "familiarity", "expertise",
        "proficiency", "proficient", "note", "hybrid", "remote", "onsite", "build", "building",
        "develop", "developing", "design", "designing", "manage", "managing", "support", "new",
        "modern", "technical", "complex", "large", "scale", "high", "quality", "data", "tools",
        "technologies", "technology", "systems", "system", "solutions", "products", "product",
    }
)  # fmt: skip
_ADDRESSED = re.compile(r"\byou\b", re.IGNORECASE)
_PRONOUNS = re.compile(r"\b(we|us|i|me)\b", re.IGNORECASE)
#: A degree is a qualification, not a skill: its fields are set apart by the dictionary.
_DEGREE = re.compile(r"\b(degree|bachelor|master|ph\.? ?d|doctorate|diploma)", re.IGNORECASE)
_MARKUP = re.compile(r"\*\*|__|`|\[|\]|<|>|\|")
_LONGEST_SKILL_WORDS = 6


def is_noise(surface: str) -> bool:
    """Whether a span the tagger found, and the taxonomy does not name, is no skill at all.

    Punctuation, markup, unbalanced brackets, a degree, a lone qualifier ("Strong",
    "hands-on"), a phrase addressing the reader ("write you an angry email") and a long one
    about the company are dropped; SkillSpan's long verb-phrase skills are kept.
    """
    words = surface.split()
    if not any(c.isalpha() for c in surface) or _MARKUP.search(surface) or _DEGREE.search(surface):
        return True
    if surface.count("(") != surface.count(")"):
        return True
    if len(words) == 1 and words[0].strip(".,;:!?").casefold() in _NOT_SKILLS:
        return True
    if _ADDRESSED.search(surface):
        return True
    return len(words) > _LONGEST_SKILL_WORDS and bool(_PRONOUNS.search(surface))


#: Words that place a skill the taxonomy does not name in a domain, first match first.
_DOMAIN_WORDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("MLOps/Cloud", frozenset({"cloud", "aws", "azure", "gcp", "kubernetes", "docker", "deploy",
                               "deployment", "devops", "mlops", "serverless", "container"})),
    ("Deep Learning", frozenset({"neural", "deep", "transformer", "llm", "gpt", "diffusion"})),
    ("Reinforcement Learning", frozenset({"reinforcement", "reward", "policy", "bandit"})),
    ("NLP", frozenset({"nlp", "language", "text", "speech", "translation"})),
    ("Computer Vision", frozenset({"vision", "image", "video", "camera", "lidar"})),
    ("Machine Learning", frozenset({"model", "learning", "ml", "classification", "prediction",
                                    "predictive", "training", "feature", "clustering"})),
    ("Data Engineering", frozenset({"database", "sql", "etl", "pipeline", "warehouse", "oracle",
                                    "streaming", "lake", "schema", "query"})),
    ("Statistics", frozenset({"statistic", "statistical", "probability", "experiment",
                              "analysis", "analytic", "forecasting", "survey"})),
    ("Mathematics", frozenset({"math", "mathematic", "algebra", "calculus", "optimization",
                               "optimisation", "geometry"})),
    ("Python", frozenset({"python", "panda", "numpy", "django", "flask"})),
    ("C++", frozenset({"c++", "cpp"})),
    ("Software Engineering", frozenset({"software", "code", "coding", "programming", "api",
                                        "web", "backend", "frontend", "test", "debugging",
                                        "linux", "git", "microservice", "javascript"})),
)  # fmt: skip


def unlinked_domain(words: Sequence[str]) -> str:
    """The domain a skill the taxonomy does not name is in, by its (normalised) words."""
    present = set(words)
    return next((domain for domain, cues in _DOMAIN_WORDS if cues & present), "Other")


#: Words that make a phrase the taxonomy does not name a trait or a way of working, not a
#: skill a course teaches: "strong interpersonal skills", "a positive attitude", "work in a
#: fast-paced environment", "manage multiple projects".
_SOFT_WORDING = re.compile(
    r"\b(?:interpersonal|organi[sz]ational|organi[sz]ation skills|communicat\w*|attitude"
    r"|mind-?set|time management|multi-?task\w*|work ethic|teams?|teamwork|self-\w+|passion\w*"
    r"|enthusias\w*|curio\w+|dedicat\w*|creativ\w*|thinker|detail|fast[- ]paced|quickly"
    r"|get things done|decision[- ]making|talented|motivat\w*|multiple projects"
    r"|prioriti[sz]\w*|collaborat\w*|leadership|mentor\w*|initiative|independent\w*"
    r"|adaptab\w*|flexib\w*|problem[- ]solv\w*|solv\w* (?:\w+ )?problems|critical thinking"
    r"|acumen|effective\w*|can-do|drive|driven|energetic|proactive|accountab\w*"
    r"|(?:working|client|strong|influential|effective|build\w*) relationships)\b",
    re.IGNORECASE,
)


def unlinked_skill(surface: str, source: str = "tagger") -> Skill:
    """A skill the taxonomy does not name, found by `source`: kept, and marked as such.

    One worded as a trait ("interpersonal skills", "a positive attitude") is a soft skill,
    listed apart from the skills to learn.
    """
    name = " ".join(surface.split())
    words = [normalise(t) for t in TOKEN.findall(name)]
    return Skill(
        id=UNLINKED + " ".join(words),
        name=name,
        type="soft skill" if _SOFT_WORDING.search(name) else "practice",
        domains=(unlinked_domain(words),),
        aliases=(),
        exact=(),
        context=False,
        esco=None,
        onet=(),
        source=source,
    )
