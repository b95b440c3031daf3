"""The server's limits, against a real `serve` over real sockets (issue 13).

No test here asserts how long anything took: only that a connection is closed, that the
server still answers, and with what status.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import os
import select
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from typing import TYPE_CHECKING

import pytest
from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse
from starlette.testclient import TestClient

from diymasters.web import Settings, create_app, listen
from diymasters.web.limits import Limits, RequestLimits

if TYPE_CHECKING:
    from collections.abc import Iterator

    from starlette.types import Message, Receive, Scope, Send

    from diymasters.masters import Masters
    from tests.conftest import Cli

#: A bound on waiting for the server to close a connection, far above its timeout, so that
#: a server that never closes one fails the test instead of hanging it.
PATIENCE = 60.0
LIMIT = Limits().max_body
#: Only a form is read: a body of another type is never taken in.
FORM_HEADERS = {"content-type": "application/x-www-form-urlencoded"}


@pytest.fixture
def server(cli: Cli) -> Iterator[tuple[str, int]]:
    """A real `diymasters serve` with a one-second timeout; its log must stay empty."""
    assert cli("init").returncode == 0
    command = [sys.executable, "-m", "diymasters", "--db", f"sqlite:///{cli.db}", "serve"]
    with subprocess.Popen(
        [*command, "--port", "0", "--timeout", "1"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "HOME": str(cli.home)},
    ) as process:
        assert process.stdout is not None
        url = process.stdout.readline().split()[3]
        host, port = url.removeprefix("http://").rstrip("/").rsplit(":", 1)
        yield host, int(port)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=PATIENCE)
    assert err == ""


def get(host: str, port: int, path: str = "/") -> int:
    with urllib.request.urlopen(f"http://{host}:{port}{path}", timeout=PATIENCE) as answer:
        status: int = answer.status
    return status


def closed_by_server(sock: socket.socket) -> bool:
    """Wait (up to PATIENCE) for the server to end the connection; True if it did."""
    sock.settimeout(PATIENCE)
    try:
        return sock.recv(1024) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_connections_that_never_finish_a_request_are_closed(server: tuple[str, int]) -> None:
    host, port = server
    head = f"POST /postings HTTP/1.1\r\nHost: {host}:{port}\r\n".encode()
    head += b"Content-Type: application/x-www-form-urlencoded\r\n"
    stalled = {
        "nothing sent": b"",
        "half a request head": head,
        "a head and half its body": head + b"Content-Length: 100\r\n\r\ntext=abc",
    }
    held: dict[str, socket.socket] = {}
    for name, sent in stalled.items():
        for number in range(10):
            sock = socket.create_connection((host, port))
            sock.sendall(sent)
            held[f"{name} #{number}"] = sock
    assert get(host, port) == 200  # held connections do not stop others being answered
    try:
        for name, sock in held.items():
            assert closed_by_server(sock), name
    finally:
        for sock in held.values():
            sock.close()
    assert get(host, port) == 200


def test_a_request_sent_a_byte_at_a_time_is_cut_off(server: tuple[str, int]) -> None:
    """Slowloris: each byte arrives well within the timeout, the whole request never does."""
    host, port = server
    with socket.create_connection((host, port)) as sock:
        sock.sendall(f"GET / HTTP/1.1\r\nHost: {host}:{port}\r\n".encode())
        for _ in range(int(PATIENCE / 0.2)):
            readable, _, _ = select.select([sock], [], [], 0.2)
            if readable:
                break
            try:
                sock.sendall(b"X")
            except (BrokenPipeError, ConnectionResetError):
                break
        assert closed_by_server(sock)
    assert get(host, port) == 200


def test_an_oversized_body_is_refused_with_413(server: tuple[str, int]) -> None:
    host, port = server
    declared = urllib.request.Request(
        f"http://{host}:{port}/postings", data=b"text=" + b"x" * LIMIT, method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(declared, timeout=PATIENCE)  # noqa: S310 (our own server)
    assert refused.value.code == 413
    assert "The request is larger than 1 MiB; nothing was saved." in refused.value.read().decode()
    # A chunked body declares no length: it is counted as it arrives.
    connection = http.client.HTTPConnection(host, port, timeout=PATIENCE)
    chunks = (b"x" * 65536 for _ in range(LIMIT // 65536 + 2))
    connection.request("POST", "/postings", body=chunks, headers=FORM_HEADERS, encode_chunked=True)
    assert connection.getresponse().status == 413
    connection.close()
    assert get(host, port) == 200


def test_a_client_sending_its_whole_body_before_reading_gets_the_413(
    server: tuple[str, int],
) -> None:
    """The refusal waits for the body, so the client reads it rather than a broken pipe.

    urllib sends "Connection: close", after which the server closes as soon as it has answered.
    """
    host, port = server
    body = b"text=" + b"x" * LIMIT
    head = f"POST /postings HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n"
    head += (
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    with socket.create_connection((host, port), timeout=PATIENCE) as sock:
        sock.sendall(head.encode())
        # Time for a server that answers on the head alone to answer and close.
        select.select([sock], [], [], 0.25)
        for start in range(0, len(body), 16384):
            sock.sendall(body[start : start + 16384])
        answer = b""
        while b"\r\n" not in answer and (received := sock.recv(4096)):
            answer += received
    assert answer.startswith(b"HTTP/1.1 413 ")


@pytest.fixture
def client(masters: Masters) -> Iterator[TestClient]:
    settings = Settings(host="127.0.0.1", port=8000, limits=Limits(max_body=1000))
    with TestClient(create_app(masters, settings), base_url="http://127.0.0.1:8000") as app:
        yield app


def test_a_body_just_under_the_limit_is_read(client: TestClient) -> None:
    answer = client.post("/postings", content=b"text=" + b"x" * 995, headers=FORM_HEADERS)
    assert answer.status_code == 403  # read, then refused for its missing security token


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_body_over_the_limit_is_an_error_page(client: TestClient, *, chunked: bool) -> None:
    body = b"text=" + b"x" * 996
    answer = client.post(
        "/postings",
        content=iter([body[:500], body[500:]]) if chunked else body,
        headers={"accept": "application/json", **FORM_HEADERS},
    )
    assert answer.status_code == 413
    assert answer.json() == {"error": "The request is larger than 1000 bytes; nothing was saved."}


@pytest.mark.parametrize(
    ("headers", "reads"),
    [
        ([(b"content-length", b"1500")], 1),
        ([(b"content-length", b"1500"), (b"expect", b"100-continue")], 0),
        ([(b"content-length", b"2001")], 0),
    ],
    ids=["read and dropped", "client waits for 100 Continue", "over twice the limit"],
)
def test_a_refused_body_is_read_only_when_the_client_is_sending_it_anyway(
    headers: list[tuple[bytes, bytes]], reads: int
) -> None:
    """Reading a body invites one that waits for "100 Continue"; a huge one is not worth it."""
    limited = RequestLimits(_reads_its_body, Limits(max_body=1000))
    calls: list[Message] = []

    async def receive() -> Message:
        calls.append({"type": "http.request", "body": b"x" * 1500, "more_body": False})
        return calls[-1]

    async def refused() -> None:
        scope = {"type": "http", "method": "POST", "path": "/", "headers": headers}
        with pytest.raises(HTTPException) as error:
            await limited(scope, receive, _ignore)
        assert error.value.status_code == 413

    asyncio.run(refused())
    assert len(calls) == reads


def test_a_chunked_body_over_the_limit_is_read_to_its_end_before_the_refusal() -> None:
    """A client still sending reads the 413; a second read after it reads nothing more."""
    limited = RequestLimits(_reads_its_body_twice, Limits(max_body=1000))
    chunks = [b"x" * 800, b"x" * 800, b"x" * 800]
    read: list[int] = []

    async def receive() -> Message:
        read.append(len(read))
        return {"type": "http.request", "body": chunks[len(read) - 1], "more_body": len(read) < 3}

    async def refused() -> int:
        scope = {"type": "http", "method": "POST", "path": "/", "headers": []}
        with pytest.raises(HTTPException) as error:
            await limited(scope, receive, _ignore)
        return error.value.status_code

    assert asyncio.run(refused()) == 413
    assert len(read) == 3


async def _reads_its_body_twice(_scope: Scope, receive: Receive, _send: Send) -> None:
    with contextlib.suppress(HTTPException):
        while True:
            await receive()
    await receive()


async def _reads_its_body(_scope: Scope, receive: Receive, _send: Send) -> None:
    await receive()


async def _ignore(message: Message) -> None:
    pass


def test_requests_beyond_the_ones_in_hand_are_answered_503() -> None:
    release = asyncio.Event()

    async def slow_app(scope: Scope, receive: Receive, send: Send) -> None:
        await release.wait()
        await PlainTextResponse("done")(scope, receive, send)

    limited = RequestLimits(slow_app, Limits(max_requests=2))

    async def request() -> int:
        statuses: list[int] = []

        async def receive() -> Message:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])

        scope = {"type": "http", "method": "GET", "path": "/", "headers": []}
        await limited(scope, receive, send)
        return statuses[0]

    async def scenario() -> tuple[list[int], int, int]:
        held = [asyncio.create_task(request()) for _ in range(2)]
        await asyncio.sleep(0)
        turned_away = await request()
        release.set()
        return await asyncio.gather(*held), turned_away, await request()

    held, turned_away, after = asyncio.run(scenario())
    assert (held, turned_away, after) == ([200, 200], 503, 200)


def test_the_server_answers_each_connection_without_waiting_for_acks() -> None:
    """Nagle's algorithm is off on every connection the server accepts (no 40 ms stalls)."""

    async def accept_one() -> int:
        accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                sock = transport.get_extra_info("socket")
                accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await asyncio.get_running_loop().create_server(Probe, sock=listen("127.0.0.1", 0))
        port = server.sockets[0].getsockname()[1]
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            return await asyncio.wait_for(accepted, 10)
        finally:
            writer.close()
            server.close()

    assert asyncio.run(accept_one()) != 0
