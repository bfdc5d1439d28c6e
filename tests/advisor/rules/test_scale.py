"""scale.*: small data and simple nets, large models' lr, memory, and batch-size scaling."""

from __future__ import annotations

import math

from tests.advisor.helpers import (
    advice,
    bounds,
    cand,
    default,
    fired_for,
    note_rules,
    order,
    rank,
    without,
)

SMALL = {"domain": "tabular", "architecture": "mlp", "dataset_size": 10_000}
LLM = {"domain": "nlp", "architecture": "transformer", "model_params": 7_000_000_000}


def test_small_data_and_a_simple_net_prefer_sgd_or_momentum() -> None:
    result = advice(**SMALL)
    assert order(result)[0] == "momentum"
    assert rank(result, "sgd") < rank(result, "adamw")
    assert "scale.small_data_simple_net" in fired_for(result, "sgd")
    assert without("scale.small_data_simple_net", **SMALL).best().optimizer.value == "adam"
    # A tiny model counts as simple whatever its architecture; big data does not count as small.
    tiny_cnn = advice(domain="tabular", architecture="cnn", dataset_size=5_000, model_params=50_000)
    assert "scale.small_data_simple_net" in fired_for(tiny_cnn, "momentum")
    big_data = advice(domain="tabular", architecture="mlp", dataset_size=5_000_000)
    assert "scale.small_data_simple_net" not in fired_for(big_data, "momentum")


def test_large_models_pretrain_at_about_1e4() -> None:
    result = advice(**LLM, regime="from_scratch")
    assert default(result, "adamw", "lr") == 1e-4
    assert bounds(result, "adamw", "lr") == (3e-5, 3e-4)
    assert "scale.large_model_lr_from_scratch" in fired_for(result, "adamw")
    ablated = without("scale.large_model_lr_from_scratch", **LLM, regime="from_scratch")
    assert default(ablated, "adamw", "lr") == 6e-4


def test_large_models_fine_tune_at_about_1e5() -> None:
    result = advice(**LLM, regime="fine_tuning")
    assert default(result, "adamw", "lr") == 1e-5
    assert bounds(result, "adamw", "lr") == (3e-6, 3e-5)
    assert "scale.large_model_lr_fine_tuning" in fired_for(result, "adam")
    ablated = without("scale.large_model_lr_fine_tuning", **LLM, regime="fine_tuning")
    assert default(ablated, "adamw", "lr") == 3e-5


def test_memory_bound_training_penalises_optimizer_state() -> None:
    result = advice(**LLM)
    ablated = without("scale.memory_bound", **LLM)

    def loss(family: str) -> float:
        return cand(ablated, family).score - cand(result, family).score

    assert loss("sgd") == 0
    assert 0 < loss("momentum") < loss("adam")
    assert "scale.memory_bound" in note_rules(result)
    assert "scale.memory_bound" not in note_rules(advice(domain="nlp", model_params=10_000_000))


def test_sgd_lr_scales_linearly_with_the_batch() -> None:
    big = advice(domain="vision", architecture="resnet", batch_size=1024)
    assert math.isclose(default(big, "momentum", "lr") or 0, 0.4)
    low, high = bounds(big, "momentum", "lr")
    assert math.isclose(low, 0.04) and math.isclose(high, 1.2)
    small = advice(domain="vision", architecture="resnet", batch_size=64)
    assert math.isclose(default(small, "sgd", "lr") or 0, 0.025)
    assert "scale.sgd_lr_scales_with_batch" in fired_for(big, "nesterov")
    # Adam-family lrs do not move with the batch here.
    assert default(big, "adam", "lr") == 1e-3
    assert (
        default(
            without(
                "scale.sgd_lr_scales_with_batch",
                domain="vision",
                architecture="resnet",
                batch_size=1024,
            ),
            "momentum",
            "lr",
        )
        == 0.1
    )
