"""The dictionary matcher: the taxonomy's surface forms found in text, and the rules on them.

A token trie over every surface form is fast enough for thousands of postings, where the
span tagger is not. Text is split into tokens the way surface forms are, so that "CI/CD" and
"Python, R or Julia" match as people write them; one-letter and ambiguous names ("R", "Go")
count only beside another technical skill or a cue word. What it finds is a `Mention`, the
type the span tagger's findings share.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diymasters.artefacts import load_or_build
from diymasters.skills import actions as actions_module
from diymasters.skills.actions import Actions
from diymasters.skills.sectioning import Reading
from diymasters.skills.taxonomy import Skill, Taxonomy, load_taxonomy, shipped_taxonomy_bytes

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

#: Longest surface form, in tokens, that the matcher looks for.
MAX_FORM_TOKENS = 6


# --- Tokens ---------------------------------------------------------------------------------

#: A token: letters and digits, with inner dots ("node.js", "asp.net"), a leading dot (".NET"),
#: and trailing "+" or "#" ("C++", "C#"). Hyphens, slashes and "&" separate tokens, so
#: "CI/CD", "ci cd" and "scikit-learn" / "scikit learn" meet in the middle.
TOKEN = re.compile(r"\.?[^\W_]+(?:\.[^\W_]+)*[+#]*")
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


#: Where scraped text lost the break between two words: "JavaFamiliarity",
#: "SQLExcellent", "learning.Experience", "Jenkins.o".
_GLUE = re.compile(
    r"(?<=[a-z0-9])(?=[A-Z][a-z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[^\W_]{2})\.(?=[^\W_]{2}|[a-z]$)"
)


def _unglued(token: str, start: int) -> list[tuple[str, int, int]]:
    """A token cut where words were run together, each piece with its offsets."""
    pieces, offset = [], 0
    for cut in [*_GLUE.finditer(token), None]:
        end = cut.start() if cut else len(token)
        if end > offset:
            pieces.append((token[offset:end], start + offset, start + end))
        offset = cut.end() if cut else end
    return pieces


# --- Matching -------------------------------------------------------------------------------

_END = ""  # trie key under which a node stores the skills whose form ends there
_SOURCE_RANK = {"curated": 0, "onet": 1, "esco": 2}


#: What a trie node holds where a form ends: its skill's id and its length in tokens. Plain
#: tuples of strings keep the built matcher quick to load back from the cache.
_Form = tuple[str, int]


class Matcher:
    """Two token tries (normalised forms and exact forms) over the taxonomy.

    It is pickled to the user's cache without its taxonomy, which is loaded on its own.
    """

    def __init__(self, taxonomy: Taxonomy) -> None:
        """Index every surface form short enough to be worth looking for."""
        self.taxonomy = taxonomy
        self.loose: dict[str, Any] = {}
        self.exact: dict[str, Any] = {}
        self._words: set[str] = set()
        for skill in sorted(taxonomy.skills.values(), key=lambda s: _SOURCE_RANK[s.source]):
            for form in skill.aliases:
                if (
                    skill.source == "esco"
                    and not _SEPARATOR.search(form)
                    and not (skill.id in taxonomy.one_word and form == skill.name)
                ):
                    continue  # one-word ESCO forms ("design", "finance") are too loose alone
                self._add(self.loose, [normalise(t) for t in TOKEN.findall(form)], skill)
            for form in skill.exact:
                self._add(self.exact, TOKEN.findall(form), skill)
        self.actions = Actions((s for s in taxonomy.skills.values() if s.actions), normalise)

    def __getstate__(self) -> dict[str, Any]:
        """The tries and the words, less the taxonomy: it is loaded, and cached, on its own."""
        return {key: value for key, value in self.__dict__.items() if key != "taxonomy"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Take the tries back and join them to the shipped taxonomy."""
        self.__dict__.update(state)
        self.taxonomy = load_taxonomy()

    def _add(self, trie: dict[str, Any], words: list[str], skill: Skill) -> None:
        if not words or len(words) > MAX_FORM_TOKENS:
            return
        self._words.update(words)
        node = trie
        for word in words:
            node = node.setdefault(word, {})
        node.setdefault(_END, (skill.id, len(words)))  # the better-ranked source keeps it

    def tokens(self, text: str) -> list[tuple[str, int, int]]:
        """A text's tokens, with words that scraping ran together cut apart.

        A token that is no word of any form ("JavaFamiliarity") is cut at a change of case
        or an inner dot; one that is ("JavaScript", "node.js") is kept whole.
        """
        found = []
        for token in TOKEN.finditer(text):
            word = token.group()
            if _GLUE.search(word) and not self._knows(word):
                found.extend(_unglued(word, token.start()))
            else:
                found.append((word, token.start(), token.end()))
        return found

    def _knows(self, word: str) -> bool:
        return word in self._words or normalise(word) in self._words

    def matches(self, toks: Sequence[tuple[str, int, int]]) -> Iterator[tuple[int, int, Skill]]:
        """Longest, leftmost, non-overlapping matches as (first token, end token, skill)."""
        raw = [t for t, _, _ in toks]
        normalised = [normalise(t) for t in raw]
        position = 0
        while position < len(toks):
            best = self._longest(self.exact, raw, position)
            loose = self._longest(self.loose, normalised, position)
            if loose and (not best or loose[1] > best[1]):
                best = loose
            if best is None:
                position += 1
                continue
            skill_id, length = best
            yield position, position + length, self.taxonomy.skills[skill_id]
            position += length

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
    """The matcher over the shipped taxonomy: built once, then loaded from the user's cache."""
    return load_or_build("matcher", _matcher_inputs(), lambda: Matcher(load_taxonomy()))


def _matcher_inputs() -> Iterator[bytes]:
    """What the built matcher depends on: the taxonomy and the code that indexes it."""
    yield shipped_taxonomy_bytes()
    for module in (__file__, actions_module.__file__):
        yield Path(module).read_bytes()


# --- Mentions -------------------------------------------------------------------------------

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


def dictionary_mentions(text: str, matcher: Matcher) -> list[Mention]:
    """The matcher's mentions in a posting, less those the ambiguity and section rules drop."""
    toks = matcher.tokens(text)
    matched = list(matcher.matches(toks))
    found = [
        (toks[first][1], toks[last - 1][2], skill)
        for first, last, skill in matched
        if _clean_edges(text, toks[first][1], toks[last - 1][2])
        and not (skill.type in {"knowledge", "practice"} and _names_a_role(toks, last))
        and not _followed_by(toks, last, skill.not_before)
    ]
    found += _action_spans(text, toks, matched, matcher.actions, matcher.taxonomy.skills)
    found.sort(key=lambda span: span[0])
    # Two ambiguous names side by side ("Go and Rust") vouch for each other.
    technical = [(start, end) for start, end, skill in found if skill.type != "soft skill"]
    reading = Reading(text)
    mentions = []
    for start, end, named in found:
        if named.context and not _has_context(text, start, end, technical):
            continue
        if not reading.demanded(start):
            continue
        field = matcher.taxonomy.fields.get(named.id)
        skill = matcher.taxonomy.skills[field] if field and reading.degree(start) else named
        section = reading.section(start)
        required = not reading.preferred(start)
        mentions.append(Mention(skill, start, end, text[start:end], section, required))
    return mentions


def _action_spans(
    text: str,
    toks: Sequence[tuple[str, int, int]],
    matched: Sequence[tuple[int, int, Skill]],
    actions: Actions,
    skills: dict[str, Skill],
) -> list[tuple[int, int, Skill]]:
    """The verb phrases naming a skill, as spans that overlap no match and no other phrase.

    A phrase runs from its verb to its object, or covers its verb alone where a match or
    another phrase's verb lies between ("analyse SQL data", "collect and analyse data").
    """
    taken = {index for first, last, _ in matched for index in range(first, last)}
    found = actions.find(text, toks, taken)
    verbs = [action.verb for action in found]
    spans = []
    for action in found:
        between = range(action.verb + 1, action.object)
        crossed = any(i in taken for i in between) or any(v in between for v in verbs)
        last = action.verb if crossed else action.object
        spans.append((toks[action.verb][1], toks[last][2], skills[action.skill]))
    return spans


#: Words that make a skill's name part of a job title or a team's name ("Machine Learning
#: Engineer", "the Data Science team"), which asks for nothing by itself.
_ROLE_WORDS = frozenset(
    {
        "engineer", "scientist", "developer", "analyst", "architect", "researcher", "team",
        "department", "group", "lead", "manager", "director", "intern", "internship",
        "position", "role", "org", "organization", "organisation", "practice", "unit",
        "consultant", "specialist", "officer", "head",
    }
)  # fmt: skip


def _names_a_role(toks: Sequence[tuple[str, int, int]], last: int) -> bool:
    """Whether the token after a match makes it a job title or a team ("ML Engineer")."""
    return last < len(toks) and normalise(toks[last][0]) in _ROLE_WORDS


def _followed_by(toks: Sequence[tuple[str, int, int]], last: int, words: Sequence[str]) -> bool:
    """Whether the token after a match is one of `words` ("reporting to")."""
    return bool(words) and last < len(toks) and toks[last][0].casefold() in words


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
