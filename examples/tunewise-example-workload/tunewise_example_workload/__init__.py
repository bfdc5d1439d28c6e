"""two-spirals: an MLP separating two interleaved spirals (generated, no downloads)."""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

from advisor.task import Architecture, Domain
from workers.workloads import Dataset, Split, Workload, WorkloadSpec


class TwoSpirals(Workload):
    spec = WorkloadSpec(
        name="two-spirals",
        summary="MLP separating two interleaved spirals of generated 2-D points",
        domain=Domain.OTHER,
        architecture=Architecture.MLP,
        metric="accuracy",
        direction="maximize",
        default_epochs=20,
        default_batch_size=64,
    )

    def make_data(self, size: int, seed: int) -> Dataset:
        gen = torch.Generator().manual_seed(seed)
        train = _spirals(1000 * size, gen)
        valid = _spirals(400, gen)
        return Dataset(train=train, valid=valid)

    def make_model(self, size: int) -> nn.Module:
        width = 64 * size
        return nn.Sequential(
            nn.Sequential(nn.Linear(2, width), nn.Tanh(), nn.Linear(width, width), nn.Tanh()),
            nn.Linear(width, 2),
        )

    # The output layer is the second child of the Sequential above.
    head_modules = ("1",)

    def loss(self, outputs: Tensor, target: Tensor) -> Tensor:
        return nn.functional.cross_entropy(outputs, target)

    def metric(self, outputs: Tensor, target: Tensor) -> Tensor:
        return (outputs.argmax(dim=1) == target).float().mean()


def _spirals(n: int, gen: torch.Generator) -> Split:
    label = torch.randint(0, 2, (n,), generator=gen)
    turn = torch.rand(n, generator=gen) * 2 * math.pi
    angle = turn + label * math.pi
    radius = 0.2 + turn / (2 * math.pi)
    points = torch.stack([radius * torch.cos(angle), radius * torch.sin(angle)], dim=1)
    points += 0.02 * torch.randn(points.shape, generator=gen)
    return Split((points,), label)
