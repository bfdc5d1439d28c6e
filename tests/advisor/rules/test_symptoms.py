"""symptoms.*: the seeds' decision tree and the Playbook's refinements."""

from __future__ import annotations

import math

from tests.advisor.helpers import (
    advice,
    bounds,
    cand,
    default,
    fired_for,
    note_rules,
    notes_text,
    without,
)

OTHER = {"domain": "other"}


def test_overfitting_switches_to_sgd_momentum_with_weight_decay_1e4() -> None:
    result = advice(**OTHER, symptoms=["overfitting"])
    assert result.best().optimizer.value == "momentum"
    assert default(result, "momentum", "weight_decay") == 1e-4
    assert default(result, "adam", "weight_decay") == 1e-4
    assert "symptoms.overfitting_sgd_momentum" in fired_for(result, "momentum")
    ablated = without("symptoms.overfitting_sgd_momentum", **OTHER, symptoms=["overfitting"])
    assert ablated.best().optimizer.value == "adam"


def test_overfitting_regularises_first_and_tunes_weight_decay_at_any_budget() -> None:
    result = advice(**OTHER, symptoms=["overfitting"], budget_trials=5)
    assert "weight_decay" in result.search.tuned_params
    assert default(result, "adamw", "weight_decay") == 0.05
    assert bounds(result, "adamw", "weight_decay") == (0.01, 0.3)
    assert bounds(result, "momentum", "weight_decay") == (5e-5, 1e-3)
    assert "symptoms.regularise_first" in note_rules(result)
    assert "dropout" in notes_text(result) and "label smoothing" in notes_text(result)
    ablated = without(
        "symptoms.regularise_first", **OTHER, symptoms=["overfitting"], budget_trials=5
    )
    assert "weight_decay" not in ablated.search.tuned_params


def test_slow_convergence_centres_the_lr_range_above_the_current_lr() -> None:
    current = {"optimizer": "momentum", "lr": 0.01}
    result = advice(**OTHER, symptoms=["slow_convergence"], current=current)
    assert bounds(result, "momentum", "lr") == (0.01, 0.1)
    assert math.isclose(default(result, "momentum", "lr") or 0, 0.03)
    assert "symptoms.slow_convergence_raise_lr" in fired_for(result, "momentum")
    # Without a known lr, every family's range moves up threefold.
    blind = advice(**OTHER, symptoms=["slow_convergence"])
    assert math.isclose(default(blind, "adam", "lr") or 0, 3e-3)


def test_oscillation_centres_the_lr_range_below_the_current_lr() -> None:
    result = advice(**OTHER, symptoms=["oscillation"], current={"lr": 0.01})
    # Without the optimizer, the lr is read against the families whose range holds it.
    low, high = bounds(result, "momentum", "lr")
    assert math.isclose(low, 1e-3) and math.isclose(high, 0.01)
    assert math.isclose(default(result, "momentum", "lr") or 0, 0.01 / 3)
    assert "symptoms.oscillation_lower_lr" in fired_for(result, "adagrad")
    assert default(result, "adam", "lr") == 1e-3


def test_a_loss_that_does_not_fall_searches_a_decade_each_way_and_says_what_to_check() -> None:
    result = advice(
        **OTHER, symptoms=["loss_not_decreasing"], current={"optimizer": "adam", "lr": 1e-3}
    )
    low, high = bounds(result, "adam", "lr")
    assert math.isclose(low, 1e-4) and math.isclose(high, 1e-2)
    text = notes_text(result)
    assert "÷10" in text and "×10" in text
    assert "BatchNorm" in text and "data" in text and "lr-find" in text
    assert "symptoms.loss_not_decreasing" in fired_for(result, "adam")


def test_vanishing_gradients_point_at_activations_and_batchnorm() -> None:
    result = advice(**OTHER, symptoms=["vanishing_gradients"])
    assert "symptoms.vanishing_gradients" in note_rules(result)
    assert "BatchNorm" in notes_text(result) and "activations" in notes_text(result)


def test_loss_spikes_bring_warmup_clipping_and_adam() -> None:
    result = advice(**OTHER, symptoms=["loss_spikes"])
    for candidate in result.candidates:
        assert candidate.defaults.grad_clip_norm == 1.0
        assert candidate.schedule.name.value == "warmup_cosine"
        assert 0 < candidate.schedule.warmup_fraction <= 0.1
    assert "symptoms.instability_warmup_clipping" in fired_for(result, "adam")
    ablated = without("symptoms.instability_warmup_clipping", **OTHER, symptoms=["loss_spikes"])
    assert cand(ablated, "adam").score < cand(result, "adam").score
    assert cand(ablated, "adam").defaults.grad_clip_norm is None
