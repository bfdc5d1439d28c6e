"""Asking Optuna for trials, and asking one ahead for each open job.

A lease should not wait for the sampler: after each lease, a background thread asks the
job's next trials (as many as it has room for, sampled one after another and, for TPE and
random, written in one transaction; recorded in one unit of work) while the leased ones
train, and keeps each as a "ready" row (an Optuna trial already running, with its params, that
no one holds yet). The next lease only claims them. When none is ready (the first lease, or
leases faster than the sampler), the lease asks a batch the same way, at least as many as it
asked for, and claims from it.

Trials asked ahead live in their own table (``tw_asked_ahead``), so every row of
``tw_trial_leases`` is a trial someone leased. They count against the budget like running
ones and are released (failed in Optuna, row deleted) by the sweeper once their job ends.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from optuna.trial import TrialState as OptunaState
from sqlalchemy import Select, func, inspect, select
from sqlalchemy.orm import Session

from advisor import Advice, OptimizerName
from service.context import ServiceContext
from service.db import AskedAheadRow, JobRow, TrialLeaseRow
from service.dimensions import dimensions_of
from service.errors import ConflictError
from service.tuning.one_write import ask_in_one_write, ask_many_in_one_write
from service.tuning.optuna_seam import study_id_of, trial_id_of
from service.tuning.space import InvalidPointError, Point
from service.tuning.studies import (
    ATTEMPT_ATTR,
    REASON_ATTR,
    WARM_START_ATTR,
    LoadedStudy,
    StudyPlan,
)
from service.views import constraints_of, direction_of, objectives_of
from tunewise.wire.models import JobState, TrialState

_log = logging.getLogger(__name__)

#: Trials kept asked ahead per job: as many as it has running (about as many as its workers),
#: and at least as many as its last lease call asked for, within these bounds. A job with one
#: worker leasing one at a time keeps one, so the sampler sees every result but the running
#: trial's (the next trial is asked while it trains; which results a seeded job's asks saw,
#: and so its proposals, depend on timing); a job with many finds a trial ready for each of
#: them, and a lease never waits for the sampler.
AHEAD_MIN = 1
AHEAD_MAX = 16
#: Sampled points that fail TrainConfig's checks are failed and re-asked at most this often.
_MAX_INVALID_POINTS = 5


@dataclass(frozen=True)
class Asked:
    """A trial Optuna has written, running, for a lease or an ask ahead."""

    trial_id: int
    number: int
    user_attrs: dict[str, Any]


def plan_of(job: JobRow, advice: dict[str, Any] | None = None) -> StudyPlan:
    """The job's study plan; ``advice``: the job's advice, when read apart from the row."""
    return StudyPlan(
        study_name=job.study_name,
        direction=direction_of(job.direction),
        advice=Advice.model_validate(job.advice if advice is None else advice),
        families=tuple(OptimizerName(f) for f in job.families),
        sampler=job.sampler,  # type: ignore[arg-type]  # stored from the same Literal
        pruner=job.pruner,  # type: ignore[arg-type]
        seed=job.seed,
        max_epochs=job.max_epochs,
        objectives=objectives_of(job) if job.objectives or job.constraints else (),
        constraints=constraints_of(job),
        dimensions=dimensions_of(job),
    )


def _counting_running(job_id: str) -> Select[int]:
    return (
        select(func.count())
        .select_from(TrialLeaseRow)
        .where(TrialLeaseRow.job_id == job_id, TrialLeaseRow.state == TrialState.RUNNING.value)
    )


def _counting_ready(job_id: str) -> Select[int]:
    return select(func.count()).select_from(AskedAheadRow).where(AskedAheadRow.job_id == job_id)


def running_count(session: Session, job_id: str) -> int:
    """The job's leased trials still running: read from the (job_id, state, ...) index, so it
    costs the running trials, not the study's size (finished ones are counted on the job row,
    ``JobRow.finished_trials``)."""
    return session.scalar(_counting_running(job_id)) or 0


def ready_count(session: Session, job_id: str) -> int:
    """Trials asked ahead for the job and not leased yet."""
    return session.scalar(_counting_ready(job_id)) or 0


def running_and_ready(session: Session, job_id: str) -> tuple[int, int]:
    """``running_count`` and ``ready_count`` in one statement (one round trip)."""
    both = select(
        _counting_running(job_id).scalar_subquery(), _counting_ready(job_id).scalar_subquery()
    )
    running, ready = session.execute(both).one()
    return int(running or 0), int(ready or 0)


def past_deadline(job: JobRow, now: datetime) -> bool:
    if job.timeout_s is None or job.started_at is None:
        return False
    return now >= job.started_at + timedelta(seconds=job.timeout_s)


def end_job(job: JobRow, state: JobState, now: datetime, reason: str) -> None:
    job.state = state.value
    job.ended_at = now
    job.ended_reason = reason


class Asker:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def loaded(self, job: JobRow) -> LoadedStudy:
        return self._context.studies.get(job.id, lambda: self._plan(job))

    def _plan(self, job: JobRow) -> StudyPlan:
        """The job's plan, for loading its study (on a miss of the study cache). The advice
        is deferred (JobRow): a row out of its session reads it in a session of its own."""
        row = inspect(job)
        if "advice" not in row.unloaded or not row.detached:
            return plan_of(job)
        with self._context.database.reading() as session:
            advice = session.scalar(select(JobRow.advice).where(JobRow.id == job.id))
        return plan_of(job, advice)

    @contextmanager
    def _one_sync(self, loaded: LoadedStudy) -> Iterator[None]:
        """Asks inside sync Optuna's cache once, reading only new or changed trials in full
        (``TrialStorage.one_sync``): for samplers whose trials are written whole (one_write).
        The others write a trial's params and attributes after creating it, so the running
        trials they read must be read again in full each time."""
        storage = self._context.studies.storage
        with storage.one_sync() if loaded.one_write else nullcontext():
            yield

    def ask_row(self, job: JobRow, now: datetime) -> TrialLeaseRow:
        """A new trial of the job as a lease row (the caller fills in who holds it)."""
        ahead = self._ask_ahead_row(job, now)
        return self.lease_row(ahead)

    @staticmethod
    def lease_row(ahead: AskedAheadRow) -> TrialLeaseRow:
        return TrialLeaseRow(
            trial_id=ahead.trial_id,
            job_id=ahead.job_id,
            number=ahead.number,
            attempt=ahead.attempt,
            state=TrialState.RUNNING.value,
            params=ahead.params,
            study_params=ahead.study_params,
            warm_start=ahead.warm_start,
            leased_at=ahead.asked_at,
        )

    def _ask_ahead_row(self, job: JobRow, now: datetime) -> AskedAheadRow:
        return self._ahead_row(job, *self._ask(self.loaded(job)), now)

    def _ask_ahead_rows(self, job: JobRow, count: int, into: list[AskedAheadRow]) -> None:
        """``count`` new trials of the job, appended to ``into`` as they are written (so the
        caller can release them if a later ask fails): asked in one sync of Optuna's cache
        and, for samplers whose trials are written whole, written in one transaction."""
        loaded = self.loaded(job)
        with self._one_sync(loaded):
            storage = self._context.studies.storage
            if not loaded.one_write or storage.any_waiting(study_id_of(loaded.study)):
                for _ in range(count):
                    into.append(self._ask_ahead_row(job, self._context.clock()))
                return
            goal = len(into) + count
            for _ in range(_MAX_INVALID_POINTS):
                now = self._context.clock()
                asked = self._ask_many(loaded, goal - len(into))
                into += [self._ahead_row(job, trial, point, now) for trial, point in asked]
                if len(into) == goal:
                    return
            if len(into) == goal - count:
                raise _invalid_configs()

    def _ask_many(self, loaded: LoadedStudy, count: int) -> list[tuple[Asked, Point]]:
        """``count`` trials sampled and written together (``ask_many_in_one_write``); those
        whose points were invalid are recorded as failed and left out of the answer."""
        started = time.perf_counter()
        written = ask_many_in_one_write(
            loaded.study,
            loaded.space.suggest,
            count,
            self._context.studies.storage.create_trials,
            failed=_invalid_reason,
            reason_attr=REASON_ATTR,
        )
        each = (time.perf_counter() - started) / count
        for _trial in written:
            self._context.metrics.ask_seconds.observe(each)
        return [
            (Asked(trial_id_of(frozen), frozen.number, frozen.user_attrs), point)
            for frozen, point in written
            if point is not None
        ]

    @staticmethod
    def _ahead_row(job: JobRow, trial: Asked, point: Point, now: datetime) -> AskedAheadRow:
        warm_start = trial.user_attrs.get(WARM_START_ATTR)
        return AskedAheadRow(
            trial_id=trial.trial_id,
            job_id=job.id,
            number=trial.number,
            attempt=int(trial.user_attrs.get(ATTEMPT_ATTR, 0)),
            params=point.config.model_dump(mode="json"),
            study_params=dict(point.study_params),
            warm_start=str(warm_start) if warm_start is not None else None,
            asked_at=now,
        )

    def abandon(self, job: JobRow, row: TrialLeaseRow | AskedAheadRow, reason: str) -> None:
        """Fail the Optuna trial of a row that will never be leased or finished (unless it
        has ended already: a cancel fails the trials no row holds yet)."""
        storage = self._context.studies.storage
        if storage.get_trial(row.trial_id).state.is_finished():
            return
        storage.set_trial_user_attr(row.trial_id, REASON_ATTR, reason)
        self.loaded(job).study.tell(row.number, state=OptunaState.FAIL, skip_if_finished=True)

    def claim_ready(self, session: Session, job: JobRow, count: int = 1) -> list[AskedAheadRow]:
        """Up to ``count`` trials asked ahead for the job, oldest first."""
        return list(
            session.scalars(
                select(AskedAheadRow)
                .where(AskedAheadRow.job_id == job.id)
                .order_by(AskedAheadRow.number)
                .limit(count)
                .with_for_update()
            )
        )

    def _ask(self, loaded: LoadedStudy) -> tuple[Asked, Point]:
        for _ in range(_MAX_INVALID_POINTS):
            started = time.perf_counter()
            try:
                # Once per ask, not once for the enqueued-trial check and again for TPE.
                with self._one_sync(loaded):
                    asked, point = self._ask_once(loaded)
            finally:
                self._context.metrics.ask_seconds.observe(time.perf_counter() - started)
            if point is not None:
                return asked, point
        raise _invalid_configs()

    def _ask_once(self, loaded: LoadedStudy) -> tuple[Asked, Point | None]:
        """One trial asked and written; its point, or None when the point was invalid (the
        trial is then recorded as failed with the reason)."""
        if loaded.one_write:
            storage = self._context.studies.storage
            frozen, point = ask_in_one_write(
                loaded.study,
                loaded.space.suggest,
                storage.create_trial,
                any_waiting=storage.any_waiting,
                failed=_invalid_reason,
                reason_attr=REASON_ATTR,
            )
            return Asked(trial_id_of(frozen), frozen.number, frozen.user_attrs), point
        trial = loaded.study.ask()
        asked = Asked(trial_id_of(trial), trial.number, trial.user_attrs)
        try:
            return asked, loaded.space.suggest(trial)
        except InvalidPointError as exc:
            trial.set_user_attr(REASON_ATTR, str(exc))
            loaded.study.tell(trial, state=OptunaState.FAIL)
            return asked, None

    # -- asking ahead ------------------------------------------------------------------------

    def schedule(self, job_id: str, batch: int = 1) -> None:
        """Ask the job's next trials in the background, if it has room for them (once: a
        refill already due for the job is not queued again). ``batch``: how many trials the
        lease call asked for; as many are kept ready, so the next call of that size finds
        them all rather than one."""
        with self._context.ahead_lock:
            self._context.ahead_batch[job_id] = batch
            if job_id in self._context.ahead_pending:
                return
            self._context.ahead_pending.add(job_id)
        self._context.background.submit(self._refill_logged, job_id)

    def _refill_logged(self, job_id: str) -> None:
        # A lease from now on schedules a refill again, so one refill is enough: whatever is
        # leased while it asks is asked back by the next.
        with self._context.ahead_lock:
            self._context.ahead_pending.discard(job_id)
        try:
            self.refill(job_id)
        except Exception:  # the next lease asks inline; nothing is lost
            _log.exception("asking ahead for job %s failed", job_id)

    def refill(self, job_id: str, at_least: int = 1) -> int:
        """Asks trials ahead for the job, as many as it has room for (up to ``AHEAD_MAX``;
        at least a batch of the size of its last lease call, or ``at_least``), and records
        them in one unit of work; how many it recorded.

        The sampler runs outside any unit of work (leases of trials already asked, reports and
        completions go on meanwhile: on SQLite a unit of work holds the one writer). It runs
        under the process's ask lock, held until the rows are recorded: a lease that finds no
        trial ready takes that lock before its unit of work, so it waits for these trials
        rather than ask one of its own past the budget. Across replicas, the rows are recorded
        after checking the budget again under the job's lock; trials that no longer fit in it
        are failed in Optuna with the reason."""
        with self._context.studies.ask_lock:
            with self._context.database.reading() as session:
                job = session.get(JobRow, job_id)
                if job is None or not self._open(job):
                    return 0
                wanted = self._room(session, job, max(self._batch(job_id), at_least))
                session.expunge(job)  # kept readable after the session ends, for the asks
            if wanted <= 0:
                return 0
            rows: list[AskedAheadRow] = []
            recorded = 0
            try:
                # One sync of Optuna's cache for the batch (each sync re-reads every running
                # trial of the study, the largest share of an ask's cost with many workers)
                # and, where the sampler allows, one transaction for its trials.
                self._ask_ahead_rows(job, wanted, rows)
                fits: list[AskedAheadRow] = []
                with self._context.database.unit_of_work() as session:
                    locked = session.scalars(
                        select(JobRow).where(JobRow.id == job_id).with_for_update()
                    ).first()
                    if locked and self._open(locked):
                        # Only the budget can refuse trials already asked: a refused one
                        # would leave a gap in the trials' numbers that the API lists.
                        fits = rows[: max(0, self._budget_left(session, locked))]
                        session.add_all(fits)
                recorded = len(fits)  # once committed
            finally:
                for row in rows[recorded:]:
                    self.abandon(job, row, "asked ahead but not needed: the job had no room")
        return recorded

    def _open(self, job: JobRow) -> bool:
        return JobState(job.state).is_open and not past_deadline(job, self._context.clock())

    def _batch(self, job_id: str) -> int:
        with self._context.ahead_lock:
            return self._context.ahead_batch.get(job_id, 1)

    @staticmethod
    def _room(session: Session, job: JobRow, batch: int = 1) -> int:
        """How many more trials to keep asked ahead for the job: as many as it has running,
        and at least a whole batch of the size its leases ask for."""
        running, ready = running_and_ready(session, job.id)
        wanted = min(max(running, batch, AHEAD_MIN), AHEAD_MAX) - ready
        return min(wanted, job.n_trials - job.finished_trials - running - ready)

    @staticmethod
    def _budget_left(session: Session, job: JobRow) -> int:
        """Trials the job's budget still has room for, beside those running or ready."""
        return job.n_trials - job.finished_trials - sum(running_and_ready(session, job.id))

    def release_ended(self) -> int:
        """Fail the trials asked ahead for jobs that have ended since."""
        with self._context.database.reading() as session:
            stale = session.execute(
                select(AskedAheadRow.job_id, AskedAheadRow.trial_id)
                .join(JobRow, JobRow.id == AskedAheadRow.job_id)
                .where(JobRow.state.not_in([JobState.QUEUED.value, JobState.RUNNING.value]))
            ).all()
        for job_id, trial_id in stale:
            with self._context.database.unit_of_work() as session:
                job = session.scalars(
                    select(JobRow).where(JobRow.id == job_id).with_for_update()
                ).one()
                row = session.get(AskedAheadRow, trial_id, with_for_update=True)
                if row is None:
                    continue
                self.abandon(job, row, f"asked ahead but not needed: the job {job.state}")
                session.delete(row)
        return len(stale)


def _invalid_reason(exc: Exception) -> str | None:
    """Why a sampled point is recorded as failed (an invalid config); None for other errors."""
    return str(exc) if isinstance(exc, InvalidPointError) else None


def _invalid_configs() -> ConflictError:
    return ConflictError(
        "the advised search space keeps producing invalid configs; "
        "restrict the job's families or report this advice"
    )
