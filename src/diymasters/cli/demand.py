"""Demand: the skills job postings ask for, against the curriculum and the catalog.

`gaps`, `target save`, `catalog search`, `catalog show`, `catalog match` and `catalog stats`,
and what they print. The `skills` commands are in `cli.skills`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from diymasters import catalog, hours
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
from diymasters.cli.output import SOFT_SKILLS_APART, make_console, present, print_json
from diymasters.cli.progress import extraction_progress
from diymasters.cli.root import app, open_masters
from diymasters.cli.tree import percent_text
from diymasters.hours import basis_phrase
from diymasters.model import Kind
from diymasters.postings import MAX_POSTING_BYTES, MAX_POSTINGS, Limits

if TYPE_CHECKING:
    from rich.console import Console

    from diymasters.coverage import CoverageReport


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
    if result.unlinked:
        names = ", ".join(n.name for n in result.unlinked[:10])
        console.print(
            f"Named beside known skills but not in the taxonomy, so no course is matched to "
            f"them and they are kept out of the figures above ({result.unlinked_count} in all): "
            f"{names}",
            soft_wrap=True,
        )
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
        named = ", ".join(
            f"{hours:g} {basis_phrase(basis)}" for basis, hours in split.items() if hours
        )
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
