"""Jobs: created from a JobCreate (advice, study, warm starts), read, listed and cancelled."""

from __future__ import annotations

import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from advisor import AdvisorError, advise
from service.asking import Asker
from service.auth import Principal
from service.context import ServiceContext, utc_now
from service.db import JobRow
from service.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from service.schemas import Job, JobCreate, JobState, Page, TokenScope
from service.tuning.studies import StudyPlan, warm_start_count
from service.views import job_view, job_views, state_counts


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
        try:
            advice = advise(spec.task)
        except AdvisorError as exc:
            raise InvalidInputError(str(exc), field="task") from exc
        families = spec.optimizers or advice.search.families
        n_trials = spec.budget.n_trials or advice.search.n_trials
        job_id = secrets.token_hex(8)
        plan = StudyPlan(
            study_name=f"tunewise-{job_id}",
            direction=spec.objective.direction,
            advice=advice,
            families=tuple(families),
            sampler=spec.sampler or advice.search.sampler,
            pruner=spec.pruner or advice.search.pruner,
            seed=spec.seed,
            max_epochs=spec.budget.max_epochs,
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
            metric=spec.objective.metric,
            direction=spec.objective.direction,
            n_trials=n_trials,
            timeout_s=spec.budget.timeout_s,
            max_epochs=spec.budget.max_epochs,
            sampler=plan.sampler,
            pruner=plan.pruner,
            seed=spec.seed,
            families=[f.value for f in plan.families],
            task_domain=task.domain.value if task.domain else None,
            task_architecture=task.architecture.value if task.architecture else None,
            task_regime=task.regime.value if task.regime else None,
            advice=advice.model_dump(mode="json"),
            consecutive_failures=0,
            created_at=utc_now(),
        )
        studies = self._context.studies
        with self._context.database.unit_of_work() as session:
            studies.create(job_id, plan, warm_start_count(plan.families, n_trials))
            try:
                session.add(row)
                session.flush()
            except BaseException:
                studies.delete(plan.study_name)
                raise
        Asker(self._context).schedule(job_id)  # so that the first lease finds a trial ready
        with self._context.database.reading() as session:
            return job_view(session, find_job(session, principal, job_id), {})

    def get(self, principal: Principal, job_id: str) -> Job:
        require_reader(principal)
        with self._context.database.reading() as session:
            job = find_job(session, principal, job_id)
            return job_view(session, job, state_counts(session, [job.id])[job.id])

    def list(
        self, principal: Principal, limit: int, offset: int, state: JobState | None
    ) -> Page[Job]:
        require_reader(principal)
        query = select(JobRow)
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
                job.ended_at = utc_now()
                job.ended_reason = "cancelled by request; running trials may still finish"
        return self.get(principal, job_id)


def _default_name(spec: JobCreate, plan: StudyPlan) -> str:
    about = spec.task.description or (spec.task.domain.value if spec.task.domain else "task")
    about = about if len(about) <= 60 else about[:57] + "..."
    return f"{'/'.join(f.value for f in plan.families)}: {about}"
