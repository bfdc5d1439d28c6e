"""Optuna samplers and pruners by the names the advice and JobCreate use.

Seeds. A job's seed does not seed one long random stream: a study is loaded again after a
restart, after the StudyBook evicts it, and on every replica, and a sampler rebuilt from the
seed would replay its stream from the start and propose the same points again. Instead each
trial's randomness comes from a seed derived from (job seed, trial number), and trial numbers
are unique in a study (the storage hands them out), so no two trials share a stream.

What is reproducible: with one worker running trials one after another, a seeded job proposes
the same params in the same order on every run, as Optuna's own seeding does for
``study.optimize`` with ``n_jobs=1``; a random-sampler trial's params depend only on (seed,
trial number). What is not: with several workers, or trials asked ahead while others are still
running, the history a model-based sampler (TPE, CMA-ES) sees at each ask depends on timing,
so the same seed gives different proposals; Optuna's seeding has the same limit in parallel.
"""

from __future__ import annotations

import hashlib
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

import optuna
from optuna.distributions import BaseDistribution
from optuna.pruners import (
    BasePruner,
    HyperbandPruner,
    MedianPruner,
    NopPruner,
    SuccessiveHalvingPruner,
)
from optuna.samplers import (
    BaseSampler,
    BruteForceSampler,
    CmaEsSampler,
    QMCSampler,
    RandomSampler,
    TPESampler,
)
from optuna.trial import FrozenTrial, TrialState

from advisor.advice import Pruner, Sampler
from service.tuning.window import WindowedSampler

#: Grid search cuts each range into this many values.
GRID_POINTS = 4
#: TPE models the best trials and the most recent ones (see service.tuning.window): its cost
#: per ask stays flat as a study grows instead of growing with every trial.
TPE_BEST = 25
TPE_RECENT = 100


def make_sampler(name: Sampler, seed: int | None) -> BaseSampler:
    # Multivariate and grouped TPE are marked experimental by Optuna; they are what fits a
    # conditional space whose groups are the families, so the warning is noise here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        match name:
            case "tpe":
                return WindowedSampler(_per_trial(_tpe, seed), best=TPE_BEST, recent=TPE_RECENT)
            case "random":
                return _per_trial(_random, seed)
            case "qmc":
                # The QMC sequence is one stream by design: its seed scrambles it and the
                # position in it is kept in the study (so it survives reloads). Only the
                # params it leaves to its independent sampler need per-trial seeds.
                return QMCSampler(
                    seed=seed,
                    warn_independent_sampling=False,
                    independent_sampler=_per_trial(_random, seed),
                )
            case "cmaes":
                return _per_trial(_cmaes, seed)
            case "grid":
                return _per_trial(_grid, seed)
    raise ValueError(f"unknown sampler {name!r}")


def _tpe(seed: int | None) -> BaseSampler:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        return TPESampler(seed=seed, multivariate=True, group=True, constant_liar=True)


def _random(seed: int | None) -> BaseSampler:
    return RandomSampler(seed=seed)


def _cmaes(seed: int | None) -> BaseSampler:
    # CMA-ES handles the continuous values of one family; the family choice and the other
    # families' values go to TPE. Its state lives in the trials' system attrs, not in here.
    return CmaEsSampler(
        seed=seed, warn_independent_sampling=False, independent_sampler=TPESampler(seed=seed)
    )


def _grid(seed: int | None) -> BaseSampler:
    return BruteForceSampler(seed=seed)


def _per_trial(build: Callable[[int | None], BaseSampler], seed: int | None) -> BaseSampler:
    """Unseeded samplers draw from the OS's entropy, so reloading them repeats nothing."""
    return build(None) if seed is None else PerTrialSeedSampler(build, seed)


def trial_seed(seed: int, number: int) -> int:
    """The seed of one trial's draws: (job seed, trial number) hashed, so that neighbouring
    trials get unrelated streams rather than one stream shifted by a draw. (The service does
    not import NumPy; a hash is as good a mixer here.)"""
    digest = hashlib.blake2b(f"{seed}:{number}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big")


class PerTrialSeedSampler(BaseSampler):
    """A sampler built afresh for each trial, seeded with :func:`trial_seed`.

    Every sampler used here keeps what it learns in the study (trials, their system attrs), so
    a fresh instance per trial loses nothing but the random stream, which is the point. The
    instance of a trial lives from ``before_trial`` to ``after_trial`` (a few are kept for
    trials whose end this process never sees: asked here, finished by another replica).
    """

    #: Instances kept for trials not finished yet in this process.
    KEEP = 64

    def __init__(self, build: Callable[[int | None], BaseSampler], seed: int) -> None:
        self._build = build
        self._seed = seed
        self._by_number: OrderedDict[int, BaseSampler] = OrderedDict()
        self._lock = threading.Lock()

    def _of(self, trial: FrozenTrial) -> BaseSampler:
        with self._lock:
            sampler = self._by_number.get(trial.number)
            if sampler is None:
                sampler = self._build(trial_seed(self._seed, trial.number))
                self._by_number[trial.number] = sampler
                while len(self._by_number) > self.KEEP:
                    self._by_number.popitem(last=False)
            return sampler

    def infer_relative_search_space(
        self, study: optuna.Study, trial: FrozenTrial
    ) -> dict[str, BaseDistribution]:
        return self._of(trial).infer_relative_search_space(study, trial)

    def sample_relative(
        self, study: optuna.Study, trial: FrozenTrial, search_space: dict[str, BaseDistribution]
    ) -> dict[str, Any]:
        return self._of(trial).sample_relative(study, trial, search_space)

    def sample_independent(
        self,
        study: optuna.Study,
        trial: FrozenTrial,
        param_name: str,
        param_distribution: BaseDistribution,
    ) -> Any:
        return self._of(trial).sample_independent(study, trial, param_name, param_distribution)

    def before_trial(self, study: optuna.Study, trial: FrozenTrial) -> None:
        self._of(trial).before_trial(study, trial)

    def after_trial(
        self,
        study: optuna.Study,
        trial: FrozenTrial,
        state: TrialState,
        values: Sequence[float] | None,
    ) -> None:
        self._of(trial).after_trial(study, trial, state, values)
        with self._lock:
            self._by_number.pop(trial.number, None)

    def reseed_rng(self) -> None:
        """Nothing to reseed: each trial's stream is fixed by its number, by design."""


def make_pruner(name: Pruner, max_epochs: int | None) -> BasePruner:
    match name:
        case "none":
            return NopPruner()
        case "median":
            return MedianPruner(n_startup_trials=5, n_warmup_steps=1)
        case "successive_halving":
            return SuccessiveHalvingPruner()
        case "hyperband":
            return HyperbandPruner(min_resource=1, max_resource=max_epochs or "auto")
    raise ValueError(f"unknown pruner {name!r}")
