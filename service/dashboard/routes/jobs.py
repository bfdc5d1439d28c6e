"""The jobs list, a job's page, their live JSON, and the forms that create or cancel a job."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, ValidationError
from starlette.responses import RedirectResponse, Response

from advisor import OptimizerName, TaskDescription
from service.auth import Principal
from service.dashboard.forms import first, optional_enum, optional_int, read_form
from service.dashboard.jobpage import TableRequest, build_job_page
from service.dashboard.options import DashboardOptions
from service.dashboard.present import percent
from service.dashboard.queries import (
    JobFilter,
    TrialSort,
    families_tried,
    known_workloads,
    list_jobs,
)
from service.dashboard.rendering import UI_PREFIX, render
from service.dashboard.security import context_of, require_same_site, viewer
from service.errors import InvalidInputError
from service.jobs import JobService, require_reader
from service.views import job_views
from tunewise.wire.models import Budget, Job, JobCreate, JobState, Objective, Progress, TrialState

router = APIRouter()
Viewer = Annotated[Principal, Depends(viewer)]
JobId = Annotated[str, Path(min_length=1, max_length=64)]
Text = Annotated[str | None, Query(max_length=200)]
PageNumber = Annotated[int, Query(ge=1, le=10**6)]
#: Jobs a live request may ask about at once (a page of the list).
MAX_LIVE_IDS = 200
#: (sort key, column label, numeric) of the trial table, in order; None: not sortable.
TRIAL_COLUMNS = (
    (TrialSort.NUMBER, "#", True),
    (TrialSort.STATE, "State", False),
    (TrialSort.FAMILY, "Family", False),
    (TrialSort.VALUE, "Value", True),
    (TrialSort.LR, "lr", True),
    (None, "Config", False),
    (None, "Reason", False),
    (TrialSort.FINISHED, "Took", False),
)


def options_of(request: Request) -> DashboardOptions:
    found: DashboardOptions = request.app.state.options
    return found


@dataclass(frozen=True)
class JobListRow:
    job: Job
    #: Families at least one of its trials trained with.
    tried: list[str]
    percent: int


class LiveJob(BaseModel):
    """What a page refreshes while a job runs."""

    model_config = ConfigDict(frozen=True)

    id: str
    state: JobState
    is_open: bool
    progress: Progress
    percent: int
    best_value: float | None
    best_number: int | None
    ended_reason: str | None

    @classmethod
    def of(cls, job: Job) -> LiveJob:
        return cls(
            id=job.id,
            state=job.state,
            is_open=job.state.is_open,
            progress=job.progress,
            percent=percent(job.progress),
            best_value=job.best.value if job.best else None,
            best_number=job.best.number if job.best else None,
            ended_reason=job.ended_reason,
        )


class LiveJobs(BaseModel):
    model_config = ConfigDict(frozen=True)

    jobs: tuple[LiveJob, ...]


@router.get("/jobs", name="jobs")
def jobs_page(
    request: Request,
    principal: Viewer,
    *,
    state: Text = None,
    workload: Text = None,
    family: Text = None,
    q: Text = None,
    page: PageNumber = 1,
) -> Response:
    require_reader(principal)
    options = options_of(request)
    where = JobFilter(
        state=optional_enum(JobState, state, "state"),
        workload=workload or None,
        family=optional_enum(OptimizerName, family, "family"),
        text=(q or "").strip() or None,
    )
    ctx = context_of(request)
    with ctx.database.reading() as session:
        rows, total = list_jobs(
            session, principal, where, options.page_size, (page - 1) * options.page_size
        )
        jobs = job_views(session, rows)
        tried = families_tried(session, [j.id for j in jobs])
        workloads = known_workloads(session, principal)
    open_ids = [j.id for j in jobs if j.state.is_open]
    query = {
        k: v
        for k, v in (("state", state), ("workload", workload), ("family", family), ("q", q))
        if v
    }

    def page_url(number: int) -> str:
        return f"{UI_PREFIX}/jobs?{urlencode({**query, 'page': number})}"

    return render(
        request,
        "jobs.html",
        here="jobs",
        rows=[
            JobListRow(j, [f.value for f in tried.get(j.id, [])], percent(j.progress)) for j in jobs
        ],
        total=total,
        page=page,
        pages=max(1, math.ceil(total / options.page_size)),
        page_url=page_url,
        filters=where,
        states=[s.value for s in JobState],
        families=[f.value for f in OptimizerName],
        workloads=workloads,
        live_url=f"{UI_PREFIX}/jobs/live?{urlencode([('id', i) for i in open_ids])}"
        if open_ids
        else None,
        poll_ms=int(options.poll_interval_s * 1000),
    )


@router.get("/jobs/live", name="live_jobs")
def live_jobs(
    request: Request,
    principal: Viewer,
    job_id: Annotated[list[str], Query(alias="id", max_length=MAX_LIVE_IDS)],
) -> LiveJobs:
    service = JobService(context_of(request))
    return LiveJobs(jobs=tuple(LiveJob.of(service.get(principal, i)) for i in job_id))


@router.get("/jobs/{job_id}", name="job")
async def job_page(
    request: Request,
    principal: Viewer,
    *,
    job_id: JobId,
    sort: Text = None,
    order: Text = None,
    tstate: Text = None,
    tpage: PageNumber = 1,
) -> Response:
    options = options_of(request)
    table = TableRequest(
        sort=optional_enum(TrialSort, sort, "sort") or TrialSort.NUMBER,
        descending=order == "desc",
        state=optional_enum(TrialState, tstate, "tstate"),
        page=tpage,
    )
    page = await run_in_threadpool(
        build_job_page, context_of(request), principal, job_id, table, options.page_size
    )
    base = {"sort": table.sort.value, "order": "desc" if table.descending else "asc"}
    if table.state:
        base["tstate"] = table.state.value

    def sort_url(key: TrialSort) -> str:
        flip = key == table.sort and not table.descending
        wanted = {**base, "sort": key.value, "order": "desc" if flip else "asc"}
        return f"{UI_PREFIX}/jobs/{page.job.id}?{urlencode(wanted)}"

    def table_page_url(number: int) -> str:
        return f"{UI_PREFIX}/jobs/{page.job.id}?{urlencode({**base, 'tpage': number})}"

    return render(
        request,
        "job.html",
        page=page,
        percent=percent(page.job.progress),
        poll_ms=int(options.poll_interval_s * 1000),
        columns=TRIAL_COLUMNS,
        trial_states=[s.value for s in TrialState],
        sort_url=sort_url,
        table_page_url=table_page_url,
    )


@router.post("/jobs", name="create_job")
async def create_job(request: Request, principal: Viewer) -> Response:
    require_same_site(request)
    form = await read_form(request)
    task_json = first(form, "task")
    if task_json is None:
        raise InvalidInputError("the form lost its task; get advice again", field="task")
    try:
        spec = JobCreate(
            name=first(form, "name"),
            task=TaskDescription.model_validate_json(task_json),
            workload=first(form, "workload"),
            objective=Objective(
                metric=first(form, "metric") or "val_loss",
                direction="maximize" if first(form, "direction") == "maximize" else "minimize",
            ),
            budget=Budget(
                n_trials=optional_int(first(form, "n_trials"), "n_trials", high=100_000),
                max_epochs=optional_int(first(form, "max_epochs"), "max_epochs", high=100_000),
            ),
        )
    except ValidationError as exc:
        problem = exc.errors()[0]
        field = ".".join(str(p) for p in problem["loc"]) or "form"
        raise InvalidInputError(f"{field}: {problem['msg']}", field=field) from exc
    job = await run_in_threadpool(JobService(context_of(request)).create, principal, spec)
    return RedirectResponse(f"{UI_PREFIX}/jobs/{job.id}", status_code=303)


@router.post("/jobs/{job_id}/cancel", name="cancel_job")
async def cancel_job(request: Request, principal: Viewer, job_id: JobId) -> Response:
    require_same_site(request)
    await run_in_threadpool(JobService(context_of(request)).cancel, principal, job_id)
    return RedirectResponse(f"{UI_PREFIX}/jobs/{job_id}", status_code=303)
