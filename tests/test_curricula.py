"""Several curricula in one store: listing them, choosing one, and every report naming it.

Issue 15: `import` and `init` switched the curriculum silently, an error did not say which
curriculum it looked in, an empty README became an empty curriculum, and the web had no way
to switch.
"""

from __future__ import annotations

import json
import shlex
import sqlite3
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest
from starlette.testclient import TestClient

from diymasters.cli.root import CURRICULUM_ENV
from diymasters.masters import EmptyCurriculumError, Masters
from diymasters.serialise import naming
from diymasters.store import CurriculumNotFoundError, Store
from diymasters.web import PAGES, Settings, create_app
from tests.conftest import Cli
from tests.test_cli import as_json, dump, fails, ok

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

TEMPLATE = "ML Engineer masters"
TOKEN = "test-token"  # noqa: S105 (a fixed CSRF token, so tests can post forms)
SETTINGS = Settings(host="127.0.0.1", port=8000, csrf_token=TOKEN)
README = "# Reading list\n\n## Maths\n\n- [x] Algebra\n- [ ] Calculus\n"


@pytest.fixture
def two(cli: Cli, tmp_path: Path) -> Cli:
    """A store with the template, then a README imported after it (so in use)."""
    ok(cli("init"))
    (tmp_path / "README.md").write_text(README, encoding="utf-8")
    ok(cli("import", str(tmp_path / "README.md")))
    return cli


def in_use(cli: Cli) -> Any:
    return as_json(cli("curricula", "--json"))["curriculum"]


# --- Choosing ------------------------------------------------------------------------------


def test_init_and_import_say_what_they_switched_from_and_how_to_go_back(
    cli: Cli, tmp_path: Path
) -> None:
    assert ok(cli("init")).splitlines()[-1] == f"Now using {TEMPLATE!r}."
    (tmp_path / "README.md").write_text(README, encoding="utf-8")
    switched = ok(cli("import", str(tmp_path / "README.md"))).splitlines()[-1]
    back = f"diymasters use {shlex.quote(TEMPLATE)}"
    assert switched == f"Now using 'Reading list' (was {TEMPLATE!r}); `{back}` goes back."
    assert in_use(cli) == "Reading list"
    # The command it prints is the way back.
    ok(cli(*shlex.split(back)[1:]))
    assert in_use(cli) == TEMPLATE


def test_use_chooses_the_curriculum_of_every_later_command_in_any_case(two: Cli) -> None:
    assert ok(two("use", "ml engineer MASTERS")) == (
        f"Now using {TEMPLATE!r} (was 'Reading list'); `diymasters use 'Reading list'` goes back.\n"
    )
    assert as_json(two("status", "--json"))["curriculum"] == TEMPLATE
    ok(two("done", "Real Python"))  # only the template has it
    assert as_json(two("use", "reading list", "--json")) == {
        "curriculum": "Reading list",
        "previous": TEMPLATE,
    }
    assert as_json(two("status", "--json"))["curriculum"] == "Reading list"


def test_the_choice_survives_a_new_process(two: Cli) -> None:
    ok(two("use", TEMPLATE))
    shown = two.subprocess("show", "Real Python")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[0] == f"Curriculum: {TEMPLATE}"


def test_the_curriculum_option_overrides_the_choice_for_one_command(two: Cli) -> None:
    assert as_json(two("--curriculum", "ml engineer masters", "status", "--json"))[
        "curriculum"
    ] == (TEMPLATE)
    listed = as_json(two("--curriculum", TEMPLATE, "curricula", "--json"))
    assert listed["curriculum"] == TEMPLATE
    assert in_use(two) == "Reading list"


def test_a_switch_says_when_the_environment_still_names_another(
    two: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        two, "environment", lambda: {**Cli.environment(two), CURRICULUM_ENV: TEMPLATE}
    )
    switched = two("use", "Reading list")
    assert switched.returncode == 0
    assert switched.stderr == (
        f"Note: {CURRICULUM_ENV} is set, so commands in this shell still work on {TEMPLATE!r} "
        "until it is unset.\n"
    )
    assert as_json(two("status", "--json"))["curriculum"] == TEMPLATE


def test_use_takes_a_prefix_as_resources_do_and_refuses_an_ambiguous_one(two: Cli) -> None:
    assert as_json(two("use", "ml eng", "--json"))["curriculum"] == TEMPLATE
    readme = two.db.parent / "second.md"
    readme.write_text("# Reading plan\n\n## Maths\n\n- [ ] Algebra\n", encoding="utf-8")
    ok(two("import", str(readme)))
    before = dump(two.db)
    line = fails(two("use", "reading"), 2)
    assert line == 'Error: \'reading\' matches 2: "Reading list", "Reading plan"'
    assert dump(two.db) == before


def test_an_unknown_name_lists_the_known_ones_and_changes_nothing(two: Cli) -> None:
    before = dump(two.db)
    line = fails(two("use", "Astrology"), 2)
    assert line == f"Error: no curriculum named 'Astrology'; there are: {TEMPLATE}, Reading list"
    assert dump(two.db) == before


def test_a_store_that_never_chose_uses_the_newest(tmp_path: Path) -> None:
    """A store from before the choice was kept (every `chosen_at` null) works as it did."""
    db = tmp_path / "old.db"
    store = Store.open(f"sqlite:///{db}")
    try:
        masters = Masters(store)
        masters.init()
        masters.init(name="Newest")
        masters.use(TEMPLATE)
        with sqlite3.connect(db) as connection:
            connection.execute("UPDATE curriculum SET chosen_at = NULL")
        assert Masters(store).in_use() == "Newest"
        assert Masters(store).curriculum().name == "Newest"
    finally:
        store.close()


def test_use_outlasts_a_name_given_when_the_masters_was_opened(masters: Masters) -> None:
    """`serve --curriculum A` then the switcher: the pages follow the switch."""
    masters.init(name="Second")
    pinned = Masters(masters.store, TEMPLATE)
    assert pinned.use("second").curriculum == "Second"
    assert pinned.curriculum().name == "Second"


def test_an_empty_store_has_none_in_use(store: Store) -> None:
    masters = Masters(store)
    assert masters.in_use() is None
    assert masters.curricula().curricula == ()
    with pytest.raises(CurriculumNotFoundError, match="no curriculum yet"):
        masters.use("anything")


# --- Listing -------------------------------------------------------------------------------


def test_curricula_lists_progress_with_its_counts_and_readme(two: Cli, tmp_path: Path) -> None:
    ok(two("log", "Calculus", "2"))
    listed = as_json(two("curricula", "--json"))
    assert listed["curriculum"] == "Reading list"
    template, reading = listed["curricula"]
    assert (template["name"], template["in_use"], template["readme"]) == (TEMPLATE, False, None)
    assert template["resources"] == 9
    assert reading["in_use"] is True
    assert reading["readme"] == str(tmp_path / "README.md")
    assert reading["resources"] == 2
    assert reading["overall"]["resources"] == {"todo": 0, "in_progress": 1, "done": 1, "dropped": 0}
    assert reading["overall"]["hours_logged"] == 2
    text = ok(two("curricula")).splitlines()
    assert text[1] == (
        f"* Reading list: {reading['overall']['progress']:.0%} "
        f"(2 h; 2 resources: 1 in progress, 1 done); README {tmp_path / 'README.md'}"
    )
    assert text[0].startswith(f"  {TEMPLATE}: ")
    assert text[-1] == "* in use: Reading list. `diymasters use NAME` chooses another."


# --- Refusing an empty curriculum ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "# Notes\n\nJust prose, no list.\n",
        "# Reading list\n\n## Maths\n\nNothing yet.\n",
    ],
)
def test_a_readme_without_items_is_refused_and_nothing_is_stored(
    two: Cli, tmp_path: Path, text: str
) -> None:
    empty = tmp_path / "empty.md"
    empty.write_text(text, encoding="utf-8")
    before = dump(two.db)
    line = fails(two("import", str(empty)), 2)
    assert line == (
        "Error: empty.md holds no resources to track (resources are its list items; tables "
        "and prose are not read); nothing was stored"
    )
    assert dump(two.db) == before
    assert in_use(two) == "Reading list"


def test_a_template_without_resources_is_refused_and_nothing_is_stored(
    cli: Cli, tmp_path: Path
) -> None:
    template = tmp_path / "empty.yaml"
    template.write_text("name: Empty\ndomains:\n  - name: Maths\n    resources: []\n")
    line = fails(cli("init", "--template", str(template)), 2)
    assert line == (
        f"Error: the template {str(template)!r} holds no resources to track; nothing was stored"
    )
    assert "no curriculum yet" in fails(cli("status"), 2)


def test_the_facade_refuses_an_empty_import_before_touching_the_store(
    masters: Masters, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.md"
    empty.write_text("# Nothing\n", encoding="utf-8")
    with pytest.raises(EmptyCurriculumError):
        masters.import_readme(empty)
    assert masters.curriculum_names() == [TEMPLATE]


# --- Every report names the curriculum -----------------------------------------------------


def test_an_error_names_the_curriculum_it_looked_in(two: Cli) -> None:
    line = fails(two("log", "Principal", "1"), 2)
    assert line == "Error: no resource matches 'Principal' in curriculum 'Reading list'"
    line = fails(two("add", "Topology", "--domain", "Geometry"), 2)
    assert line.startswith("Error: no domain matches 'Geometry' in curriculum 'Reading list';")


@pytest.mark.parametrize(
    "args",
    [
        ("show", "Calculus"),
        ("start", "Calculus"),
        ("log", "Calculus", "1h"),
        ("note", "Calculus", "limits first"),
        ("tag", "Calculus", "calculus"),
        ("entries",),
        ("sync", "--dry-run"),
    ],
)
def test_human_output_says_the_curriculum_first(two: Cli, args: tuple[str, ...]) -> None:
    assert ok(two(*args)).splitlines()[0] == "Curriculum: Reading list"


@pytest.mark.parametrize(
    "args",
    [
        ("show", "Calculus", "--json"),
        ("done", "Calculus", "--json"),
        ("remove", "Algebra", "--json"),
        ("sync", "--dry-run", "--json"),
        ("readme", "autosync", "on", "--json"),
    ],
)
def test_json_objects_carry_the_curriculum(two: Cli, args: tuple[str, ...]) -> None:
    assert as_json(two(*args))["curriculum"] == "Reading list"


def test_naming_adds_the_curriculum_only_where_it_is_missing() -> None:
    assert naming({"id": 1}, "X") == {"curriculum": "X", "id": 1}
    assert naming({"curriculum": "Y"}, "X") == {"curriculum": "Y"}
    assert naming([{"id": 1}], "X") == [{"id": 1}]
    assert naming({"id": 1}, None) == {"id": 1}


def test_a_list_stays_a_list(two: Cli) -> None:
    """A script reading `entries --json` as an array keeps working."""
    ok(two("log", "Calculus", "1"))
    assert isinstance(as_json(two("entries", "--json")), list)


def test_serve_says_which_curriculum_its_pages_start_on(two: Cli) -> None:
    command = [sys.executable, "-m", "diymasters", "--db", f"sqlite:///{two.db}", "serve"]
    with subprocess.Popen(
        [*command, "--port", "0"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=two.environment(),
    ) as server:
        assert server.stdout is not None
        line = server.stdout.readline()
        server.terminate()
    assert line.startswith("diymasters is serving http://127.0.0.1:")
    assert line.endswith(" with 'Reading list' in use (Ctrl-C stops it)\n")


# --- The web UI's switcher -----------------------------------------------------------------


@pytest.fixture
def client(masters: Masters) -> Iterator[TestClient]:
    masters.init(name="Second")  # in use from now on
    with TestClient(
        create_app(masters, SETTINGS), base_url="http://127.0.0.1:8000", follow_redirects=False
    ) as test_client:
        yield test_client


def switch(client: TestClient, name: str, **fields: str) -> Any:
    return client.post("/use", data={"csrf": TOKEN, "curriculum": name, **fields})


@pytest.mark.parametrize("path", [path for path, _, _ in PAGES])
def test_every_page_names_the_curriculum_in_its_header(client: TestClient, path: str) -> None:
    page = client.get(path).text
    header = page[page.index('<header class="top">') : page.index("</header>")]
    assert "<option selected>Second</option>" in header
    assert f"<option>{TEMPLATE}</option>" in header
    twin = client.get("/overview.json" if path == "/" else f"{path}.json").json()
    assert twin["curriculum"] == "Second"


def test_the_switcher_chooses_and_goes_back_to_the_page(
    client: TestClient, masters: Masters
) -> None:
    answer = switch(client, TEMPLATE.upper(), back="/venn")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/venn?switched"
    assert f"Now using {TEMPLATE}." in client.get(answer.headers["location"]).text
    assert masters.in_use() == TEMPLATE
    assert json.loads(client.get("/curriculum.json").text)["curriculum"] == TEMPLATE


def test_the_switcher_goes_back_only_to_a_page_of_its_own(client: TestClient) -> None:
    for back in ("https://attacker.example/", "//attacker.example", "/venn?x=1", ""):
        assert switch(client, "Second", back=back).headers["location"] == "/?switched"


def test_a_script_gets_the_choice_as_json(client: TestClient) -> None:
    answer = client.post(
        "/use",
        data={"csrf": TOKEN, "curriculum": TEMPLATE},
        headers={"accept": "application/json"},
    )
    assert answer.json() == {"curriculum": TEMPLATE, "previous": "Second"}


def test_an_unknown_curriculum_is_a_404_naming_the_known_ones(
    client: TestClient, masters: Masters
) -> None:
    answer = switch(client, "Astrology", back="/")
    assert answer.status_code == 404
    assert f"there are: {TEMPLATE}, Second" in answer.text
    answer = client.post(
        "/use",
        data={"csrf": TOKEN, "curriculum": "Astrology"},
        headers={"accept": "application/json"},
    )
    assert answer.json() == {
        "error": f"no curriculum named 'Astrology'; there are: {TEMPLATE}, Second"
    }
    assert masters.in_use() == "Second"


def test_the_switcher_goes_through_the_form_guards(client: TestClient, masters: Masters) -> None:
    for token in ("", "guessed"):
        answer = client.post("/use", data={"csrf": token, "curriculum": TEMPLATE})
        assert answer.status_code == 403
    answer = client.post(
        "/use",
        data={"csrf": TOKEN, "curriculum": TEMPLATE},
        headers={"origin": "http://attacker.example"},
    )
    assert answer.status_code == 403
    app = create_app(masters, SETTINGS)
    with TestClient(app, base_url="http://attacker.example:8000") as other:
        assert other.post("/use", data={"csrf": TOKEN, "curriculum": TEMPLATE}).status_code == 421
    assert masters.in_use() == "Second"


def test_one_curriculum_is_named_without_a_switcher(store: Store) -> None:
    masters = Masters(store)
    masters.init()
    with TestClient(create_app(masters, SETTINGS), base_url="http://127.0.0.1:8000") as client:
        page = client.get("/").text
    assert f'Curriculum in use <strong class="in-use">{TEMPLATE}</strong>' in page
    assert 'action="/use"' not in page
