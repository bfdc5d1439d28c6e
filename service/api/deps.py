"""FastAPI dependencies: the app's context and the calling principal."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from service.auth import ANONYMOUS_ADMIN, Principal
from service.context import ServiceContext
from service.errors import UnauthorizedError
from service.jobs import JobService
from service.leases import LeaseService
from service.recommendations import RecommendationService
from service.trials import TrialReader

_bearer = HTTPBearer(auto_error=False, description="A tunewise token: tw_<key>_<secret>")


def context(request: Request) -> ServiceContext:
    found: ServiceContext = request.app.state.context
    return found


Context = Annotated[ServiceContext, Depends(context)]


def principal(
    ctx: Context,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if not ctx.settings.auth:
        return ANONYMOUS_ADMIN
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise UnauthorizedError("this endpoint needs a bearer token: Authorization: Bearer <token>")
    return ctx.verifier.verify(credentials.credentials)


Caller = Annotated[Principal, Depends(principal)]


def jobs(ctx: Context) -> JobService:
    return JobService(ctx)


def leases(ctx: Context) -> LeaseService:
    return LeaseService(ctx)


def recommendations(ctx: Context) -> RecommendationService:
    return RecommendationService(ctx)


def trials(ctx: Context) -> TrialReader:
    return TrialReader(ctx)


Jobs = Annotated[JobService, Depends(jobs)]
Leases = Annotated[LeaseService, Depends(leases)]
Recommender = Annotated[RecommendationService, Depends(recommendations)]
Trials = Annotated[TrialReader, Depends(trials)]
