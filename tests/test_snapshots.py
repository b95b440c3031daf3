"""Snapshots of every JSON report the CLI and the web UI's JSON twins print, on fixed scenarios.

They pin the reports' exact text (keys, their order, ints against floats) so that a refactor
of the core's results shows every change it makes. Each scenario is built once per module;
every case runs on a copy of its store (or on a fresh build, when it writes to a linked
README), so that no case sees another's changes. Cases that only read also check that they
left the store as it was.

Run-dependent parts are normalised first: the temporary directory becomes `<tmp>`, dates
from a few weeks ago onwards become `<today+N>` (so a schedule keeps its shape),
timestamps of this run `<now>`, timings `<seconds>` and the digests of files whose bytes
hold today's date (a published site's) `<sha256>`; nothing else, so an order that
changes from one process to the next fails here. Dates a case gives (`--date 2024-03-01`)
are older than that window, so they stay as written, and so do the days the catalog's
figures were read, which are shipped data.

`DIYMASTERS_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/test_snapshots.py` writes the files
under tests/snapshots/; without it a missing or different file fails the test.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import functools
import json
import os
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import typer
from starlette.testclient import TestClient
from typer.core import TyperGroup

from diymasters.cli import load_commands
from diymasters.masters import Masters
from diymasters.serialise import fingerprint
from diymasters.store import Store
from diymasters.web import PAGES, Settings, _resource_version, create_app
from tests.conftest import SHARED, Cli

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("DIYMASTERS_UPDATE_SNAPSHOTS") == "1"
SEED_README = SHARED / "corpus" / "seed-readme.md"
JOBS = SHARED / "corpus" / "jobs" / "pythonjobs_board" / "jobs"
#: A fixed handful of postings (Markdown with front matter: a title, so a role, and a date):
#: three software engineers, two data scientists and a data engineer.
JOB_FILES = (
    "3dhubs_amsterdam_python_flask.html",
    "DataReplyUK_London_DataEngineer_Perm.html",
    "DataReplyUK_London_DataScientist_Perm.html",
    "Duxe_Sydney_Django.html",
    "Edtech_Python_data_scientist.html",
    "Man_AHL_python_contractor.html",
)
POSTING = (
    "Machine Learning Engineer\n\nRequirements:\n- Python and PyTorch\n"
    "- Linear algebra and statistics\n- Docker and Kubernetes\n\nNice to have: Spark.\n"
)
TOKEN = "snapshot-token"  # noqa: S105 (a fixed CSRF token, so cases can post forms)
SETTINGS = Settings(host="127.0.0.1", port=8000, csrf_token=TOKEN)
#: The scenarios every page's JSON twin is snapshotted in.
PAGE_SCENARIOS = ("template", "seed", "corpus", "plan")

#: Commands with a `--json` option that no case snapshots, each with the reason.
#: Nothing is left out at present: a new command fails
#: `test_every_json_command_is_snapshotted_or_excluded` until it gets a case below (or an
#: entry here, "words of the command": "why it cannot have a snapshot").
EXCLUDED: dict[str, str] = {}

#: A form's `version` as the page it came from drew it (the resource's, or the README diff's).
DRAWN = "<drawn>"
#: A resource named in a form's path, by its title: `/resources/{Real Python}/note`.
_NAMED = re.compile(r"\{([^}]+)\}")

#: Dates this many days before today or later are taken to depend on today.
RECENT_DAYS = 90
#: The words before the day a catalog figure was read, in a `why`, and the keys that hold
#: such a day: shipped data, so it stays as written however close to today it is.
READ_ON = "read "
READ_KEYS = frozenset({"read", "cost_read"})


# --- Scenarios -----------------------------------------------------------------------------

#: A step of a scenario or of a case: the words of a command, or a change to a file in the
#: scenario's directory.
Step = tuple[str, ...] | Callable[[Path], None]


@dataclass(frozen=True)
class Scenario:
    """A store built from a fixed start; `setup` commands named here are snapshotted too."""

    name: str
    setup: tuple[tuple[str | None, Step], ...]
    #: Whether the store links a README in the scenario's directory (writes must not share it).
    readme: bool = False


def _posting(root: Path) -> None:
    (root / "posting.txt").write_text(POSTING, encoding="utf-8")


def _seed(root: Path) -> None:
    if not SEED_README.is_file():
        pytest.skip(f"{SEED_README} is absent (../shared is not beside the project)")
    shutil.copyfile(SEED_README, root / "README.md")


def _jobs(root: Path) -> None:
    missing = [name for name in JOB_FILES if not (JOBS / name).is_file()]
    if missing:
        pytest.skip(f"{JOBS} lacks {', '.join(missing)} (../shared is not beside the project)")
    (root / "jobs").mkdir()
    for name in JOB_FILES:
        shutil.copyfile(JOBS / name, root / "jobs" / name)


def _upstream(root: Path) -> None:
    """The curators' newer version: one item renamed, one added, one removed."""
    text = (root / "README.md").read_text(encoding="utf-8")
    edits = (
        (
            "[Real Python](https://realpython.com/)",
            "[Real Python (tutorials)](https://realpython.com/)",
        ),
        (
            "- [ ] [Accelerated C++:",
            (
                "- [ ] [Effective Modern C++](https://www.oreilly.com/library/view/"
                "effective-modern-c/9781491908419/)\n- [ ] [Accelerated C++:"
            ),
        ),
        ("  - [ ] Principal Component Analysis\n", ""),
    )
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    (root / "upstream.md").write_text(text, encoding="utf-8")


#: Files of MOOC progress (tests/test_import_progress.py says where each format is documented).
MOOC_FILES = Path(__file__).parent / "fixtures" / "import_progress"


def _mooc_files(root: Path) -> None:
    for path in MOOC_FILES.iterdir():
        shutil.copyfile(path, root / path.name)


def _drop_real_python(root: Path) -> None:
    """The learner deletes an item from their README by hand."""
    path = root / "README.md"
    text = path.read_text(encoding="utf-8")
    line = "- [x] [Real Python](https://realpython.com/)\n"
    assert line in text
    path.write_text(text.replace(line, ""), encoding="utf-8")


SCENARIOS = {
    scenario.name: scenario
    for scenario in (
        Scenario("template", (("init", ("init", "--json")), (None, _posting))),
        Scenario(
            "seed",
            (
                (None, _seed),
                (None, _posting),
                ("import", ("import", "{dir}/README.md", "--json")),
            ),
            readme=True,
        ),
        Scenario(
            "upstream",
            (
                (None, _seed),
                (None, _upstream),
                (None, ("import", "{dir}/README.md", "--json")),
                ("follow", ("follow", "{dir}/upstream.md", "--json")),
            ),
            readme=True,
        ),
        Scenario(
            "corpus",
            (
                (None, ("init", "--json")),
                (None, _posting),
                (None, _jobs),
                ("skills-corpus", ("skills", "corpus", "{dir}/jobs", "--json")),
                (
                    "target-save",
                    ("target", "save", "ds", "--role", "data scientist", "--json"),
                ),
            ),
        ),
        Scenario(
            "plan",
            (
                (None, ("init", "--json")),
                (None, _posting),
                (
                    "plan",
                    ("plan", "--posting", "{dir}/posting.txt", "--hours-per-week", "8", "--json"),
                ),
            ),
        ),
    )
}


@dataclass
class Built:
    """A scenario's directory and store, and what its named setup commands printed."""

    root: Path
    db: Path
    home: Path
    outputs: dict[str, str] = field(default_factory=dict)

    def cli(self) -> Cli:
        return Cli(db=self.db, home=self.home)


def build(scenario: Scenario, root: Path) -> Built:
    """Run the scenario's setup in `root`."""
    built = Built(root, root / "masters.db", root / "home")
    built.home.mkdir(parents=True)
    cli = built.cli()
    for name, step in scenario.setup:
        if callable(step):
            step(root)
            continue
        result = cli(*fill(step, root, root))
        assert result.returncode == 0, (step, result.stderr)
        if name is not None:
            built.outputs[name] = result.stdout
    return built


def fill(words: tuple[str, ...], root: Path, tmp: Path) -> list[str]:
    """The words with `{dir}` (the scenario's directory) and `{tmp}` (the case's) filled in."""
    return [word.replace("{dir}", str(root)).replace("{tmp}", str(tmp)) for word in words]


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Built]:
    """Each scenario built on first use, then shared by the module's cases."""
    cache: dict[str, Built] = {}

    def get(name: str) -> Built:
        if name not in cache:
            root = tmp_path_factory.mktemp(f"scenario-{name}")
            cache[name] = build(SCENARIOS[name], root)
        return cache[name]

    return get


#: Two logged entries, ids 1 and 2, on fixed days.
_TWO_ENTRIES: tuple[Step, ...] = (
    ("log", "Principal", "1h30", "--date", "2024-03-01", "--note", "week 1"),
    ("log", "Real Python", "2", "--date", "2024-03-02"),
)


#: A study session under way on Principal Component Analysis (resource #4), session #1.
_STUDYING: tuple[Step, ...] = (("study", "Principal", "--detach"),)
#: The key its forms post (`StudyUnderWay.key`).
_STUDYING_KEY = "1-4"

# --- Cases ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One report to snapshot: a command's `--json` output, or a page's JSON twin.

    Cases that write run on a store of their own; `before` steps run first, unsnapshotted.
    """

    scenario: str
    name: str
    argv: tuple[str, ...] = ()
    page: str | None = None
    form: dict[str, str] | None = None
    writes: bool = False
    before: tuple[Step, ...] = ()
    #: What the command reads on standard input.
    stdin: str = ""
    #: The command prints JSON Lines (one report per posting) rather than one document.
    lines: bool = False

    @property
    def id(self) -> str:
        return f"{self.scenario}__{self.name}"


def _pages(scenario: str) -> list[Case]:
    return [
        Case(scenario, f"page-{name}", page="/overview.json" if path == "/" else f"{path}.json")
        for path, name, _ in PAGES
    ]


MATHS_SPEC = "Mathematics for Machine Learning Specialization"

CASES: list[Case] = [
    # The shipped template: every resource command, the catalog and one posting's skills.
    Case("template", "status", ("status", "--json")),
    Case("template", "curricula", ("curricula", "--json")),
    Case(
        "template",
        "use",
        ("use", "ml engineer MASTERS", "--json"),
        writes=True,
        before=(("init", "--name", "Second"),),
    ),
    Case("template", "show-specialisation", ("show", MATHS_SPEC, "--json")),
    Case("template", "show-course", ("show", "Linear Algebra", "--json")),
    Case("template", "catalog-match", ("catalog", "match", "--json")),
    Case("template", "catalog-search-query", ("catalog", "search", "pytorch", "--json")),
    Case(
        "template",
        "catalog-search-filters",
        ("catalog", "search", "--skill", "linear algebra", "--free", "--max-hours", "40", "--json"),
    ),
    Case("template", "catalog-show", ("catalog", "show", "fastbook", "--json")),
    Case("template", "catalog-show-parts", ("catalog", "show", "coursera-mml", "--json")),
    Case("template", "catalog-stats", ("catalog", "stats", "--json")),
    Case("template", "skills-info", ("skills", "info", "--json")),
    Case("template", "skills-extract", ("skills", "extract", "{dir}/posting.txt", "--json")),
    Case(
        "template",
        "skills-extract-stdin",
        ("skills", "extract", "--no-tagger", "--json"),
        stdin=POSTING,
    ),
    Case("template", "gaps-posting", ("gaps", "--posting", "{dir}/posting.txt", "--json")),
    Case("template", "plan-no-save", ("plan", "--no-save", "--json")),
    Case(
        "template",
        "plan-no-save-calendar",
        (
            "plan",
            "--no-save",
            "--posting",
            "{dir}/posting.txt",
            "--start",
            "2024-01-01",
            "--hours",
            "mon=1,wed=1,sat=4",
            "--break",
            "2024-01-15:2024-01-21",
            "--know",
            "docker",
            "--objective",
            "cost",
            "--json",
        ),
    ),
    Case(
        "template",
        "start",
        ("start", "Computational", "--date", "2024-01-05", "--json"),
        writes=True,
    ),
    Case("template", "done", ("done", "Multivariate Calculus", "--json"), writes=True),
    Case(
        "template",
        "drop",
        ("drop", "Practical Deep", "--date", "2024-02-01", "--json"),
        writes=True,
    ),
    Case("template", "todo", ("todo", "Real Python", "--json"), writes=True),
    Case(
        "template",
        "log",
        ("log", "Principal", "1h30", "--date", "2024-03-01", "--note", "week 1", "--json"),
        writes=True,
    ),
    Case("template", "log-today", ("log", "Principal", "2", "--json"), writes=True),
    Case("template", "parts", ("parts", "Principal", "2/5", "--json"), writes=True),
    Case(
        "template",
        "entries",
        ("entries", "--json"),
        writes=True,
        before=_TWO_ENTRIES,
    ),
    Case(
        "template",
        "entries-resource",
        ("entries", "Mathematics for Machine", "--json"),
        writes=True,
        before=_TWO_ENTRIES,
    ),
    Case(
        "template",
        "entry-edit",
        ("entry", "edit", "1", "--hours", "1h45", "--note", "week one", "--json"),
        writes=True,
        before=_TWO_ENTRIES,
    ),
    Case(
        "template",
        "entry-remove",
        ("entry", "remove", "2", "--json"),
        writes=True,
        before=_TWO_ENTRIES,
    ),
    Case(
        "template",
        "study-start",
        ("study", "start", "Principal", "--detach", "--json"),
        writes=True,
    ),
    Case(
        "template",
        "import-progress-dry-run",
        ("import-progress", "{dir}/Learning.csv", "--dry-run", "--json"),
        before=(_mooc_files,),
    ),
    Case(
        "template",
        "import-progress",
        ("import-progress", "{dir}/ob2-assertion.json", "--json"),
        writes=True,
        before=(_mooc_files,),
    ),
    Case(
        "template",
        "import-progress-add-from-catalog",
        (
            "import-progress",
            "{dir}/ob3-credentials.json",
            "--add-from-catalog",
            "--domain",
            "Python",
            "--json",
        ),
        writes=True,
        before=(_mooc_files,),
    ),
    Case(
        "template",
        "import-progress-coursera-urls",
        ("import-progress", "{dir}/coursera-urls.txt", "--json"),
        writes=True,
        before=(_mooc_files,),
    ),
    Case("template", "export", ("export",)),
    Case("template", "export-output", ("export", "--output", "{tmp}/export.json", "--json")),
    Case(
        "template",
        "restore-from",
        ("--db", "{tmp}/restored.db", "restore", "--from", "{tmp}/export.json", "--json"),
        before=(("export", "--output", "{tmp}/export.json"),),
    ),
    Case("template", "backup", ("backup", "{tmp}/backup.db", "--json")),
    Case("template", "study-status", ("study", "status", "--json")),
    Case(
        "template",
        "study-status-under-way",
        ("study", "status", "--json"),
        writes=True,
        before=_STUDYING,
    ),
    Case(
        "template",
        "study-stop",
        ("study", "stop", "--hours", "1h30", "--json"),
        writes=True,
        before=_STUDYING,
    ),
    Case(
        "template", "study-discard", ("study", "discard", "--json"), writes=True, before=_STUDYING
    ),
    Case("template", "note", ("note", "Real Python", "Packaging *chapter*", "--json"), writes=True),
    Case(
        "template",
        "rename",
        ("rename", "Real Python", "Real Python membership", "--json"),
        writes=True,
    ),
    Case("template", "estimate", ("estimate", "Real Python", "30", "--json"), writes=True),
    Case(
        "template",
        "move",
        ("move", "Computational Linear Algebra", "--under", "Mathematics for", "--json"),
        writes=True,
    ),
    Case("template", "remove", ("remove", "Real Python", "--json"), writes=True),
    Case(
        "template",
        "tag",
        ("tag", "Real Python", "pytorch", "linear algebra", "--json"),
        writes=True,
    ),
    Case(
        "template",
        "add",
        (
            "add",
            "Think Stats",
            "--domain",
            "Statistics",
            "--kind",
            "book",
            "--hours",
            "40",
            "--cost",
            "0",
            "--url",
            "https://greenteapress.com/thinkstats2/",
            "--json",
        ),
        writes=True,
    ),
    *_pages("template"),
    # The seed README imported: the README round trip.
    Case("seed", "status", ("status", "--json")),
    Case(
        "seed",
        "curricula-two",
        ("curricula", "--json"),
        writes=True,
        before=(("init", "--name", "Second"),),
    ),
    Case("seed", "show-specialisation", ("show", MATHS_SPEC, "--json")),
    Case("seed", "catalog-match", ("catalog", "match", "--json")),
    Case("seed", "readme-check", ("readme", "check", "{dir}/README.md", "--json")),
    Case("seed", "sync-dry-run", ("sync", "--dry-run", "--json")),
    Case(
        "seed", "sync-dry-run-add-checkboxes", ("sync", "--dry-run", "--add-checkboxes", "--json")
    ),
    Case("seed", "plan-no-save", ("plan", "--no-save", "--json")),
    Case(
        "seed",
        "done-autosync",
        ("done", "Multivariate Calculus", "--json"),
        writes=True,
        before=(("readme", "autosync", "on"),),
    ),
    Case(
        "seed",
        "parts-autosync",
        ("parts", "Principal", "3 of 8", "--json"),
        writes=True,
        before=(("readme", "autosync", "on"),),
    ),
    Case("seed", "sync-add-checkboxes", ("sync", "--add-checkboxes", "--json"), writes=True),
    Case("seed", "sync-item-removed", ("sync", "--json"), writes=True, before=(_drop_real_python,)),
    Case(
        "seed",
        "restore",
        ("restore", "Real Python", "--json"),
        writes=True,
        before=(_drop_real_python, ("sync",)),
    ),
    Case("seed", "readme-autosync-off", ("readme", "autosync", "off", "--json"), writes=True),
    Case("seed", "readme-block-add", ("readme", "block", "add", "--json"), writes=True),
    Case(
        "seed",
        "readme-block-remove",
        ("readme", "block", "remove", "--json"),
        writes=True,
        before=(("readme", "block", "add"),),
    ),
    *_pages("seed"),
    # The seed README following an edited upstream copy.
    Case("upstream", "upstream-diff", ("upstream", "diff", "--json")),
    Case("upstream", "upstream-merge-dry-run", ("upstream", "merge", "--dry-run", "--json")),
    Case("upstream", "upstream-merge", ("upstream", "merge", "--json"), writes=True),
    Case("upstream", "page-readme", page="/readme.json"),
    # Postings stored: demand, gaps, roles and a saved target.
    Case("corpus", "gaps", ("gaps", "--json")),
    Case("corpus", "gaps-role", ("gaps", "--role", "data scientist", "--json")),
    Case("corpus", "gaps-target", ("gaps", "--target", "ds", "--json")),
    Case(
        "corpus", "plan-no-save-role", ("plan", "--no-save", "--role", "data scientist", "--json")
    ),
    Case(
        "corpus", "skills-extract-folder", ("skills", "extract", "{dir}/jobs", "--json"), lines=True
    ),
    Case(
        "corpus",
        "skills-corpus-again-role",
        ("skills", "corpus", "{dir}/jobs", "--role", "software engineer", "--top", "5", "--json"),
        writes=True,
    ),
    Case("corpus", "skills-refresh", ("skills", "refresh", "--json"), writes=True),
    Case(
        "corpus",
        "gaps-corpus-role",
        ("gaps", "--corpus", "{dir}/jobs", "--role", "data engineer", "--json"),
        writes=True,
    ),
    *_pages("corpus"),
    Case("corpus", "page-postings-role", page="/postings.json?role=data+scientist"),
    Case("corpus", "page-gaps-role", page="/gaps.json?role=data+scientist"),
    Case("corpus", "page-gaps-target", page="/gaps.json?target=ds"),
    Case("corpus", "page-gaps-no-such-role", page="/gaps.json?role=astronaut"),
    Case("corpus", "page-postings-post", page="/postings.json", form={"text": POSTING}),
    # A saved plan: its progress, adopting it, and the plan page.
    Case("plan", "progress", ("progress", "--json")),
    Case("plan", "progress-ics", ("progress", "--ics", "{tmp}/plan.ics", "--json")),
    Case("plan", "adopt", ("adopt", "--json"), writes=True),
    Case(
        "plan",
        "progress-after-study",
        ("progress", "--json"),
        writes=True,
        before=(("adopt",), ("log", "Deep Learning with Python and PyTorch", "1.5")),
    ),
    *_pages("plan"),
    Case("plan", "page-plan-post", page="/plan.json", form={"hours_per_week": "6"}, writes=True),
    # A resource's page, and the form that adds one.
    Case("template", "page-resource", page="/resources/{Mathematics for Machine Learning}.json"),
    Case("template", "page-new-resource", page="/resources/new.json"),
    # What each change form answers a script that asks for JSON.
    Case(
        "template",
        "form-status",
        page="/resources/{Multivariate Calculus}/status",
        form={"status": "in_progress", "version": DRAWN},
        writes=True,
    ),
    Case(
        "template",
        "form-log",
        page="/resources/{Principal}/log",
        form={"hours": "1.5", "date": "2024-03-01", "note": "week one", "version": DRAWN},
        writes=True,
    ),
    Case(
        "template",
        "form-note",
        page="/resources/{Real Python}/note",
        form={"text": "Packaging *chapter*", "version": DRAWN},
        writes=True,
    ),
    Case(
        "template",
        "form-rename",
        page="/resources/{Real Python}/rename",
        form={"title": "Real Python tutorials", "version": DRAWN},
        writes=True,
    ),
    Case(
        "template",
        "form-move",
        page="/resources/{Real Python}/move",
        form={"domain": "Machine Learning", "version": DRAWN},
        writes=True,
    ),
    Case(
        "template",
        "form-add",
        page="/resources",
        form={"title": "Think Stats", "domain": "Statistics", "kind": "book", "version": DRAWN},
        writes=True,
    ),
    Case(
        "template",
        "form-delete",
        page="/resources/{Real Python}/delete",
        form={"version": DRAWN},
        writes=True,
    ),
    Case(
        "template",
        "form-study-start",
        page="/resources/{Principal}/study/start",
        form={"version": DRAWN},
        writes=True,
    ),
    Case(
        "template",
        "form-study-stop",
        page="/study/stop",
        form={"session": _STUDYING_KEY, "hours": "1h30"},
        writes=True,
        before=_STUDYING,
    ),
    Case(
        "template",
        "form-study-discard",
        page="/study/discard",
        form={"session": _STUDYING_KEY},
        writes=True,
        before=_STUDYING,
    ),
    Case(
        "template", "page-overview-studying", page="/overview.json", writes=True, before=_STUDYING
    ),
    # A published site: its files' digests hold today's date (the pages say "as of").
    Case("template", "publish", ("publish", "{tmp}/site", "--json")),
    Case("template", "publish-with-notes", ("publish", "{tmp}/site", "--with-notes", "--json")),
    Case("seed", "action-init", ("action", "init", "--repo", "{dir}", "--json"), writes=True),
    Case(
        "seed",
        "form-readme-sync",
        page="/readme/sync",
        form={"version": DRAWN},
        writes=True,
        before=(("done", "Computational Linear Algebra"),),
    ),
]


# --- Normalisation -------------------------------------------------------------------------

_DATE = re.compile(
    r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})"
    r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?![\d])"
)
#: Keys whose numbers are how long something took.
_TIMINGS = frozenset({"seconds", "load_seconds"})
#: Keys that hold a digest of a file whose bytes hold today's date (a published page).
_DIGESTS = frozenset({"sha256"})


def _date_token(match: re.Match[str], today: dt.date) -> str:
    if match.string[: match.start()].endswith(READ_ON):
        return match[0]  # the day a catalog figure was read: shipped data, not today
    try:
        day = dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return match[0]
    offset = (day - today).days
    if offset < -RECENT_DAYS:
        return match[0]  # a fixed date: a posting's, or one a case gave
    if match[4]:
        return "<now>"
    return "<today>" if offset == 0 else f"<today{offset:+d}>"


@dataclass(frozen=True)
class Normaliser:
    """Replaces what differs from run to run in a report: paths, dates and timings.

    Nothing else: an order that changed from one process to the next (once, the skills a
    recommendation covers and domains with equal counts, which followed string hashing)
    is a defect these snapshots are there to catch.
    """

    paths: tuple[tuple[str, str], ...]
    today: dt.date

    @classmethod
    def of(cls, *roots: Path) -> Normaliser:
        names = {str(root) for root in roots} | {str(root.resolve()) for root in roots}
        paths = [(name, "<tmp>") for name in names]
        paths.append((str(SHARED), "<shared>"))
        if len(str(Path.home())) > 1:  # never "/": it would replace every slash
            paths.append((str(Path.home()), "<home>"))
        longest_first = tuple(sorted(paths, key=lambda pair: -len(pair[0])))
        return cls(longest_first, dt.date.today())  # noqa: DTZ011 (the CLI's day is the local one)

    def text(self, value: str) -> str:
        for path, token in self.paths:
            value = value.replace(path, token)
        return _DATE.sub(lambda match: _date_token(match, self.today), value)

    def __call__(self, value: Any, key: str | None = None) -> Any:
        if isinstance(value, dict):
            return {self.text(k): self(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self(item) for item in value]
        if isinstance(value, str):
            if key in _DIGESTS:
                return "<sha256>"
            return value if key in READ_KEYS else self.text(value)
        if key in _TIMINGS and isinstance(value, int | float) and not isinstance(value, bool):
            return "<seconds>"
        return value


def dumps(report: Any) -> str:
    return json.dumps(report, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def check(snapshot: str, report: Any) -> None:
    """Compare with (or, in update mode, write) tests/snapshots/<snapshot>.json."""
    path = SNAPSHOTS / f"{snapshot}.json"
    actual = dumps(report)
    if UPDATE:
        SNAPSHOTS.mkdir(exist_ok=True)
        if not path.is_file() or path.read_text(encoding="utf-8") != actual:
            path.write_text(actual, encoding="utf-8")
        return
    if not path.is_file():
        pytest.fail(
            f"{path} is missing: run `DIYMASTERS_UPDATE_SNAPSHOTS=1 .venv/bin/pytest "
            f"tests/test_snapshots.py` to write it, then review and commit it",
            pytrace=False,
        )
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            f"{path.name} (snapshot)",
            f"{path.name} (now)",
        )
        pytest.fail(
            "the report differs from its snapshot; if the change is meant, rerun with "
            f"DIYMASTERS_UPDATE_SNAPSHOTS=1 and review the diff:\n{''.join(diff)}",
            pytrace=False,
        )


# --- Running a case ------------------------------------------------------------------------


def dump(db: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(db)) as connection:
        return list(connection.iterdump())


def copy_store(source: Path, target: Path) -> None:
    with (
        contextlib.closing(sqlite3.connect(source)) as old,
        contextlib.closing(sqlite3.connect(target)) as new,
    ):
        old.backup(new)


def store_for(case: Case, scenarios: Callable[[str], Built], tmp_path: Path) -> Built:
    """The store a case runs on: a copy of its scenario's, or a fresh build of it."""
    scenario = SCENARIOS[case.scenario]
    if case.writes and scenario.readme:
        # Writing would change the README the shared store links: build afresh instead.
        return build(scenario, tmp_path / "scenario")
    shared = scenarios(case.scenario)
    copy = Built(shared.root, tmp_path / "masters.db", tmp_path / "home", shared.outputs)
    copy.home.mkdir()
    copy_store(shared.db, copy.db)
    return copy


def run_before(case: Case, built: Built, tmp: Path) -> None:
    """The steps that set a case up, unsnapshotted."""
    cli = built.cli()
    for step in case.before:
        if callable(step):
            step(built.root)
        else:
            result = cli(*fill(step, built.root, tmp))
            assert result.returncode == 0, (step, result.stderr)


def run_command(case: Case, built: Built, tmp: Path) -> Any:
    cli = built.cli()
    result = cli(*fill(case.argv, built.root, tmp), stdin=case.stdin)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    if case.lines:
        return [json.loads(line) for line in result.stdout.splitlines()]
    return json.loads(result.stdout)


def drawn(masters: Masters, path: str) -> str:
    """The fingerprint a form posting to `path` carries: what its page showed."""
    if path == "/readme/sync":
        return fingerprint(masters.sync(dry_run=True).diff)
    if path == "/resources":
        return fingerprint(masters.places())
    resource = masters.show(f"#{path.split('/')[2]}")
    return _resource_version(resource)


def run_page(case: Case, built: Built) -> Any:
    assert case.page is not None
    store = Store.open(f"sqlite:///{built.db}")
    try:
        with TestClient(
            create_app(Masters(store), SETTINGS),
            base_url="http://127.0.0.1:8000",
            follow_redirects=False,
        ) as client:
            masters = Masters(store)
            path = _NAMED.sub(lambda m: str(masters.show(m[1]).id), case.page)
            if case.form is None:
                answer = client.get(path)
            else:
                form = {k: drawn(masters, path) if v == DRAWN else v for k, v in case.form.items()}
                answer = client.post(
                    path, data={"csrf": TOKEN, **form}, headers={"accept": "application/json"}
                )
    finally:
        store.close()
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    return answer.json()


# --- Tests ---------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_report_matches_its_snapshot(
    case: Case, scenarios: Callable[[str], Built], tmp_path: Path
) -> None:
    built = store_for(case, scenarios, tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    readme = built.root / "README.md"
    readme_before = readme.read_bytes() if readme.is_file() else None
    store_before = None if case.writes else dump(built.db)
    run_before(case, built, work)
    report = run_page(case, built) if case.page else run_command(case, built, work)
    if store_before is not None:
        assert dump(built.db) == store_before, f"{case.id} changed the store"
        assert (readme.read_bytes() if readme.is_file() else None) == readme_before
    check(case.id, Normaliser.of(built.root, tmp_path)(report))


SETUP_SNAPSHOTS = [
    (scenario.name, name) for scenario in SCENARIOS.values() for name, _ in scenario.setup if name
]


@pytest.mark.parametrize(
    ("scenario", "name"), SETUP_SNAPSHOTS, ids=[f"{s}__{n}" for s, n in SETUP_SNAPSHOTS]
)
def test_setup_report_matches_its_snapshot(
    scenario: str, name: str, scenarios: Callable[[str], Built]
) -> None:
    built = scenarios(scenario)
    check(f"{scenario}__{name}", Normaliser.of(built.root)(json.loads(built.outputs[name])))


# --- What the snapshots cover --------------------------------------------------------------


@functools.cache
def root_command() -> TyperGroup:
    """The app's command tree, as Click sees it (built once: building it takes a while)."""
    root = typer.main.get_command(load_commands())
    assert isinstance(root, TyperGroup)
    return root


def json_commands(group: TyperGroup, prefix: tuple[str, ...] = ()) -> Iterator[str]:
    """Every command, as the words a user types, that has a `--json` option."""
    for name, command in group.commands.items():
        path = (*prefix, name)
        if isinstance(command, TyperGroup):
            yield from json_commands(command, path)
        elif any("--json" in getattr(param, "opts", ()) for param in command.params):
            yield " ".join(path)


def command_of(words: tuple[str, ...]) -> str:
    """The command (and sub-command) that the words run."""
    command: object = root_command()
    path: list[str] = []
    for word in words:
        if not isinstance(command, TyperGroup) or word not in command.commands:
            break
        command = command.commands[word]
        path.append(word)
    return " ".join(path)


def covered_commands() -> set[str]:
    setups = [step for s in SCENARIOS.values() for name, step in s.setup if name]
    words = [case.argv for case in CASES if case.argv] + [
        step for step in setups if isinstance(step, tuple)
    ]
    return {command_of(argv) for argv in words}


def test_every_json_command_is_snapshotted_or_excluded() -> None:
    commands = set(json_commands(root_command()))
    assert len(commands) > 30
    missing = commands - covered_commands() - set(EXCLUDED)
    assert not missing, f"give these commands a snapshot case (or an EXCLUDED reason): {missing}"
    assert not set(EXCLUDED) - commands, "EXCLUDED names commands without --json"
    assert not set(EXCLUDED) & covered_commands(), "EXCLUDED names snapshotted commands"


def test_every_page_twin_is_snapshotted_in_every_scenario() -> None:
    twins = {"/overview.json" if path == "/" else f"{path}.json" for path, _, _ in PAGES}
    for scenario in PAGE_SCENARIOS:
        fetched = {case.page for case in CASES if case.scenario == scenario and not case.form}
        assert twins <= fetched, (scenario, twins - fetched)


def test_every_snapshot_file_belongs_to_a_case() -> None:
    names = {case.id for case in CASES} | {f"{s}__{n}" for s, n in SETUP_SNAPSHOTS}
    assert len(names) == len(CASES) + len(SETUP_SNAPSHOTS), "two cases share a snapshot"
    stale = {path.stem for path in SNAPSHOTS.glob("*.json")} - names
    assert not stale, f"snapshots no case writes (delete them): {sorted(stale)}"
