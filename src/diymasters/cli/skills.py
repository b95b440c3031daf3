"""Skills in job postings: `skills extract`, `skills corpus`, `skills refresh` and `skills info`.

Apart from the other demand commands (`cli.demand`) because `skills extract` of one posting
is a command people run often and wait for: it loads no store, no catalog and no curriculum,
so neither does this module (issue 18). The commands that do open the store import it when
they run.
"""

from __future__ import annotations

import sys
from pathlib import Path  # noqa: TC003 (Typer reads `skills corpus`'s annotations when it runs)
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from diymasters.cli.extract import print_extracted

# Typer reads a command's annotations when it runs (see `cli.options`).
from diymasters.cli.options import (  # noqa: TC001
    JsonOption,
    MaxPostingBytesOption,
    MaxPostingsOption,
)
from diymasters.cli.output import SOFT_SKILLS_APART, make_console, print_json
from diymasters.cli.root import app, open_masters
from diymasters.masters.extract import Engine
from diymasters.postings import MAX_POSTING_BYTES, MAX_POSTINGS, Limits
from diymasters.skills import taxonomy_info

if TYPE_CHECKING:
    from diymasters.masters import CorpusReport


skills_app = typer.Typer(help="Skills demanded by job postings: one posting, or a corpus.")
app.add_typer(skills_app, name="skills")


@skills_app.command("extract")
def skills_extract(
    path: Annotated[
        str,
        typer.Argument(help="A posting file, CSV, JSON Lines or folder; '-' reads stdin."),
    ] = "-",
    column: Annotated[str | None, typer.Option(help="The text column of a CSV.")] = None,
    tagger: Annotated[
        bool,
        typer.Option(
            help="Also find long phrases with the span tagger: slower, and few of the phrases "
            "it adds are skills a person would mark."
        ),
    ] = False,
    max_posting_bytes: MaxPostingBytesOption = MAX_POSTING_BYTES,
    max_postings: MaxPostingsOption = MAX_POSTINGS,
    as_json: JsonOption = False,
) -> None:
    """Find the skills a posting asks for, with where each was said."""
    if path == "-" and sys.stdin.isatty():
        msg = "paste a posting on standard input, or give a file"
        raise typer.BadParameter(msg, param_hint="PATH")
    print_extracted(
        path,
        column=column,
        tagger=tagger,
        limits=Limits(max_posting_bytes, max_postings),
        as_json=as_json,
    )


@skills_app.command("corpus")
def skills_corpus(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A file or folder of postings.", show_default=False)],
    column: Annotated[str | None, typer.Option(help="The text column.")] = None,
    title_column: Annotated[str | None, typer.Option(help="The job title column.")] = None,
    date_column: Annotated[str | None, typer.Option(help="The posting date column.")] = None,
    role: Annotated[
        str | None, typer.Option(help="Report only this role, e.g. 'data scientist'.")
    ] = None,
    top: Annotated[int, typer.Option(help="How many skills to list.")] = 30,
    tagger: Annotated[
        bool, typer.Option(help="Use the span tagger too (finds more; about 10x slower).")
    ] = False,
    max_posting_bytes: MaxPostingBytesOption = MAX_POSTING_BYTES,
    max_postings: MaxPostingsOption = MAX_POSTINGS,
    engine: Annotated[
        Engine,
        typer.Option(
            help="Where skills are found and demand counted: this machine, or Spark "
            "(needs the 'spark' extra and Java)."
        ),
    ] = Engine.LOCAL,
    master: Annotated[
        str | None,
        typer.Option(
            help="Spark's master URL with --engine spark, e.g. spark://host:7077 "
            "[default: spark-submit's, else local[*]].",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Import postings into the store and report which skills they demand."""
    if master is not None and engine is not Engine.SPARK:
        raise typer.BadParameter(
            "a master is Spark's: give --engine spark too", param_hint="--master"
        )
    from diymasters.cli.progress import extraction_progress  # noqa: PLC0415 (see the docstring)

    masters = open_masters(ctx)
    with extraction_progress(quiet=as_json) as progress:
        result = masters.analyse_corpus(
            path,
            column=column,
            title_column=title_column,
            date_column=date_column,
            role=role,
            top=top,
            tagger=tagger,
            progress=progress,
            limits=Limits(max_posting_bytes, max_postings),
            engine=engine,
            master=master,
        )
    if as_json:
        print_json(result)
    else:
        _print_demand(result)


@skills_app.command("refresh")
def skills_refresh(
    ctx: typer.Context,
    tagger: Annotated[
        bool, typer.Option(help="Use the span tagger too (finds more; about 10x slower).")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Find again the skills of stored postings an older version of diymasters read."""
    from diymasters.cli.progress import extraction_progress  # noqa: PLC0415 (see the docstring)

    masters = open_masters(ctx)
    with extraction_progress(quiet=as_json) as progress:
        result = masters.refresh_postings(tagger=tagger, progress=progress)
    if as_json:
        print_json(result)
        return
    make_console().print(
        f"{result.refreshed} of the {result.in_store} stored postings had their skills found "
        f"again ({result.extractor})",
        soft_wrap=True,
    )


@skills_app.command("info")
def skills_info(as_json: JsonOption = False) -> None:
    """Show the shipped taxonomy's size, sources, load time and attribution."""
    info = taxonomy_info()
    if as_json:
        print_json(info)
        return
    console = make_console()
    sources = ", ".join(f"{name} {count}" for name, count in info.by_source.items())
    console.print(
        f"{info.skills} skills ({sources}), loaded in {info.load_seconds:.2f} s", soft_wrap=True
    )
    for name, statement in info.attribution.items():
        console.print(f"{name}: {statement}", soft_wrap=True)


def _print_demand(result: CorpusReport) -> None:
    console = make_console()
    console.print(
        f"{result.read} postings read, {result.collapsed} near-duplicates collapsed, "
        f"{result.demand.postings} analysed ({result.new_in_store} new in the store, "
        f"{result.in_store} in all)"
        + (
            f"; {result.refreshed} stored before had their skills found again by this "
            "version of diymasters"
            if result.refreshed
            else ""
        ),
        soft_wrap=True,
    )
    for source, columns in result.columns.items():
        console.print(
            f"  {source}: text {columns['text']!r}, title {columns['title']!r}, "
            f"date {columns['date']!r}",
            soft_wrap=True,
            style="dim",
        )
    table = Table(title="Skills most demanded", box=None, pad_edge=False)
    for heading in ("skill", "domain", "postings", "required", "preferred"):
        table.add_column(heading, justify="left" if heading in {"skill", "domain"} else "right")
    for skill in result.demand.skills:
        table.add_row(
            skill.name,
            skill.domain,
            f"{skill.share:.1%}",
            f"{skill.required_share:.1%}",
            f"{skill.preferred_share:.1%}",
        )
    console.print(table)
    domains = Table(title="By domain", box=None, pad_edge=False)
    domains.add_column("domain")
    domains.add_column("postings naming it", justify="right")
    for domain in result.demand.domains:
        domains.add_row(domain.domain, f"{domain.share:.1%}")
    console.print(domains)
    for role in result.demand.roles[:6]:
        top = ", ".join(f"{s.name} {s.share:.0%}" for s in role.skills[:8])
        console.print(f"{role.role} ({role.postings}): {top}", soft_wrap=True)
    months = [m for m in result.demand.months if m.postings >= _MONTH_MIN_POSTINGS]
    for month in months[-12:]:
        leaders = sorted(month.shares.items(), key=lambda item: -item[1])[:4]
        shares = ", ".join(f"{name} {share:.0%}" for name, share in leaders)
        console.print(f"{month.month} ({month.postings}): {shares}", soft_wrap=True)
    pairs = ", ".join(
        f"{' + '.join(p.skills)} {p.share:.0%}" for p in result.demand.co_occurring[:8]
    )
    console.print(f"Most often together: {pairs}", soft_wrap=True)
    soft = ", ".join(f"{s.name} {s.share:.0%}" for s in result.demand.soft_skills[:10])
    if soft:
        console.print(f"{SOFT_SKILLS_APART}: {soft}", soft_wrap=True)


#: Months with fewer dated postings than this are too thin to show in the text report.
_MONTH_MIN_POSTINGS = 20
