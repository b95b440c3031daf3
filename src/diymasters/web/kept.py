"""Pages drawn once for each state of the store, then answered from the bytes kept.

Warm, the overview, demand and gaps pages over 10,000 postings took 1.5 to 3 ms of the
server each, most of it the templates drawing the same report again; four clients at once
queued behind one another for it (issue 18). A page here is a function of the store, the
day, the configuration, the curriculum worked on and the address asked for, so it is kept
by those, and drawn again once the store has changed (by this process or another: the CLI,
or another worker of the same server).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.responses import Response

from diymasters.config import config_path, load_config
from diymasters.errors import DiyMastersError

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Hashable

    from starlette.requests import Request

    from diymasters.masters import Masters

#: Pages kept for one state of the store: each address and its query, with its JSON twin.
MOST_KEPT = 64


@dataclass(frozen=True)
class _Kept:
    """A response as sent: its status, headers and body."""

    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes

    def response(self) -> Response:
        response = Response(self.body, status_code=self.status)
        response.raw_headers = list(self.headers)
        return response


class PageCache:
    """The pages drawn for the store's current state, by address, day and curriculum.

    Only used on the event loop, so it needs no lock. A page that shows the time (a study
    session's minutes) is marked live by the view and never kept.
    """

    def __init__(self, masters: Masters) -> None:
        """Keep pages over these masters."""
        self.masters = masters
        #: Where the configuration is, found once: the environment that names it is the
        #: process's, and finding it costs more than answering a kept page.
        self._config = config_path()
        self._version: int | None = None
        self._pages: dict[Hashable, _Kept] = {}

    async def answer(
        self, request: Request, draw: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        """The kept page for this request, else `draw`'s, kept when it may be."""
        version = self.masters.data_version()
        if version is None or request.method != "GET":
            return await draw(request)
        if version != self._version:
            self._version, self._pages = version, {}
        try:
            key = self._key(request)
        except DiyMastersError:  # a broken configuration: the page says so, every time
            return await draw(request)
        kept = self._pages.get(key)
        if kept is not None:
            return kept.response()
        response = await draw(request)
        # Not when a request meanwhile found the store changed: the pages kept are of later.
        if self._keeps(response, request, version):
            if len(self._pages) >= MOST_KEPT:
                del self._pages[next(iter(self._pages))]
            self._pages[key] = _Kept(
                response.status_code, tuple(response.raw_headers), bytes(response.body)
            )
        return response

    def _keeps(self, response: Response, request: Request, version: int) -> bool:
        ok = response.status_code == 200  # noqa: PLR2004 (HTTP OK)
        return ok and version == self._version and not live(request)

    def _key(self, request: Request) -> Hashable:
        accept = request.headers.get("accept", "").startswith("application/json")
        return (
            request.url.path,
            request.url.query,
            accept,
            self.masters.curriculum_name,
            self.masters.today(),
            load_config(self._config),
        )


def mark_live(request: Request) -> None:
    """Say that this page shows the time, so that it is drawn afresh for every request."""
    request.state.live = True


def live(request: Request) -> bool:
    """Whether the page drawn for this request shows the time."""
    return bool(getattr(request.state, "live", False))
