"""The progress block: the README's own summary of progress, between two markers it owns.

It is added only when the learner asks (`readme block add`). From then on each sync rewrites
what lies between the markers and nothing else, so every other byte of the README stays the
learner's. It is a paragraph and a table, never a list: the parser reads list items as
resources, and the block must not become part of the curriculum it summarises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from diymasters.errors import ConflictError, InvalidInputError
from diymasters.tracking import hours_of_estimate, tenths, whole_percent

if TYPE_CHECKING:
    import datetime as dt

    from diymasters.tracking import DomainReport, ProgressReport

#: What a sync does to the block: keep it current, or add or remove it on the learner's word.
BlockEdit = Literal["keep", "add", "remove"]

OPEN = "<!-- diymasters:progress -->"
CLOSE = "<!-- /diymasters:progress -->"
_MARKER = re.compile(rf"{re.escape(OPEN)}|{re.escape(CLOSE)}")
#: The first level-one heading, ATX (`# Title`) or setext (`Title` over `=====`).
_TITLE = re.compile(r"^#[ \t]+\S[^\r\n]*|^\S[^\r\n]*\r?\n=+[ \t]*(?=\r?$)", re.MULTILINE)


class BlockExistsError(ConflictError):
    """The README has a progress block already: sync keeps it current."""

    def __init__(self, path: str) -> None:
        """Name the file, and that nothing was written."""
        super().__init__(f"{path} has a progress block already; each sync keeps it current")


class NoBlockError(InvalidInputError):
    """There is no progress block to remove."""

    def __init__(self, path: str) -> None:
        """Name the file."""
        super().__init__(f"{path} has no progress block to remove")


class UnbalancedBlockError(InvalidInputError):
    """The markers are not one opening marker followed by one closing marker."""

    def __init__(self, path: str) -> None:
        """Name the file and the markers it must hold."""
        super().__init__(
            f"{path}: the progress block's markers are not one {OPEN} followed by one {CLOSE}; "
            "mend or remove them, then sync again"
        )


@dataclass(frozen=True)
class Finish:
    """The saved plan's projected finish, and the weekly hours it assumes."""

    date: dt.date
    hours_per_week: float


def block_span(text: str, path: str) -> tuple[int, int] | None:
    """Where the block is, markers included, or None when the README has none."""
    markers = list(_MARKER.finditer(text))
    if not markers:
        return None
    if [m.group() for m in markers] != [OPEN, CLOSE]:
        raise UnbalancedBlockError(path)
    return markers[0].start(), markers[1].end()


def render_block(report: ProgressReport, finish: Finish | None, newline: str = "\n") -> str:
    """The block for a progress report, markers included, in the file's line endings."""
    lines = [
        OPEN,
        _headline(report, finish),
        "",
        "| Domain | Progress | Resources done | Hours logged of estimated |",
        "| --- | ---: | ---: | ---: |",
        *(_row(domain) for domain in report.domains),
        CLOSE,
    ]
    return newline.join(lines)


def edit_block(mode: BlockEdit, text: str, block: str, path: str, newline: str = "\n") -> str:
    """The text with its block kept current, added or removed."""
    if mode == "add":
        return add_block(text, block, path, newline)
    if mode == "remove":
        return remove_block(text, path, newline)
    return with_block(text, block, path)


def block_outcome(mode: BlockEdit, before: str, after: str, path: str) -> str | None:
    """What became of the block, for the sync's report; None when the README has none."""
    if mode != "keep":
        return "added" if mode == "add" else "removed"
    if block_span(before, path) is None:
        return None
    return "current" if before == after else "updated"


def with_block(text: str, block: str, path: str) -> str:
    """The text with its block's content replaced; unchanged when it has no block."""
    span = block_span(text, path)
    if span is None:
        return text
    return text[: span[0]] + block + text[span[1] :]


def add_block(text: str, block: str, path: str, newline: str = "\n") -> str:
    """The text with the block after its title (at the top when it has none)."""
    if block_span(text, path) is not None:
        raise BlockExistsError(path)
    title = _TITLE.search(text)
    if title is None:
        return block + newline + newline + text
    at = title.end()
    rest = text[at:]
    ending = newline if not rest.startswith(("\n", "\r")) else ""
    return text[:at] + newline + newline + block + ending + rest


def remove_block(text: str, path: str, newline: str = "\n") -> str:
    """The text without its block and the blank line `add_block` gave it."""
    span = block_span(text, path)
    if span is None:
        raise NoBlockError(path)
    before, after = text[: span[0]], text[span[1] :]
    pair = newline * 2
    if before:
        return before.removesuffix(pair) + after
    return after.removeprefix(pair)


def _row(domain: DomainReport) -> str:
    if not domain.items:
        return f"| {_cell(domain.name)} | | none yet | |"
    hours = _logged(
        domain.hours_logged, domain.hours_known, complete=domain.hours_estimated is not None
    )
    return (
        f"| {_cell(domain.name)} | {whole_percent(domain.progress)}% "
        f"| {domain.items_done} of {domain.items} | {hours} |"
    )


def _headline(report: ProgressReport, finish: Finish | None) -> str:
    overall = report.overall
    hours = _logged(
        overall.hours_logged, overall.hours_estimated or 0.0, complete=overall.estimate_complete
    )
    sentence = (
        f"**{whole_percent(overall.progress)}% done**: {overall.items_done} of "
        f"{overall.items} resources, {hours} logged."
    )
    if finish is None:
        return f"{sentence} No saved plan, so no projected finish."
    return (
        f"{sentence} Projected finish {finish.date.isoformat()}, at "
        f"{tenths(finish.hours_per_week)} h a week (the saved plan)."
    )


def _logged(logged: float, known: float, *, complete: bool) -> str:
    """Hours logged of those estimated: `≥` when some resource's hours are not known."""
    if complete or known:
        return hours_of_estimate(logged, known, complete=complete)
    return f"{tenths(logged)} h (no estimate yet)"


def _cell(text: str) -> str:
    """Text safe in a table cell: a pipe would end it."""
    return text.replace("|", r"\|")
