"""Study and trial internals: ids, the storage a sampler reads through, the waiting-trial
hand-out, and a study view whose trial list a sampler sees filtered."""

from __future__ import annotations

import copy
from collections.abc import Callable, Container, Sequence
from typing import Any, cast

import optuna
from optuna.storages import BaseStorage
from optuna.trial import FrozenTrial, TrialState


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
