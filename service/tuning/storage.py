"""Optuna's storage as the service uses it: the RDB storage behind Optuna's own cache, with
one more call that writes a whole sampled trial in one transaction (service.tuning.one_write).

Every private name of Optuna's storage layer the service relies on is used here and listed in
the docstrings below. They were read in Optuna 5.1 (the version installed; pyproject allows
4.2 to 5.x): tests/service/tuning/test_one_write.py is what would notice a change.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from optuna.distributions import BaseDistribution, distribution_to_json
from optuna.storages import RDBStorage
from optuna.storages._cached_storage import _CachedStorage
from optuna.storages._rdb import models as rdb_models
from optuna.trial import FrozenTrial, TrialState
from sqlalchemy.orm import Session

from service.db import tune_sqlite


class TrialBackend(RDBStorage):
    """Optuna's RDBStorage; while it writes a trial that ``TrialStorage.create_trial`` has
    just sampled, each parameter and attribute is one INSERT. Optuna's own path reads the
    trial again per value and, per parameter, the study's earlier distribution of it (a join
    over the whole study): checks that cannot fail for a trial created in the same
    transaction from a job's fixed search space.

    Private names of Optuna used: ``_set_trial_param_without_commit`` and
    ``_set_trial_attr_without_commit`` (overridden; their signatures as of Optuna 5.1)
    and the row models of ``optuna.storages._rdb.models``."""

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
            super()._set_trial_param_without_commit(
                session,
                trial_id,
                param_name,
                param_value_internal,
                distribution,
                previous_distribution,
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


class TrialStorage(_CachedStorage):
    """Optuna's cached storage (what ``optuna.create_study(storage=url)`` uses: finished trials
    are read from the database once, then only new or unfinished ones), plus one call that
    answers the trial it wrote. Private names of Optuna used: ``_CachedStorage`` itself and
    its ``_lock``, ``_trial_id_to_study_id_and_number`` and ``_studies`` (the cache that
    ``create_new_trial`` has just filled), and ``_backend`` (the RDBStorage under it)."""

    def any_waiting(self, study_id: int) -> bool:
        """Whether the study has an enqueued (WAITING) trial: one query filtered by state in
        the database, where the cache would re-read every unfinished trial first."""
        waiting = self._backend.get_all_trials(
            study_id, deepcopy=False, states=(TrialState.WAITING,)
        )
        return bool(waiting)

    def create_trial(self, study_id: int, template: FrozenTrial) -> FrozenTrial:
        """Writes ``template`` as a new trial in one transaction; the trial as written."""
        assert isinstance(self._backend, TrialBackend)
        with self._backend.writing_fresh_trial():
            trial_id = self.create_new_trial(study_id, template_trial=template)
        with self._lock:
            _, number = self._trial_id_to_study_id_and_number[trial_id]
            return self._studies[study_id].trials[number]
