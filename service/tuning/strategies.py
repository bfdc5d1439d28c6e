"""Optuna samplers and pruners by the names the advice and JobCreate use.

Seeds. A job's study is created once, then loaded again after a restart, after the StudyBook
evicts it, and on every other replica. A sampler rebuilt from the job's seed at each load would
replay the stream the first one drew and propose the same points again. So the job's seed
seeds the sampler built when the study is created; a sampler built when it is loaded again
draws from a fresh random seed (see :func:`make_sampler`'s ``reloaded``).

What is reproducible: a seeded job whose study stays loaded in one process from creation to
its end, with one worker running trials one after another, proposes the same params in the
same order as another job with the same seed, as Optuna's own seeding does for
``study.optimize`` with ``n_jobs=1``. What is not: from the first reload on (restart, cache
eviction, a second replica) the stream is a fresh one, never the first one again; and with
several workers, or trials asked ahead while others still run, the history a model-based
sampler (TPE, CMA-ES) sees at each ask depends on timing, as in Optuna with several workers.
"""

from __future__ import annotations

import secrets
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
from service.tuning.optuna_seam import BatchedTPESampler
from service.tuning.window import WindowedSampler

#: Grid search cuts each range into this many values.
GRID_POINTS = 4
#: TPE models the best trials and the most recent ones (see service.tuning.window): its cost
#: per ask stays flat as a study grows instead of growing with every trial.
TPE_BEST = 25
TPE_RECENT = 100


#: Samplers that search several objectives (Optuna's CMA-ES is single-objective only).
MULTI_OBJECTIVE_SAMPLERS: tuple[Sampler, ...] = ("tpe", "random", "qmc", "grid")


def make_sampler(
    name: Sampler, seed: int | None, *, reloaded: bool = False, multi_objective: bool = False
) -> BaseSampler:
    """The sampler of a job's study. ``reloaded``: the study was created before (by this
    process or another); its sampler then draws from a fresh seed, never the job's again.

    ``multi_objective``: TPE then models the whole history (MOTPE ranks trials by Pareto
    dominance; the window's ranking is by one value). Constraints need nothing here: Optuna
    5's samplers read each finished trial's ``constraints`` system attr, which the service
    writes when the trial completes (service.outcomes), and TPE models infeasible trials as
    "bad" (Optuna's c-TPE); ``constraints_func`` is deprecated since Optuna 5.0."""
    if multi_objective and name not in MULTI_OBJECTIVE_SAMPLERS:
        raise ValueError(f"sampler {name!r} searches one objective only")
    stream = secrets.randbits(32) if reloaded and seed is not None else seed
    # Multivariate and grouped TPE are marked experimental by Optuna; they are what fits a
    # conditional space whose groups are the families, so the warning is noise here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        match name:
            case "tpe":
                tpe = BatchedTPESampler(
                    seed=stream, multivariate=True, group=True, constant_liar=True
                )
                if multi_objective:
                    return tpe
                return WindowedSampler(tpe, best=TPE_BEST, recent=TPE_RECENT)
            case "random":
                return RandomSampler(seed=stream)
            case "qmc":
                # The QMC sequence is one stream by design: the job's seed scrambles it and
                # the position in it is kept in the study, so every load continues it. Only
                # the params it leaves to its independent sampler take the fresh stream.
                return QMCSampler(
                    seed=seed,
                    warn_independent_sampling=False,
                    independent_sampler=RandomSampler(seed=stream),
                )
            case "cmaes":
                # CMA-ES handles the continuous values of one family; the family choice and
                # the other families' values go to TPE. Its state lives in the trials'
                # system attrs; only its random draws come from here.
                return CmaEsSampler(
                    seed=stream,
                    warn_independent_sampling=False,
                    independent_sampler=TPESampler(seed=stream),
                )
            case "grid":
                return BruteForceSampler(seed=stream)
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
