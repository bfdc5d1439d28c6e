"""Parameter importance on ranks: the family by η², each hyperparameter by squared Spearman
correlation within each family."""

from __future__ import annotations

import math
import random

import pytest

from advisor import OptimizerName
from service.dashboard.importance import adjusted, binned, eta_squared, param_importance, ranks
from service.dashboard.queries import TrialPoint
from tunewise.wire.models import TrialState


def point(
    number: int, family: str, value: float | None, state: str = "complete", **params: float
) -> TrialPoint:
    return TrialPoint(
        trial_id=number + 100,
        number=number,
        state=TrialState(state),
        family=OptimizerName(family),
        value=value,
        params=dict(params),
    )


def test_ties_share_the_mean_of_their_ranks() -> None:
    assert ranks([3.0, 1.0, 3.0, 2.0]) == [3.5, 1.0, 3.5, 2.0]


def test_bins_hold_equal_counts_in_value_order() -> None:
    assert binned([0.5, 0.1, 0.4, 0.2, 0.3, 0.6], 3) == ["2", "0", "1", "0", "1", "2"]


def test_chance_is_taken_out_of_eta_squared() -> None:
    assert adjusted(1.0, groups=4, n=40) == pytest.approx(1.0)
    assert adjusted(3 / 39, groups=4, n=40) == pytest.approx(0.0)  # exactly what noise gives
    assert adjusted(0.01, groups=4, n=40) == 0.0


def test_eta_squared_is_the_share_of_variance_between_groups() -> None:
    assert eta_squared(["a", "a", "b", "b"], [1.0, 1.0, 5.0, 5.0]) == pytest.approx(1.0)
    assert eta_squared(["a", "b", "a", "b"], [1.0, 1.0, 5.0, 5.0]) == pytest.approx(0.0)


def test_the_parameter_that_drives_the_value_ranks_first_even_with_an_optimum_inside() -> None:
    rng = random.Random(3)
    points = []
    for n in range(60):
        family = ("adam", "sgd")[n % 2]
        lr, wd = 10 ** rng.uniform(-5, -1), rng.uniform(0, 0.1)
        value = abs(math.log10(lr) + 3) + rng.random() * 0.05
        points.append(point(n, family, value, lr=lr, weight_decay=wd))
    found = param_importance(points)
    assert found[0].param == "lr"
    scores = {i.param: i.score for i in found}
    assert scores["lr"] > 0.8
    assert scores["weight_decay"] < 0.2
    assert scores["optimizer"] < 0.2  # both families share the same lr landscape


def test_a_family_effect_is_not_mistaken_for_an_lr_effect() -> None:
    # Within each family the value does not depend on lr; sgd's trials simply sit at higher lr
    # and do worse. Pooled, lr would look decisive; within families it explains nothing.
    rng = random.Random(5)
    points = []
    for n in range(40):
        family, base, lr_low = ("sgd", 1.0, -2.0) if n % 2 else ("adam", 0.0, -4.0)
        points.append(point(n, family, base + rng.random() * 0.1, lr=10 ** (lr_low + rng.random())))
    scores = {i.param: i.score for i in param_importance(points)}
    assert scores["optimizer"] > 0.7
    assert scores["lr"] < 0.3


def test_too_few_complete_trials_say_nothing() -> None:
    points = [point(n, "adam", 1.0 * n, lr=10.0**-n) for n in range(4)]
    points += [point(9, "adam", None, "pruned", lr=0.1), point(10, "adam", None, "failed", lr=0.1)]
    assert param_importance(points) == []


def test_a_jobs_own_dimension_is_weighed_like_the_hyperparameters() -> None:
    rng = random.Random(5)
    points = []
    for n in range(60):
        lr, dropout, hidden = 10 ** rng.uniform(-4, -2), rng.uniform(0, 0.5), rng.randint(32, 256)
        value = abs(dropout - 0.2) + rng.random() * 0.01
        points.append(point(n, "adamw", value, lr=lr, dropout=dropout, hidden=hidden))
    found = param_importance(points)
    assert found[0].param == "dropout" and found[0].score > 0.8
    assert {i.param for i in found} == {"lr", "dropout", "hidden"}
