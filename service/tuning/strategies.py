"""Optuna samplers and pruners by the names the advice and JobCreate use."""

from __future__ import annotations

import warnings

import optuna
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
                tpe = TPESampler(seed=seed, multivariate=True, group=True, constant_liar=True)
                return WindowedSampler(tpe, best=TPE_BEST, recent=TPE_RECENT)
            case "random":
                return RandomSampler(seed=seed)
            case "qmc":
                return QMCSampler(seed=seed, warn_independent_sampling=False)
            case "cmaes":
                # CMA-ES handles the continuous values of one family; the family choice and
                # the other families' values go to TPE.
                return CmaEsSampler(
                    seed=seed,
                    warn_independent_sampling=False,
                    independent_sampler=TPESampler(seed=seed),
                )
            case "grid":
                return BruteForceSampler(seed=seed)
    raise ValueError(f"unknown sampler {name!r}")


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
