"""What `skills extract` prints: a table, JSON, a JSON line a posting, or why nothing was found.

Apart from the command (`cli.skills`) and free of Typer, so that `entry` can run
`skills extract PATH [--json]` before the CLI loads (issue 18): Typer alone takes longer to
load than the extraction of a paragraph. Both routes print through `print_extracted`, and
the CLI's defaults are its defaults.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rich.table import Table

from diymasters import serialise
from diymasters.cli.output import make_console, print_json
from diymasters.masters.extract import extract_postings
from diymasters.postings import MAX_POSTING_BYTES, MAX_POSTINGS, Limits

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from diymasters.postings import Posting
    from diymasters.skills import FoundSkill

#: The most bytes of a posting, and the most postings, `skills extract` reads by default.
DEFAULT_LIMITS = Limits(MAX_POSTING_BYTES, MAX_POSTINGS)


def print_extracted(
    path: str,
    *,
    column: str | None = None,
    tagger: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    as_json: bool = False,
) -> None:
    """Find and print the skills of the posting, or of each posting, at `path` ('-': stdin)."""
    if path == "-":
        found = extract_postings(sys.stdin.buffer, tagger=tagger, limits=limits)
    else:
        found = extract_postings(Path(path), column=column, tagger=tagger, limits=limits)
    first, second = next(found, None), next(found, None)
    if path.lower().endswith(".jsonl") or second is not None:
        _print_mention_lines(itertools.chain(filter(None, (first, second)), found))
        return
    mentions = first[1] if first else ()
    if as_json:
        print_json({"skills": mentions})
    elif mentions:
        make_console().print(_mentions_table(mentions))
    else:
        make_console().print(_nothing_found(path, first[0] if first else None), soft_wrap=True)


def _nothing_found(path: str, posting: Posting | None) -> str:
    """Say plainly why there is no table, rather than print an empty one (issue 13)."""
    if posting is None:
        return f"No postings found in {path}."
    if not posting.text.strip():
        return f"No skills found: {posting.source} is empty."
    return f"No skills found in {posting.source}: it names none that diymasters knows."


def _print_mention_lines(found: Iterable[tuple[Posting, Sequence[FoundSkill]]]) -> None:
    """One JSON line per posting, written as each is read, so that none waits for the rest."""
    for posting, mentions in found:
        identifier = posting.record if posting.record is not None else posting.id
        line = {"id": identifier, "skills": serialise.plain(mentions)}
        sys.stdout.write(json.dumps(line) + "\n")


def _mentions_table(mentions: Sequence[FoundSkill]) -> Table:
    """One row per skill, at its first mention; the evidence is cut to fit the line."""
    rows, seen = [], set()
    for mention in mentions:
        if mention.id not in seen:
            seen.add(mention.id)
            needed = "required" if mention.required else "preferred"
            evidence = " ".join(mention.evidence.split())
            rows.append((mention.name, mention.domain, needed, evidence))
    table = Table(box=None, pad_edge=False)
    widths = [
        min(28, max([len(heading), *(len(row[index]) for row in rows)]))
        for index, heading in enumerate(("skill", "domain", "needed"))
    ]
    for heading, width in zip(("skill", "domain", "needed"), widths, strict=True):
        table.add_column(heading, no_wrap=True, overflow="ellipsis", width=width)
    room = max(20, make_console().width - sum(widths) - 2 * len(widths))
    table.add_column("evidence", no_wrap=True, overflow="ellipsis", width=room)
    for row in rows:
        table.add_row(*row)
    return table
