"""Skills found in postings with no store: a file, a folder or a stream read and extracted.

`skills extract` needs neither the store nor the curriculum, so this part imports neither:
a command that only finds skills loads the extractor, the postings reader and this (issue
18). It also names where a corpus's skills are found (`Engine`), which the CLI offers as an
option of a command it registers beside `skills extract`.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING

from diymasters import skills
from diymasters.postings import DEFAULT_LIMITS, Limits, read_path, read_stream, redact

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import BinaryIO

    from diymasters.postings import Posting


class Engine(enum.Enum):
    """Where a corpus's skills are found and its demand counted."""

    #: This machine: its cores find the skills, this process counts.
    LOCAL = "local"
    #: Spark's executors find the skills and Spark counts (`spark_engine`).
    SPARK = "spark"


def extract_postings(
    source: Path | BinaryIO,
    column: str | None = None,
    *,
    tagger: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[tuple[Posting, tuple[skills.FoundSkill, ...]]]:
    """The skills of each posting in a file or folder, or of the one posting on a stream.

    Postings are read and extracted one at a time, so that a file of many can be printed as
    it is read rather than held whole.
    """
    if isinstance(source, Path):
        postings = read_path(source, column=column, limits=limits)
    else:
        postings = iter([read_stream(source, limits=limits)])
    for posting in postings:
        yield posting, found_skills(posting.text, tagger=tagger)


def found_skills(text: str, *, tagger: bool) -> tuple[skills.FoundSkill, ...]:
    """A posting's skills, each with the line that asks for it, personal details redacted."""
    return tuple(
        skills.FoundSkill.of(mention, redact(mention.evidence(text)))
        for mention in skills.extract(text, tagger=tagger)
    )
