"""betas.*: when beta2 drops below 0.999, and why."""

from __future__ import annotations

from tests.advisor.helpers import advice, bounds, default, fired_for, without

MID_MODEL = {"domain": "vision", "architecture": "cnn", "model_params": 300_000_000}
LONG_RUN = {"domain": "tabular", "epochs": 400}


def test_large_models_and_long_runs_lower_beta2_to_098_in_the_seeds() -> None:
    result = advice(**MID_MODEL)
    assert default(result, "adam", "beta2") == 0.98
    assert default(result, "adamw", "beta2") == 0.98
    low, high = bounds(result, "adam", "beta2")
    assert low <= 0.95 and high < 0.999 + 1e-9
    assert "betas.lower_beta2" in fired_for(result, "adam")
    seed_only = without("betas.stability_not_run_length", **LONG_RUN)
    assert default(seed_only, "adam", "beta2") == 0.98
    assert default(advice(domain="tabular"), "adam", "beta2") == 0.999


def test_a_long_run_alone_keeps_beta2_0999() -> None:
    result = advice(**LONG_RUN)
    assert default(result, "adam", "beta2") == 0.999
    assert "betas.stability_not_run_length" in fired_for(result, "adam")
    assert default(advice(**LONG_RUN, model_params=300_000_000), "adam", "beta2") == 0.98


def test_billion_parameter_models_and_loss_spikes_take_beta2_095() -> None:
    big = advice(domain="nlp", architecture="transformer", model_params=2_000_000_000)
    assert default(big, "adamw", "beta2") == 0.95
    assert bounds(big, "adamw", "beta2") == (0.9, 0.99)
    spikes = advice(domain="tabular", symptoms=["loss_spikes"])
    assert default(spikes, "adam", "beta2") == 0.95
    assert "betas.stability_beta2" in fired_for(spikes, "adam")
    ablated = without("betas.stability_beta2", domain="tabular", symptoms=["loss_spikes"])
    assert default(ablated, "adam", "beta2") == 0.98
