"""Multi-objective studies written with Optuna's own API in the layout the service writes
(the multi-objective contract): directions and metric names, the job's constraints as the
study user attr "tunewise:constraints", Optuna's "constraints" system attr and the "values"
user attr on each trial; plus the lease rows the service keeps beside them."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution
from optuna.trial import TrialState
from sqlalchemy import insert, update

from service.context import ServiceContext
from service.db import JobRow, TrialLeaseRow
from service.tuning.optuna_seam import trial_id_of

Objectives = list[tuple[str, str]]


@dataclass(frozen=True)
class Outcome:
    """One finished trial: its family, lr and every value it reported."""

    family: str
    lr: float
    values: dict[str, float] = field(default_factory=dict)
    state: str = "complete"


def violations(constraints: list[dict[str, Any]], values: dict[str, float]) -> list[float]:
    """Optuna's convention: <= 0 is satisfied (value - max, or min - value)."""
    return [
        values[c["metric"]] - c["max"] if "max" in c else c["min"] - values[c["metric"]]
        for c in constraints
    ]


def write_study(
    context: ServiceContext,
    job_id: str,
    objectives: Objectives,
    trials: list[Outcome],
    constraints: list[dict[str, Any]] | None = None,
) -> optuna.Study:
    """Give the job a new study laid out as the contract says, holding ``trials`` (finished
    through Optuna's ``Study.add_trial``), and record their lease rows."""
    constraints = constraints or []
    name = f"{job_id}-several-objectives"
    study = optuna.create_study(
        study_name=name, storage=context.studies.storage, directions=[d for _, d in objectives]
    )
    with warnings.catch_warnings():  # experimental since Optuna 3.2, and what the contract names
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        study.set_metric_names([m for m, _ in objectives])
    study.set_user_attr("tunewise:constraints", constraints)
    families = sorted({t.family for t in trials})
    for outcome in trials:
        complete = outcome.state == "complete"
        study.add_trial(
            optuna.trial.create_trial(
                state=TrialState.COMPLETE if complete else TrialState.PRUNED,
                params={"optimizer": outcome.family, "lr": outcome.lr},
                distributions={
                    "optimizer": CategoricalDistribution(families),
                    "lr": FloatDistribution(1e-6, 1.0, log=True),
                },
                values=[outcome.values[m] for m, _ in objectives] if complete else None,
                system_attrs=(
                    {"constraints": violations(constraints, outcome.values)}
                    if constraints and complete
                    else {}
                ),
                user_attrs={"values": outcome.values},
            )
        )
    now = datetime.now(UTC)
    rows = [
        {
            "trial_id": trial_id_of(trial),
            "job_id": job_id,
            "number": trial.number,
            "attempt": 0,
            "state": outcome.state,
            "params": {"optimizer": outcome.family, "lr": outcome.lr, "weight_decay": 0.01},
            "study_params": trial.params,
            "leased_at": now - timedelta(seconds=10),
            "finished_at": now,
            "value": trial.values[0] if trial.values else None,
            "reason": None if outcome.state == "complete" else outcome.state,
        }
        for trial, outcome in zip(study.trials, trials, strict=True)
    ]
    with context.database.unit_of_work() as session:
        # The job's own study (made at creation, one objective) stays, unused.
        session.execute(update(JobRow).where(JobRow.id == job_id).values(study_name=name))
        session.execute(insert(TrialLeaseRow), rows)
    return study
