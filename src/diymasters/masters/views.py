"""Views: the reports the web UI's pages draw, each gathered from the curriculum in one call.

The overview puts progress, hours, recent activity and the saved plan's projected finish on
one page, reading the plan through the plans part, as the plan page does; the Venn diagram
places each resource among the domains whose skills it teaches.
"""

from __future__ import annotations

from diymasters import catalog, coverage, skills
from diymasters.masters.base import Part
from diymasters.masters.plans import DEFAULT_PLAN, progress_of
from diymasters.model import rollup
from diymasters.store import PlanNotFoundError
from diymasters.views import OverviewReport, PlanView, VennReport, overview_report, venn_report


class ViewsPart(Part):
    """What the web UI's pages show that no command prints."""

    def overview(self, plan_name: str = DEFAULT_PLAN) -> OverviewReport:
        """Progress, this week's and all hours, the projected finish and recent activity."""
        curriculum = self.curriculum()
        top = rollup(curriculum)
        try:
            saved = self._saved_plan(curriculum, plan_name)
        except PlanNotFoundError:
            progress = None
        else:
            progress = progress_of(saved, curriculum, top, self.today())
        return overview_report(curriculum, self.today(), progress, top=top)

    def plan_view(self, plan_name: str = DEFAULT_PLAN) -> PlanView:
        """The saved plan, when it was made and how it is going; empty before one is saved."""
        curriculum = self.curriculum()
        try:
            saved = self._saved_plan(curriculum, plan_name)
        except PlanNotFoundError:
            return PlanView()
        progress = progress_of(saved, curriculum, rollup(curriculum), self.today())
        return PlanView(saved.report, saved.created, progress)

    def venn(self) -> VennReport:
        """The curriculum's domains as regions and where each resource sits among them."""
        curriculum = self.curriculum()
        taught = coverage.taught_domains(curriculum, catalog.load_catalog(), skills.load_taxonomy())
        return venn_report(curriculum, taught)
