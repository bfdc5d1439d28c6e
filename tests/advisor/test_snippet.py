"""The PyTorch snippet printed for a best config runs as written and builds the optimizer the
harness trained with: for every family, every parameter sees the same class and the same
hyperparameters; the schedule gives the same lr at chosen steps."""

from __future__ import annotations

from typing import Any

import pytest
import torch
from torch import nn

from advisor import TaskDescription, advise
from advisor.config import ScheduleSpec, TrainConfig
from advisor.snippet import pytorch_snippet
from workers.optim import build_optimizer
from workers.schedules import ScheduleClock, lr_multiplier

HYPERPARAMETERS = (
    "lr",
    "weight_decay",
    "momentum",
    "dampening",
    "nesterov",
    "betas",
    "eps",
    "alpha",
    "initial_accumulator_value",
    "decoupled_weight_decay",
)


def model() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 8), nn.LayerNorm(8), nn.ReLU(), nn.Linear(8, 2))


def run_snippet(
    config: TrainConfig, net: nn.Module, total_steps: int | None = None
) -> dict[str, Any]:
    source = pytorch_snippet(config, heading="test")
    if total_steps is not None:
        source = source.replace("total_steps = 10_000", f"total_steps = {total_steps}")
    namespace: dict[str, Any] = {"model": net}
    exec(compile(source, "<snippet>", "exec"), namespace)
    return namespace


def settings_per_parameter(optimizers: list[torch.optim.Optimizer]) -> dict[int, tuple[Any, ...]]:
    """For each parameter: its optimizer's class and its group's hyperparameters."""
    seen: dict[int, tuple[Any, ...]] = {}
    for optimizer in optimizers:
        for group in optimizer.param_groups:
            values = tuple((k, group[k]) for k in HYPERPARAMETERS if k in group)
            for param in group["params"]:
                seen[id(param)] = (type(optimizer).__name__, values)
    return seen


CONFIGS = [
    TrainConfig(optimizer="sgd", lr=0.1, weight_decay=5e-4),
    TrainConfig(optimizer="momentum", lr=0.05, dampening=0.1),
    TrainConfig(optimizer="nesterov", lr=0.05, momentum=0.8, weight_decay=1e-4),
    TrainConfig(optimizer="adagrad", lr=0.01, initial_accumulator_value=0.1),
    TrainConfig(optimizer="rmsprop", lr=1e-3, alpha=0.9, momentum=0.5, eps=1e-6),
    TrainConfig(optimizer="adam", lr=1e-3, beta2=0.98),
    TrainConfig(optimizer="adamw", lr=3e-4, weight_decay=0.05, beta1=0.85, eps=1e-7),
    TrainConfig(optimizer="adamw", lr=3e-4, no_decay_bias_and_norm=False),
    TrainConfig(optimizer="nadam", lr=2e-3, weight_decay=0.02),
    TrainConfig(optimizer="radam", lr=1e-3, beta1=0.95),
    TrainConfig(optimizer="adafactor", lr=1e-2, eps=1e-30, weight_decay=0.01),
    TrainConfig(optimizer="muon", lr=0.02, weight_decay=0.1),
    TrainConfig(optimizer="muon", lr=0.02, momentum=0.9),
]


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: c.optimizer.value)
def test_the_snippet_builds_the_optimizer_the_harness_trained_with(config: TrainConfig) -> None:
    net = model()
    harness = build_optimizer(net, config).optimizers
    namespace = run_snippet(config, net)
    pasted = [v for v in namespace.values() if isinstance(v, torch.optim.Optimizer)]
    assert settings_per_parameter(pasted) == settings_per_parameter(list(harness))


@pytest.mark.parametrize(
    "schedule",
    [
        ScheduleSpec(name="cosine"),
        ScheduleSpec(name="cosine", min_lr_fraction=0.1),
        ScheduleSpec(name="warmup_cosine", warmup_fraction=0.1),
        ScheduleSpec(name="warmup_linear", warmup_fraction=0.05, min_lr_fraction=0.2),
        ScheduleSpec(name="one_cycle"),
        ScheduleSpec(name="one_cycle", warmup_fraction=0.25, min_lr_fraction=0.01),
    ],
    ids=lambda s: f"{s.name.value}-{s.warmup_fraction}-{s.min_lr_fraction}",
)
def test_a_per_step_schedule_gives_the_harness_lr_at_every_step(schedule: ScheduleSpec) -> None:
    config = TrainConfig(optimizer="adam", lr=0.01, schedule=schedule)
    total = 200
    namespace = run_snippet(config, model(), total_steps=total)
    optimizer, scheduler = namespace["optimizer"], namespace["scheduler"]
    clock = ScheduleClock(total_steps=total, steps_per_epoch=20)
    for step in range(total):
        expected = 0.01 * lr_multiplier(schedule, step, clock)
        assert optimizer.param_groups[0]["lr"] == pytest.approx(expected, rel=1e-6, abs=1e-12)
        optimizer.step()
        scheduler.step()


@pytest.mark.parametrize(
    "schedule",
    [ScheduleSpec(name="step", step_epochs=3, gamma=0.5), ScheduleSpec(name="exponential")],
    ids=lambda s: s.name.value,
)
def test_a_per_epoch_schedule_gives_the_harness_lr_at_every_epoch(schedule: ScheduleSpec) -> None:
    config = TrainConfig(optimizer="sgd", lr=0.1, schedule=schedule)
    namespace = run_snippet(config, model())
    optimizer, scheduler = namespace["optimizer"], namespace["scheduler"]
    clock = ScheduleClock(total_steps=100, steps_per_epoch=10)
    for epoch in range(10):
        expected = 0.1 * lr_multiplier(schedule, epoch * 10, clock)
        assert optimizer.param_groups[0]["lr"] == pytest.approx(expected)
        optimizer.step()
        scheduler.step()


def test_a_constant_schedule_needs_no_scheduler_and_no_math() -> None:
    source = pytorch_snippet(TrainConfig(optimizer="adam", lr=1e-3))
    assert "scheduler" not in source and "import math" not in source


def test_what_the_snippet_cannot_build_is_said_in_comments() -> None:
    config = TrainConfig(
        optimizer="adamw",
        lr=1e-4,
        grad_clip_norm=1.0,
        backbone_lr_ratio=0.1,
        sparse_optimizer="adagrad",
        sparse_lr=0.05,
        batch_size=64,
    )
    source = pytorch_snippet(config)
    assert "clip_grad_norm_(model.parameters(), max_norm=1.0)" in source
    assert "lr=1e-05 (lr × 0.1)" in source
    assert "torch.optim.Adagrad at lr=0.05" in source
    assert "# Batch size: 64" in source
    run_snippet(config, model())  # and it still runs


class Tagger(nn.Module):
    """Every kind of parameter the decay split must sort: embeddings, weight matrices, biases,
    LayerNorm and BatchNorm gains, and a weight shared by two layers."""

    def __init__(self) -> None:
        super().__init__()
        torch.manual_seed(0)
        self.embed = nn.Embedding(10, 8)
        self.hidden = nn.Linear(8, 8)
        self.norm = nn.LayerNorm(8)
        self.batch_norm = nn.BatchNorm1d(8)
        self.head = nn.Linear(8, 10, bias=False)
        self.head.weight = self.embed.weight  # tied, as in language models


def weight_decay_by_name(net: nn.Module, optimizer: torch.optim.Optimizer) -> dict[str, float]:
    decay_of = {id(p): g["weight_decay"] for g in optimizer.param_groups for p in g["params"]}
    return {name: decay_of[id(p)] for name, p in net.named_parameters()}


def test_weight_matrices_get_the_advised_decay_and_biases_norms_embeddings_get_none() -> None:
    advice = advise(TaskDescription(domain="vision", architecture="resnet"))
    candidate = next(c for c in advice.candidates if c.optimizer.value == "momentum")
    advised = candidate.defaults.weight_decay
    assert advised is not None and advised > 0
    net = Tagger()
    optimizer = run_snippet(candidate.defaults, net)["optimizer"]
    assert weight_decay_by_name(net, optimizer) == {
        "embed.weight": 0.0,
        "hidden.weight": pytest.approx(advised, rel=1e-5),
        "hidden.bias": 0.0,
        "norm.weight": 0.0,
        "norm.bias": 0.0,
        "batch_norm.weight": 0.0,
        "batch_norm.bias": 0.0,
    }
    harness = build_optimizer(net, candidate.defaults).optimizers
    assert settings_per_parameter([optimizer]) == settings_per_parameter(list(harness))


def test_a_config_without_weight_decay_builds_one_group_without_decay_and_says_so() -> None:
    config = TrainConfig(optimizer="adam", lr=1e-3)
    net = Tagger()
    namespace = run_snippet(config, net)
    groups = namespace["optimizer"].param_groups
    assert len(groups) == 1 and groups[0]["weight_decay"] == 0.0
    assert len(groups[0]["params"]) == len(list(net.parameters()))
    assert "No weight decay: this config leaves it unset" in pytorch_snippet(config)
