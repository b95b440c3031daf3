"""Names listed beside known skills: "Python, Django, Tornado and Twilio" asks for all four.

A posting's list of tools is where it says most plainly what it asks for, and no taxonomy
holds every product: of the skills annotators marked that the dictionary missed, most are
not in it under any name (issue 17). So a name that sits in one list with at least two
skills the dictionary knows is taken for a skill too, kept unlinked (`span:` ids, as the
span tagger's are), with the list's section and its required or preferred reading.

What counts as such a name is narrow, because the list's first item is often the sentence's
opening words and later items can be departments or titles: one to three words with a letter,
written like a name (a capital, a digit or one of `+#.`), none of them a title, a department,
a degree or a word of the sentence around a list ("experience", "tools"), in a sentence that
asks for skills and is not about a degree.
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import TYPE_CHECKING

from diymasters.skills.matcher import lists_teams, overlaps
from diymasters.skills.tagger import unlinked_skill

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from diymasters.skills.matcher import Span
    from diymasters.skills.sectioning import Reading
    from diymasters.skills.taxonomy import Skill

#: Where a list ends: a line, a sentence, a clause or a bracket (not the dot in "Node.js").
_LIST_BREAK = re.compile(r"[\n;:!?()\[\]]|\.(?!\w)")
#: What separates a list's items (the spaces around them are stripped with the item's). An
#: "&" inside a word ("R&D", "AT&T") parts nothing: "Support R&D to capture" lists no "D to
#: capture".
_SEPARATOR = re.compile(r",|/|\s&|&\s|\b(?:and|or)\b", re.IGNORECASE)
#: Words that lead an item in without being part of its name.
_LEAD_IN = re.compile(
    r"^(?:e\.g|i\.e|such as|including|like|as well as|with|using|in|of|other)\b\W*",
    re.IGNORECASE,
)
_CURLY_APOSTROPHE = "\u2019"
#: What makes a word not written with a capital a name all the same: "d3.js", "c++", "ipv4".
_NAME_SIGN = re.compile(r"[\d+#.]")
_LETTER = re.compile(r"[^\W\d_]")
#: A word after a name that makes it a team's or a department's.
_TEAM_WORD = re.compile(r"\s+(?:teams?|departments?|groups?)\b", re.IGNORECASE)
#: How far back from a list's first known skill its start is looked for.
_REACH = 300
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
        "technologies", "analytic", "analytics", "xa0", "companies", "company", "customers",
        "clients", "users", "employees", "people", "years", "year", "remote",
        "abilities", "requirement", "requirements", "education", "background", "operations",
        "quality", "regulatory", "legal", "procurement", "administration", "r&d", "m&a",
        "headquarters", "office", "offices",
    }
)  # fmt: skip
#: What follows a skill that a list of its examples follows: "statistics such as", "Agile
#: methodologies (", "modeling tools, e.g." (not "companies such as", "teams including").
_EXAMPLES_PATTERN = (
    r"(?P<kind>[ \t]+(?:tools?|frameworks?|platforms?|languages?|methods|methodologies"
    r"|techniques|libraries|technolog(?:y|ies)|packages|software|systems|solutions|databases"
    r"|stack|models|suites?|services))?,?[ \t]*(?:(?P<bracket>\()|such as\b|e\.g\.|including\b"
    r"|like\b)"
)
#: The same, for the posting lower-cased (`Reading.lowered_text`) and as written.
_EXAMPLES_FOLLOW = re.compile(_EXAMPLES_PATTERN)
_EXAMPLES_FOLLOW_ANYCASE = re.compile(_EXAMPLES_PATTERN, re.IGNORECASE)
#: What a listed name may end with that is no part of it: "Qliksense preferred", "79 strongly
#: preferred".
_ASKING_TAIL = re.compile(
    r"\s+(?:is\s+|are\s+)?(?:strongly\s+|highly\s+)?(?:preferred|required|desired)\b.*$",
    re.IGNORECASE,
)
#: Two sentences scraping ran together at a stop: "loading.Quantifying" and
#: "Manufacturing.Structures" are no names, where "Socket.Io" is one. (So is the rarer
#: "Backbone.Marionette", which is lost with them.)
_RUN_ON = re.compile(r"[a-z]{3}\.[A-Z][a-z]{2}")


def listed_beside(text: str, spans: Sequence[Span], reading: Reading) -> list[Span]:
    """Names that share a list with two or more of the spans' technical skills.

    `spans` are the dictionary's, in order and apart; the names found overlap none of them.
    The lists are found from the skills out, not by reading the whole posting: this runs
    on every posting of a corpus (issue 18).
    """
    technical = [(start, end) for start, end, skill, _, _ in spans if not skill.soft]
    starts, ends = [span[0] for span in spans], [span[1] for span in spans]
    found: dict[int, Span] = {}
    lowered = reading.lowered_text
    examples = (
        _examples(text, lowered, _EXAMPLES_FOLLOW, technical)
        if lowered is not None
        else _examples(text, text, _EXAMPLES_FOLLOW_ANYCASE, technical)
    )
    for items in [*_lists(text, technical), *examples]:
        for at, name in _names(text, items):
            if (
                at in found  # in a list and in the examples a skill introduces: "stack (A, B)"
                or overlaps(starts, ends, at, at + len(name))
                or _names_a_team(text, at + len(name))
            ):
                continue
            asked = reading.asked(at)
            if asked is None or asked.sentence.degree(text, at) or reading.in_a_title(at):
                continue
            found[at] = (at, at + len(name), _listed(name), asked.section, asked.required)
    return list(found.values())


def _lists(text: str, technical: Sequence[tuple[int, int]]) -> Iterator[list[tuple[int, int]]]:
    """The items that may be names of each stretch that holds two or more of these skills.

    The stretch lies between list breaks; its first item is the sentence's opening words.
    """
    index = 0
    while index < len(technical) - 1:
        first, last_end = technical[index]
        following = index + 1
        while following < len(technical) and not _LIST_BREAK.search(
            text, last_end, technical[following][0]
        ):
            last_end = technical[following][1]
            following += 1
        if following - index >= _KNOWN_IN_LIST:
            yield _items(text, *_stretch(text, first, last_end))[1:]
        index = following


def _examples(
    text: str, searched: str, follows: re.Pattern[str], technical: Sequence[tuple[int, int]]
) -> Iterator[list[tuple[int, int]]]:
    """The items of each list of examples a known skill introduces: "statistics such as MVDA".

    Every item of it may be a name, the first too ("Agile methodologies (Scrum, XP)"). A
    bare bracket after a skill must hold a known skill too: after a job title's last word
    it holds places ("SWE, AI (SF, NYC, DC)"). `follows` is looked for in `searched`, the
    text as written or lower-cased.
    """
    starts = [start for start, _ in technical]
    for start, end in technical:
        introduced = follows.match(searched, end)
        if introduced is None:
            continue
        after = _LIST_BREAK.search(text, introduced.end())
        list_end = after.start() if after else len(text)
        items = _items(text, introduced.end(), list_end)
        if len(items) < _KNOWN_IN_LIST or _spells_out(text[start:end], text, items):
            continue
        if introduced["bracket"] and not introduced["kind"]:
            inside = bisect.bisect_left(starts, introduced.end())
            if inside == len(starts) or starts[inside] >= list_end:
                continue
        yield items


def _spells_out(name: str, text: str, items: Sequence[tuple[int, int]]) -> bool:
    """Whether the items are what an acronym stands for: "ETL (Extract, Transform & Load)"."""
    initials = "".join(text[start:end].strip()[:1] for start, end in items)
    return initials.casefold() == name.casefold()


def _stretch(text: str, start: int, end: int) -> tuple[int, int]:
    """The stretch between list breaks around start:end, looking back at most `_REACH`."""
    window = max(start - _REACH, 0)
    breaks = [found.end() for found in _LIST_BREAK.finditer(text, window, start)]
    after = _LIST_BREAK.search(text, end)
    return breaks[-1] if breaks else window, after.start() if after else len(text)


def _names(text: str, items: Sequence[tuple[int, int]]) -> Iterator[tuple[int, str]]:
    """The items (of one list) that read as names, with where each starts."""
    for item_start, item_end in items:
        name_start, name = _name(text[item_start:item_end])
        if _reads_as_name(name):
            yield item_start + name_start, name


def _names_a_team(text: str, end: int) -> bool:
    """Whether a name ending at `end` is a team's: "Product, Content, Growth teams"."""
    return _TEAM_WORD.match(text, end) is not None or lists_teams(text, end)


@functools.lru_cache(maxsize=4096)
def _listed(name: str) -> Skill:
    """The unlinked skill a listed name is: the same name is the same skill, made once."""
    return unlinked_skill(name, source="list")


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
    if "red" in name.casefold():  # "Qliksense preferred", "Access required", "… desired"
        name = _ASKING_TAIL.sub("", name)
    return item.find(name) if name else 0, name


def _reads_as_name(name: str) -> bool:
    """One to three words written like a name, none of them a word that names no skill."""
    if not name or not (name[0].isupper() or _NAME_SIGN.search(name)):
        return False
    if not _LETTER.search(name):  # "26", "2020": a number names nothing
        return False
    if len(name) == 1:  # "R&D" lists no "D": the one-letter languages are the taxonomy's
        return False
    if _RUN_ON.search(name) or "*" in name:  # "Expectations*Improved maintenance"
        return False
    words = name.split()
    return len(words) <= _LONGEST_NAME and not any(_bare(word) in _NOT_NAMES for word in words)


def _bare(word: str) -> str:
    """A word lower-cased, without the punctuation or possessive around it."""
    bare = word.casefold().replace(_CURLY_APOSTROPHE, "'").strip(".,'")
    return bare.removesuffix("'s")
