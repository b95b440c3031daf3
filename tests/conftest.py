"""Shared fixtures: real SQLite stores (in memory and on disk) and the real CLI."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from starlette.testclient import TestClient

from diymasters.masters import Masters
from diymasters.serialise import plain
from diymasters.store import Store
from diymasters.web import Settings, create_app
from tests.postgres import Server, Unavailable

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from playwright.sync_api import Browser, Page, ViewportSize

#: One cache of built objects (the matcher, the taxonomy) for every test and every process a
#: test starts, whatever home it gives them: a test's own home would build them again.
os.environ.setdefault(
    "XDG_CACHE_HOME", str(Path(tempfile.gettempdir()) / "diymasters-tests" / "cache")
)

#: The shared corpus beside the project; tests that read it skip when it is absent.
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def unmeasured(env: Mapping[str, str]) -> dict[str, str]:
    """An environment in which a Python subprocess runs without coverage measurement.

    `make test` measures subprocesses too (coverage's `patch = subprocess`), which costs each
    one its start-up and a tracer. Tests of how a process dies or how much memory it takes
    run without it: a process killed with SIGKILL writes no coverage data, a Ctrl-C would
    land in coverage's start-up, and the tracer's memory is not the product's.
    """
    return {key: value for key, value in env.items() if not key.startswith("COVERAGE_")}


def data(result: object) -> Any:
    """A typed result as its JSON form: what `--json` prints and a page's twin serves."""
    return plain(result)


#: Test modules whose stores are PostgreSQL as well as SQLite: the store's own tests.
BOTH_BACKENDS = {"test_store", "test_curricula", "test_postings", "test_study"}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run each store test of `BOTH_BACKENDS` on SQLite and on a real PostgreSQL server."""
    module = metafunc.module.__name__.rsplit(".", 1)[-1]
    if "backend" in metafunc.fixturenames and module in BOTH_BACKENDS:
        metafunc.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Server | str]:
    """A throwaway PostgreSQL server for this test process, or why there can be none."""
    stack = contextlib.ExitStack()
    try:
        server = stack.enter_context(Server.started())
    except Unavailable as why:
        yield str(why)
        return
    with stack:
        yield server


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The database a store test runs on: SQLite, unless the module asks for both."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def store_url(backend: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """A new, empty database: SQLite in memory, or a database of its own on the server."""
    if backend == "sqlite":
        yield "sqlite://"
        return
    server = request.getfixturevalue("postgres_server")
    if isinstance(server, str):
        pytest.skip(f"no PostgreSQL server: {server}")
    with server.database() as url:
        yield url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A migrated store: in memory, or on the PostgreSQL server for `BOTH_BACKENDS`."""
    opened = Store.open(store_url)
    yield opened
    opened.close()


@pytest.fixture
def masters(store: Store) -> Masters:
    """The ML Engineer masters loaded into an in-memory store."""
    loaded = Masters(store)
    loaded.init()
    return loaded


#: A fixed CSRF token, so tests can post forms.
TOKEN = "test-token"  # noqa: S105 (not a secret: the tests' own)
SETTINGS = Settings(host="127.0.0.1", port=8000, csrf_token=TOKEN)


@pytest.fixture
def client(masters: Masters) -> Iterator[TestClient]:
    """The web app over `masters`, answering as a browser would see it (no redirect followed)."""
    with TestClient(
        create_app(masters, SETTINGS), base_url="http://127.0.0.1:8000", follow_redirects=False
    ) as test_client:
        yield test_client


@pytest.fixture
def seed_readme() -> str:
    """The README that started the project, read from ../shared."""
    path = SHARED / "corpus" / "seed-readme.md"
    if not path.is_file():
        pytest.skip(f"{path} is absent (../shared is not beside the project)")
    return path.read_text(encoding="utf-8")


@dataclass
class Cli:
    """Runs the `diymasters` command against one store file, as a user would.

    Calling it runs the command in this process (Typer's parser, the real store, the real
    output streams swapped for buffers), which is fast enough to use everywhere;
    `subprocess` runs `python -m diymasters` for what only a real process shows.
    """

    db: Path
    home: Path

    def environment(self) -> dict[str, str]:
        """The environment a user's shell would give: their home, no colour, 100 columns."""
        env = {key: value for key, value in os.environ.items() if key not in _OWN_ENV}
        env.update(
            HOME=str(self.home),
            XDG_DATA_HOME=str(self.home / ".local" / "share"),
            XDG_CONFIG_HOME=str(self.home / ".config"),
            NO_COLOR="1",
            COLUMNS="100",
        )
        return env

    def arguments(self, args: Sequence[str], *, db: bool) -> list[str]:
        options = ["--db", f"sqlite:///{self.db}"] if db else []
        return [*options, *args]

    def __call__(
        self, *args: str, db: bool = True, stdin: str | bytes = b""
    ) -> subprocess.CompletedProcess[str]:
        argv = self.arguments(args, db=db)
        data = stdin.encode() if isinstance(stdin, str) else stdin
        with _environment(self.environment()), _streams(data) as (out, err):
            code = _exit_status(argv)
            sys.stdout.flush()
            sys.stderr.flush()
        return subprocess.CompletedProcess(argv, code, _text(out.getvalue()), _text(err.getvalue()))

    def subprocess(
        self, *args: str, db: bool = True, stdin: str | bytes = b""
    ) -> subprocess.CompletedProcess[str]:
        """Run `python -m diymasters` in a process of its own."""
        data = stdin.encode() if isinstance(stdin, str) else stdin
        result = subprocess.run(
            [sys.executable, "-m", "diymasters", *self.arguments(args, db=db)],
            capture_output=True,
            input=data,
            env=self.environment(),
            timeout=60,
            check=False,
        )
        return subprocess.CompletedProcess(
            result.args, result.returncode, _text(result.stdout), _text(result.stderr)
        )


#: Variables of ours a test's own shell may have set; a test starts without them.
_OWN_ENV = {"DIYMASTERS_DB", "DIYMASTERS_CURRICULUM"}


def _text(data: bytes) -> str:
    """Bytes as a text-mode subprocess would give them (universal newlines)."""
    return data.decode("utf-8", errors="replace").replace("\r\n", "\n")


def _exit_status(argv: list[str]) -> int:
    from diymasters.cli import main  # noqa: PLC0415 (the CLI loads on first use)

    try:
        main(argv)
    except SystemExit as stopped:
        code = stopped.code
        if code is None:
            return 0
        return code if isinstance(code, int) else 1
    return 0


@contextlib.contextmanager
def _environment(env: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def _streams(stdin: bytes) -> Iterator[tuple[io.BytesIO, io.BytesIO]]:
    """Standard streams over buffers, as a pipe would give: UTF-8, not a terminal."""
    out, err = io.BytesIO(), io.BytesIO()
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    sys.stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    sys.stderr = io.TextIOWrapper(err, encoding="utf-8", write_through=True)
    try:
        yield out, err
    finally:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
            stream.detach()
        sys.stdin, sys.stdout, sys.stderr = saved


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """A CLI runner with its own store file and home directory."""
    home = tmp_path / "home"
    home.mkdir()
    return Cli(db=tmp_path / "masters.db", home=home)


# --- The browser: real Chromium against a real `diymasters serve` -------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[1] / "build" / "screenshots"
#: As the machine's notes advise: without the background-networking flags, Chromium keeps
#: trying to reach Google's hosts, which this closed network refuses.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTHS: dict[str, ViewportSize] = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"no Chromium at {CHROMIUM} (make test installs Debian's chromium)")
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 (only with Chromium)

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def server(cli: Cli) -> Iterator[str]:
    """A `diymasters serve` on a free port over the ML Engineer template; yields its URL."""
    assert cli("init").returncode == 0
    with serving(cli, f"sqlite:///{cli.db}") as url:
        yield url


@contextlib.contextmanager
def serving(cli: Cli, store_url: str) -> Iterator[str]:
    """Run `diymasters serve` over a store on a free port; yield the URL it serves at."""
    env = {**os.environ, "HOME": str(cli.home), "NO_COLOR": "1"}
    log = cli.home / "serve.log"
    with (
        log.open("w") as errors,
        subprocess.Popen(
            [sys.executable, "-m", "diymasters", "--db", store_url, "serve", "--port", "0"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            env=env,
        ) as process,
    ):
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            assert line.startswith("diymasters is serving http://127.0.0.1:"), log.read_text()
            yield line.split()[3]
        finally:
            process.terminate()
            process.wait(timeout=10)
    # The server logs only problems: a traceback here is a bug even if every page looked fine.
    assert "Traceback" not in log.read_text()


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
