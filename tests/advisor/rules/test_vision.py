"""vision.*: SGD+momentum for CNNs, the seeds' conflict over deep CNNs, AdamW for ViTs."""

from __future__ import annotations

from tests.advisor.helpers import (
    advice,
    bounds,
    cand,
    default,
    fired_for,
    notes_text,
    order,
    rank,
    without,
)

RESNET = {"domain": "vision", "architecture": "resnet"}
VIT = {"domain": "vision", "architecture": "vit"}


def test_cnn_sgd_momentum_puts_momentum_on_top_for_resnet() -> None:
    result = advice(**RESNET)
    assert order(result)[:2] == ["momentum", "nesterov"]
    assert default(result, "momentum", "lr") == 0.1
    assert default(result, "momentum", "momentum") == 0.9
    assert "vision.cnn_sgd_momentum" in fired_for(result, "momentum")
    assert without("vision.cnn_sgd_momentum", **RESNET).best().optimizer.value == "adam"


def test_best_generalization_on_vision_keeps_cosine_and_adds_augmentation() -> None:
    result = advice(**RESNET, priority="best_generalization", epochs=90)
    assert cand(result, "momentum").schedule.name.value == "cosine"
    assert "data augmentation" in notes_text(result)
    assert "vision.best_generalization_cosine" in fired_for(result, "momentum")
    ablated = without("vision.best_generalization_cosine", **RESNET, priority="best_generalization")
    assert cand(ablated, "momentum").score < cand(result, "momentum").score


def test_deep_nets_adaptive_lifts_adam_and_rmsprop_for_cnns_and_rnns() -> None:
    result = advice(**RESNET)
    assert rank(result, "adam") == 3
    assert "vision.deep_nets_adaptive" in fired_for(result, "rmsprop")
    ablated = without("vision.deep_nets_adaptive", **RESNET)
    assert cand(ablated, "adam").score < cand(result, "adam").score
    assert cand(ablated, "rmsprop").score < cand(result, "rmsprop").score
    lstm = advice(domain="other", architecture="lstm")
    assert "vision.deep_nets_adaptive" in fired_for(lstm, "adam")


def test_the_conflict_is_resolved_for_sgd_when_balanced_and_both_sides_are_cited() -> None:
    result = advice(**RESNET, priority="balanced")
    assert rank(result, "momentum") < rank(result, "adam")
    reasons = {item.rule: item for item in cand(result, "momentum").rationale}
    conflict = reasons["vision.conflict_sgd_first"]
    assert "disagree" in conflict.text and "fast_convergence" in conflict.text
    assert "tutorial 000, " in conflict.source and "tutorial 004, " in conflict.source
    # Adam's rationale shows the side of the conflict that favours it, and how it was resolved.
    assert "vision.deep_nets_adaptive" in fired_for(result, "adam")
    assert "vision.conflict_sgd_first" in fired_for(result, "adam")
    ablated = without("vision.conflict_sgd_first", **RESNET, priority="balanced")
    assert cand(ablated, "momentum").score < cand(result, "momentum").score


def test_the_conflict_is_resolved_for_adam_under_time_pressure() -> None:
    result = advice(**RESNET, priority="fast_convergence")
    assert result.best().optimizer.value == "adam"
    assert "vision.conflict_adam_first" in fired_for(result, "adam")
    assert "vision.conflict_adam_first" in fired_for(result, "momentum")
    ablated = without("vision.conflict_adam_first", **RESNET, priority="fast_convergence")
    lead = cand(result, "adam").score - cand(result, "momentum").score
    assert cand(ablated, "adam").score - cand(ablated, "momentum").score < lead


def test_vit_trains_with_adamw_warmup_cosine_and_strong_decoupled_decay() -> None:
    result = advice(**VIT)
    assert result.best().optimizer.value == "adamw"
    assert rank(result, "momentum") > 4
    assert default(result, "adamw", "lr") == 1e-3
    assert default(result, "adamw", "weight_decay") == 0.05
    assert bounds(result, "adamw", "weight_decay") == (0.02, 0.3)
    schedule = cand(result, "adamw").schedule
    assert schedule.name.value == "warmup_cosine" and 0 < schedule.warmup_fraction <= 0.1
    assert "vision.vit_adamw" in fired_for(result, "adamw")


def test_vit_lr_scales_linearly_with_the_batch() -> None:
    assert default(advice(**VIT, batch_size=4096), "adamw", "lr") == 4e-3
    assert default(advice(**VIT, batch_size=256), "adamw", "lr") == 2.5e-4


def test_batchnorm_cnn_recipe_adds_weight_decay_1e4_to_sgd() -> None:
    result = advice(**RESNET)
    assert default(result, "momentum", "weight_decay") == 1e-4
    assert default(result, "sgd", "weight_decay") == 1e-4
    assert "vision.batchnorm_cnn_recipe" in fired_for(result, "nesterov")
    assert (
        default(without("vision.batchnorm_cnn_recipe", **RESNET), "momentum", "weight_decay")
        is None
    )
