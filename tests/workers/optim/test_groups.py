"""Parameter groups: what gets weight decay, what is sparse, what trains at the backbone lr."""

from __future__ import annotations

import pytest

from advisor.config import TrainConfig
from tests.workers.models import Mixed, names_in
from workers.errors import OptimizerConfigError
from workers.optim import build_optimizer, plan_parameters

EXEMPT = {
    "words.weight",  # embedding
    "conv.bias",
    "batch_norm.weight",
    "batch_norm.bias",
    "body.bias",
    "layer_norm.weight",
    "layer_norm.bias",
    "head.bias",
}
DECAYED = {"conv.weight", "body.weight", "head.weight"}


def test_biases_norms_and_embeddings_get_no_weight_decay() -> None:
    model = Mixed()
    optimizers = build_optimizer(model, TrainConfig(optimizer="adamw", lr=1e-3, weight_decay=0.05))

    decay, no_decay = optimizers.group("decay"), optimizers.group("no_decay")

    assert decay["weight_decay"] == 0.05
    assert no_decay["weight_decay"] == 0.0
    assert names_in([decay], model) == DECAYED
    assert names_in([no_decay], model) == EXEMPT


def test_turning_the_rule_off_decays_every_dense_parameter() -> None:
    model = Mixed()
    config = TrainConfig(
        optimizer="adamw", lr=1e-3, weight_decay=0.05, no_decay_bias_and_norm=False
    )
    optimizers = build_optimizer(model, config)

    assert names_in([optimizers.group("decay")], model) == DECAYED | EXEMPT
    with pytest.raises(KeyError, match="no param group named 'no_decay'"):
        optimizers.group("no_decay")


def test_every_trainable_parameter_is_in_exactly_one_group() -> None:
    model = Mixed()
    optimizers = build_optimizer(model, TrainConfig(optimizer="muon", lr=1e-3))
    ids = [id(p) for g in optimizers.param_groups() for p in g["params"]]

    assert sorted(ids) == sorted(id(p) for p in model.parameters())


def test_frozen_parameters_are_left_out() -> None:
    model = Mixed()
    model.body.requires_grad_(False)
    plan = plan_parameters(model)

    assert not {"body.weight", "body.bias"} & {n for g in plan.groups for n in g.param_names}


def test_backbone_trains_at_lr_times_ratio_and_the_head_at_full_lr() -> None:
    model = Mixed(sparse=False)
    config = TrainConfig(optimizer="adamw", lr=1e-3, weight_decay=0.1, backbone_lr_ratio=0.1)
    optimizers = build_optimizer(model, config)

    head_groups = [optimizers.group("head.decay"), optimizers.group("head.no_decay")]
    backbone_groups = [optimizers.group("backbone.decay"), optimizers.group("backbone.no_decay")]
    assert names_in(head_groups, model) == {"head.weight", "head.bias"}
    assert [g["lr"] for g in head_groups] == [1e-3, 1e-3]
    assert [g["lr"] for g in backbone_groups] == pytest.approx([1e-4, 1e-4])
    assert optimizers.group("backbone.no_decay")["weight_decay"] == 0.0
    assert optimizers.group("backbone.decay")["weight_decay"] == 0.1


def test_a_backbone_ratio_without_a_head_is_refused() -> None:
    config = TrainConfig(optimizer="adamw", lr=1e-3, backbone_lr_ratio=0.1)

    with pytest.raises(OptimizerConfigError, match="needs a head"):
        build_optimizer(Mixed(), config, head_modules=("classifier",))


def test_schedules_scale_every_group_from_its_own_initial_lr() -> None:
    model = Mixed(sparse=False)
    config = TrainConfig(optimizer="adamw", lr=1e-3, backbone_lr_ratio=0.5)
    optimizers = build_optimizer(model, config)

    optimizers.set_lr_multiplier(0.1)

    assert optimizers.group("head.decay")["lr"] == pytest.approx(1e-4)
    assert optimizers.group("backbone.decay")["lr"] == pytest.approx(5e-5)
