"""A multi-objective job's Pareto page: two of its objectives against each other (chosen
with ``x`` and ``y``), its front and each family's part in the trade-off."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from starlette.responses import Response

from service.auth import Principal
from service.dashboard.pareto import build_pareto_page
from service.dashboard.plots.pareto import config_text
from service.dashboard.rendering import render
from service.dashboard.routes.jobs import options_of
from service.dashboard.security import context_of, viewer

router = APIRouter()
Viewer = Annotated[Principal, Depends(viewer)]
JobId = Annotated[str, Path(min_length=1, max_length=64)]
Metric = Annotated[str | None, Query(max_length=100)]


@router.get("/jobs/{job_id}/pareto", name="pareto")
async def pareto_page(
    request: Request, principal: Viewer, *, job_id: JobId, x: Metric = None, y: Metric = None
) -> Response:
    page = await run_in_threadpool(build_pareto_page, context_of(request), principal, job_id, x, y)
    poll_ms = int(options_of(request).poll_interval_s * 1000)
    return render(request, "pareto.html", page=page, config_text=config_text, poll_ms=poll_ms)
