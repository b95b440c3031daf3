"""The published site's pages: the web UI's drawings, as files for a host that only serves files.

The core gathers what the pages show (`diymasters.publish`); this module draws it through
templates made for static output (`templates/site/`), which share the served pages' macros
for the diagram and the timeline but link relatively, hold no form, and load nothing from
anywhere else. The served pages' stylesheet and script go with them; the script only lights
the diagram's circles, and asks no server for anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from diymasters.publish import PAGES
from diymasters.web import HERE, template_environment
from diymasters.web.diagrams import timeline

if TYPE_CHECKING:
    from diymasters.publish import Site

#: The served pages' files the published ones load, by the name they are published under.
ASSETS = {"style.css": HERE / "static" / "style.css", "app.js": HERE / "static" / "app.js"}


def render_site(site: Site) -> dict[str, bytes]:
    """Each page's HTML, and the stylesheet and script they load, by path in the site."""
    templates = template_environment()
    templates.globals["pages"] = tuple((f"{page}.html", title) for page, title in PAGES)
    drawn = timeline(site.plan.plan) if site.plan.plan is not None else None
    files = {
        f"{page}.html": templates.get_template(f"site/{page}.html")
        .render(site=site, page=f"{page}.html", twin=f"{page}.json", timeline=drawn)
        .encode()
        for page, _ in PAGES
    }
    files.update({name: path.read_bytes() for name, path in ASSETS.items()})
    return files
