"""`serve`: the web UI over the same store, the one place the CLI reaches the web layer."""

from __future__ import annotations

import sys
import webbrowser
from typing import Annotated

import typer

from diymasters.cli.output import fail
from diymasters.cli.root import app, open_masters


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = (
        "127.0.0.1"
    ),
    port: Annotated[
        int, typer.Option(min=0, max=65535, help="Port to listen on; 0 takes any free one.")
    ] = 8000,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the overview in your web browser.")
    ] = False,
    get: Annotated[
        str | None,
        typer.Option(
            "--get",
            metavar="PATH",
            help="Print one page (e.g. /overview.json) and exit, 1 if it is not a 200.",
        ),
    ] = None,
    timeout: Annotated[
        int,
        typer.Option(
            min=1,
            help="Seconds a client has to send a whole request, and an idle connection stays open.",
        ),
    ] = 5,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            show_default=False,
            help="Processes answering requests side by side [default: one a core, at most 4].",
        ),
    ] = None,
) -> None:
    """Serve the web UI: overview, Venn diagram, curriculum, README, postings, gaps and plan."""
    # The one place the CLI reaches the web layer: starting it. Imported here so that other
    # commands do not pay for Starlette and uvicorn.
    from diymasters import web  # noqa: PLC0415
    from diymasters.web.limits import Limits  # noqa: PLC0415
    from diymasters.web.workers import can_fork, default_workers  # noqa: PLC0415

    masters = open_masters(ctx)
    if get is not None:
        settings = web.Settings()
        status, _, body = web.fetch(web.create_app(masters, settings), get, settings)
        sys.stdout.buffer.write(body)
        if status != 200:  # noqa: PLR2004 (HTTP OK)
            fail(f"GET {get} answered {status}", 1)
        return
    if workers is not None and workers > 1 and not can_fork():
        fail("--workers above 1 needs a system that can fork processes; this one cannot", 2)
    in_use = masters.curriculum().name  # fail now, in one line, on an empty or broken store
    sock = web.listen(host, port)
    settings = web.settings_for(sock, Limits(timeout=timeout))
    if not settings.loopback:
        sys.stderr.write(
            f"Warning: {host} is not a loopback address; anyone who can reach it can change "
            "your masters.\n"
        )

    def ready() -> None:
        sys.stdout.write(
            f"diymasters is serving {settings.url} with {in_use!r} in use (Ctrl-C stops it)\n"
        )
        sys.stdout.flush()
        if open_browser:
            webbrowser.open(settings.url)

    web.serve(masters, sock, settings, workers=workers or default_workers(), ready=ready)
    sys.stdout.write("Stopped.\n")
