"""Reading a posting as a person does: which parts demand a skill, and how strongly.

A posting names skills it does not ask for (in its benefits, its "about us", its
equal-opportunity text, a sentence about what the company builds), and asks for some more
firmly than others. Both finders, the dictionary matcher and the span tagger, ask a
`Reading` of the posting where a mention sits, so that they agree on what is demanded and
what is required.

Three levels decide, from the widest:
- sections, started by headings ("Requirements:", "## Benefits", "ADVANTAGES"); a heading
  that matches no cue starts a neutral section, so that "# Our technology stack" after
  "# About the company" is read again;
- sentences whose wording is equal-opportunity, benefit or salary text, ignored wherever
  they are, and, outside any named section (a post without headings), sentences about the
  company ("we raised", "founded by", "our customers");
- sentences that say "preferred", "a plus", "would be great".
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_SECTION_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "benefits",
        re.compile(
            r"\b(benefits?|perks|what we offer|we offer|our offer|compensation|salary|pay range"
            r"|why join|why work|why you'll love|what('s| is) in it for you|what you('ll)? get"
            r"|rewards|we provide)",
            re.IGNORECASE,
        ),
    ),
    (
        "company",
        re.compile(
            r"\b(about (?!(the |this |our )?(role|job|position|opportunity|you|work|team)\b)\w+"
            r"|who we are|our (company|mission|story|culture|values|vision)|company (overview"
            r"|description|profile)|life at|equal (employment )?opportunit|eeo\b|diversity)",
            re.IGNORECASE,
        ),
    ),
    (
        "preferred",
        re.compile(
            r"\b(preferr?(ed|able)|nice[- ]to[- ]have|nice if|bonus|pluses|plus\b|desired"
            r"|desirable|good to have|advantages?\b|advantageous|extra (credit|points)"
            r"|would be (great|nice|a plus)|optional)",
            re.IGNORECASE,
        ),
    ),
    (
        "requirements",
        re.compile(
            r"\b(requirements?|qualifications?|must[- ]have|what you need|what you('ll)? bring"
            r"|who you are|you have|skills|experience|what we('re| are) looking for|about you"
            r"|qualities|your (profile|background)|ideal candidate|competenc|knowledge"
            r"|you (should|must|need))",
            re.IGNORECASE,
        ),
    ),
    (
        "responsibilities",
        re.compile(
            r"\b(responsibilit|what you('ll| will) do|the role|this role|your role|duties"
            r"|day[- ]to[- ]day|you will|about the (job|position|work)|the job|tasks"
            r"|your (mission|impact))",
            re.IGNORECASE,
        ),
    ),
)
#: The section of a posting's first lines, before any heading, and of a heading that
#: matches no cue: its skills are demanded, unless its sentences say otherwise.
NEUTRAL = "other"
#: Kinds of section whose skills are not demanded by the posting.
IGNORED_SECTIONS = frozenset({"benefits", "company"})
_HEADING_MAX = 70
_SHORT_HEADING_WORDS = 4
_BULLET = re.compile(r"\s*([-*•·\u2013+]|\d{1,2}[.)])\s")
_BOLD_LINE = re.compile(r"\s*(\*\*|__)[^*_]+(\*\*|__)\s*:?\s*$")

#: Sentences never demanding a skill, wherever they are: equal-opportunity, benefit and
#: salary text.
_NOT_DEMANDED = re.compile(
    r"\b(equal (employment )?opportunit|without regard to|affirmative action"
    r"|reasonable accommodation|e-verify|protected veteran|sexual orientation|gender identity"
    r"|national origin|401\(?k\)?|health (insurance|benefits)|dental|paid time off|pto\b"
    r"|parental leave|stock options|vacation|tuition reimbursement|referral bonus"
    r"|salary range|pay range|base (salary|pay)|compensation range)",
    re.IGNORECASE,
)
#: Sentences about the company, not the candidate: ignored outside named sections.
_ABOUT_THE_COMPANY = re.compile(
    r"\b(founded (in|by)|co-?founded|founding team|we('ve| have)? raised|raised \$"
    r"|series [a-e]\b|seed round|backed by|investors|our mission"
    r"|creator of|headquartered|we('re| are)? build(ing)?(?! (with|in|using|on)\b)"
    r"|we('re| are) (a|an|the) (\w+[- ])?(company|startup|team|platform|leader|provider)"
    r"|trusted by|used by (millions|thousands|over|more))",
    re.IGNORECASE,
)
_INLINE_PREFERRED = re.compile(
    r"\b(preferr?(ed|able)|a (big |huge |strong )?plus|nice[- ]to[- ]have|bonus|ideally"
    r"|desirable|desired|(is |are |an |a )advantage|advantageous|would be (great|nice|helpful)"
    r"|particularly excited|not required|helpful|beneficial)\b",
    re.IGNORECASE,
)
#: Sentences about a degree: the fields they name are the degree's, not skills asked for.
_DEGREE = re.compile(
    r"\b(degree|bachelor|master'?s|ph\.? ?d|doctorate|b\.s\.|m\.s\.|[bm]\.? ?sc|bs|ms|ba|ma|mba"
    r"|majors?|graduate|diploma|field of study|related (field|discipline|area)"
    r"|quantitative field)\b",
    re.IGNORECASE,
)
#: A sentence ends at a stop and a space (not one of "B.Sc.", "Ph.D.", "e.g."), at a line
#: break, or where scraping ran it into the next ("…any other way.Your skills", "…messy
#: dataAn advanced degree", "…MySQLSkillz embraces diversity").
_SENTENCE_END = re.compile(
    r"(?<!\.[A-Za-z])(?<!\.[A-Za-z]{2})[.!?]\s+|\n|(?<![\s.][A-Za-z])[.!?](?=[A-Z][a-z])"
    r"|(?<=[a-z]{2})(?=[A-Z][a-z])|(?<=[A-Z]{2})(?=[A-Z][a-z]{2})"
)
#: A "sentence" longer than this is text whose breaks were lost: its wording says nothing
#: of the skills in it, so only a preference cue is read from it.
_SENTENCE_MAX = 400


@dataclass(frozen=True)
class Section:
    """A stretch of a posting under one heading."""

    kind: str
    start: int
    end: int


def sections(text: str) -> list[Section]:
    """Split a posting at lines that look like headings ("Requirements:", "## Benefits")."""
    found: list[Section] = []
    kind, start = NEUTRAL, 0
    for line in re.finditer(r"[^\n]+", text):
        heading = _heading_kind(line.group(), kind)
        if heading is not None:
            found.append(Section(kind, start, line.start()))
            kind, start = heading, line.start()
    found.append(Section(kind, start, len(text)))
    return [s for s in found if s.end > s.start]


def _heading_kind(line: str, current: str) -> str | None:
    """The kind of section a line starts, or None when it is not a heading."""
    stripped = line.strip().strip("*_#:>-• ").strip().replace("\u2019", "'")
    if not stripped or len(stripped) > _HEADING_MAX:
        return None
    colon = line.rstrip().endswith(":")
    if _BULLET.match(line) and not colon:
        return None  # "- Referral bonuses" is an item of a list, not its heading
    marked = (
        line.lstrip().startswith("#")
        or bool(_BOLD_LINE.match(line))
        or (stripped.isupper() and len(stripped) > 3)  # noqa: PLR2004
    )
    cue = next((kind for kind, pattern in _SECTION_CUES if pattern.search(stripped)), None)
    if cue is not None:
        short = len(stripped.split()) <= _SHORT_HEADING_WORDS
        return cue if marked or colon or short else None
    if marked or (colon and current in IGNORED_SECTIONS):
        return NEUTRAL
    return None


@dataclass(frozen=True)
class _Sentence:
    """What a sentence's wording says of the skills named in it."""

    #: Equal-opportunity, benefit or salary text.
    not_demanded: bool
    #: About the company, not the candidate.
    about_company: bool
    #: "Preferred", "a plus", "would be great".
    preferred: bool
    #: About a degree: the fields it names are the degree's.
    degree: bool


class Reading:
    """Where each offset of a posting sits, and whether a skill named there is demanded.

    Sentences are read when first asked about, each once: searching them afresh for each
    mention made a posting that is one long line quadratic (issue 13).
    """

    def __init__(self, text: str) -> None:
        """Find the sections and the sentence breaks."""
        self._text = text
        self._parts = sections(text)
        self._part_starts = [p.start for p in self._parts]
        self._ends = [m.end() for m in _SENTENCE_END.finditer(text)]
        self._sentences: dict[int, _Sentence] = {}

    def section(self, offset: int) -> str:
        """The kind of the section holding `offset`."""
        return self._parts[bisect.bisect_right(self._part_starts, offset) - 1].kind

    def demanded(self, offset: int) -> bool:
        """Whether a skill named at `offset` is asked of the candidate."""
        section = self.section(offset)
        if section in IGNORED_SECTIONS:
            return False
        sentence = self._sentence(offset)
        return not (sentence.not_demanded or (sentence.about_company and section == NEUTRAL))

    def preferred(self, offset: int) -> bool:
        """Whether a skill named at `offset` is preferred rather than required."""
        return self.section(offset) == "preferred" or self._sentence(offset).preferred

    def degree(self, offset: int) -> bool:
        """Whether the sentence holding `offset` is about a degree."""
        return self._sentence(offset).degree

    def _sentence(self, offset: int) -> _Sentence:
        index = bisect.bisect_right(self._ends, offset)
        if index not in self._sentences:
            start = self._ends[index - 1] if index else 0
            end = self._ends[index] if index < len(self._ends) else len(self._text)
            self._sentences[index] = self._read(start, end)
        return self._sentences[index]

    def _read(self, start: int, end: int) -> _Sentence:
        whole = end - start <= _SENTENCE_MAX

        def says(cue: re.Pattern[str]) -> bool:
            return bool(cue.search(self._text, start, end))

        return _Sentence(
            not_demanded=whole and says(_NOT_DEMANDED),
            about_company=whole and says(_ABOUT_THE_COMPANY),
            preferred=says(_INLINE_PREFERRED),
            degree=whole and says(_DEGREE),
        )
