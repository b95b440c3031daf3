"""A throwaway PostgreSQL server for the tests: Debian's binaries, a cluster in a temporary folder.

`make test` installs Debian's `postgresql` when it is missing and it can. The cluster runs on
a free port of 127.0.0.1 with trust authentication for one user, as an unprivileged user
(PostgreSQL refuses to run as root: a root test run starts it as `postgres`), and is stopped
when the test session ends. Where no server can be had, `Server.start` says why, and the
tests that need one skip with that reason.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

#: The one user of the test cluster, allowed in without a password.
USER = "diymasters"
#: The database the schema is migrated into once per server.
_TEMPLATE = "migrated_template"
#: Where Debian puts each major version's server binaries.
_DEBIAN = Path("/usr/lib/postgresql")


class Unavailable(Exception):  # noqa: N818 (a reason to skip, not an error)
    """No PostgreSQL server can be started here, and why."""


def _binaries() -> Path:
    """The folder of the newest installed server's `initdb` and `pg_ctl`."""
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent
    versions = sorted(_DEBIAN.glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if not versions:
        msg = "no PostgreSQL server binaries (Debian's postgresql package) are installed"
        raise Unavailable(msg)
    return versions[-1].parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """A running cluster: its folder, port and the account it runs as."""

    folder: Path
    port: int
    runner: list[str]
    bin: Path
    #: The database migrated once, that migrated databases are copied from.
    template: str = ""

    @classmethod
    @contextlib.contextmanager
    def started(cls) -> Iterator[Server]:
        """Start a cluster, yield it, and stop it (and remove its folder) at the end."""
        folder = Path(tempfile.mkdtemp(prefix="diymasters-pg-"))
        server = cls(folder, _free_port(), _runner(folder), _binaries())
        try:
            server._init_and_start()
            yield server
        finally:
            server._stop()
            shutil.rmtree(folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of a database on this server."""
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{database}"

    @contextlib.contextmanager
    def database(self, *, migrated: bool = True) -> Iterator[str]:
        """A new database for one test, dropped afterwards.

        A migrated one is copied from a template migrated once per server: running the
        migrations for every test would cost seconds each.
        """
        name = f"test_{uuid.uuid4().hex[:12]}"
        template = f' TEMPLATE "{self._migrated_template()}"' if migrated else ""
        self._admin(f'CREATE DATABASE "{name}"{template}')
        try:
            yield self.url(name)
        finally:
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _migrated_template(self) -> str:
        if not self.template:
            from diymasters.store import Store  # noqa: PLC0415 (the package under test)

            self._admin(f'CREATE DATABASE "{_TEMPLATE}"')
            Store.open(self.url(_TEMPLATE)).close()
            self.template = _TEMPLATE
        return self.template

    def _admin(self, statement: str) -> None:
        import psycopg  # noqa: PLC0415 (only where a server runs)

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=USER, dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(statement.encode())

    def _run(self, *command: str) -> None:
        done = subprocess.run(
            [*self.runner, *command], capture_output=True, text=True, check=False, timeout=120
        )
        if done.returncode != 0:
            last = (done.stderr or done.stdout).strip().splitlines()[-1:]
            raise Unavailable(f"{Path(command[0]).name} failed: {' '.join(last)}")

    def _init_and_start(self) -> None:
        data = self.folder / "data"
        self._run(
            str(self.bin / "initdb"), "-D", str(data), "-U", USER, "--auth=trust",
            "--encoding=UTF8", "--no-sync",
        )  # fmt: skip
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off "
            "-c full_page_writes=off -c synchronous_commit=off"
        )
        log = str(self.folder / "server.log")
        pg_ctl = str(self.bin / "pg_ctl")
        self._run(pg_ctl, "-D", str(data), "-o", options, "-l", log, "-w", "start")

    def _stop(self) -> None:
        data = self.folder / "data"
        if (data / "postmaster.pid").exists():
            with contextlib.suppress(Unavailable, subprocess.TimeoutExpired):
                self._run(str(self.bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")


def _runner(folder: Path) -> list[str]:
    """How to run the server's commands: as ourselves, or as `postgres` when we are root."""
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    try:
        import pwd  # noqa: PLC0415 (POSIX only, and only when root)

        account = pwd.getpwnam("postgres")
    except KeyError:
        msg = "running as root, and there is no unprivileged 'postgres' user to run the server"
        raise Unavailable(msg) from None
    if runuser is None:
        msg = "running as root, and there is no runuser to start the server as 'postgres'"
        raise Unavailable(msg)
    os.chown(folder, account.pw_uid, account.pw_gid)
    return [runuser, "-u", "postgres", "--"]
