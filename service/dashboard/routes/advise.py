"""The advise form (words in English or Chinese, or fields) and the recommendations page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import ValidationError
from sqlalchemy import select
from starlette.responses import Response

from advisor import (
    Advice,
    AdvisorError,
    Architecture,
    Domain,
    Priority,
    Regime,
    Symptom,
    TaskDescription,
    TrainConfig,
    advise,
)
from service.auth import Principal
from service.context import ServiceContext
from service.dashboard.forms import optional_enum, optional_int
from service.dashboard.present import config_summary
from service.dashboard.queries import known_workloads
from service.dashboard.rendering import render
from service.dashboard.security import context_of, viewer
from service.db import JobRow
from service.errors import InvalidInputError
from service.jobs import require_reader
from service.recommendations import RecommendationService
from tunewise.wire.models import JobState, Recommendation, TaskKind, TokenScope

router = APIRouter()
Viewer = Annotated[Principal, Depends(viewer)]
SELECTS: tuple[tuple[str, type[Any]], ...] = (
    ("domain", Domain),
    ("architecture", Architecture),
    ("regime", Regime),
    ("priority", Priority),
)
NUMBERS = ("model_params", "dataset_size", "batch_size", "epochs", "steps", "budget_trials")
#: Recommendations per kind of task.
PER_KIND = 3


@dataclass(frozen=True)
class AdviseForm:
    description: str | None
    values: dict[str, str]
    symptoms: tuple[str, ...]

    @property
    def has_fields(self) -> bool:
        return bool(self.values or self.symptoms)

    @property
    def is_empty(self) -> bool:
        return not (self.description or self.has_fields)

    def task(self) -> TaskDescription:
        given: dict[str, Any] = {"description": self.description}
        for name, kind in SELECTS:
            given[name] = optional_enum(kind, self.values.get(name), name)
        for name in NUMBERS:
            given[name] = optional_int(self.values.get(name), name)
        given["symptoms"] = tuple(optional_enum(Symptom, s, "symptoms") for s in self.symptoms)
        return TaskDescription.model_validate({k: v for k, v in given.items() if v is not None})


@dataclass(frozen=True)
class RecommendationGroup:
    title: str
    items: list[RecommendationView] = field(default_factory=list)


@dataclass(frozen=True)
class RecommendationView:
    config: TrainConfig
    summary: str
    value: float | None
    metric: str | None
    job_id: str | None
    detail: str

    @classmethod
    def of(cls, item: Recommendation) -> RecommendationView:
        return cls(
            config=item.config,
            summary=config_summary(item.config.model_dump(mode="json")),
            value=item.value,
            metric=item.metric,
            job_id=item.job_id,
            detail=item.detail,
        )


def _choices() -> list[tuple[str, list[str]]]:
    return [(name, [m.value for m in kind]) for name, kind in SELECTS]


@router.get("/advise", name="advise")
def advise_page(
    request: Request,
    principal: Viewer,
    description: Annotated[str | None, Query(max_length=4000)] = None,
    symptoms: Annotated[list[str] | None, Query(max_length=len(Symptom))] = None,
) -> Response:
    require_reader(principal)
    params = request.query_params
    form = AdviseForm(
        description=(description or "").strip() or None,
        values={
            name: params[name][:32]
            for name in [n for n, _ in SELECTS] + list(NUMBERS)
            if params.get(name, "").strip()
        },
        symptoms=tuple(symptoms or ()),
    )
    advice: Advice | None = None
    error: str | None = None
    task_json = ""
    if not form.is_empty:
        try:
            task = form.task()
            advice = advise(task)
            task_json = task.model_dump_json(exclude_none=True, exclude_defaults=True)
        except (AdvisorError, ValidationError, InvalidInputError) as exc:
            error = _problem(exc)
    with context_of(request).database.reading() as session:
        workloads = known_workloads(session, principal)
    return render(
        request,
        "advise.html",
        status_code=422 if error else 200,
        here="advise",
        form=form,
        selects=_choices(),
        numbers=NUMBERS,
        symptoms=[s.value for s in Symptom],
        advice=advice,
        error=error,
        task_json=task_json,
        workloads=workloads,
    )


def _problem(exc: AdvisorError | ValidationError | InvalidInputError) -> str:
    if isinstance(exc, InvalidInputError):
        return exc.message
    if isinstance(exc, ValidationError):
        problem = exc.errors()[0]
        where = ".".join(str(p) for p in problem["loc"])
        return f"{where + ': ' if where else ''}{problem['msg']}"
    return str(exc)


@router.get("/recommendations", name="recommendations")
def recommendations_page(
    request: Request,
    principal: Viewer,
    *,
    description: Annotated[str | None, Query(max_length=4000)] = None,
    domain: Annotated[str | None, Query(max_length=32)] = None,
    architecture: Annotated[str | None, Query(max_length=32)] = None,
    regime: Annotated[str | None, Query(max_length=32)] = None,
) -> Response:
    require_reader(principal)
    ctx = context_of(request)
    service = RecommendationService(ctx)
    query = {
        "description": description,
        "domain": domain,
        "architecture": architecture,
        "regime": regime,
    }
    groups: list[RecommendationGroup] = []
    error: str | None = None
    if (description or "").strip() or domain:
        try:
            task = TaskDescription(
                description=(description or "").strip() or None,
                domain=optional_enum(Domain, domain, "domain"),
                architecture=optional_enum(Architecture, architecture, "architecture"),
                regime=optional_enum(Regime, regime, "regime"),
            )
            found = service.recommend(principal, task, PER_KIND * 2)
            groups.append(
                RecommendationGroup(
                    f"For {_kind_title(found.kind)}",
                    [RecommendationView.of(i) for i in found.items],
                )
            )
        except ValidationError as exc:
            error = _problem(exc)
    for kind in _finished_kinds(ctx, principal):
        assert kind.domain is not None  # only kinds with a domain are listed
        task = TaskDescription(
            domain=kind.domain, architecture=kind.architecture, regime=kind.regime
        )
        items = [
            RecommendationView.of(i)
            for i in service.recommend(principal, task, PER_KIND).items
            if i.source == "job"
        ]
        if items:
            groups.append(RecommendationGroup(_kind_title(kind), items))
    return render(
        request,
        "recommendations.html",
        here="recommendations",
        query=query,
        selects=_choices()[:3],
        groups=groups,
        error=error,
    )


def _finished_kinds(ctx: ServiceContext, principal: Principal) -> list[TaskKind]:
    """The kinds of task (domain, architecture, regime) that completed jobs were about."""
    query = select(JobRow.task_domain, JobRow.task_architecture, JobRow.task_regime).where(
        JobRow.state == JobState.COMPLETED.value, JobRow.task_domain.is_not(None)
    )
    if principal.scope is TokenScope.USER:
        query = query.where(JobRow.owner_token_id == principal.token_id)
    with ctx.database.reading() as session:
        rows = {(d, a, r) for d, a, r in session.execute(query.distinct())}
    kinds = [
        TaskKind(
            domain=Domain(d) if d else None,
            architecture=Architecture(a) if a else None,
            regime=Regime(r) if r else None,
        )
        for d, a, r in rows
    ]
    return sorted(kinds, key=_kind_title)


def _kind_title(kind: TaskKind) -> str:
    parts = [v.value for v in (kind.domain, kind.architecture, kind.regime) if v is not None]
    return " · ".join(parts) or "any task"
