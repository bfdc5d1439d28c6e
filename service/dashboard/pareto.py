"""The view-model of a multi-objective job's Pareto page: two of its objectives plotted
against each other, its front, and each family's part in the trade-off."""

from __future__ import annotations

from dataclasses import dataclass

from service.auth import Principal
from service.context import ServiceContext
from service.dashboard.front import FamilyTradeoff, family_tradeoffs, pareto_front
from service.dashboard.jobpage import Figure as PageFigure
from service.dashboard.objectives import (
    ObjectivePoint,
    StudyLayout,
    objective_points,
    study_layout,
)
from service.dashboard.plots.pareto import pareto_scatter
from service.dashboard.plots.style import to_json
from service.errors import InvalidInputError, NotFoundError
from service.jobs import JobService
from tunewise.wire.models import Job


@dataclass(frozen=True)
class ParetoPage:
    job: Job
    layout: StudyLayout
    #: The objectives on the plot's x and y axes (indices into ``layout.objectives``).
    x: int
    y: int
    figure: PageFigure
    front: list[ObjectivePoint]
    families: list[FamilyTradeoff]
    complete: int
    infeasible: int


def build_pareto_page(
    ctx: ServiceContext, principal: Principal, job_id: str, x: str | None, y: str | None
) -> ParetoPage:
    job = JobService(ctx).get(principal, job_id)  # checks that this principal may see it
    try:
        study_id = ctx.studies.storage.get_study_id_from_name(job.study_name)
    except KeyError:
        raise NotFoundError(f"job {job.id}'s Optuna study is missing", field="job_id") from None
    with ctx.database.reading() as session:
        layout = study_layout(session, study_id, job.objective.metric)
        if not layout.several:
            raise NotFoundError(
                f"job {job.id} has one objective, so it has no Pareto front; its page shows "
                "the best value so far",
                field="job_id",
            )
        points = objective_points(session, job.id, study_id, layout)
    chosen_y = _axis(layout, y, "y")
    x_index = _axis(layout, x, "x")
    if x_index is None:
        x_index = 1 if chosen_y == 0 else 0
    y_index = chosen_y if chosen_y is not None else (1 if x_index == 0 else 0)
    if x_index == y_index:
        raise InvalidInputError(
            "x and y must be two different objectives, one of " + ", ".join(layout.metrics),
            field="y",
        )
    front = pareto_front(points, layout.objectives)
    scored = [p for p in points if p.scored]
    return ParetoPage(
        job=job,
        layout=layout,
        x=x_index,
        y=y_index,
        figure=PageFigure(
            "pareto", to_json(pareto_scatter(points, layout, x_index, y_index, front))
        ),
        front=front,
        families=family_tradeoffs(points, layout.objectives, front),
        complete=len(scored),
        infeasible=sum(1 for p in scored if not p.feasible),
    )


def _axis(layout: StudyLayout, metric: str | None, field: str) -> int | None:
    if not metric:
        return None
    if metric not in layout.metrics:
        raise InvalidInputError(
            f"{field} must be one of the job's objectives ({', '.join(layout.metrics)}), "
            f"not {metric!r}",
            field=field,
        )
    return layout.metrics.index(metric)
