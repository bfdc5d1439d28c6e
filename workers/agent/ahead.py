"""Leasing ahead: while a trial trains, the next one is leased in the background, so that it
starts the moment the current one ends instead of after a round-trip to the service.

A reserved trial is one nobody else can run, and its lease runs out whether it trains or not;
so a worker reserves at most one, and only late: when the current trial is expected to end
within a few lease latencies (:class:`TrialPace`), and only when an epoch is short next to
the lease (the reserved trial's first epoch must still fit in what is left of its lease).
A reservation that waits too long anyway (the trial ran slower than expected) is released,
and so is one still held when the worker stops: completed as failed "interrupted", which the
service retries at once. It is never silently dropped.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from tunewise.wire.models import Lease
from workers.agent.errors import AgentError, ApiError
from workers.agent.reporter import seconds_until

#: Reserve only when an epoch takes at most this fraction of the lease: a reservation may be
#: held for up to :data:`HOLD_FRACTION` of its lease, and the trial's first epoch must fit in
#: the rest (a lease is renewed by reports, and there is none before the first epoch ends).
EPOCH_FRACTION = 1 / 4
#: Release a reservation not started within this fraction of its lease.
HOLD_FRACTION = 1 / 2
#: Reserve when the current trial should end within this many lease latencies...
LATENCY_MULTIPLE = 4.0
#: ...or this many seconds, whichever is more (a latency can jump under load).
MIN_AHEAD_S = 1.0


@dataclass
class TrialPace:
    """How far along the current trial is, and when it should end, judged by its latest epoch
    or, before its first one ends, by the last trial of the same workload. The latest epoch,
    not the mean: the first one also pays for building the model (and, in a fresh process,
    torch's one-time warm-up), which the epochs to come will not."""

    started: float
    #: Epochs the trial will run; None when neither the lease nor an earlier trial says.
    epochs: int | None
    #: Seconds per epoch of the last trial of this workload, if any.
    prior_epoch_s: float | None
    done: int = 0
    last_mark: float = field(init=False)
    _last_epoch_s: float | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.last_mark = self.started

    def epoch_ended(self, epoch: int, now: float) -> None:
        if epoch > self.done:
            self._last_epoch_s = (now - self.last_mark) / (epoch - self.done)
            self.done, self.last_mark = epoch, now

    def epoch_s(self) -> float | None:
        return self._last_epoch_s if self._last_epoch_s is not None else self.prior_epoch_s

    def remaining_s(self, now: float) -> float | None:
        """Seconds until the trial should end; None when there is no telling."""
        epoch_s = self.epoch_s()
        if epoch_s is None or self.epochs is None:
            return None
        left = self.epochs - self.done
        # An epoch running long takes at most its own estimate off what is left.
        return max(left * epoch_s - min(now - self.last_mark, epoch_s), 0.0)


def worth_reserving(pace: TrialPace, now: float, lease_s: float, latency_s: float) -> bool:
    epoch_s, remaining = pace.epoch_s(), pace.remaining_s(now)
    if epoch_s is None or remaining is None or epoch_s > lease_s * EPOCH_FRACTION:
        return False
    return remaining <= max(MIN_AHEAD_S, LATENCY_MULTIPLE * latency_s)


class LeaseAhead:
    """Holds at most one reserved lease, leased on a thread of its own.

    ``lease_once`` makes one attempt (an outage or a refusal reserves nothing: the worker's
    own lease, with its retries and error handling, follows); ``release`` hands back a lease
    that will not be trained, with the reason.
    """

    def __init__(
        self,
        lease_once: Callable[[], Lease | None],
        release: Callable[[Lease, str], None],
        log: logging.Logger,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._lease_once = lease_once
        self._release = release
        self._log = log
        self._clock = clock
        self._changed = threading.Condition()
        self._in_flight: threading.Thread | None = None
        self._held: Lease | None = None
        #: A lease is on its way from elsewhere (a result's complete-and-lease): see expect.
        self._expected = False
        self._closed = False
        #: Seconds the last lease took, reserved or not; what "late enough" is measured in.
        self.latency_s = 0.0

    def reserve(self) -> None:
        """Starts leasing the next trial in the background, unless one is held or on its way."""
        with self._changed:
            if not self._free():
                return
            self._in_flight = threading.Thread(
                target=self._reserve, name="tunewise-lease-ahead", daemon=True
            )
            self._in_flight.start()

    def idle(self) -> bool:
        """Whether nothing is reserved nor on its way (so the next trial is still to lease)."""
        with self._changed:
            return self._free()

    def expect(self) -> bool:
        """Reserves the next trial through another call (one that delivers a result and
        leases in the same round-trip), whose answer goes to :meth:`adopt`; False when one
        is held or on its way already (or the worker stops), and then nothing is expected."""
        with self._changed:
            if not self._free():
                return False
            self._expected = True
            return True

    def adopt(self, lease: Lease | None) -> None:
        """The lease the expected call brought (None: none, or the call failed)."""
        with self._changed:
            self._expected = False
            closed = self._closed
            if lease is not None and not closed:
                self._in_flight = threading.Thread(
                    target=self._keep, args=(lease,), name="tunewise-lease-ahead", daemon=True
                )
                self._in_flight.start()
            self._changed.notify_all()
        if lease is not None and closed:
            self._release(lease, "the worker is stopping")

    def settle(self, timeout_s: float) -> None:
        """Waits (at most ``timeout_s``) for an expected lease to arrive or be refused: on
        stop, before :meth:`close`, so that one that arrives is handed back while the outbox
        still sends."""
        with self._changed:
            self._changed.wait_for(lambda: not self._expected, timeout_s)

    def _free(self) -> bool:
        return (
            not self._closed
            and self._in_flight is None
            and self._held is None
            and not self._expected
        )

    def take(self) -> Lease | None:
        """The reserved lease, now the caller's to train (waiting for one on its way); None
        when nothing was reserved."""
        with self._changed:
            self._changed.wait_for(
                lambda: (self._in_flight is None and not self._expected) or self._held is not None
            )
            lease, self._held = self._held, None
            if lease is not None:
                # The slot is free from now on, not from when the thread that held the lease
                # next runs: the caller asks for the next trial at once (a result's
                # complete-and-lease, or a reservation as its trial starts), and a slot
                # still taken would refuse it.
                self._in_flight = None
            self._changed.notify_all()
            return lease

    def close(self) -> None:
        """No more reservations; one still held is released as interrupted."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
            thread = self._in_flight
        if thread is not None:
            thread.join()

    def timed(self, lease: Callable[[], Lease | None]) -> Lease | None:
        """Runs a lease call and remembers how long it took."""
        started = self._clock()
        try:
            return lease()
        finally:
            self.latency_s = self._clock() - started

    def _reserve(self) -> None:
        try:
            lease = self.timed(self._lease_once)
        except (AgentError, ApiError) as exc:
            self._log.debug("could not lease ahead: %s", exc)
            lease = None
        if lease is not None:
            self._keep(lease)
            return
        self._leave_slot()

    def _keep(self, lease: Lease) -> None:
        """Runs on the in-flight thread: holds ``lease`` until taken, or releases it."""
        why = self._hold(lease)
        self._leave_slot()
        if why is not None:
            self._release(lease, why)

    def _leave_slot(self) -> None:
        """Runs on the in-flight thread as it ends: frees the slot unless :meth:`take` has
        already (and another thread may hold it since)."""
        with self._changed:
            if self._in_flight is threading.current_thread():
                self._in_flight = None
            self._changed.notify_all()

    def _hold(self, lease: Lease) -> str | None:
        """Keeps ``lease`` until it is taken (None) or must be let go (why)."""
        release_at = self._clock() + seconds_until(lease.lease_expires_at) * HOLD_FRACTION
        with self._changed:
            self._held = lease
            self._changed.notify_all()
            while self._held is lease and not self._closed:
                left = release_at - self._clock()
                if left <= 0:
                    break
                self._changed.wait(left)
            if self._held is not lease:
                return None
            self._held = None
            if self._closed:
                return "the worker is stopping"
            return "not started within half its lease"
