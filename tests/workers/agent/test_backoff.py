"""Backoff grows, caps and jitters; the retry loop retries only what is worth retrying, says
so while the API is away, and lets go when the worker is asked to stop."""

from __future__ import annotations

import logging
import random
import threading
from itertools import islice
from typing import Any

import pytest

from workers.agent.backoff import Backoff, Retrier
from workers.agent.errors import GaveUpError, ServiceRejectedError, ServiceUnavailableError


def test_delays_double_up_to_the_cap() -> None:
    backoff = Backoff(initial=1.0, factor=2.0, maximum=5.0, jitter=0.0)
    assert list(islice(backoff.delays(), 6)) == [1.0, 2.0, 4.0, 5.0, 5.0, 5.0]


def test_jitter_only_ever_shortens_a_delay_and_spreads_workers_apart() -> None:
    backoff = Backoff(initial=2.0, factor=1.0, maximum=2.0, jitter=0.5, rng=random.Random(1))
    delays = list(islice(backoff.delays(), 50))
    assert all(1.0 <= d <= 2.0 for d in delays)
    assert len({round(d, 6) for d in delays}) > 40


@pytest.mark.parametrize(
    "kwargs", [{"initial": 0.0}, {"initial": 2.0, "maximum": 1.0}, {"factor": 0.5}, {"jitter": 1.0}]
)
def test_a_backoff_that_would_spin_or_shrink_is_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="backoff needs"):
        Backoff(**kwargs)


def fast_retrier(stop: threading.Event | None = None) -> Retrier:
    backoff = Backoff(initial=0.001, maximum=0.004, jitter=0.0)
    return Retrier(backoff, stop or threading.Event(), logging.getLogger("test.retrier"))


class FlakyCall:
    """Unavailable ``failures`` times, then answers."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.calls <= self.failures:
            raise ServiceUnavailableError("connection refused")
        return "answer"


def test_retries_until_the_service_answers_and_logs_the_outage_and_its_end(
    caplog: pytest.LogCaptureFixture,
) -> None:
    call = FlakyCall(failures=6)
    with caplog.at_level(logging.WARNING, logger="test.retrier"):
        assert fast_retrier().call("lease a trial", call) == "answer"
    assert call.calls == 7
    messages = [r.getMessage() for r in caplog.records]
    assert "connection refused" in messages[0] and "lease a trial" in messages[0]
    # Not one line per attempt: the first, every fifth, and the recovery.
    assert len(messages) == 3
    assert messages[-1] == "API reachable again after 6 failed attempts"


def test_a_refusal_is_not_retried() -> None:
    calls = 0

    def refused() -> None:
        nonlocal calls
        calls += 1
        raise ServiceRejectedError(422, "invalid_input", "step must be >= 0")

    with pytest.raises(ServiceRejectedError):
        fast_retrier().call("report", refused)
    assert calls == 1


def test_stopping_ends_the_wait_between_attempts() -> None:
    stop = threading.Event()
    backoff = Backoff(initial=60.0, maximum=60.0, jitter=0.0)
    retrier = Retrier(backoff, stop, logging.getLogger("test.retrier"))
    threading.Timer(0.05, stop.set).start()
    with pytest.raises(GaveUpError, match="stopped while waiting to lease"):
        retrier.call("lease", FlakyCall(failures=10**6))


def test_a_deadline_bounds_the_retrying() -> None:
    now = [0.0]
    backoff = Backoff(initial=0.001, maximum=0.001, jitter=0.0)
    retrier = Retrier(backoff, threading.Event(), logging.getLogger("t"), clock=lambda: now[0])

    def unavailable_while_time_passes() -> None:
        now[0] += 1.0
        raise ServiceUnavailableError("down")

    with pytest.raises(GaveUpError, match="gave up on deliver after 3 s"):
        retrier.call("deliver", unavailable_while_time_passes, deadline_s=3.0)
