"""The bar a command shows on stderr while a corpus's new postings have their skills found.

`skills corpus`, `gaps --corpus` and `plan --corpus` import a corpus first: a minute for
10,000 new postings, which used to pass with no output (issue 18). The bar is not drawn for
`--json` or when stderr is not a terminal.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from diymasters.masters import ExtractionProgress

if TYPE_CHECKING:
    from collections.abc import Iterator


@contextmanager
def extraction_progress(*, quiet: bool = False) -> Iterator[ExtractionProgress]:
    """Callbacks for the core that move a bar, shown unless `quiet`, gone when done."""
    console = Console(stderr=True)
    with Progress(
        TextColumn("Finding skills"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=quiet or not console.is_terminal,
    ) as progress:
        # Hidden until the core says there is something to find: `gaps --posting` has none.
        task = progress.add_task("postings", total=None, visible=False)
        yield ExtractionProgress(
            on_total=lambda total: progress.update(task, total=total, visible=total > 0),
            on_progress=lambda done: progress.advance(task, done),
        )
