"""Demand: the skills job postings ask for, against the curriculum and the catalog.

`gaps`, `target save`, `skills extract`, `skills corpus`, `skills info`, `catalog search`,
`catalog show`, `catalog match` and `catalog stats`, and what they print.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from diymasters import catalog, hours, serialise
from diymasters.cli.options import (
    CorpusOption,
    JsonOption,
    MaxPostingBytesOption,
    MaxPostingsOption,
    PostingOption,
    RoleOption,
    TargetOption,
    posting_text,
)
from diymasters.cli.output import make_console, percent_text, present, print_json
from diymasters.cli.progress import extraction_progress
from diymasters.cli.root import app, open_masters
from diymasters.masters import CorpusReport, Engine, extract_postings
from diymasters.model import Kind
from diymasters.postings import MAX_POSTING_BYTES, MAX_POSTINGS, Limits
from diymasters.skills import FoundSkill, taxonomy_info

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from rich.console import Console

    from diymasters.coverage import CoverageReport
    from diymasters.postings import Posting


@app.command()
def gaps(
    ctx: typer.Context,
    posting: PostingOption = None,
    corpus: CorpusOption = None,
    role: RoleOption = None,
    target: TargetOption = None,
    cheapest: Annotated[
        bool,
        typer.Option(
            "--cheapest",
            help="Recommend the least-hours set that closes every gap the catalog teaches.",
        ),
    ] = False,
    max_posting_bytes: MaxPostingBytesOption = MAX_POSTING_BYTES,
    max_postings: MaxPostingsOption = MAX_POSTINGS,
    as_json: JsonOption = False,
) -> None:
    """How much of the demand your curriculum covers, its gaps, and what to add."""
    limits = Limits(max_posting_bytes, max_postings)
    masters = open_masters(ctx)
    with extraction_progress(quiet=as_json) as progress:
        result = masters.gaps(
            posting=posting_text(posting, limits),
            corpus=corpus,
            role=role,
            target=target,
            cheapest=cheapest,
            limits=limits,
            progress=progress,
        )
    if not present(result, masters.in_use(), as_json=as_json):
        _print_gaps(result)


target_app = typer.Typer(help="Saved targets: the demand you aim at, kept under a name.")
app.add_typer(target_app, name="target")


@target_app.command("save")
def target_save(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The target's name.", show_default=False)],
    posting: PostingOption = None,
    corpus: CorpusOption = None,
    role: RoleOption = None,
    max_posting_bytes: MaxPostingBytesOption = MAX_POSTING_BYTES,
    max_postings: MaxPostingsOption = MAX_POSTINGS,
    as_json: JsonOption = False,
) -> None:
    """Save the demand of a posting or of postings as a target for `gaps --target`."""
    masters = open_masters(ctx)
    limits = Limits(max_posting_bytes, max_postings)
    demand = masters.demand(
        posting=posting_text(posting, limits), corpus=corpus, role=role, limits=limits
    )
    result = masters.save_target(name, demand)
    if as_json:
        print_json(result)
    else:
        make_console().print(
            f"Saved target {name!r}: {result.skills} skills from {result.source}.",
            soft_wrap=True,
        )


def _print_gaps(result: CoverageReport) -> None:
    console = make_console()
    cover = result.coverage
    console.print(
        f"Coverage of {result.demand_source}: {percent_text(cover.curriculum)} by the whole "
        f"curriculum ({cover.skills_taught} of {cover.skills} skills), "
        f"{percent_text(cover.done)} by what is done ({cover.skills_done} of {cover.skills}); "
        "each skill weighted by its demand.",
        soft_wrap=True,
    )
    for domain, shares in result.by_domain.items():
        console.print(
            f"  {domain}: {percent_text(shares.curriculum)} taught ({shares.skills_taught} of "
            f"{shares.skills} skills), {percent_text(shares.done)} done ({shares.skills_done} of "
            f"{shares.skills})",
            soft_wrap=True,
        )
    if result.gaps:
        console.print("Top gaps: " + ", ".join(g.skill for g in result.gaps[:10]), soft_wrap=True)
    if result.soft_skills:
        soft = ", ".join(s.skill for s in result.soft_skills[:10])
        console.print(f"{SOFT_SKILLS_APART}: {soft}", soft_wrap=True)
    _print_recommendations(console, result)


def _print_recommendations(console: Console, result: CoverageReport) -> None:
    """Each pick with what it buys and, under it, the alternatives for each gap it closes."""
    for item in result.recommendations:
        console.print(f"→ {item.title} ({item.url}): {item.why}", soft_wrap=True)
        for gap in item.alternatives:
            if gap.entries:
                others = ", ".join(e.title for e in gap.entries)
                console.print(f"    also teaches {gap.skill}: {others}", soft_wrap=True)
    if result.recommendations:
        split = result.recommended_hours_by_basis
        named = ", ".join(f"{hours:g} {basis}" for basis, hours in split.items() if hours)
        chosen = (
            "the least-hours set that closes every gap the catalog teaches"
            + ("" if result.recommended_optimal else " (the solver's best in its time)")
            if result.recommended_by == "cheapest"
            else "each adding the most open demand per hour (--cheapest: the least-hours set)"
        )
        console.print(
            f"Together they close {percent_text(result.recommended_share)} of the demand in "
            f"{sum(split.values()):g} h ({named}): {chosen}.",
            soft_wrap=True,
        )
    if result.untaught:
        shown = ", ".join(result.untaught[:10])
        console.print(f"No catalog entry teaches: {shown}.", soft_wrap=True)


catalog_app = typer.Typer(help="The catalog of real learning resources.")
app.add_typer(catalog_app, name="catalog")


@catalog_app.command("search")
def catalog_search(
    query: Annotated[str, typer.Argument(help="Words to look for (title, provider, skills).")] = "",
    skill: Annotated[str | None, typer.Option(help="Only entries teaching this skill.")] = None,
    domain: Annotated[str | None, typer.Option(help="Only entries in this domain.")] = None,
    free: Annotated[bool, typer.Option("--free", help="Only free or auditable ones.")] = False,
    max_hours: Annotated[
        float | None,
        typer.Option(help="Only entries of at most this many stated or derived hours."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Search the catalog."""
    shipped = catalog.load_catalog()
    entries = catalog.search(
        shipped, query, skill=skill, domain=domain, free=free, max_hours=max_hours
    )
    if as_json:
        print_json([catalog.entry_report(shipped, e) for e in entries])
        return
    table = Table(box=None, pad_edge=False)
    id_width = min(28, max([2, *(len(e.id) for e in entries)]))
    title_width = max(16, make_console().width - id_width - 7 - 7 - 10 - 8)
    columns = (("id", id_width), ("title", title_width), ("hours", 7), ("basis", 7), ("cost", 10))
    for heading, width in columns:
        table.add_column(heading, no_wrap=True, overflow="ellipsis", width=width)
    for entry in entries:
        estimate = shipped.hours.of(entry)
        table.add_row(
            entry.id, entry.title, f"{estimate.hours:.4g} h", estimate.basis, _cost_text(entry)
        )
    make_console().print(table)


def _cost_text(entry: catalog.Entry) -> str:
    if entry.cost:
        return f"${entry.cost:,.2f}" + (" (audit)" if entry.audit else "")
    return "free" if entry.cost == 0 else "audit free" if entry.audit else ""


@catalog_app.command("show")
def catalog_show(
    entry_id: Annotated[str, typer.Argument(help="The entry's id.", show_default=False)],
    as_json: JsonOption = False,
) -> None:
    """Show one catalog entry in full."""
    shipped = catalog.load_catalog()
    entry = catalog.entry_report(shipped, shipped.get(entry_id))
    if as_json:
        print_json(entry)
        return
    console = make_console()
    console.print(f"{entry.title} ({entry.provider})", style="bold", soft_wrap=True)
    for key in ("url", "kind", "level", "parent"):
        value = getattr(entry, key)
        if value not in (None, ""):
            console.print(f"  {key}: {value}", soft_wrap=True)
    estimate = entry.estimate
    console.print(f"  hours: {estimate.figure} {estimate.basis}: {estimate.why}", soft_wrap=True)
    if entry.cost:
        read = f", read {entry.cost_read}" if entry.cost_read else ""
        console.print(f"  cost: ${entry.cost:,.2f} ({entry.cost_source}{read})", soft_wrap=True)
    elif entry.cost == 0:
        console.print("  cost: free", soft_wrap=True)
    if entry.audit:
        console.print("  audit: free to follow without a certificate", soft_wrap=True)
    skills = ", ".join(s.name for s in entry.skills)
    console.print(f"  skills: {skills}", soft_wrap=True)
    if entry.prerequisites:
        console.print(f"  prerequisites: {', '.join(entry.prerequisites)}", soft_wrap=True)
    if entry.children:
        console.print(f"  parts: {', '.join(entry.children)}", soft_wrap=True)


@catalog_app.command("stats", epilog=hours.HOURS_RULE)
def catalog_stats(as_json: JsonOption = False) -> None:
    """Count the catalog's entries by kind, and their hours by basis."""
    stats = hours.catalog_stats(catalog.load_catalog())
    if as_json:
        print_json(stats)
        return
    console = make_console()
    kinds = ", ".join(
        hours.counted(Kind(kind), count) for kind, count in stats.by_kind.items() if count
    )
    console.print(f"{stats.entries} entries: {kinds}.", soft_wrap=True)
    bases = ", ".join(f"{count} {basis}" for basis, count in stats.hours.items())
    console.print(f"Hours by basis: {bases}.", soft_wrap=True)
    own, studied = stats.studied_kinds_own
    console.print(
        f"Courses, specialisations and books with stated or derived hours: {own} of {studied}"
        f" ({percent_text(own / studied if studied else 0.0)}).",
        soft_wrap=True,
    )
    for use in stats.typical:
        console.print(
            f"  typical {use.hours:g} h, {use.why}: {hours.counted(use.kind, use.entries)}",
            soft_wrap=True,
        )
    if stats.hours["none"]:
        console.print(
            f"  none, the catalog-wide median of {round(stats.fallback_hours, 2):g} h: "
            f"{stats.hours['none']} entries",
            soft_wrap=True,
        )
    console.print("Derived hours follow these rules (change them in the configuration file):")
    for rule in stats.rules:
        console.print(f"  {rule}", soft_wrap=True)


@catalog_app.command("match")
def catalog_match(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Show which catalog entry each resource of the curriculum is, and how sure the match is."""
    masters = open_masters(ctx)
    rows = masters.catalog_matches()
    if present(rows, masters.in_use(), as_json=as_json):
        return
    matched = sum(1 for row in rows if row.entry)
    console = make_console()
    for row in rows:
        if row.entry:
            console.print(
                f"✓ {row.resource} → {row.entry} ({row.by}, {row.score or 0:.0f})",
                soft_wrap=True,
            )
        else:
            console.print(f"○ {row.resource}: no catalog entry", soft_wrap=True, style="dim")
    console.print(f"{matched} of {len(rows)} resources matched.")


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
        bool, typer.Option(help="Also find long phrases with the trained span tagger.")
    ] = True,
    max_posting_bytes: MaxPostingBytesOption = MAX_POSTING_BYTES,
    max_postings: MaxPostingsOption = MAX_POSTINGS,
    as_json: JsonOption = False,
) -> None:
    """Find the skills a posting asks for, with where each was said."""
    limits = Limits(max_posting_bytes, max_postings)
    if path == "-":
        if sys.stdin.isatty():
            msg = "paste a posting on standard input, or give a file"
            raise typer.BadParameter(msg, param_hint="PATH")
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


#: How both reports introduce the soft skills they keep out of their rankings.
SOFT_SKILLS_APART = (
    "Also asked for, and not taught by a course (soft skills, languages and degree fields)"
)


#: Months with fewer dated postings than this are too thin to show in the text report.
_MONTH_MIN_POSTINGS = 20
