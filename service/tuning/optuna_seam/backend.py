"""TrialBackend: Optuna's RDBStorage with the batch calls the service makes (their statements
are in service.tuning.optuna_seam.rows)."""

from __future__ import annotations

import copy
import json
from collections.abc import Collection, Container, Sequence
from datetime import datetime
from typing import Any

from optuna.distributions import distribution_to_json
from optuna.storages import RDBStorage

# Optuna's table models: the batch statements and the dashboard's bulk reads. Public
# replacement: none (SQLAlchemy reflection of the same tables, losing the mapped classes).
from optuna.storages._rdb import models as rdb_models

# Optuna's session context (commit, rollback, its errors) for the cache's batched reads.
# Replacement: a session of our own on the same engine, with Optuna's error mapping copied.
from optuna.storages._rdb.storage import _create_scoped_session
from optuna.trial import FrozenTrial, TrialState
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from service.db import tune_sqlite
from service.tuning.optuna_seam.rows import (
    _IDS_PER_QUERY,
    Finish,
    _frozen_trials,
    _number_after,
    _upsert,
)
from service.tuning.optuna_seam.studies import trial_id_of


class TrialBackend(RDBStorage):
    """Optuna's RDBStorage, plus batch calls for what the service writes and reads most.
    Sampled trials are written by ``create_trials``, each kind of row in one INSERT for the
    whole batch: Optuna's own path reads the trial again per value and, per parameter, the
    study's earlier distribution of it (a join over the whole study), checks that cannot fail
    for a trial created in the same transaction from a job's fixed search space.

    A new trial's number is the previous trial's plus one, read from the (study_id,
    trial_id) index, where Optuna counts the study's earlier trials (a scan that grows with
    the study; docs/benchmarks.md, "Lease latency and study size"). Both run after the
    study's row is locked and the new rows inserted, so they give the same number: trial ids
    grow in the order trials are created, and every earlier trial was numbered in turn.

    The cache's sync reads the trials newer than the last finished one and the unfinished
    older ones. Optuna asks for both in one query (``trial_id IN (...) OR trial_id > ?``),
    which SQLite answers by walking the study's whole index (a few ms per read at 100,000
    trials); here they are two queries that each use it.

    Private names of Optuna used: ``_get_trials`` (overridden; its signature as of Optuna
    5.1),
    ``optuna.storages._rdb.storage._create_scoped_session``, and the row models of
    ``optuna.storages._rdb.models`` with their tables and stored-value conversions (the batch
    calls ``create_trials``, ``read_trials``, ``trials_with_ids`` and ``finish_trials`` read
    and write the rows Optuna's models declare, with plain statements: a trial as
    ``_build_frozen_trial_from_trial_model`` builds it, and written as Optuna writes it)."""

    def __init__(self, url: str, engine_kwargs: dict[str, object]) -> None:
        super().__init__(url, engine_kwargs=dict(engine_kwargs))
        tune_sqlite(self.engine)

    def _get_trials(
        self,
        study_id: int,
        states: Container[TrialState] | None,
        included_trial_ids: set[int],
        trial_id_greater_than: int,
    ) -> list[FrozenTrial]:
        older = sorted(i for i in included_trial_ids if i <= trial_id_greater_than)
        if not older or trial_id_greater_than < 0 or states is not None:
            return super()._get_trials(study_id, states, included_trial_ids, trial_id_greater_than)
        newer = super()._get_trials(study_id, None, set(), trial_id_greater_than)
        return [*self.trials_with_ids(older), *newer]

    def trials_with_ids(self, trial_ids: list[int]) -> list[FrozenTrial]:
        """The trials with these ids (sorted), by id, with all they hold."""
        with _create_scoped_session(self.scoped_session) as session:
            return _frozen_trials(session, trial_ids)

    def trial_states(
        self, study_id: int, trial_ids: Collection[int], newer_than: int
    ) -> dict[int, TrialState]:
        """The state, and only the state, of the study's trials newer than ``newer_than`` and
        of ``trial_ids``: which trials a sync must read again, without reading them."""
        model = rdb_models.TrialModel
        older = sorted(i for i in trial_ids if i <= newer_than)
        with _create_scoped_session(self.scoped_session) as session:
            rows = list(
                session.execute(
                    select(model.trial_id, model.state).where(
                        model.study_id == study_id, model.trial_id > newer_than
                    )
                )
            )
            for start in range(0, len(older), _IDS_PER_QUERY):
                chunk = older[start : start + _IDS_PER_QUERY]
                rows += session.execute(
                    select(model.trial_id, model.state).where(model.trial_id.in_(chunk))
                )
        return {trial_id: state for trial_id, state in rows}

    def create_trials(self, study_id: int, templates: Sequence[FrozenTrial]) -> list[FrozenTrial]:
        """Writes sampled trials (templates without values or reports: running, or failed as
        sampled) in one transaction of a few statements, each taking all of them: what
        ``create_new_trial(study_id, template)`` writes for each, in a fixed number of round
        trips instead of one transaction per trial with a statement per parameter. The trials
        as written, in the templates' order, numbered in it.

        The study's row is locked first, as Optuna's own trial creation does, then the trials
        are inserted and numbered after the study's trial before them (the class docstring)."""
        assert all(t.values is None and not t.intermediate_values for t in templates)
        if not templates:
            return []
        trials = rdb_models.TrialModel.__table__
        with _create_scoped_session(self.scoped_session) as session:
            rdb_models.StudyModel.find_or_raise_by_id(study_id, session, for_update=True)
            inserted = session.execute(
                insert(trials).returning(trials.c.trial_id, sort_by_parameter_order=True),
                [
                    {
                        "study_id": study_id,
                        "number": None,
                        "state": template.state,
                        "datetime_start": template.datetime_start,
                        "datetime_complete": template.datetime_complete,
                    }
                    for template in templates
                ],
            )
            trial_ids = list(inserted.scalars())
            # Numbered in id order, so numbers grow with ids as _number_after expects.
            first = _number_after(session, study_id, min(trial_ids))
            numbers = {trial_id: first + rank for rank, trial_id in enumerate(sorted(trial_ids))}
            session.execute(
                update(trials)
                .where(trials.c.trial_id == bindparam("b_trial_id"))
                .values(number=bindparam("b_number")),
                [{"b_trial_id": i, "b_number": numbers[i]} for i in trial_ids],
            )
            self._insert_trial_rows(session, list(zip(trial_ids, templates, strict=True)))
        written = []
        for trial_id, template in zip(trial_ids, templates, strict=True):
            frozen = copy.deepcopy(template)  # what Optuna's create_new_trial answers
            frozen.number = numbers[trial_id]
            frozen._trial_id = trial_id  # no public setter (4.5 to 5.1); replacement: none
            written.append(frozen)
        return written

    @staticmethod
    def _insert_trial_rows(session: Session, trials: list[tuple[int, FrozenTrial]]) -> None:
        """The parameters and attributes of new trials, one INSERT per kind of row."""
        params = [
            {
                "trial_id": trial_id,
                "param_name": name,
                "param_value": template.distributions[name].to_internal_repr(value),
                "distribution_json": distribution_to_json(template.distributions[name]),
            }
            for trial_id, template in trials
            for name, value in template.params.items()
        ]
        attrs = (
            (rdb_models.TrialUserAttributeModel, "user_attrs"),
            (rdb_models.TrialSystemAttributeModel, "system_attrs"),
        )
        rows: list[tuple[Any, list[dict[str, Any]]]] = [
            (rdb_models.TrialParamModel.__table__, params)
        ]
        for model_cls, kind in attrs:
            rows.append(
                (
                    model_cls.__table__,
                    [
                        {"trial_id": trial_id, "key": key, "value_json": json.dumps(value)}
                        for trial_id, template in trials
                        for key, value in getattr(template, kind).items()
                    ],
                )
            )
        for table, values in rows:
            if values:
                session.execute(insert(table), values)

    def read_trials(self, trial_ids: Collection[int]) -> dict[int, FrozenTrial]:
        """Several trials by id, with all they hold; trials that do not exist are left out."""
        if not trial_ids:
            return {}
        with _create_scoped_session(self.scoped_session) as session:
            found = _frozen_trials(session, sorted(set(trial_ids)))
        return {trial_id_of(trial): trial for trial in found}

    def finish_trials(self, finishes: Sequence[Finish]) -> datetime | None:
        """What ``set_trial_user_attr`` and ``set_trial_system_attr`` (for the finish's
        attributes), then ``set_trial_state_values`` (its values and state) do for each, for
        all of them in one transaction of a few statements instead of one transaction each.
        Raises Optuna's ``UpdateFinishedTrialError`` (writing none) if one has finished
        already. The completion time written (None when there was nothing to write)."""
        if not finishes:
            return None
        now = datetime.now()  # Optuna's own timestamps are naive local time
        trials = rdb_models.TrialModel.__table__
        ids = sorted({f.trial_id for f in finishes})
        assert len(ids) == len(finishes) and all(f.state.is_finished() for f in finishes)
        with _create_scoped_session(self.scoped_session) as session:
            states: dict[int, TrialState] = dict(
                session.execute(
                    select(trials.c.trial_id, trials.c.state)
                    .where(trials.c.trial_id.in_(ids))
                    .order_by(trials.c.trial_id)
                    .with_for_update()
                ).all()
            )
            for finish in finishes:  # every one checked before anything is written
                if finish.trial_id not in states:
                    raise KeyError(f"no trial with trial_id {finish.trial_id}")
                self.check_trial_is_updatable(finish.trial_id, states[finish.trial_id])
            _upsert(
                session,
                rdb_models.TrialValueModel.__table__,
                "objective",
                [
                    (f.trial_id, objective, dict(zip(("value", "value_type"), stored, strict=True)))
                    for f in finishes
                    for objective, stored in enumerate(
                        map(rdb_models.TrialValueModel.value_to_stored_repr, f.values or ())
                    )
                ],
            )
            for model_cls, kind in (
                (rdb_models.TrialUserAttributeModel, "user_attrs"),
                (rdb_models.TrialSystemAttributeModel, "system_attrs"),
            ):
                _upsert(
                    session,
                    model_cls.__table__,
                    "key",
                    [
                        (f.trial_id, key, {"value_json": json.dumps(value)})
                        for f in finishes
                        for key, value in getattr(f, kind).items()
                    ],
                )
            session.execute(
                update(trials)
                .where(trials.c.trial_id == bindparam("b_trial_id"))
                .values(state=bindparam("b_state"), datetime_complete=now),
                [{"b_trial_id": f.trial_id, "b_state": f.state} for f in finishes],
            )
        return now
