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
import itertools
import operator
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diymasters.artefacts import load_or_build
from diymasters.skills import actions as actions_module
from diymasters.skills import tokens as tokens_module
from diymasters.skills.actions import Actions
from diymasters.skills.sectioning import Reading
from diymasters.skills.taxonomy import Skill, Taxonomy, load_taxonomy, shipped_taxonomy_bytes
from diymasters.skills.tokens import TOKEN, Tokens, normalise, tokenise

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

#: Longest surface form, in tokens, that the matcher looks for.
MAX_FORM_TOKENS = 6
_SEPARATOR = re.compile(r"[\s/&-]")


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
        self.actions = Actions(s for s in taxonomy.skills.values() if s.actions)
        self._openers = _openers(self.loose, self.exact)

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

    def tokens(self, text: str) -> Tokens:
        """A text's tokens, with words that scraping ran together cut apart.

        A token that is no word of any form ("JavaFamiliarity") is cut at a change of case
        or an inner dot; one that is ("JavaScript", "node.js") is kept whole.
        """
        return tokenise(text, self._knows)

    def _knows(self, word: str) -> bool:
        return word in self._words or normalise(word) in self._words

    def matches(self, tokens: Tokens) -> Iterator[tuple[int, int, Skill]]:
        """Longest, leftmost, non-overlapping matches as (first token, end token, skill).

        Only a token that starts some form is tried: most tokens start none, and looking a
        word up costs far less than walking a trie from it.
        """
        position = 0
        for first in self._openings(tokens):
            if first < position:
                continue
            best = self._longest_at(tokens, first)
            if best is None:
                continue
            skill_id, length = best
            yield first, first + length, self.taxonomy.skills[skill_id]
            position = first + length

    def _longest_at(self, tokens: Tokens, first: int) -> _Form | None:
        """The longest form from token `first`: exact, unless a normalised one is longer."""
        exact = (
            _longest(self.exact, tokens.words, first) if tokens.words[first] in self.exact else None
        )
        loose = _longest(self.loose, tokens.normalised, first)
        return loose if loose and (not exact or loose[1] > exact[1]) else exact

    def _openings(self, tokens: Tokens) -> Iterator[int]:
        """The tokens that may start a form, in order, found by two lookups a token in C."""
        normalised = tokens.normalised
        alone = map(self._openers.__contains__, normalised)
        pairs = map(
            self._openers.__contains__, zip(normalised, [*normalised[1:], _END], strict=True)
        )
        return itertools.compress(range(len(tokens)), map(operator.or_, alone, pairs))


def _longest(trie: dict[str, Any], words: list[str], start: int) -> _Form | None:
    """The longest form in `trie` from `words[start]`, walking at most `MAX_FORM_TOKENS`."""
    node: dict[str, Any] | None = trie.get(words[start])
    if node is None:
        return None
    found: _Form | None = node.get(_END)
    for index in range(start + 1, min(start + MAX_FORM_TOKENS, len(words))):
        node = node.get(words[index])
        if node is None:
            break
        found = node.get(_END, found)
    return found


def _openers(loose: dict[str, Any], exact: dict[str, Any]) -> frozenset[str | tuple[str, str]]:
    """What a normalised token, or it and the next, must be to start a form.

    Two tokens in three start some normalised form's first word, but only one in eight
    starts a form of one word or the first two words of a longer one. An exact form's
    first word is taken normalised: the exact forms are few, so the odd token that starts
    none costs little.
    """
    ones = (word for word, node in loose.items() if _END in node)
    twos = ((word, after) for word, node in loose.items() for after in node if after != _END)
    exact_firsts = (normalise(word) for word in exact)
    return frozenset(itertools.chain(ones, twos, exact_firsts))


@functools.cache
def default_matcher() -> Matcher:
    """The matcher over the shipped taxonomy: built once, then loaded from the user's cache."""
    return load_or_build("matcher", _matcher_inputs(), lambda: Matcher(load_taxonomy()))


def _matcher_inputs() -> Iterator[bytes]:
    """What the built matcher depends on: the taxonomy and the code that indexes it."""
    yield shipped_taxonomy_bytes()
    for module in (__file__, actions_module.__file__, tokens_module.__file__):
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
    tokens = matcher.tokens(text)
    matched = list(matcher.matches(tokens))
    found = [
        (tokens.starts[first], tokens.ends[last - 1], skill)
        for first, last, skill in matched
        if _clean_edges(text, tokens.starts[first], tokens.ends[last - 1])
        and not (skill.type in {"knowledge", "practice"} and _names_a_role(tokens, last))
        and not _followed_by(tokens, last, skill.not_before)
    ]
    found += _action_spans(text, tokens, matched, matcher.actions, matcher.taxonomy.skills)
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
    tokens: Tokens,
    matched: Sequence[tuple[int, int, Skill]],
    actions: Actions,
    skills: dict[str, Skill],
) -> list[tuple[int, int, Skill]]:
    """The verb phrases naming a skill, as spans that overlap no match and no other phrase.

    A phrase runs from its verb to its object, or covers its verb alone where a match or
    another phrase's verb lies between ("analyse SQL data", "collect and analyse data").
    """
    taken = {index for first, last, _ in matched for index in range(first, last)}
    found = actions.find(text, tokens, taken)
    verbs = [action.verb for action in found]
    spans = []
    for action in found:
        between = range(action.verb + 1, action.object)
        crossed = any(i in taken for i in between) or any(v in between for v in verbs)
        last = action.verb if crossed else action.object
        spans.append((tokens.starts[action.verb], tokens.ends[last], skills[action.skill]))
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


def _names_a_role(tokens: Tokens, last: int) -> bool:
    """Whether the token after a match makes it a job title or a team ("ML Engineer")."""
    return last < len(tokens) and tokens.normalised[last] in _ROLE_WORDS


def _followed_by(tokens: Tokens, last: int, words: Sequence[str]) -> bool:
    """Whether the token after a match is one of `words` ("reporting to")."""
    return bool(words) and last < len(tokens) and tokens.words[last].casefold() in words


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
