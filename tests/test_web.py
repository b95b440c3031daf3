"""The web UI in-process: pages and their JSON, forms through the core, and its guards."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

import icalendar
import pytest
from starlette.testclient import TestClient

from diymasters import plan
from diymasters.errors import Category
from diymasters.model import AddResource, Resource, Status
from diymasters.web import STATUS, create_app, fetch, listen, render_markdown
from tests.conftest import SETTINGS, TOKEN, data

if TYPE_CHECKING:
    from pathlib import Path

    from diymasters.masters import Masters
    from tests.conftest import Cli

PAGES = ["/", "/venn", "/curriculum", "/readme", "/postings", "/gaps", "/plan"]
POSTING = (
    "Machine Learning Engineer\n\nRequirements:\n- Python and PyTorch\n"
    "- Linear algebra and statistics\n\nNice to have: Kubernetes."
)


def resource_id(masters: Masters, title: str) -> int:
    found = data(masters.show(title))["id"]
    assert isinstance(found, int)
    return found


def version_of(client: TestClient, rid: int) -> str:
    """The stale-form fingerprint the resource's page drew for it."""
    section = client.get(f"/resources/{rid}").text
    found = re.search(r'name="version" value="([0-9a-f]+)"', section)
    assert found is not None
    return found.group(1)


def post(client: TestClient, path: str, **fields: Any) -> Any:
    return client.post(path, data={"csrf": TOKEN, **fields})


# --- Pages and their JSON ---------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_and_has_a_json_twin(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>" in page.text
    twin = client.get("/overview.json" if path == "/" else f"{path}.json")
    assert twin.status_code == 200
    assert twin.headers["content-type"] == "application/json"


def test_the_json_twin_is_the_core_report(client: TestClient, masters: Masters) -> None:
    assert client.get("/overview.json").json() == data(masters.overview())
    # with the curriculum it is about, which the page's header names (issue 15)
    assert client.get("/venn.json").json() == {
        "curriculum": masters.in_use(),
        **data(masters.venn()),
    }
    curriculum = client.get("/curriculum.json").json()
    assert curriculum["domains"] == data(masters.status())["domains"]


def test_pages_before_their_data_say_so_plainly(client: TestClient) -> None:
    assert "There is no saved plan yet" in client.get("/plan").text
    assert "The store holds no postings." in client.get("/gaps").text
    assert "has no linked README" in client.get("/readme").text
    assert "The store holds no postings" in client.get("/postings").text
    assert client.get("/plan.ics").status_code == 404


def test_unknown_pages_are_a_404_page(client: TestClient) -> None:
    answer = client.get("/no-such-page")
    assert answer.status_code == 404
    assert "There is no page here." in answer.text


# --- Changes through forms -----------------------------------------------------------------


def test_marking_a_course_done_moves_its_progress(client: TestClient, masters: Masters) -> None:
    rid = resource_id(masters, "Practical Deep Learning for Coders")
    before = client.get("/overview.json").json()["overall"]["progress"]
    answer = post(
        client, f"/resources/{rid}/status", status="done", version=version_of(client, rid)
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/resources/{rid}?saved=yes"
    assert data(masters.show(f"#{rid}"))["status"] == "done"
    assert client.get("/overview.json").json()["overall"]["progress"] > before
    dots = {d["id"]: d for d in client.get("/venn.json").json()["resources"]}
    assert dots[rid]["status"] == "done"


def test_logging_hours_counts_this_week(client: TestClient, masters: Masters) -> None:
    rid = resource_id(masters, "Linear Algebra")
    answer = post(
        client, f"/resources/{rid}/log", hours="2.5", note="week 1", version=version_of(client, rid)
    )
    assert answer.status_code == 303
    overview = client.get("/overview.json").json()
    assert overview["hours_this_week"] == 2.5
    assert overview["recent"][0]["what"] == "logged"
    assert overview["recent"][0]["note"] == "week 1"
    # The first hours ever logged: a week's pace, said to be since that day.
    assert (overview["pace_hours_per_week"], overview["pace_weeks"]) == (2.5, 1)
    page = client.get("/").text
    assert f"2.5 h a week since your first entry, {overview['pace_since']}</p>" in page


@pytest.mark.parametrize(("typed", "hours"), [("1h30", 1.5), ("90m", 1.5), ("1:30", 1.5)])
def test_the_log_form_takes_what_the_cli_takes(
    client: TestClient, masters: Masters, typed: str, hours: float
) -> None:
    rid = resource_id(masters, "Linear Algebra")
    answer = post(client, f"/resources/{rid}/log", hours=typed, version=version_of(client, rid))
    assert answer.status_code == 303
    assert [e["hours"] for e in data(masters.show(f"#{rid}"))["time_entries"]] == [hours]


@pytest.mark.parametrize(("logged", "shown"), [(1 / 60, "0:01"), (1.5, "1.5"), (25 / 60, "0:25")])
def test_an_entry_s_hours_read_back_as_typed_in_its_form(
    client: TestClient, masters: Masters, logged: float, shown: str
) -> None:
    """A minute timed by a study session showed as 0.0166667 in the box that corrects it."""
    masters.log("Linear Algebra", logged)
    rid = resource_id(masters, "Linear Algebra")
    page = client.get(f"/resources/{rid}").text
    assert re.search(rf'name="hours" required inputmode="decimal" size="6" value="{shown}"', page)


@pytest.mark.parametrize(
    ("typed", "why"),
    [("1e9", "is not a duration"), ("25", "at most 24 h can be logged on one day")],
)
def test_the_log_form_refuses_what_the_cli_refuses(
    client: TestClient, masters: Masters, typed: str, why: str
) -> None:
    rid = resource_id(masters, "Linear Algebra")
    answer = post(client, f"/resources/{rid}/log", hours=typed, version=version_of(client, rid))
    assert answer.status_code == 400
    assert why in answer.text
    assert data(masters.show(f"#{rid}"))["time_entries"] == []


def test_a_note_is_added_and_shown_as_markdown(client: TestClient, masters: Masters) -> None:
    rid = resource_id(masters, "Real Python")
    post(
        client,
        f"/resources/{rid}/note",
        text="Read **the async** chapter",
        version=version_of(client, rid),
    )
    assert data(masters.show(f"#{rid}"))["notes"].endswith("Read **the async** chapter")
    assert "<strong>the async</strong>" in client.get(f"/resources/{rid}").text


def test_a_bad_value_is_one_message_and_changes_nothing(
    client: TestClient, masters: Masters
) -> None:
    rid = resource_id(masters, "Linear Algebra")
    before = data(masters.show(f"#{rid}"))
    for path, fields in (
        ("log", {"hours": "-3"}),
        ("log", {"hours": "lots"}),
        ("log", {"hours": "1", "date": "2026-13-01"}),
        ("status", {"status": "finished"}),
        ("note", {"text": "   "}),
    ):
        answer = post(client, f"/resources/{rid}/{path}", version=version_of(client, rid), **fields)
        assert answer.status_code == 400, (path, fields)
        assert 'role="alert"' in answer.text
        assert "Traceback" not in answer.text
    assert data(masters.show(f"#{rid}")) == before


def test_a_stale_form_is_refused_with_a_message(client: TestClient, masters: Masters) -> None:
    rid = resource_id(masters, "Linear Algebra")
    drawn = version_of(client, rid)
    masters.log(f"#{rid}", 1.0, note="from the command line")
    answer = post(client, f"/resources/{rid}/status", status="dropped", version=drawn)
    assert answer.status_code == 409
    assert "changed after this page was drawn" in answer.text
    assert data(masters.show(f"#{rid}"))["status"] == "done"


def test_a_form_for_a_resource_that_is_gone_is_a_404(client: TestClient) -> None:
    answer = post(client, "/resources/9999/status", status="done", version="x")
    assert answer.status_code == 404


def test_a_script_gets_json_back_from_a_form(client: TestClient, masters: Masters) -> None:
    rid = resource_id(masters, "Principal Component Analysis")
    answer = client.post(
        f"/resources/{rid}/status",
        data={"csrf": TOKEN, "status": "in_progress", "version": version_of(client, rid)},
        headers={"accept": "application/json"},
    )
    assert answer.status_code == 200
    assert answer.json()["status"] == "in_progress"


# --- Postings, gaps and plans ------------------------------------------------------------------


def test_a_pasted_posting_is_highlighted_with_its_coverage(client: TestClient) -> None:
    page = post(client, "/postings", text=POSTING)
    assert page.status_code == 200
    marks = re.findall(r'<mark class="skill[^"]*" title="([^"]+)">([^<]+)</mark>', page.text)
    marked = {text for _, text in marks}
    assert {"Python", "PyTorch", "Linear algebra", "statistics", "Kubernetes"} <= marked
    assert "The curriculum covers" in page.text
    data = client.post("/postings.json", data={"csrf": TOKEN, "text": POSTING}).json()["posting"]
    assert "".join(s["text"] for s in data["segments"]) == data["text"]
    assert 0 < data["coverage"]["coverage"]["curriculum"] < 1
    assert f'id="found-heading">{len(data["mentions"])} skill mentions found</h2>' in page.text


def test_an_empty_posting_is_a_message(client: TestClient) -> None:
    answer = post(client, "/postings", text="  ")
    assert answer.status_code == 400
    assert "paste a job posting" in answer.text


def test_stored_postings_give_the_demand_table_and_gaps(
    client: TestClient, masters: Masters, tmp_path: Path
) -> None:
    rows = ["title,description"] + [
        f'Data Scientist {i},"Role {i}: Python, SQL, Quarkle and TensorFlow; statistics {i}"'
        for i in range(4)
    ]
    (tmp_path / "jobs.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    masters.analyse_corpus(tmp_path / "jobs.csv")
    demand = client.get("/postings.json").json()["corpus"]
    shares = {s["name"]: s["share"] for s in demand["skills"]}
    assert demand["postings"] == 4
    assert shares["Python"] == 1.0
    assert 'id="demand-table"' in client.get("/postings").text
    gaps = client.get("/gaps.json").json()
    assert gaps["available"]
    assert "TensorFlow" in {g["skill"] for g in gaps["gaps"]}
    assert gaps["recommendations"]
    assert "quarkle" not in {g["skill"] for g in gaps["gaps"]} | set(gaps["untaught"])
    assert [(n["name"], n["demand"]) for n in gaps["unlinked"]] == [("quarkle", 1.0)]
    page = client.get("/gaps").text
    assert "(1 in all):\n<span" in page
    # A corpus's demand is a share of postings, shown as one: TensorFlow is in all 4.
    row = r'<td>TensorFlow</td><td class="domain">[\w ]+</td><td class="num">100%</td>'
    assert re.search(row, page)
    assert ">Share of postings</th>" in page
    assert client.get("/gaps?role=nobody").status_code == 200


def test_planning_from_the_page_saves_a_plan_with_a_calendar(
    client: TestClient, masters: Masters
) -> None:
    answer = post(client, "/plan", hours_per_week="10")
    assert answer.status_code == 303
    saved = masters.saved_plan()
    assert saved.report.hours_per_week == 10
    page = client.get("/plan").text
    assert saved.report.finish.isoformat() in page
    assert page.count('class="gantt-row') == len(saved.report.items)
    download = client.get("/plan.ics")
    assert download.headers["content-type"].startswith("text/calendar")
    assert "attachment" in download.headers["content-disposition"]
    calendar = icalendar.Calendar.from_ical(download.content)
    sessions = plan.study_sessions(saved.report)
    assert len(list(calendar.walk("VEVENT"))) == len(sessions)
    assert {s.item for s in sessions} == set(saved.report.items)
    assert plan.is_plan_ics(download.content)
    assert post(client, "/plan", hours_per_week="0").status_code == 400


def test_the_readme_preview_and_sync_write_one_byte(
    client: TestClient, masters: Masters, tmp_path: Path, seed_readme: str
) -> None:
    path = tmp_path / "README.md"
    path.write_text(seed_readme, encoding="utf-8")
    masters.import_readme(path)
    before = path.read_bytes()
    masters.set_status("Multivariate Calculus", Status.DONE)
    page = client.get("/readme").text
    assert "What a sync would change" in page
    version = re.search(r'name="version" value="([0-9a-f]+)"', page)
    assert version is not None
    answer = post(client, "/readme/sync", version=version.group(1))
    assert answer.status_code == 303
    after = path.read_bytes()
    assert len(after) == len(before)
    assert sum(a != b for a, b in zip(before, after, strict=True)) == 1
    assert "a sync would write nothing" in client.get("/readme").text


def test_a_readme_edited_after_the_preview_is_not_written(
    client: TestClient, masters: Masters, tmp_path: Path, seed_readme: str
) -> None:
    path = tmp_path / "README.md"
    path.write_text(seed_readme, encoding="utf-8")
    masters.import_readme(path)
    masters.set_status("Multivariate Calculus", Status.DONE)
    page = client.get("/readme").text
    version = re.search(r'name="version" value="([0-9a-f]+)"', page)
    assert version is not None
    edited = seed_readme.replace(
        "- [ ] Principal Component Analysis", "- [x] Principal Component Analysis"
    )
    assert edited != seed_readme
    path.write_text(edited, encoding="utf-8")
    answer = post(client, "/readme/sync", version=version.group(1))
    assert answer.status_code == 409
    assert path.read_text(encoding="utf-8") == edited


# --- The guards ----------------------------------------------------------------------------------


def test_a_request_for_another_host_name_is_refused(masters: Masters) -> None:
    app = create_app(masters, SETTINGS)
    for base in ("http://attacker.example:8000", "http://127.0.0.1:9999"):
        with TestClient(app, base_url=base) as other:
            assert other.get("/").status_code == 421
            assert other.post("/plan", data={"csrf": TOKEN}).status_code == 421
    for name in ("localhost", "127.0.0.1", "[::1]"):
        with TestClient(app, base_url=f"http://{name}:8000") as same:
            assert same.get("/").status_code == 200


def test_forms_without_the_token_change_nothing(client: TestClient, masters: Masters) -> None:
    rid = resource_id(masters, "Practical Deep Learning for Coders")
    version = version_of(client, rid)
    for fields in ({}, {"csrf": "guessed"}, {"csrf": ""}):
        answer = client.post(
            f"/resources/{rid}/status", data={**fields, "status": "done", "version": version}
        )
        assert answer.status_code == 403
        assert "security token" in answer.text
    assert post(client, "/plan", csrf="nope", hours_per_week="8").status_code == 403
    assert data(masters.show(f"#{rid}"))["status"] == "todo"


def test_a_form_posted_from_another_site_is_refused(client: TestClient, masters: Masters) -> None:
    rid = resource_id(masters, "Practical Deep Learning for Coders")
    answer = client.post(
        f"/resources/{rid}/status",
        data={"csrf": TOKEN, "status": "done", "version": version_of(client, rid)},
        headers={"origin": "http://attacker.example"},
    )
    assert answer.status_code == 403
    assert data(masters.show(f"#{rid}"))["status"] == "todo"


def test_pages_forbid_inline_script_and_framing(client: TestClient) -> None:
    headers = client.get("/").headers
    policy = headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["server-timing"].startswith("app;dur=")


def test_hostile_titles_notes_and_postings_are_inert(client: TestClient, masters: Masters) -> None:
    masters.add(Resource(title='<script>alert("title")</script>'), domain="Statistics")
    rid = resource_id(masters, '<script>alert("title")</script>')
    masters.note(
        f"#{rid}",
        '[click](javascript:alert(1)) <img src=x onerror="alert(2)"> '
        '<a href="javascript:alert(3)">raw</a> [fine](https://example.org)',
    )
    masters.log(f"#{rid}", 1.0, note="<b>bold</b> note")
    for path in ("/", "/curriculum", "/venn"):
        page = client.get(path).text
        assert "<script>alert" not in page, path
        assert "&lt;script&gt;alert" in page, path
    page = client.get(f"/resources/{rid}").text
    assert not re.search(r"<a [^>]*href=\"?javascript:", page, re.IGNORECASE)
    assert "&lt;a href=" in page  # the raw HTML shows as the text it is
    assert "&lt;b&gt;bold&lt;/b&gt; note" in client.get("/").text
    assert "<img" not in page
    assert 'href="https://example.org" rel="noopener noreferrer nofollow"' in page
    # Entities decode to text that must show as text, in the form and in the marked-up copy.
    hostile = "Python &lt;script&gt;alert(4)&lt;/script&gt; developer, 1 < 2"
    posted = post(client, "/postings", text=hostile).text
    assert "<script>alert(4)" not in posted
    assert posted.count("&lt;script&gt;alert(4)&lt;/script&gt;") == 2
    assert "1 &lt; 2" in posted


def test_only_safe_links_are_live(client: TestClient, masters: Masters) -> None:
    """A README (or a store from before links were checked) may hold any link (issue 13)."""
    home = masters.curriculum().domains[0].id
    assert home is not None
    unsafe = {"Evil": "javascript:alert(8)", "Data": "data:text/html,8", "Chat": "irc://e.org/x"}
    masters.store.apply(
        [AddResource(home, None, Resource(title, url=url)) for title, url in unsafe.items()]
        + [AddResource(home, None, Resource("Good", url="https://example.org/good"))]
    )
    for title in unsafe:
        masters.log(title, 1.0)  # under way, so the plan's timeline lists it too
    masters.plan()
    paths = ["/plan", *(f"/resources/{resource_id(masters, t)}" for t in [*unsafe, "Good"])]
    pages = {path: client.get(path).text for path in paths}
    for path, page in pages.items():
        links = {a["href"] for tag, a in tags_in(page) if tag == "a"}
        assert not links & set(unsafe.values()), path
    assert '<span class="gantt-label"><span>Evil</span>' in pages["/plan"]
    good, evil = (pages[f"/resources/{resource_id(masters, t)}"] for t in ("Good", "Evil"))
    assert '<a href="https://example.org/good" rel="noopener noreferrer">' in good
    assert " · <span>javascript:alert(8)</span>" in evil  # shown, as text


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def tags_in(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize(
    "markdown",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "<script>alert(1)</script>",
        '<a href="https://e.org" onclick="alert(1)">y</a>',
        "![img](https://e.org/x.png)",
        "[x](vbscript:msgbox(1)) <iframe src=//e.org></iframe>",
    ],
)
def test_markdown_notes_are_sanitised(markdown: str) -> None:
    for tag, attributes in tags_in(render_markdown(f"{markdown} and [ok](https://e.org)")):
        assert tag in {"p", "a", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote"}
        assert not any(name.startswith("on") for name in attributes)
        if tag == "a":
            assert (attributes["href"] or "").startswith(("https:", "http:", "mailto:"))


# --- Serving --------------------------------------------------------------------------------


def test_fetch_renders_a_page_in_process(masters: Masters) -> None:
    status, headers, body = fetch(create_app(masters, SETTINGS), "/venn.json", SETTINGS)
    assert status == 200
    assert headers["content-type"] == "application/json"
    assert b'"domains"' in body


def test_serve_get_prints_a_page_and_fails_on_a_missing_one(cli: Cli) -> None:
    assert cli("init").returncode == 0
    shown = cli("serve", "--get", "/overview.json")
    assert shown.returncode == 0
    assert json.loads(shown.stdout)["curriculum"] == "ML Engineer masters"
    missing = cli("serve", "--get", "/nowhere")
    assert missing.returncode == 1
    assert missing.stderr.strip() == "Error: GET /nowhere answered 404"


def test_serve_on_a_busy_port_is_one_line(cli: Cli) -> None:
    assert cli("init").returncode == 0
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = cli("serve", "--port", str(port))
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: cannot listen on 127.0.0.1:{port}:")
    assert len(result.stderr.strip().splitlines()) == 1


def test_serve_on_an_empty_store_says_how_to_start(cli: Cli) -> None:
    result = cli("serve", "--port", "0")
    assert result.returncode == 2
    assert "run `diymasters init`" in result.stderr


def test_listen_on_port_zero_takes_a_free_port() -> None:
    with listen("127.0.0.1", 0) as sock:
        assert sock.getsockname()[1] > 0


def test_ctrl_c_stops_the_server_cleanly(cli: Cli) -> None:
    assert cli("init").returncode == 0
    with subprocess.Popen(
        [sys.executable, "-m", "diymasters", "--db", f"sqlite:///{cli.db}", "serve", "--port", "0"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "HOME": str(cli.home)},
    ) as server:
        assert server.stdout is not None
        url = server.stdout.readline().split()[3]
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (our own server)
            assert answer.status == 200
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=20)
    assert server.returncode == 0, err
    assert out.strip() == "Stopped."
    assert err == ""


def test_an_item_gone_from_the_readme_can_be_restored_or_deleted_from_the_page(
    client: TestClient, masters: Masters, tmp_path: Path
) -> None:
    path = tmp_path / "README.md"
    text = "# M\n\n## Maths\n\n- [ ] Algebra\n- [ ] Series\n- [ ] Topology\n"
    path.write_text(text)
    masters.import_readme(path)
    masters.log("Series", 2)
    path.write_text(text.replace("- [ ] Series\n", "").replace("- [ ] Topology\n", ""))
    masters.sync()
    page = client.get("/curriculum").text
    assert "No longer in the README" in page
    data = client.get("/curriculum.json").json()
    assert [a["title"] for a in data["archived"]] == ["Series", "Topology"]
    assert data["overall"]["hours_logged"] == 0
    series, topology = (a["id"] for a in data["archived"])
    assert post(client, f"/resources/{series}/restore", version="stale").status_code == 409
    restored = post(client, f"/resources/{series}/restore", version=version_of(client, series))
    assert restored.status_code == 303
    assert masters.curriculum().archived[0].title == "Topology"
    assert client.get("/curriculum.json").json()["overall"]["hours_logged"] == 2
    deleted = post(
        client, f"/resources/{topology}/delete", version=version_of(client, topology), confirm="yes"
    )
    assert deleted.status_code == 303
    assert masters.curriculum().archived == ()
    assert "No longer in the README" not in client.get("/curriculum").text
    masters.sync()
    assert path.read_text() == text.replace("- [ ] Topology\n", "")


def test_a_slow_page_does_not_hold_up_the_others(
    masters: Masters, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The core's work runs in worker threads, so the event loop answers meanwhile."""
    entered, release = threading.Event(), threading.Event()
    finished: list[str] = []
    overview = masters.overview

    def slow_overview(*args: Any, **kwargs: Any) -> Any:
        entered.set()
        release.wait(timeout=30)
        return overview(*args, **kwargs)

    monkeypatch.setattr(masters, "overview", slow_overview)

    def draw_overview() -> None:
        assert client.get("/").status_code == 200
        finished.append("overview")

    slow = threading.Thread(target=draw_overview)
    slow.start()
    try:
        assert entered.wait(timeout=30)
        assert client.get("/curriculum").status_code == 200
        finished.append("curriculum")
    finally:
        release.set()
        slow.join()
    assert finished == ["curriculum", "overview"]


def test_every_kind_of_failure_has_a_response_status() -> None:
    assert set(STATUS) == set(Category)


def test_two_forms_from_one_page_cannot_both_pass_the_check(
    masters: Masters, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A form checks what it was drawn from and changes it in one step: the second is stale."""
    rid = resource_id(masters, "Practical Deep Learning for Coders")
    drawn = version_of(client, rid)
    inside, release = threading.Semaphore(0), threading.Event()
    set_status = masters.set_status

    def held_set_status(*args: Any, **kwargs: Any) -> Any:
        inside.release()
        release.wait(timeout=30)
        return set_status(*args, **kwargs)

    monkeypatch.setattr(masters, "set_status", held_set_status)
    answers: dict[str, int] = {}

    def submit(status: str) -> None:
        answer = post(client, f"/resources/{rid}/status", status=status, version=drawn)
        answers[status] = answer.status_code

    first = threading.Thread(target=submit, args=("done",))
    first.start()
    assert inside.acquire(timeout=30)
    second = threading.Thread(target=submit, args=("dropped",))
    second.start()
    # Without the lock the second form passes the check too and reaches the change here.
    inside.acquire(timeout=2)
    release.set()
    first.join()
    second.join()
    assert answers == {"done": 303, "dropped": 409}
    assert data(masters.show(f"#{rid}"))["status"] == "done"
