"""A job's objectives and constraints as its Optuna study records them, and each trial's
values on them, so the dashboard of a multi-objective or constrained job needs nothing but
the study (and our lease rows for family and config).

The layout read here is the one the service writes (docs: the multi-objective contract):
- the study's directions, in objective order, and its metric names
  (``Study.set_metric_names``, kept by Optuna as the study system attr
  ``"study:metric_names"``);
- the job's constraints as the study user attr ``"tunewise:constraints"``: a list of
  ``{"metric", "max"}`` or ``{"metric", "min"}`` in the job's order;
- per finished trial, Optuna's own constraints system attr ``"constraints"``: one float per
  constraint in that order, satisfied when <= 0 (Optuna's convention, read by its samplers'
  ``constraints_func`` and by ``optuna.visualization.plot_pareto_front``);
- per trial, everything it reported as the trial user attr ``"values"``.

Each is read with one query over Optuna's own tables, as ``queries.curves`` reads its
intermediate values: a job of 10k trials costs a handful of queries, never 10k lookups.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from optuna.study import StudyDirection
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.dashboard.queries import TrialPoint, point_of, point_rows
from service.tuning.optuna_seam import (
    CONSTRAINTS_SYSTEM_ATTR,
    METRIC_NAMES_SYSTEM_ATTR,
    StudyDirectionModel,
    StudySystemAttributeModel,
    StudyUserAttributeModel,
    TrialModel,
    TrialSystemAttributeModel,
    TrialUserAttributeModel,
    TrialValueModel,
)
from tunewise.wire.models import Direction, TrialState

#: Where Optuna keeps ``Study.set_metric_names`` (``"study:metric_names"``).
METRIC_NAMES_ATTR = METRIC_NAMES_SYSTEM_ATTR
#: The study user attr holding the job's constraints (the contract's name).
CONSTRAINTS_ATTR = "tunewise:constraints"
#: Optuna's trial system attr of constraint values (``"constraints"``).
TRIAL_CONSTRAINTS_ATTR = CONSTRAINTS_SYSTEM_ATTR
#: The trial user attr holding every value the trial reported.
TRIAL_VALUES_ATTR = "values"


@dataclass(frozen=True, slots=True)
class ObjectiveAxis:
    metric: str
    direction: Direction

    @property
    def better(self) -> str:
        return "lower is better" if self.direction == "minimize" else "higher is better"


@dataclass(frozen=True, slots=True)
class Bound:
    """A constraint on a metric: at most ``max`` or at least ``min``."""

    metric: str
    max: float | None = None
    min: float | None = None

    @property
    def text(self) -> str:
        return (
            f"{self.metric} ≤ {self.max:g}"
            if self.max is not None
            else f"{self.metric} ≥ {self.min:g}"
        )


@dataclass(frozen=True)
class StudyLayout:
    objectives: tuple[ObjectiveAxis, ...]
    constraints: tuple[Bound, ...] = ()

    @property
    def several(self) -> bool:
        """More than one objective: the job has a Pareto front."""
        return len(self.objectives) > 1

    @property
    def is_plain(self) -> bool:
        """One objective and no constraint: the job page stays as it always was."""
        return not self.several and not self.constraints

    @property
    def metrics(self) -> list[str]:
        return [axis.metric for axis in self.objectives]


@dataclass(frozen=True, slots=True)
class ObjectivePoint:
    """A trial as the multi-objective plots need it."""

    trial: TrialPoint
    #: Its value on each objective, in the study's order; None until it completes.
    values: tuple[float, ...] | None
    #: How far each constraint is violated (<= 0: satisfied), in the layout's order.
    violations: tuple[float, ...] = ()
    #: Everything it reported (objectives, constrained metrics and others).
    reported: Mapping[str, float] = field(default_factory=dict)
    #: Its config as the lease carried it (for hover text and tables).
    config: Mapping[str, Any] = field(default_factory=dict)

    @property
    def number(self) -> int:
        return self.trial.number

    @property
    def feasible(self) -> bool:
        """Every constraint satisfied; a trial with no constraint values is feasible (as
        Optuna's ``_get_feasible_trials`` treats it)."""
        return all(v <= 0.0 for v in self.violations)

    @property
    def scored(self) -> bool:
        """Complete, with a finite value on every objective."""
        return self.values is not None and all(math.isfinite(v) for v in self.values)


def on_objective(points: Sequence[ObjectivePoint], index: int) -> list[TrialPoint]:
    """The trials as single-objective points valued on objective ``index``: an infeasible
    or incomplete trial has no value, so no plot or table counts it as best."""
    return [
        dataclasses.replace(
            p.trial, value=p.values[index] if p.values and p.scored and p.feasible else None
        )
        for p in points
    ]


def study_layout(session: Session, study_id: int, fallback_metric: str) -> StudyLayout:
    """The study's objectives (direction and metric name) and the job's constraints. A study
    without metric names (one written before the contract) names its single objective
    ``fallback_metric`` and any further ones ``objective N``."""
    directions = session.scalars(
        select(StudyDirectionModel.direction)
        .where(StudyDirectionModel.study_id == study_id)
        .order_by(StudyDirectionModel.objective)
    ).all()
    names = _attr(session, StudySystemAttributeModel, study_id, METRIC_NAMES_ATTR) or []
    if len(names) != len(directions):
        names = [fallback_metric] + [f"objective {i}" for i in range(1, len(directions))]
    objectives = tuple(
        ObjectiveAxis(
            metric=str(name),
            direction="maximize" if direction is StudyDirection.MAXIMIZE else "minimize",
        )
        for name, direction in zip(names, directions, strict=True)
    )
    bounds = _attr(session, StudyUserAttributeModel, study_id, CONSTRAINTS_ATTR) or []
    constraints = tuple(
        Bound(metric=str(b["metric"]), max=_float(b.get("max")), min=_float(b.get("min")))
        for b in bounds
    )
    return StudyLayout(objectives=objectives, constraints=constraints)


def objective_points(
    session: Session, job_id: str, study_id: int, layout: StudyLayout
) -> list[ObjectivePoint]:
    """Every trial of the job by number: its family and config from our lease rows, its
    values, constraint values and reports from the study."""
    values = _trial_values(session, study_id, len(layout.objectives))
    violations = _trial_attrs(session, TrialSystemAttributeModel, study_id, TRIAL_CONSTRAINTS_ATTR)
    reported = _trial_attrs(session, TrialUserAttributeModel, study_id, TRIAL_VALUES_ATTR)
    points = []
    for row in session.execute(point_rows(job_id)):
        trial = point_of(*row)
        mine = values.get(trial.trial_id)
        points.append(
            ObjectivePoint(
                trial=trial,
                values=mine if trial.state is TrialState.COMPLETE else None,
                violations=tuple(float(v) for v in violations.get(trial.trial_id) or ()),
                reported={
                    str(k): float(v)
                    for k, v in (reported.get(trial.trial_id) or {}).items()
                    if isinstance(v, int | float)
                },
                config=row.params,
            )
        )
    return points


def _trial_values(session: Session, study_id: int, objectives: int) -> dict[int, tuple[float, ...]]:
    found: dict[int, list[float | None]] = {}
    rows = session.execute(
        select(
            TrialValueModel.trial_id,
            TrialValueModel.objective,
            TrialValueModel.value,
            TrialValueModel.value_type,
        )
        .join(TrialModel, TrialModel.trial_id == TrialValueModel.trial_id)
        .where(TrialModel.study_id == study_id)
    )
    for trial_id, objective, value, value_type in rows:
        if 0 <= objective < objectives:
            slots = found.setdefault(trial_id, [None] * objectives)
            # Optuna stores ±inf as a type with no number; this is its own decoding.
            slots[objective] = TrialValueModel.stored_repr_to_value(value, value_type)
    return {
        trial_id: tuple(v for v in slots if v is not None)
        for trial_id, slots in found.items()
        if all(v is not None for v in slots)
    }


def _attr(session: Session, model: Any, study_id: int, key: str) -> Any:
    text = session.scalar(
        select(model.value_json).where(model.study_id == study_id, model.key == key)
    )
    return json.loads(text) if text else None


def _trial_attrs(session: Session, model: Any, study_id: int, key: str) -> dict[int, Any]:
    rows = session.execute(
        select(model.trial_id, model.value_json)
        .join(TrialModel, TrialModel.trial_id == model.trial_id)
        .where(TrialModel.study_id == study_id, model.key == key)
    )
    return {trial_id: json.loads(text) for trial_id, text in rows if text}


def _float(value: Any) -> float | None:
    return None if value is None else float(value)
