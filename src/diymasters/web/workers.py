"""Worker processes answering on one listening socket, started and stopped together.

One process drew every page in turn, so four clients at once waited for one another (issue
18); a worker a core answers them side by side. The parent forks the workers once it holds
no connection to the store (a forked SQLite connection must not be used), waits until each
has started, and stops them all on Ctrl-C or SIGTERM. A worker whose parent is gone (killed
outright) stops by itself, so none is left serving.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import select
import signal
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Protocol

import uvicorn

from diymasters.errors import DiyMastersError

if TYPE_CHECKING:
    import socket
    from collections.abc import Callable
    from contextlib import AbstractContextManager
    from multiprocessing.process import BaseProcess

#: Workers by default: one a core, at most this many; one person's tabs need no more.
MOST_WORKERS = 4
#: Seconds between looks at the workers, and at a signal to stop them.
_POLL = 0.2


def can_fork() -> bool:
    """Whether this system can fork the workers (Windows cannot)."""
    return "fork" in multiprocessing.get_all_start_methods()


def default_workers() -> int:
    """One worker a core, at most `MOST_WORKERS`; one where processes cannot be forked."""
    if not can_fork():
        return 1
    return max(1, min(os.cpu_count() or 1, MOST_WORKERS))


def shared_lock() -> AbstractContextManager[object]:
    """A lock that processes forked after it is made take in turns (with their threads)."""
    return multiprocessing.get_context("fork").Lock()


def shared_flag() -> Flag:
    """A flag that processes forked after it is made all see set."""
    return multiprocessing.get_context("fork").Event()


class Flag(Protocol):
    """A flag that is set once: `threading.Event`, or a shared one."""

    def set(self) -> None:
        """Raise it."""

    def is_set(self) -> bool:
        """Whether it was raised."""


class WorkerStoppedError(DiyMastersError):
    """A worker ended while the server was serving: the server stops, not half of it."""

    def __init__(self, code: int | None) -> None:
        """Say how the worker ended."""
        if code is None:
            how = "unexpectedly"
        elif code < 0:
            how = f"on signal {-code}"
        else:
            how = f"with status {code}"
        super().__init__(f"a server worker ended {how}; the server has stopped")


@dataclass
class Link:
    """A worker's side of its parent: say it has started, and hear when to stop."""

    ready: Connection
    stop: int
    parent: int

    def started(self) -> None:
        """Tell the parent this worker answers requests now."""
        self.ready.send(True)
        self.ready.close()

    def stopping(self) -> bool:
        """Whether the parent asked the workers to stop, or is gone."""
        readable, _, _ = select.select([self.stop], [], [], 0)
        return bool(readable) or os.getppid() != self.parent


class Server(uvicorn.Server):
    """uvicorn's server, saying when it has started and stopping when `stopping` says so.

    It starts once its signal handlers are in place, so a Ctrl-C right after the serving line
    is a graceful stop.
    """

    def __init__(
        self,
        config: uvicorn.Config,
        on_started: Callable[[], None],
        stopping: Callable[[], bool] = lambda: False,
    ) -> None:
        """Serve with `config`."""
        super().__init__(config)
        self.on_started = on_started
        self.stopping = stopping

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """Start, then say so."""
        await super().startup(sockets)
        if self.started:
            self.on_started()

    async def on_tick(self, counter: int) -> bool:
        """Stop when told, as on a signal."""
        if self.stopping():
            self.should_exit = True
        return await super().on_tick(counter)


class WorkerServer(Server):
    """A worker's server: tells its parent when it has started, stops when the parent says."""

    def __init__(self, config: uvicorn.Config, link: Link) -> None:
        """Serve with `config`, reporting to the parent over `link`."""
        super().__init__(config, link.started, link.stopping)

    def run(self, sockets: list[socket.socket] | None = None) -> None:
        """Serve until stopped; SIGTERM, which uvicorn raises again once stopped, is ignored."""
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        super().run(sockets)


@dataclass
class Workers:
    """Forked workers, each running `work` with its link to this process."""

    work: Callable[[Link], None]
    count: int
    #: The signal that stopped the workers, if one did.
    signalled: int | None = None
    _processes: list[BaseProcess] = field(default_factory=list)

    def run(self, ready: Callable[[], None]) -> None:
        """Start the workers, call `ready` once all have started, and return once all ended.

        Ctrl-C or SIGTERM stops them all; SIGTERM is then raised again here, as a server in
        one process ends on it. A worker that ends on its own stops the others too.
        """
        stop_read, stop_write = os.pipe()
        previous = {sig: signal.signal(sig, self._on_signal) for sig in _STOPPING}
        try:
            waiting = [self._start(stop_read, stop_write) for _ in range(self.count)]
            os.close(stop_read)
            failed = self._watch(waiting, ready)
        finally:
            self._stop(stop_write)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if failed is not None:
            raise WorkerStoppedError(failed)
        if self.signalled == signal.SIGTERM:
            signal.raise_signal(signal.SIGTERM)

    def _start(self, stop_read: int, stop_write: int) -> Connection:
        """Fork one worker; the end of the pipe it says it has started on."""
        receive, send = multiprocessing.Pipe(duplex=False)
        link = Link(send, stop_read, os.getpid())
        process = multiprocessing.get_context("fork").Process(
            target=self._worker, args=(link, stop_write), name="diymasters"
        )
        process.start()
        send.close()
        self._processes.append(process)
        return receive

    def _worker(self, link: Link, stop_write: int) -> None:
        """In the worker: Ctrl-C is the parent's to handle; SIGTERM ends it while it starts.

        Only the parent keeps the pipe's writing end, so that the pipe ends when it closes it
        or is gone.
        """
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.close(stop_write)
        self.work(link)

    def _watch(self, waiting: list[Connection], ready: Callable[[], None]) -> int | None:
        """Wait for the workers to start, then to end; a failed worker's exit status."""
        sentinels = {process.sentinel: process for process in self._processes}
        started = 0
        while self.signalled is None:
            for event in wait([*waiting, *sentinels], timeout=_POLL):
                if event in sentinels:
                    ended = sentinels[event]
                    ended.join()  # its pipe closes a moment before it can be waited for
                    # A terminal's Ctrl-C reaches the workers too, and one may end first.
                    return None if self.signalled is not None else ended.exitcode
                assert isinstance(event, Connection)  # noqa: S101 (the others are pipes)
                waiting.remove(event)
                try:
                    event.recv()
                except EOFError:  # it ended before it started: its sentinel says how
                    continue
                started += 1
                if started == self.count:
                    ready()
        return None

    def _on_signal(self, signum: int, _frame: object) -> None:
        self.signalled = signum

    def _stop(self, stop_write: int) -> None:
        """Ask every worker to stop (one still starting ends at once), and wait for them."""
        os.close(stop_write)
        for process in self._processes:
            if process.is_alive() and process.pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(process.pid, signal.SIGTERM)
        for process in self._processes:
            process.join()


_STOPPING = (signal.SIGINT, signal.SIGTERM)
