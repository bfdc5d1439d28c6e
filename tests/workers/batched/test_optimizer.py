"""BatchedOptimizer: every classic family, K trials at once, step for step the same as
torch.optim run trial by trial (through workers.optim.build_optimizer, as a trial alone is)."""

from __future__ import annotations

import pytest
import torch
from torch import Tensor, nn

from advisor.config import ScheduleSpec, TrainConfig
from workers.batched.errors import BatchingError
from workers.batched.optimizer import (
    BatchedOptimizer,
    UpdateRule,
    param_roles,
    resolve_hyperparameters,
    update_rule,
)
from workers.optim import build_optimizer
from workers.schedules import ScheduleClock, lr_multiplier

STEPS = 20
#: float32 after 20 steps: the batched update and torch's differ only in rounding order.
RTOL, ATOL = 1e-5, 1e-7

WARMUP = ScheduleSpec(name="warmup_cosine", warmup_fraction=0.2)
STEP_DECAY = ScheduleSpec(name="step", step_epochs=1, gamma=0.5)
CLOCK = ScheduleClock(total_steps=STEPS, steps_per_epoch=5)

FAMILIES: dict[str, list[TrainConfig]] = {
    "sgd": [
        TrainConfig(optimizer="sgd", lr=0.1),
        TrainConfig(optimizer="sgd", lr=0.03, weight_decay=0.01, schedule=WARMUP),
        TrainConfig(optimizer="sgd", lr=0.05, weight_decay=0.1, no_decay_bias_and_norm=False),
        TrainConfig(optimizer="sgd", lr=0.2, grad_clip_norm=0.5, schedule=STEP_DECAY),
    ],
    "momentum": [
        TrainConfig(optimizer="momentum", lr=0.05),
        TrainConfig(optimizer="momentum", lr=0.01, momentum=0.99, weight_decay=1e-3),
        TrainConfig(optimizer="momentum", lr=0.02, dampening=0.5, schedule=WARMUP),
        TrainConfig(
            optimizer="momentum",
            lr=0.1,
            momentum=0.8,
            no_decay_bias_and_norm=False,
            weight_decay=0.05,
        ),
    ],
    "nesterov": [
        TrainConfig(optimizer="nesterov", lr=0.05),
        TrainConfig(optimizer="nesterov", lr=0.01, momentum=0.95, weight_decay=5e-4),
        TrainConfig(optimizer="nesterov", lr=0.03, momentum=0.7, schedule=STEP_DECAY),
        TrainConfig(optimizer="nesterov", lr=0.08, grad_clip_norm=0.1),
    ],
    "adagrad": [
        TrainConfig(optimizer="adagrad", lr=0.01),
        TrainConfig(optimizer="adagrad", lr=0.1, initial_accumulator_value=0.1),
        TrainConfig(optimizer="adagrad", lr=0.05, eps=1e-6, weight_decay=0.01, schedule=WARMUP),
        TrainConfig(optimizer="adagrad", lr=0.02, weight_decay=0.1, no_decay_bias_and_norm=False),
    ],
    "rmsprop": [
        TrainConfig(optimizer="rmsprop", lr=1e-3),
        TrainConfig(optimizer="rmsprop", lr=1e-2, alpha=0.9, eps=1e-6),
        TrainConfig(optimizer="rmsprop", lr=3e-3, momentum=0.9, weight_decay=1e-3),
        TrainConfig(optimizer="rmsprop", lr=5e-3, alpha=0.95, momentum=0.5, schedule=WARMUP),
    ],
    "adam": [
        TrainConfig(optimizer="adam", lr=1e-3),
        TrainConfig(optimizer="adam", lr=1e-2, beta1=0.8, beta2=0.99, eps=1e-6),
        TrainConfig(optimizer="adam", lr=3e-3, weight_decay=0.01, schedule=WARMUP),
        TrainConfig(optimizer="adam", lr=5e-3, beta2=0.95, grad_clip_norm=0.3),
    ],
    "adamw": [
        TrainConfig(optimizer="adamw", lr=1e-3),
        TrainConfig(optimizer="adamw", lr=1e-2, weight_decay=0.1, beta1=0.85),
        TrainConfig(optimizer="adamw", lr=3e-3, beta2=0.98, eps=1e-7, schedule=STEP_DECAY),
        TrainConfig(optimizer="adamw", lr=5e-3, weight_decay=0.3, no_decay_bias_and_norm=False),
    ],
}


class Net(nn.Module):
    """Decayed matrices, undecayed biases and a norm: every parameter role a trial can give."""

    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Linear(5, 6)
        self.norm = nn.LayerNorm(6)
        self.head = nn.Linear(6, 3)

    def forward(self, x: Tensor) -> Tensor:
        out: Tensor = self.head(torch.tanh(self.norm(self.body(x))))
        return out


def batch_for(trial: int, step: int) -> tuple[Tensor, Tensor]:
    gen = torch.Generator().manual_seed(1000 * trial + step)
    return torch.randn(16, 5, generator=gen), torch.randn(16, 3, generator=gen)


def loss_of(model: nn.Module, trial: int, step: int) -> Tensor:
    x, y = batch_for(trial, step)
    return nn.functional.mse_loss(model(x), y)


def alone(config: TrainConfig, seed: int, trial: int) -> dict[str, Tensor]:
    """The trial trained alone by torch.optim, as the runner builds and schedules it."""
    torch.manual_seed(seed)
    model = Net()
    optimizers = build_optimizer(model, config)
    for step in range(STEPS):
        optimizers.set_lr_multiplier(lr_multiplier(config.schedule, step, CLOCK))
        optimizers.zero_grad()
        loss_of(model, trial, step).backward()  # type: ignore[no-untyped-call]
        if config.grad_clip_norm is not None:
            optimizers.clip_grad_norm(config.grad_clip_norm)
        optimizers.step()
    return {n: p.detach() for n, p in model.named_parameters()}


def together(configs: list[TrainConfig], seeds: list[int]) -> dict[str, Tensor]:
    """The same trials stacked. Each trial's gradient is computed on its own slice by the
    same module, so only the update can differ from the trial alone."""
    models = []
    for seed in seeds:
        torch.manual_seed(seed)
        models.append(Net())
    stacked = {
        name: torch.stack([dict(m.named_parameters())[name].detach() for m in models])
        for name, _ in models[0].named_parameters()
    }
    optimizer = BatchedOptimizer(
        stacked, configs, [param_roles(m, c) for m, c in zip(models, configs, strict=True)]
    )
    probe = Net()
    for step in range(STEPS):
        multipliers = torch.tensor(
            [lr_multiplier(c.schedule, step, CLOCK) for c in configs], dtype=torch.float64
        )
        grads: dict[str, list[Tensor]] = {name: [] for name in stacked}
        for k in range(len(configs)):
            with torch.no_grad():
                for name, p in probe.named_parameters():
                    p.copy_(optimizer.params[name][k])
            probe.zero_grad()
            loss_of(probe, k, step).backward()  # type: ignore[no-untyped-call]
            for name, p in probe.named_parameters():
                assert p.grad is not None
                grads[name].append(p.grad.clone())
        optimizer.zero_grad()
        for name, stack in optimizer.params.items():
            stack.grad = torch.stack(grads[name])
        optimizer.step(multipliers)
    return {n: p.detach() for n, p in optimizer.params.items()}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_each_family_matches_torch_optim_trial_by_trial_after_20_steps(family: str) -> None:
    configs = FAMILIES[family]
    seeds = [7, 7, 11, 13]  # two trials share a seed: same init, different hyperparameters
    batched = together(configs, seeds)
    for k, (config, seed) in enumerate(zip(configs, seeds, strict=True)):
        reference = alone(config, seed, k)
        for name, expected in reference.items():
            start = Net()
            assert not torch.equal(expected, dict(start.named_parameters())[name].detach())
            torch.testing.assert_close(
                batched[name][k], expected, rtol=RTOL, atol=ATOL, msg=f"{family} trial {k} {name}"
            )


def test_trials_of_every_family_with_one_rule_share_a_batch() -> None:
    mixed = [*FAMILIES["sgd"][:2], *FAMILIES["momentum"][:2], *FAMILIES["nesterov"][:2]]
    seeds = [1, 2, 3, 4, 5, 6]
    batched = together(mixed, seeds)
    for k, (config, seed) in enumerate(zip(mixed, seeds, strict=True)):
        for name, expected in alone(config, seed, k).items():
            torch.testing.assert_close(batched[name][k], expected, rtol=RTOL, atol=ATOL)
    adam_and_adamw = [FAMILIES["adam"][2], FAMILIES["adamw"][1]]
    batched = together(adam_and_adamw, [1, 2])
    for k, (config, seed) in enumerate(zip(adam_and_adamw, [1, 2], strict=True)):
        for name, expected in alone(config, seed, k).items():
            torch.testing.assert_close(batched[name][k], expected, rtol=RTOL, atol=ATOL)


def test_families_with_different_rules_do_not_share_a_batch() -> None:
    configs = [FAMILIES["adam"][0], FAMILIES["sgd"][0]]
    stacked = {"w": torch.zeros(2, 3)}
    roles = [{"w": param_roles(nn.Linear(3, 1), c)["weight"]} for c in configs]
    with pytest.raises(BatchingError, match="one update rule"):
        BatchedOptimizer(stacked, configs, roles)


@pytest.mark.parametrize("family", ["nadam", "radam", "adafactor", "muon", "sparse_adam"])
def test_families_without_a_batched_rule_are_refused_by_name(family: str) -> None:
    with pytest.raises(BatchingError, match=family):
        update_rule(TrainConfig(optimizer=family, lr=1e-3).optimizer)


def test_rules_group_the_seven_classic_families() -> None:
    rules = {f: update_rule(TrainConfig(optimizer=f, lr=0.1).optimizer) for f in FAMILIES}
    assert rules == {
        "sgd": UpdateRule.SGD,
        "momentum": UpdateRule.SGD,
        "nesterov": UpdateRule.SGD,
        "adagrad": UpdateRule.ADAGRAD,
        "rmsprop": UpdateRule.RMSPROP,
        "adam": UpdateRule.ADAM,
        "adamw": UpdateRule.ADAM,
    }


def test_defaults_are_those_a_trial_alone_gets() -> None:
    assert resolve_hyperparameters(TrainConfig(optimizer="adamw", lr=1e-3)) == {
        "weight_decay_l2": 0.0,
        "weight_decay_decoupled": 0.01,
        "beta1": 0.9,
        "beta2": 0.999,
        "eps": 1e-8,
    }
    momentum = resolve_hyperparameters(TrainConfig(optimizer="momentum", lr=0.1))
    assert momentum["momentum"] == 0.9 and momentum["nesterov"] == 0.0
    damped = resolve_hyperparameters(TrainConfig(optimizer="momentum", lr=0.1, dampening=0.5))
    assert damped["dampening"] == 0.5
    # torch ignores dampening when there is no momentum, so the batch must too.
    still = TrainConfig(optimizer="momentum", lr=0.1, momentum=0.0, dampening=0.5)
    assert resolve_hyperparameters(still)["dampening"] == 0.0


def test_keep_drops_trials_and_their_state() -> None:
    configs = FAMILIES["adam"]
    batched_all = together(configs, [1, 2, 3, 4])
    optimizer = BatchedOptimizer(
        {"w": torch.ones(4, 2)},
        configs,
        [{"w": param_roles(nn.Linear(2, 1), c)["weight"]} for c in configs],
    )
    optimizer.params["w"].grad = torch.ones(4, 2)
    optimizer.step()
    optimizer.keep(torch.tensor([1, 3]))
    assert optimizer.size == 2
    assert optimizer.params["w"].shape == (2, 2) and optimizer.params["w"].is_leaf
    assert optimizer.state["w"]["exp_avg"].shape == (2, 2)
    assert torch.equal(optimizer.hyper["beta2"], torch.tensor([0.99, 0.95], dtype=torch.float64))
    assert batched_all["body.weight"].shape[0] == 4
