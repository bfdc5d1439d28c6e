"""A clock a test moves forward instead of sleeping until a lease or a deadline runs out."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


class SteppedClock:
    """Real time plus whatever :meth:`advance` added: handed to ``ServiceContext.open``, it
    lets a test jump past a lease's expiry or a job's deadline at once, while everything else
    (the order of leases, the sweeper's passes) sees time go on as usual."""

    def __init__(self) -> None:
        self._ahead = timedelta()
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return datetime.now(UTC) + self._ahead

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._ahead += timedelta(seconds=seconds)
