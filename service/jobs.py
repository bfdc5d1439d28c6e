"""Jobs: created from a JobCreate (advice, study, warm starts), read, listed and cancelled.

Optuna's study and the API agree about a job's trials. ``GET /v1/jobs/{id}/trials`` lists the
trials that were leased, with the same state and value as in Optuna. Optuna also holds trials
that no one leased: trials asked ahead, retries and warm starts still queued when the job
ended, points the search space refused, and trials asked by a process that died before its
lease was recorded. Once the job has ended, each of these is FAIL in Optuna with a
``tunewise_reason`` user attr that says why (see :class:`StudyCloser`), so none stays WAITING
or RUNNING for good, and none is counted in the job's progress or budget.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta

from optuna.exceptions import UpdateFinishedTrialError
from optuna.trial import TrialState as OptunaState
from sqlalchemy import func, select
from sqlalchemy.orm import Session, undefer

from advisor import AdvisorError, advise
from service.asking import Asker
from service.auth import Principal
from service.context import ServiceContext
from service.db import AskedAheadRow, JobRow, TrialLeaseRow
from service.dimensions import check_workload_dimensions, stored_dimensions
from service.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from service.evidence.service import LearningService
from service.objectives import adopt_suggestions, several_objectives, with_cost_knob
from service.pareto import Preference, front_rows
from service.tuning.optuna_seam import trial_id_of
from service.tuning.strategies import MULTI_OBJECTIVE_SAMPLERS
from service.tuning.studies import REASON_ATTR, StudyPlan, warm_start_count
from service.views import (
    constraints_of,
    job_view,
    job_views,
    objectives_of,
    state_counts,
    trial_view,
)
from tunewise.wire.metrics import unknown_metric
from tunewise.wire.models import (
    Job,
    JobCreate,
    JobState,
    Page,
    ParetoFront,
    TokenScope,
    TrialState,
)

_log = logging.getLogger(__name__)

#: How the reason of an Optuna trial of an ended job that no one leased begins.
NEVER_LEASED = "never leased"
#: A job's end is committed a moment after its ended_at is taken; look back this far so a
#: job whose end committed during the previous pass is not missed.
_END_COMMIT_SLACK = timedelta(minutes=1)


def find_job(session: Session, principal: Principal, job_id: str, *, lock: bool = False) -> JobRow:
    """The job, if this principal may see it: another token's job is "not found", exactly as
    a job that does not exist, so job ids cannot be probed."""
    query = select(JobRow).where(JobRow.id == job_id)
    if lock:
        query = query.with_for_update()
    job = session.scalars(query).first()
    if job is None or not may_see(principal, job):
        raise NotFoundError(f"no job {job_id!r}", field="job_id")
    return job


def may_see(principal: Principal, job: JobRow) -> bool:
    if principal.scope is TokenScope.USER:
        return job.owner_token_id == principal.token_id
    return True


def require_reader(principal: Principal) -> None:
    if principal.scope is TokenScope.WORKER:
        raise ForbiddenError(
            "worker tokens lease and report trials; they cannot read or create jobs"
        )


class JobService:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def create(self, principal: Principal, spec: JobCreate) -> Job:
        require_reader(principal)
        objectives = spec.all_objectives
        multi = len(objectives) > 1
        # A plain single-objective job is not checked: its worker reports one value, whatever
        # the metric is called. Several objectives or constraints need each metric reported.
        unknown = None
        if spec.objectives is not None or spec.constraints:
            unknown = unknown_metric(spec.workload, objectives, spec.constraints)
        if unknown is not None:
            field, message = unknown
            if spec.objectives is None and field.startswith("objectives.0."):
                field = "objective." + field.removeprefix("objectives.0.")
            raise InvalidInputError(message, field=field)
        if multi and spec.sampler is not None and spec.sampler not in MULTI_OBJECTIVE_SAMPLERS:
            raise InvalidInputError(
                f"sampler {spec.sampler!r} searches one objective only; for several objectives "
                f"use one of {', '.join(MULTI_OBJECTIVE_SAMPLERS)}",
                field="sampler",
            )
        check_workload_dimensions(spec)
        try:
            advice = advise(spec.task)
        except AdvisorError as exc:
            raise InvalidInputError(str(exc), field="task") from exc
        constraints = spec.constraints
        adopted = adopt_suggestions(spec, advice)
        if adopted is not None:
            advice, objectives, constraints = adopted
            multi = len(objectives) > 1
        first: list[tuple[dict[str, object], str]] = []
        if spec.warm_start:
            # The advice changed by the owner's similar ended jobs (unchanged when there are
            # none); its rationale says what changed and where from (service.evidence).
            learned = LearningService(self._context).learn(
                principal,
                advice,
                workload=spec.workload,
                metric=objectives[0].metric,
                direction=objectives[0].direction,
                optimizers=spec.families,
                n_trials=spec.budget.n_trials,
                everyone=spec.warm_start_from == "all",
                dimensions=spec.dimensions,
            )
            advice = learned.advice
            first = [(dict(w.study_params), w.label) for w in learned.warm_starts]
        families = spec.families or advice.search.families
        n_trials = spec.budget.n_trials or advice.search.n_trials
        job_id = secrets.token_hex(8)
        sampler = spec.sampler or advice.search.sampler
        pruner = spec.pruner or advice.search.pruner
        if multi:
            advice, sampler, pruner = several_objectives(advice, sampler, pruner)
        # A batch size the job searches as its own dimension is searched once, as asked.
        if (multi or constraints) and "batch_size" not in spec.dimensions:
            advice = with_cost_knob(advice, objectives, constraints)
        plan = StudyPlan(
            study_name=f"tunewise-{job_id}",
            direction=objectives[0].direction,
            advice=advice,
            families=tuple(families),
            sampler=sampler,
            pruner=pruner,
            seed=spec.seed,
            max_epochs=spec.budget.max_epochs,
            objectives=objectives if multi or constraints else (),
            constraints=constraints,
            dimensions=spec.dimensions,
        )
        plan.space()  # refuses families the advice has no candidate for, before any write
        task = advice.task
        row = JobRow(
            id=job_id,
            name=spec.name or _default_name(spec, plan),
            owner_token_id=principal.token_id,
            state=JobState.QUEUED.value,
            workload=spec.workload,
            study_name=plan.study_name,
            metric=objectives[0].metric,
            direction=objectives[0].direction,
            objectives=[o.model_dump() for o in objectives] if multi else None,
            constraints=[c.model_dump(exclude_none=True) for c in constraints] or None,
            n_trials=n_trials,
            timeout_s=spec.budget.timeout_s,
            max_epochs=spec.budget.max_epochs,
            sampler=plan.sampler,
            pruner=plan.pruner,
            seed=spec.seed,
            priority=spec.priority,
            families=[f.value for f in plan.families],
            task_domain=task.domain.value if task.domain else None,
            task_architecture=task.architecture.value if task.architecture else None,
            task_regime=task.regime.value if task.regime else None,
            advice=advice.model_dump(mode="json"),
            dimensions=stored_dimensions(spec),
            consecutive_failures=0,
            created_at=self._context.clock(),
        )
        studies = self._context.studies
        with self._context.database.unit_of_work() as session:
            defaults = max(0, warm_start_count(plan.families, n_trials) - len(first))
            studies.create(job_id, plan, defaults, first)
            try:
                session.add(row)
                session.flush()
            except BaseException:
                studies.delete(plan.study_name)
                raise
        Asker(self._context).schedule(job_id)  # so that the first lease finds a trial ready
        with self._context.database.reading() as session:
            return job_view(session, find_job(session, principal, job_id), {})

    def get(
        self,
        principal: Principal,
        job_id: str,
        prefer: str | None = None,
        weights: str | None = None,
    ) -> Job:
        """``prefer``/``weights`` choose ``best`` among a multi-objective job's front
        (service.pareto); a single-objective job takes them too when they name its metric."""
        require_reader(principal)
        with self._context.database.reading() as session:
            job = find_job(session, principal, job_id)
            preference = Preference.parse(prefer, weights, objectives_of(job))
            return job_view(session, job, state_counts(session, [job.id])[job.id], preference)

    def pareto(self, principal: Principal, job_id: str) -> ParetoFront:
        """The complete, feasible, non-dominated trials (service.pareto), by first objective."""
        require_reader(principal)
        with self._context.database.reading() as session:
            job = find_job(session, principal, job_id)
            objectives = objectives_of(job)
            rows = front_rows(session, job, objectives)
            storage = self._context.studies.storage
            return ParetoFront(
                objectives=objectives,
                constraints=constraints_of(job),
                trials=tuple(trial_view(row, storage) for row in rows),
            )

    def list(
        self, principal: Principal, limit: int, offset: int, state: JobState | None
    ) -> Page[Job]:
        require_reader(principal)
        query = select(JobRow).options(undefer(JobRow.advice))  # each view shows it
        if principal.scope is TokenScope.USER:
            query = query.where(JobRow.owner_token_id == principal.token_id)
        if state is not None:
            query = query.where(JobRow.state == state.value)
        with self._context.database.reading() as session:
            total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
            rows = session.scalars(
                query.order_by(JobRow.created_at.desc(), JobRow.id).limit(limit).offset(offset)
            ).all()
            return Page[Job](
                items=tuple(job_views(session, rows)), total=total, limit=limit, offset=offset
            )

    def cancel(self, principal: Principal, job_id: str) -> Job:
        require_reader(principal)
        with self._context.database.unit_of_work() as session:
            job = find_job(session, principal, job_id, lock=True)
            state = JobState(job.state)
            if state in (JobState.COMPLETED, JobState.FAILED):
                raise ConflictError(
                    f"job {job_id!r} already ended ({state.value}); nothing to cancel"
                )
            if state.is_open:
                job.state = JobState.CANCELLED.value
                job.ended_at = self._context.clock()
                job.ended_reason = "cancelled by request; running trials may still finish"
        StudyCloser(self._context).close(job_id)
        return self.get(principal, job_id)


class StudyCloser:
    """Fails the Optuna trials of ended jobs that no lease will ever end: WAITING ones (retries
    and warm starts queued) and RUNNING ones that neither a lease nor an ask-ahead row holds
    (a process died between asking Optuna and recording the lease). Trials a lease holds end
    with it (complete or expiry); trials asked ahead are released by the sweeper.

    Runs on cancel and in the background sweep. Each pass looks at the jobs that ended since
    the previous one (all ended jobs on its first pass, so a restart catches up).
    """

    def __init__(self, context: ServiceContext) -> None:
        self._context = context
        self._since: datetime | None = None

    def close_ended(self) -> int:
        """One pass; returns how many Optuna trials were failed."""
        started = self._context.clock()
        query = select(JobRow.id).where(
            JobRow.state.not_in([JobState.QUEUED.value, JobState.RUNNING.value])
        )
        if self._since is not None:
            query = query.where(JobRow.ended_at >= self._since - _END_COMMIT_SLACK)
        with self._context.database.reading() as session:
            job_ids = session.scalars(query).all()
        closed = sum(self.close(job_id) for job_id in job_ids)
        self._since = started
        return closed

    def close(self, job_id: str) -> int:
        """Fail the job's unleased Optuna trials if the job has ended; how many were failed."""
        studies = self._context.studies
        with self._context.database.unit_of_work() as session:
            job = session.scalars(
                select(JobRow).where(JobRow.id == job_id).with_for_update()
            ).first()
            if job is None or JobState(job.state).is_open:
                return 0
            try:
                unsettled = studies.unfinished_trials(job.study_name)
            except KeyError:  # no such study (deleted by hand in Optuna's tools): nothing left
                return 0
            if not unsettled:
                return 0
            held = set(
                session.scalars(
                    select(TrialLeaseRow.trial_id).where(
                        TrialLeaseRow.job_id == job_id,
                        TrialLeaseRow.state == TrialState.RUNNING.value,
                    )
                )
            )
            held |= set(
                session.scalars(
                    select(AskedAheadRow.trial_id).where(AskedAheadRow.job_id == job_id)
                )
            )
            reason = f"{NEVER_LEASED}: the job {job.state} first"
            failed = 0
            for trial in unsettled:
                if trial_id_of(trial) in held:
                    continue
                try:
                    studies.storage.set_trial_user_attr(trial_id_of(trial), REASON_ATTR, reason)
                    studies.storage.set_trial_state_values(trial_id_of(trial), OptunaState.FAIL)
                except UpdateFinishedTrialError:
                    # Optuna's writes are not in our transaction, and on SQLite the row lock
                    # above is a no-op: a cancel and the background sweep can close one job at
                    # once, and the other pass has already failed this trial.
                    continue
                failed += 1
        if failed:
            _log.info("job %s: %d Optuna trials never leased, failed as such", job_id, failed)
        return failed


def _default_name(spec: JobCreate, plan: StudyPlan) -> str:
    about = spec.task.description or (spec.task.domain.value if spec.task.domain else "task")
    about = about if len(about) <= 60 else about[:57] + "..."
    return f"{'/'.join(f.value for f in plan.families)}: {about}"
