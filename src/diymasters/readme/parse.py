"""Reading a README's Markdown into a `ReadmeDocument`, without rejecting what it does not know.

Real READMEs are not written for a parser: boxes come in a dozen spellings, statuses hide in
emoji and words beside titles, and the coursework sits among "About me" links and tables of
contents. This module reads them with markdown-it-py, keeping each item's character offsets
from the source line maps (writing back needs them), and counts the conventions it met. What
counts as a resource, and where the curriculum is:

- A list item whose paragraph starts with a checkbox marker is a task: `[ ]`, `[x]`, `[X]`,
  and the partial states real READMEs use (`[-]`, `[~]`, `[/]`, `[.]`, `[🚧]`, `[⏳]`; done as
  `[✔️]`, `[✓]`, `[✅]`; `[]` as to do). GitHub renders only the first three as checkboxes.
- A list item led by a link, or whose whole first line is bold, is a resource without a box;
  so is a paragraph that is a single link (the seed's "Practical Deep Learning for Coders").
- Headings are domains; a short plain line such as the seed's "Statistics" is a domain too.
- When the file has tasks, the curriculum is the smallest heading section holding all of
  them, so an "About me" list of links above it is not mistaken for coursework.
- `~~struck~~` titles read as dropped; ✅, 🚧, ⏳ and "(in progress)"/"(done)" beside a
  title refine a status; "(60 hrs)" beside a title is its estimated hours.
- A count of parts that ends an item's first line is its progress (see `find_count`):
  "(3/5)", "[3/5]", "(3 of 5)", "3/5 done", "3 of 5 lectures", "(3/5 lectures)". With an
  empty box, a count with a part done reads in progress; only a ticked box reads done.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING

from diymasters.files import Encoding, decode
from diymasters.model import Status
from diymasters.readme.document import (
    COUNT_FORM,
    MARKS,
    Count,
    Marker,
    ReadmeDocument,
    ReadmeDomain,
    ReadmeItem,
    Style,
    item_key,
    read_status,
)

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

_GFM_MARKS = {" ", "x", "X"}
_TASK = re.compile(
    r"\[(" + "|".join(re.escape(m) for m in sorted(MARKS, key=len, reverse=True)) + r")\]"
    r"(?=[ \t]|$)"
)
_NEWLINE = re.compile(r"\r\n?|\n")
_LINE_PREFIX = re.compile(r"(?:[ \t]*>)*[ \t]*(?:(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$))?")
_HOURS = re.compile(r"\((\d+(?:\.\d+)?)\s*(?:h|hrs?|hours?)\)", re.IGNORECASE)
_STATUS_WORDS = (
    (re.compile(r"\((?:in progress|ongoing|wip)\)", re.IGNORECASE), Status.IN_PROGRESS),
    (re.compile(r"\((?:done|completed|finished)\)", re.IGNORECASE), Status.DONE),
)
_STATUS_EMOJI = (("✅", Status.DONE), ("🚧", Status.IN_PROGRESS), ("⏳", Status.IN_PROGRESS))
#: Words that may follow a count: what the parts are, and that they are done.
_COUNT_UNITS = (
    "lectures?|lessons?|chapters?|videos?|modules?|weeks?|units?|sections?|parts?|courses?"
    "|problems?|exercises?|assignments?|labs?|projects?|episodes?|days?|quiz|quizzes|papers?"
    "|tasks?|topics?|notebooks?|pages?|talks?|tutorials?|class|classes|books?|steps?"
)
_COUNT_DONE = "done|completed?|finished|watched|read"
#: A number of parts: no leading zero, so "2019/12/04" and "07/12" are not counts, and at
#: most three digits (`MAX_PARTS`), so "2019/2020" is not one either.
_COUNT_NUMBER = r"0|[1-9]\d{0,2}"
_COUNT = re.compile(
    rf"(?<!\S)(?P<open>[(\[]?)(?P<done>{_COUNT_NUMBER})(?:[ \t]*/[ \t]*|[ \t]+of[ \t]+)"
    rf"(?P<total>{_COUNT_NUMBER})"
    rf"(?P<words>(?:[ \t]+(?:{_COUNT_UNITS}))?(?:[ \t]+(?:{_COUNT_DONE}))?)"
    r"(?P<close>[)\]]?)$",
    re.IGNORECASE,
)
_BRACKETS = {"": "", "(": ")", "[": "]"}
#: Bare-line domains sit below every heading level while scanning.
_BARE_LEVEL = 99
#: A plain line of at most this many words can name a domain ("Reinforcement Learning").
_MAX_DOMAIN_WORDS = 5
_BARE_DOMAIN = re.compile(r"[^\W\d_][\w+#&/' -]{0,40}")


@functools.cache
def markdown_parser() -> MarkdownIt:
    """CommonMark with GFM tables and strikethrough, built once: parsing does not mutate it.

    Inline Markdown is parsed only where the scanner reads it (`_is_read`): a table cell or
    a list item's second paragraph is never a title, and inline parsing is most of the cost
    of reading a README (issue 18).

    markdown-it-py is imported here, on the first README read: `status` and most other
    commands never read one and need not load it (issue 18).
    """
    from markdown_it import MarkdownIt  # noqa: PLC0415 (see above)

    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    parser.core.ruler.at("inline", _parse_read_inlines)
    return parser


def _parse_read_inlines(state: StateCore) -> None:
    """markdown-it's core inline rule, for the inline tokens the scanner reads only."""
    depth = 0
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type == "list_item_open":
            depth += 1
        elif token.type == "list_item_close":
            depth -= 1
        elif token.type == "inline":
            token.children = []
            if _is_read(tokens, index, depth):
                state.md.inline.parse(token.content, state.md, state.env, token.children)


def _is_read(tokens: list[Token], index: int, depth: int) -> bool:
    """Whether `_Scanner` reads this inline token.

    It reads headings, paragraphs outside any list item (`_paragraph`) and a list item's
    first paragraph (`_list_item`).
    """
    opener = tokens[index - 1].type
    if opener == "heading_open":
        return True
    return opener == "paragraph_open" and (depth == 0 or tokens[index - 2].type == "list_item_open")


def parse_readme(data: bytes, source: str = "README") -> ReadmeDocument:
    """Read a README's bytes into a document; raise only when the bytes are not text."""
    text, encoding = decode(data, source)
    return parse_text(text, source, encoding)


def parse_text(
    text: str, source: str = "README", encoding: Encoding | None = None
) -> ReadmeDocument:
    """Read README text into a document."""
    lines = _Lines(text)
    scan = _Scanner(text, lines)
    scan.run(markdown_parser().parse(text))
    root = scan.region()
    domains = _domains_of(root, fallback=scan.title or Path(source).stem or "Curriculum")
    document_items = [
        item for d in domains for each in d.walk() for i in each.items for item in i.walk()
    ]
    return ReadmeDocument(
        source=source,
        text=text,
        encoding=encoding or Encoding(),
        title=scan.title,
        domains=tuple(domains),
        style=_style(text, lines, document_items, scan.conventions),
        conventions=dict(scan.conventions),
    )


class _Lines:
    """Line offsets, split the way markdown-it counts lines (CR, LF or CRLF)."""

    def __init__(self, text: str) -> None:
        self.text = text
        if "\r" in text:
            newlines = list(_NEWLINE.finditer(text))
            self.starts = [0, *(match.end() for match in newlines)]
            self.ends = [*(match.start() for match in newlines), len(text)]
            return
        parts = text.split("\n")  # the common case, a third of the regex's time
        self.starts = list(accumulate((len(part) + 1 for part in parts[:-1]), initial=0))
        self.ends = [start + len(part) for start, part in zip(self.starts, parts, strict=True)]

    def line(self, number: int) -> str:
        return self.text[self.starts[number] : self.ends[number]]

    def last_content_line(self, first: int, end: int) -> int:
        """The last non-blank line in [first, end)."""
        for number in range(min(end, len(self.starts)) - 1, first - 1, -1):
            if self.line(number).strip():
                return number
        return first


@dataclass
class _Node:
    """A heading (or bare-line domain) while scanning, before the region is known."""

    name: str
    level: int
    end: int
    bare: bool = False
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)
    items: list[_ItemBuilder] = field(default_factory=list)
    has_tasks: bool = False

    def ancestors(self) -> list[_Node]:
        chain = []
        node: _Node | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]


@dataclass
class _ItemBuilder:
    """An item whose children are still being read; its key is given once all are known."""

    draft: ReadmeItem
    children: list[_ItemBuilder] = field(default_factory=list)


class _Scanner:
    """One pass over the tokens: headings into a tree, resources attached where they sit."""

    def __init__(self, text: str, lines: _Lines) -> None:
        self.text = text
        self.lines = lines
        self.root = _Node("", 0, 0)
        self.heading = self.root
        self.bare: _Node | None = None
        self.open_items: list[_ItemBuilder | None] = []
        self.quote_depth = 0
        self.title: str | None = None
        self.conventions: Counter[str] = Counter()

    def run(self, tokens: list[Token]) -> None:
        for index, token in enumerate(tokens):
            kind = token.type
            if kind == "list_item_open":
                self.open_items.append(self._list_item(token, tokens, index))
            elif kind == "list_item_close":
                self.open_items.pop()
            elif kind == "heading_open":
                self._heading(token, tokens[index + 1])
            elif kind == "blockquote_open":
                self.quote_depth += 1
            elif kind == "blockquote_close":
                self.quote_depth -= 1
            elif kind == "paragraph_open" and not self.open_items:
                self._paragraph(token, tokens[index + 1])

    def _container(self) -> _Node:
        return self.bare or self.heading

    def _heading(self, token: Token, inline: Token) -> None:
        level = int(token.tag[1])
        name = _TASK.sub("", _plain(inline.children or []), count=1).strip() or "(untitled)"
        if level == 1 and self.title is None:
            self.title = name
        parent = self.heading
        while parent is not self.root and parent.level >= level:
            assert parent.parent is not None  # noqa: S101 (only the root has none)
            parent = parent.parent
        assert token.map is not None  # noqa: S101 (block tokens carry maps)
        node = _Node(name, level, self.lines.ends[token.map[1] - 1], parent=parent)
        parent.children.append(node)
        self.heading, self.bare = node, None

    def _paragraph(self, token: Token, inline: Token) -> None:
        children = [
            c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())
        ]
        assert token.map is not None  # noqa: S101
        line = token.map[0]
        if self.quote_depth == 0 and _is_bare_domain(inline.content, children):
            node = _Node(inline.content.strip(), _BARE_LEVEL, self.lines.ends[line], bare=True)
            node.parent = self.heading
            self.heading.children.append(node)
            self.bare = node
            return
        link = _without_count(children)
        if _is_single_link(link) and token.map[1] - token.map[0] == 1:
            href = link[0].attrGet("href")
            title = _plain(link[1:-1]).strip()
            if title and not _is_anchor(str(href) if href else None):
                self._container().items.append(
                    self._item(
                        title,
                        url=str(href) if href else None,
                        mark_status=Status.TODO,
                        marker=None,
                        line=line,
                        inline=inline,
                        in_list=False,
                    )
                )

    def _list_item(self, token: Token, tokens: list[Token], index: int) -> _ItemBuilder | None:
        if tokens[index + 1].type != "paragraph_open":
            return None
        paragraph, inline = tokens[index + 1], tokens[index + 2]
        assert paragraph.map is not None  # noqa: S101
        assert token.map is not None  # noqa: S101
        line = paragraph.map[0]
        children = inline.children or []
        marker = self._marker(inline.content, line)
        if marker is not None:
            children = _without_marker_text(children, marker.text)
        head = _first_line(children)
        title, url = _title_and_url(head, marker is not None)
        if not title or (marker is None and _is_anchor(url)):
            return None  # a table of contents points at sections; it is not coursework
        mark_status = MARKS[marker.text] if marker is not None else Status.TODO
        struck, text_status = self._title_marks(mark_status, head)
        item = self._item(
            title,
            url=url,
            mark_status=mark_status,
            struck=struck,
            text_status=text_status,
            marker=marker,
            line=line,
            inline=inline,
            in_list=True,
            last_line=self.lines.last_content_line(line, token.map[1]),
        )
        self._attach(item, tasked=marker is not None)
        return item

    def _attach(self, item: _ItemBuilder, *, tasked: bool) -> None:
        for parent in reversed(self.open_items):
            if parent is not None:
                parent.children.append(item)
                break
        else:
            self._container().items.append(item)
        if tasked:
            self._container().has_tasks = True

    def _item(
        self,
        title: str,
        *,
        url: str | None,
        mark_status: Status,
        marker: Marker | None,
        line: int,
        inline: Token,
        in_list: bool,
        last_line: int | None = None,
        struck: bool = False,
        text_status: Status | None = None,
    ) -> _ItemBuilder:
        """An item read from its line: its box's status refined by its title, and its count."""
        line_text = self.lines.line(line)
        prefix = _LINE_PREFIX.match(line_text)
        content_start = self.lines.starts[line] + (prefix.end() if prefix else 0)
        hours = _HOURS.search(inline.content.split("\n", 1)[0])
        if hours:
            self.conventions["hours beside item"] += 1
        tail = line_text[content_start - self.lines.starts[line] :]
        count = _count_at(tail, content_start)
        if count is not None:
            self.conventions["count of parts beside item"] += 1
            if text_status is None and count.parts.done > 0:
                # "[ ] Course (2/5)" is begun, in a file whose boxes cannot say so.
                text_status = Status.IN_PROGRESS
        draft = ReadmeItem(
            key="",
            title=title,
            url=url,
            status=read_status(mark_status, struck=struck, text_status=text_status),
            marker=marker,
            line_start=self.lines.starts[line],
            content_start=content_start,
            end=self.lines.ends[line if last_line is None else last_line],
            prefix=line_text[: content_start - self.lines.starts[line]],
            in_list=in_list,
            description=_description(inline.children or []),
            hours=float(hours.group(1)) if hours else None,
            struck=struck,
            text_status=text_status,
            count=count,
        )
        return _ItemBuilder(draft)

    def _marker(self, content: str, line: int) -> Marker | None:
        if not content.startswith("["):
            return None
        match = _TASK.match(content)
        if match is None:
            return None
        inner = match.group(1)
        line_text = self.lines.line(line)
        bracket = line_text.find("[")
        if bracket < 0 or line_text[bracket + 1 : bracket + 1 + len(inner) + 1] != inner + "]":
            return None
        kind = "checkbox" if inner in _GFM_MARKS else "pseudo-checkbox"
        self.conventions[f"{kind} [{inner}]"] += 1
        return Marker(self.lines.starts[line] + bracket + 1, inner)

    def _title_marks(self, mark_status: Status, head: list[Token]) -> tuple[bool, Status | None]:
        """Whether the title is struck, and the status its emoji or words give, counted."""
        if head and (head[0].type == "s_open" or (len(head) > 1 and head[1].type == "s_open")):
            self.conventions["~~struck~~ title"] += 1
            return True, None
        words = _plain(head)
        for emoji, meaning in _STATUS_EMOJI:
            if emoji in words:
                if mark_status is Status.TODO:
                    self.conventions[f"{emoji} beside title"] += 1
                return False, meaning
        for pattern, meaning in _STATUS_WORDS if "(" in words else ():
            if pattern.search(words):
                if mark_status is Status.TODO:
                    self.conventions["status words beside title"] += 1
                return False, meaning
        return False, None

    def region(self) -> _Node:
        """The smallest heading section that holds every task (the whole file if none)."""
        tasked = [node for node in _walk(self.root) if node.has_tasks]
        if not tasked:
            return self.root
        chains = [[n for n in node.ancestors() if not n.bare] for node in tasked]
        common = self.root
        for depth in range(min(len(chain) for chain in chains)):
            candidates = {id(chain[depth]) for chain in chains}
            if len(candidates) != 1:
                break
            common = chains[0][depth]
        return common


def find_count(text: str) -> re.Match[str] | None:
    """The count of parts that ends `text` (trailing spaces aside), if it is one.

    Strict, so that ordinary text is not misread: the count is the last thing on the line,
    after a space; it is in parentheses or brackets ("(3/5)", "[3 of 5]") or followed by what
    the parts are or that they are done ("3/5 lectures", "3 of 5 done"); at least one part
    in all and no more done than in all; numbers of at most three digits, without leading
    zeros. So "2/3 trees", "the 80/20 rule", "1/4 of capacity", "2017/07", "2019/12/04" and
    "(2019/2020)" are text.
    """
    found = _COUNT.search(text.rstrip())
    if found is None or _BRACKETS[found["open"]] != found["close"]:
        return None
    if not found["open"] and not found["words"].strip():
        return None
    done, total = int(found["done"]), int(found["total"])
    return found if total >= 1 and done <= total else None


def _count_at(text: str, start: int) -> Count | None:
    """The count ending the line of `text` that starts at offset `start`, with its offsets."""
    found = find_count(text)
    if found is None:
        return None
    begin = found.start()
    return Count(
        start=start + begin,
        text=found.group(),
        done_at=(found.start("done") - begin, found.end("done") - begin),
        total_at=(found.start("total") - begin, found.end("total") - begin),
    )


def _is_anchor(url: str | None) -> bool:
    return url is not None and url.startswith("#")


def _walk(node: _Node) -> Iterator[_Node]:
    yield node
    for child in node.children:
        yield from _walk(child)


def _plain(tokens: Sequence[Token]) -> str:
    parts = []
    for token in tokens:
        if token.type in {"text", "code_inline", "html_inline"}:
            parts.append(token.content)
        elif token.type == "image":
            parts.append(_plain(token.children or []))
        elif token.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
    return "".join(parts)


def _without_marker_text(children: list[Token], inner: str) -> list[Token]:
    """The children with the box's text cut from the first; markdown-it's own are untouched."""
    if not children or children[0].type != "text":
        return children
    first = children[0]
    rest = first.content[len(inner) + 2 :]
    return [type(first)("text", "", 0, content=rest), *children[1:]]  # a plain text token


def _first_line(children: list[Token]) -> list[Token]:
    head = []
    for token in children:
        if token.type in {"softbreak", "hardbreak"}:
            break
        head.append(token)
    while head and head[0].type == "text" and not head[0].content.strip():
        head.pop(0)
    return head


def _title_and_url(head: list[Token], tasked: bool) -> tuple[str, str | None]:
    for position, token in enumerate(head):
        if token.type == "link_open":
            closing = position + 1
            while closing < len(head) and head[closing].type != "link_close":
                closing += 1
            text = _plain(head[position + 1 : closing]).strip()
            href = token.attrGet("href")
            if text and (tasked or position == 0):
                return text, str(href) if href else None
            break
    if head and head[0].type == "strong_open":
        closing = next((i for i, t in enumerate(head) if t.type == "strong_close"), len(head))
        if tasked or closing == len(head) - 1:
            return _plain(head[1:closing]).strip(), None
    if tasked:
        return _clean_title(_plain(head)), None
    return "", None


#: What may be left dangling at a title's end once its count or hours are gone: a colon, or
#: a hyphen, en dash or em dash.
_DANGLING = ":-\u2013\u2014"


def _clean_title(title: str) -> str:
    """Drop what a plain title carries beside the name: status emoji, words, counts, hours.

    With them goes the separator left dangling before them ("Book - 7/20 chapters": "Book").
    """
    for emoji, _ in _STATUS_EMOJI:
        title = title.replace(emoji, "")
    for pattern, _ in _STATUS_WORDS:
        title = pattern.sub("", title)
    count = find_count(title)
    if count is not None:
        title = title[: count.start()]
    return _HOURS.sub("", title).strip().rstrip(_DANGLING).strip()


def _description(children: Sequence[Token]) -> str | None:
    after = [
        c for c in _after_first_break(children) if not (c.type == "text" and not c.content.strip())
    ]
    if after and after[0].type == "em_open" and after[-1].type == "em_close":
        return _plain(after[1:-1]).strip() or None
    return None


def _after_first_break(children: Sequence[Token]) -> list[Token]:
    for position, token in enumerate(children):
        if token.type in {"softbreak", "hardbreak"}:
            return list(children[position + 1 :])
    return []


def _without_count(children: list[Token]) -> list[Token]:
    """The tokens without a count of parts that ends them: "[Course](url) (3/5)" is a link."""
    last = children[-1] if children else None
    if last is not None and last.type == "text":
        count = find_count(last.content)
        if count is not None and not last.content[: count.start()].strip():
            return children[:-1]
    return children


def _is_single_link(children: list[Token]) -> bool:
    return (
        bool(children[1:-1])
        and children[0].type == "link_open"
        and children[-1].type == "link_close"
        and not any(c.type == "link_open" for c in children[1:])
    )


def _is_bare_domain(content: str, children: list[Token]) -> bool:
    words = content.split()
    return (
        len(children) == 1
        and children[0].type == "text"
        and "\n" not in content.strip()
        and 1 <= len(words) <= _MAX_DOMAIN_WORDS
        and content.strip()[0].isupper()
        and _BARE_DOMAIN.fullmatch(content.strip()) is not None
    )


def _domains_of(root: _Node, fallback: str) -> list[ReadmeDomain]:
    """Turn the region's headings into domains, hoisting bare-line domains to the top."""
    top: list[_Node] = []
    for child in root.children:
        top.append(child)
        top += [n for n in _walk(child) if n.bare and n is not child]
    keys: Counter[str] = Counter()
    domains = [_domain(node, keys) for node in top]
    kept = [d for d, node in zip(domains, top, strict=True) if node.bare or _has_items(d)]
    if root.items:
        name = root.name or fallback
        kept.insert(0, ReadmeDomain(name, root.end, tuple(_freeze(i, keys) for i in root.items)))
    return kept


def _domain(node: _Node, keys: Counter[str]) -> ReadmeDomain:
    items = tuple(_freeze(item, keys) for item in node.items)
    subs = [_domain(child, keys) for child in node.children if not child.bare]
    return ReadmeDomain(
        name=node.name,
        end=node.end,
        items=items,
        domains=tuple(sub for sub in subs if _has_items(sub)),
    )


def _has_items(domain: ReadmeDomain) -> bool:
    return bool(domain.items) or any(_has_items(sub) for sub in domain.domains)


def _freeze(item: _ItemBuilder, keys: Counter[str]) -> ReadmeItem:
    base = item_key(item.draft.title, item.draft.url)
    keys[base] += 1
    key = base if keys[base] == 1 else f"{base}#{keys[base]}"
    frozen = item.draft
    # The draft is the builder's alone and not yet seen by anyone: its two late fields are
    # filled in place, as `__post_init__` would, rather than copying every item once more.
    object.__setattr__(frozen, "key", key)
    object.__setattr__(frozen, "children", tuple(_freeze(child, keys) for child in item.children))
    return frozen


def _style(text: str, lines: _Lines, items: list[ReadmeItem], conventions: Counter[str]) -> Style:
    # Only a visible done marker is copied: "" is a to-do box (`[]`) and, being a substring of
    # every string, once passed for a done mark, so ticks were written as `[]`.
    done, partial, todo = (_most_common_mark(items, status) for status in _MARK_KINDS)
    del lines, conventions
    return Style(
        newline=_newline(text),
        done_mark=done or "x",
        partial_mark=partial,
        todo_mark=todo if todo is not None else " ",
        has_tasks=any(item.marker is not None for item in items),
        count_form=next((i.count.form() for i in items if i.count is not None), COUNT_FORM),
    )


_MARK_KINDS = (Status.DONE, Status.IN_PROGRESS, Status.TODO)


def _newline(text: str) -> str:
    """The file's most common line ending; on a tie, the one met first."""
    crlf = text.count("\r\n")
    counts = {"\r\n": crlf, "\n": text.count("\n") - crlf, "\r": text.count("\r") - crlf}
    most = max(counts.values())
    tied = [ending for ending, count in counts.items() if count == most]
    if most == 0:
        return "\n"
    if len(tied) == 1:
        return tied[0]
    return Counter(match.group() for match in _NEWLINE.finditer(text)).most_common(1)[0][0]


def _most_common_mark(items: list[ReadmeItem], status: Status) -> str | None:
    """The file's own marker for a status, if it uses one."""
    marks = Counter(
        item.marker.text for item in items if item.marker and MARKS[item.marker.text] is status
    )
    return marks.most_common(1)[0][0] if marks else None
