"""A learner's masters as a static site, a progress badge, and the workflow that publishes both.

The site is what the web UI's pages draw (the overview, the domains' diagram, the saved plan
and the curriculum), each page beside its JSON twin, for a host that serves files and nothing
else (GitHub Pages). The core gathers what the pages show and writes the files; the pages'
HTML comes from a renderer the caller passes in (the web layer's templates), so this module
never speaks HTML. Everything written depends only on the store and the day it is published
for, so publishing twice gives the same bytes (issue 19).

A folder is only ever written when it is new, empty, or holds the manifest (`MARKER`) of an
earlier publish, and a file the learner edited since then is never replaced.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from diymasters import files, serialise
from diymasters.errors import (
    Category,
    ConflictError,
    DiyMastersError,
    InvalidInputError,
    NotFoundError,
)
from diymasters.tracking import (
    DomainReport,
    OverallProgress,
    ProgressReport,
    ResourceReport,
    hours_of_estimate,
    tenths,
    whole_percent,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from diymasters.views import OverviewReport, PlanView, VennReport

    #: What the caller turns a site into: its pages' files (HTML, the stylesheet) by path.
    Render = Callable[["Site"], Mapping[str, bytes]]

#: The manifest an earlier publish left in its folder: what it wrote, with each file's digest.
MARKER = ".diymasters-publish"
#: The pages, in the order the navigation lists them: (file name without suffix, title).
PAGES = (
    ("index", "Overview"),
    ("venn", "Domains"),
    ("plan", "Plan"),
    ("curriculum", "Curriculum"),
)
#: The badge's left-hand text.
BADGE_LABEL = "masters"
#: The colour of the badge's message by whole percent done, lowest first: (below, colour).
#: Named as shields.io names them; nothing done is grey rather than a colour that judges.
BADGE_COLOURS = ((1, "lightgrey"), (25, "orange"), (50, "yellow"), (75, "yellowgreen"))
#: The colours the SVG badge draws for those names, as shields.io's badge-maker draws them
#: (badges/shields, badge-maker/lib/color.js).
BADGE_HEX = {
    "lightgrey": "#9f9f9f",
    "orange": "#fe7d37",
    "yellow": "#dfb317",
    "yellowgreen": "#a4a61d",
    "green": "#97ca00",
    "brightgreen": "#4c1",
}
#: The SVG badge's width rule: each side is this many pixels a character plus padding; the
#: text is fitted to that width (`textLength`), so a font's own widths cannot overflow it.
BADGE_CHAR_PX = 7
BADGE_PADDING_PX = 10
BADGE_HEIGHT_PX = 20
#: Where the workflow goes, under the repository's root.
WORKFLOW_PATH = PurePosixPath(".github/workflows/diymasters-publish.yml")
#: What the workflow installs when the learner names nothing else.
DEFAULT_INSTALL = "diymasters"
#: The longest pip requirement, README path or branch name the workflow takes.
MAX_WORKFLOW_VALUE = 300

# --- What the site shows -------------------------------------------------------------------


@dataclass(frozen=True)
class Badge:
    """The progress badge: its two texts, and its colour as shields.io names it."""

    label: str
    message: str
    #: A colour name shields.io knows.
    color: str

    def endpoint(self) -> dict[str, object]:
        """The shields.io endpoint JSON (https://shields.io/badges/endpoint-badge)."""
        return {
            "schemaVersion": 1,
            "label": self.label,
            "message": self.message,
            "color": self.color,
        }


@dataclass(frozen=True)
class Site:
    """What a published site shows: each page's report, and the badge."""

    curriculum: str
    overview: OverviewReport
    venn: VennReport
    plan: PlanView
    progress: ProgressReport
    badge: Badge
    with_notes: bool

    def twins(self) -> dict[str, object]:
        """Each page's report, by the file name of its JSON twin."""
        return {
            "index.json": self.overview,
            "venn.json": self.venn,
            "plan.json": self.plan,
            "curriculum.json": self.progress,
        }


def site_of(
    overview: OverviewReport,
    venn: VennReport,
    plan: PlanView,
    progress: ProgressReport,
    *,
    with_notes: bool,
) -> Site:
    """The site's reports, the learner's notes taken out unless they are to be shown."""
    if not with_notes:
        overview = dataclasses.replace(
            overview,
            recent=tuple(dataclasses.replace(event, note="") for event in overview.recent),
        )
        progress = dataclasses.replace(
            progress, domains=tuple(_domain_without_notes(d) for d in progress.domains)
        )
    return Site(
        curriculum=progress.curriculum,
        overview=overview,
        venn=venn,
        plan=plan,
        progress=progress,
        badge=badge(progress.overall),
        with_notes=with_notes,
    )


def _domain_without_notes(domain: DomainReport) -> DomainReport:
    resources = domain.resources
    return dataclasses.replace(
        domain,
        resources=None if resources is None else tuple(_without_notes(r) for r in resources),
        domains=tuple(_domain_without_notes(d) for d in domain.domains),
    )


def _without_notes(resource: ResourceReport) -> ResourceReport:
    entries = resource.time_entries
    return dataclasses.replace(
        resource,
        notes="",
        children=tuple(_without_notes(child) for child in resource.children),
        time_entries=None
        if entries is None
        else tuple(dataclasses.replace(e, note="") for e in entries),
    )


# --- The badge -----------------------------------------------------------------------------


def badge(overall: OverallProgress) -> Badge:
    """Share done and hours, e.g. "37% · 57.6 of 156 h", coloured by the share.

    The hours read as in the README's progress block: "of ≥156.2 h" when some resources
    have no estimate, so there are more.
    """
    percent = whole_percent(overall.progress)
    estimated = overall.hours_estimated
    if estimated:
        complete = overall.estimate_complete
        hours = hours_of_estimate(overall.hours_logged, estimated, complete=complete)
    else:
        hours = f"{tenths(overall.hours_logged)} h logged"
    colour = next((name for below, name in BADGE_COLOURS if percent < below), None)
    if colour is None:
        colour = "brightgreen" if percent >= 100 else "green"  # noqa: PLR2004 (all done)
    return Badge(BADGE_LABEL, f"{percent}% · {hours}", colour)


def badge_width(text: str) -> int:
    """One side's width in pixels: `BADGE_CHAR_PX` a character, plus `BADGE_PADDING_PX`."""
    return len(text) * BADGE_CHAR_PX + BADGE_PADDING_PX


def badge_svg(shown: Badge) -> bytes:
    """A self-contained SVG badge: no links, fonts or images from anywhere, the text escaped."""
    left, right = badge_width(shown.label), badge_width(shown.message)
    width, height = left + right, BADGE_HEIGHT_PX
    title = f"{shown.label}: {shown.message}"
    fill = BADGE_HEX[shown.color]

    def text(x: float, length: int, value: str) -> str:
        return (
            f'<text x="{x:g}" y="14" textLength="{length - BADGE_PADDING_PX}" '
            f'lengthAdjust="spacingAndGlyphs">{escape(value)}</text>'
        )

    lines = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label={quoteattr(title)}>'
        ),
        f"<title>{escape(title)}</title>",
        f'<rect width="{width}" height="{height}" rx="3" fill="{fill}"/>',
        f'<rect width="{left}" height="{height}" rx="3" fill="#555"/>',
        f'<rect x="{left - 3}" width="3" height="{height}" fill="#555"/>',
        (
            '<g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" '
            'font-size="11">'
        ),
        text(left / 2, left, shown.label),
        text(left + right / 2, right, shown.message),
        "</g>",
        "</svg>",
    ]
    return ("\n".join(lines) + "\n").encode()


# --- Writing the site ----------------------------------------------------------------------


@dataclass(frozen=True)
class WrittenFile:
    """A file of the site: its path in the folder, its bytes' digest and size, and if it changed."""

    path: str
    sha256: str
    size: int
    #: False when the folder already held these bytes, so the file was left alone.
    changed: bool


@dataclass(frozen=True)
class Published:
    """A site written: where, its files, the badge it shows, and whether notes are in it."""

    directory: Path
    curriculum: str
    files: tuple[WrittenFile, ...]
    badge: Badge
    with_notes: bool


class ForeignFolderError(ConflictError):
    """The folder holds files an earlier publish did not write."""

    def __init__(self, directory: Path) -> None:
        """Say why nothing was written, and what to choose instead."""
        super().__init__(
            f"{directory} is not empty and was not written by publishing (it has no "
            f"{MARKER}); nothing was written: choose a new or empty folder"
        )


class EditedSiteFileError(ConflictError):
    """A file the site would replace is not as publishing left it: edited since, or not ours."""

    def __init__(self, path: Path) -> None:
        """Name the file and say nothing was written."""
        super().__init__(
            f"{path} is not as publishing left it (changed since, or never written by it); "
            "nothing was written: move it away to let publishing write it"
        )


class NotAFolderError(InvalidInputError):
    """The site's place is a file, not a folder."""

    def __init__(self, directory: Path) -> None:
        """Name it."""
        super().__init__(f"{directory} is a file, not a folder; nothing was written")


class BadSiteFileError(DiyMastersError):
    """The renderer named a file outside the site's folder (a bug, not the learner's doing)."""

    def __init__(self, name: str) -> None:
        """Name the file."""
        super().__init__(f"a site file may not be named {name!r}")


def site_files(site: Site, pages: Mapping[str, bytes]) -> dict[str, bytes]:
    """Every file of the site: the rendered pages, their JSON twins and the two badges."""
    written = dict(pages)
    for name, report in site.twins().items():
        written[name] = _json_bytes(serialise.naming(serialise.plain(report), site.curriculum))
    written["badge.json"] = _json_bytes(site.badge.endpoint())
    written["badge.svg"] = badge_svg(site.badge)
    for name in written:
        _check_name(name)
    return dict(sorted(written.items()))


def write_site(directory: Path, site: Site, pages: Mapping[str, bytes]) -> Published:
    """Write the site's files into `directory`, each atomically, with the manifest.

    The folder is created when missing; one that holds anything but an earlier publish is
    refused, and so is a publish over a file changed since publishing wrote it. Files the
    folder holds besides the site's (a CNAME) are left alone, and so are files whose bytes
    are already the ones to write. Before any file changes, the manifest lists both what is
    there and what is coming, so a publish cut short (a full disk) is finished by the next.
    """
    written = site_files(site, pages)
    accepted = _previous_manifest(directory)
    present = _check_ours(directory, accepted, written)
    digests = {name: files.sha256(data) for name, data in written.items()}
    changed = {name for name, digest in digests.items() if present.get(name) != digest}
    if changed:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise files.FileAccessError(directory, error.strerror or str(error)) from None
        _write_manifest(directory, {"files": present, "writing": digests})
        for name in sorted(changed):
            target = directory / name
            target.parent.mkdir(parents=True, exist_ok=True)
            files.replace_atomically(target, written[name])
    manifest = {"files": digests}
    if changed or accepted != {name: {digest} for name, digest in digests.items()}:
        _write_manifest(directory, manifest)
    results = tuple(
        WrittenFile(name, digests[name], len(data), changed=name in changed)
        for name, data in written.items()
    )
    return Published(directory, site.curriculum, results, site.badge, site.with_notes)


def _write_manifest(directory: Path, lists: Mapping[str, Mapping[str, str]]) -> None:
    files.replace_atomically(directory / MARKER, _json_bytes({"written_by": "diymasters", **lists}))


def _previous_manifest(directory: Path) -> dict[str, set[str]]:
    """The digests an earlier publish left each file with, by path (two, if it was cut short).

    Empty for a new or empty folder.
    """
    if not directory.exists():
        return {}
    if not directory.is_dir():
        raise NotAFolderError(directory)
    marker = directory / MARKER
    if not marker.is_file():
        if next(directory.iterdir(), None) is not None:
            raise ForeignFolderError(directory)
        return {}
    try:
        manifest = json.loads(files.read_bytes(marker))
        lists = [manifest["files"], manifest.get("writing", {})]
        accepted: dict[str, set[str]] = {}
        for listed in lists:
            for name, digest in listed.items():
                accepted.setdefault(str(name), set()).add(str(digest))
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ForeignFolderError(directory) from None
    return accepted


def _check_ours(
    directory: Path, accepted: Mapping[str, set[str]], written: Mapping[str, bytes]
) -> dict[str, str]:
    """The digests of the site's files there now; refuse if one is not as publishing left it.

    That is a file published before and changed since, or one of the learner's own with the
    name of a file of the site. Nothing is written before this check.
    """
    present = {}
    for name in sorted(set(accepted) | set(written)):
        _check_name(name)
        target = directory / name
        if not target.exists():
            continue
        if not target.is_file() or name not in accepted:
            raise EditedSiteFileError(target)
        digest = files.sha256(files.read_bytes(target))
        if digest not in accepted[name]:
            raise EditedSiteFileError(target)
        present[name] = digest
    return present


_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def _check_name(name: str) -> None:
    """A site file's path: plain names below the folder, never up or out of it."""
    parts = PurePosixPath(name).parts
    if not parts or not all(_SAFE_NAME.fullmatch(part) for part in parts):
        raise BadSiteFileError(name)


def _json_bytes(data: object) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()


# --- The workflow that publishes from a README on GitHub -----------------------------------


@dataclass(frozen=True)
class WorkflowWritten:
    """The GitHub Actions workflow written: where, what it installs, the README and branch."""

    path: Path
    install: str
    readme: str
    branch: str
    #: True when it replaced a workflow that was there.
    replaced: bool


class WorkflowExistsError(DiyMastersError):
    """A workflow file is already where this one would go."""

    category = Category.NEEDS_CONFIRMATION

    def __init__(self, path: Path) -> None:
        """Name it and say it was left alone."""
        super().__init__(f"{path} already exists; it was left as it is")


class WorkflowReadmeNotFoundError(NotFoundError):
    """The README the workflow would publish from is not in the repository."""

    def __init__(self, path: Path) -> None:
        """Name the file the workflow would read."""
        super().__init__(f"{path} does not exist: the workflow publishes from it")


class WorkflowValueError(InvalidInputError):
    """A value that cannot go into the workflow as it is."""

    def __init__(self, what: str, value: str, why: str) -> None:
        """Name the value and why."""
        super().__init__(f"{what} {value!r} {why}")


_BRANCH = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")
#: A pip requirement as PEP 508 writes one (`diymasters @ git+https://…` has spaces), without
#: the quotes and shell characters that would end the workflow's quoting.
_REQUIREMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._\-\[\],<>=!~+:/@#%&?;]*")


def workflow_text(install: str, readme: str, branch: str) -> str:
    """The workflow: on a push to `branch`, import `readme` into a new store, publish, deploy.

    In CI there is no learner's store: the README is the curriculum, its checkboxes the
    progress, so the site shows what the README says. Values are checked before they go in.
    """
    _check_workflow_value("the pip requirement", install, _REQUIREMENT)
    _check_workflow_value("the branch", branch, _BRANCH)
    readme_path = PurePosixPath(readme)
    if readme_path.is_absolute() or ".." in readme_path.parts or not readme.strip():
        raise WorkflowValueError("the README path", readme, "must be inside the repository")
    _check_workflow_value("the README path", readme, re.compile(r"[^\x00-\x1f'\"\\$`]+"))
    template = resources.files("diymasters").joinpath("data", "workflows", WORKFLOW_PATH.name)
    text = template.read_text(encoding="utf-8")
    return (
        text.replace("@INSTALL@", install)
        .replace("@README@", f"'{readme}'")
        .replace("@BRANCH@", json.dumps(branch))
    )


def _check_workflow_value(what: str, value: str, allowed: re.Pattern[str]) -> None:
    if len(value) > MAX_WORKFLOW_VALUE:
        raise WorkflowValueError(what, value[:40] + "…", f"is over {MAX_WORKFLOW_VALUE} characters")
    if not allowed.fullmatch(value):
        raise WorkflowValueError(what, value, "holds characters a workflow cannot take as they are")


def write_workflow(
    repo: Path, install: str, readme: str, branch: str, *, replace: bool = False
) -> WorkflowWritten:
    """Write the workflow under `repo`, never over one that is there unless told to."""
    text = workflow_text(install, readme, branch)
    if not (repo / readme).is_file():
        raise WorkflowReadmeNotFoundError(repo / readme)
    path = repo / WORKFLOW_PATH
    existed = path.exists()
    if existed and not replace:
        raise WorkflowExistsError(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise files.FileAccessError(path.parent, error.strerror or str(error)) from None
    files.replace_atomically(path, text.encode())
    return WorkflowWritten(path, install, readme, branch, replaced=existed)
