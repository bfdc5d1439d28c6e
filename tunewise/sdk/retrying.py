"""When the SDK sends a call again.

A call that changes nothing twice (a read, advice, a report of the same step, a heartbeat, a
cancel) is sent again after any outage. A call that must happen at most once (creating a job,
leasing) is sent again only when the API certainly did nothing with it: the connection was
never made, or the answer was 429 or 503. ``complete`` is exactly once, and the client makes
retrying it safe by recognising its own earlier delivery (see ``Client.complete``).
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from tunewise.wire.backoff import Backoff
from tunewise.wire.errors import ServiceUnavailableError

T = TypeVar("T")

_log = logging.getLogger("tunewise.sdk")

#: The longest a ``Retry-After`` is obeyed for; a longer one is an outage to report, not wait.
MAX_RETRY_AFTER_S = 60.0


@dataclass(frozen=True)
class Retrying:
    """Up to ``retries`` more attempts after the first, ``backoff`` apart (or as long as the
    answer's ``Retry-After`` asks, up to a minute)."""

    retries: int = 3
    backoff: Backoff = field(default_factory=lambda: Backoff(initial=0.5, maximum=8.0))
    sleep: Callable[[float], None] = time.sleep

    def __post_init__(self) -> None:
        if self.retries < 0:
            raise ValueError(f"retries must be 0 or more, not {self.retries}")

    def call(self, what: str, attempt: Callable[[], T], *, idempotent: bool) -> T:
        """``attempt()`` until it stops raising :class:`ServiceUnavailableError`, for as many
        retries as allowed; a non-idempotent call is sent again only when the error says the
        API did nothing with it."""
        delays = self.backoff.delays()
        for number in itertools.count(1):
            try:
                return attempt()
            except ServiceUnavailableError as exc:
                if number > self.retries or not (idempotent or exc.not_processed):
                    raise
                delay = next(delays)
                if exc.retry_after_s is not None:
                    delay = max(delay, min(exc.retry_after_s, MAX_RETRY_AFTER_S))
                _log.warning(
                    "API unavailable while trying to %s (%s); attempt %d of %d in %.1f s",
                    what,
                    exc,
                    number + 1,
                    self.retries + 1,
                    delay,
                )
                self.sleep(delay)
        raise AssertionError("unreachable: itertools.count never ends")
