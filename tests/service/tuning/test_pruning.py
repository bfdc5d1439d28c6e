"""The comparison behind a pruned trial, read from a real Optuna study: the median pruner's
own terms (best value so far against the complete trials' median at that step), the rung
pruners' context, and a NaN said as such."""

from __future__ import annotations

import math

import optuna
from optuna.distributions import FloatDistribution
from optuna.pruners import BasePruner, MedianPruner, SuccessiveHalvingPruner
from optuna.trial import FrozenTrial, TrialState, create_trial

from service.tuning.pruning import compare_pruned

DISTRIBUTIONS = {"lr": FloatDistribution(1e-4, 1.0, log=True)}


def study_with_complete_trials(pruner: BasePruner, direction: str) -> optuna.Study:
    study = optuna.create_study(direction=direction, pruner=pruner)
    for i in range(4):
        study.add_trial(
            create_trial(
                state=TrialState.COMPLETE,
                value=float(i),
                params={"lr": 0.01},
                distributions=DISTRIBUTIONS,
                intermediate_values={0: 10.0 + i, 1: 1.0 + i},
            )
        )
    return study


def pruned(curve: dict[int, float]) -> FrozenTrial:
    return create_trial(
        state=TrialState.PRUNED,
        params={"lr": 0.01},
        distributions=DISTRIBUTIONS,
        intermediate_values=curve,
    )


def test_the_median_pruner_is_described_in_its_own_terms_when_maximizing() -> None:
    study = study_with_complete_trials(MedianPruner(), "maximize")
    comparison = compare_pruned(study, pruned({0: 0.5, 1: 0.2}))
    assert comparison is not None
    assert comparison.describe("val_accuracy") == (
        "pruned at step 1: val_accuracy 0.5 (its best so far) worse than the median 2.5 "
        "of 4 trials at that step"
    )


def test_a_rung_pruner_gives_the_median_as_context_not_as_the_rule() -> None:
    study = study_with_complete_trials(SuccessiveHalvingPruner(), "minimize")
    comparison = compare_pruned(study, pruned({0: 9.0, 1: 4.0}))
    assert comparison is not None
    assert comparison.describe("val_loss") == (
        "pruned at step 1 by successive halving: val_loss 4; the median 2.5 of 4 trials "
        "at that step"
    )


def test_a_nan_is_said_as_such_and_a_step_nobody_reached_has_nothing_to_compare() -> None:
    study = study_with_complete_trials(MedianPruner(), "minimize")
    comparison = compare_pruned(study, pruned({0: 3.0, 1: math.nan}))
    assert comparison is not None
    assert comparison.describe("loss") == "pruned at step 1: loss is NaN"
    unreached = compare_pruned(study, pruned({0: 3.0, 5: 2.0}))
    assert unreached is not None
    assert unreached.describe("loss") == (
        "pruned at step 5: loss 2; no complete trial reported that step to compare with"
    )


def test_a_trial_that_reported_nothing_has_no_comparison() -> None:
    study = study_with_complete_trials(MedianPruner(), "minimize")
    assert compare_pruned(study, pruned({})) is None
