"""Following a curated README upstream: what the curators changed, merged into your copy.

Three versions take part: the base (the upstream text your copy started from), yours (with
your ticks and edits), and upstream's current text. Lines are compared with checkbox markers
masked, so a tick is never mistaken for an edit; a line changed on one side only takes that
side's text, and a line changed on both sides differently is a conflict. Items are then
recognised across versions by their link (normalised) or else by title within their section,
so an item upstream renamed or moved keeps your tick.
"""

from __future__ import annotations

import difflib
import functools
import re
import subprocess
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit

from rapidfuzz import fuzz

from diymasters import files
from diymasters.catalog import comparable_url
from diymasters.errors import ConflictError, DiyMastersError
from diymasters.model import Status
from diymasters.readme.parse import parse_text
from diymasters.serialise import OMIT_WHEN_NONE

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from diymasters.readme.document import ReadmeDocument, ReadmeDomain, ReadmeItem
    from diymasters.readme.sync import SyncSummary

#: Titles at least this similar (0-100), in the same section, are one item renamed.
RENAME_SIMILARITY = 85
_BARE_URL = re.compile(r"https?://[^\s<>()\[\]]+")
#: A line and its ending: only "\n" (or "\r\n") ends a line in Markdown, unlike str.splitlines.
_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")
#: Stands in for any checkbox's inner text when lines are compared.
_MASK = "\x00"

Take = Literal["mine", "upstream"]


class MergeConflictError(ConflictError):
    """Both sides changed the same lines differently; nothing was written."""

    def __init__(self, conflicts: Sequence[Conflict]) -> None:
        """Name the first conflicts, so the learner can choose a side for each."""
        shown = "; ".join(
            f"line {c.line}: yours {c.mine.strip()!r}, upstream {c.upstream.strip()!r}"
            for c in conflicts[:3]
        )
        more = f" and {len(conflicts) - 3} more" if len(conflicts) > 3 else ""  # noqa: PLR2004
        super().__init__(f"{len(conflicts)} conflict(s): {shown}{more}; nothing was written")


@dataclass(frozen=True)
class Conflict:
    """Lines both sides changed differently."""

    #: First line of the region in your file, from 1.
    line: int
    base: str
    mine: str
    upstream: str


@dataclass(frozen=True)
class Change:
    """One thing the curators changed about an item."""

    kind: Literal["added", "removed", "renamed", "moved", "link", "edited"]
    title: str
    section: str
    before: str | None = None
    after: str | None = None


@dataclass(frozen=True)
class Merge:
    """The merged text and what happened on the way."""

    text: str
    conflicts: tuple[Conflict, ...]
    #: Your ticked (or partial) items that upstream still has as checkboxes, and how many of
    #: them kept their mark.
    marks_on_surviving: int
    marks_kept: int
    #: Titles of your ticked items that upstream kept as plain lines, without a checkbox.
    marks_on_unboxed: tuple[str, ...]
    #: Titles of your ticked items that upstream removed.
    marks_on_removed: tuple[str, ...]
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class FollowReport:
    """The upstream a README now follows, and how far it is ahead of the base."""

    upstream: str
    #: The branch, tag or commit read in a git upstream; None for a plain file.
    ref: str | None
    #: What the base (the version the copy started from) was taken from.
    based_on: str
    #: How many changes upstream made since the base.
    changes: int


@dataclass(frozen=True)
class UpstreamDiff:
    """What the curators changed since the version the README is based on."""

    upstream: str
    ref: str | None
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class MergeReport:
    """What merging upstream into the README did (a dry run: would do)."""

    path: str
    upstream: str
    dry_run: bool
    written: bool
    changes: tuple[Change, ...]
    marks_kept: int
    marks_on_surviving: int
    marks_on_unboxed: tuple[str, ...]
    marks_on_removed: tuple[str, ...]
    #: The unified diff of the README, empty when upstream brings nothing new.
    diff: str
    #: The sync that took the merged file into the curriculum; none in a dry run.
    sync: SyncSummary | None = field(default=None, metadata=OMIT_WHEN_NONE)


# --- Items across versions ------------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    item: ReadmeItem
    section: str
    url: str | None
    title: str
    line: str


@functools.lru_cache(maxsize=8)
def _parsed(text: str) -> ReadmeDocument:
    """A merge reads each of its four texts several ways; parsing each once halves its time."""
    return parse_text(text)


def _items(text: str) -> list[_Item]:
    document = _parsed(text)
    found: list[_Item] = []

    def visit(domain: ReadmeDomain, path: str) -> None:
        here = f"{path} / {domain.name}" if path else domain.name
        for top in domain.items:
            for item in top.walk():
                line_end = text.find("\n", item.line_start)
                line = text[item.line_start : line_end if line_end >= 0 else len(text)]
                url, title = _identity(item)
                found.append(
                    _Item(
                        item=item, section=here, url=url, title=title, line=_masked_line(line, item)
                    )
                )
        for sub in domain.domains:
            visit(sub, here)

    for domain in document.domains:
        visit(domain, "")
    return found


def _link(item: _Item) -> str | None:
    """The link as written: the item's own, or a bare URL in its title."""
    if item.item.url is not None:
        return item.item.url
    bare = _BARE_URL.search(item.item.title)
    return bare.group() if bare else None


def _identity(item: ReadmeItem) -> tuple[str | None, str]:
    """An item's normalised link and title; a bare URL written in the title is its link.

    Lists often start as "Title: https://…" and later become "[Title](https://…)".
    """
    url, title = item.url, item.title
    if url is None:
        bare = _BARE_URL.search(title)
        if bare is not None:
            url = bare.group()
            title = (title[: bare.start()] + title[bare.end() :]).strip(" :-\u2013\u2014()[]")
    return (link_key(url) if url else None), " ".join(title.casefold().split())


#: Query parameters that say where a link was found or where to start, not what it is.
_POSITIONAL = frozenset({"list", "index", "t", "start", "feature", "ref", "source", "si"})


def link_key(url: str) -> str:
    """A link as identity: host and path as the catalog compares them, and the query.

    The query names the thing (YouTube's `v`); tracking and playlist-position parameters
    are left out.
    """
    query = sorted(
        (name, value)
        for name, value in parse_qsl(urlsplit(url.strip()).query)
        if name.casefold() not in _POSITIONAL and not name.casefold().startswith("utm_")
    )
    return comparable_url(url) + ("?" + urlencode(query) if query else "")


def _masked_line(line: str, item: ReadmeItem) -> str:
    marker = item.marker
    if marker is None:
        return line
    start = marker.start - item.line_start
    return line[:start] + _MASK + line[start + len(marker.text) :]


def match_items(before: Sequence[_Item], after: Sequence[_Item]) -> dict[int, int]:
    """Which item of `after` each item of `before` is: by link, then by title and section.

    In order: a link each side uses once; the same line in the same section (one of two
    copies of an item); the same title in the same section; the same title anywhere (a
    move); a similar title in the same section (a rename).
    """
    matched: dict[int, int] = {}
    _match_by_link(before, after, matched)
    _match_by_key(before, after, matched, lambda x: (x.section, x.line.strip()))
    _match_by_key(before, after, matched, lambda x: (x.section, x.title))
    _match_by_key(before, after, matched, lambda x: ("", x.title))
    _match_renamed(before, after, matched)
    return matched


def _match_by_link(
    before: Sequence[_Item], after: Sequence[_Item], matched: dict[int, int]
) -> None:
    uses = Counter(item.url for item in before if item.url)
    where: dict[str, list[int]] = defaultdict(list)
    for j, item in enumerate(after):
        if item.url:
            where[item.url].append(j)
    for i, item in enumerate(before):
        if item.url and uses[item.url] == 1 and len(where[item.url]) == 1:
            matched[i] = where[item.url][0]


def _match_by_key(
    before: Sequence[_Item],
    after: Sequence[_Item],
    matched: dict[int, int],
    key: Callable[[_Item], tuple[str, str]],
) -> None:
    taken = set(matched.values())
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for j, item in enumerate(after):
        if j not in taken and item.title:
            index[key(item)].append(j)
    for i, item in enumerate(before):
        if i in matched:
            continue
        free = [j for j in index.get(key(item), ()) if j not in taken]
        if free:
            matched[i] = free[0]
            taken.add(free[0])


def _match_renamed(
    before: Sequence[_Item], after: Sequence[_Item], matched: dict[int, int]
) -> None:
    taken = set(matched.values())
    by_section: dict[str, list[int]] = defaultdict(list)
    for j, item in enumerate(after):
        if j not in taken:
            by_section[item.section].append(j)
    for i, item in enumerate(before):
        if i in matched:
            continue
        for j in by_section.get(item.section, ()):
            if j not in taken and fuzz.ratio(item.title, after[j].title) >= RENAME_SIMILARITY:
                matched[i] = j
                taken.add(j)
                break


def diff(base: str, upstream: str) -> list[Change]:
    """What the curators changed between the base and upstream's current text."""
    before, after = _items(base), _items(upstream)
    matched = match_items(before, after)
    changes: list[Change] = []
    for i, item in enumerate(before):
        if i not in matched:
            changes.append(Change("removed", item.item.title, item.section))
            continue
        other = after[matched[i]]
        if other.section != item.section:
            changes.append(
                Change("moved", other.item.title, other.section, item.section, other.section)
            )
        if other.title != item.title:
            changes.append(
                Change(
                    "renamed", other.item.title, other.section, item.item.title, other.item.title
                )
            )
        if other.url != item.url:
            changes.append(
                Change("link", other.item.title, other.section, _link(item), _link(other))
            )
        elif other.title == item.title and other.line.strip() != item.line.strip():
            changes.append(Change("edited", other.item.title, other.section, item.line, other.line))
    seen = set(matched.values())
    changes.extend(
        Change("added", item.item.title, item.section)
        for j, item in enumerate(after)
        if j not in seen
    )
    return changes


# --- The three-way merge ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    text: str
    #: The line with its checkbox marker masked, and the marker (None for no checkbox).
    key: str
    marker: tuple[int, str] | None


def _lines(text: str, newline: str | None = None) -> list[_Line]:
    """Lines with their checkbox markers found; with `newline`, in that line-ending style."""
    markers: dict[int, tuple[int, str]] = {}
    for item in _parsed(text).items():
        if item.marker is not None:
            line_start = text.rfind("\n", 0, item.marker.start) + 1
            markers[line_start] = (item.marker.start - line_start, item.marker.text)
    lines: list[_Line] = []
    offset = 0
    for raw in _LINE.findall(text):
        body = raw.rstrip("\r\n")
        ending = raw[len(body) :]
        if newline is not None and ending:
            ending = newline
        marker = markers.get(offset)
        key = body if marker is None else _with_marker(body, marker[0], marker[1], _MASK)
        lines.append(_Line(body + ending, key.rstrip(), marker))
        offset += len(raw)
    return lines


def _with_marker(body: str, at: int, old: str, new: str) -> str:
    return body[:at] + new + body[at + len(old) :]


def _matching(a: Sequence[_Line], b: Sequence[_Line]) -> dict[int, int]:
    matcher = difflib.SequenceMatcher(None, [x.key for x in a], [x.key for x in b], autojunk=False)
    return {i + n: j + n for i, j, size in matcher.get_matching_blocks() for n in range(size)}


def merge(
    base: str,
    mine: str,
    upstream: str,
    take: Take | None = None,
    choices: Mapping[int, Take] | None = None,
) -> Merge:
    """Upstream's changes since the base applied to your text, with your marks kept.

    Lines both sides changed differently keep your text and are reported as conflicts,
    unless `choices` settles the conflict at that line of yours (as reported) or `take`
    settles every one for a side.
    """
    newline = "\r\n" if "\r\n" in mine else "\n"
    lines = (_lines(base, newline), _lines(mine, newline), _lines(upstream, newline))
    merger = _Merger(*lines, take, choices or {})
    marks = _restore_marks(mine, upstream, merger.run())
    return Merge(
        text=marks.text,
        conflicts=tuple(merger.conflicts),
        marks_on_surviving=marks.surviving,
        marks_kept=marks.kept,
        marks_on_unboxed=marks.unboxed,
        marks_on_removed=marks.removed,
        changes=tuple(diff(base, upstream)),
    )


class _Merger:
    """A three-way merge of lines: regions between lines all three share are settled alone."""

    def __init__(
        self,
        base: Sequence[_Line],
        mine: Sequence[_Line],
        upstream: Sequence[_Line],
        take: Take | None,
        choices: Mapping[int, Take],
    ) -> None:
        self.base, self.mine, self.upstream = base, mine, upstream
        self.take, self.choices = take, choices
        self.out: list[str] = []
        self.conflicts: list[Conflict] = []

    def run(self) -> str:
        to_mine, to_upstream = _matching(self.base, self.mine), _matching(self.base, self.upstream)
        i = j = k = 0
        for stable in sorted(set(to_mine) & set(to_upstream)):
            m, u = to_mine[stable], to_upstream[stable]
            if m < j or u < k:
                continue
            self._region((i, stable), (j, m), (k, u))
            self.out.append(_stable_line(self.base[stable], self.mine[m], self.upstream[u]))
            i, j, k = stable + 1, m + 1, u + 1
        self._region((i, len(self.base)), (j, len(self.mine)), (k, len(self.upstream)))
        return "".join(self.out)

    def _region(self, b: tuple[int, int], m: tuple[int, int], u: tuple[int, int]) -> None:
        base, mine, upstream = self.base[slice(*b)], self.mine[slice(*m)], self.upstream[slice(*u)]
        keys = [line.key for line in base]
        mine_keys, upstream_keys = [line.key for line in mine], [line.key for line in upstream]
        if mine_keys == keys and upstream_keys == keys:
            self.out.extend(
                _stable_line(*lines) for lines in zip(base, mine, upstream, strict=True)
            )
        elif mine_keys == keys:
            self.out.extend(line.text for line in upstream)
        elif upstream_keys in (keys, mine_keys):
            self.out.extend(line.text for line in mine)
        elif self.choices.get(m[0] + 1, self.take) == "upstream":
            self.out.extend(line.text for line in upstream)
        else:
            self.out.extend(line.text for line in mine)
            if self.choices.get(m[0] + 1, self.take) is None:
                self.conflicts.append(
                    Conflict(
                        line=m[0] + 1,
                        base="".join(line.text for line in base),
                        mine="".join(line.text for line in mine),
                        upstream="".join(line.text for line in upstream),
                    )
                )


def _stable_line(base: _Line, mine: _Line, upstream: _Line) -> str:
    """Upstream's line (it may differ in spacing at the end) with your checkbox mark."""
    if mine.marker is None or upstream.marker is None or base.marker is None:
        return upstream.text if mine.key == upstream.key else mine.text
    if mine.marker[1] == base.marker[1]:
        return upstream.text
    at, old = upstream.marker
    return _with_marker(upstream.text, at, old, mine.marker[1])


@dataclass(frozen=True)
class _Marks:
    text: str
    kept: int
    surviving: int
    unboxed: tuple[str, ...]
    removed: tuple[str, ...]


def _restore_marks(mine: str, upstream: str, merged: str) -> _Marks:
    """Give every box of the merged text your mark: the curators' ticks are never yours.

    An item of yours keeps its mark wherever upstream moved, renamed or rewrote it; an item
    that is new, or that only upstream has as a checkbox, arrives in your to-do marker.
    """
    yours, theirs, result = _items(mine), _items(upstream), _items(merged)
    in_upstream, in_result = match_items(yours, theirs), match_items(yours, result)
    edits = _mark_edits(yours, result, in_result, _parsed(mine).style.todo_mark)
    for start, end, text in sorted(edits, reverse=True):
        merged = merged[:start] + text + merged[end:]
    marked = [n for n, item in enumerate(yours) if item.item.status is not Status.TODO]
    kept, surviving, unboxed = 0, 0, []
    for n in (n for n in marked if n in in_upstream):
        if theirs[in_upstream[n]].item.marker is None:
            unboxed.append(yours[n].item.title)  # upstream made it a plain line: no box to tick
            continue
        surviving += 1
        target = result[in_result[n]].item if n in in_result else None
        if yours[n].item.marker is not None and target is not None and target.marker is not None:
            kept += 1
    removed = tuple(yours[n].item.title for n in marked if n not in in_upstream)
    return _Marks(merged, kept, surviving, tuple(unboxed), removed)


def _mark_edits(
    yours: Sequence[_Item], result: Sequence[_Item], in_result: Mapping[int, int], todo: str
) -> list[tuple[int, int, str]]:
    yours_at = {r: n for n, r in in_result.items()}
    edits = []
    for r, target in enumerate(result):
        marker = target.item.marker
        if marker is None:
            continue
        own = yours[yours_at[r]].item.marker if r in yours_at else None
        wanted = own.text if own is not None else todo
        if marker.text != wanted:
            edits.append((marker.start, marker.end, wanted))
    return edits


def unticked(text: str) -> str:
    """The text with every checkbox emptied: a template as its curators publish it."""
    edits = [(i.marker.start, i.marker.end) for i in _parsed(text).items() if i.marker]
    for start, end in sorted(edits, reverse=True):
        text = text[:start] + " " + text[end:]
    return text


# --- Where upstream lives ------------------------------------------------------------------


class UpstreamError(DiyMastersError):
    """The upstream file cannot be read: a failure (exit 1), as any unreadable file is."""

    def __init__(self, location: str, why: str) -> None:
        """Say which upstream and why."""
        super().__init__(f"upstream {location}: {why}")


def read_upstream(location: str, ref: str | None = None) -> str:
    """Upstream's text: a file as it is on disk, or, with a ref, as a git clone has it there.

    Nothing is fetched: the learner updates the clone (`git pull`) when they choose to.
    """
    path = Path(location)
    if ref is None:
        try:
            return files.decode(path.read_bytes(), location)[0]
        except OSError as error:
            raise UpstreamError(location, error.strerror or str(error)) from None
    top = _git(path.parent, "rev-parse", "--show-toplevel").strip()
    relative = path.resolve().relative_to(Path(top).resolve()).as_posix()
    return _git(Path(top), "show", f"{ref}:{relative}", location=location)


def _git(folder: Path, *args: str, location: str | None = None) -> str:
    try:
        done = subprocess.run(  # noqa: S603 (git with our own arguments, no shell)
            ["git", "-C", str(folder), *args],  # noqa: S607 (git from the PATH)
            capture_output=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise UpstreamError(location or str(folder), f"git failed: {error}") from None
    if done.returncode != 0:
        why = done.stderr.decode(errors="replace").strip().splitlines()
        raise UpstreamError(location or str(folder), why[-1] if why else "git failed")
    return files.decode(done.stdout, location or str(folder))[0]
