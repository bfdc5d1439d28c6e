"""Tiny workloads for runner tests: a linear problem that trains in milliseconds, and
variants that misbehave on purpose at a chosen step."""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

from advisor.task import Architecture, Domain
from workers.workloads import Dataset, Split, Workload, WorkloadSpec


class Line(Workload):
    """256 examples of a noisy linear map; batches of 32, so 8 steps an epoch."""

    spec = WorkloadSpec(
        name="line",
        summary="noisy linear regression",
        domain=Domain.OTHER,
        architecture=Architecture.MLP,
        metric="mse",
        direction="minimize",
        default_epochs=3,
        default_batch_size=32,
    )

    def __init__(self) -> None:
        self.steps = 0

    def make_data(self, size: int, seed: int) -> Dataset:
        gen = torch.Generator().manual_seed(seed)
        x = torch.randn(320, 4, generator=gen)
        y = x @ torch.tensor([1.0, -2.0, 0.5, 3.0]) + 0.1 * torch.randn(320, generator=gen)
        return Dataset(train=Split((x[:256],), y[:256]), valid=Split((x[256:],), y[256:]))

    def make_model(self, size: int) -> nn.Module:
        return _Net(8 * size)

    def loss(self, outputs: Tensor, target: Tensor) -> Tensor:
        self.steps += 1
        return nn.functional.mse_loss(outputs, target)

    def metric(self, outputs: Tensor, target: Tensor) -> Tensor:
        return nn.functional.mse_loss(outputs, target)


class _Net(nn.Module):
    def __init__(self, width: int) -> None:
        super().__init__()
        self.body = nn.Linear(4, width)
        self.head = nn.Linear(width, 1)

    def forward(self, x: Tensor) -> Tensor:
        out: Tensor = self.head(torch.relu(self.body(x))).squeeze(1)
        return out


class NanAt(Line):
    def __init__(self, step: int) -> None:
        super().__init__()
        self.bad_step = step

    def loss(self, outputs: Tensor, target: Tensor) -> Tensor:
        loss = super().loss(outputs, target)
        return loss * math.nan if self.steps == self.bad_step else loss


class RaisesAt(Line):
    def __init__(self, step: int, error: BaseException) -> None:
        super().__init__()
        self.bad_step, self.error = step, error

    def loss(self, outputs: Tensor, target: Tensor) -> Tensor:
        loss = super().loss(outputs, target)
        if self.steps == self.bad_step:
            raise self.error
        return loss


class InfiniteMetric(Line):
    def metric(self, outputs: Tensor, target: Tensor) -> Tensor:
        return torch.tensor(math.inf)
