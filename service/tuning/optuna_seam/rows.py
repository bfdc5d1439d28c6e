"""Optuna's trial rows read and written with plain SQL statements, many trials at a time:
what Optuna's RDBStorage reads and writes one trial (and one row) at a time through its ORM."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from optuna.distributions import BaseDistribution, json_to_distribution

# Optuna's table models: the batch statements and the dashboard's bulk reads. Public
# replacement: none (SQLAlchemy reflection of the same tables, losing the mapped classes).
from optuna.storages._rdb import models as rdb_models
from optuna.trial import FrozenTrial, TrialState
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Finish:
    """A trial's end as ``finish_trials`` writes it: its state and values, and attributes
    written with them."""

    trial_id: int
    state: TrialState
    values: Sequence[float] | None
    user_attrs: dict[str, Any] = field(default_factory=dict)
    system_attrs: dict[str, Any] = field(default_factory=dict)


def _upsert(
    session: Session, table: Any, key: str, rows: list[tuple[int, Any, dict[str, Any]]]
) -> None:
    """Rows of a trial's child table (values, attributes), each ``(trial_id, key, columns)``:
    inserted, or updated where the trial has one with that key (Optuna's find-or-create)."""
    if not rows:
        return
    existing = set(
        session.execute(
            select(table.c.trial_id, table.c[key]).where(
                table.c.trial_id.in_(sorted({trial_id for trial_id, _, _ in rows}))
            )
        ).all()
    )
    new = [
        {"trial_id": trial_id, key: k, **columns}
        for trial_id, k, columns in rows
        if (trial_id, k) not in existing
    ]
    old = [
        {"b_trial_id": trial_id, "b_key": k, **{f"b_{c}": v for c, v in columns.items()}}
        for trial_id, k, columns in rows
        if (trial_id, k) in existing
    ]
    if new:
        session.execute(insert(table), new)
    if old:
        columns = [c for c in old[0] if c not in ("b_trial_id", "b_key")]
        session.execute(
            update(table)
            .where(table.c.trial_id == bindparam("b_trial_id"), table.c[key] == bindparam("b_key"))
            .values({c.removeprefix("b_"): bindparam(c) for c in columns}),
            old,
        )


#: Ids bound in one query's IN list, far below the databases' limits on bound variables
#: (SQLite's SQLITE_MAX_VARIABLE_NUMBER, https://www.sqlite.org/limits.html, the lowest).
_IDS_PER_QUERY = 500


def _frozen_trials(session: Session, trial_ids: list[int]) -> list[FrozenTrial]:
    """The trials with these ids (sorted), as Optuna's ``_build_frozen_trial_from_trial_model``
    builds them, read with one plain query per kind of row: no ORM objects, which cost more
    than the reads themselves for the few rows a trial has."""
    trials: list[FrozenTrial] = []
    for start in range(0, len(trial_ids), _IDS_PER_QUERY):
        trials += _frozen_chunk(session, trial_ids[start : start + _IDS_PER_QUERY])
    return trials


def _frozen_chunk(session: Session, ids: list[int]) -> list[FrozenTrial]:
    def rows(table: Any, *columns: str, order: str) -> Any:
        return session.execute(
            select(table.c.trial_id, *(table.c[c] for c in columns))
            .where(table.c.trial_id.in_(ids))
            .order_by(table.c[order])
        )

    trials = rdb_models.TrialModel.__table__
    found = session.execute(
        select(
            trials.c.trial_id,
            trials.c.number,
            trials.c.state,
            trials.c.datetime_start,
            trials.c.datetime_complete,
        )
        .where(trials.c.trial_id.in_(ids))
        .order_by(trials.c.trial_id)
    ).all()
    params: dict[int, dict[str, Any]] = {row.trial_id: {} for row in found}
    dists: dict[int, dict[str, BaseDistribution]] = {row.trial_id: {} for row in found}
    parsed: dict[str, BaseDistribution] = {}  # a study's trials share a few distributions
    for trial_id, name, internal, dist_json in rows(
        rdb_models.TrialParamModel.__table__,
        "param_name",
        "param_value",
        "distribution_json",
        order="param_id",
    ):
        dist = parsed.get(dist_json) or parsed.setdefault(
            dist_json, json_to_distribution(dist_json)
        )
        params[trial_id][name] = dist.to_external_repr(internal)
        dists[trial_id][name] = dist
    values: dict[int, dict[int, float]] = {}
    value_model = rdb_models.TrialValueModel
    for trial_id, objective, value, kind in rows(
        value_model.__table__, "objective", "value", "value_type", order="trial_value_id"
    ):
        values.setdefault(trial_id, {})[objective] = value_model.stored_repr_to_value(value, kind)
    attrs: list[dict[int, dict[str, Any]]] = []
    for model_cls, order in (
        (rdb_models.TrialUserAttributeModel, "trial_user_attribute_id"),
        (rdb_models.TrialSystemAttributeModel, "trial_system_attribute_id"),
    ):
        kind_of: dict[int, dict[str, Any]] = {row.trial_id: {} for row in found}
        for trial_id, key, value_json in rows(
            model_cls.__table__, "key", "value_json", order=order
        ):
            kind_of[trial_id][key] = json.loads(value_json)
        attrs.append(kind_of)
    reports: dict[int, dict[int, float]] = {row.trial_id: {} for row in found}
    report_model = rdb_models.TrialIntermediateValueModel
    for trial_id, step, value, kind in rows(
        report_model.__table__,
        "step",
        "intermediate_value",
        "intermediate_value_type",
        order="trial_intermediate_value_id",
    ):
        reports[trial_id][step] = report_model.stored_repr_to_intermediate_value(value, kind)
    return [
        FrozenTrial(
            number=row.number,
            state=row.state,
            value=None,
            values=[v for _, v in sorted(values[row.trial_id].items())]
            if row.trial_id in values
            else None,
            datetime_start=row.datetime_start,
            datetime_complete=row.datetime_complete,
            params=params[row.trial_id],
            distributions=dists[row.trial_id],
            user_attrs=attrs[0][row.trial_id],
            system_attrs=attrs[1][row.trial_id],
            intermediate_values=reports[row.trial_id],
            trial_id=row.trial_id,
        )
        for row in found
    ]


def _number_after(session: Session, study_id: int, trial_id: int) -> int:
    """The number of the study's trial ``trial_id``: the trial before it plus one."""
    model = rdb_models.TrialModel
    previous = session.scalar(
        select(model.number)
        .where(model.study_id == study_id, model.trial_id < trial_id)
        .order_by(model.trial_id.desc())
        .limit(1)
    )
    return 0 if previous is None else previous + 1
