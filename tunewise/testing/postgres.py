"""A throwaway PostgreSQL server for tests: initdb into a temporary folder, a free loopback
port, its unix socket in that folder too; stopped and removed afterwards.

PostgreSQL refuses to run as root, so as root the server runs as an unprivileged user: the
``postgres`` user Debian's package creates, else a system user made for the purpose.
"""

from __future__ import annotations

import getpass
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

SYSTEM_DEPS_HINT = "run `make system-deps` (it installs postgresql with apt-get)"
FALLBACK_USER = "tunewise-pg"


class PostgresUnavailableError(RuntimeError):
    pass


def find_bin_dir() -> Path:
    """Where initdb, pg_ctl and postgres are: on PATH, else Debian's versioned folder."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).resolve().parent
    debian = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: _version_key(p.parent.name)
    )
    for candidate in reversed(debian):
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    raise PostgresUnavailableError(
        f"PostgreSQL's initdb and pg_ctl were not found; {SYSTEM_DEPS_HINT}"
    )


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(p) for p in name.split(".") if p.isdigit())


def _server_user() -> str | None:
    """The user to run the server as, or None to run as ourselves (not root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", FALLBACK_USER):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", FALLBACK_USER],
        check=True,
        capture_output=True,
    )
    return FALLBACK_USER


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PostgresServer:
    """A running cluster; ``database()`` hands out fresh, empty databases."""

    host: str
    port: int
    superuser: str

    def url(self, database: str, driver: str = "postgresql+psycopg") -> str:
        return f"{driver}://{self.superuser}@{self.host}:{self.port}/{database}"

    def _admin(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(
            host=self.host, port=self.port, user=self.superuser, dbname="postgres", autocommit=True
        )

    def create_database(self) -> str:
        name = f"t_{secrets.token_hex(6)}"
        with self._admin() as connection:
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return name

    def drop_database(self, name: str) -> None:
        with self._admin() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    @contextmanager
    def database(self) -> Iterator[str]:
        """A fresh database's SQLAlchemy URL, dropped afterwards."""
        name = self.create_database()
        try:
            yield self.url(name)
        finally:
            self.drop_database(name)


@contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    bin_dir = find_bin_dir()
    run_as = _server_user()
    root = Path(tempfile.mkdtemp(prefix="tunewise-pg-"))
    data, sockets = root / "data", root / "sockets"
    data.mkdir()
    sockets.mkdir()
    if run_as is not None:
        account = pwd.getpwnam(run_as)
        for path in (root, data, sockets):
            os.chown(path, account.pw_uid, account.pw_gid)
    superuser = "tunewise"
    port = _free_port()

    def run(*args: str) -> None:
        command = [str(bin_dir / args[0]), *args[1:]]
        if run_as is not None:
            command = [
                "setpriv",
                f"--reuid={run_as}",
                f"--regid={run_as}",
                "--init-groups",
                *command,
            ]
        result = subprocess.run(command, capture_output=True, text=True, cwd=root, check=False)
        if result.returncode != 0:
            raise PostgresUnavailableError(
                f"{args[0]} failed ({result.returncode}): {result.stderr.strip() or result.stdout}"
            )

    try:
        run(
            "initdb",
            "-D",
            str(data),
            "-U",
            superuser,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
            "--no-instructions",
        )
        options = (
            f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        run(
            "pg_ctl",
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(root / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        try:
            yield PostgresServer(host="127.0.0.1", port=port, superuser=superuser)
        finally:
            run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def whoami() -> str:
    return getpass.getuser()
