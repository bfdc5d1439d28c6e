"""Jobs, their trials, and leasing from one job: the routes of a client with its own loop."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Response, status

from service.api.deps import Caller, Jobs, Leases, Trials
from service.api.responses import (
    DEPRECATION,
    NO_TRIAL_DUE,
    OLD_FIELD_NAME_HEADERS,
    OPTIMIZERS_DEPRECATED_AT,
    PROBLEMS,
    lease_answer,
)
from service.errors import NotFoundError
from tunewise.wire.models import (
    Best,
    Job,
    JobCreate,
    JobLeaseRequest,
    JobState,
    Lease,
    Page,
    ParetoFront,
    Trial,
    TrialState,
)

router = APIRouter(prefix="/v1/jobs", tags=["jobs"], responses=PROBLEMS)

JobId = Annotated[str, Path(min_length=1, max_length=64, description="The job's id")]
Limit = Annotated[int, Query(ge=1, le=500, description="Page size")]
Offset = Annotated[int, Query(ge=0, le=10**9, description="Items to skip")]
Prefer = Annotated[
    str | None,
    Query(
        max_length=100,
        description="Several objectives: `best` is the front's best on this objective",
    ),
]
Weights = Annotated[
    str | None,
    Query(
        max_length=1000,
        description="Several objectives: `best` minimises the weighted sum of the objectives "
        "normalised over the front, e.g. `val_loss:0.7,train_seconds:0.3`",
    ),
]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create a tuning job",
    responses={201: {"headers": OLD_FIELD_NAME_HEADERS}},
)
def create_job(spec: JobCreate, caller: Caller, jobs: Jobs, response: Response) -> Job:
    """Runs the advisor on the task, creates the job's Optuna study over the advised families
    (or the ``families`` asked for) and enqueues the top families' defaults as warm-start trials."""
    if "optimizers" in spec.model_fields_set:
        response.headers[DEPRECATION] = OPTIMIZERS_DEPRECATED_AT
    return jobs.create(caller, spec)


@router.get("", summary="List jobs, newest first")
def list_jobs(
    *,
    caller: Caller,
    jobs: Jobs,
    limit: Limit = 50,
    offset: Offset = 0,
    state: Annotated[JobState | None, Query(description="Only jobs in this state")] = None,
) -> Page[Job]:
    return jobs.list(caller, limit, offset, state)


@router.get("/{job_id}", summary="One job: state, progress, best, advice")
def get_job(
    job_id: JobId, caller: Caller, jobs: Jobs, prefer: Prefer = None, weights: Weights = None
) -> Job:
    return jobs.get(caller, job_id, prefer, weights)


@router.post("/{job_id}/cancel", summary="Stop leasing; running trials may still finish")
def cancel_job(job_id: JobId, caller: Caller, jobs: Jobs) -> Job:
    return jobs.cancel(caller, job_id)


@router.get("/{job_id}/best", summary="The best complete (and feasible) trial so far")
def best_trial(
    job_id: JobId, caller: Caller, jobs: Jobs, prefer: Prefer = None, weights: Weights = None
) -> Best:
    best = jobs.get(caller, job_id, prefer, weights).best
    if best is None:
        raise NotFoundError(f"job {job_id!r} has no complete trial yet", field="job_id")
    return best


@router.get("/{job_id}/pareto", summary="The feasible non-dominated trials (Pareto front)")
def pareto_front(job_id: JobId, caller: Caller, jobs: Jobs) -> ParetoFront:
    """Complete trials that meet the job's constraints and that no other such trial beats on
    every objective, ordered by the first objective; a single-objective job's front is its
    best trial (or its ties)."""
    return jobs.pareto(caller, job_id)


@router.get("/{job_id}/trials", summary="The job's leased trials, by number")
def list_trials(
    *,
    job_id: JobId,
    caller: Caller,
    trials: Trials,
    limit: Limit = 50,
    offset: Offset = 0,
    state: Annotated[TrialState | None, Query(description="Only trials in this state")] = None,
) -> Page[Trial]:
    return trials.page(caller, job_id, limit, offset, state)


@router.post(
    "/{job_id}/lease",
    summary="Lease the job's next trial (204 when none is due)",
    responses=NO_TRIAL_DUE,
    response_model=Lease | list[Lease],
)
def lease_from_job(
    *,
    job_id: JobId,
    caller: Caller,
    leases: Leases,
    request: Annotated[JobLeaseRequest | None, Body()] = None,
) -> Lease | list[Lease] | Response:
    """Without ``count`` the answer is one Lease; with it, a list of up to ``count``."""
    count = request.count if request else None
    leased = leases.lease_job(caller, job_id, request.worker if request else None, count or 1)
    return lease_answer(leased, count)
