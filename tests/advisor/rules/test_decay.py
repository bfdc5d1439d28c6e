"""decay.*: decoupled versus coupled weight decay, and no decay on biases and norms."""

from __future__ import annotations

from tests.advisor.helpers import advice, bounds, cand, default, without

UNKNOWN = {"domain": "other"}


def test_decoupled_decay_defaults_on_and_biases_and_norms_never_decay() -> None:
    result = advice(**UNKNOWN)
    assert default(result, "adamw", "weight_decay") == 0.01
    groups = {g.name: g for g in cand(result, "adamw").param_groups}
    assert groups["no_decay"].settings == {"weight_decay": 0.0}
    assert groups["no_decay"].rule == "decay.decoupled_no_decay_on_norm_and_bias"
    assert "no_decay" in {g.name for g in cand(result, "sgd").param_groups}
    # SparseAdam takes no weight decay, so it gets no such group.
    assert cand(result, "sparse_adam").param_groups == ()
    bare = without("decay.decoupled_no_decay_on_norm_and_bias", **UNKNOWN)
    assert "no_decay" not in {g.name for g in cand(bare, "adamw").param_groups}


def test_weight_decay_ranges_follow_the_coupling() -> None:
    result = advice(**UNKNOWN)
    for coupled in ("sgd", "momentum"):
        assert bounds(result, coupled, "weight_decay") == (1e-5, 5e-4)
    # Adaptive ones publish far smaller L2 (decay.adaptive_l2_small, from the recipe corpus).
    for coupled in ("adam", "rmsprop", "adagrad"):
        assert bounds(result, coupled, "weight_decay") == (1e-6, 5e-4)
    for decoupled in ("adamw", "nadam", "adafactor", "muon"):
        assert bounds(result, decoupled, "weight_decay") == (1e-3, 0.3)
    seed_only = without("decay.ranges_by_coupling", **UNKNOWN)
    assert bounds(seed_only, "adamw", "weight_decay") == (1e-4, 0.1)
    assert "weight_decay" not in cand(seed_only, "sgd").search_space
