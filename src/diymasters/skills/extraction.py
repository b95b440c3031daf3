"""Finding the skills in postings: the dictionary's mentions, and the tagger's on request.

This is where the two finders meet, so frontends, coverage and the benchmarks ask for a
posting's skills in one call and never choose between them; and where many postings are
read on every core, with the matcher (and the tagger) built once before the workers fork.
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from diymasters.skills.listing import listed_beside
from diymasters.skills.matcher import (
    Matcher,
    Mention,
    Span,
    default_matcher,
    dictionary_spans,
    overlaps,
)
from diymasters.skills.sectioning import Reading
from diymasters.skills.tagger import (
    TaggerSentence,
    load_tagger,
    tagged_mentions,
    tagger_sentences,
)
from diymasters.skills.taxonomy import shipped_taxonomy_bytes

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from multiprocessing.pool import Pool


def extract(text: str, matcher: Matcher | None = None, *, tagger: bool = False) -> list[Mention]:
    """Every skill mention in a posting, with its section and whether it is required.

    Names listed beside two or more known skills count too (`listing`). With `tagger`, the
    span tagger's mentions replace the dictionary's where they overlap, which finds the long
    phrases a dictionary misses; the dictionary alone is ten times faster.
    """
    matcher = matcher or default_matcher()
    mentions = _mentions(text, matcher, shared=True)
    if not tagger:
        return mentions
    # The tagger is shown the dictionary's own forms: where a phrase shares a word ("data
    # collection and analysis"), it reads the phrase whole.
    plain = _mentions(text, matcher, shared=False)
    own = {(m.start, m.end) for m in plain}
    sharing = [m for m in mentions if (m.start, m.end) not in own]
    tagged = tagged_mentions(text, plain, sharing)
    starts, ends = [t.start for t in tagged], [t.end for t in tagged]
    untouched = [m for m in mentions if not overlaps(starts, ends, m.start, m.end)]
    return sorted([*tagged, *untouched], key=lambda m: m.start)


def tagger_inputs(text: str, matcher: Matcher | None = None) -> Iterator[TaggerSentence]:
    """The sentences of a posting as `extract` shows them to the tagger, dictionary and all.

    For training the tagger on annotated postings (`scripts/train_tagger.py`).
    """
    return tagger_sentences(text, _mentions(text, matcher or default_matcher(), shared=False))


def _mentions(text: str, matcher: Matcher, *, shared: bool) -> list[Mention]:
    return [
        Mention(skill, start, end, text[start:end], section, required)
        for start, end, skill, section, required in _spans(text, matcher, shared=shared)
    ]


def _spans(text: str, matcher: Matcher, *, shared: bool = True) -> list[Span]:
    """The dictionary's spans and the names listed beside them, in order, read once."""
    reading = Reading(text)
    spans = list(dictionary_spans(text, matcher, reading, shared=shared))
    listed = listed_beside(text, spans, reading)
    return sorted([*spans, *listed], key=lambda span: span[0]) if listed else spans


@dataclass(frozen=True)
class FoundSkill:
    """A skill found in a posting, where, and the line that asks for it."""

    id: str
    name: str
    domain: str
    start: int
    end: int
    required: bool
    surface: str
    section: str
    type: str
    esco: str | None
    evidence: str

    @classmethod
    def of(cls, mention: Mention, evidence: str) -> FoundSkill:
        """A mention with its evidence (which the caller may have redacted)."""
        skill = mention.skill
        return cls(
            id=skill.id,
            name=skill.name,
            domain=skill.domain,
            start=mention.start,
            end=mention.end,
            required=mention.required,
            surface=mention.surface,
            section=mention.section,
            type=skill.type,
            esco=skill.esco,
            evidence=evidence,
        )


# --- Which extractor -------------------------------------------------------------------------

#: Raised by hand whenever a change to the rules changes what is found in a posting, so that
#: stored postings have their skills found again (`extractor_version`).
#: `tests/test_skills.py::test_the_rules_version_names_what_the_rules_find` fails until it is.
RULES_VERSION = 57


@functools.cache
def extractor_version(*, tagger: bool = False) -> str:
    """What found a posting's skills: the rules' version, the taxonomy's digest, the tagger.

    The store keeps it with each posting; a posting found by another version has its skills
    found again when its corpus is read again (issue 17): a better taxonomy reaches the
    demand already stored.
    """
    digest = hashlib.sha256(shipped_taxonomy_bytes()).hexdigest()[:12]
    return f"rules {RULES_VERSION}, taxonomy {digest}" + (", tagger" if tagger else "")


# --- Many postings at once ------------------------------------------------------------------

#: One posting's findings, small enough to send between processes: skill id to
#: (required anywhere in the posting, number of mentions).
Findings = dict[str, tuple[bool, int]]


def findings(text: str, *, tagger: bool = False) -> Findings:
    """The skills a posting demands, with whether any mention is required."""
    found: Findings = {}
    for skill_id, required in _demands(text, tagger=tagger):
        anywhere, count = found.get(skill_id, (False, 0))
        found[skill_id] = (anywhere or required, count + 1)
    return found


def _demands(text: str, *, tagger: bool) -> Iterator[tuple[str, bool]]:
    """Each mention's skill id and whether it is required, in order.

    Without the tagger, read from the spans: counting them needs no `Mention` (nor the text
    it quotes), and a corpus has some twenty mentions a posting (issue 18).
    """
    if tagger:
        return ((m.skill.id, m.required) for m in extract(text, tagger=True))
    spans = _spans(text, default_matcher())
    return ((skill.id, required) for _, _, skill, _, required in spans)


def extract_many(
    texts: Sequence[str],
    *,
    processes: int | None = None,
    on_progress: Callable[[int], None] | None = None,
    tagger: bool = False,
) -> list[Findings]:
    """Findings for many postings, on every core."""
    extraction = Extraction(processes=processes, tagger=tagger)
    try:
        return collected(extraction.start(texts), on_progress)
    finally:
        extraction.close()


def collected(
    found: Iterator[Findings], on_progress: Callable[[int], None] | None = None
) -> list[Findings]:
    """Findings as they come, each heard by `on_progress`."""
    results = []
    for finding in found:
        results.append(finding)
        if on_progress:
            on_progress(1)
    return results


class Extraction:
    """Workers that find postings' skills on every core, for as long as a corpus is read.

    They fork once, after the matcher is loaded, so they share it and keep what they decode
    of it from chunk to chunk. A chunk is handed to them at once (`start`) and its findings
    taken later, so that the caller reads and stores the next chunk meanwhile (issue 18).
    """

    def __init__(self, *, processes: int | None = None, tagger: bool = False) -> None:
        """Workers for `processes` cores (all of them by default), forked when first needed."""
        self._work = functools.partial(findings, tagger=tagger)
        self._tagger = tagger
        self._workers = processes or os.cpu_count() or 1
        self._pool: Pool | None = None

    def start(self, texts: Sequence[str]) -> Iterator[Findings]:
        """Hand `texts` to the workers now; their findings come in order as iterated.

        A few postings are found in this process instead, as they are iterated.
        """
        if self._workers == 1 or len(texts) < _PARALLEL_THRESHOLD:
            return map(self._work, texts)
        chunk = max(1, min(256, len(texts) // (self._workers * 8)))
        return self._forked().imap(self._work, texts, chunksize=chunk)

    def close(self) -> None:
        """Stop the workers."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool = None

    def _forked(self) -> Pool:
        if self._pool is None:
            import multiprocessing  # noqa: PLC0415 (one posting, the common case, needs no workers)

            default_matcher()
            if self._tagger:
                load_tagger()
            self._pool = multiprocessing.get_context("fork").Pool(self._workers)
        return self._pool


_PARALLEL_THRESHOLD = 200


def word_spans(
    words: Sequence[str], *, tagger: bool = False, shared: bool = True
) -> list[tuple[int, int]]:
    """Mentions in pre-split words (as SkillSpan gives them), as word spans.

    Without `shared`, the dictionary's as the span tagger is shown them (`extract`).
    """
    starts, position = [], 0
    for word in words:
        starts.append(position)
        position += len(word) + 1
    text = " ".join(words)
    found = (
        extract(text, tagger=True) if tagger else _mentions(text, default_matcher(), shared=shared)
    )
    spans = []
    for mention in found:
        first = max(i for i, s in enumerate(starts) if s <= mention.start)
        last = max(i for i, s in enumerate(starts) if s < mention.end)
        spans.append((first, last + 1))
    return spans
