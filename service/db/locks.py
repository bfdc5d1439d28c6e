"""Locks that hold across every process serving one SQLite file.

SQLite locks the whole file, but only from a transaction's first write: a unit of work reads
the job and the trials it decides on before that, so two processes could both decide on the
same trial asked ahead. PostgreSQL's ``SELECT … FOR UPDATE`` closes that gap between
replicas; on SQLite the unit of work itself is serialised, within a process by a thread lock
and across the processes of ``tunewise serve --api-processes N`` (or several ``serve`` on one
data dir) by ``flock`` on a file beside the database, which the kernel releases when a
process dies, so a killed process never leaves it held.
"""

from __future__ import annotations

import fcntl
import os
import threading
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import make_url


class FileLock:
    """A re-entrant lock shared by the threads of this process (a thread lock) and by the
    processes that open the same ``path`` (an exclusive ``flock``, taken by the outermost
    holder of this process only)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        self._threads = threading.RLock()
        self._depth = 0

    def __enter__(self) -> FileLock:
        self._threads.acquire()
        try:
            if self._depth == 0:
                fcntl.flock(self._descriptor, fcntl.LOCK_EX)
            self._depth += 1
        except BaseException:
            self._threads.release()
            raise
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self._depth -= 1
        try:
            if self._depth == 0:
                fcntl.flock(self._descriptor, fcntl.LOCK_UN)
        finally:
            self._threads.release()

    def close(self) -> None:
        os.close(self._descriptor)


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL; None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def write_lock(url: str) -> AbstractContextManager[Any]:
    """Held by every unit of work that writes our tables (service.db.database): on a SQLite
    file across processes, in-memory SQLite within this one, nothing on PostgreSQL (row locks
    do it there)."""
    file = sqlite_file(url)
    if file is not None:
        return FileLock(file.with_name(file.name + "-write.lock"))
    if make_url(url).get_backend_name() == "sqlite":
        return threading.RLock()
    return nullcontext()


def ask_lock(url: str) -> AbstractContextManager[Any]:
    """Held by every ask until its trial is recorded (service.tuning.studies): across the
    processes on a SQLite file, within this process otherwise (on PostgreSQL the replicas
    check the budget again under the job's row lock)."""
    file = sqlite_file(url)
    if file is not None:
        return FileLock(file.with_name(file.name + "-ask.lock"))
    return threading.RLock()
