"""Everything one running app needs, built once from the settings and handed to the routes
through ``app.state`` (no module globals)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

import optuna

from service.auth import TokenVerifier
from service.db import Database, enable_wal, engine_options
from service.db.migrate import upgrade
from service.metrics import ServiceMetrics
from service.settings import ServiceSettings
from service.tuning.studies import StudyBook

_log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class ServiceContext:
    settings: ServiceSettings
    database: Database
    studies: StudyBook
    verifier: TokenVerifier
    metrics: ServiceMetrics
    #: What every lease, expiry, deadline and session decision takes for now; tests hand in a
    #: clock they advance instead of sleeping until a lease runs out.
    clock: Callable[[], datetime] = utc_now
    #: Work done off the request path (asking trials ahead), one job at a time.
    background: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="tunewise-ahead")
    )
    #: Jobs with a refill of their trials asked ahead already queued (service.asking).
    ahead_pending: set[str] = field(default_factory=set)
    ahead_lock: threading.Lock = field(default_factory=threading.Lock)
    #: Per job, how many trials its last lease call asked for: trials are kept asked ahead
    #: for a whole batch (service.asking). A hint only: a replica without it keeps fewer.
    ahead_batch: dict[str, int] = field(default_factory=dict)

    @classmethod
    def open(
        cls, settings: ServiceSettings, clock: Callable[[], datetime] = utc_now
    ) -> ServiceContext:
        """Migrate the database to head, then open our engine and Optuna's storage on it."""
        url = settings.resolved_database_url()
        database = Database(url, busy_timeout_s=settings.sqlite_busy_timeout_s)
        if database.is_sqlite:
            enable_wal(database.engine)
        upgrade(url)
        # Optuna narrates every trial at INFO; the service reports trials through its own API.
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        studies = StudyBook(url, engine_options(url, settings.sqlite_busy_timeout_s))
        _log.info("database ready (%s)", database.engine.url.render_as_string(hide_password=True))
        return cls(
            settings=settings,
            database=database,
            studies=studies,
            verifier=TokenVerifier(database, settings.api_token),
            metrics=ServiceMetrics(database),
            clock=clock,
        )

    def close(self) -> None:
        self.background.shutdown(wait=True, cancel_futures=True)
        self.studies.dispose()
        self.database.dispose()
