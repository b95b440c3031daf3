from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import SHARED

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Cli

COMMANDS = [
    "init",
    "status",
    "show",
    "start",
    "done",
    "drop",
    "todo",
    "log",
    "note",
    "rename",
    "remove",
    "add",
    "import",
    "sync",
    "readme",
    "skills",
    "gaps",
    "catalog",
    "tag",
    "target",
]


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


def test_db_defaults_to_the_data_directory(cli: Cli) -> None:
    ok(cli("init", db=False))
    default = cli.home / ".local" / "share" / "diymasters" / "diymasters.db"
    assert default.is_file()
    assert "ML Engineer masters" in ok(cli("status", db=False))


def test_every_command_has_help(cli: Cli) -> None:
    listing = ok(cli("--help", db=False))
    for command in COMMANDS:
        assert command in listing
        text = ok(cli(command, "--help", db=False))
        assert text.splitlines()[0].startswith(f"Usage: diymasters {command}")


# --- Bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["done", "Quantum Computing"], 2, "no resource matches 'Quantum Computing'"),
        (["done", "Multivariate Calculas"], 2, 'did you mean "Multivariate Calculus"'),
        (["start", "Accelerated"], 2, 'matches 2: "Accelerated Computer Science'),
        (["log", "Real Python", "-2"], 2, "must be a positive number of hours"),
        (["log", "Real Python", "lots"], 2, "is not a duration"),
        (["log", "Real Python", "1", "--date", "2026-02-30"], 2, "is not a date"),
        (["done", "Real Python", "--date", "2999-01-01"], 2, "is in the future"),
        (["add", "Orphan"], 2, "give either a domain or a parent resource"),
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


def test_an_unknown_template_is_a_usage_error(cli: Cli) -> None:
    assert "ml-engineer" in fails(cli("init", "--template", "nope"), 2)


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
    assert "identical" in ok(cli("readme", "check", str(path), db=False))


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
    assert "README updated" in ok(cli("done", "Algebra"))
    assert path.read_bytes() == b"# M\n\n## Maths\n\n- [x] Algebra\n"


# --- Skills ---------------------------------------------------------------------------------


def test_skills_extract_reads_stdin_and_prints_json(cli: Cli) -> None:
    result = subprocess_run_with_input(
        cli, ["skills", "extract", "-", "--json"], "Requirements:\n- Python and SQL\n"
    )
    found = json.loads(result)["skills"]
    assert [(s["name"], s["domain"], s["required"]) for s in found] == [
        ("Python", "Python", True),
        ("SQL", "Data Engineering", True),
    ]
    assert found[0]["evidence"] == "- Python and SQL"


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
    assert info["load_seconds"] < 1
    assert set(info["attribution"]) == {"ESCO", "O*NET"}


def subprocess_run_with_input(cli: Cli, args: list[str], text: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "diymasters", "--db", f"sqlite:///{cli.db}", *args],
        input=text,
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": str(cli.home), "NO_COLOR": "1"},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_gaps_for_a_posting_prints_the_documented_json(initialised: Cli, tmp_path: Path) -> None:
    posting = tmp_path / "posting.txt"
    posting.write_text("Requirements:\n- Python, SQL and Kubernetes\n", encoding="utf-8")
    report = as_json(initialised("gaps", "--posting", str(posting), "--json"))
    assert set(report["coverage"]) == {"done", "curriculum"}
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
