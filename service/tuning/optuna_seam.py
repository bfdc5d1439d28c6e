"""The one seam between tunewise and Optuna's (and optuna-dashboard's) internals.

Everything tunewise needs from Optuna beyond its public API is here, behind small typed
functions, each with a line saying why it is needed and what would replace it; the rest of the
code calls these. ``tests/test_architecture.py`` fails when a private Optuna name is used
anywhere else. Read in Optuna 4.5.0 and 5.1.0, the bounds ``pyproject.toml`` allows, and tested
at both (``make test-optuna-bounds``); tests/service/tuning/test_optuna_seam.py and
test_one_write.py are what would notice a change.

What is here: the storage (Optuna's cached RDB storage, plus one call that writes a whole
sampled trial in one transaction: service.tuning.one_write), study and trial internals (ids,
the storage a sampler reads through, the waiting-trial hand-out), a study view whose trial
list a sampler sees filtered (service.tuning.window), Optuna's RDB row models (the dashboard's
bulk reads) and optuna-dashboard's app files, re-rooted under a prefix.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable, Collection, Container, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any, cast

import optuna
from optuna.distributions import BaseDistribution, distribution_to_json, json_to_distribution
from optuna.storages import BaseStorage, RDBStorage

# _CachedStorage is what optuna.create_study(storage=url) wraps an RDBStorage in; Optuna has no
# public way to get one around a storage we subclass. Public replacement: none (a cache of ours).
from optuna.storages._cached_storage import _CachedStorage, _StudyInfo

# Optuna's table models: the dashboard's bulk reads and the one-write INSERTs. Public
# replacement: none (SQLAlchemy reflection of the same tables, losing the mapped classes).
from optuna.storages._rdb import models as rdb_models

# Optuna's session context (commit, rollback, its errors) for the cache's batched reads.
# Replacement: a session of our own on the same engine, with Optuna's error mapping copied.
from optuna.storages._rdb.storage import _create_scoped_session

# The trial system attr where Optuna keeps constraint values (samplers and plots read it).
# Replacement: none; a constraints_func writes the same key.
from optuna.study._constrained_optimization import _CONSTRAINTS_KEY

# The study system attr where Study.set_metric_names keeps the names (the dashboard reads it
# in bulk). Replacement: Study.metric_names, one study at a time.
from optuna.study.study import _SYSTEM_ATTR_METRIC_NAMES
from optuna.trial import FrozenTrial, TrialState
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from service.db import tune_sqlite

#: Trial system attr: one float per constraint, <= 0 when met ("constraints").
CONSTRAINTS_SYSTEM_ATTR: str = _CONSTRAINTS_KEY
#: Study system attr: the objectives' names ("study:metric_names").
METRIC_NAMES_SYSTEM_ATTR: str = _SYSTEM_ATTR_METRIC_NAMES

#: Optuna's row models, for the dashboard's bulk reads and bench's bulk fills.
StudyDirectionModel = rdb_models.StudyDirectionModel
StudySystemAttributeModel = rdb_models.StudySystemAttributeModel
StudyUserAttributeModel = rdb_models.StudyUserAttributeModel
TrialIntermediateValueModel = rdb_models.TrialIntermediateValueModel
TrialModel = rdb_models.TrialModel
TrialSystemAttributeModel = rdb_models.TrialSystemAttributeModel
TrialUserAttributeModel = rdb_models.TrialUserAttributeModel
TrialValueModel = rdb_models.TrialValueModel


class TrialBackend(RDBStorage):
    """Optuna's RDBStorage; while it writes a trial that ``TrialStorage.create_trial`` has
    just sampled, each parameter and attribute is one INSERT. Optuna's own path reads the
    trial again per value and, per parameter, the study's earlier distribution of it (a join
    over the whole study): checks that cannot fail for a trial created in the same
    transaction from a job's fixed search space.

    The new trial's number is the previous trial's plus one, read from the (study_id,
    trial_id) index, where Optuna counts the study's earlier trials (a scan that grows with
    the study; docs/benchmarks.md, "Lease latency and study size"). Both run after the
    study's row is locked and the new row flushed, so they give the same number: trial ids
    grow in the order trials are created, and every earlier trial was numbered in turn.

    The cache's sync reads the trials newer than the last finished one and the unfinished
    older ones. Optuna asks for both in one query (``trial_id IN (...) OR trial_id > ?``),
    which SQLite answers by walking the study's whole index (a few ms per read at 100,000
    trials); here they are two queries that each use it.

    Private names of Optuna used: ``_set_trial_param_without_commit``,
    ``_set_trial_attr_without_commit``, ``_get_prepared_new_trial`` and ``_get_trials``
    (overridden; their signatures as of Optuna 5.1),
    ``optuna.storages._rdb.storage._create_scoped_session``, and the row models of
    ``optuna.storages._rdb.models`` with their tables and stored-value conversions (the batch
    calls ``create_trials``, ``read_trials``, ``trials_with_ids`` and ``finish_trials`` read
    and write the rows Optuna's models declare, with plain statements: a trial as
    ``_build_frozen_trial_from_trial_model`` builds it, and written as Optuna writes it)."""

    def __init__(self, url: str, engine_kwargs: dict[str, object]) -> None:
        super().__init__(url, engine_kwargs=dict(engine_kwargs))
        tune_sqlite(self.engine)
        self._fresh = threading.local()

    @contextmanager
    def writing_fresh_trial(self) -> Iterator[None]:
        self._fresh.active = True
        try:
            yield
        finally:
            self._fresh.active = False

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

    def _get_prepared_new_trial(
        self, study_id: int, template_trial: FrozenTrial | None, session: Session
    ) -> rdb_models.TrialModel:
        fresh = getattr(self._fresh, "active", False)
        if not fresh or template_trial is None or template_trial.values is not None:
            return super()._get_prepared_new_trial(study_id, template_trial, session)
        # Optuna's steps for a template without values (a sampled trial, running or failed
        # as sampled), with the number read as described in the class's docstring.
        trial = rdb_models.TrialModel(
            study_id=study_id,
            number=None,
            state=template_trial.state,
            datetime_start=template_trial.datetime_start,
            datetime_complete=template_trial.datetime_complete,
        )
        session.add(trial)
        session.flush()
        for name, value in template_trial.params.items():
            distribution = template_trial.distributions[name]
            internal = distribution.to_internal_repr(value)
            self._set_trial_param_without_commit(
                session, trial.trial_id, name, internal, distribution
            )
        attrs = (
            (rdb_models.TrialUserAttributeModel, template_trial.user_attrs),
            (rdb_models.TrialSystemAttributeModel, template_trial.system_attrs),
        )
        for model_cls, values in attrs:
            for key, value in values.items():
                self._set_trial_attr_without_commit(session, model_cls, trial.trial_id, key, value)
        for step, value in template_trial.intermediate_values.items():
            self._set_trial_intermediate_value_without_commit(session, trial.trial_id, step, value)
        trial.number = _number_after(session, study_id, trial.trial_id)
        return trial

    # Overrides RDBStorage._set_trial_param_without_commit, the step of set_trial_param and
    # create_new_trial that writes one value (previous_distribution is new in 4.7; 4.5 and
    # 4.6 pass five arguments). Replacement: none.
    def _set_trial_param_without_commit(  # noqa: PLR0917  (Optuna's signature)
        self,
        session: Session,
        trial_id: int,
        param_name: str,
        param_value_internal: float,
        distribution: BaseDistribution,
        previous_distribution: BaseDistribution | None = None,
    ) -> None:
        if not getattr(self._fresh, "active", False):
            since_4_7 = () if previous_distribution is None else (previous_distribution,)
            super()._set_trial_param_without_commit(
                session, trial_id, param_name, param_value_internal, distribution, *since_4_7
            )
            return
        session.add(
            rdb_models.TrialParamModel(
                trial_id=trial_id,
                param_name=param_name,
                param_value=param_value_internal,
                distribution_json=distribution_to_json(distribution),
            )
        )

    def _set_trial_attr_without_commit(
        self,
        session: Session,
        model_cls: type[rdb_models.TrialUserAttributeModel | rdb_models.TrialSystemAttributeModel],
        trial_id: int,
        key: str,
        value: Any,
    ) -> None:
        if not getattr(self._fresh, "active", False):
            super()._set_trial_attr_without_commit(session, model_cls, trial_id, key, value)
            return
        session.add(model_cls(trial_id=trial_id, key=key, value_json=json.dumps(value)))

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


class _InOrder:
    """One study's cached trials in a list by number, kept as the cache fills, so that reading
    them in order is a copy, not a sort of the whole study (Optuna's cache sorts them on every
    read). A trial another process created may be read after a
    later one of ours: its place stays empty (a hole) until then."""

    def __init__(self) -> None:
        self.trials: list[FrozenTrial | None] = []
        self.holes = 0

    def put(self, trial: FrozenTrial) -> None:
        gap = trial.number - len(self.trials)
        if gap >= 0:
            self.trials.extend([None] * (gap + 1))
            self.holes += gap
        elif self.trials[trial.number] is None:
            self.holes -= 1
        self.trials[trial.number] = trial

    def present(self) -> list[FrozenTrial]:
        if not self.holes:
            return list(self.trials)  # type: ignore[arg-type]  # no None when no holes
        return [trial for trial in self.trials if trial is not None]


class TrialStorage(_CachedStorage):
    """Optuna's cached storage (what ``optuna.create_study(storage=url)`` uses: finished trials
    are read from the database once, then only new or unfinished ones), plus one call that
    answers the trial it wrote. Private names of Optuna used: ``_CachedStorage`` itself and
    its ``_lock``, ``_trial_id_to_study_id_and_number`` and ``_studies`` (the cache that
    ``create_new_trial`` has just filled), and ``_backend`` (the RDBStorage under it);
    ``_add_trials_to_cache`` (extended: every trial the cache takes in also goes to
    ``_InOrder``) and ``_read_trials_from_remote_storage`` (the cache's sync, called as
    Optuna's ``get_all_trials`` does; overridden for ``one_sync``); the cache's
    ``_StudyInfo.trials``, ``unfinished_trial_ids`` and ``last_finished_trial_id``.

    What grows with the study is kept out of each read: the trials come in order without a
    sort (``get_all_trials``), and whether one is enqueued is answered from the unfinished
    trials the sync has just read (``any_waiting``). A sync reads every unfinished trial
    again, so inside ``one_sync()`` a batch of asks syncs once, not once or twice per ask
    (``_read_trials_from_remote_storage`` overridden)."""

    @property
    def backend(self) -> RDBStorage:
        """The RDBStorage under the cache: reads filtered in the database, its engine."""
        # _CachedStorage keeps it as _backend; replacement: keep our own reference.
        return self._backend

    def __init__(self, backend: RDBStorage) -> None:
        super().__init__(backend)
        self._in_order: dict[int, _InOrder] = {}
        self._synced = threading.local()

    @contextmanager
    def one_sync(self) -> Iterator[None]:
        """In this thread, each study syncs with the database on its first read only: for a
        batch of asks, whose own trials enter the cache as they are written. What other
        processes write meanwhile is read by the next sync, after the batch."""
        outer = getattr(self._synced, "studies", None)
        self._synced.studies = set() if outer is None else outer
        try:
            yield
        finally:
            self._synced.studies = outer

    def _read_trials_from_remote_storage(self, study_id: int) -> None:
        synced: set[int] | None = getattr(self._synced, "studies", None)
        if synced is None or study_id not in self._studies:
            super()._read_trials_from_remote_storage(study_id)
            return
        if study_id in synced:
            return
        synced.add(study_id)
        self._read_changed_trials(study_id)

    def _read_changed_trials(self, study_id: int) -> None:
        """The sync for asks: Optuna's reads every unfinished trial again with all it holds;
        this reads the states first and then only the trials that are new or changed state.
        A running trial's reports and attributes written since it was read stay as read: a
        sampler reads running trials for their params, written with the trial (one_write).
        Outside ``one_sync`` every sync is Optuna's."""
        with self._lock:
            study = self._studies[study_id]
            states = self.trials_backend.trial_states(
                study_id, study.unfinished_trial_ids, study.last_finished_trial_id
            )
            changed = [
                trial_id
                for trial_id, state in states.items()
                if trial_id not in self._trial_id_to_study_id_and_number
                or study.trials[self._trial_id_to_study_id_and_number[trial_id][1]].state
                is not state
            ]
            if changed:
                self._add_trials_to_cache(
                    study_id, self.trials_backend.trials_with_ids(sorted(changed))
                )
            # Optuna's bookkeeping after its read (_CachedStorage, 4.5 to 5.1), over every
            # trial the states name: its read would have returned them all. (A trial this
            # process created is cached but not yet among the unfinished ones.)
            for trial_id, state in states.items():
                if not state.is_finished():
                    study.unfinished_trial_ids.add(trial_id)
                    continue
                study.last_finished_trial_id = max(study.last_finished_trial_id, trial_id)
                study.unfinished_trial_ids.discard(trial_id)

    def _add_trials_to_cache(self, study_id: int, trials: list[FrozenTrial]) -> None:
        super()._add_trials_to_cache(study_id, trials)  # called holding self._lock
        in_order = self._in_order.setdefault(study_id, _InOrder())
        for trial in trials:
            in_order.put(trial)

    def delete_study(self, study_id: int) -> None:
        super().delete_study(study_id)
        with self._lock:
            self._in_order.pop(study_id, None)

    def get_all_trials(
        self,
        study_id: int,
        deepcopy: bool = True,
        states: Container[TrialState] | None = None,
    ) -> list[FrozenTrial]:
        """As Optuna's: the study's trials by number, synced first."""
        self._read_trials_from_remote_storage(study_id)
        with self._lock:
            in_order = self._in_order.get(study_id)
            trials = in_order.present() if in_order else []
        if states is not None:
            trials = [trial for trial in trials if trial.state in states]
        return copy.deepcopy(trials) if deepcopy else trials

    @property
    def trials_backend(self) -> TrialBackend:
        """The RDB storage under the cache, for the batch calls that bypass it (the cache
        holds finished trials only, and reads unfinished ones from the database anyway)."""
        assert isinstance(self._backend, TrialBackend)
        return self._backend

    def any_waiting(self, study_id: int) -> bool:
        """Whether the study has an enqueued (WAITING) trial. After the cache's sync every
        unfinished trial of the study is among its ``unfinished_trial_ids``, read fresh (the
        sync reads every trial newer than the last finished one, and the unfinished ones
        again), so they answer; a query by state would scan the study (Optuna's trials table
        has no index on state)."""
        self._read_trials_from_remote_storage(study_id)
        with self._lock:
            study = self._studies[study_id]
            return any(
                study.trials[self._trial_id_to_study_id_and_number[trial_id][1]].state
                is TrialState.WAITING
                for trial_id in study.unfinished_trial_ids
            )

    def create_trials(self, study_id: int, templates: Sequence[FrozenTrial]) -> list[FrozenTrial]:
        """Writes sampled trials in one transaction (``TrialBackend.create_trials``) and
        caches them as ``create_new_trial`` caches each; the trials as written."""
        written = self.trials_backend.create_trials(study_id, templates)
        with self._lock:
            study = self._studies.setdefault(study_id, _StudyInfo())
            self._add_trials_to_cache(study_id, written)
            # The running ones are unfinished, as Optuna 4.5's create_new_trial records (5.1
            # leaves it to the sync). The last finished id is left to the sync in both: moved
            # past a failed trial of ours, it would hide an older trial another process
            # created meanwhile from every later sync.
            study.unfinished_trial_ids.update(
                trial_id_of(t) for t in written if not t.state.is_finished()
            )
        return written

    def finish_trials(self, finishes: Sequence[Finish], read: dict[int, FrozenTrial]) -> None:
        """Writes the finishes in one transaction (``TrialBackend.finish_trials``), then puts
        each finished trial in the cache as written, from ``read`` (the trials as read in the
        same unit of work, before they finished): the next sync finds its state unchanged and
        does not read it again (``_read_changed_trials``)."""
        completed_at = self.trials_backend.finish_trials(finishes)
        with self._lock:
            for finish in finishes:
                cached = self._trial_id_to_study_id_and_number.get(finish.trial_id)
                if cached is None or finish.trial_id not in read:
                    continue
                trial = copy.deepcopy(read[finish.trial_id])
                trial.state = finish.state
                trial.values = finish.values
                trial.datetime_complete = completed_at
                trial.user_attrs.update(finish.user_attrs)
                trial.system_attrs.update(finish.system_attrs)
                self._add_trials_to_cache(cached[0], [trial])

    def create_trial(self, study_id: int, template: FrozenTrial) -> FrozenTrial:
        """Writes ``template`` as a new trial in one transaction; the trial as written."""
        assert isinstance(self._backend, TrialBackend)
        with self._backend.writing_fresh_trial():
            trial_id = self.create_new_trial(study_id, template_trial=template)
        with self._lock:
            _, number = self._trial_id_to_study_id_and_number[trial_id]
            return self._studies[study_id].trials[number]


# -- studies and trials ----------------------------------------------------------------------


def trial_id_of(trial: optuna.Trial | FrozenTrial) -> int:
    """The trial's id in the storage (unique across studies; what leases and the API name)."""
    # Optuna keeps it as _trial_id and has no public accessor (4.5 to 5.1). Replacement: none.
    return trial._trial_id


def study_id_of(study: optuna.Study) -> int:
    """The study's id in the storage."""
    # Study._study_id; replacement: storage.get_study_id_from_name(study.study_name), a query.
    return study._study_id


def study_storage(study: optuna.Study) -> BaseStorage:
    """The storage the study (and so its sampler) reads and writes through."""
    # Study._storage; no public accessor. Replacement: pass the storage along with the study.
    return study._storage


def seen_through(study: optuna.Study, storage: BaseStorage) -> optuna.Study:
    """The same study (sampler, pruner, trial cache) reading and writing through ``storage``:
    how the sampler suggests against a trial that is not in the database yet."""
    view = copy.copy(study)
    # Study._storage is the only way a sampler reaches the storage. Replacement: none short
    # of Optuna's own ask (one commit per parameter).
    view._storage = storage
    return view


def forget_cached_trials(study: optuna.Study) -> None:
    """Drops the study's per-thread trial list so the next read syncs: what Study.ask does."""
    # Study._thread_local.cached_all_trials, reset by Study.ask itself. Replacement: Study.ask.
    study._thread_local.cached_all_trials = None


def pop_waiting_trial_id(study: optuna.Study) -> int | None:
    """Takes the study's next enqueued (WAITING) trial, marking it running; None if there is
    none. Enqueued trials keep Optuna's own path: their fixed parameters live in the database."""
    # Study._pop_waiting_trial_id, what Study.ask calls first. Replacement: Study.ask.
    return study._pop_waiting_trial_id()


def trial_of(study: optuna.Study, trial_id: int) -> optuna.Trial:
    """The live trial ``trial_id`` of ``study``, for its sampler's suggest_* calls."""
    # Optuna's docstring: "the direct use of this constructor is not recommended". Replacement:
    # Study.ask.
    return optuna.Trial(study, trial_id)


class StudyTrialsView:
    """A study as a sampler sees it with its trial list passed through ``choose`` (which gets
    every trial, by number, and answers those the sampler models): everything else is the
    study's own."""

    def __init__(
        self, study: optuna.Study, choose: Callable[[list[FrozenTrial]], Sequence[FrozenTrial]]
    ) -> None:
        self.study = study
        self.choose = choose

    def __getattr__(self, name: str) -> Any:
        return getattr(self.study, name)

    # Samplers read trials through Study._get_trials(deepcopy, states, use_cache) (TPE, random,
    # CMA-ES, 4.5 to 5.1), so the view answers that private name too. Replacement: none.
    def _get_trials(
        self,
        deepcopy: bool = True,
        states: Container[TrialState] | None = None,
        use_cache: bool = False,
    ) -> list[FrozenTrial]:
        everything = self.study._get_trials(deepcopy=False, states=None, use_cache=True)
        chosen = [t for t in self.choose(everything) if states is None or t.state in states]
        return copy.deepcopy(chosen) if deepcopy else chosen

    def get_trials(
        self, deepcopy: bool = True, states: Container[TrialState] | None = None
    ) -> list[FrozenTrial]:
        return self._get_trials(deepcopy=deepcopy, states=states)

    @property
    def trials(self) -> list[FrozenTrial]:
        return self._get_trials()

    def as_study(self) -> optuna.Study:
        # Duck-typed: samplers read a study's trials and directions, which the view provides.
        return cast(optuna.Study, self)


# -- optuna-dashboard's app ------------------------------------------------------------------

#: Where optuna-dashboard's index page loads its bundle from.
DASHBOARD_BUNDLE = "/static/bundle.js"
DASHBOARD_REQUIRES = "optuna-dashboard==0.21.0 a2wsgi"


class OptunaBundleError(RuntimeError):
    """The installed optuna-dashboard's app no longer looks like the one these edits fit."""


@dataclass(frozen=True)
class Edit:
    old: str
    new: str


def _dashboard_edits(prefix: str) -> dict[str, tuple[Edit, ...]]:
    # Strings inside optuna-dashboard 0.21.0's index page and minified bundle: it assumes it
    # owns the site root. Replacement: an url_prefix option of its own (none as of 0.21.0).
    return {
        "index.html": (Edit(f'src="{DASHBOARD_BUNDLE}"', f'src="{prefix}{DASHBOARD_BUNDLE}"'),),
        DASHBOARD_BUNDLE: (
            # The router's base and every link it builds.
            Edit('url_prefix:"/dashboard"', f'url_prefix:"{prefix}/dashboard"'),
            # The API client's base URL ("" -> the prefix); the client strips trailing slashes.
            Edit("this.baseURL=(", f'this.baseURL="{prefix}"||('),
        ),
    }


def patched(text: str, edits: tuple[Edit, ...], what: str) -> str:
    """``text`` with each edit made; OptunaBundleError unless each old string is there once."""
    for edit in edits:
        if text.count(edit.old) != 1:
            version = metadata.version("optuna-dashboard")
            raise OptunaBundleError(
                f"optuna-dashboard {version}: {what} no longer contains {edit.old!r} exactly "
                "once, so it cannot be served under /optuna; install optuna-dashboard==0.21.0"
            )
        text = text.replace(edit.old, edit.new)
    return text


def dashboard_asset(package_root: Path, name: str, prefix: str) -> str:
    """optuna-dashboard's ``index.html`` or bundle (``DASHBOARD_BUNDLE``), from the package
    at ``package_root``, with its root-relative links moved under ``prefix``."""
    # The files' places inside the optuna_dashboard package (0.21.0). Replacement: none.
    source = package_root / ("index.html" if name == "index.html" else "public/bundle.js")
    return patched(source.read_text(encoding="utf-8"), _dashboard_edits(prefix)[name], name)
