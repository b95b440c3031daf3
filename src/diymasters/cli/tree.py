"""The progress tree: the table `status`, `show` and every change to a resource print.

One row per domain or resource, with its bar, its share done, the resources done under it,
and its hours; and the shares and hours the commands print beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from diymasters.cli.output import hours_text, make_console
from diymasters.tracking import WEIGHTING_PHRASES, DomainReport, whole_percent

if TYPE_CHECKING:
    from diymasters.tracking import (
        ArchivedReport,
        OverallProgress,
        ProgressReport,
        ResourceReport,
    )


def percent_text(share: float) -> str:
    """A share as the CLI prints it: whole percent, never 100% short of everything."""
    return f"{whole_percent(share)}%"


_GLYPHS = {
    "done": ("✓", "green"),
    "in_progress": ("◐", "yellow"),
    "todo": ("○", ""),
    "dropped": ("✗", "dim"),
}
_BAR_WIDTH = 12


@dataclass(frozen=True)
class _Row:
    """One line of the status table: a domain or a resource at some depth of the tree."""

    prefix: str
    label: Text
    progress: float | None
    hours: str
    #: Resources done of those under it ("2/5 done"), for a row with parts.
    done: str = ""


def _bar(progress: float) -> Text:
    filled = round(progress * _BAR_WIDTH)
    bar = Text("█" * filled, style="green")
    bar.append("░" * (_BAR_WIDTH - filled), style="dim")
    return bar


def _done(items: int | None, done: int | None) -> str:
    return f"{done:,}/{items:,} done" if items and done is not None else ""


def _hours(logged: float, estimated: float | None, known: float | None = None) -> str:
    if estimated is not None:
        return f"{hours_text(logged)} / {hours_text(estimated)} h"
    if known:
        return f"{hours_text(logged)} / ≥{hours_text(known)} h"
    return f"{hours_text(logged)} h" if logged else ""


def status_table(report: ProgressReport) -> Table:
    """The whole curriculum's tree, then what left the README (archived)."""
    overall = report.overall
    total = _Row(
        "",
        Text(report.curriculum, style="bold"),
        overall.progress,
        overall_hours(overall),
        _done(overall.items, overall.items_done),
    )
    rows = [total]
    domains = report.domains
    for index, domain in enumerate(domains):
        rows += _domain_rows(domain, "", last=index == len(domains) - 1)
    if report.archived:
        rows.append(_Row("", Text("No longer in the README (archived)", style="dim"), None, ""))
        rows += [_archived_row(entry) for entry in report.archived]
    return _table(rows)


def share_note(overall: OverallProgress) -> str:
    """What the overall percentage is made of, said beside it."""
    return (
        f"{percent_text(overall.progress)} done, {WEIGHTING_PHRASES[overall.weighted_by]}: "
        f"{overall.items_done:,} of {overall.items:,} resources done. "
        "`diymasters status --help` says how it is counted."
    )


def overall_hours(overall: OverallProgress) -> str:
    """A curriculum's hours logged of its estimate, or of the part of it that is known (≥)."""
    estimate = overall.hours_estimated if overall.estimate_complete else None
    return _hours(overall.hours_logged, estimate, overall.hours_estimated)


def _archived_row(entry: ArchivedReport) -> _Row:
    logged = f"{hours_text(entry.hours_logged)} h logged" if entry.hours_logged else ""
    label = Text(f"{entry.title} (since {entry.archived})", style="dim")
    return _Row("   ", label, None, logged)


def _table(rows: list[_Row]) -> Table:
    labels = [len(row.prefix) + row.label.cell_len for row in rows]
    hours = max((len(row.hours) for row in rows), default=0)
    done = max((len(row.done) for row in rows), default=0)
    # The title column gives way first: bars, percentages, counts and hours stay whole.
    room = make_console().width - _BAR_WIDTH - 4 - done - hours - 8
    table = Table(box=None, show_header=False, pad_edge=False, expand=False)
    table.add_column(
        "item", overflow="ellipsis", no_wrap=True, width=min(max(labels), max(room, 16))
    )
    table.add_column("bar", no_wrap=True, width=_BAR_WIDTH)
    table.add_column("%", justify="right", no_wrap=True, width=4)
    table.add_column("done", justify="right", no_wrap=True, style="dim", width=done)
    table.add_column("hours", justify="right", no_wrap=True, style="dim", width=hours)
    for row in rows:
        label = Text(row.prefix, style="dim").append_text(row.label)
        if row.progress is None:
            table.add_row(label, "", "", "", row.hours)
        else:
            share = percent_text(row.progress)
            table.add_row(label, _bar(row.progress), share, row.done, row.hours)
    return table


def _branch(prefix: str, *, last: bool) -> tuple[str, str]:
    """Return the connector for this item and the prefix for its children."""
    return prefix + ("└─ " if last else "├─ "), prefix + ("   " if last else "│  ")


def _domain_rows(domain: DomainReport, prefix: str, *, last: bool) -> list[_Row]:
    here, below = _branch(prefix, last=last)
    resources = domain.resources or ()
    empty = not resources and not domain.domains
    label = Text(domain.name, style="bold cyan")
    if empty:
        label.append("  nothing here yet", style="dim")
    hours = _hours(domain.hours_logged, domain.hours_estimated, domain.hours_known)
    counts = _done(domain.items, domain.items_done)
    rows = [_Row(here, label, None if empty else domain.progress, hours, counts)]
    children: list[DomainReport | ResourceReport] = [*resources, *domain.domains]
    for index, child in enumerate(children):
        is_last = index == len(children) - 1
        if isinstance(child, DomainReport):
            rows += _domain_rows(child, below, last=is_last)
        else:
            rows += _resource_rows(child, below, last=is_last)
    return rows


def _resource_label(resource: ResourceReport) -> Text:
    glyph, style = _GLYPHS[resource.status]
    label = Text(f"{glyph} ", style=style)
    label.append(resource.title, style="strike dim" if resource.status == "dropped" else "")
    return label


def _figures(resource: ResourceReport) -> str:
    """Its hours, after the parts it counts done when it counts them: the basis of its share."""
    hours = _hours(resource.hours_logged, resource.hours_estimated)
    if resource.parts is None:
        return hours
    return f"{resource.parts} · {hours}" if hours else str(resource.parts)


def _resource_rows(resource: ResourceReport, prefix: str, *, last: bool) -> list[_Row]:
    here, below = _branch(prefix, last=last)
    rows = [_resource_row(resource, here)]
    children = resource.children
    for index, child in enumerate(children):
        rows += _resource_rows(child, below, last=index == len(children) - 1)
    return rows


def _resource_row(resource: ResourceReport, prefix: str) -> _Row:
    counts = _done(resource.items, resource.items_done)
    return _Row(prefix, _resource_label(resource), resource.progress, _figures(resource), counts)


def resource_table(resource: ResourceReport) -> Table:
    """One resource's tree: the resource, and the resources under it."""
    rows = [_resource_row(resource, "")]
    children = resource.children
    for index, child in enumerate(children):
        rows += _resource_rows(child, "", last=index == len(children) - 1)
    return _table(rows)
