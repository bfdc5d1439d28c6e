"""The app factory: one ServiceContext per app, built from the settings given."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from service.api import ROUTERS
from service.api.errors import install_error_handlers
from service.api.limits import BodySizeLimit
from service.api.observe import RequestMetrics
from service.api.responses import document_body_errors
from service.context import ServiceContext
from service.dashboard import install_dashboard
from service.jobs import StudyCloser
from service.leases import LeaseService
from service.settings import ServiceSettings

_log = logging.getLogger(__name__)

DESCRIPTION = """\
Hyperparameter tuning with an optimizer advisor. Create a job from a task description; lease
its trials (your own training loop, or workers that run registered workloads), report each
step to get the pruner's verdict, and complete each trial exactly once.

Every endpoint but `/healthz` needs `Authorization: Bearer <token>`.
"""


def create_app(settings: ServiceSettings, context: ServiceContext | None = None) -> FastAPI:
    """The app; migrates the database to head unless an open ``context`` is handed in."""
    ctx = context or ServiceContext.open(settings)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        sweeper = asyncio.create_task(_sweep_forever(ctx))
        try:
            yield
        finally:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper
            ctx.close()

    app = FastAPI(
        title="tunewise",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    app.state.context = ctx
    for router in ROUTERS:
        app.include_router(router)
    _document_body_errors(app)
    install_error_handlers(app)
    install_dashboard(app, ctx)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestMetrics, metrics=ctx.metrics)
    return app


def _document_body_errors(app: FastAPI) -> None:
    """FastAPI builds the schema once, on first ask; the 400 of an unreadable body is added to
    it then (FastAPI has no per-route hook for a response it raises itself)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_body_errors(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


async def _sweep_forever(ctx: ServiceContext) -> None:
    """Expired leases are failed even when nobody leases or reports."""
    sweeper = LeaseService(ctx)
    closer = StudyCloser(ctx)  # and ended jobs leave nothing waiting or running in Optuna
    while True:
        await asyncio.sleep(ctx.settings.sweep_interval_s)
        try:
            await run_in_threadpool(sweeper.sweep)
            await run_in_threadpool(closer.close_ended)
        except Exception:  # a failed sweep must not stop the next one
            _log.exception("sweeping expired leases failed; retrying next interval")
