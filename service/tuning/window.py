"""A bounded history for model-based samplers.

TPE's cost per ask grows with every trial in the study (at 10k trials one ask takes a few
hundred milliseconds on one core). The window hands the sampler the trials that shape its
model: the ``best`` finished trials (TPE's "good" group is at most 25 trials, so the good
group is the same as with the whole history) and the ``recent`` trials (its "bad" group is
then estimated from the recent past instead of all of it, which also follows a drifting
search). Running trials stay in view while they are recent, so the constant liar still
steers parallel asks apart. The study itself keeps everything; only the sampler's view is
bounded.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

import optuna
from optuna.distributions import BaseDistribution
from optuna.samplers import BaseSampler
from optuna.study import StudyDirection
from optuna.trial import FrozenTrial, TrialState

from service.tuning.optuna_seam import StudyTrialsView, asking_together


class _Ranking:
    """The best complete trials of one study, kept up to date incrementally: each call looks
    only at trials it has not seen finished yet, so the window costs O(new trials)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._scanned = -1
        self._pending: set[int] = set()
        self._top: list[tuple[float, int]] = []

    def update(self, trials: Sequence[FrozenTrial], direction: StudyDirection) -> list[int]:
        """``trials`` is the whole study by number (numbers run 0, 1, 2, ...)."""
        sign = 1.0 if direction is StudyDirection.MINIMIZE else -1.0
        fresh = range(self._scanned + 1, len(trials))
        for number in [*sorted(self._pending), *fresh]:
            trial = trials[number]
            self._pending.discard(number)
            if trial.state is TrialState.COMPLETE and trial.value is not None:
                bisect.insort(self._top, (sign * trial.value, number))
                del self._top[self.size :]
            elif not trial.state.is_finished():
                self._pending.add(number)
        self._scanned = len(trials) - 1
        return [number for _, number in self._top]


def windowed(
    trials: Sequence[FrozenTrial], ranking: _Ranking, direction: StudyDirection, recent: int
) -> Sequence[FrozenTrial]:
    """The best complete trials and the last ``recent`` ones, by number."""
    if len(trials) <= ranking.size + recent:
        return trials
    best = ranking.update(trials, direction)
    numbers = sorted({*best, *range(len(trials) - recent, len(trials))})
    return [trials[n] for n in numbers]


class WindowedSampler(BaseSampler):
    """Wraps a sampler so that it models a bounded window of the study's trials."""

    def __init__(self, inner: BaseSampler, *, best: int = 25, recent: int = 150) -> None:
        self.inner = inner
        self.recent = recent
        self._ranking = _Ranking(best)

    def _view(self, study: optuna.Study) -> optuna.Study:
        def choose(trials: list[FrozenTrial]) -> Sequence[FrozenTrial]:
            return windowed(trials, self._ranking, study.direction, self.recent)

        return StudyTrialsView(study, choose).as_study()

    def infer_relative_search_space(
        self, study: optuna.Study, trial: FrozenTrial
    ) -> dict[str, BaseDistribution]:
        return self.inner.infer_relative_search_space(self._view(study), trial)

    def sample_relative(
        self, study: optuna.Study, trial: FrozenTrial, search_space: dict[str, BaseDistribution]
    ) -> dict[str, Any]:
        return self.inner.sample_relative(self._view(study), trial, search_space)

    def sample_independent(
        self,
        study: optuna.Study,
        trial: FrozenTrial,
        param_name: str,
        param_distribution: BaseDistribution,
    ) -> Any:
        return self.inner.sample_independent(
            self._view(study), trial, param_name, param_distribution
        )

    def together(self, count: int) -> AbstractContextManager[None]:
        """The inner sampler's batch of asks (service.tuning.one_write), if it has one."""
        return asking_together(self.inner, count)

    def before_trial(self, study: optuna.Study, trial: FrozenTrial) -> None:
        self.inner.before_trial(study, trial)

    def after_trial(
        self,
        study: optuna.Study,
        trial: FrozenTrial,
        state: TrialState,
        values: Sequence[float] | None,
    ) -> None:
        self.inner.after_trial(study, trial, state, values)

    def reseed_rng(self) -> None:
        self.inner.reseed_rng()
