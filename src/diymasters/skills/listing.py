"""Names listed beside known skills: "Python, Django, Tornado and Twilio" asks for all four.

A posting's list of tools is where it says most plainly what it asks for, and no taxonomy
holds every product: of the skills annotators marked that the dictionary missed, most are
not in it under any name (issue 17). So a name that sits in one list with at least two
skills the dictionary knows is taken for a skill too, kept unlinked (`span:` ids, as the
span tagger's are), with the list's section and its required or preferred reading.

What counts as such a name is narrow, because the list's first item is often the sentence's
opening words and later items can be departments or titles: one to three words, written like
a name (a capital, a digit or one of `+#.`), none of them a title, a department, a degree
or a word of the sentence around a list ("experience", "tools"), in a sentence that asks
for skills and is not about a degree.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from diymasters.skills.tagger import unlinked_skill

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from diymasters.skills.matcher import Span
    from diymasters.skills.sectioning import Reading

#: Where a list ends: a line, a sentence, a clause or a bracket (not the dot in "Node.js").
_LIST_BREAK = re.compile(r"[\n;:!?()\[\]]|\.(?!\w)")
#: What separates a list's items.
_SEPARATOR = re.compile(r"\s*(?:,|/|&|\band\b|\bor\b)\s*", re.IGNORECASE)
#: Words that lead an item in without being part of its name.
_LEAD_IN = re.compile(
    r"^(?:e\.g|i\.e|such as|including|like|as well as|with|using|in|of|other)\b\W*",
    re.IGNORECASE,
)
_CURLY_APOSTROPHE = "\u2019"
#: The most words a listed name has.
_LONGEST_NAME = 3
#: How many known skills vouch for a list.
_KNOWN_IN_LIST = 2
#: Words that make an item no skill's name: the sentence around the list, titles, teams,
#: departments, degrees, words too general to teach ("Python, SQL and Business Analysts"), and
#: "xa0", what scraping leaves of a non-breaking space.
_NOT_NAMES = frozenset(
    {
        "experience", "knowledge", "skills", "skill", "etc", "others", "other", "similar",
        "tools", "familiarity", "understanding", "proficiency", "ability", "strong",
        "excellent", "the", "a", "an", "we", "you", "our", "your", "us", "team", "teams",
        "work", "working", "engineer", "engineers", "analyst", "analysts", "director",
        "manager", "managers", "ceo", "cto", "svp", "vp", "researcher", "researchers",
        "consultant", "scientist", "scientists", "developer", "developers", "ba", "bs", "ms",
        "bachelor", "master", "phd", "degree", "engineering", "sales", "marketing", "product",
        "finance", "arts", "media", "manufacturing", "group", "department", "certified",
        "service", "services", "responsibility", "responsibilities", "technology",
        "technologies", "analytic", "analytics", "xa0",
    }
)  # fmt: skip


def listed_beside(text: str, spans: Sequence[Span], reading: Reading) -> list[Span]:
    """Names that share a list with two or more of the spans' technical skills.

    `spans` are the dictionary's, in order and apart; the names found overlap none of them.
    """
    breaks = [found.start() for found in _LIST_BREAK.finditer(text)]
    ends = [span[1] for span in spans]
    found: list[Span] = []
    for start, end in _lists(text, spans, breaks):
        found.extend(
            name
            for name in _names(text, start, end, reading)
            if not _overlaps(spans, ends, name[0], name[1])
        )
    return found


def _lists(text: str, spans: Sequence[Span], breaks: Sequence[int]) -> Iterator[tuple[int, int]]:
    """Each stretch between list breaks that holds two or more technical skills."""
    technical = [(start, end) for start, end, skill, _, _ in spans if not skill.soft]
    index = 0
    while index < len(technical):
        low = bisect.bisect_right(breaks, technical[index][0])
        start = breaks[low - 1] + 1 if low else 0
        end = breaks[low] if low < len(breaks) else len(text)
        inside = 0
        while index < len(technical) and technical[index][0] < end:
            inside += technical[index][1] <= end
            index += 1
        if inside >= _KNOWN_IN_LIST:
            yield start, end


def _names(text: str, start: int, end: int, reading: Reading) -> Iterator[Span]:
    """The items of one list, after its first, that read as names of skills asked for."""
    items = _items(text, start, end)
    for item_start, item_end in items[1:]:
        name_start, name = _name(text[item_start:item_end])
        at = item_start + name_start
        if not _reads_as_name(name):
            continue
        asked = reading.asked(at)
        if asked is None or asked.sentence.degree:
            continue
        yield at, at + len(name), unlinked_skill(name, source="list"), asked.section, asked.required


def _items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where each item of the list between start and end lies."""
    items, position = [], start
    for separator in _SEPARATOR.finditer(text, start, end):
        items.append((position, separator.start()))
        position = separator.end()
    items.append((position, end))
    return items


def _name(item: str) -> tuple[int, str]:
    """An item's name without its lead-in words and spaces, and where the name starts in it."""
    stripped = item.strip()
    lead = _LEAD_IN.match(stripped)
    name = stripped[lead.end() :] if lead else stripped
    return item.find(name) if name else 0, name


def _reads_as_name(name: str) -> bool:
    words = name.split()
    if not 1 <= len(words) <= _LONGEST_NAME:
        return False
    if any(_bare(word) in _NOT_NAMES for word in words):
        return False
    return name[0].isupper() or any(c.isdigit() or c in "+#." for c in name)


def _bare(word: str) -> str:
    """A word lower-cased, without the punctuation or possessive around it."""
    bare = word.casefold().replace(_CURLY_APOSTROPHE, "'").strip(".,'")
    return bare.removesuffix("'s")


def _overlaps(spans: Sequence[Span], ends: Sequence[int], start: int, end: int) -> bool:
    """Whether a span (in order and apart, ending at `ends`) overlaps start:end."""
    index = bisect.bisect_right(ends, start)
    return index < len(spans) and spans[index][0] < end
