"""Leased trials: lease (one or several at once), report (with the pruner's verdict), complete
exactly once (alone, with the next lease in the same round-trip, or several trials and the next
leases in one round-trip and one unit of work).

Trials are asked in service.asking (ahead of the leases, so a lease rarely waits for the
sampler); how a trial ends (told, recorded, expired) is service.outcomes; a batch of completions
is service.completing. Every change runs as one unit of work, and those that change the job
hold its lock (see service.db.database). A unit of work that takes a lease row and the job's
takes the lease first, so two never wait on each other in opposite orders, and the job's (which
every call on the job waits for) is held as briefly as it can be. Optuna's writes happen inside
the unit of work and before ours, which are written at commit.

Expired leases are swept in the background (service.app), not on each call: a call that meets
an expired lease of its own fails it there and answers 409.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from service.asking import Asker, end_job, past_deadline, running_count
from service.auth import Principal
from service.completing import CompletionBatches
from service.context import ServiceContext
from service.db import JobRow, TrialLeaseRow
from service.errors import (
    LeaseExpiredError,
    ServiceError,
)
from service.holding import check_live, missing_trial
from service.jobs import find_job
from service.outcomes import Outcomes, lease_over
from service.scheduling import jobs_in_fair_order
from service.tuning.studies import LoadedStudy
from service.views import direction_of, needed_metrics, trial_view
from tunewise.wire.dimensions import TrialParams
from tunewise.wire.models import (
    CompletedAndLeased,
    Completion,
    CompletionItem,
    JobState,
    Lease,
    LeaseRenewal,
    NextLease,
    Objective,
    ReportVerdict,
    TokenScope,
    Trial,
    TrialState,
)

#: What an action on a live lease answers (a verdict, a renewal, the finished trial).
Answer = TypeVar("Answer")


class LeaseService:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context
        self._settings = context.settings
        self._asker = Asker(context)
        self._outcomes = Outcomes(context, self._asker)
        self._batches = CompletionBatches(context, self._asker, self._outcomes)

    # -- leasing ---------------------------------------------------------------------------

    def lease_job(
        self, principal: Principal, job_id: str, worker: str | None, count: int = 1
    ) -> list[Lease]:
        """Up to ``count`` trials of this job; none when none is due."""
        return self._lease_one_job(principal, job_id, worker, count)

    def lease_any(
        self, principal: Principal, workloads: tuple[str, ...], worker: str | None, count: int = 1
    ) -> list[Lease]:
        """Up to ``count`` trials of an open job running one of these workloads that has
        trials due, the least served first (see service.scheduling); all of one job."""
        with self._context.database.reading() as session:
            job_ids = jobs_in_fair_order(session, _open_jobs(principal, workloads))
        for job_id in job_ids:
            leases = self._lease_one_job(principal, job_id, worker, count)
            if leases:
                return leases
        return []

    def _lease_one_job(
        self, principal: Principal, job_id: str, worker: str | None, count: int
    ) -> list[Lease]:
        with self._context.database.unit_of_work() as session:
            job = find_job(session, principal, job_id, lock=True)
            leases = self._lease_from(session, job, principal, worker, count, ask=False)
        if leases is None:
            # None ready: ask a whole batch now, as asking ahead does (sampled outside any unit
            # of work, so other calls go on meanwhile; recorded in one), and claim from it.
            # The ask lock is held from before the unit of work (the order every holder of
            # both takes), so trials being asked ahead meanwhile are recorded first and
            # claimed, not passed by more asks (service.asking). Should others claim the
            # batch first, another is asked; only then is one trial asked inline (inside the
            # unit of work, so one ask at a time, and one model per trial for TPE).
            with self._context.studies.ask_lock:
                for last in (False, True):
                    self._asker.refill(job_id, at_least=count)
                    with self._context.database.unit_of_work() as session:
                        job = find_job(session, principal, job_id, lock=True)
                        leases = self._lease_from(session, job, principal, worker, count, ask=last)
                    if leases is not None:
                        break
        if leases:
            self._asker.schedule(job_id, count)
        return leases or []

    @staticmethod
    def _fair_first(session: Session, principal: Principal, wanted: NextLease) -> str | None:
        """The job fair order serves next among those ``wanted`` may lease from."""
        assert wanted.workloads is not None
        first = jobs_in_fair_order(session, _open_jobs(principal, wanted.workloads))[:1]
        return first[0] if first else None

    def _claim_in(
        self, session: Session, principal: Principal, job: JobRow | None, wanted: NextLease
    ) -> list[Lease]:
        """Trials asked ahead, leased in ``session`` from ``job`` (the job fair order serves
        next, if ``session`` holds its lock already); none otherwise."""
        if job is None:
            return []
        claimed = self._lease_from(session, job, principal, wanted.worker, wanted.count, ask=False)
        return claimed or []

    def _lease_from(
        self,
        session: Session,
        job: JobRow,
        principal: Principal,
        worker: str | None,
        count: int,
        *,
        ask: bool,
    ) -> list[Lease] | None:
        """Trials asked ahead first; one asked here only when none is ready and ``ask`` (a
        lease for several answers what is ready rather than wait for the sampler). None
        when none is ready and ``ask`` is false."""
        now = self._context.clock()
        if not JobState(job.state).is_open:
            return []
        running = running_count(session, job.id)
        if past_deadline(job, now):
            if running == 0:
                end_job(job, JobState.COMPLETED, now, f"timeout: {job.timeout_s:g} s elapsed")
            return []
        room = job.n_trials - job.finished_trials - running
        if room <= 0:
            return []
        ready = self._asker.claim_ready(session, job, min(count, room))
        rows: list[TrialLeaseRow] = []
        for ahead in ready:
            rows.append(self._asker.lease_row(ahead))
            session.delete(ahead)
        fresh = not ready
        if fresh:
            if not ask:
                return None
            rows.append(self._asker.ask_row(job, now))
        expires_at = now + timedelta(seconds=self._settings.lease_seconds)
        for row in rows:
            session.add(row)
            row.state = TrialState.RUNNING.value
            row.token_id = principal.token_id
            row.worker = worker
            row.leased_at = now
            row.expires_at = expires_at
        if job.state == JobState.QUEUED.value:
            job.state = JobState.RUNNING.value
            job.started_at = now
        try:
            session.flush()
        except BaseException:
            if fresh:  # never leave an Optuna trial running that no lease will finish
                self._asker.abandon(job, rows[0], "asked but the lease could not be recorded")
            raise
        return [self._lease_of(job, row) for row in rows]

    @staticmethod
    def _lease_of(job: JobRow, row: TrialLeaseRow) -> Lease:
        assert row.expires_at is not None
        return Lease(
            trial_id=row.trial_id,
            number=row.number,
            job_id=job.id,
            workload=job.workload,
            params=TrialParams.model_validate(row.params),
            max_epochs=job.max_epochs,
            objective=Objective(metric=job.metric, direction=direction_of(job.direction)),
            lease_expires_at=row.expires_at,
            attempt=row.attempt,
            metrics=needed_metrics(job),
        )

    # -- reporting and completing ----------------------------------------------------------

    def report(self, principal: Principal, trial_id: int, step: int, value: float) -> ReportVerdict:
        def judge_and_renew(session: Session, job: JobRow, lease: TrialLeaseRow) -> ReportVerdict:
            should_prune = self._judge(self._asker.loaded(job), trial_id, step, value)
            return ReportVerdict(should_prune=should_prune, lease_expires_at=self._renew(lease))

        return self._on_live_lease(principal, trial_id, judge_and_renew, job_lock=False)

    def heartbeat(self, principal: Principal, trial_id: int) -> LeaseRenewal:
        """Renews the lease without a new point on the curve: a long first epoch (or one longer
        than the lease) keeps its trial."""

        def renew(session: Session, job: JobRow, lease: TrialLeaseRow) -> LeaseRenewal:
            return LeaseRenewal(lease_expires_at=self._renew(lease))

        return self._on_live_lease(principal, trial_id, renew, job_lock=False)

    def _renew(self, lease: TrialLeaseRow) -> datetime:
        lease.expires_at = self._context.clock() + timedelta(seconds=self._settings.lease_seconds)
        return lease.expires_at

    def _on_live_lease(
        self,
        principal: Principal,
        trial_id: int,
        act: Callable[[Session, JobRow, TrialLeaseRow], Answer],
        *,
        job_lock: bool = True,
    ) -> Answer:
        """Runs ``act`` on the trial's locked lease (and job, with ``job_lock``: an act that
        changes the job) in one transaction if the lease is still live; an expired one is
        failed (and retried) instead, under the job's lock, and the caller gets 409. Reports
        and heartbeats change the lease only, so they leave the job's lock, which every call
        on the job waits for, to those that need it."""
        expired: str | None = None
        with self._context.database.unit_of_work() as session:
            job, lease = self._held(session, principal, trial_id, job_lock=job_lock)
            now = self._context.clock()
            if lease_over(lease, now):
                if not job_lock:
                    job = self._lock_job(session, job.id)
                expired = self._outcomes.expire(session, job, lease, now)
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
            return self._finish(session, job, lease, completion)

        return self._on_live_lease(principal, trial_id, tell_and_record)

    def _finish(
        self, session: Session, job: JobRow, lease: TrialLeaseRow, completion: Completion
    ) -> Trial:
        loaded = self._asker.loaded(job)
        outcome = self._outcomes.tell(loaded, lease, completion)
        self._outcomes.record(
            session, job, lease, outcome, self._context.clock(), retry=completion.retry
        )
        return trial_view(lease, None, frozen=outcome.frozen)

    def complete_many(
        self, principal: Principal, items: Sequence[CompletionItem]
    ) -> list[Trial | ServiceError]:
        """Each completion as ``complete`` does it, all in one unit of work; a refused one
        (expired, finished, not yours) answers its error in its place and does not stop the
        others. The leases are locked first, in trial order, then the jobs in id order, so two
        batches never wait on each other in opposite orders.

        Our rows are written at commit, so each trial's ``record`` counts the job's running
        trials as they were before the batch: a job whose timeout passes mid-batch is ended by
        the next sweep rather than here (the budget is exact either way: it is counted on the
        job row, in this session)."""
        with self._context.database.unit_of_work() as session:
            answers, _jobs = self._batches.complete_in(session, principal, items)
        return answers

    def exchange(
        self, principal: Principal, items: Sequence[CompletionItem], following: NextLease | None
    ) -> tuple[list[Trial | ServiceError], list[Lease]]:
        """``complete_many``, then a lease as ``following`` says: trials of any open job with
        one of its workloads, or, without workloads, more of the first completed trial's job
        (none when every completion was refused)."""
        if following is not None and following.workloads is not None and items:
            # One unit of work (one lock of the job) for the completions and, when the job they
            # belong to is the one fair order serves next and has trials ready, the leases.
            with self._context.database.unit_of_work() as session:
                # Which job to claim from is read before any lock is taken (a moment stale
                # at worst, which fair order tolerates), so the job's lock covers less.
                first = self._fair_first(session, principal, following)
                answers, jobs = self._batches.complete_in(session, principal, items)
                leases = self._claim_in(session, principal, jobs.get(first or ""), following)
            if leases:
                self._asker.schedule(leases[0].job_id, following.count)
                return answers, leases
            return answers, self.lease_any(
                principal, following.workloads, following.worker, following.count
            )
        answers = self.complete_many(principal, items) if items else []
        if following is None:
            return answers, []
        if following.workloads is not None:
            return answers, self.lease_any(
                principal, following.workloads, following.worker, following.count
            )
        done = [answer for answer in answers if isinstance(answer, Trial)]
        if not done:
            return answers, []
        leases = self.lease_job(principal, done[0].job_id, following.worker, following.count)
        return answers, leases

    def complete_and_lease(
        self, principal: Principal, trial_id: int, completion: Completion, following: NextLease
    ) -> CompletedAndLeased:
        """``complete``, then a lease as ``following`` says, in one round-trip. A refused
        completion (409) leases nothing: the caller learns of it exactly as from ``complete``."""
        trial = self.complete(principal, trial_id, completion)
        if following.workloads is None:
            leases = self.lease_job(principal, trial.job_id, following.worker, following.count)
        else:
            leases = self.lease_any(
                principal, following.workloads, following.worker, following.count
            )
        return CompletedAndLeased(trial=trial, leases=tuple(leases))

    def _held(
        self, session: Session, principal: Principal, trial_id: int, *, job_lock: bool
    ) -> tuple[JobRow, TrialLeaseRow]:
        """The trial's lease and job, locked in that order (the order every unit of work that
        takes both takes them; the job only with ``job_lock``), if this principal may touch
        it; refuses a trial that already ended."""
        job_id = session.scalar(
            select(TrialLeaseRow.job_id).where(TrialLeaseRow.trial_id == trial_id)
        )
        if job_id is None:
            raise missing_trial(trial_id)
        lease = session.scalars(
            select(TrialLeaseRow).where(TrialLeaseRow.trial_id == trial_id).with_for_update()
        ).one()
        if job_lock:
            job = self._lock_job(session, job_id)
        else:  # the checks read only what never changes (its owner)
            job = session.scalars(select(JobRow).where(JobRow.id == job_id)).one()
        check_live(principal, job, lease)
        return job, lease

    @staticmethod
    def _lock_job(session: Session, job_id: str) -> JobRow:
        """The job's row, locked, as committed now (read again if the session holds it)."""
        return session.scalars(
            select(JobRow)
            .where(JobRow.id == job_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one()

    # -- expiry ----------------------------------------------------------------------------

    def sweep(self) -> int:
        """See service.outcomes.Outcomes.sweep (the background sweeper calls it)."""
        return self._outcomes.sweep()


def _open_jobs(principal: Principal, workloads: tuple[str, ...]) -> Select[str]:
    """The open jobs running one of these workloads that ``principal`` may lease from."""
    query = select(JobRow.id).where(
        JobRow.state.in_([JobState.QUEUED.value, JobState.RUNNING.value]),
        JobRow.workload.in_(workloads),
    )
    if principal.scope is TokenScope.USER:
        query = query.where(JobRow.owner_token_id == principal.token_id)
    return query
