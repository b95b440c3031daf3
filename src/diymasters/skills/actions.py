"""Skills named by what the candidate will do: "analyse the data" asks for data analysis.

Postings ask for a practice as often by a verb and its object ("clean and validate data",
"design experiments", "deploy models to production") as by its noun ("data cleaning"). A
skill in the curated layer lists such phrases as `actions`, each a verb and its object; a
verb in any inflection followed, within a few words of the same clause, by that object names
the skill. The object must stand alone: in "analyse data pipelines" the object is a skill of
its own, and the phrase names nothing.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from diymasters.skills.tokens import COORDINATORS, Memo, normalise

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from diymasters.skills.taxonomy import Skill
    from diymasters.skills.tokens import Tokens

#: How many words may stand between a verb and its object ("collect and analyse large
#: sets of structured data" is too far; "analyse the raw data" is not).
MAX_GAP = 4
#: What ends a clause between a verb and its object.
_CLAUSE_BREAK = re.compile(r"[.;:!?()\n•]")
_SUFFIXES = ("ing", "ed", "es", "s", "e")


def stem(verb: str) -> str:
    """A verb's stem, the same for its inflections: "analyzes", "analyzing" give "analyz"."""
    word = verb.casefold()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):  # noqa: PLR2004
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiou":  # noqa: PLR2004
        word = word[:-1]  # "modelling", "running"
    return word


#: Each word's stem, worked out once per process.
_STEMS = Memo(stem)
#: Verbs whose plural ("models", "reports") is more often a thing made than a verb: in "build
#: models with data" and "apply models to new data" it is no verb, and the phrase is not
#: "model data". Other plurals are left as verbs: "deliver analyses of data" and "generate
#: forecasts" still name the practice.
_NOUNS_FIRST = frozenset(map(stem, ("model", "report", "document", "design")))
#: Verbs that make things: a plural of `_NOUNS_FIRST` right after one is what it makes.
_MAKING = frozenset(
    map(
        stem,
        (
            "build", "develop", "create", "train", "design", "deploy", "maintain", "run",
            "write", "deliver", "produce", "apply", "implement", "prepare", "generate",
            "improve", "evaluate", "validate", "fit", "tune", "building", "developing",
            "creating", "training", "applying",
        ),
    )
)  # fmt: skip
_NO_OBJECTS: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class Action:
    """A verb phrase found in a text: its verb's and its object's token, and the skill's id."""

    verb: int
    object: int
    skill: str


class Actions:
    """The curated skills' verb phrases, by the stem of their verb."""

    def __init__(self, skills: Iterable[Skill]) -> None:
        """Index each skill's actions; objects are compared as the matcher compares words."""
        #: For each verb's stem, its objects (normalised) and the skill each names.
        self.index: dict[str, dict[str, str]] = {}
        for skill in skills:
            for phrase in skill.actions:
                verb, obj = phrase.split(maxsplit=1)
                self.index.setdefault(stem(verb), {})[normalise(obj)] = skill.id
        #: Each word's objects, by way of its stem: one lookup a token once the word is seen.
        self._objects = Memo(lambda word: self.index.get(_STEMS[word], _NO_OBJECTS))

    @classmethod
    def indexed(cls, index: dict[str, dict[str, str]]) -> Actions:
        """The actions of an `index` made before, as a matcher read back from the cache has it."""
        actions = cls(())
        actions.index = index
        return actions

    def find(
        self, text: str, tokens: Tokens, taken: set[int], heads: frozenset[int] = frozenset()
    ) -> list[Action]:
        """The verb phrases among `tokens`, neither word inside a match (`taken` tokens).

        An object may end a match (`heads`): "deploy machine learning models" deploys models.
        """
        objects_of = list(map(self._objects.__getitem__, tokens.words))
        inside = taken - heads if heads else taken
        found = []
        for verb in itertools.compress(range(len(tokens)), objects_of):
            if _made(text, tokens, verb):
                continue
            ahead = None if verb in taken else _object_of(text, tokens, verb, objects_of, inside)
            # One search for the clause's end: a break before the object is a break before
            # each word after it too.
            if ahead is not None and not _CLAUSE_BREAK.search(
                text, tokens.end(verb), tokens.start(ahead)
            ):
                found.append(Action(verb, ahead, objects_of[verb][tokens.normalised[ahead]]))
        return found


def _object_of(
    text: str, tokens: Tokens, verb: int, objects_of: list[Mapping[str, str]], taken: set[int]
) -> int | None:
    """The token of the verb's object: within reach of it, or of the last verb of its list.

    Only a verb followed by a comma, "and" or "or" is looked at as one of a list's.
    """
    objects = objects_of[verb]
    found = _first_object(objects, tokens, verb, taken)
    if found is None and _LISTS_ON.match(text, tokens.end(verb)):
        last = _last_verb_of_its_list(text, tokens, verb, objects_of)
        found = _first_object(objects, tokens, last, taken) if last != verb else None
    return found


#: What follows a verb that a list of verbs goes on from.
_LISTS_ON = re.compile(r"[ \t]*,|[ \t]+(?:and|or|&)[ \t]")


#: What may stand between two verbs of one list: "train, deploy, and monitor models".
_BETWEEN_VERBS = re.compile(r"[ \t]*,[ \t]*(?:(?:and|or|&)[ \t]+)?|[ \t]+(?:and|or|&)[ \t]+")


def _last_verb_of_its_list(
    text: str, tokens: Tokens, verb: int, objects_of: list[Mapping[str, str]]
) -> int:
    """The last verb of the list `verb` opens, whose object is theirs too.

    In "train, deploy, and monitor AI and machine learning models" each verb takes "models",
    which is further from "train" than a verb's object may be.
    """
    last, following = verb, _past_coordinators(tokens, verb + 1)
    while (
        following < len(tokens)
        and objects_of[following]
        and _BETWEEN_VERBS.fullmatch(text, tokens.end(last), tokens.start(following))
    ):
        last, following = following, _past_coordinators(tokens, following + 1)
    return last


def _past_coordinators(tokens: Tokens, index: int) -> int:
    """The first token from `index` on that is not "and" or "or"."""
    while index < len(tokens) and tokens.normalised[index] in COORDINATORS:
        index += 1
    return index


def _made(text: str, tokens: Tokens, verb: int) -> bool:
    """Whether the word at `verb` is a plural noun that the verb right before it makes.

    "Models" is one wherever it does not follow another verb of the same person ("inspects,
    cleans and models the data"): "AI models and leak sensitive data" names no data modelling.
    """
    word = tokens.words[verb]
    if not word.endswith("s") or _STEMS[word] not in _NOUNS_FIRST:
        return False
    if word.casefold() == "models":
        return not _after_a_verb_in_s(text, tokens, verb)
    return (
        verb > 0
        and _STEMS[tokens.words[verb - 1]] in _MAKING
        and text[tokens.end(verb - 1) : tokens.start(verb)].isspace()
    )


def _after_a_verb_in_s(text: str, tokens: Tokens, index: int) -> bool:
    """Whether `index` follows, after "and", "or" or a comma, a word ending in "s" ("cleans")."""
    before = index - 1
    if before > 0 and tokens.normalised[before] in COORDINATORS:
        before -= 1
    elif before < 0 or "," not in text[tokens.end(before) : tokens.start(index)]:
        return False
    word = tokens.words[before]
    return word[1:].islower() and word.endswith("s") and not word.endswith("ss")


def _first_object(
    objects: Mapping[str, str], tokens: Tokens, verb: int, taken: set[int]
) -> int | None:
    """The first token within reach of a verb that is one of its objects and in no match."""
    reach = range(verb + 1, min(verb + MAX_GAP + 2, len(tokens)))
    return next((i for i in reach if tokens.normalised[i] in objects and i not in taken), None)
