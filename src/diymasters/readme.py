"""README round trip: read a curriculum from a learner's Markdown, write progress back.

The learner's README is their public record, so this module never regenerates it. A parsed
`ReadmeDocument` keeps the decoded text exactly as it was and knows where each resource's
checkbox marker sits (by character offset, from markdown-it-py's source line maps). Writing
progress back replaces only the markers whose status changed, in the file's own style; a new
resource is a new line in the style of its neighbours. Everything else is the user's bytes.

What counts as a resource, and where the curriculum is:

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
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from markdown_it import MarkdownIt
from rapidfuzz import fuzz

from diymasters.files import Encoding, decode, read_bytes
from diymasters.model import (
    AddResource,
    ArchiveResource,
    Change,
    Curriculum,
    DiyMastersError,
    Domain,
    EditResource,
    ItemKey,
    Kind,
    LinkedItem,
    LinkItem,
    MoveResource,
    NewDomain,
    ReadmeLink,
    Resource,
    SetStatus,
    Status,
    stored_id,
)

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator, Mapping, Sequence

    from markdown_it.token import Token


# --- The parsed document --------------------------------------------------------------------

#: What a checkbox's inner text means. Unknown inner text is not a checkbox.
MARKS: dict[str, Status] = {
    " ": Status.TODO,
    "": Status.TODO,
    "x": Status.DONE,
    "X": Status.DONE,
    "✔️": Status.DONE,
    "✔": Status.DONE,
    "✓": Status.DONE,
    "✅": Status.DONE,
    "-": Status.IN_PROGRESS,
    "~": Status.IN_PROGRESS,
    "/": Status.IN_PROGRESS,
    ".": Status.IN_PROGRESS,
    "🚧": Status.IN_PROGRESS,
    "⏳": Status.IN_PROGRESS,
}
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
#: Bare-line domains sit below every heading level while scanning.
_BARE_LEVEL = 99
#: A plain line of at most this many words can name a domain ("Reinforcement Learning").
_MAX_DOMAIN_WORDS = 5
_BARE_DOMAIN = re.compile(r"[^\W\d_][\w+#&/' -]{0,40}")


@dataclass(frozen=True)
class Marker:
    """A checkbox's inner text and where it sits in the document's text."""

    start: int
    text: str

    @property
    def end(self) -> int:
        """Offset just past the inner text."""
        return self.start + len(self.text)


@dataclass(frozen=True)
class ReadmeItem:
    """A resource as written in the README."""

    key: str
    title: str
    url: str | None
    status: Status
    marker: Marker | None
    #: Where the item's first line starts and where its text (after the bullet) begins.
    line_start: int
    content_start: int
    #: The offset at the end of the item's last line (before its line ending).
    end: int
    #: The item's first line up to its text: indentation, quote marks, bullet and spacing.
    prefix: str
    in_list: bool
    description: str | None = None
    hours: float | None = None
    children: tuple[ReadmeItem, ...] = ()
    #: Whether the title is ~~struck~~ (dropped, unless the box says done).
    struck: bool = False
    #: The status an emoji or words beside the title give ("🚧", "(done)"), if any.
    text_status: Status | None = None

    def reads_as(self, mark: str) -> Status:
        """The status this item would read as with `mark` in its box, its title unchanged."""
        return _read_status(MARKS[mark], struck=self.struck, text_status=self.text_status)

    def walk(self) -> Iterator[ReadmeItem]:
        """Yield this item and every descendant."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class ReadmeDomain:
    """A heading (or a bare line such as "Statistics") and what is under it."""

    name: str
    #: The offset at the end of the domain's own line.
    end: int
    items: tuple[ReadmeItem, ...] = ()
    domains: tuple[ReadmeDomain, ...] = ()

    def walk(self) -> Iterator[ReadmeDomain]:
        """Yield this domain and its sub-domains."""
        yield self
        for sub in self.domains:
            yield from sub.walk()


@dataclass(frozen=True)
class Style:
    """The file's own conventions, used for every byte we write into it."""

    newline: str = "\n"
    done_mark: str = "x"
    #: The file's in-progress marker, if it has one; GFM alone has none.
    partial_mark: str | None = None
    #: The file's to-do marker: `[ ]`, or `[]` in some READMEs.
    todo_mark: str = " "
    has_tasks: bool = False

    def mark(self, status: Status, current: str, reads_as: Status | None = None) -> str:
        """The inner marker for a status, keeping the current one when it already fits.

        `reads_as` is what the item reads as in the file (a `[ ]` beside 🚧 reads in
        progress): a status it already shows needs no new marker.
        """
        if MARKS.get(current) is status or reads_as is status:
            return current
        if status is Status.DONE:
            return self.done_mark
        if status is Status.IN_PROGRESS and self.partial_mark is not None:
            return self.partial_mark
        if MARKS.get(current) is Status.TODO:
            return current  # dropped or unmarked progress keeps the box as the file wrote it
        return self.todo_mark


@dataclass(frozen=True)
class ReadmeDocument:
    """A README as read: its exact text, its curriculum, and its conventions."""

    source: str
    text: str
    encoding: Encoding
    title: str | None
    domains: tuple[ReadmeDomain, ...]
    style: Style
    #: How often each convention appears (see `conventions`).
    conventions: Mapping[str, int]

    def items(self) -> Iterator[ReadmeItem]:
        """Every resource item, in reading order."""
        for domain in self.domains:
            for each in domain.walk():
                for item in each.items:
                    yield from item.walk()

    def all_domains(self) -> Iterator[ReadmeDomain]:
        """Every domain and sub-domain, in reading order."""
        for domain in self.domains:
            yield from domain.walk()

    def render(self, statuses: Mapping[str, Status] | None = None) -> bytes:
        """Bytes of the file with the given items' markers set; identity when none change."""
        return self.encoding.encode(self.edited(statuses or {}))

    def edited(
        self, statuses: Mapping[str, Status], insertions: Sequence[tuple[int, str]] = ()
    ) -> str:
        """The text with markers set and new text inserted at offsets, nothing else moved."""
        edits = [
            (
                item.marker.start,
                item.marker.end,
                self.style.mark(statuses[item.key], item.marker.text, item.status),
            )
            for item in self.items()
            if item.marker is not None and item.key in statuses
        ]
        edits += [(offset, offset, text) for offset, text in insertions]
        return _apply_edits(self.text, edits)


def _apply_edits(text: str, edits: list[tuple[int, int, str]]) -> str:
    pieces = []
    position = 0
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
        pieces += [text[position:start], replacement]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


# --- Parsing --------------------------------------------------------------------------------


@functools.cache
def markdown_parser() -> MarkdownIt:
    """CommonMark with GFM tables and strikethrough, built once: parsing does not mutate it."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


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
        self.starts = [0]
        self.ends = []
        for match in _NEWLINE.finditer(text):
            self.ends.append(match.start())
            self.starts.append(match.end())
        self.ends.append(len(text))
        self.text = text

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
            if token.type == "heading_open":
                self._heading(token, tokens[index + 1])
            elif token.type == "list_item_open":
                self.open_items.append(self._list_item(token, tokens, index))
            elif token.type == "list_item_close":
                self.open_items.pop()
            elif token.type == "blockquote_open":
                self.quote_depth += 1
            elif token.type == "blockquote_close":
                self.quote_depth -= 1
            elif token.type == "paragraph_open" and not self.open_items:
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
        if _is_single_link(children) and token.map[1] - token.map[0] == 1:
            href = children[0].attrGet("href")
            title = _plain(children[1:-1]).strip()
            if title and not _is_anchor(str(href) if href else None):
                self._container().items.append(
                    self._item(
                        title,
                        url=str(href) if href else None,
                        status=Status.TODO,
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
        children = list(inline.children or [])
        marker = self._marker(inline.content, line)
        if marker is not None:
            _strip_marker_text(children, marker.text)
        head = _first_line(children)
        title, url = _title_and_url(head, marker is not None)
        if not title or (marker is None and _is_anchor(url)):
            return None  # a table of contents points at sections; it is not coursework
        mark_status = MARKS[marker.text] if marker is not None else Status.TODO
        struck, text_status = self._title_marks(mark_status, head)
        item = self._item(
            title,
            url=url,
            status=_read_status(mark_status, struck=struck, text_status=text_status),
            marker=marker,
            line=line,
            inline=inline,
            in_list=True,
            last_line=self.lines.last_content_line(line, token.map[1]),
        )
        item.draft = replace(item.draft, struck=struck, text_status=text_status)
        self._attach(item, tasked=marker is not None)
        return item

    def _attach(self, item: _ItemBuilder, *, tasked: bool) -> None:
        parent = next((open_item for open_item in reversed(self.open_items) if open_item), None)
        if parent is not None:
            parent.children.append(item)
        else:
            self._container().items.append(item)
        if tasked:
            self._container().has_tasks = True

    def _item(
        self,
        title: str,
        *,
        url: str | None,
        status: Status,
        marker: Marker | None,
        line: int,
        inline: Token,
        in_list: bool,
        last_line: int | None = None,
    ) -> _ItemBuilder:
        line_text = self.lines.line(line)
        prefix = _LINE_PREFIX.match(line_text)
        content_start = self.lines.starts[line] + (prefix.end() if prefix else 0)
        hours = _HOURS.search(inline.content.split("\n", 1)[0])
        if hours:
            self.conventions["hours beside item"] += 1
        draft = ReadmeItem(
            key="",
            title=title,
            url=url,
            status=status,
            marker=marker,
            line_start=self.lines.starts[line],
            content_start=content_start,
            end=self.lines.ends[line if last_line is None else last_line],
            prefix=line_text[: content_start - self.lines.starts[line]],
            in_list=in_list,
            description=_description(inline.children or []),
            hours=float(hours.group(1)) if hours else None,
        )
        return _ItemBuilder(draft)

    def _marker(self, content: str, line: int) -> Marker | None:
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
        if any(token.type == "s_open" for token in head[:2]):
            self.conventions["~~struck~~ title"] += 1
            return True, None
        words = _plain(head)
        for emoji, meaning in _STATUS_EMOJI:
            if emoji in words:
                if mark_status is Status.TODO:
                    self.conventions[f"{emoji} beside title"] += 1
                return False, meaning
        for pattern, meaning in _STATUS_WORDS:
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


def _read_status(mark_status: Status, *, struck: bool, text_status: Status | None) -> Status:
    """A box's status refined by its title: struck reads dropped, an empty box reads its words."""
    if struck:
        return Status.DROPPED if mark_status is not Status.DONE else mark_status
    if mark_status is not Status.TODO:
        return mark_status
    return text_status or mark_status


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


def _strip_marker_text(children: list[Token], inner: str) -> None:
    if children and children[0].type == "text":
        first = children[0]
        rest = first.content[len(inner) + 2 :]
        children[0] = first.copy(content=rest)


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
            closing = next(
                (i for i in range(position + 1, len(head)) if head[i].type == "link_close"),
                len(head),
            )
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


def _clean_title(title: str) -> str:
    """Drop what a plain title carries beside the name: status emoji, words and hours."""
    for emoji, _ in _STATUS_EMOJI:
        title = title.replace(emoji, "")
    for pattern, _ in _STATUS_WORDS:
        title = pattern.sub("", title)
    return _HOURS.sub("", title).strip().rstrip(":").strip()


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


def item_key(title: str, url: str | None) -> str:
    """How an item is recognised across edits: its title and link, not its position."""
    return " ".join(title.casefold().split()) + "|" + (url or "")


def _freeze(item: _ItemBuilder, keys: Counter[str]) -> ReadmeItem:
    base = item_key(item.draft.title, item.draft.url)
    keys[base] += 1
    key = base if keys[base] == 1 else f"{base}#{keys[base]}"
    children = tuple(_freeze(child, keys) for child in item.children)
    return replace(item.draft, key=key, children=children)


def _style(text: str, lines: _Lines, items: list[ReadmeItem], conventions: Counter[str]) -> Style:
    endings = Counter(match.group() for match in _NEWLINE.finditer(text))
    # Only a visible done marker is copied: "" is a to-do box (`[]`) and, being a substring of
    # every string, once passed for a done mark, so ticks were written as `[]`.
    done, partial, todo = (_most_common_mark(items, status) for status in _MARK_KINDS)
    del lines, conventions
    return Style(
        newline=endings.most_common(1)[0][0] if endings else "\n",
        done_mark=done or "x",
        partial_mark=partial,
        todo_mark=todo if todo is not None else " ",
        has_tasks=any(item.marker is not None for item in items),
    )


_MARK_KINDS = (Status.DONE, Status.IN_PROGRESS, Status.TODO)


def _most_common_mark(items: list[ReadmeItem], status: Status) -> str | None:
    """The file's own marker for a status, if it uses one."""
    marks = Counter(
        item.marker.text for item in items if item.marker and MARKS[item.marker.text] is status
    )
    return marks.most_common(1)[0][0] if marks else None


# --- From the document to the curriculum, and back ------------------------------------------


def to_curriculum(
    document: ReadmeDocument, name: str | None = None
) -> tuple[Curriculum, list[str]]:
    """The curriculum a README describes, with each resource's item key in reading order."""
    keys: list[str] = []
    domains = tuple(_to_domain(domain, keys) for domain in document.domains)
    title = name or document.title or Path(document.source).stem
    return Curriculum(name=title, domains=domains), keys


def _to_domain(domain: ReadmeDomain, keys: list[str]) -> Domain:
    resources = tuple(_to_resource(item, keys) for item in domain.items)
    return Domain(
        name=domain.name,
        resources=resources,
        domains=tuple(_to_domain(sub, keys) for sub in domain.domains),
    )


def _to_resource(
    item: ReadmeItem, keys: list[str], skip: Mapping[str, object] | None = None
) -> Resource:
    """The item as a resource, leaving out the descendants whose keys are in `skip`."""
    keys.append(item.key)
    children = tuple(
        _to_resource(child, keys, skip)
        for child in item.children
        if skip is None or child.key not in skip
    )
    return Resource(
        title=item.title,
        url=item.url,
        kind=Kind.SPECIALISATION if children else Kind.COURSE,
        status=item.status,
        description=item.description,
        estimated_hours=item.hours,
        children=children,
    )


def check(data: bytes, source: str = "README") -> dict[str, object]:
    """Parse, render back from the parsed model, and compare bytes."""
    document = parse_readme(data, source)
    items = list(document.items())
    return {
        "identical": document.render({i.key: i.status for i in items}) == data,
        "bytes": len(data),
        "domains": sum(1 for _ in document.all_domains()),
        "resources": len(items),
        "checkboxes": sum(1 for item in items if item.marker is not None),
        "encoding": document.encoding.codec + ("+bom" if document.encoding.bom else ""),
        "newline": {"\n": "LF", "\r\n": "CRLF", "\r": "CR"}[document.style.newline],
        "conventions": dict(document.conventions),
    }


def check_file(path: Path) -> dict[str, object]:
    """`check` on a file on disk."""
    return check(read_bytes(path), str(path))


def new_item_text(
    document: ReadmeDocument,
    resource: Resource,
    *,
    domain: ReadmeDomain | None = None,
    parent: ReadmeItem | None = None,
) -> tuple[int, str]:
    """Where and what to insert for a resource added in the app, in the file's own style.

    It goes after the last item of its parent or domain, copying that item's indentation,
    bullet and checkbox; into an empty domain, after the heading with a blank line.
    """
    newline = document.style.newline
    if parent is not None:
        sibling = parent.children[-1] if parent.children else None
        prefix = sibling.prefix if sibling else _child_prefix(parent.prefix)
        lines = _item_lines(document, prefix, resource, sibling or parent)
        return _last_end(parent), newline + newline.join(lines)
    assert domain is not None  # noqa: S101 (one of the two is always given)
    if domain.items:
        last = domain.items[-1]
        lines = _item_lines(document, last.prefix, resource, last)
        return _last_end(last), newline + newline.join(lines)
    example = next((item for item in document.items() if item.in_list), None)
    prefix = f"{_bullet(example.prefix)} " if example else "- "
    lines = _item_lines(document, prefix, resource, example)
    return domain.end, newline + newline + newline.join(lines)


def checkbox_text(document: ReadmeDocument, item: ReadmeItem, status: Status) -> tuple[int, str]:
    """Where and what to insert to give a box-less item a checkbox, on the user's request."""
    mark = document.style.mark(status, " ")
    if item.in_list:
        return item.content_start, f"[{mark}] "
    return item.content_start, f"- [{mark}] "


def _last_end(item: ReadmeItem) -> int:
    return max(each.end for each in item.walk())


_BULLET_CHAR = re.compile(r"[-*+](?=[ \t]|$)")


def _bullet(prefix: str) -> str:
    found = _BULLET_CHAR.search(prefix)
    return found.group() if found else "-"


def _child_prefix(prefix: str) -> str:
    """A child's line starts where the parent's text starts, with the parent's bullet."""
    indent = "".join(ch if ch in "\t>" else " " for ch in prefix)
    return f"{indent}{_bullet(prefix)} "


def _item_lines(
    document: ReadmeDocument, prefix: str, resource: Resource, example: ReadmeItem | None
) -> list[str]:
    lines = [_item_line(document, prefix, resource, example)]
    for child in resource.children:
        lines += _item_lines(document, _child_prefix(prefix), child, example)
    return lines


def _item_line(
    document: ReadmeDocument, prefix: str, resource: Resource, example: ReadmeItem | None
) -> str:
    if not prefix.strip():
        prefix += "- "
    title = resource.title.replace("[", "\\[").replace("]", "\\]")
    body = f"[{title}]({resource.url})" if resource.url else title
    if not document.style.has_tasks:
        return prefix + body
    current = example.marker.text if example and example.marker else " "
    return f"{prefix}[{document.style.mark(resource.status, current)}] {body}"


# --- Sync: a three-way merge of the file, the store, and what we last saw -----------------


class ReadmeConflictError(DiyMastersError):
    """An item changed in the README and in diymasters since the last sync."""

    def __init__(self, conflicts: Sequence[str]) -> None:
        """List the items so the user can settle them in one place."""
        self.conflicts = tuple(conflicts)
        super().__init__(
            "changed in both the README and diymasters since the last sync: "
            + "; ".join(conflicts)
            + " (set the status you want with diymasters, or edit the README, then sync)"
        )


@dataclass
class SyncPlan:
    """What a sync will do: edits to the file, changes to the store, and what it noticed."""

    statuses: dict[str, Status] = field(default_factory=dict)
    insertions: list[tuple[int, str]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    #: Resources added in diymasters that the sync writes into the file.
    inserted: list[Resource] = field(default_factory=list)
    to_file: list[str] = field(default_factory=list)
    from_file: list[str] = field(default_factory=list)
    added_from_file: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Resources whose items left the file: archived, no longer counted in progress.
    archived: list[str] = field(default_factory=list)
    #: Sections new in the file that become domains.
    added_domains: list[str] = field(default_factory=list)
    #: Each linked resource's item key as the file now has it.
    keys: dict[int, str] = field(default_factory=dict)
    #: How many resources the items added from the file make, their parts included.
    added_resources: int = 0
    #: Resources in diymasters that the file has no section for, so a sync cannot write.
    unwritten: list[str] = field(default_factory=list)


def plan_sync(
    document: ReadmeDocument,
    curriculum: Curriculum,
    link: ReadmeLink,
    today: dt.date,
    *,
    add_checkboxes: bool = False,
) -> SyncPlan:
    """Decide a sync, in which the user's text wins.

    Only markers of resources changed in the app are rewritten, edits made in the file flow
    into the store, and an item changed on both sides is a conflict.
    """
    planner = _Planner(document, curriculum, link, today, add_checkboxes=add_checkboxes)
    planner.merge_linked()
    planner.insert_new_in_app()
    planner.add_new_in_file()
    planner.follow_structure()
    return planner.finish()


class _Planner:
    def __init__(
        self,
        document: ReadmeDocument,
        curriculum: Curriculum,
        link: ReadmeLink,
        today: dt.date,
        *,
        add_checkboxes: bool,
    ) -> None:
        self.document = document
        self.curriculum = curriculum
        self.link = link
        self.today = today
        self.add_checkboxes = add_checkboxes
        self.plan = SyncPlan()
        self.items = {item.key: item for item in document.items()}
        self.readme_paths = _domain_paths(document.domains)
        self.stored_paths = _domain_paths(curriculum.domains)
        self.readme_parents = {
            id(sub): parent for parent in document.all_domains() for sub in parent.domains
        }
        #: The stored domain of each stored resource, where an item's new children go.
        self.homes = {
            resource.id: domain.id
            for domain in curriculum.all_domains()
            if domain.id is not None
            for top in domain.resources
            for resource in top.walk()
            if resource.id is not None
        }
        self.domain_names = {d.id: d.name.casefold() for d in curriculum.all_domains()}
        #: Each stored resource's parent resource (None at the top of its domain).
        self.parents: dict[int, int | None] = {}
        for domain in curriculum.all_domains():
            for top in domain.resources:
                self._note_parents(top, None)
        #: Each item's parent item in the file, and the section it is in.
        self.item_parents: dict[str, ReadmeItem] = {}
        self.item_domains: dict[str, ReadmeDomain] = {}
        for readme_domain in document.all_domains():
            for item in readme_domain.items:
                self._note_item(item, readme_domain)
        #: Which item each linked resource is now; a linked resource without one has left.
        self.keys_by_id = self._match_links()
        self.ids_by_key = {key: rid for rid, key in self.keys_by_id.items()}
        #: Changes that must follow the additions: moves in the file's order (a parent is in
        #: its place before a child moves under it), then archiving (which takes what is
        #: still under a resource with it).
        self.moves: list[tuple[int, MoveResource]] = []
        self.archives: list[ArchiveResource] = []

    def _match_links(self) -> dict[int, str]:
        """Each linked resource's item, re-matched where items share a title and link.

        Keys number such items in reading order (`title|url#2`), so deleting the first of
        two "Exercises" would hand the second's key, and its hours, to the first. Within a
        family of same-titled items, resources are paired with items in their own section
        first, then in order.
        """
        families: dict[str, list[ReadmeItem]] = {}
        for item in self.items.values():
            families.setdefault(item_key(item.title, item.url), []).append(item)
        claims: dict[str, list[int]] = {}
        for rid, linked in self.link.items.items():
            family = _family(linked.key, self.items, families)
            if family is not None:
                claims.setdefault(family, []).append(rid)
        matched: dict[int, str] = {}
        for family, rids in claims.items():
            matched.update(self._pair(rids, families[family]))
        self._match_renamed(matched)
        return matched

    def _match_renamed(self, matched: dict[int, str]) -> None:
        """Pair a resource whose item is gone with a new item that is the same one edited.

        A link added to a title, a title reworded, "Title: URL" made a Markdown link: the
        item is the learner's, with its hours and notes, not a new one beside an archived
        one. The same link, then the same title in the same section, then (one to one) a
        title at least `RENAMED_SIMILARITY` alike in the same section, says so.
        """
        claimed = set(matched.values())
        fresh = [item for item in self.items.values() if item.key not in claimed]
        resources = {r.id: r for r in self.curriculum.all_resources() if r.id is not None}
        lost = [rid for rid in self.link.items if rid not in matched and rid in resources]
        for rule in (_same_link, _same_title, _similar_title):
            for rid in list(lost):
                resource, section = resources[rid], self._section_of(rid)
                found = [i for i in fresh if rule(resource, section, i, self.item_domains)]
                rivals = [
                    other
                    for other in lost
                    if found
                    and rule(resources[other], self._section_of(other), found[0], self.item_domains)
                ]
                if len(found) != 1 or len(rivals) != 1:
                    continue
                item = found[0]
                matched[rid] = item.key
                fresh.remove(item)
                lost.remove(rid)
                self._record_rename(resource, item)

    def _record_rename(self, resource: Resource, item: ReadmeItem) -> None:
        title = item.title if item.title != resource.title else None
        url = item.url if item.url != resource.url else None
        if title is not None or url is not None:
            self.plan.changes.append(EditResource(stored_id(resource), title=title, url=url))
            self.plan.notes.append(
                f"{resource.title!r} was edited in the README; it keeps its hours and notes"
            )

    def _pair(self, rids: list[int], items: list[ReadmeItem]) -> dict[int, str]:
        if len(rids) == 1 and len(items) == 1:
            return {rids[0]: items[0].key}
        rids = sorted(rids, key=lambda rid: _key_number(self.link.items[rid].key))
        free = list(items)
        pairs: dict[int, str] = {}
        for same_section in (True, False):
            for rid in [r for r in rids if r not in pairs]:
                section = self._section_of(rid)
                found = next(
                    (
                        item
                        for item in free
                        if not same_section
                        or self.item_domains[item.key].name.casefold() == section
                    ),
                    None,
                )
                if found is not None:
                    pairs[rid] = found.key
                    free.remove(found)
        return pairs

    def _section_of(self, rid: int) -> str:
        return self.domain_names.get(self.homes.get(rid), "")

    def _readme_domain(self, domain: Domain) -> ReadmeDomain | None:
        """The file's section for a stored domain: same path of names, else same name."""
        return self.readme_paths.find(self.stored_paths.path_of(domain))

    def _stored_domain(self, readme_domain: ReadmeDomain) -> Domain | None:
        return self.stored_paths.find(self.readme_paths.path_of(readme_domain))

    def _note_parents(self, resource: Resource, parent: int | None) -> None:
        if resource.id is not None:
            self.parents[resource.id] = parent
        for child in resource.children:
            self._note_parents(child, resource.id)

    def _note_item(self, item: ReadmeItem, readme_domain: ReadmeDomain) -> None:
        self.item_domains[item.key] = readme_domain
        for child in item.children:
            self.item_parents[child.key] = item
            self._note_item(child, readme_domain)

    def finish(self) -> SyncPlan:
        """The plan, its changes in an order the store can apply them in."""
        self.moves.sort(key=lambda placed: placed[0])
        self.plan.changes += [*(move for _, move in self.moves), *self.archives]
        self.plan.keys = dict(self.keys_by_id)
        return self.plan

    # Items both sides know.

    def merge_linked(self) -> None:
        for domain in self.curriculum.all_domains():
            for resource in domain.resources:
                self._merge_subtree(resource)

    def _merge_subtree(self, resource: Resource, *, under_archived: bool = False) -> None:
        linked = self.link.items.get(resource.id or -1)
        key = self.keys_by_id.get(resource.id or -1)
        item = self.items.get(key) if key is not None else None
        gone = linked is not None and item is None
        if gone and not under_archived:
            self._archive(resource)
        if linked is not None and item is not None:
            self._merge(resource, item, linked.base)
        # A part still in the file moves out (follow_structure), so what is under it does
        # not go with an archived ancestor.
        stays = gone or (under_archived and linked is None)
        for child in resource.children:
            self._merge_subtree(child, under_archived=stays)

    def _archive(self, resource: Resource) -> None:
        """Its history stays in the store, outside progress, until restored or deleted.

        What is under it goes with it, except the parts still in the file: those move to
        where the file has them now.
        """
        self.archives.append(ArchiveResource(stored_id(resource), self.today))
        self.plan.archived.append(resource.title)

    def _merge(self, resource: Resource, item: ReadmeItem, base: Status) -> None:
        in_file, in_app = item.status, resource.status
        if in_file == base:
            if in_app != base:
                self._write(resource, item)
            return
        if in_app == in_file:
            return
        shown = self._shown(in_app, item, base)
        if shown == in_file and in_app != base:
            return  # the file already shows what diymasters holds (say, written before a crash)
        if base in {in_app, shown}:
            # Only the file changed, or diymasters' change is one the file cannot show (in
            # progress where it has no partial box): the file's edit is the learner's word.
            self.plan.changes.append(_status_from_file(resource, in_file, self.today))
            self.plan.from_file.append(resource.title)
            return
        self.plan.conflicts.append(
            f"{resource.title!r} (README: {in_file}, diymasters: {in_app}, was {base})"
        )

    def _shown(self, status: Status, item: ReadmeItem, base: Status) -> Status:
        """What the file would read for the item once a sync wrote `status` into it."""
        if item.marker is None:
            return base  # nothing is written into a line without a box
        mark = self.document.style.mark(status, item.marker.text, item.status)
        return item.status if mark == item.marker.text else item.reads_as(mark)

    def _write(self, resource: Resource, item: ReadmeItem) -> None:
        if item.marker is not None:
            if self._shown(resource.status, item, item.status) != item.status:
                self.plan.statuses[item.key] = resource.status
                self.plan.to_file.append(resource.title)
        elif self.add_checkboxes:
            self.plan.insertions.append(checkbox_text(self.document, item, resource.status))
            self.plan.to_file.append(resource.title)
        else:
            self.plan.notes.append(
                f"{resource.title!r} has no checkbox in the README; "
                "sync --add-checkboxes gives it one"
            )

    # Resources added in diymasters.

    def insert_new_in_app(self) -> None:
        for domain in self.curriculum.all_domains():
            for resource in domain.resources:
                self._insert(resource, None, domain)

    def _insert(self, resource: Resource, parent: ReadmeItem | None, domain: Domain) -> None:
        if resource.id in self.link.items and resource.id not in self.keys_by_id:
            return  # it left the file: archived, with what is under it
        key = self.keys_by_id.get(resource.id or -1) or self._adopt(resource, parent, domain)
        if key is not None:
            for child in resource.children:
                self._insert(child, self.items.get(key), domain)
            return
        target = self._readme_domain(domain)
        if parent is None and target is None:
            self.plan.notes.append(
                f"{resource.title!r} is in {domain.name!r}, which has no heading in the "
                "README; not written"
            )
            self.plan.unwritten.append(resource.title)
            return
        self.plan.insertions.append(
            new_item_text(self.document, resource, domain=target, parent=parent)
        )
        self.plan.inserted.append(resource)
        self.plan.to_file.append(resource.title)

    def _adopt(self, resource: Resource, parent: ReadmeItem | None, domain: Domain) -> str | None:
        """Link an unlinked item that already says what inserting the resource would write.

        A sync killed after renaming the file into place and before the store recorded it
        leaves exactly that; so does the learner typing the same line in both places.
        """
        target = self._readme_domain(domain)
        siblings = parent.children if parent else target.items if target else ()
        item = next(
            (
                each
                for each in siblings
                if each.key not in self.ids_by_key
                and (each.title, each.url) == (resource.title, resource.url)
            ),
            None,
        )
        if item is None or resource.id is None:
            return None
        self.keys_by_id[resource.id], self.ids_by_key[item.key] = item.key, resource.id
        self.plan.changes.append(LinkItem(resource.id, LinkedItem(item.key, item.status)))
        # As if last synced with the line as it is: a status changed in diymasters since
        # (`done` after the crash) is written to the file.
        self._merge(resource, item, item.status)
        return item.key

    # Items added in the file.

    def add_new_in_file(self) -> None:
        for readme_domain in self.document.all_domains():
            for item in readme_domain.items:
                self._add(item, None, readme_domain)

    def _add(self, item: ReadmeItem, parent_id: int | None, readme_domain: ReadmeDomain) -> None:
        if item.key in self.ids_by_key:
            for child in item.children:
                self._add(child, self.ids_by_key[item.key], readme_domain)
            return
        keys: list[str] = []
        resource = _to_resource(item, keys, skip=self.ids_by_key)
        statuses = {each.key: each.status for each in item.walk()}
        links = tuple(LinkedItem(key, statuses[key]) for key in keys)
        domain = self._domain_ref(readme_domain) if parent_id is None else self.homes[parent_id]
        self.plan.changes.append(AddResource(domain, parent_id, resource, links))
        self.plan.added_from_file.append(item.title)
        self.plan.added_resources += len(links)
        # Items already in diymasters that the file now has under this new one move there
        # (see follow_structure); their own new children are added under them.
        for linked in _linked_below(item, self.ids_by_key):
            for child in linked.children:
                self._add(child, self.ids_by_key[linked.key], readme_domain)

    def _domain_ref(self, readme_domain: ReadmeDomain) -> int | NewDomain:
        """The stored domain of that name, else a new one under its section's parent."""
        stored = self._stored_domain(readme_domain)
        if stored is not None and stored.id is not None:
            return stored.id
        if readme_domain.name not in self.plan.added_domains:
            self.plan.added_domains.append(readme_domain.name)
        parent = self.readme_parents.get(id(readme_domain))
        return NewDomain(
            stored_id(self.curriculum),
            None if parent is None else self._domain_ref(parent),
            readme_domain.name,
        )

    # The file's nesting.

    def follow_structure(self) -> None:
        """Put each resource where the file has it, when that changed.

        Under the item the file nests it under, else at the top of the domain of its
        section (matched by the path of section names, see `_readme_domain`).
        """
        for resource in self.curriculum.all_resources():
            key = self.keys_by_id.get(resource.id or -1)
            if key is None or key not in self.items or resource.id is None:
                continue
            file_parent = self.item_parents.get(key)
            stored_parent = self.parents.get(resource.id)
            at = self.items[key].line_start
            if file_parent is None:
                domain = self._domain_ref(self.item_domains[key])
                if stored_parent is not None or domain != self.homes.get(resource.id):
                    self.moves.append((at, MoveResource(resource.id, domain=domain)))
                continue
            parent_id = self.ids_by_key.get(file_parent.key)
            if parent_id is None or parent_id != stored_parent:
                parent: int | ItemKey = (
                    ItemKey(stored_id(self.curriculum), file_parent.key)
                    if parent_id is None
                    else parent_id
                )
                self.moves.append((at, MoveResource(resource.id, parent=parent)))


_NUMBERED_KEY = re.compile(r"(.*)#(\d+)", re.DOTALL)
#: Titles at least this alike (rapidfuzz ratio, 0-100) in one section are one item reworded.
RENAMED_SIMILARITY = 85
_BARE_LINK = re.compile(r"https?://\S+")


def _plain_title(title: str) -> str:
    """A title without a bare link in it, its punctuation at the ends, case or spacing."""
    return " ".join(_BARE_LINK.sub("", title).strip(" :-\u2013\u2014()[]").casefold().split())


def _in_section(section: str, item: ReadmeItem, sections: Mapping[str, ReadmeDomain]) -> bool:
    return sections[item.key].name.casefold() == section


def _same_link(
    resource: Resource, section: str, item: ReadmeItem, sections: Mapping[str, ReadmeDomain]
) -> bool:
    del section, sections
    return resource.url is not None and resource.url.rstrip("/") == (item.url or "").rstrip("/")


def _same_title(
    resource: Resource, section: str, item: ReadmeItem, sections: Mapping[str, ReadmeDomain]
) -> bool:
    return _in_section(section, item, sections) and _plain_title(resource.title) == _plain_title(
        item.title
    )


def _similar_title(
    resource: Resource, section: str, item: ReadmeItem, sections: Mapping[str, ReadmeDomain]
) -> bool:
    similarity = fuzz.ratio(_plain_title(resource.title), _plain_title(item.title))
    return _in_section(section, item, sections) and similarity >= RENAMED_SIMILARITY


def _family(
    key: str, items: Mapping[str, ReadmeItem], families: Mapping[str, list[ReadmeItem]]
) -> str | None:
    """The title-and-link a stored key names, if any item still has it."""
    if key in items:
        item = items[key]
        return item_key(item.title, item.url)
    numbered = _NUMBERED_KEY.fullmatch(key)
    if numbered is not None and numbered.group(1) in families:
        return numbered.group(1)
    return None


def _key_number(key: str) -> int:
    numbered = _NUMBERED_KEY.fullmatch(key)
    return int(numbered.group(2)) if numbered else 1


_D = TypeVar("_D", ReadmeDomain, Domain)


@dataclass(frozen=True)
class _DomainPaths(Generic[_D]):
    """Domains by their path of names from the top, and by name alone."""

    by_path: Mapping[tuple[str, ...], _D]
    by_name: Mapping[str, list[_D]]
    paths: Mapping[int, tuple[str, ...]]

    def path_of(self, domain: ReadmeDomain | Domain) -> tuple[str, ...]:
        return self.paths.get(id(domain), (domain.name.casefold(),))

    def find(self, path: tuple[str, ...]) -> _D | None:
        """The domain at that path of names, else the only one of its name, else None."""
        found = self.by_path.get(path)
        if found is not None:
            return found
        named = self.by_name.get(path[-1], [])
        return named[0] if len(named) == 1 else None


def _domain_paths(top: Sequence[_D]) -> _DomainPaths[_D]:
    by_path: dict[tuple[str, ...], _D] = {}
    by_name: dict[str, list[_D]] = {}
    paths: dict[int, tuple[str, ...]] = {}

    def visit(domain: _D, above: tuple[str, ...]) -> None:
        path = (*above, domain.name.casefold())
        by_path.setdefault(path, domain)
        by_name.setdefault(path[-1], []).append(domain)
        paths[id(domain)] = path
        for sub in domain.domains:
            visit(sub, path)

    for domain in top:
        visit(domain, ())
    return _DomainPaths(by_path, by_name, paths)


def _linked_below(item: ReadmeItem, linked: Mapping[str, int]) -> Iterator[ReadmeItem]:
    """The nearest descendants of an item that are already linked to stored resources."""
    for child in item.children:
        if child.key in linked:
            yield child
        else:
            yield from _linked_below(child, linked)


def _status_from_file(resource: Resource, status: Status, today: dt.date) -> SetStatus:
    assert resource.id is not None  # noqa: S101 (linked resources are stored)
    started = None if status is Status.TODO else resource.started
    if status is Status.IN_PROGRESS and started is None:
        started = today
    finished = today if status in {Status.DONE, Status.DROPPED} else None
    return SetStatus(resource.id, status, started, finished)


def link_changes(
    before: ReadmeDocument, after: ReadmeDocument, plan: SyncPlan, link: ReadmeLink
) -> list[Change]:
    """Record, for every linked resource, the status the written file now shows."""
    shown = {item.key: item.status for item in after.items()}
    changes: list[Change] = []
    for resource_id, linked in link.items.items():
        key = plan.keys.get(resource_id)
        if key in shown and (key, shown[key]) != (linked.key, linked.base):
            changes.append(LinkItem(resource_id, LinkedItem(key, shown[key])))
    old_keys = {item.key for item in before.items()}
    fresh = [item for item in after.items() if item.key not in old_keys]
    for resource in plan.inserted:
        for each in resource.walk():
            match = next((i for i in fresh if i.title == each.title and i.url == each.url), None)
            if match is not None and each.id is not None:
                fresh.remove(match)
                changes.append(LinkItem(each.id, LinkedItem(match.key, match.status)))
    return changes
