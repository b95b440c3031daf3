"""Skills named by what the candidate will do: "analyse the data" asks for data analysis.

Postings ask for a practice as often by a verb and its object ("clean and validate data",
"design experiments", "deploy models to production") as by its noun ("data cleaning"). A
skill in the curated layer lists such phrases as `actions`, each a verb and its object; a
verb in any inflection followed, within a few words of the same clause, by that object names
the skill. The object must stand alone: in "analyse data pipelines" the object is a skill of
its own, and the phrase names nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from diymasters.skills.taxonomy import Skill

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


@dataclass(frozen=True)
class Action:
    """A verb phrase found in a text: its verb's and its object's token, and the skill's id."""

    verb: int
    object: int
    skill: str


class Actions:
    """The curated skills' verb phrases, by the stem of their verb."""

    def __init__(self, skills: Iterable[Skill], normalise: Callable[[str], str]) -> None:
        """Index each skill's actions; objects are compared as the matcher compares words."""
        self._normalise = normalise
        self._objects: dict[str, dict[str, str]] = {}
        for skill in skills:
            for phrase in skill.actions:
                verb, obj = phrase.split(maxsplit=1)
                self._objects.setdefault(stem(verb), {})[normalise(obj)] = skill.id

    def find(
        self, text: str, toks: Sequence[tuple[str, int, int]], taken: set[int]
    ) -> list[Action]:
        """The verb phrases among `toks`, neither word inside a match (`taken` tokens)."""
        found = []
        for index, (word, _, end) in enumerate(toks):
            objects = self._objects.get(stem(word)) if index not in taken else None
            if not objects:
                continue
            for ahead in range(index + 1, min(index + MAX_GAP + 2, len(toks))):
                if _CLAUSE_BREAK.search(text, end, toks[ahead][1]):
                    break
                skill = objects.get(self._normalise(toks[ahead][0]))
                if skill is not None and ahead not in taken:
                    found.append(Action(index, ahead, skill))
                    break
        return found
