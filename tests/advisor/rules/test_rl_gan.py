"""rl_gan.*: adaptive methods for unstable training, with PPO, DQN and GAN recipes."""

from __future__ import annotations

from tests.advisor.helpers import advice, bounds, cand, default, fired_for, order, without


def test_rl_and_gans_rank_adam_then_rmsprop_above_sgd() -> None:
    for domain in ("rl", "gan"):
        result = advice(domain=domain)
        assert order(result)[:2] == ["adam", "rmsprop"]
        assert "rl_gan.adaptive_for_unstable" in fired_for(result, "momentum")
        ablated = without("rl_gan.adaptive_for_unstable", domain=domain)
        assert cand(result, "momentum").score < cand(ablated, "momentum").score


def test_rl_uses_the_ppo_recipe_for_adam_and_the_dqn_lr_for_rmsprop() -> None:
    result = advice(domain="rl")
    adam = cand(result, "adam")
    assert adam.defaults.lr == 3e-4
    assert adam.defaults.eps == 1e-5
    low, high = bounds(result, "adam", "eps")
    assert low < 1e-5 < high
    assert adam.schedule.name.value == "warmup_linear" and adam.schedule.warmup_fraction == 0
    assert default(result, "rmsprop", "lr") == 2.5e-4
    assert "rl_gan.ppo_dqn_recipes" in fired_for(result, "adam")
    assert default(without("rl_gan.ppo_dqn_recipes", domain="rl"), "adam", "eps") == 1e-8


def test_gans_use_adam_with_a_low_beta1() -> None:
    result = advice(domain="gan")
    assert default(result, "adam", "beta1") == 0.5
    assert bounds(result, "adam", "beta1") == (0.0, 0.9)
    assert default(result, "adam", "lr") == 2e-4
    assert "rl_gan.gan_betas" in fired_for(result, "adam")
    assert default(without("rl_gan.gan_betas", domain="gan"), "adam", "beta1") == 0.9
