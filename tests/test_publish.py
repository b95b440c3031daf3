"""`publish DIR` and `action init`: a learner's masters as a static site, its badge, its workflow.

The badge follows shields.io's endpoint schema, documented at
https://shields.io/badges/endpoint-badge (`schemaVersion` always the number 1, `label` a string,
`message` a non-empty string, `color` optional). The workflow's keys are GitHub Actions'
workflow syntax (https://docs.github.com/actions/writing-workflows/workflow-syntax-for-github-actions)
and the Pages deployment's permissions are those actions/deploy-pages documents (`pages: write`,
`id-token: write`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
import yaml
from starlette.testclient import TestClient

from diymasters.masters import Masters
from diymasters.publish import (
    BADGE_CHAR_PX,
    BADGE_HEX,
    BADGE_PADDING_PX,
    MARKER,
    WORKFLOW_PATH,
    Badge,
    badge,
    badge_svg,
)
from diymasters.store import Store
from diymasters.tracking import OverallProgress
from diymasters.web import create_app
from tests.conftest import SETTINGS

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Cli

PAGES = ("index", "venn", "plan", "curriculum")
#: The colours shields.io names (its endpoint's `color` takes these, among others).
NAMED_COLOURS = {
    "brightgreen",
    "green",
    "yellowgreen",
    "yellow",
    "orange",
    "red",
    "blue",
    "lightgrey",
}


def published(cli: Cli, site: Path, *args: str) -> dict[str, bytes]:
    """Publish into `site` and return every file in it, by its path there."""
    result = cli("publish", str(site), *args)
    assert result.returncode == 0, result.stderr
    return read_folder(site)


def read_folder(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


class Links(HTMLParser):
    """Every href and src of a page, with its tag, and every id it holds."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in {"href", "src", "xlink:href", "action"} and value is not None:
                self.links.append((tag, name, value))


def parse(html: bytes) -> Links:
    links = Links()
    links.feed(html.decode())
    return links


def resource_urls(report: Any) -> set[str]:
    """Every resource's URL in the curriculum page's JSON twin."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("url"), str):
                found.add(node["url"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(report)
    return found


@pytest.fixture
def site(cli: Cli, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """The template curriculum, published into a new folder."""
    assert cli("init").returncode == 0
    folder = tmp_path / "site"
    return folder, published(cli, folder)


def test_a_learner_publishes_each_page_with_its_twin_and_the_badges(
    site: tuple[Path, dict[str, bytes]],
) -> None:
    _, written = site
    for page in PAGES:
        assert f"{page}.html" in written
        assert json.loads(written[f"{page}.json"])["curriculum"] == "ML Engineer masters"
    assert {"badge.json", "badge.svg", "style.css", MARKER} <= set(written)
    index = written["index.html"].decode()
    assert 'id="overall-progress">37%<' in index
    assert "Mathematics" in index
    assert "No saved plan" in index
    plan = written["plan.html"].decode()
    assert "There is no saved plan" in plan
    assert "<code>diymasters plan</code>" in plan
    assert '<circle class="region"' in written["venn.html"].decode()


def test_the_twins_hold_what_the_web_uis_twins_hold(
    cli: Cli, site: tuple[Path, dict[str, bytes]]
) -> None:
    _, written = site
    store = Store.open(f"sqlite:///{cli.db}")
    try:
        with TestClient(
            create_app(Masters(store), SETTINGS), base_url="http://127.0.0.1:8000"
        ) as c:
            assert json.loads(written["venn.json"]) == c.get("/venn.json").json()
            assert json.loads(written["index.json"]) == c.get("/overview.json").json()
            assert json.loads(written["plan.json"]) == c.get("/plan.json").json()
    finally:
        store.close()


def test_every_link_is_relative_and_leads_to_a_written_file(
    site: tuple[Path, dict[str, bytes]],
) -> None:
    """No page loads anything from elsewhere; the only outside links are the resources' own."""
    _, written = site
    outside = resource_urls(json.loads(written["curriculum.json"]))
    ids = {name: parse(data).ids for name, data in written.items() if name.endswith(".html")}
    seen: list[str] = []
    for name in ids:
        for tag, attribute, value in parse(written[name]).links:
            seen.append(value)
            parts = urlsplit(value)
            if parts.scheme in {"http", "https"}:
                assert (tag, attribute) == ("a", "href"), (name, value)
                assert value in outside, (name, value)
                continue
            if parts.scheme == "data":
                continue
            assert not parts.scheme, (name, value)
            assert not parts.netloc, (name, value)
            assert not parts.path.startswith("/"), (name, value)
            target = parts.path or name
            assert target in written, (name, value)
            if parts.fragment:
                assert parts.fragment in ids[target], (name, value)
    # What was checked: the stylesheet, the script, the pages, the diagram's marks, a course.
    assert {"style.css", "app.js", "venn.html", "badge.svg", "index.json"} <= set(seen)
    assert any(value.startswith("curriculum.html#r") for value in seen)
    assert any(value.startswith("https://") for value in seen)
    script = written["app.js"].decode()
    assert "fetch(" not in script
    assert "XMLHttpRequest" not in script
    assert "http" not in script
    stylesheet = written["style.css"].decode()
    assert "@import" not in stylesheet
    assert re.findall(r"url\(", stylesheet) == []


def test_no_page_names_the_server_or_offers_a_form(site: tuple[Path, dict[str, bytes]]) -> None:
    _, written = site
    for name, data in written.items():
        if name.endswith(".html"):
            html = data.decode()
            assert "<form" not in html, name
            assert "csrf" not in html, name
            assert "/static/" not in html, name


def test_publishing_twice_gives_the_same_bytes_and_changes_nothing(
    cli: Cli, site: tuple[Path, dict[str, bytes]]
) -> None:
    folder, first = site
    # In a process of its own: an order that followed string hashing would differ there.
    again = cli.subprocess("publish", str(folder), "--json")
    assert again.returncode == 0, again.stderr
    assert read_folder(folder) == first
    report = json.loads(again.stdout)
    assert [f["changed"] for f in report["files"]] == [False] * len(report["files"])
    assert {f["path"] for f in report["files"]} == set(first) - {MARKER}


def test_notes_stay_private_unless_the_learner_publishes_them(cli: Cli, tmp_path: Path) -> None:
    assert cli("init").returncode == 0
    assert cli("note", "Real Python", "Private thought about decorators").returncode == 0
    logged = cli("log", "Linear Algebra", "2", "--note", "Private log line")
    assert logged.returncode == 0, logged.stderr
    private = published(cli, tmp_path / "public")
    for name, data in private.items():
        assert b"Private" not in data, name
    shared = published(cli, tmp_path / "shared", "--with-notes")
    assert b"Private thought about decorators" in shared["curriculum.html"]
    assert b"Private thought about decorators" in shared["curriculum.json"]
    assert b"Private log line" in shared["index.html"]


def test_the_learners_paths_stay_out_of_the_site(cli: Cli, tmp_path: Path) -> None:
    readme = tmp_path / "private-folder" / "README.md"
    readme.parent.mkdir()
    readme.write_text("# My masters\n\n## Maths\n- [x] Linear Algebra\n- [ ] Calculus\n")
    assert cli("import", str(readme)).returncode == 0
    for name, data in published(cli, tmp_path / "site").items():
        assert b"private-folder" not in data, name


def test_the_badge_is_a_valid_shields_endpoint(site: tuple[Path, dict[str, bytes]]) -> None:
    _, written = site
    endpoint = json.loads(written["badge.json"])
    assert set(endpoint) == {"schemaVersion", "label", "message", "color"}
    assert endpoint["schemaVersion"] == 1
    assert type(endpoint["schemaVersion"]) is int
    assert isinstance(endpoint["label"], str)
    assert isinstance(endpoint["message"], str)
    assert endpoint["message"]
    assert endpoint["color"] in NAMED_COLOURS
    # As the README's progress block and `status` say it: some resources have no estimate.
    assert endpoint["message"] == "37% · 0 of ≥156.2 h"


def test_the_svg_badge_is_self_contained_xml_as_wide_as_its_rule(
    site: tuple[Path, dict[str, bytes]],
) -> None:
    _, written = site
    endpoint = json.loads(written["badge.json"])
    root = ET.fromstring(written["badge.svg"])  # noqa: S314 (our own file)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts == [endpoint["label"], endpoint["message"]]
    widths = [len(text or "") * BADGE_CHAR_PX + BADGE_PADDING_PX for text in texts]
    assert int(root.attrib["width"]) == sum(widths)
    assert BADGE_HEX[endpoint["color"]].encode() in written["badge.svg"]
    for element in root.iter():
        assert not any("href" in name for name in element.attrib), element.attrib
        assert not any("url(" in value for value in element.attrib.values()), element.attrib


def overall(
    progress: float, logged: float, estimated: float | None, *, complete: bool
) -> OverallProgress:
    return OverallProgress(
        progress=progress,
        weighted_by="hours",
        items=10,
        items_done=0,
        hours_logged=logged,
        hours_estimated=estimated,
        estimate_complete=complete,
        resources={"done": 0, "in_progress": 0, "todo": 10, "dropped": 0},
    )


@pytest.mark.parametrize(
    ("progress", "message", "colour"),
    [
        (overall(0.0, 0.0, None, complete=False), "0% · 0 h logged", "lightgrey"),
        (overall(0.37, 57.6, 156.0, complete=True), "37% · 57.6 of 156 h", "yellow"),
        (overall(0.6, 1234.4, 2000.0, complete=False), "60% · 1,234.4 of ≥2,000 h", "yellowgreen"),
        (overall(0.6, 10.0, 155.64, complete=False), "60% · 10 of ≥155.6 h", "yellowgreen"),
        (overall(1.0, 80.0, 80.0, complete=True), "100% · 80 of 80 h", "brightgreen"),
    ],
)
def test_the_badge_says_the_share_and_the_hours(
    progress: OverallProgress, message: str, colour: str
) -> None:
    shown = badge(progress)
    assert (shown.message, shown.color) == (message, colour)


def test_text_in_the_svg_badge_is_escaped() -> None:
    svg = badge_svg(Badge('<a href="x">&', "1% · 0 h logged", "lightgrey"))
    root = ET.fromstring(svg)  # noqa: S314 (our own file)
    assert next(root.iter("{http://www.w3.org/2000/svg}text")).text == '<a href="x">&'


def test_a_folder_of_someone_elses_is_refused_and_left_as_it_was(cli: Cli, tmp_path: Path) -> None:
    assert cli("init").returncode == 0
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "index.html").write_text("my own page")
    (folder / "notes.txt").write_text("mine")
    before = read_folder(folder)
    result = cli("publish", str(folder))
    assert result.returncode == 1
    assert result.stderr == (
        f"Error: {folder} is not empty and was not written by publishing (it has no "
        f"{MARKER}); nothing was written: choose a new or empty folder\n"
    )
    assert read_folder(folder) == before


def test_a_published_file_edited_since_is_not_replaced(
    cli: Cli, site: tuple[Path, dict[str, bytes]]
) -> None:
    folder, _ = site
    (folder / "CNAME").write_text("masters.example.org\n")
    (folder / "index.html").write_text("edited by hand")
    before = read_folder(folder)
    result = cli("publish", str(folder))
    assert result.returncode == 1
    assert "index.html is not as publishing left it" in result.stderr
    assert read_folder(folder) == before
    (folder / "index.html").unlink()
    assert cli("publish", str(folder)).returncode == 0
    assert (folder / "CNAME").read_text() == "masters.example.org\n"
    assert (folder / "index.html").read_bytes() == site[1]["index.html"]


def test_a_publish_cut_short_is_finished_by_the_next(
    cli: Cli, site: tuple[Path, dict[str, bytes]]
) -> None:
    """A write that fails halfway (here a read-only page) leaves a folder publish still owns."""
    folder, first = site
    assert cli("log", "Principal Component Analysis", "2").returncode == 0
    (folder / "venn.html").chmod(0o444)
    cut_short = cli("publish", str(folder))
    assert cut_short.returncode == 1
    assert "venn.html: the file is read-only" in cut_short.stderr
    assert (folder / "index.html").read_bytes() != first["index.html"]  # written before it
    assert (folder / "venn.html").read_bytes() == first["venn.html"]
    (folder / "venn.html").chmod(0o644)
    finished = cli("publish", str(folder), "--json")
    assert finished.returncode == 0, finished.stderr
    changed = {f["path"] for f in json.loads(finished.stdout)["files"] if f["changed"]}
    assert "venn.html" in changed
    assert "index.html" not in changed
    assert json.loads((folder / MARKER).read_bytes()).keys() == {"written_by", "files"}


def test_a_new_folder_is_made_and_a_file_in_its_place_refused(cli: Cli, tmp_path: Path) -> None:
    assert cli("init").returncode == 0
    assert published(cli, tmp_path / "a" / "b" / "site")
    (tmp_path / "file").write_text("x")
    result = cli("publish", str(tmp_path / "file"))
    assert result.returncode == 2
    assert "is a file, not a folder" in result.stderr


# --- action init -----------------------------------------------------------------------------


def workflow_of(repo: Path) -> dict[Any, Any]:
    data = yaml.safe_load((repo / WORKFLOW_PATH).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def triggers_of(workflow: dict[Any, Any]) -> dict[str, Any]:
    """The workflow's `on`: YAML 1.1, which PyYAML reads, takes a bare `on` for true."""
    found = workflow[True] if True in workflow else workflow["on"]
    assert isinstance(found, dict)
    return found


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    found = job["steps"]
    assert isinstance(found, list)
    return found


def test_action_init_writes_a_workflow_that_imports_publishes_and_deploys(
    cli: Cli, tmp_path: Path
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "README.md").write_text("# My masters\n")
    result = cli("action", "init", "--repo", str(repo), db=False)
    assert result.returncode == 0, result.stderr
    workflow = workflow_of(repo)
    triggers = triggers_of(workflow)
    assert triggers["push"] == {"branches": ["main"]}
    assert "workflow_dispatch" in triggers
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    uses = [step.get("uses", "").split("@")[0] for step in steps(build) + steps(deploy)]
    assert uses == [
        "actions/checkout",
        "actions/setup-python",
        "",
        "",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ]
    runs = "\n".join(step.get("run", "") for step in steps(build))
    assert "python -m pip install 'diymasters'" in runs
    assert "diymasters import 'README.md'" in runs
    assert "diymasters publish site" in runs
    upload = next(s for s in steps(build) if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "site"
    assert "DIYMASTERS_DB" in next(s for s in steps(build) if "publish" in s.get("run", ""))["env"]


def test_action_init_takes_the_install_spec_readme_and_branch(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "My README.md").write_text("# x\n")
    spec = "diymasters @ git+https://github.com/someone/diymasters"
    result = cli(
        "action", "init", "--repo", str(tmp_path), "--install", spec,
        "--readme", "docs/My README.md", "--branch", "master", "--json", db=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["install"] == spec
    workflow = workflow_of(tmp_path)
    assert triggers_of(workflow)["push"] == {"branches": ["master"]}
    runs = "\n".join(step.get("run", "") for step in steps(workflow["jobs"]["build"]))
    assert f"pip install '{spec}'" in runs
    assert "diymasters import 'docs/My README.md'" in runs


def test_action_init_refuses_to_overwrite_unless_forced(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# x\n")
    target = tmp_path / WORKFLOW_PATH
    target.parent.mkdir(parents=True)
    target.write_text("name: mine\n")
    refused = cli("action", "init", "--repo", str(tmp_path), db=False)
    assert refused.returncode == 2
    assert refused.stderr == (
        f"Error: {target} already exists; it was left as it is; pass --force to replace it\n"
    )
    assert target.read_text() == "name: mine\n"
    forced = cli("action", "init", "--repo", str(tmp_path), "--force", db=False)
    assert forced.returncode == 0, forced.stderr
    assert "Replaced" in forced.stdout
    assert workflow_of(tmp_path)["name"] == "diymasters publish"


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--install", "diymasters'; curl evil", "the pip requirement"),
        ("--branch", "main]\njobs:", "the branch"),
        ("--readme", "../README.md", "the README path"),
    ],
)
def test_action_init_refuses_what_would_break_the_workflow(
    cli: Cli, tmp_path: Path, option: str, value: str, says: str
) -> None:
    (tmp_path / "README.md").write_text("# x\n")
    result = cli("action", "init", "--repo", str(tmp_path), option, value, db=False)
    assert result.returncode == 2
    assert result.stderr.startswith(f"Error: {says} ")
    assert not (tmp_path / ".github").exists()


def test_action_init_needs_the_readme_it_publishes(cli: Cli, tmp_path: Path) -> None:
    result = cli("action", "init", "--repo", str(tmp_path), db=False)
    assert result.returncode == 2
    assert (
        result.stderr
        == f"Error: {tmp_path / 'README.md'} does not exist: the workflow publishes from it\n"
    )
    assert not (tmp_path / ".github").exists()


def test_the_workflows_commands_publish_the_readme_as_ci_would(cli: Cli, tmp_path: Path) -> None:
    """The publish step's script, run by bash in a fresh checkout with no store of the learner's."""
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "README.md").write_text(
        "# My masters\n\n## Maths\n\n- [x] [Linear Algebra](https://ocw.mit.edu/courses/18-06-linear-algebra-spring-2010/)\n"
        "- [ ] Calculus\n\n## Programming\n\n- [ ] Real Python\n",
        encoding="utf-8",
    )
    assert cli("action", "init", "--repo", str(repo), db=False).returncode == 0
    step = next(
        s for s in steps(workflow_of(repo)["jobs"]["build"]) if "publish" in s.get("run", "")
    )
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    shims = tmp_path / "bin"
    shims.mkdir()
    shim = shims / "diymasters"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m diymasters "$@"\n')
    shim.chmod(0o755)
    env = {
        **cli.environment(),
        "PATH": f"{shims}:{os.environ['PATH']}",
        "PYTHONPATH": os.pathsep.join(sys.path),
        **{k: v.replace("${{ runner.temp }}", str(runner_temp)) for k, v in step["env"].items()},
    }
    ran = subprocess.run(
        [shutil.which("bash") or "/bin/bash", "-e", "-c", step["run"]],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    assert (runner_temp / "diymasters.db").is_file()
    endpoint = json.loads((repo / "site" / "badge.json").read_bytes())
    assert re.fullmatch(r"\d+% · 0 (of ≥?[\d,.]+ h|h logged)", endpoint["message"])
    summary = json.loads((repo / "site" / "index.json").read_bytes())["overall"]
    assert (summary["items_done"], summary["items"]) == (1, 3)
    assert "Linear Algebra" in (repo / "site" / "curriculum.html").read_text(encoding="utf-8")
