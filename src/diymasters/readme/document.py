"""The README as read: its items, sections, checkbox markers and style, and what they mean.

Parsing, writing back and syncing all speak of the same things (an item and where its box
sits, a section, the file's own markers), so those types live here, below all three, with the
few rules that need nothing else: what a box's inner text means, how an item is recognised
across edits (its key), and what curriculum a document describes. The document keeps the
decoded text exactly as it was, so setting markers splices them into it and moves nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from diymasters.model import Curriculum, Domain, Kind, Resource, Status

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from diymasters.files import Encoding

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
    )
