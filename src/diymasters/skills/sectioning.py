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
- sentences whose wording is about the hire's work ("our tech stack", "you will"), read
  even in a section about the company;
- sentences whose wording is equal-opportunity, benefit or salary text, ignored wherever
  they are, and, outside any named section (a post without headings), sentences about the
  company ("we raised", "founded by", "our customers");
- sentences that say "preferred", "a plus", "would be great".
"""

from __future__ import annotations

import bisect
import operator
import re
from dataclasses import dataclass
from typing import NamedTuple

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
            r"|description|profile)|life at|equal (employment )?opportunit|eeo\b|diversity"
            r"|seniority level|how to apply|to apply|application process|interview process"
            r"|hiring process|why us\b)",
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
            r"|you (should|must|need)|^you$|(who|what) we (want|need|seek)\b"
            r"|who we('re| are) looking for)",
            re.IGNORECASE,
        ),
    ),
    (
        "responsibilities",
        re.compile(
            r"\b(responsibilit|what you('ll| will) do|the role|this role|your role|duties"
            r"|day[- ]to[- ]day|you will|about the (job|position|work)|the job|tasks"
            r"|your (mission|impact)|(role|job|position) (summary|overview|description))",
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
#: A usual heading of the role or the candidate run into the text around it, as scraping left
#: many postings on one line ("…recommendations.Basic Qualifications:• BA/BS"): after a
#: sentence's end or a small letter with no space, and before a colon, a bullet or a capital
#: with no space between. Not "About Us" or "Benefits": the headings after them are as often
#: ones no list holds ("The RoleData, and lots of it"), and the role's text would be lost.
_HEADING_WORDS = (
    r"Description|Responsibilities|Qualifications|Requirements|Skills|Nice to Have|About You"
    r"|What You(?:'ll| Will) (?:Do|Bring)|Who You Are"
)
_RUN_IN_HEADING = re.compile(
    r"(?:(?:Job|Position|Role|Key|Main|Primary|Basic|Minimum|Preferred|Required|Desired"
    rf"|Additional) )?(?:{_HEADING_WORDS})(?=\s*[:\u2022]|[A-Z])"
)
#: The main word of such a heading: looking for these first, then at what stands around them,
#: is three times faster than trying the heading at every offset (issue 18).
_HEADING_WORD = re.compile(_HEADING_WORDS)
#: What a heading runs on from: a small letter or a sentence's end, with no space between.
_RUNS_ON_FROM = frozenset("abcdefghijklmnopqrstuvwxyz.!?:)\u2026")
_LINE = re.compile(r"[^\n]+")
#: What `_heading_kind` strips from a line's ends, and more: a line longer than a heading
#: without them is no heading, and is not read as one (most lines are sentences, issue 18).
_EDGES = "*_#:>-\u2022 \t\r\f\v"
_BOLD_LINE = re.compile(r"\s*(\*\*|__)[^*_]+(\*\*|__)\s*:?\s*$")


@dataclass(frozen=True, eq=False)  # hashed by identity: each cue is one object
class _Cue:
    """Wording a sentence is searched for, compiled for the posting as written and lower-cased.

    Searching lower-cased text without `re.IGNORECASE` finds the same matches about three
    times faster (issue 18), because `re` then tries only the branches that begin with the
    character at hand. The pattern must be in lower case.
    """

    anycase: re.Pattern[str]
    lowered: re.Pattern[str]


def _cue(pattern: str) -> _Cue:
    return _Cue(re.compile(pattern, re.IGNORECASE), re.compile(pattern))


#: The only characters that lower-case otherwise than `re.IGNORECASE` reads them (every
#: code point was tried): capital I with a dot lowers to two characters, and dotless i and
#: long s match "i" and "s" only ignoring case. A posting holding one is searched as written.
_CASE_TRAPS = re.compile("[\u0130\u0131\u017f]")
#: Sentences never demanding a skill, wherever they are: equal-opportunity, benefit and
#: salary text.
_NOT_DEMANDED = _cue(
    r"\b(equal (employment )?opportunit|without regard to|affirmative action"
    r"|reasonable accommodation|e-verify|protected veteran|sexual orientation|gender identity"
    r"|national origin|401\(?k\)?|health (insurance|benefits)|dental|paid time off|pto\b"
    r"|parental leave|stock options|vacation|tuition reimbursement|referral bonus"
    r"|salary range|pay range|base (salary|pay)|compensation range|training resources"
    r"|tuition assistance|access (to )?(\w+ ){0,3}training|learning (portal|budget|stipend)"
    r"|(conference|learning|education|training) (budget|stipend|allowance)"
    r"|submit (a |an |your )?(resume|cv|application|cover letter))"
)
#: Sentences about the company, not the candidate: ignored outside named sections.
_ABOUT_THE_COMPANY = _cue(
    r"\b(founded (in|by)|co-?founded|founding team|we(['\u2019]ve| have)? raised|raised \$"
    r"|series [a-e]\b|seed round|backed by|investors|our mission"
    r"|creator of|headquartered|we(['\u2019]re| are)? build(ing)?(?! (with|in|using|on)\b)"
    r"|we(['\u2019]re| are) (a|an|the) (\w+[- ])?team"
    r"|we(['\u2019]re| are) (a|an|the) ([\w-]+ ){0,3}(company|startup|platform|leader|provider)"
    r"|\b(?!(?:this|that|which|there|role|position|job)\b)\w+ is (a|an|the) ([\w-]+ ){0,4}"
    r"(company|startup|platform|leader|provider|firm|tool"
    r"|marketplace|database|engine)\b|mission is|venture[- ]backed|(its|our) subsidiaries"
    r"|we work with (some |many )?([\w-]+ )?(companies|brands|clients|customers)"
    r"|trusted by|used by (millions|thousands|over|more)|award[- ]winning|industry[- ]leading"
    r"|world['\u2019]s (leading|largest|most)|our (extensive |deep |broad )?expertise"
    r"|leading provider|fastest[- ]growing|integrations including"
    r"|(the|our) (platform|product|software|app|solution)s? (gives|helps|enables|integrates"
    r"|allows|lets|powers|serves|combines)\b)"
)
#: A sentence whose subject is the company, named: "Novetta delivers highly scalable advanced
#: analytics…"; not "The Data Analyst provides…", nor a duty with no subject ("Iteratively
#: delivers…"). Company text wherever it stands: it often follows the last requirement
#: with no heading.
_COMPANY_SUBJECT = re.compile(
    r"[\s*\u2022\u25cf\u25aa\u25a0>#-]*"
    r"(?!(?:The|This|That|These|Our|Your|Each|Every|An?|Successful|Ideal|Candidates?|You)\b)"
    r"(?:[A-Z][\w&.'\u2019-]*[ \t]+){0,3}?(?![A-Z][a-z]+ly\b)[A-Z][\w&.'\u2019-]*[ \t]+"
    r"(?:delivers|pioneers|provides|offers|serves|specializes|specialises|empowers|operates"
    r"|partners with|is headquartered|is a leading|is one of the|equips|enables|helps|builds"
    r"|develops|creates|makes|transforms|connects|sells|(?:is|are) (?:building|creating"
    r"|developing)|is on a mission)\b"
)
#: Words that make the subject of such a sentence the hire or their team, not the company.
_HIRE_WORDS = re.compile(
    r"\b(analyst|engineer|scientist|developer|candidate|applicant|incumbent|individual"
    r"|position|role|manager|specialist|architect|consultant|lead|intern|associate|team"
    r"|engineering|product|data)s?\b",
    re.IGNORECASE,
)
#: Words that address the candidate: a sentence with them is about the work, whatever its
#: subject ("Python provides the backbone of our stack, so you must know Python").
_ADDRESSED = re.compile(r"\b(?:you|your)\b", re.IGNORECASE)
#: Sentences about the hire's work, the stack they will use or what they will do: demanded
#: even in a section about the company ("About the company: ... freedom to shape our tech
#: stack (TypeScript + Python)", "You will have the opportunity to work on ... projects").
_THE_WORK = _cue(
    r"\b(tech(nology|nical)? stack|our stack|stack (is|includes)|you(['\u2019]ll| will))\b"
)
#: A line of a company section labelled as the stack the hire will use: "* Tech
#: Stack/Technologies: Python, PyTorch … AWS, Docker, and Git support deployment". The label
#: speaks for the whole line, not only for its first sentence.
_STACK_LABEL = re.compile(
    r"[ \t*\u2022\u25cf\u25aa\u25a0>#-]*(?:our |the )?"
    r"(?:tech(?:nology|nical)? stack|stack|technolog(?:y|ies)|tools)\b[^:\n]{0,30}:",
    re.IGNORECASE,
)
#: A heading with no mark that names the stack the hire will use ("Technologies we use"),
#: which ends a section about the company as a marked heading would.
_STACK_HEADING = re.compile(
    r"\b(?:tech(?:nology|nical)? stack|our stack|(?:technolog(?:y|ies)|tools|languages"
    r"|frameworks)\b.{0,20}\b(?:we use|we work with|used|you(?:'ll| will) use))",
    re.IGNORECASE,
)
#: A line labelled as the posting's particulars, not what it asks: "Group: Data Sciences and
#: Analytics", "Internal Job Title: Sr Consultant, Data Science".
_PARTICULARS_LABEL = _cue(
    r"[ \t*\u2022>#-]*(?:(?P<apply>(?:how |where )?to apply|apply(?: here| now)?)"
    r"|(?P<company>(?:the )?company(?: overview| description| info)?|about us)"
    r"|(?:internal |working )?(?:(?:job |position |working )?title|group"
    r"|division|directorate|department|business unit|job family|job category|category"
    r"|industry|function|organi[sz]ation|location))[ \t]*:"
)
#: The furthest from its line's start such a label's colon stands.
_LABEL_MAX = 40
#: The longest line such a label is read on.
_PARTICULARS_MAX = 120
#: The longest line "How to apply:" is read on: what to send ("GitHub link, LinkedIn
#: profile") is no skill asked for, however long the line runs.
_APPLY_MAX = 400
#: The longest line "Company:" is read on: a Hacker News post's paragraph about the company
#: ("Company : We're a small scientific software company … in domains including …").
_COMPANY_LINE_MAX = 1000
_INLINE_PREFERRED = _cue(
    r"\b(preferr?(ed|able)|a (big |huge |strong )?plus|nice[- ]to[- ]have|bonus|ideally"
    r"|desirable|desired|(is |are |an |a )advantage|advantageous|would be (great|nice|helpful)"
    r"|particularly excited|not required|helpful|beneficial)\b"
)
#: Sentences about a degree: the fields they name are the degree's, not skills asked for.
_DEGREE = _cue(
    r"\b((degree|bachelor|master'?s|associate'?s|ph\.? ?d|doctorate|[bm]\.? ?sc|bs|ms|ba|ma|mba"
    r"|majors?|graduate|diploma|field of study|related (\w+ )?(field|discipline|area)s?"
    r"|quantitative field|educational? background)\b|[bm]\.[sa]\.(?!\w)|\b[bm]\.[sa]\b)"
)
#: A degree's subject, "degree in" or "PhD in" (not "a high degree of"): the fields listed
#: right after it are fields of study ("BA/BS degree in Market Research, Psychology").
_DEGREE_IN = _cue(
    r"\b(?:(?:degrees?|ph\.?\s?d|doctorate|[bm]\.?s\.?c?|[bm]\.?a|majors?|mba|diploma)\b\.?"
    r"(?:\s*\([^()\n]{0,40}\))?\s+in|(?:bachelor|master)'?s?(?:\s+of\s+(?:science|arts"
    r"|engineering))?\s+in)\s+"
    r"(?:(?:an?\s+)?(?:\w+\s+)?(?:fields?|disciplines?|areas?)\s+(?:such\s+as|like|including"
    r"|e\.g\.,?)\s+)?"
)
#: What parts the fields of a degree's list: "Statistics, Economics, or Physics".
_FIELD_SEPARATOR = re.compile(r"\s*(?:,|/|\bor\b|\band\b)\s*")
#: Words no field's name holds: where they stand, the list of fields has ended.
_NOT_IN_A_FIELD = frozenset(
    {
        "experience", "years", "with", "using", "skills", "knowledge", "including", "such",
        "as", "plus", "preferred", "required", "strong", "proven", "ability", "work",
        "working", "minimum", "equivalent", "e.g", "i.e",
    }
)  # fmt: skip
#: How a field in a degree's list is preceded: "in", a separator, or the words before a list
#: of examples ("a field such as", "e.g."), in the text as searched.
_LEADS_A_FIELD = (
    " in", " In", ",", "/", " or", "/or", " and", "&", "e.g.", " as", "like", "including",
)  # fmt: skip
_FIELD_LEAD_MAX = 12
_FIELD_WORDS_MAX = 5
_DEGREE_LIST_REACH = 160


def _in_a_degree_list(text: str, offset: int, *, lowered: bool) -> bool:
    """Whether the name at `offset` is one of the fields a degree is in, not a skill asked.

    "Master's degree in Human-Computer Interaction, Cognitive Science" names fields of
    study; "a degree in Computer Science and experience in market research" asks for market
    research. `text` is the posting lower-cased (`lowered`) or as written.
    """
    if not text[max(offset - _FIELD_LEAD_MAX, 0) : offset].rstrip().endswith(_LEADS_A_FIELD):
        return False  # most names follow a word no list of fields ends in
    low = max(text.rfind("\n", 0, offset) + 1, offset - _DEGREE_LIST_REACH)
    pattern = _DEGREE_IN.lowered if lowered else _DEGREE_IN.anycase
    subjects = list(pattern.finditer(text, low, offset))
    if not subjects:
        return False
    listed = text[subjects[-1].end() : offset]
    if listed.strip() and not _FIELD_SEPARATOR.search(listed[-6:]):
        return False
    return all(
        len(words := field.split()) <= _FIELD_WORDS_MAX
        and not any(word.casefold().strip(".,;:") in _NOT_IN_A_FIELD for word in words)
        for field in _FIELD_SEPARATOR.split(listed)
    )


#: A sentence ends at a stop or a semicolon and a space (not one of "B.Sc.", "Ph.D.", "e.g."),
#: so that "a plus" reaches no further back than its clause, at a line break or a bullet ("•",
#: "●", " * ": scraping ran many lists into one line), or where scraping ran it into the next
#: ("…any other way.Your skills", "…messy dataAn advanced degree", "…MySQLSkillz embraces
#: diversity", "…PySpark (ML, MLlib)Experience using Tableau"). Every break is at one of the
#: characters of the first line, so `re` skips to the next of them instead of trying each
#: branch at every offset (eight times faster, issue 18); a break before a capital ends the
#: sentence at the match's start (`before`), the others at its end.
_SENTENCE_END = re.compile(
    r"""
    [.!?;\nA-Z•●▪■*]
    (?:
        (?<=[.!?;])(?<!\.[A-Za-z].)(?<!\.[A-Za-z]{2}.)\s+
      | (?<=[\n•●▪■])
      | (?<=[ ]\*)(?=[ ])
      | (?<=[.!?])(?<![\s.][A-Za-z].)(?=[A-Z][a-z])
      | (?P<before>
            (?<=[a-z]{2}[A-Z])(?=[a-z]) | (?<=[A-Z]{3})(?=[a-z]{2}) | (?<=\)[A-Z])(?=[a-z]{2})
        )
    )
    """,
    re.VERBOSE,
)
#: A "sentence" longer than this is text whose breaks were lost: its wording says nothing
#: of the skills in it, so only a preference cue is read from it.
_SENTENCE_MAX = 400
#: How far before a skill a long sentence is read for equal-opportunity, benefit or salary
#: wording.
_NEAR = 150


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
    for at, line in _heading_candidates(text):
        heading = _heading_kind(line, kind)
        if heading is not None:
            found.append(Section(kind, start, at))
            kind, start = heading, at
    found.append(Section(kind, start, len(text)))
    return [s for s in found if s.end > s.start]


def _heading_candidates(text: str) -> list[tuple[int, str]]:
    """Each line short enough to be a heading, and each usual heading run into a long line."""
    lines = [
        (line.start(), words)
        for line in _LINE.finditer(text)
        if len((words := line.group()).strip(_EDGES)) <= _HEADING_MAX
    ]
    run_ins = [run_in for word in _HEADING_WORD.finditer(text) if (run_in := _run_in(text, word))]
    return sorted(lines + run_ins) if run_ins else lines


def _run_in(text: str, word: re.Match[str]) -> tuple[int, str] | None:
    """The heading run into a long line that `word` is the main word of, if it is one."""
    start = word.start()
    if start > 1 and text[start - 1] == " ":  # "Basic Qualifications", "Key Responsibilities"
        start -= 1
        while start and text[start - 1].isalpha() and not text[start].isupper():
            start -= 1
    for at in dict.fromkeys((start, word.start())):
        heading = _RUN_IN_HEADING.match(text, at) if at else None
        if heading and _set_apart(text, at, heading.end()) and _in_a_long_line(text, at):
            return at, heading.group() + ":"
    return None


def _set_apart(text: str, start: int, end: int) -> bool:
    """Whether a heading at start:end of a long line stands apart from the words around it.

    It runs on from a small letter or a sentence's end ("…experienceRequired Skills"), or,
    after a space, the next words run on from it ("…experience Preferred SkillsExperience",
    "… Preferred Skills: PhD"): a heading in a sentence has spaces on both sides.
    """
    if text[start - 1] in _RUNS_ON_FROM:
        return True
    follower = text[end : end + 1]
    return text[start - 1] == " " and (follower.isupper() or follower == ":")


def _in_a_long_line(text: str, offset: int) -> bool:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return (len(text) if end < 0 else end) - start > _HEADING_MAX


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
    if not (marked or colon or len(stripped.split()) <= _SHORT_HEADING_WORDS):
        return None  # a sentence, whatever its words: the cues need not be looked for
    cue = next((kind for kind, pattern in _SECTION_CUES if pattern.search(stripped)), None)
    if cue is not None:
        return cue
    if marked or (current in IGNORED_SECTIONS and (colon or _STACK_HEADING.search(stripped))):
        return NEUTRAL
    return None


def _sentence_ends(text: str) -> list[int]:
    """Where each sentence of `text` ends.

    A capital inside a word written with a capital ("TypeScript", "TensorFlow", "GitHub") is
    a name's, not the start of a sentence run into a word ("dataAn advanced degree").
    """
    ends = []
    for found in _SENTENCE_END.finditer(text):
        if found.group("before") is None:
            ends.append(found.end())
        elif not _in_a_capitalised_word(text, found.start()):
            ends.append(found.start())
    return ends


def _in_a_capitalised_word(text: str, offset: int) -> bool:
    """Whether the capital at `offset`, after a small letter, is inside a word begun with one.

    A run of capitals before it ("MySQLSkillz") is a name run into a sentence's first word.
    """
    if not text[offset - 1].islower():
        return False
    start = offset
    while start and text[start - 1].isalpha():
        start -= 1
    return text[start].isupper()


#: Where one item of a list scraped onto one line runs on into the next: a bullet left in the
#: line, or a small word, a space and a capitalised word ("…Python preferred Strong
#: Linux…"), but not after a word that leads a name in ("such as Python", "with Scala").
_RUN_ON_ITEM = re.compile(r"\b([a-z]+)[ \t]+[A-Z][a-z]|[*\u2022\u00b7]|[ \t]-[ \t]")
_LEADS_A_NAME = frozenset(
    {
        "as", "with", "of", "in", "and", "or", "like", "using", "including", "to", "the", "a",
        "an", "on", "for", "from", "by", "especially", "particularly", "ideally", "e.g", "i.e",
    }
)  # fmt: skip


def _runs_on_between(text: str, start: int, end: int) -> bool:
    """Whether a run-on item ends between start and end of `text`."""
    return any(
        found.group(1) not in _LEADS_A_NAME for found in _RUN_ON_ITEM.finditer(text, start, end)
    )


def _particulars_lines(text: str, *, lowered: bool) -> list[tuple[int, int]]:
    """Where each line of the posting's particulars ("Group: …", "How to apply: …") lies.

    Not a long line: a posting scraped onto one may open "Business Unit: …" and go on to ask.
    Found once for the posting, from its colons, not for each mention.
    """
    pattern = _PARTICULARS_LABEL.lowered if lowered else _PARTICULARS_LABEL.anycase
    lines = []
    colon = text.find(":")
    while colon >= 0:
        reach = max(colon - _LABEL_MAX, 0)
        line_start = text.rfind("\n", reach, colon) + 1
        label = pattern.fullmatch(text, line_start, colon + 1) if line_start or not reach else None
        if label:
            end = text.find("\n", colon)
            end = len(text) if end < 0 else end
            if end - line_start <= _longest_labelled(label):
                lines.append((line_start, end))
        colon = text.find(":", colon + 1)
    return lines


def _longest_labelled(label: re.Match[str]) -> int:
    """The longest line a particulars label of this kind is read on."""
    if label["company"]:
        return _COMPANY_LINE_MAX
    return _APPLY_MAX if label["apply"] else _PARTICULARS_MAX


#: A role named in a header line's field: "Coast | Platform Engineer (Security), DevSecOps
#: Engineer & Full-stack Product Engineer | NYC" names titles, not what the roles ask.
_ROLE_IN_FIELD = re.compile(
    r"\b(?:engineers?|developers?|scientists?|analysts?|architects?|designers?|researchers?"
    r"|managers?|leads?|interns?|swes?|sres?)\b",
    re.IGNORECASE,
)
#: The fewest " | " a first line has to be a header of fields (Hacker News: "Acme | Role |
#: Place | Remote").
_HEADER_FIELDS = 2
#: The longest such a header is: a posting scraped onto one line has bars in its sentences.
_HEADER_MAX = 300
_HEADER_FIELD = re.compile(r"[^|\n]+")
_BRACKETED = re.compile(r"\([^()\n]*\)")


#: A line that names an open role and links to it: "- ML Infra Software Engineer:
#: https://jobs…", "Senior Software Engineer, AI SDK → https://…".
_LINK_ENDING_A_LINE = re.compile(r"https?://\S+[ \t]*$", re.MULTILINE)
#: What stands around a linked role's title on its line: a bullet before, a colon or an
#: arrow after.
_BEFORE_TITLE = " \t*\u2022-"
_AFTER_TITLE = " \t:\u2192>-\u2013\u2014|"
_TITLE_MIN, _TITLE_MAX = 3, 120


def _title_fields(text: str) -> list[tuple[int, int]]:
    """The titles of the roles a posting names, less their brackets' insides.

    They are the fields of its header line ("Acme | Full-stack Engineer | NYC") and the
    lines that link to a role. Brackets are kept out: "Backend Engineer (Security)" asks for
    security.
    """
    fields = [*_header_fields(text), *_linked_role_titles(text)]
    return [
        stretch
        for start, end in fields
        if _ROLE_IN_FIELD.search(text, start, end)
        for stretch in _outside_brackets(text, start, end)
    ]


def _header_fields(text: str) -> list[tuple[int, int]]:
    """The fields of a first line that is a header ("Acme | Role | Place | Remote")."""
    line_end = text.find("\n")
    line_end = len(text) if line_end < 0 else line_end
    if line_end > _HEADER_MAX or text.count("|", 0, line_end) < _HEADER_FIELDS:
        return []
    return [
        field.span()
        for field in _HEADER_FIELD.finditer(text, 0, line_end)
        if field.end() - field.start() <= _HEADING_MAX * 2
    ]


def _linked_role_titles(text: str) -> list[tuple[int, int]]:
    """The titles of the lines that end in a link: each may be an open role's.

    Found from the links back, not from each line: few lines of a posting end in one.
    """
    titles = []
    for link in _LINK_ENDING_A_LINE.finditer(text):
        line = text[text.rfind("\n", 0, link.start()) + 1 : link.start()]
        title = line.lstrip(_BEFORE_TITLE).rstrip(_AFTER_TITLE)
        if _TITLE_MIN <= len(title) <= _TITLE_MAX and ":" not in title:
            start = link.start() - len(line) + (len(line) - len(line.lstrip(_BEFORE_TITLE)))
            titles.append((start, start + len(title)))
    return titles


def _outside_brackets(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The stretches of start:end outside round brackets."""
    stretches, begun = [], start
    for bracket in _BRACKETED.finditer(text, start, end):
        if bracket.start() > begun:
            stretches.append((begun, bracket.start()))
        begun = bracket.end()
    if end > begun:
        stretches.append((begun, end))
    return stretches


class _Sentence:
    """What a sentence's wording says of the skills named in it.

    Each cue is looked for when first asked about: a mention needs one or two of them, and
    looking for all four in every sentence was a fifth of the extractor's time (issue 18).
    """

    def __init__(self, text: str, start: int, end: int, *, lowered: bool) -> None:
        """The sentence from `start` to `end` of `text` (`lowered` or as written), not yet read."""
        self._text, self._start, self._end, self._lowered = text, start, end, lowered
        self._whole = end - start <= _SENTENCE_MAX
        self._said: dict[_Cue, bool] = {}
        self._company_speaks: bool | None = None
        #: Where a sentence too long to be one says each cue, found when first asked.
        self._spans: dict[_Cue, list[tuple[int, int]]] = {}

    def _says(self, cue: _Cue) -> bool:
        said = self._said.get(cue)
        if said is None:
            pattern = cue.lowered if self._lowered else cue.anycase
            said = pattern.search(self._text, self._start, self._end) is not None
            self._said[cue] = said
        return said

    def not_demanded(self, offset: int) -> bool:
        """Equal-opportunity, benefit or salary text, at `offset`.

        In a sentence too long to be one, only its wording just before the offset says so:
        an equal-opportunity statement of 403 characters listed "political beliefs" as
        asked. Wording after it is not read: where scraping lost the breaks, the benefits
        often follow the last requirement ("(Hive, Redshift) is a plus We are an equal…").
        """
        if self._whole:
            return self._says(_NOT_DEMANDED)
        pattern = _NOT_DEMANDED.lowered if self._lowered else _NOT_DEMANDED.anycase
        return pattern.search(self._text, max(self._start, offset - _NEAR), offset) is not None

    @property
    def about_company(self) -> bool:
        """About the company, not the candidate."""
        return self._whole and self._says(_ABOUT_THE_COMPANY)

    def company_speaks(self, text: str) -> bool:
        """Whether the sentence, in `text` as written, has the company, named, as its subject.

        Not in a sentence too long to be one: its opening says nothing of the rest.
        """
        if self._company_speaks is None:
            opening = _COMPANY_SUBJECT.match(text, self._start, self._end) if self._whole else None
            self._company_speaks = (
                opening is not None
                and not _HIRE_WORDS.search(opening.group())
                and not _ADDRESSED.search(text, self._start, self._end)
            )
        return self._company_speaks

    @property
    def about_the_work(self) -> bool:
        """About the hire's work: "our tech stack", "you will"."""
        return self._whole and self._says(_THE_WORK)

    def preferred(self, text: str, offset: int) -> bool:
        """Says "preferred", "a plus", "would be great" of the skill at `offset`.

        In a sentence too long to be one (`text` is the posting as written), only wording in
        the same run-on item says so: "…one scripting language, Python preferred Strong
        Linux/Unix shell scripting…" prefers Python, not Linux.
        """
        if self._whole:
            return self._says(_INLINE_PREFERRED)
        return self._said_in_item(_INLINE_PREFERRED, text, offset, after=True)

    def degree(self, text: str, offset: int) -> bool:
        """About a degree at `offset`: the fields it names are the degree's.

        In a sentence too long to be one (`text` is the posting as written), only its wording
        just before the offset, in the same run-on item, says so ("…What You Need Bachelor's
        degree in economics, Business Analytics, …").
        """
        if self._whole:
            return self._says(_DEGREE)
        return self._said_in_item(_DEGREE, text, offset, after=False)

    def _said_in_item(self, cue: _Cue, text: str, offset: int, *, after: bool) -> bool:
        """Whether the cue stands near `offset` in its run-on item of a long sentence.

        Near is within `_NEAR` before it, or after it too with `after`. The cue's places are
        found once a sentence.
        """
        spans = self._spans.get(cue)
        if spans is None:
            pattern = cue.lowered if self._lowered else cue.anycase
            spans = [found.span() for found in pattern.finditer(self._text, self._start, self._end)]
            self._spans[cue] = spans
        high = offset + _NEAR if after else offset
        return any(
            not _runs_on_between(text, min(start if after else end, offset), max(end, offset))
            for start, end in spans
            if offset - _NEAR <= start and end <= high
        )


_START = operator.itemgetter(0)


def _within(stretches: list[tuple[int, int]], offset: int) -> bool:
    """Whether `offset` lies in one of the stretches (in order and apart), its start too."""
    index = bisect.bisect_right(stretches, offset, key=_START) - 1
    return index >= 0 and stretches[index][0] <= offset < stretches[index][1]


class Asked(NamedTuple):
    """How a skill named somewhere in a posting is asked for (`Reading.asked`)."""

    #: The kind of section it is named in.
    section: str
    #: Required, rather than preferred.
    required: bool
    #: The sentence it is named in, which may be about a degree (`degree`).
    sentence: _Sentence


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
        # A heading starts a sentence too: one run into a long line has no stop before it.
        self._ends = sorted({*_sentence_ends(text), *self._part_starts[1:]})
        self._sentences: dict[int, _Sentence] = {}
        self._lowered = not _CASE_TRAPS.search(text)
        self._searched = text.lower() if self._lowered else text
        self._particulars = _particulars_lines(self._searched, lowered=self._lowered)
        self._titles = _title_fields(text)

    @property
    def lowered_text(self) -> str | None:
        """The posting lower-cased, each offset unchanged; None where that would move one.

        Searching it with a lower-case pattern is about three times faster than searching the
        posting ignoring case (`_Cue`).
        """
        return self._searched if self._lowered else None

    def section(self, offset: int) -> str:
        """The kind of the section holding `offset`."""
        return self._parts[bisect.bisect_right(self._part_starts, offset) - 1].kind

    def demanded(self, offset: int) -> bool:
        """Whether a skill named at `offset` is asked of the candidate."""
        return self.asked(offset) is not None

    def asked(self, offset: int) -> Asked | None:
        """How a skill named at `offset` is asked for, or None where it is not demanded.

        One call for each of the dictionary's mentions, which are many a posting, finds the
        section and the sentence once, where `demanded`, `section` and `preferred` in turn
        would find each again.
        """
        section = self.section(offset)
        if section in IGNORED_SECTIONS:
            if section != "company" or not self._about_the_work(offset):
                return None
            section = NEUTRAL
        sentence = self._sentence(offset)
        if (
            (self._particulars and self._labelled_particulars(offset))
            or sentence.not_demanded(offset)
            or (section == NEUTRAL and sentence.about_company)
            or sentence.company_speaks(self._text)
        ):
            return None
        preferred = section == "preferred" or sentence.preferred(self._text, offset)
        return Asked(section, not preferred, sentence)

    def preferred(self, offset: int) -> bool:
        """Whether a skill named at `offset` is preferred rather than required."""
        return self.section(offset) == "preferred" or self._sentence(offset).preferred(
            self._text, offset
        )

    def in_a_degree_list(self, offset: int) -> bool:
        """Whether the name at `offset` is one of the fields a degree is in: "BS in Physics"."""
        return _in_a_degree_list(self._searched, offset, lowered=self._lowered)

    def in_a_title(self, offset: int) -> bool:
        """Whether `offset` is in a role's title, in the header or a line linking to the role.

        Such as "Acme | Full-stack Engineer" or "ML Infra Software Engineer: https://…". A
        field or practice named there is the role's kind ("Full-stack", "DevSecOps"), not a
        skill asked for; a language or tool may be ("Senior Python Developer").
        """
        return bool(self._titles) and _within(self._titles, offset)

    def _labelled_particulars(self, offset: int) -> bool:
        """Whether `offset` is on a line of the posting's particulars ("Group: …")."""
        return _within(self._particulars, offset)

    def _about_the_work(self, offset: int) -> bool:
        """Whether a company section speaks of the hire's work at `offset`.

        It does in a sentence that says so, or on a line its label says is the stack.
        """
        if self._sentence(offset).about_the_work:
            return True
        line_start = self._text.rfind("\n", 0, offset) + 1
        return _STACK_LABEL.match(self._text, line_start, offset) is not None

    def _sentence(self, offset: int) -> _Sentence:
        index = bisect.bisect_right(self._ends, offset)
        if index not in self._sentences:
            start = self._ends[index - 1] if index else 0
            end = self._ends[index] if index < len(self._ends) else len(self._text)
            self._sentences[index] = _Sentence(self._searched, start, end, lowered=self._lowered)
        return self._sentences[index]
