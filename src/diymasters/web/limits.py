"""How much one client may ask of the server: time to send a request, body size, connections.

uvicorn closes idle keep-alive connections, but not one that never finishes its request: 500
connections that each sent half a request head were held for as long as they stayed open,
and a body was read whole whatever its size (issue 13). The limits here bound both, and the
requests in hand at once. They count requests rather than connections (uvicorn's
`limit_concurrency` counts connections), so that stalled connections, which the timeout ends
anyway, cannot make the server turn everyone else away.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import h11
import uvicorn
from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse
from uvicorn.protocols.http.h11_impl import H11Protocol

if TYPE_CHECKING:
    import asyncio

    from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: The states in which the client has not yet sent its whole request.
_SENDING = frozenset({h11.IDLE, h11.SEND_BODY})


@dataclass(frozen=True)
class Limits:
    """What clients may ask of the server."""

    #: Seconds a client has to send a whole request, head and body, from its first byte (or
    #: from connecting); also how long an idle connection stays open for the next request.
    timeout: int = 5
    #: The largest request body, in bytes: a form holds at most a pasted job posting.
    max_body: int = 1024 * 1024
    #: Requests in hand at once (their bodies are in memory); one more is answered 503.
    #: A connection still sending its request head does not count: the timeout ends it.
    max_requests: int = 32


class RequestLimits:
    """Answer 413 to a body over the limit, and 503 to a request beyond the ones in hand.

    The body's declared Content-Length is checked first, and the bytes received are counted
    too, so a chunked body, which declares no length, is stopped at the limit as well. Up to
    as much again as the limit is read and dropped before the answer, so that a client still
    sending reads the 413; a body declared larger than that is refused unread.
    """

    def __init__(self, app: ASGIApp, limits: Limits) -> None:
        """Wrap an ASGI app."""
        self.app = app
        self.limit = limits.max_body
        self.max_requests = limits.max_requests
        #: Requests being answered now.
        self.in_hand = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, if there is room, with a `receive` that counts its bytes."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.in_hand >= self.max_requests:
            busy = PlainTextResponse("The server is busy; try again in a moment.", 503)
            await busy(scope, receive, send)
            return
        self.in_hand += 1
        try:
            await self.app(scope, self._counted(scope, receive), send)
        finally:
            self.in_hand -= 1

    def _counted(self, scope: Scope, receive: Receive) -> Receive:
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length", b"")
        declared_size = int(declared) if declared.isdigit() else 0
        # A client that waits for "100 Continue" sends no body until `receive` is called.
        waits = headers.get(b"expect", b"").lower() == b"100-continue"
        received = 0
        refused = False

        async def counted() -> Message:
            nonlocal received, refused
            if refused:  # asked again after the refusal: what was sent is already read
                raise self._too_large()
            if declared_size > self.limit:
                refused = True
                if not waits and declared_size <= 2 * self.limit:
                    await _drop_rest(receive, declared_size)
                raise self._too_large()
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                refused = True
                if message.get("more_body", False):
                    await _drop_rest(receive, self.limit)
                raise self._too_large()
            return message

        return counted

    def _too_large(self) -> HTTPException:
        # Raised inside the handler that reads the body, so the app's error page answers it.
        return HTTPException(
            413, f"The request is larger than {_size(self.limit)}; nothing was saved."
        )


async def _drop_rest(receive: Receive, allowance: int) -> None:
    """Read and drop up to `allowance` bytes of a refused body.

    A client that asked for "Connection: close", as urllib does, is closed on as soon as it is
    answered; if it is still sending its body, it gets a reset instead of the 413 (CI saw this
    once in issue 13's test). Reading the rest first lets it read the answer. The allowance
    bounds the work, and the request timeout the time.
    """
    more = True
    while more and allowance > 0:
        message = await receive()
        allowance -= len(message.get("body", b""))
        more = message.get("more_body", False)


def _size(count: int) -> str:
    """A byte count as people read it: 1 MiB, 64 KiB, 1000 bytes."""
    for unit, scale in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if count >= scale:
            return f"{count / scale:g} {unit}"
    return f"{count} bytes"


class _Config(uvicorn.Config):
    """The settings of uvicorn with the limits applied, for `_TimedProtocol` to read."""

    def __init__(self, app: ASGIApp, limits: Limits) -> None:
        super().__init__(
            app,
            http=_TimedProtocol,
            ws="none",
            lifespan="off",
            log_level="warning",
            access_log=False,
            timeout_keep_alive=limits.timeout,
        )
        self.limits = limits


def server_config(app: ASGIApp, limits: Limits) -> uvicorn.Config:
    """The settings of uvicorn for the app, with every limit in place."""
    return _Config(app, limits)


class _TimedProtocol(H11Protocol):
    """The HTTP/1.1 of uvicorn, closing a connection whose request does not arrive in time.

    The clock starts when the connection opens, or when the first byte of a later request
    arrives, and stops once the whole request is in: sending a byte now and then does not
    reset it, so a slow client cannot hold a connection open (slowloris).
    """

    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the clock: a connection must send its request within the timeout."""
        super().connection_made(transport)
        self._start_clock()

    def data_received(self, data: bytes) -> None:
        """Stop the clock once the request is whole; start it when a new one begins."""
        super().data_received(data)
        if self.conn.their_state in _SENDING:
            self._start_clock()
        else:
            self._stop_clock()

    def connection_lost(self, exc: Exception | None) -> None:
        """Forget the clock of a closed connection."""
        self._stop_clock()
        super().connection_lost(exc)

    def _start_clock(self) -> None:
        if self._deadline is None:
            assert isinstance(self.config, _Config)  # noqa: S101 (only _Config uses this class)
            self._deadline = self.loop.call_later(self.config.limits.timeout, self._too_slow)

    def _stop_clock(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()
