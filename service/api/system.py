"""Health, readiness, metrics, and the advisor's answers (advice and recommendations)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from advisor import Advice, AdvisorError, Architecture, Domain, Regime, TaskDescription, advise
from advisor.task import MAX_DESCRIPTION_CHARS
from service.api.deps import Caller, Context, Recommender
from service.api.responses import PROBLEMS, PROMETHEUS_TEXT
from service.db.migrate import current_revision, head_revision
from service.errors import InvalidInputError
from service.evidence.service import LearningService
from service.jobs import require_reader
from service.pareto import Preference
from tunewise.wire.models import (
    AdviceComparison,
    Direction,
    Readiness,
    Recommendations,
    TaskKind,
)

router = APIRouter(responses=PROBLEMS)

#: The most items one recommendations answer lists.
MAX_RECOMMENDATIONS = 50


@router.get("/healthz", tags=["system"], summary="Liveness (no token needed)")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    tags=["system"],
    summary="Readiness: the database answers and its migrations are at head",
    responses={503: {"model": Readiness, "description": "Not ready"}},
)
def readyz(ctx: Context, caller: Caller, response: Response) -> Readiness:
    reachable = ctx.database.ping()
    revision = current_revision(ctx.database.engine) if reachable else None
    head = head_revision()
    ready = reachable and revision == head
    if not ready:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return Readiness(
        status="ready" if ready else "unavailable",
        database=reachable,
        migrations=f"{revision or 'none'} (head {head})",
    )


@router.get(
    "/metrics",
    tags=["system"],
    summary="Prometheus metrics (text exposition format)",
    response_class=Response,
    responses=PROMETHEUS_TEXT,
)
def metrics(ctx: Context, caller: Caller) -> Response:
    return Response(generate_latest(ctx.metrics.registry), media_type=CONTENT_TYPE_LATEST)


@router.post("/v1/advice", tags=["advice"], summary="Advice for a task (no side effects)")
def advice(
    *,
    task: TaskDescription,
    caller: Caller,
    ctx: Context,
    learned: Annotated[
        bool,
        Query(
            description="Answer the static advice and the advice learned from your similar "
            "ended jobs side by side, with every change and its source (an AdviceComparison)"
        ),
    ] = False,
    workload: Annotated[
        str | None,
        Query(max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$"),
    ] = None,
    metric: Annotated[str, Query(min_length=1, max_length=100)] = "val_loss",
    direction: Direction = "minimize",
    everyone: Annotated[
        bool, Query(description="Admin tokens: learn from every token's jobs")
    ] = False,
) -> Advice | AdviceComparison:
    try:
        static = advise(task)
    except AdvisorError as exc:
        raise InvalidInputError(str(exc), field="task") from exc
    if not learned:
        return static
    require_reader(caller)
    return LearningService(ctx).compare(
        caller, static, workload=workload, metric=metric, direction=direction, everyone=everyone
    )


@router.get(
    "/v1/recommendations",
    tags=["advice"],
    summary="Best-known configs for a kind of task, from finished jobs, then the advisor",
)
def recommendations(
    *,
    caller: Caller,
    recommender: Recommender,
    description: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=MAX_DESCRIPTION_CHARS,
            description="The task in words (English or Chinese), as for advice",
        ),
    ] = None,
    domain: Domain | None = None,
    architecture: Architecture | None = None,
    regime: Regime | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_RECOMMENDATIONS, description="Items at most")] = 5,
    prefer: Annotated[
        str | None,
        Query(
            max_length=100,
            description="Jobs with several objectives: their front's best on this objective",
        ),
    ] = None,
    weights: Annotated[
        str | None,
        Query(
            max_length=1000,
            description="Jobs with several objectives: weighted sum of "
            "the normalised objectives, e.g. `val_loss:0.7,train_seconds:0.3`",
        ),
    ] = None,
) -> Recommendations:
    """With ``domain`` or ``description``: your ended jobs' best configs for that kind of task,
    most recent first, then the advisor's defaults. With neither: the best config of your most
    recent ended job of each kind (narrowed by ``architecture`` and ``regime`` when given)."""
    require_reader(caller)
    preference = Preference.parse_any(prefer, weights)
    if description is None and domain is None:
        kind = TaskKind(domain=None, architecture=architecture, regime=regime)
        return recommender.recent(caller, kind, limit, preference)
    task = TaskDescription(
        description=description, domain=domain, architecture=architecture, regime=regime
    )
    return recommender.recommend(caller, task, limit, preference)
