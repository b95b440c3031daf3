"""The pages over a store of 10,000 postings, warm, for one client and for four at once (issue 18).

    .venv/bin/python benchmarks/web_load.py [--db FILE] [--requests 40] [--workers N]

Without `--db`, a throwaway store gets the template curriculum and ../shared/corpus/jobs
(a minute or two). Then `diymasters serve` runs in a process of its own (with `--workers N`
when given, else its default: one a core, at most four), which draws these pages in every
worker before it says it is serving. For each of `/`, `/postings` and `/gaps`: one warm-up
request, then `--requests` requests from one client and as many from each of four clients
at once, in five alternating rounds, so that other work on the machine falls on both alike.
It prints the median and p95 of each, and the four clients' p95 against one client's,
measured in the same run, and how many cores the server and the clients kept busy meanwhile
(Linux). Goals: warm pages within 100 ms; four clients' p95 within 2x one client's. Each
client is a thread of this process, over a keep-alive connection of its own, so its work
shares the machine's cores with the server's: with B cores busy, four clients' requests
take about 4/B times one client's.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JOBS = ROOT.parent / "shared" / "corpus" / "jobs"
PAGES = ("/", "/postings", "/gaps")
CLIENTS = 4
#: One client's requests, then four clients', this many times over.
ROUNDS = 5
HTTP_OK = 200


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Timed:
    """Each GET's seconds for one client alone and for four at once, and the cores they kept busy.

    Busy cores are the server's and this client's CPU seconds over the wall-clock seconds of
    the four clients' rounds: four clients can take at most that many times one client's time
    each, whatever the server does, when every request is CPU work on this machine.
    """

    one: list[float] = field(default_factory=list)
    many: list[float] = field(default_factory=list)
    cpu: float = 0.0
    wall: float = 0.0

    @property
    def cores(self) -> float:
        """The cores the four clients' rounds kept busy, on average."""
        return self.cpu / self.wall if self.wall else 0.0


def one_and_many(port: int, path: str, requests: int, server: list[int]) -> Timed:
    """One client's GETs, then four clients' at once, in alternating rounds."""
    timed = Timed()
    for round_number in range(ROUNDS):
        count = requests // ROUNDS + (round_number < requests % ROUNDS)
        timed.one += timed_gets(port, path, count)
        with ThreadPoolExecutor(CLIENTS) as pool:
            cpu, wall = cpu_seconds(server), time.perf_counter()
            runs = pool.map(timed_gets, [port] * CLIENTS, [path] * CLIENTS, [count] * CLIENTS)
            timed.many += [t for run in runs for t in run]
            timed.cpu += cpu_between(cpu, cpu_seconds(server))
            timed.wall += time.perf_counter() - wall
    return timed


def cpu_seconds(server: list[int]) -> dict[str, float]:
    """CPU seconds so far of this process, and of each of the server's threads (Linux's /proc).

    Each thread's nanoseconds on a CPU, since clock ticks are too coarse for these rounds; by
    thread, so that one ending meanwhile (an idle worker thread) takes back nothing.
    """
    used = {"client": time.process_time()}
    for pid in server:
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(FileNotFoundError):
                used[task.name] = int((task / "schedstat").read_text().split()[0]) / 1e9
    return used


def cpu_between(before: dict[str, float], after: dict[str, float]) -> float:
    """CPU seconds used between two readings, by the threads alive at the second."""
    return sum(seconds - before.get(thread, 0.0) for thread, seconds in after.items())


def timed_gets(port: int, path: str, count: int) -> list[float]:
    """Seconds for each of `count` GETs of `path` over one keep-alive connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    times = []
    for _ in range(count):
        started = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        times.append(time.perf_counter() - started)
        if response.status != HTTP_OK:
            sys.exit(f"GET {path} answered {response.status}")
    connection.close()
    return times


def p95(times: list[float]) -> float:
    """The 95th percentile."""
    return statistics.quantiles(times, n=20)[-1]


def wait_until_up(port: int, server: subprocess.Popen[bytes]) -> None:
    """Return once the server answers; stop if it died."""
    for _ in range(600):
        if server.poll() is not None:
            sys.exit("diymasters serve stopped before it answered")
        try:
            timed_gets(port, "/", 1)
        except OSError:
            time.sleep(0.1)
        else:
            return
    sys.exit("diymasters serve did not answer within a minute")


def processes_of(pid: int) -> list[int]:
    """The server and the workers it forked (none when it answers itself)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [pid, *(int(child) for child in children.read_text().split())]


def prepared_store(home: str) -> Path:
    """A store with the template curriculum and the shared postings in it."""
    db = Path(home) / "masters.db"
    cli = [sys.executable, "-m", "diymasters", "--db", str(db)]
    subprocess.run([*cli, "init"], check=True, capture_output=True)  # noqa: S603
    subprocess.run([*cli, "skills", "corpus", str(JOBS), "--json"], check=True, capture_output=True)  # noqa: S603
    return db


def main() -> None:
    """Prepare or take a store, serve it, and time the pages."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--workers", type=int, help="serve's --workers (default: its own)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        if args.db is None and not JOBS.is_dir():
            sys.exit(f"{JOBS} is absent (../shared is not beside the project); give --db")
        db = args.db or prepared_store(home)
        port = free_port()
        command = [sys.executable, "-m", "diymasters", "--db", str(db), "serve"]
        if args.workers is not None:
            command += ["--workers", str(args.workers)]
        env = {**os.environ, "NO_COLOR": "1"}
        server = subprocess.Popen(  # noqa: S603
            [*command, "--port", str(port)], env=env, stdout=subprocess.DEVNULL
        )
        try:
            wait_until_up(port, server)
            processes = processes_of(server.pid)
            print(f"{max(1, len(processes) - 1)} worker(s) on {os.cpu_count()} cores")
            for path in PAGES:
                timed_gets(port, path, 1)  # warm, should a page not be yet
                timed = one_and_many(port, path, args.requests, processes)
                one, many = timed.one, timed.many
                print(
                    f"GET {path:<10} one client: median {statistics.median(one) * 1000:6.1f} ms, "
                    f"p95 {p95(one) * 1000:6.1f} ms;  {CLIENTS} clients: median "
                    f"{statistics.median(many) * 1000:6.1f} ms, p95 {p95(many) * 1000:6.1f} ms "
                    f"({p95(many) / p95(one):.2f}x one client's p95; {timed.cores:.1f} cores busy)"
                )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
