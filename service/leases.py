"""Leased trials: ask, report (with the pruner's verdict), complete exactly once, and expiry.

Trials are asked in service.asking (one ahead per job, so a lease rarely waits for the
sampler). Every change runs as one unit of work holding the job's lock (see
service.db.database): the job row is locked before any lease row, so two units of work never
wait on each other in opposite orders. Optuna's writes happen inside the unit of work and
before ours, which are written at commit.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from optuna.trial import TrialState as OptunaState
from sqlalchemy import select
from sqlalchemy.orm import Session

from advisor import TrainConfig
from service.asking import Asker, counts_of, end_job, finished, past_deadline
from service.auth import Principal
from service.context import ServiceContext, utc_now
from service.db import JobRow, TrialLeaseRow
from service.errors import AlreadyFinishedError, LeaseExpiredError, NotFoundError
from service.jobs import find_job
from service.scheduling import jobs_in_fair_order
from service.schemas import (
    Completion,
    JobState,
    Lease,
    LeaseRenewal,
    Objective,
    ReportVerdict,
    TokenScope,
    Trial,
    TrialState,
)
from service.tuning.studies import REASON_ATTR, LoadedStudy
from service.views import direction_of, trial_view

_log = logging.getLogger(__name__)

#: What an action on a live lease answers (a verdict, a renewal, the finished trial).
Answer = TypeVar("Answer")

#: How the reason of a trial whose lease expired begins.
LEASE_EXPIRED = "lease expired"


@dataclass(frozen=True)
class _Outcome:
    state: TrialState
    value: float | None
    reason: str | None


class LeaseService:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context
        self._settings = context.settings
        self._asker = Asker(context)

    # -- leasing ---------------------------------------------------------------------------

    def lease_job(self, principal: Principal, job_id: str, worker: str | None) -> Lease | None:
        self.sweep()
        with self._context.database.unit_of_work() as session:
            job = find_job(session, principal, job_id, lock=True)
            lease = self._lease_from(session, job, principal, worker)
        if lease is not None:
            self._asker.schedule(job_id)
        return lease

    def lease_any(
        self, principal: Principal, workloads: tuple[str, ...], worker: str | None
    ) -> Lease | None:
        """An open job running one of these workloads that has a trial due, the least served
        first (see service.scheduling)."""
        self.sweep()
        query = select(JobRow.id).where(
            JobRow.state.in_([JobState.QUEUED.value, JobState.RUNNING.value]),
            JobRow.workload.in_(workloads),
        )
        if principal.scope is TokenScope.USER:
            query = query.where(JobRow.owner_token_id == principal.token_id)
        with self._context.database.reading() as session:
            job_ids = jobs_in_fair_order(session, query)
        for job_id in job_ids:
            with self._context.database.unit_of_work() as session:
                job = find_job(session, principal, job_id, lock=True)
                lease = self._lease_from(session, job, principal, worker)
            if lease is not None:
                self._asker.schedule(job_id)
                return lease
        return None

    def _lease_from(
        self, session: Session, job: JobRow, principal: Principal, worker: str | None
    ) -> Lease | None:
        now = utc_now()
        if not JobState(job.state).is_open:
            return None
        counts = counts_of(session, job.id)
        running = counts[TrialState.RUNNING.value]
        if past_deadline(job, now):
            if running == 0:
                end_job(job, JobState.COMPLETED, now, f"timeout: {job.timeout_s:g} s elapsed")
            return None
        if finished(counts) + running >= job.n_trials:
            return None
        ready = self._asker.claim_ready(session, job)
        fresh = ready is None
        if ready is None:
            row = self._asker.ask_row(job, now)
        else:
            row = self._asker.lease_row(ready)
            session.delete(ready)
        session.add(row)
        row.state = TrialState.RUNNING.value
        row.token_id = principal.token_id
        row.worker = worker
        row.leased_at = now
        row.expires_at = now + timedelta(seconds=self._settings.lease_seconds)
        if job.state == JobState.QUEUED.value:
            job.state = JobState.RUNNING.value
            job.started_at = now
        try:
            session.flush()
        except BaseException:
            if fresh:  # never leave an Optuna trial running that no lease will finish
                self._asker.abandon(job, row, "asked but the lease could not be recorded")
            raise
        return Lease(
            trial_id=row.trial_id,
            number=row.number,
            job_id=job.id,
            workload=job.workload,
            params=TrainConfig.model_validate(row.params),
            max_epochs=job.max_epochs,
            objective=Objective(metric=job.metric, direction=direction_of(job.direction)),
            lease_expires_at=row.expires_at,
            attempt=row.attempt,
        )

    # -- reporting and completing ----------------------------------------------------------

    def report(self, principal: Principal, trial_id: int, step: int, value: float) -> ReportVerdict:
        self.sweep()

        def judge_and_renew(session: Session, job: JobRow, lease: TrialLeaseRow) -> ReportVerdict:
            should_prune = self._judge(self._asker.loaded(job), trial_id, step, value)
            return ReportVerdict(should_prune=should_prune, lease_expires_at=self._renew(lease))

        return self._on_live_lease(principal, trial_id, judge_and_renew)

    def heartbeat(self, principal: Principal, trial_id: int) -> LeaseRenewal:
        """Renews the lease without a new point on the curve: a long first epoch (or one longer
        than the lease) keeps its trial."""

        def renew(session: Session, job: JobRow, lease: TrialLeaseRow) -> LeaseRenewal:
            return LeaseRenewal(lease_expires_at=self._renew(lease))

        return self._on_live_lease(principal, trial_id, renew)

    def _renew(self, lease: TrialLeaseRow) -> datetime:
        lease.expires_at = utc_now() + timedelta(seconds=self._settings.lease_seconds)
        return lease.expires_at

    def _on_live_lease(
        self,
        principal: Principal,
        trial_id: int,
        act: Callable[[Session, JobRow, TrialLeaseRow], Answer],
    ) -> Answer:
        """Runs ``act`` on the trial's locked job and lease in one transaction if the lease is
        still live; an expired one is failed (and retried) instead, and the caller gets 409."""
        expired: str | None = None
        with self._context.database.unit_of_work() as session:
            job, lease = self._held(session, principal, trial_id)
            now = utc_now()
            if _lease_over(lease, now):
                expired = self._expire(session, job, lease, now)
            else:
                answer = act(session, job, lease)
        if expired is not None:
            raise LeaseExpiredError(expired, field="trial_id")
        return answer

    def _judge(self, loaded: LoadedStudy, trial_id: int, step: int, value: float) -> bool:
        """What ``trial.report(value, step)`` then ``trial.should_prune()`` do, reading the
        trial once instead of three times. A step reported again (a report retried after a
        lost answer) keeps its first value."""
        storage = self._context.studies.storage
        trial = storage.get_trial(trial_id)
        if step not in trial.intermediate_values:
            storage.set_trial_intermediate_value(trial_id, step, value)
            trial = copy.copy(trial)
            trial.intermediate_values = {**trial.intermediate_values, step: value}
        return loaded.study.pruner.prune(loaded.study, trial)

    def complete(self, principal: Principal, trial_id: int, completion: Completion) -> Trial:
        def tell_and_record(session: Session, job: JobRow, lease: TrialLeaseRow) -> Trial:
            loaded = self._asker.loaded(job)
            outcome = self._tell(loaded, lease, completion)
            self._record(session, job, lease, outcome, utc_now(), retry=completion.retry)
            return trial_view(lease, self._context.studies.storage)

        return self._on_live_lease(principal, trial_id, tell_and_record)

    def _held(
        self, session: Session, principal: Principal, trial_id: int
    ) -> tuple[JobRow, TrialLeaseRow]:
        """The trial's job and lease, locked in that order, if this principal may touch it;
        refuses a trial that already ended."""
        job_id = session.scalar(
            select(TrialLeaseRow.job_id).where(TrialLeaseRow.trial_id == trial_id)
        )
        missing = NotFoundError(f"no leased trial {trial_id}", field="trial_id")
        if job_id is None:
            raise missing
        job = session.scalars(select(JobRow).where(JobRow.id == job_id).with_for_update()).one()
        lease = session.scalars(
            select(TrialLeaseRow).where(TrialLeaseRow.trial_id == trial_id).with_for_update()
        ).one()
        if not _may_hold(principal, job, lease):
            raise missing
        if lease.state != TrialState.RUNNING.value:
            if lease.reason and lease.reason.startswith(LEASE_EXPIRED):
                raise LeaseExpiredError(
                    f"trial {lease.number} of job {job.id}: {lease.reason}", field="trial_id"
                )
            detail = f": {lease.reason}" if lease.reason else ""
            raise AlreadyFinishedError(
                f"trial {lease.number} of job {job.id} already ended as {lease.state}{detail}; "
                "a trial completes exactly once",
                field="trial_id",
            )
        return job, lease

    def _tell(self, loaded: LoadedStudy, lease: TrialLeaseRow, done: Completion) -> _Outcome:
        study = loaded.study
        if done.failed is not None:
            self._context.studies.storage.set_trial_user_attr(
                lease.trial_id, REASON_ATTR, done.failed
            )
            study.tell(lease.number, state=OptunaState.FAIL, skip_if_finished=True)
            return _Outcome(TrialState.FAILED, None, done.failed)
        if done.pruned:
            frozen = study.tell(lease.number, state=OptunaState.PRUNED, skip_if_finished=True)
            return _Outcome(TrialState.PRUNED, frozen.value, "pruned")
        study.tell(lease.number, done.value, skip_if_finished=True)
        return _Outcome(TrialState.COMPLETE, done.value, None)

    def _record(
        self,
        session: Session,
        job: JobRow,
        lease: TrialLeaseRow,
        outcome: _Outcome,
        now: datetime,
        *,
        retry: bool,
    ) -> None:
        counts = counts_of(session, job.id)  # read before this trial's change is written
        lease.state = outcome.state.value
        lease.value = outcome.value
        lease.reason = outcome.reason
        lease.finished_at = now
        lease.expires_at = None
        if outcome.state is TrialState.FAILED:
            self._after_failure(job, lease, now, retry=retry)
            return
        job.consecutive_failures = 0
        if not JobState(job.state).is_open:
            return
        done = finished(counts) + 1
        still_running = counts[TrialState.RUNNING.value] - 1
        if done >= job.n_trials:
            end_job(job, JobState.COMPLETED, now, f"budget reached: {done} finished trials")
        elif past_deadline(job, now) and still_running == 0:
            end_job(job, JobState.COMPLETED, now, f"timeout: {job.timeout_s:g} s elapsed")

    def _after_failure(
        self, job: JobRow, lease: TrialLeaseRow, now: datetime, *, retry: bool
    ) -> None:
        job.consecutive_failures += 1
        if not JobState(job.state).is_open:
            return
        if job.consecutive_failures >= self._settings.max_consecutive_failures:
            end_job(
                job,
                JobState.FAILED,
                now,
                f"{job.consecutive_failures} trials in a row failed; last: {lease.reason}",
            )
            return
        if retry and lease.attempt < self._settings.max_retries:
            loaded = self._asker.loaded(job)
            self._context.studies.retry(
                loaded, lease.study_params, attempt=lease.attempt + 1, retry_of=lease.number
            )

    # -- expiry ----------------------------------------------------------------------------

    def _expire(self, session: Session, job: JobRow, lease: TrialLeaseRow, now: datetime) -> str:
        assert lease.expires_at is not None
        reason = (
            f"{LEASE_EXPIRED} at {lease.expires_at.isoformat(timespec='seconds')}: no report or "
            f"complete within {self._settings.lease_seconds:g} s"
        )
        loaded = self._asker.loaded(job)
        outcome = self._tell(loaded, lease, Completion(failed=reason))
        self._record(session, job, lease, outcome, now, retry=True)
        self._context.metrics.lease_expiries.inc()
        _log.info("trial %s of job %s: %s", lease.number, job.id, reason)
        return f"trial {lease.number} of job {job.id}: {reason}"

    def sweep(self) -> int:
        """Fail every trial whose lease expired (each retried under the policy) and end jobs
        whose timeout passed with nothing left running. Returns how many leases expired."""
        now = utc_now()
        with self._context.database.reading() as session:
            overdue = session.execute(
                select(TrialLeaseRow.job_id, TrialLeaseRow.trial_id).where(
                    TrialLeaseRow.state == TrialState.RUNNING.value,
                    TrialLeaseRow.expires_at < now,
                )
            ).all()
            timed_out = [
                job.id
                for job in session.scalars(
                    select(JobRow).where(
                        JobRow.state == JobState.RUNNING.value, JobRow.timeout_s.is_not(None)
                    )
                )
                if past_deadline(job, now)
            ]
        expired = 0
        for job_id, trial_id in overdue:
            with self._context.database.unit_of_work() as session:
                job = session.scalars(
                    select(JobRow).where(JobRow.id == job_id).with_for_update()
                ).one()
                lease = session.scalars(
                    select(TrialLeaseRow)
                    .where(TrialLeaseRow.trial_id == trial_id)
                    .with_for_update()
                ).one()
                if lease.state == TrialState.RUNNING.value and _lease_over(lease, now):
                    self._expire(session, job, lease, now)
                    expired += 1
        for job_id in timed_out:
            with self._context.database.unit_of_work() as session:
                job = session.scalars(
                    select(JobRow).where(JobRow.id == job_id).with_for_update()
                ).one()
                if (
                    JobState(job.state).is_open
                    and not counts_of(session, job.id)[TrialState.RUNNING.value]
                ):
                    end_job(job, JobState.COMPLETED, now, f"timeout: {job.timeout_s:g} s elapsed")
        self._asker.release_ended()
        return expired


def _lease_over(lease: TrialLeaseRow, now: datetime) -> bool:
    return lease.expires_at is not None and lease.expires_at <= now


def _may_hold(principal: Principal, job: JobRow, lease: TrialLeaseRow) -> bool:
    if principal.is_admin:
        return True
    if principal.scope is TokenScope.WORKER:
        return lease.token_id == principal.token_id
    return job.owner_token_id == principal.token_id
