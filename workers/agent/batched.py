"""``tunewise worker --batch K``: lease up to K trials in one call and train them together.

One lease call asks for K trials (``POST /v1/leases`` with ``count``). The trainer splits them
into batches (``workers.batched.leases``: one workload and one update rule per batch; a trial
that cannot be batched trains alone) and trains one batch at a time. Within a batch:

- each epoch's reports of every trial go out as ONE ``POST /v1/reports`` call, from the
  outbox's thread, while the next epoch trains. The batch's reports are sent when the
  runner takes its next step (it asks every trial's reporter ``should_stop`` at each step),
  just after the last trial of the epoch reported. A prune verdict is applied at the trial's
  next report, one epoch late, as the single loop applies one (``workers.agent.reporter``):
  the trial leaves the batch, the rest go on. Unlike the single loop, that next report waits
  for the verdict when it has not come yet: a batch of small models can train an epoch
  faster than the service answers, and would otherwise end before any verdict reached it
  (measured: tabular-mlp, 8 trials, 4 epochs, nothing pruned). That is at most one
  round-trip per epoch for the whole batch;
- leases are renewed by one thread for every trial this worker holds, the ones still waiting
  for their batch included (a report renews one too), so a batch that trains longer than
  the lease keeps the trials queued behind it;
- the batch's results go out as ONE ``POST /v1/completions`` call from the outbox, after
  the batch's reports (a batch's parcels share one outbox lane); each result is taken or
  refused on its own.

On stop (SIGTERM) the trials of the batch that is training fail as ``interrupted`` at the
next step, as the single loop's trial does, and the trials still waiting are handed back as
``interrupted`` too, so the service retries them at once.

The lease call names the worker ``"<name> [batch K]"`` (:func:`batch_label`): that is how a
job's page knows its trials were leased by a batched worker.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Protocol

from tunewise.wire.client import ServiceClient
from tunewise.wire.models import (
    MAX_LEASE_COUNT,
    Completion,
    CompletionResults,
    Lease,
    ReportItem,
    ReportResults,
)
from workers.agent.backoff import Backoff, Retrier
from workers.agent.errors import (
    GaveUpError,
    NotAuthorizedError,
    ServiceRejectedError,
    ServiceUnavailableError,
    TrialRefusedError,
)
from workers.agent.loop import EXIT_MISCONFIGURED, EXIT_STOPPED, IDLE_BACKOFF_CAP, RELEASED
from workers.agent.outbox import Outbox, Parcel
from workers.agent.reporter import MIN_RENEW_INTERVAL_S, RENEW_FRACTION, seconds_until
from workers.agent.settings import WorkerSettings

#: A batched report's error codes that mean "this trial is no longer yours" (a single report
#: gets them as 404 or 409).
GONE_CODES = frozenset({"not_found", "conflict", "lease_expired", "already_finished"})
#: The longest worker name the service records (tunewise.wire.models.WorkerLabel).
WORKER_LABEL_MAX = 200
#: How often the lease keeper looks for leases due for renewal.
KEEPER_TICK_S = 0.25


def batch_label(name: str, size: int) -> str:
    """The worker name a batched worker leases under: the job page reads ``[batch K]``. The
    name is cut to keep the whole within the service's 200 characters."""
    suffix = f" [batch {size}]"
    return name[: WORKER_LABEL_MAX - len(suffix)] + suffix


@dataclass
class Held:
    """A trial this worker holds: its lease's renewal, and what the service said of it.
    Written by the training thread, the outbox's and the keeper's; each field alone."""

    lease: Lease
    clock: Callable[[], float]
    last_renewal: float = 0.0
    renew_every_s: float = MIN_RENEW_INTERVAL_S
    #: Why the trial stopped being ours, when it did.
    lost: str | None = None
    unauthorized: bool = False
    #: A prune verdict that arrived in the background, applied at the trial's next report.
    prune: bool = False

    def __post_init__(self) -> None:
        self.renewed(self.lease.lease_expires_at)

    def renewed(self, expires_at: datetime) -> None:
        self.last_renewal = self.clock()
        self.renew_every_s = max(seconds_until(expires_at) * RENEW_FRACTION, MIN_RENEW_INTERVAL_S)

    def due(self) -> bool:
        return self.lost is None and self.clock() - self.last_renewal >= self.renew_every_s

    def gone(self, why: str, *, unauthorized: bool = False) -> None:
        self.lost = self.lost or why
        self.unauthorized = self.unauthorized or unauthorized


class LeaseKeeper:
    """One thread that renews every held lease a third of the way to its expiry (heartbeat),
    so neither training nor a trial waiting for its batch lets a lease run out."""

    def __init__(self, client: ServiceClient, log: logging.Logger) -> None:
        self._client = client
        self._log = log
        self._held: dict[int, Held] = {}
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tunewise-keeper", daemon=True)
        self._thread.start()

    def hold(self, held: Iterable[Held]) -> None:
        with self._lock:
            self._held.update({h.lease.trial_id: h for h in held})

    def let_go(self, trial_ids: Iterable[int]) -> None:
        with self._lock:
            for trial_id in trial_ids:
                self._held.pop(trial_id, None)

    def close(self) -> None:
        self._closed.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._closed.wait(KEEPER_TICK_S):
            with self._lock:
                due = [h for h in self._held.values() if h.due()]
            for held in due:
                self._renew(held)

    def _renew(self, held: Held) -> None:
        trial_id = held.lease.trial_id
        try:
            renewal = self._client.heartbeat(trial_id)
        except ServiceUnavailableError as exc:  # the margin is for this; retried next tick
            self._log.warning("could not renew the lease of trial %d: %s", trial_id, exc)
        except ServiceRejectedError as exc:
            held.gone(exc.message, unauthorized=isinstance(exc, NotAuthorizedError))
            self._log.warning("trial %d is no longer ours (%s)", trial_id, exc)
        else:
            held.renewed(renewal.lease_expires_at)


class EpochReports:
    """One batch's reports, sent together: one ``POST /v1/reports`` per flush, in the batch's
    outbox lane, each verdict or refusal handed to its trial."""

    def __init__(
        self,
        client: ServiceClient,
        outbox: Outbox,
        held: Mapping[int, Held],
        lane: int,
        *,
        wait_s: float,
        log: logging.Logger,
    ) -> None:
        self._client = client
        self._outbox = outbox
        self._held = held
        self._lane = lane
        self._wait_s = wait_s
        self._log = log
        self._pending: list[ReportItem] = []
        #: Set once the service answered the last call sent (or it was given up).
        self._in_flight: list[threading.Event] = []
        #: Report calls posted (one per epoch of the batch, whatever its size).
        self.calls = 0

    def add(self, item: ReportItem) -> None:
        self._pending.append(item)

    def flush(self) -> None:
        while self._pending:
            items = tuple(self._pending[:MAX_LEASE_COUNT])
            del self._pending[:MAX_LEASE_COUNT]
            self.calls += 1
            answered = threading.Event()
            self._in_flight.append(answered)
            self._outbox.post(self._parcel(items, answered), lane=self._lane)

    def settle(self) -> None:
        """Waits (up to ``wait_s``) for the answers to the calls sent so far: a batch whose
        epochs are shorter than a round-trip would otherwise finish before any verdict
        arrived, and nothing would ever be pruned. Where the epoch takes longer than the
        round-trip, the answer is already in and nothing waits."""
        deadline = time.monotonic() + self._wait_s
        while self._in_flight:
            if not self._in_flight[0].wait(max(deadline - time.monotonic(), 0.0)):
                # The API is away: the outbox keeps retrying, and a verdict that comes
                # later still applies; waiting again at each trial's report would not help.
                self._log.warning("no verdict after %.0f s; training goes on", self._wait_s)
                self._in_flight.clear()
                return
            self._in_flight.pop(0)

    def _parcel(
        self, items: tuple[ReportItem, ...], answered: threading.Event
    ) -> Parcel[ReportResults]:
        def sent(results: ReportResults) -> None:
            self._answered(results)
            answered.set()

        def lost(why: str, exc: Exception) -> None:
            answered.set()
            if isinstance(exc, NotAuthorizedError):
                for item in items:
                    if (held := self._held.get(item.trial_id)) is not None:
                        held.gone(why, unauthorized=True)
            # Anything else (given up, one refused call): the trials go on, as the single
            # loop's do when one report is not sent.

        ids = ", ".join(str(i.trial_id) for i in items)
        return Parcel(
            what=f"report epoch {items[0].step} of trials {ids}",
            send=lambda: self._client.report_many(items),
            on_sent=sent,
            on_lost=lost,
        )

    def _answered(self, results: ReportResults) -> None:
        """Runs on the outbox's thread."""
        for result in results.results:
            held = self._held.get(result.trial_id)
            if held is None:
                continue
            if result.verdict is not None:
                held.prune = held.prune or result.verdict.should_prune
                held.renewed(result.verdict.lease_expires_at)
            elif result.error is not None and result.error.code in GONE_CODES:
                held.gone(result.error.message)


@dataclass
class BatchReporter:
    """The runner's ``TrialReporter`` for one trial of a batch."""

    held: Held
    reports: EpochReports
    stop: threading.Event

    def report(self, epoch: int, value: float) -> bool:
        if self.held.lost is not None or not math.isfinite(value):
            return False  # JSON has no NaN; the runner ends such a trial as diverged itself
        # The last epoch's verdict first (it usually came in while this epoch trained).
        self.reports.settle()
        self.reports.add(ReportItem(trial_id=self.held.lease.trial_id, step=epoch, value=value))
        return self.held.prune

    def heartbeat(self) -> None:
        self.reports.flush()  # the lease keeper renews the lease; this is the runner's pulse

    def should_stop(self) -> bool:
        # Called at every step: the first step after an epoch's reports sends them.
        self.reports.flush()
        return self.stop.is_set() or self.held.lost is not None


class BatchTrainer(Protocol):
    """Trains leased trials in batches; the real one is
    :class:`workers.agent.batched_harness.HarnessBatchTrainer`."""

    def workloads(self) -> tuple[str, ...]: ...

    def plan(self, leases: Sequence[Lease]) -> list[list[Lease]]:
        """The leases in batches, each trained as one (a batch may hold one trial)."""
        ...

    def train(
        self, batch: Sequence[Lease], reporters: Mapping[int, BatchReporter]
    ) -> dict[int, Completion]:
        """Each trial's completion by trial id; TrialRefusedError for a batch that cannot
        run at all."""
        ...


@dataclass
class BatchedWorkerAgent:
    settings: WorkerSettings
    client: ServiceClient
    trainer: BatchTrainer
    #: Trials to lease in one call (1..MAX_LEASE_COUNT).
    batch: int
    stop: threading.Event
    log: logging.Logger
    clock: Callable[[], float] = time.monotonic
    #: For the log and the tests: trials each lease call answered (0: none due), report and
    #: result calls made, and the size of each batch trained.
    lease_answers: list[int] = field(default_factory=list)
    report_calls: int = 0
    result_calls: int = 0
    batch_sizes: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not 1 <= self.batch <= MAX_LEASE_COUNT:
            raise ValueError(f"batch must be 1..{MAX_LEASE_COUNT}, not {self.batch}")
        backoff = Backoff(
            initial=self.settings.backoff_initial_s, maximum=self.settings.backoff_max_s
        )
        self._backoff = backoff
        self._retrier = Retrier(backoff, self.stop, self.log, self.clock)
        self._label = batch_label(self.settings.name, self.batch)

    def run(self) -> int:
        installed = self.trainer.workloads()
        workloads = self.settings.workloads or installed
        missing = sorted(set(workloads) - set(installed))
        if missing:
            self.log.error("asked to run %s, which this machine does not have", missing)
            return EXIT_MISCONFIGURED
        self.log.info(
            "leasing %s from %s, up to %d trials at a time",
            ", ".join(workloads),
            self.client.api_url,
            self.batch,
        )
        self._outbox = Outbox(self._backoff, self.log, self.clock)
        self._keeper = LeaseKeeper(self.client, self.log)
        try:
            status = self._serve(workloads)
        finally:
            self._keeper.close()
            self._outbox.close(self.settings.stop_grace_s)
        self.log.info(
            "stopped: %d lease calls, %d report calls, %d result calls, batches of %s",
            len(self.lease_answers),
            self.report_calls,
            self.result_calls,
            self.batch_sizes,
        )
        return status

    def _serve(self, workloads: tuple[str, ...]) -> int:
        first = self.settings.idle_poll_s
        idle = Backoff(initial=first, maximum=first * IDLE_BACKOFF_CAP).delays()
        while not self.stop.is_set():
            try:
                leases = self._lease(workloads)
            except GaveUpError:
                break
            except NotAuthorizedError as exc:
                self.log.error("the API refused this worker's token: %s", exc)
                return EXIT_MISCONFIGURED
            except ServiceRejectedError as exc:
                self.log.error("the API refused to lease: %s", exc)
                return EXIT_MISCONFIGURED
            if not leases:
                self.stop.wait(next(idle))
                continue
            idle = Backoff(initial=first, maximum=first * IDLE_BACKOFF_CAP).delays()
            if not self._run_leases(leases):
                return EXIT_MISCONFIGURED
        return EXIT_STOPPED

    def _lease(self, workloads: tuple[str, ...]) -> list[Lease]:
        """Up to ``batch`` trials: one call, topped up while the service answers fewer but
        some. The service hands out what it has asked ahead (about as many as the job has
        running) and asks one more inline when none is ready, so a batched worker's first
        call gets one trial; topping up fills its first batch, and from then on the trials
        asked ahead while a batch trains fill the next in one call."""
        leases: list[Lease] = []
        while len(leases) < self.batch and not self.stop.is_set():
            wanted = self.batch - len(leases)
            got = self._retrier.call("lease trials", partial(self._lease_many, workloads, wanted))
            self.lease_answers.append(len(got))
            leases += got
            if not got:
                break
        return leases

    def _lease_many(self, workloads: tuple[str, ...], count: int) -> list[Lease]:
        return self.client.lease_many(workloads, self._label, count)

    def _run_leases(self, leases: Sequence[Lease]) -> bool:
        """Trains every leased trial, batch after batch; False when the token was refused."""
        for lease in leases:
            self.log.info(
                "trial %d (#%d of job %s, attempt %d): %s on %s",
                lease.trial_id,
                lease.number,
                lease.job_id,
                lease.attempt,
                lease.params.optimizer.value,
                lease.workload,
            )
        held = {lease.trial_id: Held(lease, self.clock) for lease in leases}
        self._keeper.hold(held.values())
        try:
            for batch in self.trainer.plan(leases):
                if self.stop.is_set():  # never started: back to the service at once
                    released = Completion(failed=RELEASED)
                    self._post_results([(lease.trial_id, released) for lease in batch], lane=0)
                    continue
                self._train_batch(batch, held)
        finally:
            self._keeper.let_go(held)
        return not any(h.unauthorized for h in held.values())

    def _train_batch(self, batch: Sequence[Lease], held: Mapping[int, Held]) -> None:
        lane = batch[0].trial_id
        reports = EpochReports(
            self.client,
            self._outbox,
            held,
            lane,
            wait_s=self.settings.request_timeout_s,
            log=self.log,
        )
        reporters = {
            lease.trial_id: BatchReporter(held[lease.trial_id], reports, self.stop)
            for lease in batch
        }
        self.batch_sizes.append(len(batch))
        ids = " ".join(str(x.trial_id) for x in batch)
        self.log.info("batch of %d: trials %s", len(batch), ids)
        try:
            completions = self.trainer.train(batch, reporters)
        except TrialRefusedError as exc:
            self.log.error("trials %s refused: %s", [x.trial_id for x in batch], exc)
            completions = {
                x.trial_id: Completion(failed=str(exc)[:2000], retry=False) for x in batch
            }
        except Exception as exc:  # whatever escapes the harness must not take the worker down
            self.log.exception("a batch failed outside the harness")
            why = f"{type(exc).__name__}: {exc}"[:2000]
            completions = {x.trial_id: Completion(failed=why) for x in batch}
        reports.flush()  # the last epoch's reports go before the results
        self.report_calls += reports.calls
        results: list[tuple[int, Completion]] = []
        for lease in batch:
            trial = held[lease.trial_id]
            if trial.lost is not None:
                self.log.warning("result of trial %d dropped: %s", lease.trial_id, trial.lost)
                continue
            results.append((lease.trial_id, completions[lease.trial_id]))
        self._post_results(results, lane=lane)
        # Finished: no more heartbeats for these (one after the result would be refused).
        self._keeper.let_go(x.trial_id for x in batch)

    def _post_results(self, results: list[tuple[int, Completion]], *, lane: int) -> None:
        """The batch's results in one call (``POST /v1/completions``): each is taken or
        refused on its own, and a refused one is dropped as a refused single result is."""
        if not results:
            return
        ids = " ".join(str(trial_id) for trial_id, _ in results)

        def sent(answer: CompletionResults) -> None:
            for outcome in answer.results:
                if outcome.error is not None:
                    why = outcome.error.message
                    self.log.warning("result of trial %d dropped: %s", outcome.trial_id, why)

        def lost(why: str, _exc: Exception) -> None:
            self.log.warning("results of trials %s dropped: %s", ids, why)

        self.result_calls += 1
        self._outbox.post(
            Parcel(
                what=f"deliver the results of trials {ids}",
                send=lambda: self.client.complete_many(results),
                on_sent=sent,
                on_lost=lost,
            ),
            lane=lane,
        )


def run_batched_worker(
    settings: WorkerSettings,
    trainer: BatchTrainer,
    batch: int,
    stop: threading.Event,
    log: logging.Logger,
) -> int:
    """``tunewise worker --batch K`` until ``stop`` is set; returns its exit status."""
    with ServiceClient(
        settings.api_url, settings.token, timeout_s=settings.request_timeout_s
    ) as client:
        agent = BatchedWorkerAgent(
            settings=settings, client=client, trainer=trainer, batch=batch, stop=stop, log=log
        )
        return agent.run()
