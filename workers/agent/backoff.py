"""A retry loop that says what it is waiting for, on the wire's exponential backoff.

The clock and the wait are injected so the policy can be checked without sleeping, and so the
wait ends as soon as the worker is asked to stop.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from tunewise.wire.backoff import Backoff
from workers.agent.errors import GaveUpError, ServiceUnavailableError

__all__ = ["Backoff", "Retrier", "WarningLog"]

T = TypeVar("T")


class WarningLog(Protocol):
    """Where the retry loop says what it waits for: a ``logging.Logger``, or a console."""

    def warning(self, msg: str, *args: object) -> None: ...


@dataclass(frozen=True)
class Retrier:
    """Runs a call until it stops raising :class:`ServiceUnavailableError`.

    ``stop`` ends the waiting early (SIGTERM); ``deadline_s`` bounds how long one call may be
    retried (None: as long as it takes). Outages are logged when they start, every few
    attempts while they last, and when they end, so a person watching knows why nothing moves.
    """

    backoff: Backoff
    stop: threading.Event
    log: WarningLog
    clock: Callable[[], float] = time.monotonic

    def call(self, what: str, fn: Callable[[], T], *, deadline_s: float | None = None) -> T:
        started = self.clock()
        delays = self.backoff.delays()
        attempt = 0
        while True:
            try:
                result = fn()
            except ServiceUnavailableError as exc:
                attempt += 1
                delay = next(delays)
                elapsed = self.clock() - started
                if deadline_s is not None and elapsed + delay > deadline_s:
                    raise GaveUpError(f"gave up on {what} after {elapsed:.0f} s: {exc}") from exc
                if attempt == 1 or attempt % 5 == 0:
                    self.log.warning(
                        "API unavailable (%s) while trying to %s; retrying in %.1f s",
                        exc,
                        what,
                        delay,
                    )
                if self.stop.wait(delay):
                    raise GaveUpError(f"stopped while waiting to {what}") from exc
                continue
            if attempt:
                self.log.warning("API reachable again after %d failed attempts", attempt)
            return result
