"""The options and arguments several commands share, and the parsing they share.

Typer reads a command's annotations when it builds the command, at run time: a command
module imports these types at run time too, never only for type checking. The curriculum
model is imported only to read a date: `skills extract` imports this module and needs none
(issue 18).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer

from diymasters.postings import Limits, read_posting, read_stream

ResourceArg = Annotated[
    str, typer.Argument(help="Title, unambiguous title prefix, or #id.", show_default=False)
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
DateOption = Annotated[
    str | None,
    typer.Option("--date", help="YYYY-MM-DD, 'today' or 'yesterday' (default: today)."),
]
ForceOption = Annotated[
    bool,
    typer.Option("--force", help="Log a date more than a year before your first entry."),
]

PostingOption = Annotated[
    str | None, typer.Option(help="A posting file, or '-' to read one from stdin.")
]
CorpusOption = Annotated[Path | None, typer.Option(help="A file or folder of postings.")]
RoleOption = Annotated[str | None, typer.Option(help="Only postings of this role.")]
TargetOption = Annotated[str | None, typer.Option(help="A target saved with `target save`.")]
MaxPostingBytesOption = Annotated[
    int,
    typer.Option(
        min=1,
        help="The most bytes one posting may hold (stdin, a file, or one CSV or JSON Lines "
        "record); reading stops past it.",
    ),
]
MaxPostingsOption = Annotated[
    int, typer.Option(min=1, help="The most postings read, from all the files given.")
]


def _today() -> dt.date:
    return dt.date.today()  # noqa: DTZ011 (the learner's local day is the one that counts)


def parse_day(text: str | None) -> dt.date | None:
    """The day a `--date` names, or None (today, for the core) when it is not given."""
    from diymasters.model import parse_date  # noqa: PLC0415 (see the module's docstring)

    return None if text is None else parse_date(text, _today())


def posting_text(posting: str | None, limits: Limits) -> str | None:
    """The text of a `--posting`: a file, or stdin for '-'; None when it is not given."""
    if posting == "-":
        return read_stream(sys.stdin.buffer, "stdin", limits).text
    if posting is not None:
        return read_posting(Path(posting), limits).text
    return None
