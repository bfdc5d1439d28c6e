"""Asking Optuna for trials, and asking one ahead for each open job.

A lease should not wait for the sampler: after each lease, a background thread asks the
job's next trial while the leased one trains, and keeps it as a "ready" row (an Optuna trial
already running, with its params, that no one holds yet). The next lease only claims it. When
no trial is ready (the first lease, or leases faster than the sampler), the lease asks inline.

Trials asked ahead live in their own table (``tw_asked_ahead``), so every row of
``tw_trial_leases`` is a trial someone leased. They count against the budget like running
ones and are released (failed in Optuna, row deleted) by the sweeper once their job ends.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from datetime import datetime, timedelta

import optuna
from optuna.trial import TrialState as OptunaState
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from advisor import Advice, OptimizerName
from service.context import ServiceContext, utc_now
from service.db import AskedAheadRow, JobRow, TrialLeaseRow
from service.errors import ConflictError
from service.schemas import JobState, TrialState
from service.tuning.space import InvalidPointError, Point
from service.tuning.studies import (
    ATTEMPT_ATTR,
    REASON_ATTR,
    WARM_START_ATTR,
    LoadedStudy,
    StudyPlan,
)
from service.views import direction_of

_log = logging.getLogger(__name__)

#: Trials kept asked ahead per job.
AHEAD = 1
#: Sampled points that fail TrainConfig's checks are failed and re-asked at most this often.
_MAX_INVALID_POINTS = 5

Counts = Counter[str]


def plan_of(job: JobRow) -> StudyPlan:
    return StudyPlan(
        study_name=job.study_name,
        direction=direction_of(job.direction),
        advice=Advice.model_validate(job.advice),
        families=tuple(OptimizerName(f) for f in job.families),
        sampler=job.sampler,  # type: ignore[arg-type]  # stored from the same Literal
        pruner=job.pruner,  # type: ignore[arg-type]
        seed=job.seed,
        max_epochs=job.max_epochs,
    )


def counts_of(session: Session, job_id: str) -> Counts:
    rows = session.execute(
        select(TrialLeaseRow.state, func.count())
        .where(TrialLeaseRow.job_id == job_id)
        .group_by(TrialLeaseRow.state)
    )
    return Counter({state: count for state, count in rows})


def ready_count(session: Session, job_id: str) -> int:
    """Trials asked ahead for the job and not leased yet."""
    return (
        session.scalar(
            select(func.count()).select_from(AskedAheadRow).where(AskedAheadRow.job_id == job_id)
        )
        or 0
    )


def finished(counts: Counts) -> int:
    return counts[TrialState.COMPLETE.value] + counts[TrialState.PRUNED.value]


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
        return self._context.studies.get(job.id, lambda: plan_of(job))

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
        trial, point = self._ask(self.loaded(job))
        warm_start = trial.user_attrs.get(WARM_START_ATTR)
        return AskedAheadRow(
            trial_id=trial._trial_id,
            job_id=job.id,
            number=trial.number,
            attempt=int(trial.user_attrs.get(ATTEMPT_ATTR, 0)),
            params=point.config.model_dump(mode="json"),
            study_params=dict(point.study_params),
            warm_start=str(warm_start) if warm_start is not None else None,
            asked_at=now,
        )

    def abandon(self, job: JobRow, row: TrialLeaseRow | AskedAheadRow, reason: str) -> None:
        """Fail the Optuna trial of a row that will never be leased or finished."""
        storage = self._context.studies.storage
        storage.set_trial_user_attr(row.trial_id, REASON_ATTR, reason)
        self.loaded(job).study.tell(row.number, state=OptunaState.FAIL, skip_if_finished=True)

    def claim_ready(self, session: Session, job: JobRow) -> AskedAheadRow | None:
        return session.scalars(
            select(AskedAheadRow)
            .where(AskedAheadRow.job_id == job.id)
            .order_by(AskedAheadRow.number)
            .limit(1)
            .with_for_update()
        ).first()

    def _ask(self, loaded: LoadedStudy) -> tuple[optuna.Trial, Point]:
        for _ in range(_MAX_INVALID_POINTS):
            started = time.perf_counter()
            trial = loaded.study.ask()
            try:
                point = loaded.space.suggest(trial)
            except InvalidPointError as exc:
                trial.set_user_attr(REASON_ATTR, str(exc))
                loaded.study.tell(trial, state=OptunaState.FAIL)
                continue
            finally:
                self._context.metrics.ask_seconds.observe(time.perf_counter() - started)
            return trial, point
        raise ConflictError(
            "the advised search space keeps producing invalid configs; "
            "restrict the job's optimizers or report this advice"
        )

    # -- asking ahead ------------------------------------------------------------------------

    def schedule(self, job_id: str) -> None:
        """Ask the job's next trial in the background, if it has room for one."""
        self._context.background.submit(self._refill_logged, job_id)

    def _refill_logged(self, job_id: str) -> None:
        try:
            self.refill(job_id)
        except Exception:  # the next lease asks inline; nothing is lost
            _log.exception("asking ahead for job %s failed", job_id)

    def refill(self, job_id: str) -> bool:
        with self._context.database.unit_of_work() as session:
            job = session.scalars(
                select(JobRow).where(JobRow.id == job_id).with_for_update()
            ).first()
            now = utc_now()
            if job is None or not JobState(job.state).is_open or past_deadline(job, now):
                return False
            counts = counts_of(session, job.id)
            ready = ready_count(session, job.id)
            in_flight = counts[TrialState.RUNNING.value] + ready
            if ready >= AHEAD or finished(counts) + in_flight >= job.n_trials:
                return False
            row = self._ask_ahead_row(job, now)
            try:
                session.add(row)
                session.flush()
            except BaseException:
                self.abandon(job, row, "asked ahead but could not be recorded")
                raise
        return True

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
