from __future__ import annotations

import importlib.util
import json
import os
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

import pytest
import typer
from typer.core import TyperGroup

from diymasters.cli import COMMANDS, load_commands, named_command
from diymasters.cli.errors import EXIT_STATUS
from diymasters.errors import Category
from tests.conftest import SHARED, unmeasured
from tests.test_postings import alias_bomb, deep_front_matter, deep_json

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.conftest import Cli


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def fails(result: subprocess.CompletedProcess[str], code: int) -> str:
    """Assert the CLI failed the way a user should see it: one line, no traceback."""
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


def as_json(result: subprocess.CompletedProcess[str]) -> Any:
    return json.loads(ok(result))


def dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return list(connection.iterdump())


def find(report: dict[str, Any], title: str) -> dict[str, Any]:
    stack = list(report["domains"])
    while stack:
        item = stack.pop()
        if item.get("title") == title:
            found: dict[str, Any] = item
            return found
        stack += item.get("resources", []) + item.get("domains", []) + item.get("children", [])
    raise KeyError(title)


@pytest.fixture
def initialised(cli: Cli) -> Cli:
    ok(cli("init"))
    return cli


def test_the_issue_acceptance_sequence(cli: Cli) -> None:
    ok(cli("init"))
    before = as_json(cli("status", "--json"))
    ok(cli("done", "Multivariate Calculus"))
    after = as_json(cli("status", "--json"))
    spec = find(after, "Mathematics for Machine Learning Specialization")
    assert spec["status"] == "in_progress"
    maths_before, maths_after = before["domains"][0], after["domains"][0]
    assert maths_after["name"] == "Mathematics"
    # The course's 22 h of the Mathematics domain's 124 weighted hours (see test_masters).
    assert maths_after["progress"] - maths_before["progress"] == pytest.approx(22 / 124)


def test_status_json_has_the_documented_shape(initialised: Cli) -> None:
    report = as_json(initialised("status", "--json"))
    assert report["curriculum"] == "ML Engineer masters"
    assert set(report["overall"]) >= {"progress", "hours_logged", "hours_estimated"}
    maths = report["domains"][0]
    assert set(maths) >= {"name", "progress", "resources", "domains"}
    spec = maths["resources"][0]
    assert set(spec) >= {
        "title",
        "status",
        "progress",
        "hours_logged",
        "hours_estimated",
        "children",
    }
    assert spec["hours_estimated"] == 62
    assert report["domains"][1]["domains"][1]["name"] == "C++"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
def test_output_to_a_full_disk_is_said_in_one_line_not_as_a_bug(initialised: Cli) -> None:
    with Path("/dev/full").open("w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "diymasters", *initialised.arguments(["status"], db=True)],
            stdout=full,
            stderr=subprocess.PIPE,
            env=initialised.environment(),
            timeout=60,
            check=False,
        )
    assert result.returncode == 1
    assert result.stderr.decode() == "Error: could not write the output: No space left on device\n"


def test_status_prints_a_tree_without_colour_codes_into_a_pipe(initialised: Cli) -> None:
    out = ok(initialised("status"))
    assert "\x1b[" not in out
    lines = out.splitlines()
    assert lines[0].startswith("ML Engineer masters")
    assert any("✓ Linear Algebra" in line and "100%" in line for line in lines)
    assert any("Statistics" in line and "nothing here yet" in line for line in lines)


def test_init_twice_is_refused_but_if_empty_is_quiet(initialised: Cli) -> None:
    assert "already exists" in fails(initialised("init"), 1)
    assert "nothing loaded" in ok(initialised("init", "--if-empty"))
    ok(initialised("init", "--name", "Plan B"))
    second = as_json(initialised("--curriculum", "plan b", "status", "--json"))
    assert second["curriculum"] == "Plan B"


def test_start_then_todo(initialised: Cli) -> None:
    started = as_json(initialised("start", "Computational", "--date", "2026-01-05", "--json"))
    assert (started["status"], started["started"]) == ("in_progress", "2026-01-05")
    reset = as_json(initialised("todo", "Computational", "--json"))
    assert (reset["status"], reset["started"]) == ("todo", None)


def test_drop_keeps_the_record(initialised: Cli) -> None:
    ok(initialised("log", "Practical Deep", "3"))
    dropped = as_json(initialised("drop", "Practical Deep", "--json"))
    assert dropped["status"] == "dropped"
    assert dropped["hours_logged"] == 3
    text = ok(initialised("status"))
    assert "✗ Practical Deep Learning for Coders" in text


def test_log_with_date_and_note(initialised: Cli) -> None:
    ok(initialised("log", "Principal", "1h30", "--date", "2026-11-01", "--note", "week 1"))
    shown = as_json(initialised("show", "Principal", "--json"))
    assert shown["time_entries"] == [{"date": "2026-11-01", "hours": 1.5, "note": "week 1"}]
    assert shown["status"] == "in_progress"
    assert "2026-11-01  1.5 h  week 1" in ok(initialised("show", "Principal"))
    shown_text = ok(initialised("show", "Linear Algebra"))
    assert "Approx. 22 hours to complete" in shown_text
    assert "\n  source: " not in shown_text  # the catalog's source is the basis, said once


def test_note_rename_remove_and_add(initialised: Cli) -> None:
    assert as_json(initialised("note", "Real Python", "Packaging", "--json"))["notes"] == (
        "Packaging"
    )
    renamed = as_json(initialised("rename", "Real Python", "Real Python membership", "--json"))
    assert renamed["title"] == "Real Python membership"
    added = as_json(
        initialised(
            "add",
            "Think Stats",
            "--domain",
            "Statistics",
            "--kind",
            "book",
            "--hours",
            "40",
            "--url",
            "https://greenteapress.com/thinkstats2/",
            "--json",
        )
    )
    assert (added["kind"], added["hours_estimated"]) == ("book", 40)
    ok(initialised("remove", "Think Stats"))
    assert "Think Stats" not in ok(initialised("status"))


def test_an_estimate_typed_wrong_when_adding_is_corrected_not_re_added(initialised: Cli) -> None:
    """100,000 h typed for 100 sank every share to 0%; removing and adding again lost the log."""
    added = ["add", "Think Stats", "--domain", "Statistics", "--kind", "book", "--json"]
    ok(initialised(*added, "--hours", "100"))
    ok(initialised("log", "Think Stats", "2"))
    typo = fails(initialised("estimate", "Think Stats", "100000"), 2)
    assert typo == (
        "Error: 100,000 h for 'Think Stats' is more than a year of full-time study (2,000 h); "
        "pass --yes if it is right"
    )
    assert fails(initialised("estimate", "Think Stats", "-3"), 2).endswith(
        "positive number of hours"
    )
    assert "HOURS or --clear" in fails(initialised("estimate", "Think Stats"), 2)
    fixed = as_json(initialised("estimate", "Think Stats", "12h30", "--json"))
    assert (fixed["hours_estimated"], fixed["hours_logged"]) == (12.5, 2)
    assert fixed["estimate_basis"] == "your estimate"
    again = ok(initialised("estimate", "Think Stats", "12.5"))
    assert "already has that estimate (12.5 h); nothing changed" in again
    kept = as_json(initialised("estimate", "Think Stats", "3000", "--yes", "--json"))
    assert kept["hours_estimated"] == 3000
    cleared = as_json(initialised("estimate", "Think Stats", "--clear", "--json"))
    assert cleared.get("hours_estimated") is None
    assert cleared["hours_logged"] == 2


def test_hours_in_a_message_are_to_two_places(initialised: Cli) -> None:
    """'23.9833 h' in a removal's refusal, and 99999 + 1.5 as "would make 100000 h"."""
    ok(initialised("log", "Real Python", "1h05", "--date", "2026-11-30"))
    refused = fails(initialised("remove", "Real Python"), 2)
    assert refused == "Error: removing 'Real Python' also deletes 1.08 h logged; pass --yes"
    ok(initialised("estimate", "Real Python", "99999.5", "--yes"))
    shown = as_json(initialised("estimate", "Real Python", "99999.5", "--json"))
    assert shown["unchanged"] == (
        "'Real Python' already has that estimate (99,999.5 h); nothing changed"
    )


def test_db_defaults_to_the_data_directory(cli: Cli) -> None:
    ok(cli("init", db=False))
    default = cli.home / ".local" / "share" / "diymasters" / "diymasters.db"
    assert default.is_file()
    assert "ML Engineer masters" in ok(cli("status", db=False))


def command_paths(group: TyperGroup, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command and sub-command the app defines, as the words a user types."""
    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, TyperGroup):
            yield from command_paths(command, (*prefix, name))


def test_every_command_is_listed_and_has_help(cli: Cli) -> None:
    paths = list(command_paths(cast("TyperGroup", typer.main.get_command(load_commands()))))
    assert len(paths) > 30
    for path in paths:
        parent = ok(cli(*path[:-1], "--help", db=False))
        assert f"  {path[-1]} " in parent or parent.rstrip().endswith(f"  {path[-1]}")
        text = ok(cli(*path, "--help", db=False))
        assert text.splitlines()[0].startswith(f"Usage: diymasters {' '.join(path)}")


def registering_module(command: typer.models.CommandInfo) -> str:
    assert command.callback is not None
    return str(command.callback.__module__)


def test_the_command_table_names_the_module_that_registers_each_command() -> None:
    app = load_commands()
    registered = {}
    for command in app.registered_commands:
        assert command.callback is not None
        registered[command.name or command.callback.__name__] = registering_module(command)
    for group in app.registered_groups:
        assert group.typer_instance is not None
        first = group.typer_instance.registered_commands[0]
        registered[str(group.name)] = registering_module(first)
    assert {name: f"diymasters.cli.{module}" for name, module in COMMANDS.items()} == registered


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["status", "--json"], "status"),
        (["--db", "status.db", "--curriculum", "plan", "show", "x"], "show"),
        (["--db=plan.db", "skills", "extract", "-"], "skills"),
        (["--help"], None),
        ([], None),
    ],
)
def test_a_command_line_names_its_command_past_the_global_options(
    args: list[str], named: str | None
) -> None:
    assert named_command(args) == named


# --- Bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["done", "Quantum Computing"], 2, "no resource matches 'Quantum Computing'"),
        (["done", "Multivariate Calculas"], 2, 'did you mean "Multivariate Calculus"'),
        (["start", "Accelerated"], 2, 'matches 2: "Accelerated Computer Science'),
        (["log", "Real Python", "-2"], 2, "must be a positive number of hours"),
        (["log", "Real Python", "-1h30"], 2, "hours -1.5 must be a positive number of hours"),
        (["log", "Real Python", "lots"], 2, "is not a duration"),
        (["log", "Real Python", "1", "--date", "2026-02-30"], 2, "is not a date"),
        (["done", "Real Python", "--date", "2999-01-01"], 2, "is in the future"),
        (["add", "Orphan"], 2, "'Orphan' needs a place: give a domain or a resource to go under"),
        (
            ["add", "Evil", "--domain", "Statistics", "--url", "javascript:alert(8)"],
            2,
            (
                "url 'javascript:alert(8)' is not allowed: a link must be http, https, mailto "
                "or a relative path"
            ),
        ),
        (["add", "Evil", "--domain", "Statistics", "--url", "data:text/html,8"], 2, "not allowed"),
        (["note", "Real Python", ""], 2, "the note is empty; nothing was added"),
        (["add", "Lost", "--domain", "Astrology"], 2, "no domain matches 'Astrology'"),
        (["remove", "Mathematics for Machine"], 2, "pass --yes"),
        (["rename", "Real Python", "  "], 2, "must not be empty"),
        (["log", "Real Python"], 2, "Missing argument 'hours'"),
        (["frobnicate"], 2, "No such command 'frobnicate'"),
    ],
)
def test_bad_input_fails_in_one_line_and_changes_nothing(
    initialised: Cli, args: list[str], code: int, message: str
) -> None:
    before = dump(initialised.db)
    line = fails(initialised(*args), code)
    assert message in line
    assert dump(initialised.db) == before


@pytest.mark.parametrize(
    ("args", "code", "line"),
    [
        (
            ["sync"],
            2,
            "'ML Engineer masters' has no linked README; run `diymasters import PATH` first",
        ),
        (
            ["upstream", "diff"],
            2,
            "the README follows no upstream; run `diymasters follow PATH` first",
        ),
        (["gaps"], 2, "no stored postings; give --posting FILE or --corpus PATH"),
        (
            ["gaps", "--target", "dream"],
            2,
            "no target named 'dream'; targets: none yet; save one with `diymasters target save`",
        ),
        (["progress"], 2, "no plan named 'plan'; plans: none yet; make one with `diymasters plan`"),
        (
            ["catalog", "show", "no-such-entry"],
            2,
            "no catalog entry 'no-such-entry'; try `diymasters catalog search`",
        ),
        (
            ["--curriculum", "Quantum", "status"],
            2,
            "no curriculum named 'Quantum'; there are: ML Engineer masters",
        ),
    ],
)
def test_each_kind_of_failure_has_its_status_and_the_cli_says_what_to_run(
    initialised: Cli, args: list[str], code: int, line: str
) -> None:
    """The core says what is wrong; the command line adds the command that sets it right."""
    assert fails(initialised(*args), code) == f"Error: {line}"


def test_an_empty_store_points_to_init(cli: Cli) -> None:
    assert "run `diymasters init`" in fails(cli("status"), 2)


def test_a_corrupt_store_file_is_reported_and_kept(cli: Cli) -> None:
    garbage = b"not sqlite at all\n" * 500
    cli.db.write_bytes(garbage)
    assert "file is not a database" in fails(cli("status"), 1)
    assert cli.db.read_bytes() == garbage


def test_an_unopenable_store_is_reported(cli: Cli) -> None:
    cli.db.mkdir()
    assert "unable to open database file" in fails(cli("status"), 1)


def test_a_template_with_a_typo_is_located(cli: Cli, tmp_path: Path) -> None:
    template = tmp_path / "mine.yaml"
    template.write_text("name: Mine\ndomains:\n  - nmae: Maths\n", encoding="utf-8")
    line = fails(cli("init", "--template", str(template)), 1)
    assert f"{template}:3: domains[0].nmae: unknown field" in line
    assert fails(cli("status"), 2)  # nothing was created


def test_a_binary_given_as_a_template_is_named_as_not_one(cli: Cli, tmp_path: Path) -> None:
    binary = tmp_path / "program"
    binary.write_bytes(b"\x7fELF\x02\x01\x01\x00\xd0\x41")
    line = fails(cli("init", "--template", str(binary)), 1)
    assert line == f"Error: {binary}: not a YAML template: byte 0xd0 at offset 8 is not UTF-8"
    control = tmp_path / "control.yaml"
    control.write_bytes(b"\x7fELF\x02")
    line = fails(cli("init", "--template", str(control)), 1)  # one line, where YAML gave two
    assert "not valid YAML: unacceptable character #x007f" in line
    assert fails(cli("status"), 2)  # nothing was created


def test_an_unknown_template_is_a_usage_error(cli: Cli) -> None:
    assert "ml-engineer" in fails(cli("init", "--template", "nope"), 2)


def test_commands_that_change_nothing_say_so(initialised: Cli) -> None:
    ok(initialised("start", "Real Python"))
    again = ok(initialised("start", "Real Python"))
    assert again.splitlines()[-1] == "'Real Python' is already in progress; nothing changed."
    ok(initialised("done", "Mathematics for Machine Learning"))
    before = dump(initialised.db)
    started = ok(initialised("start", "Mathematics for Machine Learning"))
    assert started.splitlines()[-1] == (
        "'Mathematics for Machine Learning Specialization' takes its status from the parts "
        "under it and stays done; nothing changed."
    )
    assert dump(initialised.db) == before


def test_a_missing_file_fails_with_1_in_every_command(cli: Cli, tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# M\n\n## Maths\n\n- [ ] Algebra\n", encoding="utf-8")
    ok(cli("import", str(readme)))
    missing = str(tmp_path / "missing.md")
    for args in (
        ["import", missing],
        ["readme", "check", missing],
        ["follow", missing],
        ["init", "--template", str(tmp_path / "missing.yaml")],
        ["gaps", "--posting", missing],
        ["skills", "extract", missing],
    ):
        assert "No such file or directory" in fails(cli(*args), 1), args


# --- README round trip ----------------------------------------------------------------------


def test_import_done_sync_flips_exactly_one_byte(cli: Cli, tmp_path: Path) -> None:
    seed = SHARED / "corpus" / "seed-readme.md"
    if not seed.is_file():
        pytest.skip("../shared is absent")
    copy = tmp_path / "README.md"
    copy.write_bytes(seed.read_bytes())
    imported = as_json(cli("import", str(copy), "--json"))
    assert (imported["domains"], imported["resources"], imported["checkboxes"]) == (8, 9, 8)
    ok(cli("done", "Multivariate Calculus"))
    assert "+  - [x] Multivariate Calculus" in ok(cli("sync", "--dry-run"))
    assert copy.read_bytes() == seed.read_bytes()
    assert "Wrote 1 change(s)" in ok(cli("sync"))
    before, after = seed.read_bytes(), copy.read_bytes()
    assert len(before) == len(after)
    assert [(a, b) for a, b in zip(before, after, strict=True) if a != b] == [(ord(" "), ord("x"))]
    assert "up to date" in ok(cli("sync"))


def test_readme_check_reports_and_exits_zero_when_identical(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_bytes(b"# M\r\n\r\n## Maths\r\n\r\n- [X] Algebra\r\n- [ ] Calculus")
    result = as_json(cli("readme", "check", str(path), "--json", db=False))
    assert result["identical"] is True
    assert (result["bytes"], result["domains"], result["resources"], result["checkboxes"]) == (
        path.stat().st_size,
        1,
        2,
        2,
    )
    assert result["newline"] == "CRLF"
    said = ok(cli("readme", "check", str(path), db=False))
    assert "identical" in said
    assert "import would refuse it" not in said
    path.write_bytes(b"")  # round-trips, but holds nothing to track: said, as import says it
    said = ok(cli("readme", "check", str(path), db=False))
    assert said.rstrip().endswith("; it holds no resources, so import would refuse it")


def test_readme_errors_are_one_line(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"# M\n\xff\n")
    assert "not UTF-8: byte 0xff at offset 4" in fails(cli("readme", "check", str(bad)), 1)
    assert "No such file or directory" in fails(cli("import", str(tmp_path / "none.md")), 1)
    ok(cli("init"))
    assert "has no linked README" in fails(cli("sync"), 2)
    assert "expected 'on' or 'off'" in fails(cli("readme", "autosync", "maybe"), 2)


def test_autosync_from_the_command_line(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_bytes(b"# M\n\n## Maths\n\n- [ ] Algebra\n")
    ok(cli("import", str(path)))
    ok(cli("readme", "autosync", "on"))
    assert ok(cli("readme", "autosync", "on")) == (
        f"Curriculum: M\nAutosync is already on for {path}; nothing changed.\n"
    )
    assert "README updated" in ok(cli("done", "Algebra"))
    assert path.read_bytes() == b"# M\n\n## Maths\n\n- [x] Algebra\n"


def test_upstream_diff_says_when_a_link_comes_or_goes(cli: Cli, tmp_path: Path) -> None:
    mine = tmp_path / "README.md"
    mine.write_text("# M\n\n## Maths\n\n- [ ] [Algebra](https://a.example)\n- [ ] Calculus\n")
    curated = tmp_path / "curated.md"
    curated.write_text(mine.read_text())
    ok(cli("import", str(mine)))
    ok(cli("follow", str(curated)))
    merged = ok(cli("upstream", "merge"))
    assert merged == f"Curriculum: M\nNothing to merge: {mine} is up to date with upstream.\n"
    curated.write_text("# M\n\n## Maths\n\n- [ ] Algebra\n- [ ] [Calculus](https://c.example)\n")
    listed = ok(cli("upstream", "diff")).splitlines()
    assert listed == [
        "Curriculum: M",
        "@ link    Algebra [Maths] (link removed: https://a.example)",
        "@ link    Calculus [Maths] (link added: https://c.example)",
    ]


# --- Skills ---------------------------------------------------------------------------------


def test_skills_extract_reads_stdin_and_prints_json(cli: Cli) -> None:
    result = cli("skills", "extract", "-", "--json", stdin="Requirements:\n- Python and SQL\n")
    found = as_json(result)["skills"]
    assert [(s["name"], s["domain"], s["required"]) for s in found] == [
        ("Python", "Python", True),
        ("SQL", "Data Engineering", True),
    ]
    assert found[0]["evidence"] == "- Python and SQL"


def test_skills_extract_adds_the_span_taggers_phrases_only_when_asked(cli: Cli) -> None:
    """The tagger's phrases are mostly not skills a person marks: they come with --tagger."""
    posting = "What you'll do:\n- Write clean, stable and scalable code in Python.\n"
    plain = as_json(cli("skills", "extract", "-", "--json", stdin=posting))["skills"]
    tagged = as_json(cli("skills", "extract", "-", "--json", "--tagger", stdin=posting))["skills"]
    assert [s["id"] for s in plain] == ["dm:python"]
    assert [s["id"] for s in tagged] == ["span:write clean stable and scalable code", "dm:python"]


def test_skills_extract_jsonl_prints_one_line_per_posting(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "postings.jsonl"
    path.write_text(
        json.dumps({"id": "a", "text": "PyTorch please"})
        + "\n"
        + json.dumps({"id": "b", "text": "Nothing here"})
        + "\n",
        encoding="utf-8",
    )
    lines = [json.loads(line) for line in ok(cli("skills", "extract", str(path))).splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    (pytorch,) = lines[0]["skills"]
    assert (pytorch["id"], pytorch["start"], pytorch["end"], pytorch["required"]) == (
        "dm:pytorch",
        0,
        7,
        True,
    )
    assert lines[1]["skills"] == []


def test_skills_extract_jsonl_gives_each_record_its_own_id_back(cli: Cli, tmp_path: Path) -> None:
    """Ids with '#' in them, numbers, and records without one come back as the file has them."""
    records = [
        {"id": "linkedin_ai_ml_2024/jobs.csv#row=24", "text": "PyTorch please"},
        {"id": "other.csv#row=24", "text": "SQL please"},
        {"id": 7, "text": "Python please"},
        {"text": "Docker please"},
    ]
    path = tmp_path / "postings.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    lines = [json.loads(line) for line in ok(cli("skills", "extract", str(path))).splitlines()]
    assert [line["id"] for line in lines] == [
        "linkedin_ai_ml_2024/jobs.csv#row=24",
        "other.csv#row=24",
        7,
        4,
    ]


def test_skills_extract_numbers_records_whose_index_column_repeats(
    cli: Cli, tmp_path: Path
) -> None:
    """A data frame's index saved as an unnamed column is no id: rows are told apart."""
    path = tmp_path / "postings.csv"
    rows = [",title,description", '0,A,"SQL please"', '1,B,"Python please"', '0,C,"Go and Rust"']
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    lines = [json.loads(line) for line in ok(cli("skills", "extract", str(path))).splitlines()]
    assert [line["id"] for line in lines] == [1, 2, 3]


def test_soft_skills_are_listed_apart_from_demand_and_gaps(
    initialised: Cli, tmp_path: Path
) -> None:
    """Teamwork in every posting is reported, but never ranked as demand or a gap (issue 17)."""
    folder = tmp_path / "jobs"
    folder.mkdir()
    rows = ["title,description"] + [
        f'Data Scientist {i},"Role {i}: Python, SQL, teamwork and communication"' for i in range(4)
    ]
    (folder / "a.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = as_json(initialised("skills", "corpus", str(folder), "--json"))
    assert {s["name"] for s in report["skills"]} == {"Python", "SQL"}
    assert {s["name"]: s["share"] for s in report["soft_skills"]} == {
        "teamwork": 1.0,
        "communication": 1.0,
    }
    assert "Soft Skills" not in {d["domain"] for d in report["domains"]}
    gaps = as_json(initialised("gaps", "--json"))
    assert not {g["id"] for g in gaps["gaps"]} & {"dm:teamwork", "dm:communication"}
    assert {s["skill"] for s in gaps["soft_skills"]} == {"teamwork", "communication"}
    assert all(s["evidence"] for s in gaps["soft_skills"])
    posting = tmp_path / "posting.txt"
    posting.write_text(
        "Requirements:\n- Kubernetes\n- Teamwork\n- Python, SQL and Quarkle\n", encoding="utf-8"
    )
    text = ok(initialised("gaps", "--posting", str(posting)))
    assert "\nTop gaps: Kubernetes, SQL\n" in text
    assert "(soft skills, languages and degree fields): teamwork\n" in text
    assert "kept out of the figures above (1 in all): quarkle\n" in text
    # Kubernetes's entry has no hours of its own: the summary says what stands in.
    assert " catalog-median stand-in)" in text
    assert " none)" not in text


def test_skills_corpus_imports_once_and_reports_demand(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "jobs"
    folder.mkdir()
    rows = ["title,description"] + [
        f'Data Scientist {i},"Role {i}: Python, SQL{", Spark" if i % 2 else ""} and statistics"'
        for i in range(6)
    ]
    (folder / "a.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "b.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = as_json(cli("skills", "corpus", str(folder), "--json"))
    assert (report["read"], report["collapsed"], report["postings"], report["new_in_store"]) == (
        12,
        6,
        6,
        6,
    )
    shares = {s["name"]: s["share"] for s in report["skills"]}
    assert shares["Python"] == 1.0
    assert shares["Apache Spark"] == 0.5
    assert report["roles"][0]["role"] == "data scientist"
    again = as_json(cli("skills", "corpus", str(folder), "--json"))
    assert (again["new_in_store"], again["in_store"]) == (0, 6)
    assert "near-duplicates collapsed" in ok(cli("skills", "corpus", str(folder)))


def test_skills_info_reports_size_and_attribution(cli: Cli) -> None:
    info = as_json(cli("skills", "info", "--json", db=False))
    assert info["skills"] > 13_000
    # How long loading took is reported, never asserted: speed belongs in benchmarks/.
    assert isinstance(info["load_seconds"], float)
    assert set(info["attribution"]) == {"ESCO", "O*NET"}


def test_gaps_for_a_posting_prints_the_documented_json(initialised: Cli, tmp_path: Path) -> None:
    posting = tmp_path / "posting.txt"
    posting.write_text("Requirements:\n- Python, SQL and Kubernetes\n", encoding="utf-8")
    report = as_json(initialised("gaps", "--posting", str(posting), "--json"))
    assert set(report["coverage"]) == {
        "done",
        "curriculum",
        "skills",
        "skills_taught",
        "skills_done",
    }
    assert (report["coverage"]["skills"], report["coverage"]["skills_done"]) == (3, 1)
    assert report["coverage"]["done"] == pytest.approx(1 / 3, abs=1e-4)
    assert {g["skill"] for g in report["gaps"]} == {"SQL", "Kubernetes"}
    first = report["recommendations"][0]
    assert {"id", "title", "url", "hours", "cost", "covers"} <= set(first)
    assert "Coverage of posting" in ok(initialised("gaps", "--posting", str(posting)))


def test_gaps_without_demand_says_how_to_give_some(initialised: Cli) -> None:
    assert "give --posting FILE or --corpus PATH" in fails(initialised("gaps"), 2)


def test_tag_refuses_unknown_skills_and_changes_nothing(initialised: Cli) -> None:
    before = dump(initialised.db)
    assert "no skill 'telepathy'" in fails(initialised("tag", "Real Python", "telepathy"), 2)
    assert dump(initialised.db) == before
    tagged = as_json(initialised("tag", "Real Python", "pytest", "--json"))
    assert tagged["skills"] == ["dm:pytest"]


def test_gaps_over_postings_quote_a_posting_for_each_gap(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "jobs"
    folder.mkdir()
    (folder / "a.csv").write_text(
        "title,description\n"
        'ML Engineer,"Requirements: Kubernetes and Terraform. Mail jo@acme.io"\n'
        'ML Engineer,"Requirements: Kubernetes, Python."\n',
        encoding="utf-8",
    )
    ok(cli("init"))
    report = as_json(cli("gaps", "--corpus", str(folder), "--role", "ML engineer", "--json"))
    gaps = {g["skill"]: g for g in report["gaps"]}
    assert gaps["Kubernetes"]["demand"] == 1.0
    assert gaps["Terraform"]["demand"] == 0.5
    assert gaps["Terraform"]["evidence"] == "Requirements: Kubernetes and Terraform."
    assert "jo@acme.io" not in json.dumps(report)


def test_a_saved_target_is_measured_against_later(initialised: Cli, tmp_path: Path) -> None:
    posting = tmp_path / "posting.txt"
    posting.write_text("Requirements:\n- Python and Kubernetes\n", encoding="utf-8")
    saved = as_json(initialised("target", "save", "dream job", "--posting", str(posting), "--json"))
    assert saved == {"name": "dream job", "source": "posting", "skills": 2}
    report = as_json(initialised("gaps", "--target", "dream job", "--json"))
    assert report["demand_source"] == "target 'dream job'"
    assert report["coverage"]["done"] == 0.5
    assert [g["skill"] for g in report["gaps"]] == ["Kubernetes"]
    assert "no target named 'nightmare'" in fails(initialised("gaps", "--target", "nightmare"), 2)


# --- Hostile postings (issue 13) ------------------------------------------------------------

#: Address space a CLI run fed hostile input may take: several times what a posting at the
#: limit needs, and far less than the unbounded reader took (2.6 GB on a 50 MB text).
HOSTILE_ADDRESS_SPACE = 1536 * 1024 * 1024
#: Writes `y` lines until it is killed, as `yes` does.
ENDLESS = "import sys\nwhile True:\n    sys.stdout.buffer.write(b'y\\n' * 65536)\n"
NO_SKILLS = (
    "Error: the posting names no technical skills diymasters knows; "
    "nothing to compare or plan against"
)


def _cap_address_space() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (HOSTILE_ADDRESS_SPACE, HOSTILE_ADDRESS_SPACE))


def hostile(
    cli: Cli, *args: str, stdin: int | IO[bytes] = subprocess.DEVNULL
) -> subprocess.CompletedProcess[str]:
    """Run the CLI on its store with its memory capped: a regression fails, not the machine."""
    env = {**unmeasured(os.environ), "HOME": str(cli.home), "NO_COLOR": "1", "COLUMNS": "100"}
    return subprocess.run(
        [sys.executable, "-m", "diymasters", "--db", f"sqlite:///{cli.db}", *args],
        stdin=stdin,
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=_cap_address_space,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize("args", [["skills", "extract", "-"], ["gaps", "--posting", "-"]])
def test_endless_stdin_stops_at_the_posting_limit(initialised: Cli, args: list[str]) -> None:
    with subprocess.Popen(
        [sys.executable, "-c", ENDLESS], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    ) as endless:
        assert endless.stdout is not None
        try:
            result = hostile(initialised, *args, stdin=endless.stdout)
        finally:
            endless.kill()
    assert fails(result, 2) == (
        "Error: stdin: the posting is larger than 1 MiB (1,048,576 bytes), the most one "
        "posting may hold; pass --max-posting-bytes to raise it"
    )


def test_binary_input_is_not_text(initialised: Cli) -> None:
    executable = str(Path(sys.executable).resolve())
    for path in ("/dev/zero", executable):
        line = fails(hostile(initialised, "skills", "extract", path), 1)
        assert line.startswith(f"Error: {path} is not text: it holds a NUL byte at offset")
    with Path("/dev/zero").open("rb") as zeros:
        line = fails(hostile(initialised, "gaps", "--posting", "-", stdin=zeros), 1)
    assert line == "Error: stdin is not text: it holds a NUL byte at offset 0"


def test_a_50_mb_posting_is_refused_after_its_first_mebibyte(
    initialised: Cli, tmp_path: Path
) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as out:
        for _ in range(50):
            out.write(b"Python and SQL.\n" * 65536)
    for args in (["skills", "extract", str(big)], ["plan", "--posting", str(big)]):
        line = fails(hostile(initialised, *args), 2)
        assert line.startswith(f"Error: {big}: the posting is larger than 1 MiB")


def test_a_posting_just_under_the_limit_is_read(cli: Cli, tmp_path: Path) -> None:
    under = tmp_path / "under.txt"
    under.write_bytes((b"y\n" * (1 << 19))[: (1 << 20) - 1])
    result = hostile(cli, "skills", "extract", str(under), "--no-tagger")
    assert ok(result) == f"No skills found in {under}: it names none that diymasters knows.\n"


def test_max_posting_bytes_sets_the_limit(cli: Cli, tmp_path: Path) -> None:
    posting = tmp_path / "posting.txt"
    posting.write_text("Requirements:\n- Python and SQL\n" * 40, encoding="utf-8")
    args = ["skills", "extract", str(posting), "--no-tagger", "--json", "--max-posting-bytes"]
    assert fails(cli(*args, "1000"), 2) == (
        f"Error: {posting}: the posting is larger than 1,000 bytes, the most one posting may "
        "hold; pass --max-posting-bytes to raise it"
    )
    assert as_json(cli(*args, "2000"))["skills"][0]["name"] == "Python"


def test_max_postings_bounds_a_corpus(initialised: Cli, tmp_path: Path) -> None:
    path = tmp_path / "jobs.csv"
    path.write_text("text\nPython\nSQL\nRust\n", encoding="utf-8")
    assert fails(initialised("skills", "corpus", str(path), "--max-postings", "2"), 2) == (
        f"Error: {path}: holds more than 2 postings, the most one command reads; pass "
        "--max-postings to raise it"
    )
    report = as_json(initialised("skills", "corpus", str(path), "--max-postings", "3", "--json"))
    assert report["read"] == 3


def test_a_million_tiny_records_stop_at_the_postings_limit(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "tiny.csv"
    path.write_text("text\n" + "".join(f"{i}\n" for i in range(1_000_000)), encoding="utf-8")
    line = fails(hostile(cli, "skills", "corpus", str(path)), 2)
    assert line.startswith(f"Error: {path}: holds more than 100,000 postings")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("five.json", "5", "five.json: holds a number, not postings"),
        ("dated.json", '[{"text": "Python", "date": 1e20}]', "dated.json#1: date 1e+20 is not"),
        (
            "created.md",
            "---\ncreated: 99999999999999\n---\nPython\n",
            "created.md: front matter created 99999999999999 is not a date",
        ),
        ("deep.json", deep_json(), "deep.json: the JSON is nested deeper than 100 levels"),
        ("deep.md", deep_front_matter(), "deep.md: front matter is nested deeper than 20 levels"),
        ("bomb.md", alias_bomb(), "bomb.md: front matter uses a YAML alias"),
    ],
)
def test_postings_that_broke_the_reader_fail_in_one_line(
    initialised: Cli, tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    for args in (["skills", "extract", str(path)], ["gaps", "--corpus", str(path)]):
        assert fails(hostile(initialised, *args), 1).startswith(f"Error: {tmp_path}/{message}")


def test_a_posting_without_skills_is_said_and_not_measured(
    initialised: Cli, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    prose = tmp_path / "prose.txt"
    prose.write_text("We meet on Tuesdays.\n", encoding="utf-8")
    soft = tmp_path / "soft.txt"
    soft.write_text("Requirements:\n- Teamwork\n", encoding="utf-8")
    before = dump(initialised.db)
    for args in (
        ["gaps", "--posting", str(empty)],
        ["plan", "--posting", str(empty)],
        ["target", "save", "nothing", "--posting", str(empty)],
        ["gaps", "--posting", str(prose)],
    ):
        assert fails(initialised(*args), 2) == NO_SKILLS
    assert fails(initialised("plan", "--posting", str(soft)), 2) == NO_SKILLS.replace(
        "knows;", "knows (only soft skills: teamwork);"
    )
    assert dump(initialised.db) == before
    assert ok(initialised("skills", "extract", str(empty))) == (
        f"No skills found: {empty} is empty.\n"
    )
    assert ok(initialised("skills", "extract", str(prose), "--no-tagger")) == (
        f"No skills found in {prose}: it names none that diymasters knows.\n"
    )


def test_a_server_store_without_its_driver_is_one_line(cli: Cli) -> None:
    # psycopg is installed for the PostgreSQL tests: pg8000, another driver, is not.
    assert importlib.util.find_spec("pg8000") is None
    url = "postgresql+pg8000://me:secret@localhost/masters"
    assert fails(cli("--db", url, "status", db=False), 1) == (
        "Error: store postgresql+pg8000://me:***@localhost/masters: the postgresql driver is "
        "not installed (no module named 'pg8000'); install it in the environment diymasters "
        "runs in"
    )


@pytest.mark.parametrize(
    ("name", "text", "args"),
    [
        # Every word a skill, and no sentence break: 140,000 mentions, each with evidence.
        ("one_line.txt", "Python " * 140_000, ["--json"]),
        # Tags left open: each one made the HTML stripper and the tagger scan on to the end.
        ("open_tags.html", "<p " * 300_000, []),
    ],
)
def test_a_hostile_posting_under_the_limit_is_read_in_bounded_memory(
    cli: Cli, tmp_path: Path, name: str, text: str, args: list[str]
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = hostile(cli, "skills", "extract", str(path), *args)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_values_past_what_a_calendar_or_socket_holds_are_bad_input(
    cli: Cli, tmp_path: Path
) -> None:
    assert cli("init").returncode == 0
    posting = tmp_path / "posting.txt"
    posting.write_text("Requirements: Python and SQL.\n")
    far = cli("plan", "--posting", str(posting), "--no-save", "--start", "9999-12-31")
    assert "start '9999-12-31' is too far ahead to plan from" in fails(far, 2)
    assert "--port" in fails(cli("serve", "--port", "99999"), 2)


def test_every_kind_of_failure_has_an_exit_status() -> None:
    assert set(EXIT_STATUS) == set(Category)


def test_a_plan_no_catalog_set_fits_is_the_learners_limit_not_a_failure(
    initialised: Cli, tmp_path: Path
) -> None:
    posting = tmp_path / "posting.txt"
    posting.write_text("Requirements:\n- PyTorch and Kubernetes\n", encoding="utf-8")
    line = fails(initialised("plan", "--posting", str(posting), "--max-hours", "1"), 2)
    assert line.startswith("Error: no plan meets the target: ")


def test_a_wrong_entry_is_listed_corrected_and_removed(initialised: Cli) -> None:
    ok(initialised("log", "Principal", "2", "--date", "2026-11-30", "--note", "week one"))
    ok(initialised("log", "Real Python", "1h30", "--date", "2026-11-30"))
    listed = as_json(initialised("entries", "--json"))
    assert [(e["resource"], e["hours"], e["note"]) for e in listed] == [
        ("Principal Component Analysis", 2.0, "week one"),
        ("Real Python", 1.5, ""),
    ]
    first, second = listed[0]["id"], listed[1]["id"]
    edited = as_json(initialised("entry", "edit", str(first), "--hours", "3", "--json"))
    assert [e["hours"] for e in edited["time_entries"]] == [3.0]
    assert edited["hours_logged"] == 3.0
    again = as_json(initialised("entry", "edit", f"#{first}", "--hours", "3h", "--json"))
    assert again["unchanged"] == f"entry #{first} already reads so; nothing changed"
    ok(initialised("entry", "remove", str(second)))
    assert [e["id"] for e in as_json(initialised("entries", "--json"))] == [first]
    assert (
        fails(initialised("entry", "remove", str(second)), 2) == f"Error: no time entry #{second}"
    )
    assert fails(initialised("entry", "remove", "x"), 2) == (
        "Error: entry id 'x' is not an id as `entries` lists it (3 or #3)"
    )


#: What a day far before the first entry is told.
FAR_BACK = (
    "Error: 1900-01-01 is more than a year before your first entry (2026-11-30); "
    "pass --force if it is right"
)
#: What a day with more than 24 hours logged is told.
FULL_DAY = "Error: hours 22 would make 25.5 h on 2026-11-30; at most 24 h can be logged on one day"


@pytest.mark.parametrize(
    ("args", "line", "forced"),
    [
        (["log", "Principal", "22", "--date", "2026-11-30"], FULL_DAY, False),
        (["log", "Principal", "1", "--date", "1900-01-01"], FAR_BACK, True),
        (["entry", "edit", "1", "--date", "1900-01-01"], FAR_BACK, True),
    ],
)
def test_a_day_holds_24_hours_and_a_distant_year_is_asked_about(
    initialised: Cli, args: list[str], line: str, *, forced: bool
) -> None:
    ok(initialised("log", "Real Python", "2h30", "--date", "2026-11-30"))
    ok(initialised("log", "Linear Algebra", "1", "--date", "2026-11-30"))
    before = dump(initialised.db)
    assert fails(initialised(*args), 2) == line
    assert dump(initialised.db) == before
    assert (initialised(*args, "--force").returncode == 0) is forced


def test_backfilling_old_study_is_allowed_when_confirmed(initialised: Cli) -> None:
    ok(initialised("log", "Real Python", "1", "--date", "2026-11-30"))
    ok(initialised("log", "Real Python", "1", "--date", "2024-01-01", "--force"))
    assert [e["date"] for e in as_json(initialised("entries", "Real Python", "--json"))] == [
        "2024-01-01",
        "2026-11-30",
    ]


def test_an_entry_moved_earlier_moves_the_start_back_as_log_does(initialised: Cli) -> None:
    ok(initialised("log", "Principal", "1", "--date", "2026-11-30"))
    entry = as_json(initialised("entries", "Principal", "--json"))[0]["id"]
    assert as_json(initialised("show", "Principal", "--json"))["started"] == "2026-11-30"
    ok(initialised("entry", "edit", str(entry), "--date", "2026-11-20"))
    assert as_json(initialised("show", "Principal", "--json"))["started"] == "2026-11-20"
    ok(initialised("entry", "edit", str(entry), "--date", "2026-11-25"))
    # A later day does not move the start forward: other study may have begun it.
    assert as_json(initialised("show", "Principal", "--json"))["started"] == "2026-11-20"
