"""Working from the browser (issue 15, item 7 and the web side of item 1), in-process.

A page per resource with its entries, the forms that add, rename, move and remove resources
and correct entries, each through the guards and with the CLI's confirmations; `/curriculum`
light enough for a thousand resources; month names on the plan; the README change previewed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

import pytest
from starlette.testclient import TestClient

from diymasters.model import AddResource, Kind, NewDomain, Resource
from diymasters.web import create_app, readme_hunks
from diymasters.web.diagrams import MONTH_LABELS, timeline
from tests.conftest import SETTINGS, data

if TYPE_CHECKING:
    from pathlib import Path

    from diymasters.masters import Masters
    from tests.conftest import Cli

#: The most HTML `/curriculum` may send for a thousand resources (issue 15).
CURRICULUM_BYTES = 300_000


def rid(masters: Masters, title: str) -> int:
    found = masters.show(title).id
    assert found is not None
    return found


def drawn(client: TestClient, path: str, action: str) -> dict[str, str]:
    """The hidden fields of the form posting to `action`, as the page at `path` drew it."""
    page = client.get(path).text
    form = page[page.index(f'action="{action}"') :]
    form = form[: form.index("</form>")]
    return dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form))


def submit(client: TestClient, path: str, action: str, **fields: str) -> Any:
    """Post the form as the page drew it, with the fields a learner filled in."""
    return client.post(action, data={**drawn(client, path, action), **fields})


def refusal(answer: Any) -> str:
    """The one line a refused form shows on its page."""
    found = re.findall(r'<p class="message error" role="alert">([^<]*)</p>', answer.text)
    assert len(found) == 1, answer.text
    return str(found[0]).replace("&#39;", "'")


def log_entry(masters: Masters, title: str, hours: float, on: dt.date) -> int:
    masters.log(title, hours, on)
    entry_id = masters.entries(title)[-1].id
    assert entry_id is not None
    return entry_id


# --- The resource page and its JSON twin ------------------------------------------------


def test_a_resource_page_shows_its_details_and_entries_with_ids(
    client: TestClient, masters: Masters
) -> None:
    entry_id = log_entry(masters, "Multivariate Calculus", 1.5, masters.today())
    spec = rid(masters, "Mathematics for Machine Learning")
    twin = client.get(f"/resources/{spec}.json").json()
    assert twin == {"curriculum": "ML Engineer masters", **data(masters.resource_view(f"#{spec}"))}
    assert twin["domain"] == "Mathematics"
    assert [(e["id"], e["hours"], e["resource"]) for e in twin["entries"]] == [
        (entry_id, 1.5, "Multivariate Calculus")
    ]
    assert [p["name"] for p in twin["places"] if p["depth"] == 1] == ["Python", "C++"]
    page = client.get(f"/resources/{spec}").text
    assert "<h1>Mathematics for Machine Learning Specialization</h1>" in page
    assert f'action="/entries/{entry_id}/edit"' in page
    assert f'action="/entries/{entry_id}/remove"' in page
    assert client.get("/resources/9999").status_code == 404
    assert client.get("/resources/9999.json").json() == {
        "error": "no resource matches '#9999' in curriculum 'ML Engineer masters'"
    }


# --- Time entries: log, correct, remove --------------------------------------------------


def test_the_log_form_asks_before_a_date_long_before_the_first_entry(
    client: TestClient, masters: Masters
) -> None:
    log_entry(masters, "Linear Algebra", 1.0, masters.today())
    page = f"/resources/{rid(masters, 'Real Python')}"
    asked = submit(client, page, f"{page}/log", hours="1h30", date="2019-05-01", note="typo?")
    assert asked.status_code == 400
    assert "2019-05-01 is more than a year before your first entry" in refusal(asked)
    assert 'value="2019-05-01"' in asked.text  # what was typed is still in the form
    assert f'<a href="{page}.json">This page as JSON</a>' in asked.text
    assert 'name="confirm" value="yes"' in asked.text
    assert masters.entries("Real Python") == ()
    confirmed = submit(
        client, page, f"{page}/log", hours="1h30", date="2019-05-01", note="backfill", confirm="yes"
    )
    assert confirmed.status_code == 303
    assert confirmed.headers["location"] == f"{page}?saved=yes"
    (line,) = masters.entries("Real Python")
    assert (line.date, line.hours, line.note) == (dt.date(2019, 5, 1), 1.5, "backfill")


def test_an_entry_is_corrected_and_removed_from_its_page(
    client: TestClient, masters: Masters
) -> None:
    entry_id = log_entry(masters, "Multivariate Calculus", 10, masters.today())
    page = f"/resources/{rid(masters, 'Multivariate Calculus')}"
    action = f"/entries/{entry_id}/edit"
    yesterday = (masters.today() - dt.timedelta(days=1)).isoformat()
    answer = submit(client, page, action, hours="1:30", date=yesterday, note="fixed")
    assert answer.status_code == 303
    assert answer.headers["location"] == f"{page}?saved=yes"
    (line,) = masters.entries("Multivariate Calculus")
    assert (line.hours, line.date.isoformat(), line.note) == (1.5, yesterday, "fixed")
    again = submit(client, page, action, hours="1.5", date=yesterday, note="fixed")
    assert again.headers["location"] == f"{page}?saved=unchanged"
    assert "Nothing changed" in client.get(again.headers["location"]).text
    removed = submit(client, page, f"/entries/{entry_id}/remove")
    assert removed.status_code == 303
    assert masters.entries("Multivariate Calculus") == ()


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"hours": "25"}, 400, "at most 24 h can be logged on one day"),
        ({"hours": "1e9"}, 400, "is not a duration"),
        ({"date": "2999-01-01"}, 400, "is in the future"),
        ({"date": "2001-01-01"}, 400, "is more than a year before your first entry"),
    ],
)
def test_an_entry_correction_is_refused_as_the_cli_refuses_it(
    client: TestClient, masters: Masters, fields: dict[str, str], status: int, message: str
) -> None:
    log_entry(masters, "Linear Algebra", 2, masters.today() - dt.timedelta(days=3))
    entry_id = log_entry(masters, "Multivariate Calculus", 2, masters.today())
    page = f"/resources/{rid(masters, 'Multivariate Calculus')}"
    today = masters.today().isoformat()
    typed = {"hours": "2", "date": today, "note": "", **fields}
    answer = submit(client, page, f"/entries/{entry_id}/edit", **typed)
    assert answer.status_code == status
    assert message in refusal(answer)
    assert [line.hours for line in masters.entries("Multivariate Calculus")] == [2]
    assert f'value="{typed["hours"]}"' in answer.text


def test_an_entry_moved_to_a_long_ago_day_needs_the_box_ticked(
    client: TestClient, masters: Masters
) -> None:
    log_entry(masters, "Linear Algebra", 2, masters.today())
    entry_id = log_entry(masters, "Real Python", 1, masters.today())
    page = f"/resources/{rid(masters, 'Real Python')}"
    action = f"/entries/{entry_id}/edit"
    typed = {"hours": "1", "date": "2015-06-01", "note": "from my old notebook"}
    asked = submit(client, page, action, **typed)
    assert asked.status_code == 400
    assert refusal(asked).endswith("; tick “Yes, that date” to log it all the same")
    form = asked.text[asked.text.index(f'action="{action}"') :]
    form = form[: form.index("</form>")]
    assert 'name="confirm" value="yes"' in form
    assert 'value="from my old notebook"' in form
    assert submit(client, page, action, **typed, confirm="yes").status_code == 303
    (line,) = masters.entries("Real Python")
    assert (line.date, line.note) == (dt.date(2015, 6, 1), "from my old notebook")


def test_a_stale_entry_form_changes_nothing(client: TestClient, masters: Masters) -> None:
    entry_id = log_entry(masters, "Real Python", 2, masters.today())
    page = f"/resources/{rid(masters, 'Real Python')}"
    old = drawn(client, page, f"/entries/{entry_id}/edit")
    masters.edit_entry(entry_id, hours=3)  # from the command line, meanwhile
    for action in (f"/entries/{entry_id}/edit", f"/entries/{entry_id}/remove"):
        answer = client.post(action, data={**old, "hours": "1", "date": "today", "note": ""})
        assert answer.status_code == 409
        assert "changed after this page was drawn" in refusal(answer)
    assert [line.hours for line in masters.entries("Real Python")] == [3]
    gone = client.post(f"/entries/{entry_id + 50}/remove", data={**old})
    assert gone.status_code == 404
    assert f"no time entry #{entry_id + 50}" in refusal(gone)


# --- Rename, move, remove ----------------------------------------------------------------


def test_a_resource_is_renamed_and_an_empty_title_refused(
    client: TestClient, masters: Masters
) -> None:
    page = f"/resources/{rid(masters, 'Real Python')}"
    answer = submit(client, page, f"{page}/rename", title="Real Python tutorials")
    assert answer.status_code == 303
    assert masters.show(page.replace("/resources/", "#")).title == "Real Python tutorials"
    empty = submit(client, page, f"{page}/rename", title="  ")
    assert empty.status_code == 400
    assert "title '  ' must not be empty" in refusal(empty)


def test_a_resource_moves_to_a_domain_or_under_another(
    client: TestClient, masters: Masters
) -> None:
    course = rid(masters, "Computational Linear Algebra")
    page = f"/resources/{course}"
    to_python = submit(client, page, f"{page}/move", domain="Python")
    assert to_python.status_code == 303
    assert client.get(f"{page}.json").json()["domain"] == "Python"
    again = submit(client, page, f"{page}/move", domain="Python")
    assert again.headers["location"] == f"{page}?saved=unchanged"
    under = submit(client, page, f"{page}/move", under="Mathematics for Machine")
    assert under.status_code == 303
    spec = masters.show("Mathematics for Machine Learning")
    assert course in [child.id for child in spec.children]
    assert client.get(f"{page}.json").json()["domain"] == "Mathematics"


def test_the_cli_moves_as_the_page_does(cli: Cli) -> None:
    assert cli("init").returncode == 0
    moved = cli("move", "Computational Linear Algebra", "--domain", "C++", "--json")
    assert moved.returncode == 0
    shown = json.loads(cli("show", "Computational Linear Algebra", "--json").stdout)
    assert shown["id"] == json.loads(moved.stdout)["id"]
    tree = json.loads(cli("status", "--json").stdout)
    (software,) = (d for d in tree["domains"] if d["name"] == "Software Engineering")
    (cpp,) = (d for d in software["domains"] if d["name"] == "C++")
    assert "Computational Linear Algebra" in [r["title"] for r in cpp["resources"]]
    both = cli("move", "Computational", "--domain", "Python", "--under", "Real Python")
    assert both.returncode == 2
    assert both.stderr == (
        "Error: 'Computational Linear Algebra' can go in a domain or under a resource, not both\n"
    )


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"domain": "Astrology"}, 404, "no domain matches 'Astrology'"),
        ({"under": "Linear Algebra"}, 400, "would be moved inside itself"),
        ({"under": "Nothing like it"}, 404, "no resource matches 'Nothing like it'"),
        ({}, 400, "needs a place"),
    ],
)
def test_a_move_nowhere_is_refused_and_changes_nothing(
    client: TestClient, masters: Masters, fields: dict[str, str], status: int, message: str
) -> None:
    spec = rid(masters, "Mathematics for Machine Learning")
    before = data(masters.status())
    page = f"/resources/{spec}"
    hidden = drawn(client, page, f"{page}/move")
    answer = client.post(f"{page}/move", data={**hidden, **fields})
    assert answer.status_code == status
    assert message in refusal(answer)
    assert data(masters.status()) == before


def test_removing_a_resource_with_history_asks_first(client: TestClient, masters: Masters) -> None:
    log_entry(masters, "Multivariate Calculus", 2, masters.today())
    spec = rid(masters, "Mathematics for Machine Learning")
    page = f"/resources/{spec}"
    assert "Also delete the resources under it and the 2 h logged" in client.get(page).text
    asked = submit(client, page, f"{page}/delete")
    assert asked.status_code == 400
    assert "also deletes 3 resources under it and 2 h logged" in refusal(asked)
    assert masters.show(f"#{spec}").id == spec
    removed = submit(client, page, f"{page}/delete", confirm="yes")
    assert removed.status_code == 303
    assert removed.headers["location"] == "/curriculum?saved=removed"
    assert "Removed." in client.get(removed.headers["location"]).text
    assert client.get(page).status_code == 404


def test_removing_a_resource_without_history_needs_no_box(
    client: TestClient, masters: Masters
) -> None:
    page = f"/resources/{rid(masters, 'Real Python')}"
    assert 'name="confirm"' not in client.get(page).text
    assert submit(client, page, f"{page}/delete").status_code == 303
    assert "Real Python" not in client.get("/curriculum").text


# --- Adding a resource -------------------------------------------------------------------


def test_a_resource_is_added_to_a_domain_or_under_a_resource(
    client: TestClient, masters: Masters
) -> None:
    form = "/resources/new?domain=Statistics"
    assert '<option value="Statistics" selected>' in client.get(form).text
    answer = submit(
        client,
        form,
        "/resources",
        title="Think Stats",
        domain="Statistics",
        kind="book",
        url="https://greenteapress.com/thinkstats2/",
        hours="1h30",
    )
    assert answer.status_code == 303
    added = masters.show("Think Stats")
    assert answer.headers["location"] == f"/resources/{added.id}?saved=yes"
    assert (added.kind, added.hours_estimated, added.url) == (
        "book",
        1.5,
        "https://greenteapress.com/thinkstats2/",
    )
    assert client.get(f"/resources/{added.id}.json").json()["domain"] == "Statistics"
    part = submit(client, form, "/resources", title="Chapter 1", domain="Statistics", under="Think")
    assert part.status_code == 303
    assert [c.title for c in masters.show("Think Stats").children] == ["Chapter 1"]
    assert client.get("/resources/new.json").json() == {
        "curriculum": "ML Engineer masters",
        "places": data(masters.places()),
        "kinds": [kind.value for kind in Kind],
    }


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"title": " "}, 400, "title '' must not be empty"),
        ({"url": "javascript:alert(1)"}, 400, "javascript:alert(1)"),
        ({"hours": "-2"}, 400, "-2"),
        ({"domain": "Astrology"}, 404, "no domain matches 'Astrology'"),
        ({"kind": "podcast"}, 400, "kind 'podcast' is not a kind of resource"),
    ],
)
def test_a_bad_new_resource_is_refused_with_what_was_typed_kept(
    client: TestClient, masters: Masters, fields: dict[str, str], status: int, message: str
) -> None:
    before = data(masters.status())
    typed = {"title": "Think Stats", "domain": "Statistics", "kind": "book", **fields}
    answer = submit(client, "/resources/new", "/resources", **typed)
    assert answer.status_code == status
    assert message in refusal(answer)
    assert f'value="{typed["title"]}"' in answer.text
    assert data(masters.status()) == before


def test_an_add_form_drawn_before_the_domains_changed_is_stale(
    client: TestClient, masters: Masters
) -> None:
    old = drawn(client, "/resources/new", "/resources")
    curriculum_id = masters.curriculum().id
    assert curriculum_id is not None
    robotics = NewDomain(curriculum_id, None, "Robotics")
    masters.store.apply([AddResource(robotics, None, Resource("Modern Robotics"))])
    answer = client.post("/resources", data={**old, "title": "X", "domain": "Statistics"})
    assert answer.status_code == 409
    assert "the curriculum's domains changed after this page was drawn" in refusal(answer)
    assert 'value="X"' in answer.text
    assert "Robotics" in answer.text  # the form is drawn again with the domains as they are


# --- The guards every new form goes through ---------------------------------------------


def every_new_form(masters: Masters) -> list[tuple[str, str, dict[str, str]]]:
    """(page, action, fields) of each form this part added, filled in to succeed."""
    entry_id = log_entry(masters, "Linear Algebra", 1, masters.today())
    page = f"/resources/{rid(masters, 'Real Python')}"
    la = f"/resources/{rid(masters, 'Linear Algebra')}"
    return [
        (page, f"{page}/rename", {"title": "Renamed"}),
        (page, f"{page}/move", {"domain": "Statistics"}),
        (la, f"/entries/{entry_id}/edit", {"hours": "2", "date": "today", "note": ""}),
        (la, f"/entries/{entry_id}/remove", {}),
        ("/resources/new", "/resources", {"title": "New", "domain": "Statistics"}),
    ]


def test_every_new_form_needs_the_token_and_this_origin(
    client: TestClient, masters: Masters
) -> None:
    forms = every_new_form(masters)
    before = data(masters.status())
    for page, action, fields in forms:
        hidden = drawn(client, page, action)
        tokenless = client.post(action, data={**hidden, **fields, "csrf": "guess"})
        assert tokenless.status_code == 403, action
        assert "security token is missing or old" in tokenless.text
        foreign = client.post(
            action, data={**hidden, **fields}, headers={"origin": "http://evil.example"}
        )
        assert foreign.status_code == 403, action
    assert data(masters.status()) == before
    rebound = TestClient(create_app(masters, SETTINGS), base_url="http://evil.example:8000")
    assert rebound.get(forms[0][0]).status_code == 421
    for page, action, fields in forms:
        assert submit(client, page, action, **fields).status_code == 303, action


def test_a_script_posting_a_refused_form_gets_the_error_as_json(
    client: TestClient, masters: Masters
) -> None:
    page = f"/resources/{rid(masters, 'Real Python')}"
    answer = client.post(
        f"{page}/rename",
        data={**drawn(client, page, f"{page}/rename"), "title": ""},
        headers={"accept": "application/json"},
    )
    assert answer.status_code == 400
    assert answer.json() == {"error": "title '' must not be empty"}


# --- /curriculum: light, nested --------------------------------------------------------------


class Sections(HTMLParser):
    """Each domain section's id with the ids of the sections around it."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.parents: dict[str, tuple[str, ...]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            name = dict(attrs).get("id") or ""
            self.parents[name] = tuple(self.open)
            self.open.append(name)

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self.open.pop()


def test_sub_domains_are_drawn_inside_their_domain(client: TestClient, masters: Masters) -> None:
    ids = {d.name: f"d{d.id}" for d in masters.curriculum().all_domains()}
    sections = Sections()
    sections.feed(client.get("/curriculum").text)
    assert sections.parents[ids["Python"]] == (ids["Software Engineering"],)
    assert sections.parents[ids["C++"]] == (ids["Software Engineering"],)
    assert sections.parents[ids["Software Engineering"]] == ()


def test_the_curriculum_links_each_resource_to_its_page_with_status_and_progress(
    client: TestClient, masters: Masters
) -> None:
    page = client.get("/curriculum").text
    assert "<form" not in page.split('id="archived"')[0]
    spec = masters.show("Mathematics for Machine Learning")
    line = page[page.index(f'<li id="r{spec.id}">') :]
    assert line.startswith(
        f'<li id="r{spec.id}"><a href="/resources/{spec.id}">'
        "Mathematics for Machine Learning Specialization</a> "
        '<span class="status status-in_progress">in progress</span> '
        f'<progress max="1" value="{spec.progress}"'
    )


def thousand_item_readme() -> str:
    """A README of 1,000 checkbox items in 10 sections, titled and linked as real ones are."""
    lines = ["# A thousand resources", ""]
    for section in range(10):
        lines += [f"## Section {section + 1}: topics of the field", ""]
        for item in range(100):
            number = section * 100 + item + 1
            box = "x" if number % 3 == 0 else " "
            lines.append(
                f"- [{box}] [Resource {number}: an introduction to an important topic]"
                f"(https://example.org/courses/resource-{number}) (12 hours)"
            )
        lines.append("")
    return "\n".join(lines)


def test_the_curriculum_of_a_thousand_resources_stays_under_300_kb(
    cli: Cli, tmp_path: Path
) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(thousand_item_readme(), encoding="utf-8")
    assert cli("import", str(readme)).returncode == 0
    status = cli("status", "--json")
    counts = json.loads(status.stdout)["overall"]["resources"]
    assert sum(counts.values()) == 1000
    page = cli("serve", "--get", "/curriculum")
    assert page.returncode == 0
    assert len(re.findall(r'<li id="r\d+"><a href="/resources/\d+">', page.stdout)) == 1000
    assert len(page.stdout.encode()) < CURRICULUM_BYTES


# --- The plan's month names ------------------------------------------------------------------


def test_the_plan_timeline_names_its_months(client: TestClient, masters: Masters) -> None:
    masters.plan()
    saved = masters.saved_plan().report
    drawn_timeline = timeline(saved)
    labels = drawn_timeline.labels
    assert 1 <= len(labels) <= MONTH_LABELS
    assert [label.percent for label in labels] == sorted({label.percent for label in labels})
    assert all(0 <= label.percent <= 90 for label in labels)
    assert re.fullmatch(r"[A-Z][a-z]{2} \d{4}", labels[0].text)
    page = client.get("/plan").text
    for label in labels:
        assert f'<text x="{label.percent}%" y="13" dx="2">{label.text}</text>' in page


@pytest.mark.parametrize(
    ("start", "finish", "names"),
    [
        (dt.date(2027, 3, 3), dt.date(2027, 3, 30), ["Mar 2027"]),
        (dt.date(2027, 1, 28), dt.date(2027, 4, 30), ["Feb 2027", "Mar", "Apr"]),
        (dt.date(2026, 11, 2), dt.date(2027, 2, 20), ["Nov 2026", "Dec", "Jan 2027", "Feb"]),
        (dt.date(2027, 1, 1), dt.date(2028, 12, 31), ["Jan 2027", "Jul", "Jan 2028", "Jul"]),
    ],
)
def test_month_names_are_thinned_to_fit_a_phone(
    masters: Masters, start: dt.date, finish: dt.date, names: list[str]
) -> None:
    report = dataclasses.replace(masters.plan(), start=start, finish=finish, items=())
    assert [label.text for label in timeline(report).labels] == names


# --- The README change, previewed ----------------------------------------------------------


def test_the_readme_preview_renders_the_new_side_and_nothing_live() -> None:
    long_title = "A very long resource title " * 12
    diff = "\n".join(
        [
            "--- a/README.md",
            "+++ b/README.md",
            "@@ -1,4 +1,4 @@",
            " ## Mathematics",
            f"-  - [ ] {long_title}",
            f"+  - [x] {long_title}",
            '+  - [ ] <script>alert(1)</script> [bad](javascript:alert(2)) <img src=x onerror="y">',
            "   - [ ] [Good](https://example.org/good)",
        ]
    )
    (hunk,) = readme_hunks(diff)
    assert hunk.lines[0] == "@@ -1,4 +1,4 @@"
    assert f"-  - [ ] {long_title}" in hunk.lines  # the whole line, nothing cut
    html = str(hunk.preview)
    assert "<h2>Mathematics</h2>" in html
    assert f'<li class="changed">☑ {long_title.strip()}</li>' in html
    assert '<li class="changed">☐ &lt;script&gt;alert(1)&lt;/script&gt;' in html
    assert "<script" not in html
    assert "<img" not in html
    assert "javascript:" not in html.replace("[bad](javascript:alert(2))", "")
    good = '<li>☐ <a href="https://example.org/good" rel="noopener noreferrer nofollow">Good</a>'
    assert good in html  # context, not changed


def test_the_readme_page_shows_each_change_beside_its_preview(cli: Cli, tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    title = "Linear Algebra, with a title long enough to run past the width of any phone " * 3
    readme.write_text(f"# M\n\n## Mathematics\n\n- [ ] {title.strip()}\n", encoding="utf-8")
    assert cli("import", str(readme)).returncode == 0
    assert cli("done", "Linear Algebra").returncode == 0
    page = cli("serve", "--get", "/readme").stdout
    assert page.count('<div class="hunk">') == 1
    assert f'<span class="add">+- [x] {title.strip()}</span>' in page
    assert f'<li class="changed">☑ {title.strip()}</li>' in page
