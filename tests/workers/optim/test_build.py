"""Every family the advisor may name builds into the torch optimizer it stands for."""

from __future__ import annotations

import pytest
import torch

from advisor.config import TrainConfig
from advisor.families import FAMILY_PARAMS, OptimizerName
from tests.workers.models import Mixed, train_steps
from workers.optim import BUILTIN_DEFAULTS, FAMILY_BUILDERS, build_optimizer
from workers.optim.adafactor import CappedAdafactor

DENSE_CLASS = {
    "sgd": torch.optim.SGD,
    "momentum": torch.optim.SGD,
    "nesterov": torch.optim.SGD,
    "adagrad": torch.optim.Adagrad,
    "rmsprop": torch.optim.RMSprop,
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "nadam": torch.optim.NAdam,
    "radam": torch.optim.RAdam,
    "adafactor": torch.optim.Adafactor,
    "muon": torch.optim.Muon,
    "sparse_adam": torch.optim.Adam,
}


def test_every_family_has_a_builder_and_built_in_defaults() -> None:
    assert set(FAMILY_BUILDERS) == set(OptimizerName)
    assert set(BUILTIN_DEFAULTS) == set(OptimizerName)
    assert set(DENSE_CLASS) == {f.value for f in OptimizerName}


@pytest.mark.parametrize("family", [f.value for f in OptimizerName])
def test_each_family_builds_and_its_steps_lower_the_loss(family: str) -> None:
    torch.manual_seed(0)
    model = Mixed()
    optimizers = build_optimizer(model, BUILTIN_DEFAULTS[OptimizerName(family)])
    losses = train_steps(model, optimizers, 15)

    assert any(type(o) is DENSE_CLASS[family] for o in optimizers.optimizers)
    assert min(losses[-3:]) < losses[0]


def _dense(config: TrainConfig) -> torch.optim.Optimizer:
    return build_optimizer(Mixed(sparse=False), config).optimizers[0]


def _decayed_group(config: TrainConfig) -> dict[str, object]:
    return build_optimizer(Mixed(sparse=False), config).group("decay")


def test_every_value_of_the_config_reaches_torch() -> None:
    rms = _decayed_group(
        TrainConfig(
            optimizer="rmsprop", lr=0.01, alpha=0.9, momentum=0.5, eps=1e-6, weight_decay=0.1
        )
    )
    assert (rms["lr"], rms["alpha"], rms["momentum"], rms["eps"]) == (0.01, 0.9, 0.5, 1e-6)
    assert rms["weight_decay"] == 0.1

    adam = _dense(TrainConfig(optimizer="adam", lr=2e-3, beta1=0.85, beta2=0.98, eps=1e-7))
    assert adam.param_groups[0]["betas"] == (0.85, 0.98)
    assert adam.param_groups[0]["eps"] == 1e-7

    adagrad = _dense(TrainConfig(optimizer="adagrad", lr=0.1, initial_accumulator_value=0.2))
    assert adagrad.param_groups[0]["initial_accumulator_value"] == 0.2


def test_sgd_families_differ_only_in_momentum() -> None:
    sgd = _dense(TrainConfig(optimizer="sgd", lr=0.1)).param_groups[0]
    momentum = _dense(TrainConfig(optimizer="momentum", lr=0.1, dampening=0.1)).param_groups[0]
    nesterov = _dense(TrainConfig(optimizer="nesterov", lr=0.1, momentum=0.8)).param_groups[0]

    assert (sgd["momentum"], sgd["nesterov"]) == (0.0, False)
    assert (momentum["momentum"], momentum["dampening"], momentum["nesterov"]) == (0.9, 0.1, False)
    assert (nesterov["momentum"], nesterov["nesterov"]) == (0.8, True)


def test_nadam_decays_weights_decoupled_as_the_design_says() -> None:
    group = _decayed_group(TrainConfig(optimizer="nadam", lr=1e-3, weight_decay=0.05))

    assert group["decoupled_weight_decay"] is True
    assert group["weight_decay"] == 0.05


def test_adafactor_with_beta2_uses_the_capped_variant() -> None:
    assert type(_dense(TrainConfig(optimizer="adafactor", lr=1e-2))) is torch.optim.Adafactor
    capped = _dense(TrainConfig(optimizer="adafactor", lr=1e-2, beta2=0.99, eps=1e-30))

    assert type(capped) is CappedAdafactor
    assert (capped.param_groups[0]["beta2"], capped.param_groups[0]["eps1"]) == (0.99, 1e-30)


@pytest.mark.parametrize("family", [f.value for f in OptimizerName])
def test_built_in_defaults_only_hold_values_their_family_takes(family: str) -> None:
    config = BUILTIN_DEFAULTS[OptimizerName(family)]

    assert set(config.hyperparameters()) <= {p.value for p in FAMILY_PARAMS[config.optimizer]}
