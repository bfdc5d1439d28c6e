"""How a leased trial ends: told to Optuna, recorded on our rows (with the job's budget,
timeout and failure policy), and expiry (swept in the background, and met by a late call).

Every change runs inside a unit of work holding the job's lock (see service.db.database), the
lease row locked before the job row (service.leases); Optuna's writes happen inside it and
before ours.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from optuna.trial import FrozenTrial
from optuna.trial import TrialState as OptunaState
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.asking import Asker, end_job, past_deadline, running_count
from service.completions import reported
from service.context import ServiceContext
from service.db import JobRow, TrialLeaseRow
from service.tuning.optuna_seam import Finish
from service.tuning.pruning import PruneComparison, compare_pruned
from service.tuning.studies import (
    OPTUNA_CONSTRAINTS_ATTR,
    REASON_ATTR,
    VALUES_ATTR,
    LoadedStudy,
)
from tunewise.wire.models import Completion, JobState, TrialState

_log = logging.getLogger(__name__)

#: How the reason of a trial whose lease expired begins.
LEASE_EXPIRED = "lease expired"


@dataclass(frozen=True)
class Outcome:
    state: TrialState
    value: float | None
    reason: str | None
    #: The trial as Optuna holds it once told (its curve included).
    frozen: FrozenTrial
    #: For a pruned trial: what its last report was compared with (worded in ``record``,
    #: which knows the metric's name).
    pruned_at: PruneComparison | None = None
    #: Every metric reported, when the completion gave ``values`` (or the job needs them).
    metrics: dict[str, float] | None = None
    #: Whether it met the job's constraints; None without constraints or unless complete.
    feasible: bool | None = None


class Outcomes:
    def __init__(self, context: ServiceContext, asker: Asker) -> None:
        self._context = context
        self._settings = context.settings
        self._asker = asker

    def tell(
        self,
        loaded: LoadedStudy,
        lease: TrialLeaseRow,
        done: Completion,
        *,
        frozen: FrozenTrial | None = None,
        finishing: list[Finish] | None = None,
    ) -> Outcome:
        """What ``study.tell(number, ..., skip_if_finished=True)`` does (the sampler's
        ``after_trial``, then the state and values written), reading the trial once where
        ``tell`` reads it twice. A pruned trial's value is its last reported one, as Optuna's.

        ``frozen``: the trial, already read (a batch reads its trials in one query).
        ``finishing``: where the state, values and attributes are left for the caller to write
        with the rest of its batch (``TrialStorage.finish_trials``) instead of written here."""
        storage = self._context.studies.storage
        given = None if done.failed is not None or done.pruned else reported(loaded, done)
        if frozen is None:
            frozen = storage.get_trial(lease.trial_id)
        state: OptunaState
        values: list[float] | None
        pruned_at = None
        if done.failed is not None:
            state, values, reason = OptunaState.FAIL, None, done.failed
        elif done.pruned:
            last = frozen.last_step
            last_value = frozen.intermediate_values[last] if last is not None else None
            state, reason = OptunaState.PRUNED, "pruned before it reported any value"
            values = [last_value] if last_value is not None and math.isfinite(last_value) else None
            if len(loaded.objectives) > 1:  # no pruner; Optuna keeps no values for such a trial
                values, reason = None, "pruned by its client"
            else:
                pruned_at = compare_pruned(loaded.study, frozen)
        else:
            assert given is not None
            state, values, reason = OptunaState.COMPLETE, given.values, None
        if not frozen.state.is_finished():
            user_attrs: dict[str, Any] = {}
            system_attrs: dict[str, Any] = {}
            if done.failed is not None:
                user_attrs[REASON_ATTR] = done.failed
            if given is not None and given.metrics:
                user_attrs[VALUES_ATTR] = given.metrics
            if given is not None and given.violations is not None:
                # What Optuna's samplers, best_trials and plot_pareto_front read.
                system_attrs[OPTUNA_CONSTRAINTS_ATTR] = given.violations
            if finishing is None:
                for key, value in user_attrs.items():
                    storage.set_trial_user_attr(lease.trial_id, key, value)
                for key, value in system_attrs.items():
                    storage.set_trial_system_attr(lease.trial_id, key, value)
            try:
                loaded.study.sampler.after_trial(loaded.study, frozen, state, values)
            finally:
                if finishing is None:
                    storage.set_trial_state_values(lease.trial_id, state, values)
                else:  # written with the rest of the batch, attributes and all
                    finishing.append(
                        Finish(lease.trial_id, state, values, user_attrs, system_attrs)
                    )
        ours = {
            OptunaState.FAIL: TrialState.FAILED,
            OptunaState.PRUNED: TrialState.PRUNED,
            OptunaState.COMPLETE: TrialState.COMPLETE,
        }[state]
        return Outcome(
            ours,
            values[0] if values else None,
            reason,
            frozen,
            pruned_at,
            metrics=given.metrics if given is not None else None,
            feasible=given.feasible if given is not None else None,
        )

    def record(
        self,
        session: Session,
        job: JobRow,
        lease: TrialLeaseRow,
        outcome: Outcome,
        now: datetime,
        *,
        retry: bool,
    ) -> None:
        lease.state = outcome.state.value
        lease.value = outcome.value
        if outcome.metrics is not None:
            lease.metrics = outcome.metrics
            lease.feasible = outcome.feasible
        lease.reason = (
            outcome.pruned_at.describe(job.metric) if outcome.pruned_at else outcome.reason
        )
        lease.finished_at = now
        lease.expires_at = None
        if outcome.state is TrialState.FAILED:
            self._after_failure(job, lease, now, retry=retry)
            return
        job.consecutive_failures = 0
        job.finished_trials += 1
        if not JobState(job.state).is_open:
            return
        done = job.finished_trials
        if done >= job.n_trials:
            end_job(job, JobState.COMPLETED, now, f"budget reached: {done} finished trials")
        # Only past the deadline does the count matter: one query, not one per completion of
        # a batch. Our rows are written at commit (no autoflush), so it counts this trial as
        # still running, as every other completion of the batch.
        elif past_deadline(job, now) and running_count(session, job.id) == 1:
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

    def expire(self, session: Session, job: JobRow, lease: TrialLeaseRow, now: datetime) -> str:
        assert lease.expires_at is not None
        reason = (
            f"{LEASE_EXPIRED} at {lease.expires_at.isoformat(timespec='seconds')}: no report or "
            f"complete within {self._settings.lease_seconds:g} s"
        )
        loaded = self._asker.loaded(job)
        outcome = self.tell(loaded, lease, Completion(failed=reason))
        self.record(session, job, lease, outcome, now, retry=True)
        self._context.metrics.lease_expiries.inc()
        _log.info("trial %s of job %s: %s", lease.number, job.id, reason)
        return f"trial {lease.number} of job {job.id}: {reason}"

    def sweep(self) -> int:
        """Fail every trial whose lease expired (each retried under the policy) and end jobs
        whose timeout passed with nothing left running. Returns how many leases expired.

        Runs in the background every ``sweep_interval_s`` (service.app), not on each call: a
        lease or report that meets an expired lease of its own deals with it there."""
        now = self._context.clock()
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
                lease = session.scalars(
                    select(TrialLeaseRow)
                    .where(TrialLeaseRow.trial_id == trial_id)
                    .with_for_update()
                ).one()
                job = session.scalars(
                    select(JobRow).where(JobRow.id == job_id).with_for_update()
                ).one()
                if lease.state == TrialState.RUNNING.value and lease_over(lease, now):
                    self.expire(session, job, lease, now)
                    expired += 1
        for job_id in timed_out:
            with self._context.database.unit_of_work() as session:
                job = session.scalars(
                    select(JobRow).where(JobRow.id == job_id).with_for_update()
                ).one()
                if JobState(job.state).is_open and not running_count(session, job.id):
                    end_job(job, JobState.COMPLETED, now, f"timeout: {job.timeout_s:g} s elapsed")
        self._asker.release_ended()
        return expired


def lease_over(lease: TrialLeaseRow, now: datetime) -> bool:
    return lease.expires_at is not None and lease.expires_at <= now
