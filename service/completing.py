"""A batch of completions in one unit of work (``POST /v1/completions``), holding each job's
row lock as briefly as it can: what every call on the job waits for on PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.asking import Asker
from service.auth import Principal
from service.context import ServiceContext
from service.db import JobRow, TrialLeaseRow
from service.errors import LeaseExpiredError, ServiceError
from service.holding import check_live, missing_trial
from service.outcomes import Outcome, Outcomes, lease_over
from service.tuning.optuna_seam import Finish
from service.views import trial_view
from tunewise.wire.models import CompletionItem, Trial


class CompletionBatches:
    def __init__(self, context: ServiceContext, asker: Asker, outcomes: Outcomes) -> None:
        self._context = context
        self._asker = asker
        self._outcomes = outcomes

    def complete_in(
        self,
        session: Session,
        principal: Principal,
        items: Sequence[CompletionItem],
    ) -> tuple[list[Trial | ServiceError], dict[str, JobRow]]:
        """``complete_many`` in ``session``; the answers, and the jobs it locked by id.

        The job's row lock is what every unit of work on a job waits for (on PostgreSQL), so
        it is taken last and held for our rows' writes only: the leases are locked first (in
        trial order) and checked, the trials told to Optuna and written in its transaction,
        then the jobs locked (in id order, their counters read again) and the outcomes counted
        on them. Whatever ends a leased trial meanwhile (another completion, the expiry sweep)
        holds its lease row too, and every unit of work that takes both takes the lease first."""
        ids = [item.trial_id for item in items]
        job_of: dict[int, str] = {
            trial_id: job_id
            for trial_id, job_id in session.execute(
                select(TrialLeaseRow.trial_id, TrialLeaseRow.job_id).where(
                    TrialLeaseRow.trial_id.in_(ids)
                )
            )
        }
        storage = self._context.studies.storage
        frozen = storage.trials_backend.read_trials(job_of)
        leases = {
            lease.trial_id: lease
            for lease in session.scalars(
                select(TrialLeaseRow)
                .where(TrialLeaseRow.trial_id.in_(sorted(job_of)))
                .order_by(TrialLeaseRow.trial_id)
                .with_for_update()
            )
        }
        # Read, not locked yet: the checks need only what never changes (owner, study).
        jobs = {
            job.id: job
            for job in session.scalars(
                select(JobRow).where(JobRow.id.in_(sorted(set(job_of.values()))))
            )
        }
        answers: list[Trial | ServiceError | None] = [None] * len(items)
        told: list[tuple[int, TrialLeaseRow, CompletionItem, Outcome | None]] = []
        finishing: list[Finish] = []
        now = self._context.clock()
        for index, item in enumerate(items):
            try:
                job_id = job_of.get(item.trial_id)
                if job_id is None:
                    raise missing_trial(item.trial_id)
                job, lease = jobs[job_id], leases[item.trial_id]
                check_live(principal, job, lease)
                if lease_over(lease, now):  # expired under the job's lock, below
                    told.append((index, lease, item, None))
                    continue
                told.append(
                    (
                        index,
                        lease,
                        item,
                        self._outcomes.tell(
                            self._asker.loaded(job),
                            lease,
                            item.completion,
                            frozen=frozen.get(item.trial_id),
                            finishing=finishing,
                        ),
                    )
                )
            except ServiceError as refused:
                answers[index] = refused
        storage.finish_trials(finishing, frozen)
        locking = sorted({lease.job_id for _index, lease, _item, _outcome in told})
        locked = {
            job.id: job
            for job in session.scalars(
                select(JobRow)
                .where(JobRow.id.in_(locking))
                .order_by(JobRow.id)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        }
        for index, lease, item, told_as in told:
            job = locked[lease.job_id]
            if told_as is None:
                expired = self._outcomes.expire(session, job, lease, now)
                answers[index] = LeaseExpiredError(expired, field="trial_id")
                continue
            self._outcomes.record(session, job, lease, told_as, now, retry=item.completion.retry)
            answers[index] = trial_view(lease, None, frozen=told_as.frozen)
        answered = [answer for answer in answers if answer is not None]
        assert len(answered) == len(items)
        return answered, locked
