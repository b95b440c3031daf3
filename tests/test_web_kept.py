"""Pages kept between requests over a store in a file: never older than the store they show."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest
from starlette.testclient import TestClient

from diymasters.masters import Masters
from diymasters.model import Status
from diymasters.store import Store
from diymasters.study import duration
from diymasters.web import create_app
from tests.conftest import SETTINGS

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

COURSE = "Practical Deep Learning for Coders"
START = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)


class Clock:
    """A time that moves only when a test says so."""

    def __init__(self) -> None:
        self.time = START

    def __call__(self) -> dt.datetime:
        return self.time


@pytest.fixture
def url(tmp_path: Path) -> str:
    """A store in a file, with the ML Engineer masters in it."""
    address = f"sqlite:///{tmp_path / 'masters.db'}"
    store = Store.open(address)
    Masters(store).init()
    store.close()
    return address


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(url: str, clock: Clock) -> Iterator[TestClient]:
    """The web app over the store in the file, as its server would run it."""
    store = Store.open(url)
    app = create_app(Masters(store, now=clock), SETTINGS)
    with TestClient(app, base_url="http://127.0.0.1:8000") as test_client:
        yield test_client
    store.close()


@pytest.fixture
def other(url: str) -> Iterator[Masters]:
    """The same store opened apart, as the CLI (or another worker) opens it."""
    store = Store.open(url)
    yield Masters(store)
    store.close()


def status_on_page(client: TestClient, title: str) -> str:
    dots = client.get("/venn.json").json()["resources"]
    return str(next(dot["status"] for dot in dots if dot["title"] == title))


@pytest.mark.parametrize("path", ["/", "/venn", "/curriculum", "/postings", "/gaps", "/plan"])
def test_a_page_asked_again_is_the_same_page(client: TestClient, path: str) -> None:
    first = client.get(path)
    again = client.get(path)
    assert first.status_code == again.status_code == 200
    assert again.text == first.text
    assert again.headers["content-type"] == first.headers["content-type"]


def test_a_change_from_elsewhere_shows_on_the_next_visit(
    client: TestClient, other: Masters
) -> None:
    assert status_on_page(client, COURSE) == "todo"
    overview = client.get("/").text
    other.set_status(COURSE, Status.DONE)
    assert status_on_page(client, COURSE) == "done"
    assert client.get("/").text != overview


def test_the_twin_and_the_page_are_kept_apart(client: TestClient) -> None:
    assert client.get("/venn").headers["content-type"].startswith("text/html")
    answer = client.get("/venn", headers={"accept": "application/json"})
    assert answer.headers["content-type"] == "application/json"


def test_a_study_session_banner_keeps_counting(client: TestClient, url: str, clock: Clock) -> None:
    store = Store.open(url)
    try:
        Masters(store, now=clock).study_start(COURSE)
    finally:
        store.close()
    clock.time = START + dt.timedelta(minutes=5)
    assert duration(5) in client.get("/").text
    clock.time = START + dt.timedelta(minutes=25)
    assert duration(25) in client.get("/").text
