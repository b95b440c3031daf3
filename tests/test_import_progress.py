"""`import-progress`: progress from MOOCs set on the template curriculum, as a learner runs it.

The fixtures in tests/fixtures/import_progress/ are written from the published formats:

- `Learning.csv`: LinkedIn's "Download your account data" help page
  (https://www.linkedin.com/help/linkedin/answer/a1339364) lists the Learning file of the
  export; its columns, as issue 19 gives them, are `Content Title, Content Description,
  Content Type, Content Last Watched Date (if viewed), Content Completed At (if completed),
  Content Saved, Notes taken on videos (if taken)`, with dates such as `2024-03-05 18:22 UTC`.
  The values of the type and saved columns are not documented; the reader does not use them.
  The titles are the template's resources (and one course it lacks), not LinkedIn's catalogue.
- `ob2-assertion.json`: an Open Badges 2.0 Assertion with its BadgeClass and issuer Profile
  embedded, field for field as in the specification's examples
  (https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html: `@context`,
  `id`, `type`, `recipient` with `type`, `hashed`, `salt` and `identity`, `issuedOn`,
  `verification`, `badge` with `id`, `type`, `name`, `description`, `image`, `criteria`
  and `issuer`).
- `ob3-credentials.json`: two Open Badges 3.0 credentials (https://www.imsglobal.org/spec/ob/v3p0/),
  shaped as its "Sample OpenBadgeCredential" (the spec's basicOpenBadgeCredential example):
  `@context`, `id`, `type` with `OpenBadgeCredential`, `issuer` a Profile with its `name`,
  `validFrom`, `name`, and `credentialSubject` with its `achievement` (`id`, `type`,
  `criteria`, `description`, `name`). The second is in the earlier form on the VC 1.1
  context (context-3.0.2), which dates a credential with `issuanceDate`.
- `coursera-urls.txt`: Coursera certificate verification URLs
  (`https://www.coursera.org/account/accomplishments/certificate/CODE`, `.../verify/CODE`,
  `.../specialization/CODE`, `.../professional-cert/CODE`), each followed by its title as
  `import-progress --help` documents; the codes are placeholders, never fetched.

The issuers, addresses and recipient hash are placeholders of the kind the specifications'
own examples use (example.org, example.com).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from diymasters.catalog import load_catalog
from diymasters.model import Status
from diymasters.progress_import import (
    MAX_BYTES,
    MAX_ITEMS,
    Format,
    Outcome,
    ProgressFileError,
    match_items,
    read_items,
)

if TYPE_CHECKING:
    from diymasters.masters import Masters
    from diymasters.progress_import import ItemMatch
    from tests.conftest import Cli

FIXTURES = Path(__file__).parent / "fixtures" / "import_progress"
LINKEDIN = FIXTURES / "Learning.csv"
OB2 = FIXTURES / "ob2-assertion.json"
OB3 = FIXTURES / "ob3-credentials.json"
COURSERA = FIXTURES / "coursera-urls.txt"
ALL = (LINKEDIN, OB2, OB3, COURSERA)


@pytest.fixture
def initialised(cli: Cli) -> Cli:
    """The CLI on a store holding the template curriculum."""
    assert cli("init").returncode == 0
    return cli


def run_json(cli: Cli, *args: str) -> Any:
    result = cli(*args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def standing(cli: Cli, title: str) -> tuple[str, str | None, str | None]:
    shown = run_json(cli, "show", title)
    return shown["own_status"], shown["started"], shown["finished"]


def test_linkedin_export_sets_completed_done_and_watched_in_progress(initialised: Cli) -> None:
    report = run_json(initialised, "import-progress", str(LINKEDIN))
    assert report["format"] == "linkedin"
    assert standing(initialised, "Computational Linear Algebra") == ("done", None, "2024-03-05")
    assert standing(initialised, "Practical Deep Learning for Coders") == (
        "in_progress",
        "2024-04-02",
        None,
    )
    started = next(u for u in report["updates"] if u["resource"].startswith("Practical"))
    assert started["date_is"].startswith("last watched")
    outcomes = {each["item"]["title"]: each["outcome"] for each in report["items"]}
    assert outcomes["Accelerated C++: Practical Programming by Example"] == "saved"
    assert standing(initialised, "Accelerated C++") == ("todo", None, None)


def test_open_badges_2_assertion_marks_its_course_done_on_the_day_issued(
    initialised: Cli,
) -> None:
    report = run_json(initialised, "import-progress", str(OB2))
    assert report["format"] == "openbadges"
    (matched,) = report["items"]
    # The certificate's title is the catalog's, which the curriculum's course is matched to.
    assert matched["resource"] == "Multivariate Calculus"
    assert matched["score"] >= 90
    assert standing(initialised, "Multivariate Calculus") == ("done", None, "2024-05-10")


def test_open_badges_3_credentials_mark_done_and_leave_a_catalog_course_listed(
    initialised: Cli,
) -> None:
    before = run_json(initialised, "status")["overall"]
    report = run_json(initialised, "import-progress", str(OB3))
    assert standing(initialised, "Principal Component Analysis") == ("done", None, "2024-06-01")
    found = report["items"][1]
    assert found["outcome"] == "in_catalog"
    assert found["resource"] == "Python for Everybody Specialization"
    assert len(found["candidates"]) == 3
    assert [u["resource"] for u in report["updates"]] == ["Principal Component Analysis"]
    after = run_json(initialised, "status")["overall"]
    assert sum(after["resources"].values()) == sum(before["resources"].values())


def test_coursera_urls_match_by_the_title_beside_them_and_a_url_alone_is_listed(
    initialised: Cli,
) -> None:
    result = initialised("import-progress", str(COURSERA))
    assert result.returncode == 0, result.stderr
    assert "Set Accelerated Computer Science Fundamentals Specialization: todo -> done" in (
        result.stdout
    )
    assert "a certificate URL alone names no course" in result.stdout
    # A URL's list gives no day: done without a finish day; Linear Algebra was done already.
    spec = "Accelerated Computer Science Fundamentals Specialization"
    assert standing(initialised, spec) == ("done", None, None)
    assert standing(initialised, "Linear Algebra")[0] == "done"


def test_a_dry_run_shows_the_changes_and_makes_none(initialised: Cli) -> None:
    before = run_json(initialised, "status")
    for path in ALL:
        report = run_json(initialised, "import-progress", str(path), "--dry-run")
        assert report["dry_run"] is True
        assert report["updates"]
    result = initialised("import-progress", str(LINKEDIN), "--dry-run")
    assert (
        "Would set Computational Linear Algebra: todo -> done on 2024-03-05 "
        "(line 2, match 100; completed)"
    ) in result.stdout
    assert run_json(initialised, "status") == before


@pytest.mark.parametrize("path", ALL, ids=[path.name for path in ALL])
def test_a_second_import_changes_nothing(initialised: Cli, path: Path) -> None:
    first = run_json(initialised, "import-progress", str(path))
    assert first["updates"]
    after_first = run_json(initialised, "status")
    again = run_json(initialised, "import-progress", str(path))
    assert again["updates"] == []
    assert len(again["unchanged"]) == len(first["updates"]) + len(first["unchanged"])
    assert run_json(initialised, "status") == after_first


def test_an_import_never_moves_done_back_and_keeps_the_earliest_finish(
    initialised: Cli,
) -> None:
    initialised("done", "Computational Linear Algebra", "--date", "2024-03-01")
    initialised("done", "Practical Deep Learning for Coders", "--date", "2024-05-01")
    report = run_json(initialised, "import-progress", str(LINKEDIN))
    assert report["updates"] == []
    whys = {each["resource"]: each["why"] for each in report["unchanged"]}
    assert "earliest finish" in whys["Computational Linear Algebra"]
    assert "never moves a done resource back" in whys["Practical Deep Learning for Coders"]
    assert standing(initialised, "Computational Linear Algebra")[2] == "2024-03-01"
    assert standing(initialised, "Practical Deep Learning")[0] == "done"


def test_a_later_finish_on_record_moves_back_to_the_completion(initialised: Cli) -> None:
    initialised("done", "Computational Linear Algebra", "--date", "2024-04-01")
    run_json(initialised, "import-progress", str(LINKEDIN))
    assert standing(initialised, "Computational Linear Algebra") == ("done", None, "2024-03-05")


def test_an_unmatched_item_is_listed_with_the_three_closest_titles(initialised: Cli) -> None:
    report = run_json(initialised, "import-progress", str(LINKEDIN))
    (unmatched,) = [each for each in report["items"] if each["outcome"] == "unmatched"]
    assert unmatched["item"]["title"] == "Spreadsheet Modelling Essentials"
    assert unmatched["item"]["where"] == "line 6"
    scores = [candidate["score"] for candidate in unmatched["candidates"]]
    assert len(scores) == 3
    assert scores == sorted(scores, reverse=True)
    printed = initialised("import-progress", str(LINKEDIN)).stdout
    assert "line 6: Spreadsheet Modelling Essentials: " in printed
    assert "closest: " in printed


def test_a_catalog_course_is_added_only_on_the_learners_word(initialised: Cli) -> None:
    listed = initialised("import-progress", str(OB3))
    assert "--add-from-catalog --domain" in listed.stderr
    assert initialised("show", "Python for Everybody Specialization").returncode == 2
    report = run_json(
        initialised, "import-progress", str(OB3), "--add-from-catalog", "--domain", "Python"
    )
    (added,) = report["updates"]
    assert added["added_to"] == "Python"
    assert added["entry"] == "coursera-python-for-everybody"
    shown = run_json(initialised, "show", "Python for Everybody Specialization")
    assert (shown["own_status"], shown["finished"]) == ("done", "2024-07-20")
    assert {child["status"] for child in shown["children"]} == {"done"}
    again = run_json(
        initialised, "import-progress", str(OB3), "--add-from-catalog", "--domain", "Python"
    )
    assert again["updates"] == []


def test_the_catalog_flag_needs_a_domain(initialised: Cli) -> None:
    result = initialised("import-progress", str(OB3), "--add-from-catalog")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "--domain" in result.stderr


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


HEADER = LINKEDIN.read_text(encoding="utf-8").splitlines()[0]
MALFORMED = {
    "bad-date": (
        "Learning.csv",
        (
            f"{HEADER}\nComputational Linear Algebra,,Course,,2024-03-05 18:22 UTC,false,\n"
            "Practical Deep Learning for Coders,,Course,,last Tuesday,false,\n"
        ),
        "line 3: 'Content Completed At (if completed)' is 'last Tuesday'",
    ),
    "missing-column": (
        "Learning.csv",
        "Content Title,Content Description\nComputational Linear Algebra,x\n",
        "line 1: the header has no column",
    ),
    "short-row": (
        "Learning.csv",
        f"{HEADER}\nComputational Linear Algebra,,Course\n",
        "line 2: 3 fields where the header has 7",
    ),
    "json-syntax": (
        "badge.json",
        '{\n  "type": "Assertion",\n  "issuedOn": "2024-05-10T12:00:00Z"\n  "badge": {}\n}\n',
        "line 4: not JSON",
    ),
    "no-issue-date": (
        "badges.json",
        json.dumps([{"type": "Assertion", "badge": {"name": "Multivariate Calculus"}}]),
        "credential 1: no 'issuedOn'",
    ),
    "not-a-coursera-url": (
        "urls.txt",
        (
            "https://coursera.org/account/accomplishments/certificate/EXAMPLE0001 Linear Algebra\n"
            "https://example.org/certificate/42 Multivariate Calculus\n"
        ),
        "line 2: 'https://example.org/certificate/42 Multivariate Calculus' is not a Coursera",
    ),
    "unknown-format": ("notes.txt", "I finished a course last week.\n", "in none of the formats"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_file_is_refused_in_one_line_and_changes_nothing(
    initialised: Cli, tmp_path: Path, case: str
) -> None:
    name, text, expected = MALFORMED[case]
    before = run_json(initialised, "status")
    result = initialised("import-progress", str(_write(tmp_path, name, text)))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert expected in result.stderr
    assert "nothing was imported" in result.stderr
    assert run_json(initialised, "status") == before


def test_a_forced_format_reads_the_file_as_that_format(initialised: Cli) -> None:
    result = initialised("import-progress", str(LINKEDIN), "--format", "coursera-urls")
    assert result.returncode == 2
    assert "line 1: 'Content Title," in result.stderr


def test_files_beyond_the_limits_are_refused_and_change_nothing(
    initialised: Cli, tmp_path: Path
) -> None:
    before = run_json(initialised, "status")
    large = _write(tmp_path, "Learning.csv", HEADER + "\n" + "x" * MAX_BYTES)
    result = initialised("import-progress", str(large))
    assert result.returncode == 2
    assert f"more than {MAX_BYTES:,}" in result.stderr
    url = "https://www.coursera.org/account/accomplishments/verify/EXAMPLE{:05d}\n"
    many = _write(tmp_path, "urls.txt", "".join(url.format(n) for n in range(MAX_ITEMS + 1)))
    result = initialised("import-progress", str(many))
    assert result.returncode == 2
    assert f"more than {MAX_ITEMS:,} items" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert run_json(initialised, "status") == before


def test_an_import_syncs_a_linked_readme_once_when_autosync_is_on(cli: Cli, tmp_path: Path) -> None:
    readme = _write(
        tmp_path,
        "README.md",
        "# My masters\n\n## Mathematics\n\n- [ ] [Computational Linear Algebra]"
        "(https://github.com/fastai/numerical-linear-algebra/blob/master/README.md)\n\n"
        "## Deep Learning\n\n- [ ] [Practical Deep Learning for Coders](http://course.fast.ai/)\n",
    )
    assert cli("import", str(readme)).returncode == 0
    assert cli("readme", "autosync", "on").returncode == 0
    result = cli("import-progress", str(LINKEDIN))
    assert f"README updated: {readme}" in result.stdout
    text = readme.read_text(encoding="utf-8")
    assert "- [x] [Computational Linear Algebra]" in text
    assert "- [ ] [Practical Deep Learning for Coders]" in text


# --- Reading and matching, through the core --------------------------------------------------

TODAY = dt.date(2026, 12, 3)


def matched(masters: Masters, data: bytes, forced: Format | None = None) -> tuple[ItemMatch, ...]:
    read = read_items(data, "test file", forced)
    return match_items(read.items, masters.curriculum(), load_catalog(), TODAY)


def test_a_badge_named_only_by_its_address_is_listed_with_why(masters: Masters) -> None:
    assertion = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "https://example.org/assertions/123",
        "issuedOn": "2024-05-10T12:00:00Z",
        "badge": "https://example.org/badges/5",
    }
    (only,) = matched(masters, json.dumps(assertion).encode())
    assert only.outcome is Outcome.UNMATCHED
    assert only.why is not None
    assert "https://example.org/badges/5" in only.why
    assert "nothing is fetched" in only.why


def test_a_unix_timestamp_issue_date_is_read_as_its_utc_day(masters: Masters) -> None:
    assertion = {
        "type": "Assertion",
        "issuedOn": 1715342400,  # 2024-05-10T12:00:00Z
        "badge": {"name": "Mathematics for Machine Learning: Multivariate Calculus"},
    }
    (only,) = matched(masters, json.dumps(assertion).encode())
    assert only.item.on == dt.date(2024, 5, 10)
    assert only.resource == "Multivariate Calculus"


def test_an_item_dated_after_today_changes_nothing(masters: Masters) -> None:
    text = LINKEDIN.read_text(encoding="utf-8").replace("2024-03-05 18:22", "2027-01-01 09:00")
    first = matched(masters, text.encode())[0]
    assert first.outcome is Outcome.FUTURE


def test_an_export_saved_by_a_spreadsheet_with_a_byte_order_mark_is_read(
    masters: Masters,
) -> None:
    found = matched(masters, b"\xef\xbb\xbf" + LINKEDIN.read_bytes())
    assert [each.item.status for each in found] == [
        Status.DONE,
        Status.IN_PROGRESS,
        None,
        Status.DONE,
    ]


def test_a_provider_that_agrees_lets_a_looser_title_match(masters: Masters) -> None:
    spec = "Accelerated Computer Science Fundamentals"
    url = "https://www.coursera.org/account/accomplishments/specialization/EXAMPLE0002"
    (from_coursera,) = matched(masters, f"{url}, {spec}\n".encode())
    assert from_coursera.outcome is Outcome.MATCHED
    assert from_coursera.by == "title and provider"
    assert from_coursera.score is not None
    assert from_coursera.score < 90
    csv_text = f"{HEADER}\n{spec},,Course,,2024-02-12 08:30 UTC,false,\n"
    (from_linkedin,) = matched(masters, csv_text.encode())
    assert from_linkedin.outcome is Outcome.UNMATCHED
    assert from_linkedin.candidates[0].title == f"{spec} Specialization"


def test_the_coursera_list_format_is_kept_to(masters: Masters) -> None:
    url = "https://coursera.org/account/accomplishments/professional-cert/EXAMPLE0004"
    text = f'url,title\n\n# a comment\n{url}\t"Practical Deep Learning for Coders"\n'
    (only,) = matched(masters, text.encode())
    assert only.item.where == "line 4"
    assert only.resource == "Practical Deep Learning for Coders"
    with pytest.raises(ProgressFileError, match="line 1: 'url,title,date' is not a Coursera"):
        read_items(f"url,title,date\n{url}\n".encode(), "test file", Format.COURSERA_URLS)


def _ob3(name: str, issued: str) -> dict[str, object]:
    return {
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": "https://example.com/issuers/876543",
            "type": ["Profile"],
            "name": "Imperial College London",
        },
        "validFrom": issued,
        "credentialSubject": {"type": ["AchievementSubject"], "achievement": {"name": name}},
    }


def test_a_specialisation_finishes_its_open_courses_but_not_one_with_its_own_credential(
    masters: Masters, tmp_path: Path
) -> None:
    credentials = [
        _ob3("Mathematics for Machine Learning Specialization", "2024-08-01T00:00:00Z"),
        _ob3("Mathematics for Machine Learning: Multivariate Calculus", "2024-05-10T00:00:00Z"),
    ]
    path = _write(tmp_path, "badges.json", json.dumps(credentials))
    masters.import_progress(path)
    finished = {
        resource.title: (resource.status, resource.finished)
        for resource in masters.curriculum().all_resources()
    }
    spec = "Mathematics for Machine Learning Specialization"
    assert finished[spec] == (Status.DONE, dt.date(2024, 8, 1))
    assert finished["Multivariate Calculus"] == (Status.DONE, dt.date(2024, 5, 10))
    assert finished["Principal Component Analysis"] == (Status.DONE, dt.date(2024, 8, 1))
    # Done before the import (the template's), without a day: it stays so.
    assert finished["Linear Algebra"] == (Status.DONE, None)


def test_a_short_title_matches_only_the_same_title(masters: Masters) -> None:
    csv_text = f"{HEADER}\nLinear Algebra II,,Course,,2024-02-12 08:30 UTC,false,\n"
    (resembling,) = matched(masters, csv_text.encode())
    assert resembling.outcome is not Outcome.MATCHED
    assert resembling.candidates[0].title == "Linear Algebra"
    (same,) = matched(masters, f"{HEADER}\nlinear algebra,,Course,,,true,\n".encode())
    assert same.outcome is Outcome.SAVED
    csv_text = f"{HEADER}\nLinear algebra,,Course,2024-02-12 08:30 UTC,,false,\n"
    (watched,) = matched(masters, csv_text.encode())
    assert watched.resource == "Linear Algebra"
