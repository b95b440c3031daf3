"""The pages over a store of 10,000 postings, warm, for one client and for four at once (issue 18).

    .venv/bin/python benchmarks/web_load.py [--db FILE] [--requests 40]

Without `--db`, a throwaway store gets the template curriculum and ../shared/corpus/jobs
(a minute or two). Then `diymasters serve` runs in a process of its own, and for each of
`/`, `/postings` and `/gaps`: one warm-up request, then `--requests` requests from one
client, then as many from each of four clients at once. It prints the median and p95 of
each, and the four clients' p95 against one client's, measured in the same run. Goals: warm
pages within 100 ms; four clients' p95 within 2x one client's.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JOBS = ROOT.parent / "shared" / "corpus" / "jobs"
PAGES = ("/", "/postings", "/gaps")
CLIENTS = 4
HTTP_OK = 200


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        if args.db is None and not JOBS.is_dir():
            sys.exit(f"{JOBS} is absent (../shared is not beside the project); give --db")
        db = args.db or prepared_store(home)
        port = free_port()
        command = [sys.executable, "-m", "diymasters", "--db", str(db), "serve"]
        env = {**os.environ, "NO_COLOR": "1"}
        server = subprocess.Popen(  # noqa: S603
            [*command, "--port", str(port)], env=env, stdout=subprocess.DEVNULL
        )
        try:
            wait_until_up(port, server)
            for path in PAGES:
                timed_gets(port, path, 1)  # warm: the first visit computes and keeps
                one = timed_gets(port, path, args.requests)
                with ThreadPoolExecutor(CLIENTS) as pool:
                    runs = pool.map(
                        timed_gets, [port] * CLIENTS, [path] * CLIENTS, [args.requests] * CLIENTS
                    )
                    many = [t for run in runs for t in run]
                print(
                    f"GET {path:<10} one client: median {statistics.median(one) * 1000:6.1f} ms, "
                    f"p95 {p95(one) * 1000:6.1f} ms;  {CLIENTS} clients: median "
                    f"{statistics.median(many) * 1000:6.1f} ms, p95 {p95(many) * 1000:6.1f} ms "
                    f"({p95(many) / p95(one):.2f}x one client's p95)"
                )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
