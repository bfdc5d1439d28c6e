"""The view-model of a job's page: the job (state, progress, best, advice), its families
compared, its figures as JSON, and one page of its trial table."""

from __future__ import annotations

import math
from dataclasses import dataclass

from advisor import OptimizerName
from service.auth import Principal
from service.context import ServiceContext
from service.dashboard import plots
from service.dashboard.batching import Batching, batch_of, batching_of
from service.dashboard.importance import param_importance
from service.dashboard.objectives import StudyLayout, objective_points, on_objective, study_layout
from service.dashboard.plots.pareto import objective_history
from service.dashboard.plots.sampling import curve_subset
from service.dashboard.plots.style import Figure as PlotFigure
from service.dashboard.present import config_summary
from service.dashboard.queries import TrialSort, curves, trial_points, trial_table
from service.dashboard.snippet import snippet_of
from service.db import TrialLeaseRow
from service.jobs import JobService
from service.views import trial_view
from tunewise.wire.models import Job, Trial, TrialState


@dataclass(frozen=True)
class Figure:
    #: The element id; also names the figure in tests.
    key: str
    json: str


@dataclass(frozen=True)
class TrialRow:
    """A row of the trial table: the trial exactly as ``GET /v1/jobs/{id}/trials`` shows it
    (``service.views.trial_view``: state, value, values, feasible, params, reason, times), so
    the table and the API cannot disagree, and what the table adds to it."""

    trial: Trial
    #: The config in one line: its hyperparameters, the job's own dimensions, the schedule.
    summary: str
    #: K of the batched worker that leased it (``tunewise worker --batch K``); None: alone.
    batch: int | None = None

    @property
    def family(self) -> OptimizerName:
        return self.trial.params.optimizer

    @property
    def lr(self) -> float:
        return self.trial.params.lr


def trial_row(row: TrialLeaseRow) -> TrialRow:
    """The API's view of a lease row (without its curve, which the table does not show)."""
    trial = trial_view(row, storage=None)
    return TrialRow(
        trial=trial,
        summary=config_summary(trial.params.model_dump(mode="json", exclude_none=True)),
        batch=batch_of(trial.worker),
    )


@dataclass(frozen=True)
class TableRequest:
    sort: TrialSort = TrialSort.NUMBER
    descending: bool = False
    state: TrialState | None = None
    page: int = 1


@dataclass(frozen=True)
class TrialTable:
    rows: list[TrialRow]
    total: int
    page: int
    pages: int
    request: TableRequest


@dataclass(frozen=True)
class JobPage:
    job: Job
    families: list[plots.FamilyResult]
    figures: list[Figure]
    table: TrialTable
    snippet: str | None
    #: Optuna's id of the job's study: optuna-dashboard's URL for it.
    study_id: int | None
    #: How many of its trials batched workers trained; None when none did.
    batching: Batching | None = None
    #: Its objectives and constraints when it has several or any; None: one objective, plain.
    layout: StudyLayout | None = None


def build_job_page(
    ctx: ServiceContext, principal: Principal, job_id: str, table: TableRequest, page_size: int
) -> JobPage:
    job = JobService(ctx).get(principal, job_id)  # checks that this principal may see it
    direction, metric = job.objective.direction, job.objective.metric
    study_id = _study_id(ctx, job.study_name)
    histories: list[tuple[str, PlotFigure]] = []
    with ctx.database.reading() as session:
        layout = None if study_id is None else study_layout(session, study_id, metric)
        if layout is None or layout.is_plain:
            points = trial_points(session, job.id)
        else:
            # Several objectives or constraints: one history per objective, and the rest of
            # the page on the first objective over feasible trials only.
            assert study_id is not None
            scored = objective_points(session, job.id, study_id, layout)
            histories = [
                (f"history-{i + 1}", objective_history(scored, layout, i))
                for i in range(len(layout.objectives))
            ]
            points = on_objective(scored, 0)
            direction, metric = layout.objectives[0].direction, layout.objectives[0].metric
        drawn = curve_subset(points, direction, plots.families.CURVE_CAP)
        reported = curves(session, (p.trial_id for p in drawn))
        rows, total = trial_table(
            session,
            job.id,
            sort=table.sort,
            descending=table.descending,
            state=table.state,
            limit=page_size,
            offset=(table.page - 1) * page_size,
        )
        trial_rows = [trial_row(row) for row in rows]
        batching = batching_of(session, job.id)
    results = plots.family_results(points, direction)
    figures = [
        *(histories or [("best-so-far", plots.best_so_far(points, direction, metric))]),
        ("family-best", plots.family_best(results, metric)),
        ("learning-curves", plots.learning_curves(points, reported, direction, metric)),
        ("lr-value", plots.lr_vs_value(points, direction, metric)),
        ("parallel", plots.parallel_coordinates(points, direction, metric)),
        ("importance", plots.importance(param_importance(points))),
    ]
    return JobPage(
        job=job,
        families=results,
        figures=[Figure(key, plots.to_json(fig)) for key, fig in figures],
        table=TrialTable(
            rows=trial_rows,
            total=total,
            page=table.page,
            pages=max(1, math.ceil(total / page_size)),
            request=table,
        ),
        snippet=snippet_of(job.best.params) if job.best else None,
        study_id=study_id,
        batching=batching,
        layout=layout if layout is not None and not layout.is_plain else None,
    )


def _study_id(ctx: ServiceContext, study_name: str) -> int | None:
    try:
        return ctx.studies.storage.get_study_id_from_name(study_name)
    except KeyError:
        return None
