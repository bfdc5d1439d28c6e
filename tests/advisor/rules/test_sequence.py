"""sequence.*: RMSProp or Adam for recurrent nets, Adam-type methods up to lr 3e-2 with AdamW
among the families searched, and RMSProp for non-stationary objectives."""

from __future__ import annotations

import pytest

from tests.advisor.helpers import (
    advice,
    bounds,
    cand,
    default,
    fired_for,
    order,
    portfolio,
    without,
)

RECURRENT = ("rnn", "lstm", "gru")


def test_rnns_train_with_rmsprop_or_adam_at_1e3() -> None:
    result = advice(domain="nlp", architecture="lstm")
    assert order(result)[:2] == ["rmsprop", "adam"]
    assert default(result, "rmsprop", "lr") == 1e-3
    assert default(result, "adam", "lr") == 1e-3
    assert "sequence.rnn_rmsprop_or_adam" in fired_for(result, "rmsprop")
    ablated = without("sequence.rnn_rmsprop_or_adam", domain="nlp", architecture="lstm")
    assert order(ablated)[0] != "rmsprop"


@pytest.mark.parametrize("architecture", RECURRENT)
@pytest.mark.parametrize("domain", ["timeseries", "nlp"])
def test_recurrent_nets_search_adam_and_adamw_up_to_3e2(domain: str, architecture: str) -> None:
    """Published recurrent recipes train Adam-type methods at 1e-3 to 2e-2; the seeds' general
    Adam cap of 3e-3 fenced off the better half of that, so the range reaches 3e-2."""
    result = advice(domain=domain, architecture=architecture, budget_trials=30)
    for family in ("adam", "adamw"):
        low, high = bounds(result, family, "lr")
        assert low <= 1e-3 and high >= 2e-2, f"{family} lr {low}..{high}"
        assert high / low <= 10**2.5, "a range this wide does not guide the search"
        assert "sequence.rnn_adamw_higher_lr" in fired_for(result, family)
    # The seed's starting point stands: the range widens, the default does not move.
    assert default(result, "adam", "lr") == 1e-3
    ablated = without("sequence.rnn_adamw_higher_lr", domain=domain, architecture=architecture)
    assert bounds(ablated, "adam", "lr")[1] <= 3e-3


@pytest.mark.parametrize("architecture", RECURRENT)
def test_recurrent_nets_keep_adamw_in_the_search_beside_rmsprop_and_adam(
    architecture: str,
) -> None:
    result = advice(domain="timeseries", architecture=architecture, budget_trials=30)
    assert {"rmsprop", "adam", "adamw"} <= set(portfolio(result))
    assert order(result)[:3] == ["rmsprop", "adam", "adamw"]
    ablated = without("sequence.rnn_adamw_higher_lr", domain="timeseries", architecture="lstm")
    assert cand(ablated, "adamw").score < cand(result, "adamw").score


def test_feed_forward_nets_keep_the_general_adam_cap() -> None:
    result = advice(domain="tabular", architecture="mlp", budget_trials=30)
    assert bounds(result, "adam", "lr")[1] <= 3e-3
    assert "sequence.rnn_adamw_higher_lr" not in fired_for(result, "adamw")


def test_time_series_lift_rmsprop() -> None:
    series = advice(domain="timeseries")
    assert "sequence.non_stationary_rmsprop" in fired_for(series, "rmsprop")
    assert cand(series, "rmsprop").score > cand(advice(domain="tabular"), "rmsprop").score
