"""Sections of a posting: which parts demand a skill, and how strongly.

A posting names skills it does not ask for (in its benefits, its "about us"), and asks for
some more firmly than others. Both finders, the dictionary matcher and the span tagger, ask
this module which part of the posting a mention sits in and whether its line says
"preferred", so that they agree on what is required.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

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


def section_at(parts: Sequence[Section], starts: Sequence[int], offset: int) -> str:
    """The kind of the section (of contiguous `parts`, starting at `starts`) holding `offset`."""
    return parts[bisect.bisect_right(starts, offset) - 1].kind


class PreferredLines:
    """Whether the line holding an offset says "preferred" or "a plus", each line read once.

    Searching the line afresh for each mention made a posting that is one long line
    quadratic (issue 13).
    """

    def __init__(self, text: str) -> None:
        """Find the line breaks; lines are read when first asked about."""
        self._text = text
        self._breaks = [m.start() for m in re.finditer("\n", text)]
        self._found: dict[int, bool] = {}

    def __call__(self, offset: int) -> bool:
        """Whether the line holding `offset` says the skill is preferred."""
        line = bisect.bisect_left(self._breaks, offset)
        if line not in self._found:
            start = self._breaks[line - 1] + 1 if line else 0
            end = self._breaks[line] if line < len(self._breaks) else len(self._text)
            self._found[line] = bool(_INLINE_PREFERRED.search(self._text, start, end))
        return self._found[line]
