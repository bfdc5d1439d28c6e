"""The trial ``fn`` is given while ``TuningJob.optimize`` runs it, and the thread that keeps
its lease.

While ``fn`` runs, a thread renews the trial's lease with ``POST /v1/trials/{id}/heartbeat``
whenever a third of the lease has passed without a report (reports renew it too), so a long
silent epoch keeps its trial without inventing a point on its curve. A lease that expires
anyway (the process stalled, the network was down) makes ``should_prune()`` true.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tunewise.wire.advice import TrainConfig
from tunewise.wire.errors import ApiError, TrialGoneError
from tunewise.wire.models import Lease

if TYPE_CHECKING:
    from tunewise.sdk.client import Client

_log = logging.getLogger("tunewise.sdk")

#: Bounds on the heartbeat period: not a busy loop on a tiny lease, not silent for long.
_MIN_RENEW_S, _MAX_RENEW_S = 0.2, 60.0


class TrialPruned(Exception):  # noqa: N818 - the name Optuna users know (optuna.TrialPruned)
    """Raise it from ``fn`` to end the trial as pruned, typically when
    ``trial.should_prune()`` says so."""


class LeasedTrial:
    """The trial ``fn`` is given: its config, and the calls that report on it."""

    def __init__(self, client: Client, lease: Lease, stopping: threading.Event) -> None:
        self._client = client
        self.lease = lease
        self._stopping = stopping
        self._prune = False
        self._renewed_at = time.monotonic()
        #: Why the lease is no longer ours (None while it is).
        self.lost: TrialGoneError | None = None

    @property
    def id(self) -> int:
        return self.lease.trial_id

    @property
    def number(self) -> int:
        return self.lease.number

    @property
    def job_id(self) -> str:
        return self.lease.job_id

    @property
    def params(self) -> dict[str, Any]:
        """The flat, ready config: ``{"optimizer": "adamw", "lr": 0.0003, ...}``."""
        return self.lease.params.model_dump(mode="json", exclude_none=True)

    @property
    def config(self) -> TrainConfig:
        """The same config, typed."""
        return self.lease.params

    @property
    def max_epochs(self) -> int | None:
        return self.lease.max_epochs

    @property
    def metrics(self) -> tuple[str, ...]:
        """The metrics fn must return as a dict (a job with several objectives or with
        constraints); empty: one number will do."""
        return self.lease.metrics

    def report(self, step: int, value: float) -> None:
        """Records ``value`` at ``step`` (usually the epoch, from 0); the service's prune
        verdict is then :meth:`should_prune`. Renews the lease."""
        if self.lost is not None:
            return
        if not math.isfinite(value):
            raise ValueError(
                f"trial #{self.number} step {step}: {value} is not a finite number; "
                "a diverged run should raise instead (its trial is then failed)"
            )
        try:
            verdict = self._client.report(self.id, step, value)
        except TrialGoneError as exc:
            self.lose(exc)
            return
        self._prune = verdict.should_prune
        self.renewed()

    def should_prune(self) -> bool:
        """True when the pruner says stop, the lease was lost, or the run is being
        interrupted: ``fn`` should then raise :class:`TrialPruned`."""
        return self._prune or self.lost is not None or self._stopping.is_set()

    def renewed(self) -> None:
        self._renewed_at = time.monotonic()

    def lose(self, why: TrialGoneError) -> None:
        if self.lost is None:
            _log.warning("trial #%d of job %s lost its lease: %s", self.number, self.job_id, why)
            self.lost = why

    def renewal_due_in(self, period_s: float) -> float:
        return self._renewed_at + period_s - time.monotonic()


class Renewer:
    """Heartbeats for one trial while ``fn`` runs."""

    def __init__(self, client: Client, trial: LeasedTrial) -> None:
        self._client = client
        self._trial = trial
        self._done = threading.Event()
        self._period_s = _renew_period(trial.lease.lease_expires_at)
        self._thread = threading.Thread(
            target=self._run, name=f"tunewise-renew-{trial.id}", daemon=True
        )

    def __enter__(self) -> Renewer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._done.set()
        # A heartbeat in flight finishes first (milliseconds; bounded in case the API hangs).
        self._thread.join(timeout=_MAX_RENEW_S)

    def _run(self) -> None:
        while True:
            due_in = self._trial.renewal_due_in(self._period_s)
            if due_in > 0:
                if self._done.wait(due_in):
                    return
                continue
            try:
                self._client.heartbeat(self._trial.id)
            except TrialGoneError as exc:
                if not self._done.is_set():
                    self._trial.lose(exc)
                return
            except ApiError as exc:
                _log.warning("could not renew trial #%d's lease: %s", self._trial.number, exc)
            self._trial.renewed()


def _renew_period(expires_at: datetime) -> float:
    """A third of the lease left when it was granted, so two heartbeats may be lost."""
    left = (expires_at - datetime.now(UTC)).total_seconds()
    if left <= 0:
        # This machine's clock disagrees with the service's: renew often rather than late.
        return _MIN_RENEW_S
    return min(max(left / 3, _MIN_RENEW_S), _MAX_RENEW_S)
