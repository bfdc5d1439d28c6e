"""default.*: the seeds' starting point."""

from __future__ import annotations

from tests.advisor.helpers import advice, cand, default, fired_for, without

UNKNOWN = {"domain": "other"}


def test_family_priors_rank_the_seed_families_by_the_seeds_standing() -> None:
    result = advice(**UNKNOWN)
    scores = {c.optimizer.value: c.score for c in result.candidates}
    assert scores["adam"] > scores["adamw"] > scores["momentum"] > scores["sgd"]
    assert scores["sgd"] > scores["adagrad"]
    assert "default.family_priors" in fired_for(result, "momentum")
    flat = without("default.family_priors", **UNKNOWN)
    assert cand(flat, "momentum").score == cand(flat, "sgd").score == cand(flat, "adagrad").score


def test_adam_cosine_is_the_answer_for_an_unknown_task() -> None:
    result = advice(**UNKNOWN)
    best = result.best()
    assert best.optimizer.value == "adam"
    assert best.defaults.hyperparameters() == {
        "lr": 1e-3,
        "beta1": 0.9,
        "beta2": 0.999,
        "eps": 1e-8,
    }
    assert best.schedule.name.value == "cosine"
    assert "default.adam_cosine" in fired_for(result, "adam")
    assert cand(without("default.adam_cosine", **UNKNOWN), "adam").score < best.score


def test_seed_hyperparameters_fill_the_standard_values() -> None:
    result = advice(**UNKNOWN)
    assert default(result, "momentum", "momentum") == 0.9
    assert default(result, "nesterov", "momentum") == 0.9
    assert default(result, "rmsprop", "alpha") == 0.99
    assert default(result, "adagrad", "lr") == 0.01
    assert default(result, "adagrad", "eps") == 1e-10
    assert default(result, "adamw", "beta2") == 0.999
    # Weight decay stays off (torch's 0) for coupled families unless a rule asks for it.
    assert default(result, "adam", "weight_decay") is None
    bare = without("default.seed_hyperparameters", **UNKNOWN)
    assert default(bare, "momentum", "momentum") is None
    assert default(bare, "rmsprop", "alpha") is None
