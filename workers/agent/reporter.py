"""The training harness's reporter, over HTTP: each epoch's value goes to the service (which
renews the lease and answers the prune verdict), long epochs renew the lease in between, and
SIGTERM or a lost lease stops the run at the next step.

Given an outbox, reports go out in the background and training does not wait for them: a
verdict is applied as soon as it arrives, which is usually while the next epoch trains, so a
trial the pruner stops after epoch k stops after epoch k + 1 (one epoch late), and a lease lost
meanwhile is noticed one epoch later too. Without one, each report waits for its answer.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tunewise.wire.client import ServiceClient
from tunewise.wire.models import ReportVerdict
from workers.agent.backoff import Retrier
from workers.agent.errors import (
    GaveUpError,
    NotAuthorizedError,
    ServiceRejectedError,
    ServiceUnavailableError,
    TrialGoneError,
)
from workers.agent.outbox import Outbox, Parcel

#: Renew when this fraction of the lease has gone by since the last renewal, so that one
#: missed renewal (a slow request, a short outage) still leaves time for another.
RENEW_FRACTION = 1 / 3
#: Never renew more often than this, however short the lease.
MIN_RENEW_INTERVAL_S = 1.0


def seconds_until(moment: datetime, now: datetime | None = None) -> float:
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return (moment - (now or datetime.now(UTC))).total_seconds()


@dataclass
class HttpReporter:
    """Implements the harness's ``TrialReporter`` for one leased trial.

    It never raises into the training loop: anything that means "this trial is no longer
    ours" (lease expired, job cancelled, token refused) is kept in :attr:`lost` and turns
    :meth:`should_stop` true, and the agent reads it afterwards.
    """

    client: ServiceClient
    retrier: Retrier
    trial_id: int
    lease_expires_at: datetime
    stop: threading.Event
    log: logging.Logger
    clock: Callable[[], float] = time.monotonic
    #: Where reports go to be sent in the background; None: each report waits for its answer.
    outbox: Outbox | None = None
    #: Told the number of epochs reported so far, after each report and at each heartbeat.
    on_progress: Callable[[int], None] | None = None
    #: Why the trial stopped being ours, when it did.
    lost: str | None = None
    #: The token was refused: the worker itself cannot go on.
    unauthorized: bool = False
    _last_renewal: float = field(init=False)
    _renew_every_s: float = field(init=False)
    _last_report: tuple[int, float] | None = field(default=None, init=False)
    #: A prune verdict that arrived in the background, applied at the next report.
    _prune: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self._last_renewal = self.clock()
        self._renew_every_s = self._renew_interval(self.lease_expires_at)

    @staticmethod
    def _renew_interval(expires_at: datetime) -> float:
        return max(seconds_until(expires_at) * RENEW_FRACTION, MIN_RENEW_INTERVAL_S)

    def report(self, epoch: int, value: float) -> bool:
        if self.lost is not None:
            return False
        if not math.isfinite(value):
            # JSON has no NaN; the harness ends such a run as diverged on its own.
            return False
        if self.outbox is not None:
            return self._post(epoch, value)
        try:
            verdict = self.retrier.call(
                f"report epoch {epoch} of trial {self.trial_id}",
                lambda: self.client.report(self.trial_id, epoch, value),
            )
        except GaveUpError:
            return False
        except (ServiceRejectedError, ValueError) as exc:  # ValueError: a body we cannot send
            self._refused(exc)
            return False
        self._last_report = (epoch, value)
        self._renewed(verdict.lease_expires_at)
        self._progressed()
        return verdict.should_prune

    def _post(self, epoch: int, value: float) -> bool:
        assert self.outbox is not None
        self.outbox.post(
            Parcel(
                what=f"report epoch {epoch} of trial {self.trial_id}",
                send=lambda: self.client.report(self.trial_id, epoch, value),
                on_sent=self._answered,
                on_lost=self._unanswered,
            ),
            lane=self.trial_id,
        )
        self._last_report = (epoch, value)
        self._progressed()
        return self._prune

    def _answered(self, verdict: ReportVerdict) -> None:
        """Runs on the outbox's thread."""
        self._prune = self._prune or verdict.should_prune
        self._renewed(verdict.lease_expires_at)

    def _unanswered(self, why: str, exc: Exception) -> None:
        if isinstance(exc, ServiceRejectedError):
            self._refused(exc)
        else:
            self.log.warning("a report of trial %d was not sent: %s", self.trial_id, why)

    def _progressed(self) -> None:
        if self.on_progress is not None:
            self.on_progress(self._last_report[0] if self._last_report else 0)

    def heartbeat(self) -> None:
        """Renews the lease once a third of it has gone by since the last renewal, without a
        new point on the curve, so even a first epoch longer than the lease keeps its trial."""
        self._progressed()
        if self.lost is not None:
            return
        if self.clock() - self._last_renewal < self._renew_every_s:
            return
        try:
            renewal = self.client.heartbeat(self.trial_id)
        except ServiceUnavailableError as exc:
            # One missed renewal is what the margin is for; the next heartbeat tries again.
            self.log.warning("could not renew the lease of trial %d: %s", self.trial_id, exc)
            return
        except ServiceRejectedError as exc:
            self._refused(exc)
            return
        self._renewed(renewal.lease_expires_at)

    def should_stop(self) -> bool:
        return self.stop.is_set() or self.lost is not None

    def _renewed(self, expires_at: datetime) -> None:
        self._last_renewal = self.clock()
        self._renew_every_s = self._renew_interval(expires_at)

    def _refused(self, exc: ServiceRejectedError | ValueError) -> None:
        self.unauthorized = isinstance(exc, NotAuthorizedError)
        if isinstance(exc, TrialGoneError | NotAuthorizedError):
            self.lost = exc.message
            self.log.warning("trial %d is no longer ours (%s); stopping it", self.trial_id, exc)
        else:
            # The service refused this one report; the trial goes on and so does the lease.
            self.log.error("the service refused a report for trial %d: %s", self.trial_id, exc)
