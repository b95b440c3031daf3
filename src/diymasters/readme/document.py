"""The README as read: its items, sections, checkbox markers and style, and what they mean.

Parsing, writing back and syncing all speak of the same things (an item and where its box
sits, a section, the file's own markers), so those types live here, below all three, with the
few rules that need nothing else: what a box's inner text means, how an item is recognised
across edits (its key), and what curriculum a document describes. The document keeps the
decoded text exactly as it was, so setting markers splices them into it and moves nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from diymasters.model import Curriculum, Domain, Kind, Parts, Resource, Status

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from diymasters.files import Encoding

#: How a count of parts new to a file is written when the file brackets none of its own.
COUNT_FORM = "({}/{})"

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
class Count:
    """Parts done of parts in all as an item writes them ("(3/5)", "3 of 5 lectures"), and where.

    Writing another count back changes only its two numbers, so "(3/5)" stays parenthesised
    with a slash and "3 of 5 lectures" stays in words.
    """

    #: Where the count's text starts in the document's text.
    start: int
    text: str
    #: Where the numbers done and in all sit within `text`, as (start, end).
    done_at: tuple[int, int]
    total_at: tuple[int, int]

    @property
    def parts(self) -> Parts:
        """The parts the count states."""
        return Parts(int(self.text[slice(*self.done_at)]), int(self.text[slice(*self.total_at)]))

    @property
    def end(self) -> int:
        """Offset just past the count's text."""
        return self.start + len(self.text)

    def written(self, parts: Parts) -> str:
        """The count's text stating `parts`, in the same form."""
        (done_start, done_end), (total_start, total_end) = self.done_at, self.total_at
        return (
            f"{self.text[:done_start]}{parts.done}{self.text[done_end:total_start]}"
            f"{parts.total}{self.text[total_end:]}"
        )

    def form(self) -> str:
        """Its brackets and separator without words, for a count new to the file: "[{} of {}]".

        A count without brackets ("3/5 lectures") names its parts, which another item's
        may not be, so a new count then takes `COUNT_FORM`.
        """
        opening = self.text[: self.done_at[0]]
        if not opening:
            return COUNT_FORM
        separator = self.text[self.done_at[1] : self.total_at[0]]
        return f"{opening}{{}}{separator}{{}}{self.text[-1]}"


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
    #: The parts done the item counts at the end of its first line ("(3/5)"), if it does.
    count: Count | None = None

    @property
    def parts(self) -> Parts | None:
        """The parts done of parts in all the item counts, if it counts them."""
        return self.count.parts if self.count is not None else None

    def reads_as(self, mark: str) -> Status:
        """The status this item would read as with `mark` in its box, its title unchanged."""
        return read_status(MARKS[mark], struck=self.struck, text_status=self.text_status)

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
    #: How a count new to the file is written: its first count's brackets and separator.
    count_form: str = COUNT_FORM

    def count(self, parts: Parts) -> str:
        """A count of parts for an item that had none, in the file's own form."""
        return self.count_form.format(parts.done, parts.total)

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

    def render(
        self,
        statuses: Mapping[str, Status] | None = None,
        parts: Mapping[str, Parts] | None = None,
    ) -> bytes:
        """Bytes of the file with items' markers and counts set; identity when none change."""
        return self.encoding.encode(self.edited(statuses or {}, parts=parts or {}))

    def edited(
        self,
        statuses: Mapping[str, Status],
        insertions: Sequence[tuple[int, str]] = (),
        parts: Mapping[str, Parts] | None = None,
    ) -> str:
        """The text with markers and counts set and new text inserted, nothing else moved."""
        edits = [
            (
                item.marker.start,
                item.marker.end,
                self.style.mark(statuses[item.key], item.marker.text, item.status),
            )
            for item in self.items()
            if item.marker is not None and statuses.get(item.key, item.status) is not item.status
        ]
        if parts:
            edits += [
                self._count_edit(item, parts[item.key])
                for item in self.items()
                if item.key in parts
            ]
        edits += [(offset, offset, text) for offset, text in insertions]
        return _apply_edits(self.text, edits)

    def _count_edit(self, item: ReadmeItem, parts: Parts) -> tuple[int, int, str]:
        """Rewrite the item's count, or add one after the text of its first line."""
        if item.count is not None:
            return item.count.start, item.count.end, item.count.written(parts)
        newline = _LINE_END.search(self.text, item.content_start)
        line_end = newline.start() if newline else len(self.text)
        at = item.content_start + len(self.text[item.content_start : line_end].rstrip())
        return at, at, f" {self.style.count(parts)}"


_LINE_END = re.compile(r"[\r\n]")


def _apply_edits(text: str, edits: list[tuple[int, int, str]]) -> str:
    pieces = []
    position = 0
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
        pieces += [text[position:start], replacement]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def read_status(mark_status: Status, *, struck: bool, text_status: Status | None) -> Status:
    """A box's status refined by its title: struck reads dropped, an empty box reads its words."""
    if struck:
        return Status.DROPPED if mark_status is not Status.DONE else mark_status
    if mark_status is not Status.TODO:
        return mark_status
    return text_status or mark_status


def item_key(title: str, url: str | None) -> str:
    """How an item is recognised across edits: its title and link, not its position."""
    return " ".join(title.casefold().split()) + "|" + (url or "")


# --- From the document to the curriculum ----------------------------------------------------


@dataclass(frozen=True)
class ImportReport:
    """A curriculum created from a README, and the file it is linked to."""

    curriculum: str
    #: The README's absolute path.
    path: str
    domains: int
    resources: int
    checkboxes: int
    #: How often each of the file's conventions appears: what a sync will keep writing.
    conventions: Mapping[str, int]
    #: The curriculum in use before the import, which it replaced (None in an empty store).
    previous: str | None


def to_curriculum(
    document: ReadmeDocument, name: str | None = None
) -> tuple[Curriculum, list[str]]:
    """The curriculum a README describes, with each resource's item key in reading order."""
    keys: list[str] = []
    domains = tuple(_to_domain(domain, keys) for domain in document.domains)
    title = name or document.title or Path(document.source).stem
    return Curriculum(name=title, domains=domains), keys


def _to_domain(domain: ReadmeDomain, keys: list[str]) -> Domain:
    resources = tuple(to_resource(item, keys) for item in domain.items)
    return Domain(
        name=domain.name,
        resources=resources,
        domains=tuple(_to_domain(sub, keys) for sub in domain.domains),
    )


def to_resource(
    item: ReadmeItem, keys: list[str], skip: Mapping[str, object] | None = None
) -> Resource:
    """The item as a resource, leaving out the descendants whose keys are in `skip`."""
    keys.append(item.key)
    children = tuple(
        to_resource(child, keys, skip)
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
        parts=item.parts,
    )
