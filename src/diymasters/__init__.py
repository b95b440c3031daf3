"""diymasters: plan, track and publish a self-curated masters.

The library comes first; the CLI (and later the web UI) only present it.
"""

from __future__ import annotations

from diymasters.masters import Masters
from diymasters.model import (
    Curriculum,
    DiyMastersError,
    Domain,
    Kind,
    Resource,
    Rollup,
    Status,
    TimeEntry,
    rollup,
)
from diymasters.report import progress_report
from diymasters.store import Store
from diymasters.template import load_template

__all__ = [
    "Curriculum",
    "DiyMastersError",
    "Domain",
    "Kind",
    "Masters",
    "Resource",
    "Rollup",
    "Status",
    "Store",
    "TimeEntry",
    "load_template",
    "progress_report",
    "rollup",
]
