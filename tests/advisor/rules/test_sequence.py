"""sequence.*: RMSProp or Adam for recurrent nets and non-stationary objectives."""

from __future__ import annotations

from tests.advisor.helpers import advice, cand, default, fired_for, order, without


def test_rnns_train_with_rmsprop_or_adam_at_1e3() -> None:
    result = advice(domain="nlp", architecture="lstm")
    assert order(result)[:2] == ["rmsprop", "adam"]
    assert default(result, "rmsprop", "lr") == 1e-3
    assert default(result, "adam", "lr") == 1e-3
    assert "sequence.rnn_rmsprop_or_adam" in fired_for(result, "rmsprop")
    ablated = without("sequence.rnn_rmsprop_or_adam", domain="nlp", architecture="lstm")
    assert order(ablated)[0] != "rmsprop"


def test_time_series_lift_rmsprop() -> None:
    series = advice(domain="timeseries")
    assert "sequence.non_stationary_rmsprop" in fired_for(series, "rmsprop")
    assert cand(series, "rmsprop").score > cand(advice(domain="tabular"), "rmsprop").score
