"""Publishing: `publish DIR` (the static site and its badge) and `action init` (the workflow).

The site's pages are drawn by the web layer's templates, so this module reaches the web layer
for its renderer, as `serve` does for the server, and only when the command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from diymasters.cli.options import JsonOption  # noqa: TC001 (Typer reads it at run time)
from diymasters.cli.output import make_console, present, print_json
from diymasters.cli.root import app, open_masters
from diymasters.masters import Masters
from diymasters.publish import DEFAULT_INSTALL


@app.command()
def publish(
    ctx: typer.Context,
    directory: Annotated[
        Path, typer.Argument(help="The folder to write the site into.", show_default=False)
    ],
    with_notes: Annotated[
        bool, typer.Option("--with-notes", help="Publish your notes too (private by default).")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Write a static site (for GitHub Pages) of your progress, diagram, plan and curriculum.

    Each page has its JSON twin, and badge.json (a shields.io endpoint) and badge.svg show the
    progress in one line. The folder must be new, empty or written by publish before.
    """
    # Imported here so that other commands do not pay for the templates and Starlette.
    from diymasters.web.publish import render_site  # noqa: PLC0415

    result = open_masters(ctx).publish(directory, render_site, with_notes=with_notes)
    if present(result, result.curriculum, as_json=as_json):
        return
    changed = sum(f.changed for f in result.files)
    notes = "with your notes" if result.with_notes else "notes left out (--with-notes adds them)"
    console = make_console()
    console.print(
        f"Published {len(result.files)} files to {directory} ({changed} changed), {notes}.",
        soft_wrap=True,
    )
    console.print(f"Badge: {result.badge.label} | {result.badge.message}", soft_wrap=True)
    console.print(f"Open {directory / 'index.html'} to see it.", soft_wrap=True)


action_app = typer.Typer(help="The GitHub Actions workflow that publishes your site.")
app.add_typer(action_app, name="action")


@action_app.command("init")
def action_init(
    repo: Annotated[
        Path, typer.Option(help="The repository's root folder.", show_default="current folder")
    ] = Path(),
    install: Annotated[
        str,
        typer.Option(
            help="What the workflow gives pip to install diymasters: the default needs it on "
            "PyPI; until then, e.g. 'diymasters @ git+https://…'."
        ),
    ] = DEFAULT_INSTALL,
    readme: Annotated[
        str, typer.Option(help="The README to publish, relative to the repository's root.")
    ] = "README.md",
    branch: Annotated[str, typer.Option(help="The branch whose pushes publish.")] = "main",
    force: Annotated[
        bool, typer.Option("--force", help="Replace a workflow file that is already there.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Write .github/workflows/diymasters-publish.yml: import the README, publish, deploy to Pages.

    It needs no store: on each push, CI imports the README into a new one and publishes it.
    """
    result = Masters.action_init(repo, install=install, readme=readme, branch=branch, replace=force)
    if as_json:
        print_json(result)
        return
    verb = "Replaced" if result.replaced else "Wrote"
    make_console().print(
        f"{verb} {result.path}: on a push to {result.branch}, it installs {result.install!r}, "
        f"imports {result.readme} and publishes it to GitHub Pages. Commit it, then set "
        "Settings → Pages → Source to GitHub Actions.",
        soft_wrap=True,
    )
