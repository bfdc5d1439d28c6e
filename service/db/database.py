"""Engines and units of work for our tables.

Concurrency, one rule per database:

- SQLite: one lock held across every process that serves the file (service.db.locks)
  serialises every unit of work that writes. Reads run outside transactions (WAL lets them
  run beside a writer) and the driver opens ``BEGIN IMMEDIATE`` at the first write, so a unit
  of work never holds SQLite's write lock while Optuna's own connection writes trials.
- PostgreSQL: several replicas may share one server; a unit of work locks the rows it
  decides on (``SELECT … FOR UPDATE`` on the job row around Optuna's ask) and commits once.

Sessions never autoflush: our rows are written at commit, after Optuna's writes, so a failure
part-way leaves no half-written row of ours.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from service.db.locks import FileLock, write_lock


class Database:
    def __init__(self, url: str, *, busy_timeout_s: float = 30.0) -> None:
        self.url = url
        self.is_sqlite = make_url(url).get_backend_name() == "sqlite"
        self.engine: Engine = create_engine(url, **engine_options(url, busy_timeout_s))
        tune_sqlite(self.engine)
        self._sessions = sessionmaker(self.engine, autoflush=False, expire_on_commit=False)
        self._write_lock: AbstractContextManager[Any] = write_lock(url)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One request's changes to our tables, committed together or not at all."""
        with self._write_lock, self._sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._sessions() as session:
            try:
                yield session
            finally:
                session.rollback()

    def ping(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:  # any failure to reach the database means "not ready"
            return False
        return True

    def dispose(self) -> None:
        self.engine.dispose()
        if isinstance(self._write_lock, FileLock):
            self._write_lock.close()


def engine_options(url: str, busy_timeout_s: float) -> dict[str, Any]:
    """Engine keyword arguments shared by our engine and Optuna's RDBStorage."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        return {
            "connect_args": {
                "timeout": busy_timeout_s,
                # The driver opens this at the first write statement, not at the first read.
                "isolation_level": "IMMEDIATE",
                "check_same_thread": False,
            }
        }
    return {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 20}


def tune_sqlite(engine: Engine) -> None:
    """Every connection of a SQLite engine from now on: foreign keys on, and
    ``synchronous=NORMAL``, which in WAL mode syncs at checkpoints rather than at each commit
    (a crash of the process loses nothing; a power cut may lose the last commits, never the
    file). Optuna's engine gets it too: its commits are most of a trial's. Connections already
    open are closed so none is left without it. Other databases are left alone."""
    if engine.url.get_backend_name() != "sqlite":
        return
    event.listen(engine, "connect", _tune_sqlite_connection)
    engine.dispose()


def _tune_sqlite_connection(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def enable_wal(engine: Engine) -> None:
    """WAL is a property of the file: set once, it holds for every later connection."""
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA journal_mode=WAL")
