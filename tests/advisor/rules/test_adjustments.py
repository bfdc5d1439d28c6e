"""Named adjustments: the numbers they compute from the task."""

from __future__ import annotations

import math

import pytest

from advisor import NormalisedTask, OptimizerName, ParamName
from advisor.draft import AdviceDraft
from advisor.rules import RULEBOOK, Effect, ParamSetting
from advisor.rules.adjustments import (
    LR_CEILING,
    LR_FLOOR,
    lr_setting,
    portfolio_size_by_budget,
    sgd_lr_scales_with_batch,
)
from advisor.rules.kinds import of


def task(**fields: object) -> NormalisedTask:
    return NormalisedTask.model_validate({"domain": "other"} | fields)


def sgd_at(lr: float) -> AdviceDraft:
    draft = AdviceDraft()
    setting = ParamSetting(
        families=of(OptimizerName.SGD), param=ParamName.LR, default=lr, low=lr / 10, high=lr * 3
    )
    draft.apply(Effect(params=(setting,)), RULEBOOK.rules[0])
    return draft


@pytest.mark.parametrize(
    ("default", "low", "high"),
    [(50.0, 5.0, 150.0), (1e-9, 1e-10, 3e-9), (0.1, 0.01, 0.3)],
)
def test_lr_settings_stay_within_the_lr_finder_bounds(
    default: float, low: float, high: float
) -> None:
    setting = lr_setting(of(OptimizerName.SGD), default, low, high)
    assert setting.low is not None and setting.high is not None and setting.default is not None
    assert LR_FLOOR <= setting.low < setting.high <= LR_CEILING
    assert setting.low <= setting.default <= setting.high


@pytest.mark.parametrize(("batch", "lr"), [(256, 0.1), (512, 0.2), (1, 0.1 / 16), (10**8, 3.2)])
def test_sgd_lr_scales_with_batch_within_limits(batch: int, lr: float) -> None:
    effect = sgd_lr_scales_with_batch(task(batch_size=batch), sgd_at(0.1))
    (setting,) = effect.params
    assert setting.default is not None and math.isclose(setting.default, lr)


def test_sgd_lr_scaling_needs_a_batch_size() -> None:
    assert sgd_lr_scales_with_batch(task(), sgd_at(0.1)) == Effect()


@pytest.mark.parametrize(
    ("budget", "size"), [(1, 2), (9, 2), (10, 3), (24, 3), (25, 4), (59, 4), (60, 6)]
)
def test_portfolio_size_by_budget(budget: int, size: int) -> None:
    effect = portfolio_size_by_budget(task(budget_trials=budget), AdviceDraft())
    assert effect.search is not None and effect.search.portfolio_size == size
