"""Publishing: the masters as a static site with a badge, and the workflow that deploys it.

The site gathers what the web UI's pages draw (the overview, the domains' diagram, the saved
plan and the curriculum) through the other parts, the notes left out unless asked for. The
pages' HTML comes from the renderer the frontend passes in; the core writes every file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from diymasters.masters.base import Part

if TYPE_CHECKING:
    from pathlib import Path

    from diymasters.publish import Published, Render, Site, WorkflowWritten


class PublishPart(Part):
    """The masters as a site anyone can read, and the workflow that publishes it from CI.

    `diymasters.publish` is imported by the operations that use it, not with the facade:
    every command builds the facade, and only `publish` and `action init` need it (issue 18).
    """

    def publish(self, directory: Path, render: Render, *, with_notes: bool = False) -> Published:
        """Write the site into `directory`: its pages, their JSON twins and the badges."""
        from diymasters.publish import write_site  # noqa: PLC0415 (see the class)

        site = self.site(with_notes=with_notes)
        return write_site(directory, site, render(site))

    def site(self, *, with_notes: bool = False) -> Site:
        """What the published pages show, from the curriculum in use and its saved plan."""
        from diymasters.publish import site_of  # noqa: PLC0415 (see the class)

        return site_of(
            self.overview(),
            self.venn(),
            self.plan_view(),
            self.status(),
            with_notes=with_notes,
        )

    @staticmethod
    def action_init(
        repo: Path,
        *,
        install: str | None = None,
        readme: str = "README.md",
        branch: str = "main",
        replace: bool = False,
    ) -> WorkflowWritten:
        """Write the GitHub Actions workflow that publishes the README's site to GitHub Pages.

        It needs no store (so none is opened): CI imports the README afresh on every run.
        `install` is the pip requirement the workflow installs (`DEFAULT_INSTALL` when None).
        """
        from diymasters.publish import DEFAULT_INSTALL, write_workflow  # noqa: PLC0415

        return write_workflow(repo, install or DEFAULT_INSTALL, readme, branch, replace=replace)
