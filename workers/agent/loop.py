"""The worker's loop: lease a trial, train it with the harness, deliver the result; again.

A finished result is never dropped while it can still be delivered: the completion is retried
with backoff until the service takes it, or says the trial is no longer this worker's (the
lease expired meanwhile, or the job was cancelled), which is logged with the reason.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from service.schemas import Completion, Lease
from workers.agent.backoff import Backoff, Retrier
from workers.agent.client import ServiceClient
from workers.agent.errors import (
    GaveUpError,
    NotAuthorizedError,
    ServiceRejectedError,
    TrialGoneError,
    TrialRefusedError,
)
from workers.agent.reporter import HttpReporter
from workers.agent.settings import WorkerSettings

#: ``tunewise worker``'s exit statuses: stopped as asked, and a configuration that cannot work.
EXIT_STOPPED = 0
EXIT_MISCONFIGURED = 2
#: An idle worker asks less and less often, up to this multiple of ``idle_poll_s``: a fleet of
#: idle workers would otherwise keep the API busy answering "nothing due".
IDLE_BACKOFF_CAP = 4


class Trainer(Protocol):
    """Trains leased trials. The real one is :class:`workers.agent.harness.HarnessTrainer`;
    the loop needs nothing of torch, only what to tell the service."""

    def workloads(self) -> tuple[str, ...]: ...

    def train(self, lease: Lease, reporter: HttpReporter) -> Completion:
        """Trains the trial, reporting through ``reporter``; raises TrialRefusedError for a
        trial that cannot run at all."""
        ...


@dataclass
class WorkerStats:
    leased: int = 0
    delivered: int = 0
    dropped: int = 0


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

    def run(self) -> int:
        """Serve until stopped; returns the process's exit status."""
        installed = self.trainer.workloads()
        workloads = self.settings.workloads or installed
        missing = sorted(set(workloads) - set(installed))
        if missing:
            self.log.error(
                "asked to run %s, which this machine does not have; installed: %s",
                ", ".join(missing),
                ", ".join(installed),
            )
            return EXIT_MISCONFIGURED
        self.log.info("leasing %s from %s", ", ".join(workloads), self.client.api_url)
        idle = self._idle_waits()
        while not self.stop.is_set():
            try:
                lease = self._retrier.call(
                    "lease a trial", lambda: self.client.lease(workloads, self.settings.name)
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
            if not self.run_lease(lease):
                return EXIT_MISCONFIGURED
        self.log.info(
            "stopped: %d trials leased, %d results delivered, %d dropped",
            self.stats.leased,
            self.stats.delivered,
            self.stats.dropped,
        )
        return EXIT_STOPPED

    def _idle_waits(self) -> Iterator[float]:
        first = self.settings.idle_poll_s
        return Backoff(initial=first, maximum=first * IDLE_BACKOFF_CAP).delays()

    def run_lease(self, lease: Lease) -> bool:
        """Trains one leased trial and delivers its result. False when the token was refused."""
        self.stats.leased += 1
        self.log.info(
            "trial %d (#%d of job %s, attempt %d): %s on %s",
            lease.trial_id,
            lease.number,
            lease.job_id,
            lease.attempt,
            lease.params.optimizer.value,
            lease.workload,
        )
        reporter = HttpReporter(
            client=self.client,
            retrier=self._retrier,
            trial_id=lease.trial_id,
            lease_expires_at=lease.lease_expires_at,
            stop=self.stop,
            log=self.log,
            clock=self.clock,
        )
        completion = self._train(lease, reporter)
        if reporter.unauthorized:
            self.log.error("the API refused this worker's token during trial %d", lease.trial_id)
            return False
        if reporter.lost is not None:
            self._dropped(lease, reporter.lost)
            return True
        self._deliver(lease, completion)
        return True

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

    def _deliver(self, lease: Lease, completion: Completion) -> None:
        what = f"deliver the result of trial {lease.trial_id}"
        send = lambda: self.client.complete(lease.trial_id, completion)  # noqa: E731
        try:
            try:
                self._retrier.call(what, send)
            except GaveUpError:
                # Asked to stop while the API was away: keep trying a little longer, since the
                # result is worth more than a prompt exit.
                grace = dataclasses.replace(self._retrier, stop=threading.Event())
                grace.call(what, send, deadline_s=self.settings.stop_grace_s)
        except GaveUpError as exc:
            self._dropped(lease, str(exc))
        except TrialGoneError as exc:
            self._dropped(lease, exc.message)
        except ServiceRejectedError as exc:
            self._dropped(lease, f"the API refused it: {exc}")
        else:
            self.stats.delivered += 1

    def _dropped(self, lease: Lease, why: str) -> None:
        self.stats.dropped += 1
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
