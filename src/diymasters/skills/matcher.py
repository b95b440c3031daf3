"""The dictionary matcher: the taxonomy's surface forms found in text, and the rules on them.

A token trie over every surface form is fast enough for thousands of postings, where the
span tagger is not. Text is split into tokens the way surface forms are, so that "CI/CD" and
"Python, R or Julia" match as people write them; one-letter and ambiguous names ("R", "Go")
count only beside another technical skill or a cue word. What it finds is a `Mention`, the
type the span tagger's findings share.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
import marshal
import operator
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar, cast

from diymasters.artefacts import Codec, load_or_build
from diymasters.skills import actions as actions_module
from diymasters.skills import taxonomy as taxonomy_module
from diymasters.skills import tokens as tokens_module
from diymasters.skills.actions import Actions
from diymasters.skills.sectioning import Asked, Reading
from diymasters.skills.taxonomy import Skill, Taxonomy, load_taxonomy, shipped_taxonomy_bytes
from diymasters.skills.tokens import COORDINATORS, TOKEN, Memo, Tokens, normalise, tokenise

if TYPE_CHECKING:
    from collections.abc import Container, Iterator, Mapping, Sequence

T = TypeVar("T")

#: Longest surface form, in tokens, that the matcher looks for.
MAX_FORM_TOKENS = 6
_SEPARATOR = re.compile(r"[\s/&-]")


# --- Matching -------------------------------------------------------------------------------

_END = ""  # trie key under which a node stores the skills whose form ends there
_SOURCE_RANK = {"curated": 0, "onet": 1, "esco": 2}
#: What a first word with no form starting at it opens: nothing, as a falsy trie node.
_NO_FORMS: dict[str, Any] = {}


#: What a trie node holds where a form ends: its skill's id and its length in tokens. Plain
#: tuples of strings keep the built matcher quick to write and read back.
_Form = tuple[str, int]


class _Index(NamedTuple):
    """What a matcher looks words and skills up in, built or read back."""

    #: The normalised trie, by first word: each word's branch, or `_NO_FORMS`.
    firsts: Memo[dict[str, Any]]
    #: The trie of forms matched only exactly as written ("R", "Go").
    exact: dict[str, Any]
    #: Every word of every form, normalised or exact: a word that is one is never cut apart.
    #: Read back, it stays encoded until a text has a token to cut ("JavaFamiliarity").
    words: frozenset[str] | bytes
    actions: Actions
    skills: Mapping[str, Skill]
    #: For each skill that is also a field of study, the id of that field.
    fields: Mapping[str, str]


class Matcher:
    """Two token tries (normalised forms and exact forms) over the taxonomy.

    The normalised trie is looked up by its first word. A matcher read back from the user's
    cache decodes each first word's branch, and each skill, the first time a text needs it,
    so that one posting costs a few hundred lookups rather than the whole index (issue 18);
    once met, a branch is a plain dictionary, as in a matcher just built.
    """

    def __init__(self, source: Taxonomy | bytes) -> None:
        """Index a taxonomy's forms, or read back what `to_bytes` wrote (ValueError if not)."""
        index = _decoded(source) if isinstance(source, bytes) else _indexed(source)
        self._firsts = index.firsts
        self.exact = index.exact
        self._exact_firsts = frozenset(map(normalise, index.exact))
        self._followers: Memo[Container[str]] = Memo(self._followers_of)
        self._words_kept = index.words
        self.actions = index.actions
        self.skills = index.skills
        self.fields = index.fields
        self._encoded = source if isinstance(source, bytes) else None

    def to_bytes(self) -> bytes:
        """The matcher as the constructor reads it back: each branch and each skill apart."""
        if self._encoded is None:
            self._encoded = marshal.dumps(
                (
                    _FORMAT,
                    _in_buckets({word: node for word, node in self._firsts.items() if node}),
                    self.exact,
                    marshal.dumps(self._words),
                    self.actions.index,
                    _in_buckets({key: _record(skill) for key, skill in self.skills.items()}),
                    dict(self.fields),
                )
            )
        return self._encoded

    def tokens(self, text: str) -> Tokens:
        """A text's tokens, with words that scraping ran together cut apart.

        A token that is no word of any form ("JavaFamiliarity") is cut at a change of case
        or an inner dot; one that is ("JavaScript", "node.js") is kept whole.
        """
        return tokenise(text, self._knows)

    def _knows(self, word: str) -> bool:
        return word in self._words or normalise(word) in self._words

    @functools.cached_property
    def _words(self) -> frozenset[str]:
        kept = self._words_kept
        if isinstance(kept, bytes):
            return cast("frozenset[str]", marshal.loads(kept))  # noqa: S302 (see `_decoded`)
        return kept

    def matches(self, tokens: Tokens, breaks: Container[int]) -> Iterator[tuple[int, int, Skill]]:
        """Longest, leftmost, non-overlapping matches as (first token, end token, skill).

        Only a token that starts some form is tried: most tokens start none, and looking a
        word up costs far less than walking a trie from it. No form runs on past a token in
        `breaks` (`form_breaks`).
        """
        words, normalised = tokens.words, tokens.normalised
        exact, firsts, skills = self.exact, self._firsts, self.skills
        position = 0
        for first in self._openings(tokens):
            if first < position:
                continue
            best = _longest(firsts[normalised[first]], normalised, first, breaks)
            exact_branch = exact.get(words[first])
            if exact_branch:  # few tokens open an exact form: the rest need no second walk
                best = _better(_longest(exact_branch, words, first, breaks), best)
            if best is not None:
                skill_id, length = best
                position = first + length
                yield first, position, skills[skill_id]

    def sharing_back(
        self, words: Sequence[str], before: int, after: int
    ) -> list[tuple[int, _Form]]:
        """Forms `words[after]` makes with the word or two before `words[before]`, by its index.

        "data collection and analysis": data analysis; "natural language processing and
        understanding": natural language understanding. Most joins make none, so each lookup
        stops at the first word it misses.
        """
        firsts, last = self._firsts, words[after]
        found = []
        form = firsts[words[before - 1]].get(last, _NO_FORMS).get(_END)
        if form:
            found.append((after, form))
        if before > 1:
            node = firsts[words[before - 2]].get(words[before - 1], _NO_FORMS)
            form = node.get(last, _NO_FORMS).get(_END)
            if form:
                found.append((after, form))
        return found

    def sharing_ahead(
        self, words: Sequence[str], before: int, after: int, phrase_end: int | None = None
    ) -> list[tuple[int, _Form]]:
        """Forms `words[before]` makes with the words after `words[after]`, by its index.

        The next word or two ("predictive and prescriptive modeling", "relational and
        non-relational databases"), or the last word or two of the form found at `after`,
        which ends at `phrase_end` ("functional and object-oriented programming":
        "functional programming").
        """
        first_node = node = self._firsts[words[before]]
        if not node:
            return []
        if words[after] == "non" and after + 1 < len(words) and words[after + 1] == words[before]:
            after += 1  # "relational and non-relational databases": "relational databases"
        found = []
        for head in words[after + 1 : after + 3]:
            node = node.get(head, _NO_FORMS)
            if not node:
                break
            form = node.get(_END)
            if form:
                found.append((before, form))
        if phrase_end is not None and phrase_end > after + 2:
            for tail in (words[phrase_end - 1 : phrase_end], words[phrase_end - 2 : phrase_end]):
                form = self._form_of(first_node, tail)
                if form:
                    found.append((before, form))
        return found

    @staticmethod
    def _form_of(node: dict[str, Any], rest: Sequence[str]) -> _Form | None:
        """The form a branch of the trie makes with the words `rest`, if any."""
        for word in rest:
            node = node.get(word, _NO_FORMS)
            if not node:
                return None
        return node.get(_END)

    def _followers_of(self, word: str) -> Container[str]:
        """The words after a normalised word that make it start a form.

        Any word, where it starts one by itself (a one-word form, or as an exact form's
        first word normalised); else the second words of its branch.
        """
        branch = self._firsts[word]
        return _ANY_WORD if _END in branch or word in self._exact_firsts else branch

    def _openings(self, tokens: Tokens) -> Iterator[int]:
        """The tokens that may start a form, in order, found by two lookups a token in C.

        Two tokens in three start some normalised form's first word, but only one in eight
        starts a form by itself or with the word after it (`_followers`). An exact form's
        first word is taken normalised: the exact forms are few, so the odd token that starts
        none costs little. Each step over every token costs about as much as splitting the
        text into tokens takes a token, so there are as few as can be (issue 18).
        """
        normalised = tokens.normalised
        followers = map(self._followers.__getitem__, normalised)
        starts = map(operator.contains, followers, [*normalised[1:], _END])
        return itertools.compress(range(len(tokens)), starts)


class _AnyWord:
    """What may follow a word that starts a form by itself: any word."""

    def __contains__(self, word: object) -> bool:
        """Every word is in it."""
        return True


_ANY_WORD = _AnyWord()


def _better(exact: _Form | None, loose: _Form | None) -> _Form | None:
    """The exact form, unless the normalised one is longer."""
    return loose if loose and (not exact or loose[1] > exact[1]) else exact


#: The version of `Matcher.to_bytes`' layout, and how many parts it has.
_FORMAT = "diymasters matcher 1"
_PARTS = 7


def _indexed(taxonomy: Taxonomy) -> _Index:
    """Every surface form short enough to be worth looking for, in its trie."""
    loose: dict[str, Any] = {}
    exact: dict[str, Any] = {}
    words: set[str] = set()
    for skill in sorted(taxonomy.skills.values(), key=lambda s: _SOURCE_RANK[s.source]):
        for form in skill.aliases:
            if (
                skill.source == "esco"
                and not _SEPARATOR.search(form)
                and not (skill.id in taxonomy.one_word and form == skill.name)
            ):
                continue  # one-word ESCO forms ("design", "finance") are too loose alone
            _add(loose, [normalise(t) for t in TOKEN.findall(form)], skill, words)
        for form in skill.exact:
            _add(exact, TOKEN.findall(form), skill, words)
    firsts: Memo[dict[str, Any]] = Memo(lambda _: _NO_FORMS)
    firsts.update(loose)
    actions = Actions(s for s in taxonomy.skills.values() if s.actions)
    return _Index(firsts, exact, frozenset(words), actions, taxonomy.skills, taxonomy.fields)


def _add(trie: dict[str, Any], words: list[str], skill: Skill, seen: set[str]) -> None:
    """Index one form's words under its skill, and count its words as `seen`."""
    if not words or len(words) > MAX_FORM_TOKENS:
        return
    seen.update(words)
    node = trie
    for word in words:
        node = node.setdefault(word, {})
    node.setdefault(_END, (skill.id, len(words)))  # the better-ranked source keeps it


def _decoded(data: bytes) -> _Index:
    """The index `Matcher.to_bytes` wrote, its branches and skills left encoded until needed."""
    parts = marshal.loads(data)  # noqa: S302 (the user's own cache, as in `artefacts`)
    if not isinstance(parts, tuple) or len(parts) != _PARTS or parts[0] != _FORMAT:
        msg = "not a matcher written by this code"
        raise ValueError(msg)
    _, branches, exact, words, actions, records, fields = parts
    branch = _Buckets[dict[str, Any]](branches)
    record = _Buckets[tuple[Any, ...]](records)
    return _Index(
        Memo(lambda word: branch.get(word) or _NO_FORMS),
        exact,
        words,
        Actions.indexed(actions),
        Memo(lambda skill_id: Skill(*record[skill_id])),
        fields,
    )


#: How many buckets `_in_buckets` spreads entries over: a few entries, a kilobyte or so, each.
#: Each is compressed on its own: the file is a fifth of the size, so reading it (all of it,
#: for every command that finds skills) costs less than decompressing the few buckets used.
_BUCKETS = 4096


def _bucket(key: str) -> int:
    """A key's bucket: by CRC-32, which, unlike `hash`, is the same in every process."""
    return zlib.crc32(key.encode()) % _BUCKETS


def _in_buckets(entries: Mapping[str, Any]) -> tuple[bytes, ...]:
    """Entries spread over `_BUCKETS` buckets by key, each bucket encoded on its own."""
    buckets: list[dict[str, Any]] = [{} for _ in range(_BUCKETS)]
    for key, value in entries.items():
        buckets[_bucket(key)][key] = value
    return tuple(zlib.compress(marshal.dumps(bucket)) for bucket in buckets)


class _Buckets(Generic[T]):
    """Entries that `_in_buckets` encoded, each bucket decoded the first time it is asked for."""

    def __init__(self, encoded: tuple[bytes, ...]) -> None:
        """Keep the encoded buckets; none is decoded yet."""
        if len(encoded) != _BUCKETS:
            msg = f"expected {_BUCKETS} buckets, not {len(encoded)}"
            raise ValueError(msg)
        self._encoded = encoded
        self._decoded: list[dict[str, T] | None] = [None] * _BUCKETS

    def _of(self, key: str) -> dict[str, T]:
        index = _bucket(key)
        found = self._decoded[index]
        if found is None:
            encoded = zlib.decompress(self._encoded[index])
            found = self._decoded[index] = marshal.loads(encoded)  # noqa: S302
        return found

    def get(self, key: str) -> T | None:
        """The entry under `key`, or None."""
        return self._of(key).get(key)

    def __getitem__(self, key: str) -> T:
        """The entry under `key`; KeyError if there is none."""
        return self._of(key)[key]


def _record(skill: Skill) -> tuple[Any, ...]:
    """A skill's fields in order, as `Skill(*record)` takes them back."""
    return tuple(getattr(skill, field.name) for field in dataclasses.fields(skill))


def _longest(
    branch: dict[str, Any], words: list[str], start: int, breaks: Container[int]
) -> _Form | None:
    """The longest form down the `branch` of `words[start]`, walking at most `MAX_FORM_TOKENS`."""
    node: dict[str, Any] = branch
    found: _Form | None = node.get(_END)
    for index in range(start + 1, min(start + MAX_FORM_TOKENS, len(words))):
        if index in breaks:
            break
        node = node.get(words[index], _NO_FORMS)
        if not node:
            break
        found = node.get(_END, found)
    return found


#: How the matcher is kept in the user's cache (`artefacts`).
MATCHER_CODEC: Codec[Matcher] = Codec(".marshal", Matcher.to_bytes, Matcher)


@functools.cache
def default_matcher() -> Matcher:
    """The matcher over the shipped taxonomy: built once, then read from the user's cache."""
    return load_or_build(
        "matcher", _matcher_inputs(), lambda: Matcher(load_taxonomy()), MATCHER_CODEC
    )


def _matcher_inputs() -> Iterator[bytes]:
    """What the built matcher depends on: the taxonomy, and the code that indexes and encodes it."""
    yield shipped_taxonomy_bytes()
    for module in (
        __file__,
        actions_module.__file__,
        tokens_module.__file__,
        taxonomy_module.__file__,
    ):
        yield Path(module).read_bytes()


# --- Mentions -------------------------------------------------------------------------------

_CONTEXT_CUES = re.compile(
    r"\b(programming|language|languages|coding|code|scripting|developer|development|software"
    r"|libraries|stack|such as|e\.g\.|like|backend|services|systems)\b",
    re.IGNORECASE,
)
_CONTEXT_WINDOW = 60
#: A name asked for in so many words: "proficiency in R", "experience with Rust", "Go
#: experience". Looked for only right beside the name: "experience" a sentence away from
#: "C" is as often "the C suite".
_ASKED_BEFORE = re.compile(
    r"\b(?:experience|proficiency|proficient|expertise|fluency|fluent|familiarity|familiar)"
    r"\s+(?:with|in)\s+$",
    re.IGNORECASE,
)
_ASKED_AFTER = re.compile(r"\s+(?:experience|proficiency|expertise)\b", re.IGNORECASE)
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


def dictionary_mentions(
    text: str, matcher: Matcher, reading: Reading | None = None
) -> list[Mention]:
    """The matcher's mentions in a posting, less those the ambiguity and section rules drop.

    `reading` is the posting's `Reading` when the caller has one to share.
    """
    return [
        Mention(skill, start, end, text[start:end], section, required)
        for start, end, skill, section, required in dictionary_spans(text, matcher, reading)
    ]


#: A mention as `dictionary_spans` finds it: start, end, skill, section and whether required.
Span = tuple[int, int, Skill, str, bool]


def overlaps(starts: Sequence[int], ends: Sequence[int], start: int, end: int) -> bool:
    """Whether any span (in order and apart, from `starts` to `ends`) overlaps start:end.

    Found by bisection: scanning every span for each mention made extraction quadratic in
    the posting's length (issue 13).
    """
    index = bisect.bisect_right(ends, start)
    return index < len(starts) and starts[index] < end


def dictionary_spans(
    text: str, matcher: Matcher, reading: Reading | None = None, *, shared: bool = True
) -> Iterator[Span]:
    """What `dictionary_mentions` finds, as plain tuples: what counting postings' skills reads.

    Without `shared`, skills named by a word sharing its phrase (`shared_word_matches`)
    are left out: the span tagger reads the whole phrase better.
    """
    found = _named(text, matcher, shared=shared)
    # Two ambiguous names side by side ("Go and Rust") vouch for each other.
    technical = [(start, end) for start, end, skill in found if skill.type != "soft skill"]
    reading = reading or Reading(text)
    for start, end, named in found:
        if named.context and not _has_context(text, start, end, technical):
            continue
        asked = reading.asked(start)
        if asked is None or (named.type in _KINDS_OF_ROLE and reading.in_a_title(start)):
            continue
        skill = _as_read(text, start, named, matcher=matcher, reading=reading, asked=asked)
        if skill is not None:
            yield start, end, skill, asked.section, asked.required


def _as_read(
    text: str, start: int, named: Skill, *, matcher: Matcher, reading: Reading, asked: Asked
) -> Skill | None:
    """The skill a name at `start` stands for, where a degree may be what it names.

    "MS in Statistics" names a statistics degree, but "knowledge of statistics" beside a
    degree names statistics; a field with no degree of its own that a degree lists ("BA in
    Market Research, Psychology") names none.
    """
    field = matcher.fields.get(named.id)
    if field is None:
        listed = _a_field_of_study(start, named, reading)
        return None if listed and asked.sentence.degree(text, start) else named
    if asked.sentence.degree(text, start) and not _asked_as_knowledge(text, start):
        return matcher.skills[field]
    return named


#: Words before a field's name that ask for the knowledge itself, even in a sentence about a
#: degree: "…10+ years of experience Expert knowledge of statistics and visualization".
_KNOWLEDGE_OF = re.compile(
    r"\b(?:knowledge|understanding|expertise|proficiency|familiarity|fluency|grounding"
    r"|experience)\s+(?:of|in|with)\s+(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
_KNOWLEDGE_OF_REACH = 60


def _asked_as_knowledge(text: str, start: int) -> bool:
    """Whether the words just before a field's name ask for its knowledge, not a degree."""
    return _KNOWLEDGE_OF.search(text, max(start - _KNOWLEDGE_OF_REACH, 0), start) is not None


def _a_field_of_study(start: int, skill: Skill, reading: Reading) -> bool:
    """Whether a skill named at `start` is listed as one of a degree's fields.

    Fields with a degree of their own ("Statistics") become it; the rest ("Market Research,
    Psychology") are fields of study only, not skills asked.
    """
    return skill.type in _KINDS_OF_FIELD and reading.in_a_degree_list(start)


def _named(text: str, matcher: Matcher, *, shared: bool) -> list[tuple[int, int, Skill]]:
    """The forms and verb phrases naming a skill, in order, less those their words rule out."""
    tokens = matcher.tokens(text)
    matched = list(matcher.matches(tokens, form_breaks(text, tokens)))
    if shared:
        matched += shared_word_matches(text, tokens, matched, matcher)
    names = _company_names(text)
    qualified = _qualified_heads(text, tokens, matched)
    found = [
        (tokens.start(first), tokens.end(last - 1), skill)
        for first, last, skill in matched
        if first not in qualified
        and _clean_edges(text, tokens.start(first), tokens.end(last - 1))
        and not (names and _ends_a_name(text, tokens.start(first), tokens.end(last - 1), names))
        and not (
            skill.type in {"knowledge", "practice"}
            and (
                _names_a_role(text, tokens, last)
                or lists_teams(text, tokens.end(last - 1))
                or _led_in_as_a_team(text, tokens.start(first))
            )
        )
        and not _followed_by(tokens, last, skill.not_before)
    ]
    found += _action_spans(text, tokens, matched, matcher.actions, matcher.skills, heads=shared)
    found.sort(key=lambda span: span[0])
    return found


_SPACES = re.compile(r"[ \t]+")


def _qualified_heads(
    text: str, tokens: Tokens, matched: Sequence[tuple[int, int, Skill]]
) -> frozenset[int]:
    """The first tokens of skills named right after a skill whose object they are (`head_of`).

    Not after a name that needs another skill beside it ("Epic databases": the head is what
    vouches for Epic), nor across a line break (a list of one skill a line).
    """
    types_ending_at = {
        last: skill.type for _, last, skill in matched if not skill.head_of and not skill.context
    }
    return frozenset(
        first
        for first, _, skill in matched
        if types_ending_at.get(first) in skill.head_of
        and _SPACES.fullmatch(text, tokens.end(first - 1), tokens.start(first))
    )


#: A company's name of two or more capitalised words: the first field of a Hacker News
#: header line ("Beacon AI | San Carlos, CA | Hybrid"), or after "At" opening a sentence
#: ("At Phantom AI, experience…"). Its last word may be a skill's name ("AI", "Analytics")
#: that names the company, not a skill asked for.
_NAME = r"[A-Z][\w.&'-]*(?:[ \t]+[A-Z0-9][\w.&'-]*)+"
_HEADER_NAME = re.compile(rf"[ \t]*({_NAME})[ \t]*(?:\([^)\n|]*\)[ \t]*)?\|")
_AT_NAME = re.compile(rf"(?:^|(?<=[.!?] ))At ({_NAME}),", re.MULTILINE)


def _company_names(text: str) -> frozenset[str]:
    """The company's names a posting gives in its header line or an "At …," sentence."""
    names = {found.group(1) for found in _AT_NAME.finditer(text)} if "At " in text else set()
    header = _HEADER_NAME.match(text)
    if header:
        names.add(header.group(1))
    return frozenset(names)


def _ends_a_name(text: str, start: int, end: int, names: frozenset[str]) -> bool:
    """Whether a match from `start` to `end` is the last word(s) of a company's name."""
    for name in names:
        begin = end - len(name)
        if (
            begin < start
            and text.startswith(name, begin)
            and (begin == 0 or not text[begin - 1].isalnum())
        ):
            return True
    return False


#: What may stand between two phrases sharing a word instead of `COORDINATORS`, alone or
#: between spaces: "data sourcing/collection", "R&D", "design / build".
_JOINING = "/&"


def shared_word_matches(
    text: str, tokens: Tokens, matched: Sequence[tuple[int, int, Skill]], matcher: Matcher
) -> list[tuple[int, int, Skill]]:
    """Skills named by a word that shares the rest of its phrase with the phrase beside it.

    "data collection and analysis" names data analysis at "analysis", and "predictive and
    prescriptive modeling" names predictive modeling at "predictive": a form made of the
    word and the shared words. Only a word that is in no form of its own is read so, and
    only as a curated or O*NET skill: ESCO's long labels made such forms out of ordinary
    phrases ("build and release models" as "create model").
    """
    taken = {index for first, last, _ in matched for index in range(first, last)}
    phrase_ends = {first: last for first, last, _ in matched}
    found: dict[int, Skill] = {}
    words, bounds = tokens.normalised, tokens.bounds
    for before, after in _coordinated(text, tokens):
        end = phrase_ends.get(after)
        shared = matcher.sharing_ahead(words, before, after, end)
        # What lies between the word before `before` and it (`Tokens.bounds`).
        gap = text[bounds[2 * before] : bounds[2 * before + 1]] if before else ""
        if gap.isspace() or gap == "-":
            shared += matcher.sharing_back(words, before, after)
        elif gap.startswith(","):  # "programs, reorganizations and management": no sharing
            for item in _listed_before(text, tokens, before):
                shared += matcher.sharing_ahead(words, item, after, end)
        for index, form in shared:
            if index not in taken and index not in found:
                skill = matcher.skills[form[0]]
                if skill.source != "esco":
                    found[index] = skill
    return [(index, index + 1, skill) for index, skill in sorted(found.items())]


#: The endings of a word that reads as an adjective: "descriptive", "statistical", "genomic",
#: "supervised", "multivariate", "tabular".
_ADJECTIVE = re.compile(r"(?:al|ive|ic|ed|ous|ary|ful|less|able|ible|ar|ate)$")


def _listed_before(text: str, tokens: Tokens, before: int) -> list[int]:
    """The adjectives listed, with commas, before the word at `before`.

    "descriptive, predictive and prescriptive analytics": "descriptive" shares "analytics"
    as "predictive" does. Only adjectives are items: "manage data, statistical and predictive
    modeling" does not name data modelling. The list stops at the first word that is not one.
    """
    items = []
    item = before - 1
    while (
        item >= 0
        and text.startswith(",", tokens.end(item))
        and _ADJECTIVE.search(tokens.normalised[item])
    ):
        items.append(item)
        if item == 0 or not text.startswith(",", tokens.end(item - 1)):
            break
        item -= 1
    return items


def _coordinated(text: str, tokens: Tokens) -> list[tuple[int, int]]:
    """The last token before and the first after each "and", "or", "/" or "&".

    Found by C-level scans, not a Python step a token: there are few of them, and a step a
    token costs as much as the whole dictionary lookup (issue 18).
    """
    count = len(tokens)
    joined = itertools.compress(range(count), map(COORDINATORS.__contains__, tokens.normalised))
    pairs = [(index - 1, index + 1) for index in joined if 0 < index < count - 1]
    for joining in sorted(_joinings(text)):
        start, end = joining, joining + 1
        if text[start - 1 : start] == " " == text[end : end + 1]:
            start, end = start - 1, end + 1
        starts = tokens.starts
        after = bisect.bisect_left(starts, end)
        if 0 < after < count and starts[after] == end and tokens.end(after - 1) == start:
            pairs.append((after - 1, after))
    return pairs


def _joinings(text: str) -> Iterator[int]:
    """Where each "/" and "&" is: `str.find` skips to them faster than a regex scans for both."""
    for joining in _JOINING:
        at = text.find(joining)
        while at >= 0:
            yield at
            at = text.find(joining, at + 1)


def _action_spans(
    text: str,
    tokens: Tokens,
    matched: Sequence[tuple[int, int, Skill]],
    actions: Actions,
    skills: Mapping[str, Skill],
    *,
    heads: bool = True,
) -> list[tuple[int, int, Skill]]:
    """The verb phrases naming a skill, as spans that overlap no match and no other phrase.

    A phrase runs from its verb to its object, or covers its verb alone where a match or
    another phrase's verb lies between ("analyse SQL data", "collect and analyse data"), or
    the object ends a match ("deploy machine learning models"). Without `heads`, an object
    ending a match is no object: as with `shared_word_matches`, the span tagger reads the
    whole phrase better than a verb standing for it.
    """
    taken = {index for first, last, _ in matched for index in range(first, last)}
    heads_of = {last - 1: skill.id for _, last, skill in matched} if heads else {}
    found = actions.find(text, tokens, taken, frozenset(heads_of))
    verbs = [action.verb for action in found]
    spans = []
    for action in found:
        if heads_of.get(action.object) == action.skill:
            continue  # "write system test plans": the match names it already
        next_verb = bisect.bisect_right(verbs, action.verb)
        crossed = (
            action.object in taken
            or not taken.isdisjoint(range(action.verb + 1, action.object))
            or (next_verb < len(verbs) and verbs[next_verb] < action.object)
        )
        last = action.verb if crossed else action.object
        spans.append((tokens.start(action.verb), tokens.end(last), skills[action.skill]))
    return spans


#: The types of skill a role's title names as its kind ("Full-stack Engineer").
_KINDS_OF_ROLE = frozenset({"knowledge", "practice"})
#: The types of skill a degree's list of fields names as a field of study ("degree in
#: Market Research, Psychology").
_KINDS_OF_FIELD = frozenset({"knowledge", "practice"})
#: Words that make a skill's name part of a job title or a team's name ("Machine Learning
#: Engineer", "the Data Science team"), which asks for nothing by itself.
_ROLE_WORDS = frozenset(
    {
        "engineer", "scientist", "developer", "analyst", "architect", "researcher", "team",
        "department", "group", "lead", "manager", "director", "intern", "internship",
        "position", "role", "org", "organization", "organisation", "practice", "unit",
        "consultant", "specialist", "officer", "head", "designer",
    }
)  # fmt: skip
#: The rest of a list of teams that a skill's name opens ("the data science, product, and
#: other key departments", "our Data Science, Media and Product teams", "Data Science / ML
#: roles", "a team of data science and engineering professionals"): a team's name too.
#: A team's name in it is a word or two, not a verb's phrase ("maintain data integrity and
#: work with teams").
_TEAM_NAME_WORD = (
    r"(?!(?:with|to|for|in|of|on|at|by|across|the|an?|be|is|are|our|your|their|work|and|or"
    r"|this|that|these|those|its|which)\b)"
    r"[A-Za-z][\w-]*"
)
_TEAMS_LISTED = re.compile(
    r"(?:\s*(?:,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+|[ \t]*/[ \t]*)(?:other\s+|key\s+)*"
    rf"{_TEAM_NAME_WORD}(?:[ \t]+{_TEAM_NAME_WORD})?){{1,3}}?"
    r"(?:\s+(?:teams?|departments?|groups?)"
    r"|[ \t]+(?-i:organi[sz]ations|divisions?|roles?|professionals))\b",
    re.IGNORECASE,
)


#: A list of teams led in before a skill's name: "a cross-functional team encompassing R&D,
#: Operations, Quality and Project Management", "partners across Finance and Data Science".
_TEAMS_LEAD_IN = re.compile(
    r"\b(?:teams?|departments?|functions?|groups?|stakeholders?|partners?|colleagues),?\s+"
    r"(?:encompassing|including|comprising|consisting\s+of|made\s+up\s+of|spanning|across"
    r"|such\s+as|like|from|in)\s+"
    rf"(?:{_TEAM_NAME_WORD}(?:&\w+)?(?:[ \t]+{_TEAM_NAME_WORD}){{0,2}}"
    r"(?:[ \t]*,[ \t]*(?:and[ \t]+|&[ \t]+)?|[ \t]+(?:and|&)[ \t]+))*$",
    re.IGNORECASE,
)
#: How a name in such a list is preceded: its lead-in's last word or its list's separator.
#: Only a name so preceded is looked back from, which few are.
_LISTED_OR_LED_IN = (
    ",", "&", " and", " or", "encompassing", "including", "comprising", " of", "spanning",
    "across", " as", "like", "from", " in",
)  # fmt: skip
#: How far back from a skill's name a list of teams leading to it is looked for.
_TEAMS_LEAD_IN_REACH = 160
_LEAD_IN_WORD_MAX = 14


def lists_teams(text: str, end: int) -> bool:
    """Whether the text from `end` goes on to list teams: what stands before `end` is one."""
    return _TEAMS_LISTED.match(text, end) is not None


def _led_in_as_a_team(text: str, start: int) -> bool:
    """Whether the name at `start` is an item of a list of teams led in before it."""
    if not text[max(start - _LEAD_IN_WORD_MAX, 0) : start].rstrip().endswith(_LISTED_OR_LED_IN):
        return False
    low = max(text.rfind("\n", 0, start) + 1, start - _TEAMS_LEAD_IN_REACH)
    return _TEAMS_LEAD_IN.search(text, low, start) is not None


def _names_a_role(text: str, tokens: Tokens, last: int) -> bool:
    """Whether the token after a match makes it a job title or a team ("ML Engineer").

    "The Data Science practice" is a team, "software engineering practices" are methods.
    One capitalised word may stand between, in the same sentence: "the Android Camera team",
    but not "machine learning algorithms. This position" across a stop or a line break. "BI
    professionals" are people; "Professional level code" and "professional experience" are
    not. "The data science community" is people too, but not "KNN, Community cluster".
    """
    if last >= len(tokens) or tokens.words[last].casefold() == "practices":
        return False
    if tokens.normalised[last] in _ROLE_WORDS or tokens.words[last] == "professionals":
        return True
    if tokens.normalised[last] == "community":
        return _spaced(text, tokens, last - 1, last)
    return (
        last + 1 < len(tokens)
        and tokens.words[last].istitle()
        and tokens.normalised[last + 1] in _ROLE_WORDS
        and tokens.words[last + 1][0].islower()
        and _spaced(text, tokens, last - 1, last)
        and _spaced(text, tokens, last, last + 1)
    )


def _spaced(text: str, tokens: Tokens, first: int, second: int) -> bool:
    """Whether one plain space, not a stop or a line break, parts two tokens."""
    return text[tokens.end(first) : tokens.start(second)] == " "


def _followed_by(tokens: Tokens, last: int, words: Sequence[str]) -> bool:
    """Whether the token after a match is one of `words` ("reporting to")."""
    return bool(words) and last < len(tokens) and tokens.words[last].casefold() in words


#: What ends a form between two words: a comma, stop, colon or bracket, or a line break
#: before a blank line or a bullet. A line merely wrapped ("data\nwrangling") goes on. Every
#: break starts at one of the first class's characters, so `re` skips from one to the next.
_FORM_BREAK = re.compile(
    r"[,;:()\[\]!?|\u2022.\n](?:(?<=[^.\n])|(?<=\.)(?=\s)|(?<=\n)[ \t]*(?:\n|[-*+](?=\s)))"
)


def form_breaks(text: str, tokens: Tokens) -> set[int]:
    """The tokens no form runs on to, for "Business, Economics" names no business economics.

    Found by one C-level scan and a bisection a break, as there are fewer breaks than tokens.
    """
    after = functools.partial(bisect.bisect_left, tokens.starts)
    return set(map(after, map(re.Match.end, _FORM_BREAK.finditer(text))))


def _clean_edges(text: str, start: int, end: int) -> bool:
    """A one-letter name ("R", "C") next to "&" or "-" is "R&D" or "C-level", not a language.

    Nor is one before "+" ("C++23", a version of C++ no form names), or one that opens its
    line with a stop after it: "C. Skills:" letters a section.
    """
    if end - start > 1:
        return True
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if after == "." and not text[text.rfind("\n", 0, start) + 1 : start].strip():
        return False
    return before not in "&-'" and after not in "&-'+"


def _has_context(text: str, start: int, end: int, technical: list[tuple[int, int]]) -> bool:
    """Whether another technical name or a cue word is near; `technical` is in order."""
    low, high = start - _CONTEXT_WINDOW, end + _CONTEXT_WINDOW
    for index in range(bisect.bisect_left(technical, (low,)), len(technical)):
        s, e = technical[index]
        if s > high:
            break
        if e <= high and (s, e) != (start, end):
            return True
    return bool(
        _CONTEXT_CUES.search(text, max(low, 0), min(high, len(text)))
        or _ASKED_AFTER.match(text, end)
        or _ASKED_BEFORE.search(text, max(start - 40, 0), start)
    )
