"""The dashboard's reads: filtered job listings, a job's trials as compact points for the plots,
a sortable page of its trial table, and learning curves for a chosen few trials.

Everything here is a summary computed in the database or in one pass over compact rows, so a
job with 10k trials costs a handful of queries, never 10k Optuna lookups.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, String, cast, func, select
from sqlalchemy.orm import Session, undefer

from advisor import OptimizerName, ParamName, TrainConfig
from service.auth import Principal
from service.db import JobRow, TrialLeaseRow
from service.tuning.optuna_seam import TrialIntermediateValueModel
from tunewise.wire.models import JobState, TokenScope, TrialState

#: The flat hyperparameters plotted against the objective (in this order).
PLOTTED_PARAMS: tuple[str, ...] = tuple(p.value for p in ParamName)
_PLOTTED = frozenset(PLOTTED_PARAMS)
#: Config keys that are not searched values (the schedule, switches, ratios); batch_size is
#: plotted, and so is every key of the job's own dimensions.
_NOT_PLOTTED = frozenset(TrainConfig.model_fields) - _PLOTTED - {"batch_size"}

Curve = tuple[tuple[int, float], ...]


@dataclass(frozen=True, slots=True)
class TrialPoint:
    """One trial, as little of it as the plots need."""

    trial_id: int
    number: int
    state: TrialState
    family: OptimizerName
    value: float | None
    #: The config's numeric hyperparameters that are set (lr, weight_decay, ...), and the
    #: job's own numeric dimensions (dropout, hidden, batch_size).
    params: dict[str, float]


def plotted_names(points: Iterable[TrialPoint]) -> list[str]:
    """What the plots show: the optimizer's hyperparameters in their order, then the job's own
    dimensions (and batch_size) by name."""
    own = {name for point in points for name in point.params} - _PLOTTED
    return [*PLOTTED_PARAMS, *sorted(own)]


@dataclass(frozen=True)
class JobFilter:
    state: JobState | None = None
    workload: str | None = None
    family: OptimizerName | None = None
    #: Part of the job's name or id.
    text: str | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.state or self.workload or self.family or self.text)


class TrialSort(StrEnum):
    NUMBER = "number"
    VALUE = "value"
    STATE = "state"
    FAMILY = "family"
    LR = "lr"
    FINISHED = "finished"


def _visible_jobs(principal: Principal) -> Select[JobRow]:
    query = select(JobRow)
    if principal.scope is TokenScope.USER:
        query = query.where(JobRow.owner_token_id == principal.token_id)
    return query


def list_jobs(
    session: Session, principal: Principal, where: JobFilter, limit: int, offset: int
) -> tuple[list[JobRow], int]:
    """The jobs this principal may see that match, newest first, and how many match."""
    query = _visible_jobs(principal).options(undefer(JobRow.advice))  # the views carry it
    if where.state is not None:
        query = query.where(JobRow.state == where.state.value)
    if where.workload:
        query = query.where(JobRow.workload == where.workload)
    if where.family is not None:
        # The families are a JSON list of enum values; as text each sits between quotes.
        query = query.where(cast(JobRow.families, String).like(f'%"{where.family.value}"%'))
    if where.text:
        pattern = f"%{_escape_like(where.text)}%"
        query = query.where(
            JobRow.name.ilike(pattern, escape="\\") | JobRow.id.ilike(pattern, escape="\\")
        )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(JobRow.created_at.desc(), JobRow.id).limit(limit).offset(offset)
    ).all()
    return list(rows), total


def known_workloads(session: Session, principal: Principal) -> list[str]:
    query = _visible_jobs(principal).with_only_columns(JobRow.workload).distinct()
    return sorted(w for w in session.scalars(query.where(JobRow.workload.is_not(None))) if w)


def families_tried(session: Session, job_ids: Sequence[str]) -> dict[str, list[OptimizerName]]:
    """Per job, the families at least one of its trials trained with."""
    found: dict[str, list[OptimizerName]] = defaultdict(list)
    if not job_ids:
        return found
    family = TrialLeaseRow.params["optimizer"].as_string()
    rows = session.execute(
        select(TrialLeaseRow.job_id, family)
        .where(TrialLeaseRow.job_id.in_(job_ids))
        .group_by(TrialLeaseRow.job_id, family)
    )
    for job_id, name in rows:
        if name is not None:
            found[job_id].append(OptimizerName(name))
    for names in found.values():
        names.sort()
    return found


def point_rows(job_id: str) -> Select[tuple[int, int, str, float | None, dict[str, Any]]]:
    """The job's lease rows by number, as the columns ``point_of`` takes."""
    return (
        select(
            TrialLeaseRow.trial_id,
            TrialLeaseRow.number,
            TrialLeaseRow.state,
            TrialLeaseRow.value,
            TrialLeaseRow.params,
        )
        .where(TrialLeaseRow.job_id == job_id)
        .order_by(TrialLeaseRow.number)
    )


def trial_points(session: Session, job_id: str) -> list[TrialPoint]:
    """Every trial of the job, by number, with its family and numeric hyperparameters."""
    return [point_of(*row) for row in session.execute(point_rows(job_id))]


def point_of(
    trial_id: int, number: int, state: str, value: float | None, params: dict[str, Any]
) -> TrialPoint:
    """A lease row's columns (trial_id, number, state, value, params) as a point."""
    return TrialPoint(
        trial_id=trial_id,
        number=number,
        state=TrialState(state),
        family=OptimizerName(params["optimizer"]),
        value=value,
        params=_numeric(params),
    )


def _numeric(params: dict[str, Any]) -> dict[str, float]:
    # Called once per trial on pages of 10k trials: walk the config's few keys, not all names.
    return {
        name: float(value)
        for name, value in params.items()
        if name not in _NOT_PLOTTED and type(value) in (float, int) and math.isfinite(value)
    }


def trial_table(
    session: Session,
    job_id: str,
    *,
    sort: TrialSort,
    descending: bool,
    state: TrialState | None,
    limit: int,
    offset: int,
) -> tuple[list[TrialLeaseRow], int]:
    """One page of the job's trials, sorted in the database (missing values last)."""
    query = select(TrialLeaseRow).where(TrialLeaseRow.job_id == job_id)
    if state is not None:
        query = query.where(TrialLeaseRow.state == state.value)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    column: Any = {
        TrialSort.NUMBER: TrialLeaseRow.number,
        TrialSort.VALUE: TrialLeaseRow.value,
        TrialSort.STATE: TrialLeaseRow.state,
        TrialSort.FAMILY: TrialLeaseRow.params["optimizer"].as_string(),
        TrialSort.LR: TrialLeaseRow.params["lr"].as_float(),
        TrialSort.FINISHED: TrialLeaseRow.finished_at,
    }[sort]
    ordered = column.desc() if descending else column.asc()
    rows = session.scalars(
        query.order_by(ordered.nulls_last(), TrialLeaseRow.number).limit(limit).offset(offset)
    ).all()
    return list(rows), total


def curves(session: Session, trial_ids: Iterable[int]) -> dict[int, Curve]:
    """The reported (step, value) points of these trials, from Optuna's own table (the
    service writes them there through the study; no copy of ours exists)."""
    ids = sorted(set(trial_ids))
    if not ids:
        return {}
    model = TrialIntermediateValueModel
    points: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for start in range(0, len(ids), 500):  # stay under every driver's bound-parameter limit
        rows = session.execute(
            select(model.trial_id, model.step, model.intermediate_value)
            .where(model.trial_id.in_(ids[start : start + 500]))
            .where(model.intermediate_value.is_not(None))
            .order_by(model.trial_id, model.step)
        )
        for trial_id, step, value in rows:
            if value is not None:  # filtered above; Optuna 5 types the column as optional
                points[trial_id].append((step, value))
    return {trial_id: tuple(curve) for trial_id, curve in points.items()}


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
