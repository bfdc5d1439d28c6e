"""current.*: the person's current optimizer and values are the starting point."""

from __future__ import annotations

from tests.advisor.helpers import advice, cand, default, fired_for, without


def test_the_current_optimizer_keeps_its_values_and_a_small_bonus() -> None:
    current = {"optimizer": "adam", "lr": 5e-4, "beta2": 0.99, "weight_decay": 0}
    result = advice(domain="other", current=current)
    adam = cand(result, "adam")
    assert adam.defaults.lr == 5e-4
    assert adam.defaults.beta2 == 0.99
    # Weight decay 0 means "off": it is left to torch's default, not forced into a log range.
    assert adam.defaults.weight_decay is None
    assert "current.start_from_current" in fired_for(result, "adam")
    assert (
        adam.score
        > cand(without("current.start_from_current", domain="other", current=current), "adam").score
    )
    assert "current.start_from_current" not in fired_for(result, "adamw")


def test_values_outside_the_usual_range_stretch_the_range() -> None:
    result = advice(domain="other", current={"optimizer": "momentum", "lr": 0.8, "momentum": 0.5})
    momentum = cand(result, "momentum")
    assert momentum.defaults.lr == 0.8 and momentum.defaults.momentum == 0.5
    assert momentum.search_space["lr"].contains(0.8)
    assert momentum.search_space["momentum"].contains(0.5)


def test_nesterov_never_takes_momentum_zero() -> None:
    result = advice(domain="other", current={"optimizer": "nesterov", "momentum": 0})
    assert default(result, "nesterov", "momentum") == 0.9
