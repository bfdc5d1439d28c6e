"""The worker's outbox: threads that send reports and results to the service in the order
they were posted, retrying each with backoff while the API is away, so training never waits
for a round-trip.

Order matters within a trial: its reports reach the service before its result (a result first
would end the trial, and the late reports would be refused). Each trial's parcels go through
one lane (a thread and its queue), chosen by the trial; two lanes let one trial's result go
out while the next one's first report does, so short trials do not wait on a single line.

On stop the outbox gets a grace period to empty itself (a finished result is worth more than
a prompt exit); what is still unsent when it runs out is dropped, and said so.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from workers.agent.backoff import Backoff, Retrier
from workers.agent.errors import (
    GaveUpError,
    ServiceRejectedError,
    TrialGoneError,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Parcel(Generic[T]):
    """One call to make: ``send`` until the service answers, then ``on_sent`` with its answer,
    or ``on_lost`` with why it never will be (the trial is gone, a refusal, or given up)."""

    #: For logs: "deliver the result of trial 7".
    what: str
    send: Callable[[], T]
    on_sent: Callable[[T], None]
    on_lost: Callable[[str, Exception], None]


#: Threads sending at once: enough that a short trial's calls keep up with its training.
LANES = 2


class Outbox:
    """Sends parcels on threads of its own, in order within a lane; :meth:`close` waits for
    them to empty."""

    def __init__(
        self,
        backoff: Backoff,
        log: logging.Logger,
        clock: Callable[[], float] = time.monotonic,
        lanes: int = LANES,
    ) -> None:
        self._log = log
        self._clock = clock
        #: Set when the grace period after a stop runs out: pending retries end at once.
        self._abandon = threading.Event()
        self._retrier = Retrier(backoff, self._abandon, log, clock)
        self._lanes: list[queue.Queue[Parcel[Any] | None]] = [queue.Queue() for _ in range(lanes)]
        self._threads = [
            threading.Thread(target=self._run, args=(lane,), name="tunewise-outbox", daemon=True)
            for lane in self._lanes
        ]
        for thread in self._threads:
            thread.start()

    def post(self, parcel: Parcel[Any], lane: int = 0) -> None:
        """Parcels posted with the same ``lane`` (a trial id) go out in the order posted."""
        self._lanes[lane % len(self._lanes)].put(parcel)

    def close(self, grace_s: float) -> None:
        """Lets the parcels already posted go out for up to ``grace_s`` seconds, then drops
        whatever is left."""
        for lane in self._lanes:
            lane.put(None)
        deadline = self._clock() + grace_s
        for thread in self._threads:
            thread.join(timeout=max(deadline - self._clock(), 0.0))
        if any(thread.is_alive() for thread in self._threads):
            self._abandon.set()
            for thread in self._threads:
                thread.join()

    def _run(self, lane: queue.Queue[Parcel[Any] | None]) -> None:
        while (parcel := lane.get()) is not None:
            self._deliver(parcel)

    def _deliver(self, parcel: Parcel[Any]) -> None:
        if self._abandon.is_set():
            parcel.on_lost("stopped before it could be sent", GaveUpError(parcel.what))
            return
        try:
            answer = self._retrier.call(parcel.what, parcel.send)
        except GaveUpError as exc:
            parcel.on_lost(str(exc), exc)
        except TrialGoneError as exc:
            parcel.on_lost(exc.message, exc)
        except ServiceRejectedError as exc:
            parcel.on_lost(f"the API refused it: {exc}", exc)
        except Exception as exc:  # one bad parcel must never stop the ones behind it
            self._log.exception("could not %s", parcel.what)
            parcel.on_lost(f"{type(exc).__name__}: {exc}", exc)
        else:
            parcel.on_sent(answer)
