"""TPE that models the study once per batch of asks instead of once per ask.

Optuna's TPE, for every ask and every group of the search space, reads the study, splits its
trials into "good" and "bad", fits a Parzen estimator to each, draws 24 candidates from the
good one and keeps the candidate with the best ratio. Within one batch of asks (one process,
under the job's ask lock) nothing in that model changes from one ask to the next except the
batch's own earlier members, which constant liar counts as running, that is as "bad". So
here, inside ``together(count)``, the split, the good model and every candidate of the batch
come from the first ask (``count`` × 24 candidates drawn at once), and each later ask only
refits the bad model with the earlier members added, newest last as ``study.ask`` would
number them, and keeps the best of its own 24 candidates. Outside ``together`` (and for a
batch of one) it is Optuna's TPE unchanged; a test checks both.

What a batch does not see: trials another process or thread finishes while the batch is
being sampled (a few milliseconds); the next batch does. Running trials that appear
meanwhile are modeled as running, as Optuna would.

The internals this uses (``_sample``, ``_split_trials``, ``_build_parzen_estimator``,
``_compare``, the sampler's rng and settings) were read in Optuna 4.5.0 and 5.1.0.
Replacement: Optuna's TPE, one model per ask (about four times the CPU per trial).
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import optuna
from optuna.distributions import BaseDistribution
from optuna.samplers import TPESampler
from optuna.samplers._tpe import sampler as _tpe
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator
from optuna.trial import FrozenTrial, TrialState

# Optuna 4.5's _split_trials takes whether constraints are on; 5.x reads them from the trials.
_SPLIT_TAKES_CONSTRAINTS = "constraints_enabled" in inspect.signature(_tpe._split_trials).parameters
# Optuna 5's _get_internal_repr takes the study (to read running trials' relative params).
_REPR_TAKES_STUDY = "study" in inspect.signature(TPESampler._get_internal_repr).parameters

#: A numpy array, as Optuna's TPE makes and takes them; the service itself does not import
#: numpy (tests/test_architecture.py), so they are only passed along and sliced here.
Array = Any


@dataclass
class _GroupModel:
    """One group's model for a batch: what Optuna's ``_sample`` computes, computed once."""

    known: frozenset[int]
    #: The bad trials' parameters in the sampler's internal representation, by name.
    above: dict[str, list[float]]
    below: _ParzenEstimator
    candidates: dict[str, Array]
    log_below: Array
    served: int = 0


@dataclass
class _Batch:
    size: int
    groups: dict[tuple[str, ...], _GroupModel] = field(default_factory=dict)
    search_space: dict[str, BaseDistribution] | None = None


class BatchedTPESampler(TPESampler):
    """Optuna's TPESampler, with ``together(count)`` for sampling a batch from one model."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._batch: _Batch | None = None

    @contextmanager
    def together(self, count: int) -> Iterator[None]:
        """The next ``count`` asks share one model of the study (see the module's doc)."""
        self._batch = _Batch(count) if count > 1 and self._constant_liar else None
        try:
            yield
        finally:
            self._batch = None

    def infer_relative_search_space(
        self, study: optuna.Study, trial: FrozenTrial
    ) -> dict[str, BaseDistribution]:
        batch = self._batch
        if batch is None:
            return super().infer_relative_search_space(study, trial)
        # The groups are read from finished trials only, which a batch does not add.
        if batch.search_space is None:
            batch.search_space = super().infer_relative_search_space(study, trial)
        return dict(batch.search_space)

    def _sample(
        self, study: optuna.Study, trial: FrozenTrial, search_space: dict[str, BaseDistribution]
    ) -> dict[str, Any]:
        batch = self._batch
        if batch is None:
            return super()._sample(study, trial, search_space)
        states = (TrialState.COMPLETE, TrialState.PRUNED, TrialState.RUNNING)
        trials = [
            t
            for t in study._get_trials(deepcopy=False, states=states, use_cache=False)
            if t.number != trial.number
        ]
        key = tuple(search_space)
        model = batch.groups.get(key)
        if model is None:
            model = batch.groups[key] = self._model(study, trials, search_space, batch.size)
        # Batch members are numbered below every stored trial (they have no number yet);
        # study.ask would have numbered them after, in the order they were asked.
        liars = sorted(
            (t for t in trials if t.number not in model.known and t.state is TrialState.RUNNING),
            key=lambda t: (t.number < 0, abs(t.number)),
        )
        start = model.served * self._n_ei_candidates
        stop = start + self._n_ei_candidates
        if stop > len(model.log_below):
            # More asks than the batch announced: the rest are Optuna's own.
            return super()._sample(study, trial, search_space)
        observed = self._observations(study, liars, search_space)
        # Lists: Optuna's estimator turns them into its array (numpy stays out of the service).
        bad: dict[str, Any] = {
            name: [*model.above[name], *observed[name].tolist()] for name in search_space
        }
        above = self._parzen_estimator_cls(bad, search_space, self._parzen_estimator_parameters)
        model.served += 1
        mine = {name: values[start:stop] for name, values in model.candidates.items()}
        ratio = model.log_below[start:stop] - above.log_pdf(mine)
        chosen = TPESampler._compare(mine, ratio)
        return {name: dist.to_external_repr(chosen[name]) for name, dist in search_space.items()}

    def _model(
        self,
        study: optuna.Study,
        trials: list[FrozenTrial],
        search_space: dict[str, BaseDistribution],
        size: int,
    ) -> _GroupModel:
        if self._gamma is None:  # Optuna 5 picks it on the first sample
            multi = len(study.directions) > 1
            self._gamma = _tpe.default_gamma_multiobjective if multi else _tpe.default_gamma
        finished = sum(t.state is not TrialState.RUNNING for t in trials)
        split_args: tuple[Any, ...] = (study, trials, self._gamma(finished))
        if _SPLIT_TAKES_CONSTRAINTS:
            split_args += (self._constraints_func is not None,)
        below_trials, above_trials = _tpe._split_trials(*split_args)
        below = self._build_parzen_estimator(study, search_space, below_trials, True)
        candidates = below.sample(self._rng.rng, size * self._n_ei_candidates)
        return _GroupModel(
            known=frozenset(t.number for t in trials),
            above={
                name: values.tolist()
                for name, values in self._observations(study, above_trials, search_space).items()
            },
            below=below,
            candidates=candidates,
            log_below=below.log_pdf(candidates),
        )

    def _observations(
        self,
        study: optuna.Study,
        trials: list[FrozenTrial],
        search_space: dict[str, BaseDistribution],
    ) -> dict[str, Array]:
        if _REPR_TAKES_STUDY:
            return self._get_internal_repr(trials, search_space, study)
        return self._get_internal_repr(trials, search_space)  # type: ignore[call-arg]


@contextmanager
def recording_fits(sampler: TPESampler) -> Iterator[list[dict[str, list[float]]]]:
    """The observations each Parzen estimator of ``sampler`` is fitted to meanwhile, in
    order: what tells, from outside, which model a batch's asks used."""
    fits: list[dict[str, list[float]]] = []
    fitted = sampler._parzen_estimator_cls

    def record(observations: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        fits.append({name: [float(v) for v in values] for name, values in observations.items()})
        return fitted(observations, *args, **kwargs)

    sampler._parzen_estimator_cls = record  # type: ignore[assignment]
    try:
        yield fits
    finally:
        sampler._parzen_estimator_cls = fitted


@contextmanager
def asking_together(sampler: optuna.samplers.BaseSampler, count: int) -> Iterator[None]:
    """The next ``count`` asks of a study with this sampler form one batch, when the
    sampler can model a batch at once (``together``); otherwise nothing changes."""
    together = getattr(sampler, "together", None)
    if together is None:
        yield
        return
    with together(count):
        yield
