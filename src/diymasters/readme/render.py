"""Writing into a learner's README in its own style, and checking the round trip on a file.

The README is the learner's public record, so nothing here regenerates it: a resource added
in the app becomes one new line copied from its neighbours (indentation, bullet, box), a box
is put in front of an item's text only when the learner asks, and `check` shows on a real
file that parsing and writing back give its bytes unchanged. Setting the markers themselves
is `ReadmeDocument.render`, which needs nothing but the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from diymasters.files import read_readme
from diymasters.readme.parse import parse_readme

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from diymasters.model import Resource, Status
    from diymasters.readme.document import ReadmeDocument, ReadmeDomain, ReadmeItem


@dataclass(frozen=True)
class CheckReport:
    """Whether a file survives the round trip, and what was read in it."""

    #: Whether rendering the parsed file back gives its bytes unchanged.
    identical: bool
    bytes: int
    domains: int
    resources: int
    checkboxes: int
    #: The codec, with "+bom" when the file starts with a byte order mark.
    encoding: str
    #: LF, CRLF or CR.
    newline: str
    #: How often each convention appears.
    conventions: Mapping[str, int]


def check(data: bytes, source: str = "README") -> CheckReport:
    """Parse, render back from the parsed model (statuses and counts), and compare bytes."""
    document = parse_readme(data, source)
    items = list(document.items())
    counts = {i.key: i.parts for i in items if i.parts is not None}
    return CheckReport(
        identical=document.render({i.key: i.status for i in items}, counts) == data,
        bytes=len(data),
        domains=sum(1 for _ in document.all_domains()),
        resources=len(items),
        checkboxes=sum(1 for item in items if item.marker is not None),
        encoding=document.encoding.codec + ("+bom" if document.encoding.bom else ""),
        newline={"\n": "LF", "\r\n": "CRLF", "\r": "CR"}[document.style.newline],
        conventions=dict(document.conventions),
    )


def check_file(path: Path) -> CheckReport:
    """`check` on a file on disk."""
    return check(read_readme(path), str(path))


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
    if resource.parts is not None:
        body += f" {document.style.count(resource.parts)}"
    if not document.style.has_tasks:
        return prefix + body
    current = example.marker.text if example and example.marker else " "
    return f"{prefix}[{document.style.mark(resource.status, current)}] {body}"
