"""Bring your own loop: ``TuningJob.optimize(fn)`` leases the job's trials, runs ``fn`` on each
and delivers its result, as ``study.optimize(objective)`` does in Optuna. Each trial's lease is
renewed while ``fn`` runs (:mod:`tunewise.sdk.trial`); a trial whose lease was lost anyway has
its late result's 409 logged, never raised.
"""

from __future__ import annotations

import logging
import math
import os
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeGuard

from tunewise.sdk.trial import LeasedTrial, Renewer, TrialPruned
from tunewise.wire.errors import (
    NotAuthorizedError,
    ServiceRejectedError,
    TrialGoneError,
)
from tunewise.wire.models import Completion, Lease

if TYPE_CHECKING:
    from tunewise.sdk.client import Client

_log = logging.getLogger("tunewise.sdk")

#: How a trial ended by Ctrl-C (or by another worker's unexpected error) is recorded.
INTERRUPTED = "interrupted"
#: ``fn(trial) -> value`` (or ``{metric: value}``); raise TrialPruned to end as pruned.
Objective = Callable[[LeasedTrial], float | Mapping[str, float]]


@dataclass(frozen=True)
class OptimizeResult:
    """What one ``optimize`` call ran."""

    complete: int
    pruned: int
    failed: int
    #: Trials whose lease was lost before their result could be delivered.
    lost: int

    @property
    def trials(self) -> int:
        return self.complete + self.pruned + self.failed + self.lost


class _Run:
    """One ``optimize`` call, shared by its worker threads."""

    def __init__(
        self,
        client: Client,
        job_id: str,
        fn: Objective,
        *,
        n_trials: int | None,
        deadline: float | None,
        catch: tuple[type[Exception], ...],
        poll_s: float,
    ) -> None:
        self.client, self.job_id, self.fn = client, job_id, fn
        self.n_trials, self.deadline, self.catch, self.poll_s = n_trials, deadline, catch, poll_s
        self.stopping = threading.Event()
        self.error: BaseException | None = None
        self._lock = threading.Lock()
        self._started = 0
        self._counts = {"complete": 0, "pruned": 0, "failed": 0, "lost": 0}

    def result(self) -> OptimizeResult:
        with self._lock:
            return OptimizeResult(**self._counts)

    def work(self, label: str) -> None:
        while self._claim():
            lease = self._next_lease(label)
            if lease is None:
                with self._lock:
                    self._started -= 1
                return
            self._run_trial(lease)

    def work_in_thread(self, label: str, ended: threading.Event) -> None:
        try:
            self.work(label)
        except BaseException as exc:  # carried to the calling thread, which raises it
            with self._lock:
                self.error = self.error or exc
            self.stopping.set()
        finally:
            ended.set()

    def _claim(self) -> bool:
        with self._lock:
            if self.stopping.is_set() or self._past_deadline():
                return False
            if self.n_trials is not None and self._started >= self.n_trials:
                return False
            self._started += 1
            return True

    def _past_deadline(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def _next_lease(self, label: str) -> Lease | None:
        """The job's next trial; while none is due but the job is open (its budget is in
        flight), waits and asks again. None once the job ended, or on stop or timeout."""
        while True:
            lease = self.client.lease(self.job_id, worker=label)
            if lease is not None:
                return lease
            if not self.client.get_job(self.job_id).state.is_open:
                return None
            if self._past_deadline() or self.stopping.wait(self.poll_s):
                return None

    def _run_trial(self, lease: Lease) -> None:
        trial = LeasedTrial(self.client, lease, self.stopping)
        with Renewer(self.client, trial):
            completion, raised = self._outcome(trial)
        # Renewals have stopped: none can race the completion and read its 409 as a loss.
        self._finish(trial, completion)
        if raised is not None:
            raise raised

    def _outcome(self, trial: LeasedTrial) -> tuple[Completion, BaseException | None]:
        """How ``fn`` ended the trial, and what to raise once it is recorded."""
        try:
            value = self.fn(trial)
        except TrialPruned:
            return Completion(pruned=True), None
        except KeyboardInterrupt as exc:
            self.stopping.set()
            return Completion(failed=INTERRUPTED), exc
        except self.catch as exc:
            _log.warning("trial #%d failed: %s", trial.number, _reason(exc), exc_info=exc)
            return Completion(failed=_reason(exc)), None
        except BaseException as exc:
            self.stopping.set()
            return Completion(failed=_reason(exc)), exc
        return _completion_of(value), None

    def _finish(self, trial: LeasedTrial, completion: Completion) -> None:
        if self.stopping.is_set() and completion.pruned:
            # Stopped from outside (Ctrl-C, another worker's error): fn obeyed should_prune(),
            # which said stop for the run's sake, not the pruner's. A returned value stands.
            completion = Completion(failed=INTERRUPTED)
        outcome = self._deliver(trial, completion)
        with self._lock:
            self._counts[outcome] += 1

    def _deliver(self, trial: LeasedTrial, completion: Completion) -> str:
        """Completes the trial; answers how it ended, as ``OptimizeResult`` counts it."""
        outcome = "pruned" if completion.pruned else "complete"
        outcome = "failed" if completion.failed is not None else outcome
        try:
            if trial.lost is None:
                self.client.complete(
                    trial.id,
                    completion.value,
                    values=completion.values,
                    pruned=completion.pruned,
                    failed=completion.failed,
                    retry=completion.retry,
                )
        except TrialGoneError as exc:
            trial.lose(exc)
        except NotAuthorizedError:
            raise
        except ServiceRejectedError as exc:
            if completion.failed is not None:
                raise
            # The API refused the result itself (a metric the job needs is missing, say): the
            # trial fails in the API's words rather than hang until its lease expires.
            _log.warning("trial #%d: the API refused its result: %s", trial.number, exc.message)
            return self._deliver(
                trial, Completion(failed=f"result refused: {exc.message}"[:2000], retry=False)
            )
        if trial.lost is not None:
            _log.warning("trial #%d's %s result was not recorded; moving on", trial.number, outcome)
            return "lost"
        return outcome


def _completion_of(value: object) -> Completion:
    """A number, or a dict of numbers for several metrics; anything else fails the trial."""
    if _finite(value):
        return Completion(value=float(value))
    if isinstance(value, Mapping) and value and all(_finite(v) for v in value.values()):
        return Completion(values={str(k): float(v) for k, v in value.items()})
    return Completion(
        failed=f"the objective returned {value!r}, not a finite number "
        "(or a dict of them, one per metric)",
        retry=False,
    )


def _finite(value: object) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _reason(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return text[:2000]


def run_optimize(
    client: Client,
    job_id: str,
    fn: Objective,
    *,
    n_trials: int | None,
    n_workers: int,
    timeout: float | None,
    catch: tuple[type[Exception], ...],
    poll_s: float,
    worker: str | None,
) -> OptimizeResult:
    if n_workers < 1:
        raise ValueError(f"n_workers must be 1 or more, not {n_workers}")
    if n_trials is not None and n_trials < 1:
        raise ValueError(f"n_trials must be 1 or more, not {n_trials}")
    label = worker or f"sdk:{socket.gethostname()}:{os.getpid()}"
    deadline = None if timeout is None else time.monotonic() + timeout
    run = _Run(client, job_id, fn, n_trials=n_trials, deadline=deadline, catch=catch, poll_s=poll_s)
    if n_workers == 1:
        # In the calling thread, so that Ctrl-C reaches fn itself.
        run.work(label)
        return run.result()
    # The threads share the client's one httpx.Client, which httpx documents as shareable
    # between threads (httpx.Client's docstring, https://github.com/encode/httpx/pull/2380).
    ended = [threading.Event() for _ in range(n_workers)]
    threads = [
        threading.Thread(
            target=run.work_in_thread,
            args=(f"{label}/{i}", ended[i]),
            name=f"tunewise-optimize-{i}",
        )
        for i in range(n_workers)
    ]
    # Waiting on events rather than Thread.join: a join that Ctrl-C interrupts can mark the
    # still-running thread as stopped, so later joins return at once (seen here on 3.11;
    # https://github.com/python/cpython/issues/90882).
    try:
        for thread in threads:
            thread.start()
        for done in ended:
            while not done.wait(0.2):
                pass
    except KeyboardInterrupt:
        # Threads cannot be interrupted: should_prune() turns true for their fns, whose trials
        # are then failed as interrupted. A second Ctrl-C stops waiting for them. (Ctrl-C may
        # land inside start(): every thread that got an ident has started.)
        run.stopping.set()
        for thread, done in zip(threads, ended, strict=True):
            if thread.ident is not None:
                done.wait()
        raise
    if run.error is not None:
        raise run.error
    return run.result()
