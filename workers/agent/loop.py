"""The worker's loop: lease a trial, train it with the harness, deliver the result; again.

The service's round-trips stay off the training's critical path: the next trial is leased
while the current one trains (:mod:`workers.agent.ahead`), and reports and results go out
through the outbox's thread (:mod:`workers.agent.outbox`), so a trial starts the moment the
one before it ends.

A finished result is never dropped while it can still be delivered: the completion is retried
with backoff until the service takes it, or says the trial is no longer this worker's (the
lease expired meanwhile, or the job was cancelled), which is logged with the reason. On stop,
the outbox gets ``stop_grace_s`` to empty itself before the worker exits.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal, Protocol

from tunewise.wire.client import ServiceClient
from tunewise.wire.models import CompletedAndLeased, Completion, Lease
from workers.agent.ahead import LeaseAhead, TrialPace, worth_reserving
from workers.agent.backoff import Backoff, Retrier
from workers.agent.errors import (
    GaveUpError,
    NotAuthorizedError,
    ServiceRejectedError,
    TrialRefusedError,
)
from workers.agent.outbox import Outbox, Parcel
from workers.agent.reporter import HttpReporter, seconds_until
from workers.agent.settings import WorkerSettings

#: ``tunewise worker``'s exit statuses: stopped as asked, and a configuration that cannot work.
EXIT_STOPPED = 0
EXIT_MISCONFIGURED = 2
#: An idle worker asks less and less often, up to this multiple of ``idle_poll_s``: a fleet of
#: idle workers would otherwise keep the API busy answering "nothing due".
IDLE_BACKOFF_CAP = 4
#: Why a trial that was leased ahead but never started is handed back (retried at once).
RELEASED = "interrupted"


class Trainer(Protocol):
    """Trains leased trials. The real one is :class:`workers.agent.harness.HarnessTrainer`;
    the loop needs nothing of torch, only what to tell the service."""

    def workloads(self) -> tuple[str, ...]: ...

    def train(self, lease: Lease, reporter: HttpReporter) -> Completion:
        """Trains the trial, reporting through ``reporter``; raises TrialRefusedError for a
        trial that cannot run at all."""
        ...


Counter = Literal["leased", "delivered", "dropped", "released"]


@dataclass
class WorkerStats:
    """Counted from the training thread, the outbox's and the lease-ahead's."""

    leased: int = 0
    delivered: int = 0
    dropped: int = 0
    #: Leased ahead and handed back unstarted (each also counts as leased, and its "interrupted"
    #: as delivered or dropped).
    released: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, counter: Counter) -> None:
        with self._lock:
            setattr(self, counter, getattr(self, counter) + 1)


@dataclass(frozen=True)
class _EpochHistory:
    """The last trial of a workload: seconds per epoch, and epochs when it ran to the end."""

    epoch_s: float
    epochs: int | None


@dataclass
class WorkerAgent:
    settings: WorkerSettings
    client: ServiceClient
    trainer: Trainer
    #: Set by SIGTERM: finish the current step, fail the trial as interrupted, leave.
    stop: threading.Event
    log: logging.Logger
    clock: Callable[[], float] = time.monotonic
    stats: WorkerStats = field(default_factory=WorkerStats)

    def __post_init__(self) -> None:
        self._backoff = Backoff(
            initial=self.settings.backoff_initial_s, maximum=self.settings.backoff_max_s
        )
        self._retrier = Retrier(self._backoff, self.stop, self.log, self.clock)
        self._history: dict[str, _EpochHistory] = {}
        #: The last trial's result, posted once the next trial is known (see _send_unsent).
        self._unsent: tuple[Lease, Completion] | None = None
        self._workloads_leased: tuple[str, ...] = ()

    def run(self) -> int:
        """Serve until stopped; returns the process's exit status."""
        workloads = self._workloads()
        if workloads is None:
            return EXIT_MISCONFIGURED
        self.log.info("leasing %s from %s", ", ".join(workloads), self.client.api_url)
        self._outbox = Outbox(self._backoff, self.log, self.clock)
        self._ahead = LeaseAhead(
            lambda: self._lease_once(workloads), self._release, self.log, self.clock
        )
        self._workloads_leased = workloads
        try:
            status = self._serve(workloads)
        finally:
            self._send_unsent(None)  # stopping: the result alone
            self._ahead.settle(self.settings.stop_grace_s)
            self._ahead.close()
            self._outbox.close(self.settings.stop_grace_s)
        if status == EXIT_STOPPED:
            self.log.info(
                "stopped: %d trials leased, %d results delivered, %d dropped, "
                "%d leased ahead and released unstarted",
                self.stats.leased,
                self.stats.delivered,
                self.stats.dropped,
                self.stats.released,
            )
        return status

    def _workloads(self) -> tuple[str, ...] | None:
        installed = self.trainer.workloads()
        workloads = self.settings.workloads or installed
        missing = sorted(set(workloads) - set(installed))
        if missing:
            self.log.error(
                "asked to run %s, which this machine does not have; installed: %s",
                ", ".join(missing),
                ", ".join(installed),
            )
            return None
        return workloads

    def _serve(self, workloads: tuple[str, ...]) -> int:
        idle = self._idle_waits()
        while not self.stop.is_set():
            lease = self._ahead.take()
            if self._send_unsent(lease) and lease is None:
                lease = self._ahead.take()  # the one the result's call leased
            if lease is None:
                try:
                    lease = self._retrier.call(
                        "lease a trial",
                        lambda: self._ahead.timed(lambda: self._lease_once(workloads)),
                    )
                except GaveUpError:
                    break
                except NotAuthorizedError as exc:
                    self.log.error("the API refused this worker's token: %s", exc)
                    return EXIT_MISCONFIGURED
                except ServiceRejectedError as exc:
                    self.log.error("the API refused to lease: %s", exc)
                    return EXIT_MISCONFIGURED
            if lease is None:
                self.stop.wait(next(idle))
                continue
            idle = self._idle_waits()
            if not self._run_lease(lease):
                return EXIT_MISCONFIGURED
        return EXIT_STOPPED

    def _lease_once(self, workloads: tuple[str, ...]) -> Lease | None:
        lease = self.client.lease(workloads, self.settings.name)
        if lease is not None:
            self.stats.add("leased")
        return lease

    def _idle_waits(self) -> Iterator[float]:
        first = self.settings.idle_poll_s
        return Backoff(initial=first, maximum=first * IDLE_BACKOFF_CAP).delays()

    def _run_lease(self, lease: Lease) -> bool:
        """Trains one leased trial; its result is posted once the next trial is known (see
        _send_unsent). False when the token was refused."""
        self.log.info(
            "trial %d (#%d of job %s, attempt %d): %s on %s",
            lease.trial_id,
            lease.number,
            lease.job_id,
            lease.attempt,
            lease.params.optimizer.value,
            lease.workload,
        )
        pace = self._pace_of(lease)
        progressed = self._lease_ahead_when_due(pace, seconds_until(lease.lease_expires_at))
        progressed(0)  # a trial known to be short is leased ahead from its start
        reporter = HttpReporter(
            client=self.client,
            retrier=self._retrier,
            trial_id=lease.trial_id,
            lease_expires_at=lease.lease_expires_at,
            stop=self.stop,
            log=self.log,
            clock=self.clock,
            outbox=self._outbox if self.settings.background_reports else None,
            on_progress=progressed,
        )
        completion = self._train(lease, reporter)
        self._remember(lease, pace, completion)
        if reporter.unauthorized:
            self.log.error("the API refused this worker's token during trial %d", lease.trial_id)
            return False
        if reporter.lost is not None:
            self._dropped(lease, reporter.lost)
            return True
        self._unsent = (lease, completion)
        return True

    def _pace_of(self, lease: Lease) -> TrialPace:
        history = self._history.get(lease.workload or "")
        return TrialPace(
            started=self.clock(),
            epochs=lease.max_epochs or (history.epochs if history else None),
            prior_epoch_s=history.epoch_s if history else None,
        )

    def _lease_ahead_when_due(self, pace: TrialPace, lease_s: float) -> Callable[[int], None]:
        def progressed(epochs: int) -> None:
            now = self.clock()
            pace.epoch_ended(epochs, now)
            if not self.stop.is_set() and worth_reserving(
                pace, now, lease_s, self._ahead.latency_s
            ):
                self._ahead.reserve()

        return progressed

    def _remember(self, lease: Lease, pace: TrialPace, completion: Completion) -> None:
        epoch_s = pace.epoch_s()
        if lease.workload is None or not pace.done or epoch_s is None:
            return
        ran_to_the_end = completion.value is not None
        epochs = lease.max_epochs or (pace.done if ran_to_the_end else None)
        self._history[lease.workload] = _EpochHistory(epoch_s=epoch_s, epochs=epochs)

    def _train(self, lease: Lease, reporter: HttpReporter) -> Completion:
        try:
            return self.trainer.train(lease, reporter)
        except TrialRefusedError as exc:
            self.log.error("trial %d refused: %s", lease.trial_id, exc)
            return Completion(failed=str(exc)[:2000], retry=False)
        except Exception as exc:  # the harness turns workload errors into outcomes; this is
            # for whatever escapes it, so that one bad trial never takes the worker down.
            self.log.exception("trial %d failed outside the harness", lease.trial_id)
            return Completion(failed=f"{type(exc).__name__}: {exc}"[:2000])

    def _post_result(self, lease: Lease, completion: Completion) -> None:
        def lost(why: str, _exc: Exception) -> None:
            self._dropped(lease, why)

        self._outbox.post(
            Parcel(
                what=f"deliver the result of trial {lease.trial_id}",
                send=lambda: self.client.complete(lease.trial_id, completion),
                on_sent=lambda _trial: self.stats.add("delivered"),
                on_lost=lost,
            ),
            lane=lease.trial_id,
        )

    def _send_unsent(self, following: Lease | None) -> bool:
        """Posts the last trial's result (from the outbox, after its reports). When the next
        trial must still be leased (``following`` is None) or would be leased ahead as soon
        as it starts (a short one), the same call leases it (``complete-and-lease``): one
        round-trip where a ``complete`` and a ``lease`` were two. True when it does: its
        lease comes through ``self._ahead`` as a reservation."""
        if self._unsent is None:
            return False
        lease, completion = self._unsent
        self._unsent = None
        wanted = following is None or self._short(following)
        if not wanted or self.stop.is_set() or not self._ahead.expect():
            self._post_result(lease, completion)
            return False

        def sent(answer: CompletedAndLeased) -> None:
            self.stats.add("delivered")
            if answer.leases:
                self.stats.add("leased")
            self._ahead.adopt(answer.leases[0] if answer.leases else None)

        def lost(why: str, _exc: Exception) -> None:
            self._dropped(lease, why)
            self._ahead.adopt(None)  # the loop leases on its own

        self._outbox.post(
            Parcel(
                what=f"deliver the result of trial {lease.trial_id} and lease the next",
                send=lambda: self.client.complete_and_lease(
                    lease.trial_id, completion, self._workloads_leased, self.settings.name
                ),
                on_sent=sent,
                on_lost=lost,
            ),
            lane=lease.trial_id,
        )
        return True

    def _short(self, lease: Lease) -> bool:
        """Whether ``lease``'s trial is one the worker leases ahead for from its start."""
        return worth_reserving(
            self._pace_of(lease),
            self.clock(),
            seconds_until(lease.lease_expires_at),
            self._ahead.latency_s,
        )

    def _release(self, lease: Lease, why: str) -> None:
        """Hands back a lease taken ahead that will not be trained: failed as interrupted, so
        the service retries it at once instead of waiting for it to expire."""
        self.stats.add("released")
        self.log.info(
            "leased-ahead trial %d of job %s released unstarted: %s",
            lease.trial_id,
            lease.job_id,
            why,
        )
        self._post_result(lease, Completion(failed=RELEASED))

    def _dropped(self, lease: Lease, why: str) -> None:
        self.stats.add("dropped")
        self.log.warning("result of trial %d dropped: %s", lease.trial_id, why)


def run_worker(
    settings: WorkerSettings, trainer: Trainer, stop: threading.Event, log: logging.Logger
) -> int:
    """Runs a worker until ``stop`` is set; returns the exit status for ``tunewise worker``."""
    with ServiceClient(
        settings.api_url, settings.token, timeout_s=settings.request_timeout_s
    ) as client:
        agent = WorkerAgent(settings=settings, client=client, trainer=trainer, stop=stop, log=log)
        return agent.run()
