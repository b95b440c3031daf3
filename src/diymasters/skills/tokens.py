"""A text's tokens, split the way surface forms are, with words scraping ran together cut apart.

Postings are read by the thousand (issue 18): a posting has some 400 tokens, so what is done
for each token is done in C where it can be (one regular expression, `map` over its matches,
dictionary lookups), and what each distinct word normalises or stems to is worked out once
per process.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable

T = TypeVar("T")

#: A token: letters and digits, with inner dots ("node.js", "asp.net"), a leading dot (".NET"),
#: and trailing "+" or "#" ("C++", "C#"). Hyphens, slashes and "&" separate tokens, so
#: "CI/CD", "ci cd" and "scikit-learn" / "scikit learn" meet in the middle. The quantifiers
#: are possessive because nothing after them can fail, and then the search never backtracks.
TOKEN = re.compile(r"\.?[^\W_]++(?:\.[^\W_]++)*+[+#]*+")
#: Splitting at tokens, kept, gives a text's tokens and what lies between them with no match
#: object made, and their offsets from the lengths.
_SPLIT = re.compile(f"({TOKEN.pattern})")
_PLURAL_KEEP = ("ss", "us", "is", "os")
#: Where scraped text lost the break between two words: "JavaFamiliarity",
#: "SQLExcellent", "learning.Experience", "Jenkins.o", and a word run into the years that
#: follow it ("lifecycle3+ years", in 242 of the shared postings).
_GLUE = re.compile(
    r"(?<=[a-z0-9])(?=[A-Z][a-z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[^\W_]{2})\.(?=[^\W_]{2}|[a-z]$)"
    r"|(?<=[^\W\d_]{2})(?=\d{1,2}\+$)"
)


class Memo(dict[str, T]):
    """A function's results by word, each worked out when first asked for.

    Looking a word up (`memo[word]`, or `map(memo.__getitem__, words)`) costs a dictionary
    lookup once the word has been seen, with no Python call.
    """

    def __init__(self, compute: Callable[[str], T]) -> None:
        """Remember what to compute for a word not yet seen."""
        super().__init__()
        self._compute = compute

    def __missing__(self, word: str) -> T:
        """Compute a word's result and keep it."""
        found = self[word] = self._compute(word)
        return found


#: Fields named in "-ics" whose "s"-less word is an adjective: "economics" is not the plural
#: of "economic", so "economic growth" and "unit economics" are not a field named twice.
_FIELDS_IN_ICS = frozenset(
    {
        "analytics", "bioinformatics", "biostatistics", "diagnostics", "dynamics",
        "econometrics", "economics", "electronics", "forensics", "genetics", "genomics",
        "graphics", "informatics", "linguistics", "logistics", "mathematics", "optics",
        "physics", "psychometrics", "robotics", "semantics", "statistics", "therapeutics",
    }
)  # fmt: skip


#: Plurals of nouns in "-sis": "survival analyses" is survival analysis, not "analyse".
_SIS_PLURALS = ("lyses", "theses", "gnoses")


def _singular(word: str) -> str:
    if word in _FIELDS_IN_ICS:
        return word
    if word.endswith(_SIS_PLURALS):
        return word[:-2] + "is"
    if len(word) > 3 and word.endswith("s") and not word.endswith(_PLURAL_KEEP):  # noqa: PLR2004
        return word[:-3] + "y" if word.endswith("ies") else word[:-1]
    return word


#: Words that join two phrases: "data collection and analysis", "cleans and models".
COORDINATORS = frozenset({"and", "or"})

#: Words repeat across forms and postings: each is normalised once per process.
_NORMALISED = Memo(lambda token: _singular(token.casefold()))
#: Whether a word has a place where two words were run together.
_GLUED = Memo(lambda token: _GLUE.search(token) is not None)


def normalise(token: str) -> str:
    """Lower-case and singularise, the same way for text and for surface forms."""
    return _NORMALISED[token]


@dataclass(frozen=True)
class Tokens:
    """A text's tokens as parallel lists, which C fills faster than Python builds tuples."""

    #: Each token as written.
    words: list[str]
    #: Each token normalised (`normalise`).
    normalised: list[str]
    #: Where each token, and what lies between two tokens, begins, in turn: token `i` runs
    #: from `bounds[2 * i + 1]` to `bounds[2 * i + 2]`. Kept as splitting the text gives them:
    #: copying each token's start and end out of them was a tenth of tokenising (issue 18),
    #: and only the few tokens a skill is found at are asked for theirs.
    bounds: list[int]

    def __len__(self) -> int:
        """How many tokens there are."""
        return len(self.words)

    def start(self, index: int) -> int:
        """The offset in the text of token `index`."""
        return self.bounds[2 * index + 1]

    @functools.cached_property
    def starts(self) -> list[int]:
        """Every token's offset, in order: what an offset is bisected in to find its token."""
        return self.bounds[1::2]

    def end(self, index: int) -> int:
        """The offset in the text after token `index`."""
        return self.bounds[2 * index + 2]


def tokenise(text: str, keep_whole: Callable[[str], bool]) -> Tokens:
    """A text's tokens, with words that scraping ran together cut apart.

    A token with such a place ("JavaFamiliarity") is cut there unless `keep_whole` says it
    is a word in its own right ("JavaScript", "node.js").
    """
    parts = _SPLIT.split(text)  # between, token, between, token, ..., between
    bounds = list(itertools.accumulate(map(len, parts), initial=0))
    words = parts[1::2]
    glued = itertools.compress(range(len(words)), map(_GLUED.__getitem__, words))
    for index in reversed(list(glued)):  # from the end, so that cuts keep earlier indices
        word = words[index]
        if keep_whole(word):
            continue
        pieces = _unglued(word, bounds[2 * index + 1])
        words[index : index + 1] = [piece for piece, _, _ in pieces]
        bounds[2 * index + 1 : 2 * index + 3] = [at for _, *span in pieces for at in span]
    return Tokens(words, list(map(_NORMALISED.__getitem__, words)), bounds)


def _unglued(token: str, start: int) -> list[tuple[str, int, int]]:
    """A token cut where words were run together, each piece with its offsets."""
    pieces, offset = [], 0
    for cut in [*_GLUE.finditer(token), None]:
        end = cut.start() if cut else len(token)
        if end > offset:
            pieces.append((token[offset:end], start + offset, start + end))
        offset = cut.end() if cut else end
    return pieces
