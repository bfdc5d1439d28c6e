"""Why a trial was pruned, in numbers: the step, the value judged there, and what it was
compared with. The median pruner (Optuna's ``PercentilePruner`` at 50) compares a trial's best
value so far with the median of the complete trials' values at the same step; the other
pruners rank trials at rungs, so for them the same median is given as context, not as the
rule."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

import optuna
from optuna.pruners import MedianPruner
from optuna.study import StudyDirection
from optuna.trial import FrozenTrial, TrialState

#: How a pruner is named to a person.
_PRUNER_NAMES = {
    "NopPruner": "the client (the job has no pruner)",
    "SuccessiveHalvingPruner": "successive halving",
    "HyperbandPruner": "Hyperband",
}


@dataclass(frozen=True)
class PruneComparison:
    """What a pruned trial's last report was measured against."""

    step: int
    #: The value judged: the trial's best so far, as the median pruner judges it.
    value: float
    #: Whether ``value`` is better than the last one reported (so it needs saying).
    best_so_far: bool
    #: Median of the complete trials' values at ``step``; None when none reported it.
    median: float | None
    n_trials: int
    minimize: bool
    #: "median", or the name of a pruner that ranks trials another way.
    pruner: str

    def describe(self, metric: str) -> str:
        where = f"pruned at step {self.step}"
        if math.isnan(self.value):
            return f"{where}: {metric} is NaN"
        judged = f"{metric} {self.value:.4g}" + (" (its best so far)" if self.best_so_far else "")
        if self.median is None:
            return f"{where}: {judged}; no complete trial reported that step to compare with"
        others = f"the median {self.median:.4g} of {self.n_trials} trials at that step"
        if self.pruner != "median":
            return f"{where} by {self.pruner}: {judged}; {others}"
        worse = self.value > self.median if self.minimize else self.value < self.median
        if worse:
            return f"{where}: {judged} worse than {others}"
        return f"{where} by the client: {judged}, not worse than {others}"


def compare_pruned(study: optuna.Study, trial: FrozenTrial) -> PruneComparison | None:
    """The comparison behind a pruned trial's verdict; None when it reported no value."""
    step = trial.last_step
    if step is None:
        return None
    minimize = study.direction is StudyDirection.MINIMIZE
    reported = [v for v in trial.intermediate_values.values() if not math.isnan(v)]
    last = trial.intermediate_values[step]
    best = (min(reported) if minimize else max(reported)) if reported else math.nan
    others = [
        t.intermediate_values[step]
        for t in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
        if step in t.intermediate_values and not math.isnan(t.intermediate_values[step])
    ]
    judged = last if math.isnan(last) else best
    pruner = study.pruner
    return PruneComparison(
        step=step,
        value=judged,
        best_so_far=not math.isnan(last) and judged != last,
        median=statistics.median(others) if others else None,
        n_trials=len(others),
        minimize=minimize,
        pruner="median"
        if isinstance(pruner, MedianPruner)
        else _PRUNER_NAMES.get(type(pruner).__name__, type(pruner).__name__),
    )
