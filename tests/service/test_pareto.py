"""The Pareto front and the choice of one of its trials, as plain functions: dominance in
each direction, ties, the order of the front, and preferences by one objective or by
weights over objectives normalised on the front."""

from __future__ import annotations

import pytest

from service.errors import InvalidInputError
from service.pareto import Preference, choose, dominates, front
from tunewise.wire.models import Objective

LOSS = Objective(metric="loss", direction="minimize")
SECONDS = Objective(metric="seconds", direction="minimize")
ACCURACY = Objective(metric="accuracy", direction="maximize")


def points(*values: tuple[float, ...]) -> list[list[float]]:
    return [list(v) for v in values]


def ident(point: list[float]) -> list[float]:
    return point


def test_a_point_dominates_when_no_worse_anywhere_and_better_somewhere() -> None:
    both_min = [1.0, 1.0]
    assert dominates([1, 2], [2, 2], both_min)
    assert not dominates([1, 3], [2, 2], both_min), "better on one, worse on the other"
    assert not dominates([2, 2], [2, 2], both_min), "equal points do not dominate"
    assert dominates([0.9, 2], [0.8, 2], [-1.0, 1.0]), "higher is better when maximised"


def test_the_front_keeps_the_non_dominated_ordered_by_the_first_objective() -> None:
    trade_off = points((3, 1), (1, 3), (2, 2), (3, 3), (2.5, 2.5), (1, 3))
    kept = front(trade_off, [LOSS, SECONDS], ident)
    assert kept == points((1, 3), (1, 3), (2, 2), (3, 1)), "ties both stay, as in Optuna"


def test_a_maximised_objective_orders_the_front_best_first() -> None:
    kept = front(points((0.9, 5), (0.8, 1), (0.7, 2)), [ACCURACY, SECONDS], ident)
    assert kept == points((0.9, 5), (0.8, 1))


def test_without_a_preference_the_first_objective_decides() -> None:
    on_front = points((1, 3), (2, 2), (3, 1))
    assert choose(on_front, [LOSS, SECONDS], ident, Preference()) == [1, 3]
    assert choose([], [LOSS, SECONDS], ident, Preference()) is None


def test_prefer_picks_the_best_on_that_objective() -> None:
    on_front = points((1, 3), (2, 2), (3, 1))
    assert choose(on_front, [LOSS, SECONDS], ident, Preference(prefer="seconds")) == [3, 1]


def test_weights_apply_to_objectives_normalised_over_the_front() -> None:
    # Seconds span 100 times the loss's range; normalised, equal weights pick the middle.
    on_front = points((1.0, 300), (1.2, 100), (2.0, 0))
    equal = Preference(weights=(("loss", 1.0), ("seconds", 1.0)))
    assert choose(on_front, [LOSS, SECONDS], ident, equal) == [1.2, 100]
    mostly_loss = Preference(weights=(("loss", 0.9), ("seconds", 0.1)))
    assert choose(on_front, [LOSS, SECONDS], ident, mostly_loss) == [1.0, 300]


def test_weights_respect_a_maximised_objective() -> None:
    on_front = points((0.95, 300), (0.90, 10))
    accuracy_only = Preference(weights=(("accuracy", 1.0),))
    assert choose(on_front, [ACCURACY, SECONDS], ident, accuracy_only) == [0.95, 300]


def test_parsing_a_preference_names_what_is_wrong() -> None:
    objectives = [LOSS, SECONDS]
    assert Preference.parse(None, None, objectives) == Preference()
    assert Preference.parse("seconds", None, objectives) == Preference(prefer="seconds")
    parsed = Preference.parse(None, "loss:0.7, seconds:0.3", objectives)
    assert parsed.weights == (("loss", 0.7), ("seconds", 0.3))
    for prefer, weights, field in [
        ("accuracy", None, "prefer"),
        (None, "loss:-1", "weights"),
        (None, "loss", "weights"),
        (None, "loss:1,loss:2", "weights"),
        (None, "loss:0,seconds:0", "weights"),
        (None, "memory:1", "weights"),
        ("loss", "loss:1", "weights"),
    ]:
        with pytest.raises(InvalidInputError) as refused:
            Preference.parse(prefer, weights, objectives)
        assert refused.value.field == field


def test_within_keeps_only_what_names_the_jobs_objectives() -> None:
    assert Preference(prefer="seconds").within([LOSS, SECONDS]) == Preference(prefer="seconds")
    assert Preference(prefer="memory").within([LOSS, SECONDS]) == Preference()
    weights = Preference(weights=(("loss", 1.0), ("memory", 2.0)))
    assert weights.within([LOSS, SECONDS]) == Preference(weights=(("loss", 1.0),))
    assert Preference(weights=(("memory", 1.0),)).within([LOSS]) == Preference()
