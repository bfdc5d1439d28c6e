"""sequence-lstm: an LSTM forecasting generated signals (sums of sinusoids with noise)."""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

from advisor.task import Architecture, Domain
from workers.workloads.base import Dataset, Split, Workload, WorkloadSpec
from workers.workloads.data import generator

HISTORY = 48
HORIZON = 8


class SequenceLstm(Workload):
    spec = WorkloadSpec(
        name="sequence-lstm",
        summary="LSTM forecasting the next 8 points of generated noisy multi-sine signals",
        domain=Domain.TIMESERIES,
        architecture=Architecture.LSTM,
        metric="mse",
        direction="minimize",
        default_epochs=10,
        default_batch_size=64,
    )

    def make_data(self, size: int, seed: int) -> Dataset:
        gen = generator(seed)
        train = _signals(2048 * size, gen)
        valid = _signals(256, gen)
        return Dataset(
            train=Split((train[:, :HISTORY, None],), train[:, HISTORY:]),
            valid=Split((valid[:, :HISTORY, None],), valid[:, HISTORY:]),
        )

    def make_model(self, size: int) -> nn.Module:
        return _Forecaster(hidden=64 * size)

    def loss(self, outputs: Tensor, target: Tensor) -> Tensor:
        return nn.functional.mse_loss(outputs, target)

    def metric(self, outputs: Tensor, target: Tensor) -> Tensor:
        return nn.functional.mse_loss(outputs.float(), target)


def _signals(n: int, gen: torch.Generator) -> Tensor:
    """``n`` windows of ``HISTORY + HORIZON`` points: three sines of random period, amplitude
    and phase, plus noise, with unit variance on average."""
    t = torch.arange(HISTORY + HORIZON, dtype=torch.float32)
    periods = 6.0 + 30.0 * torch.rand(n, 3, 1, generator=gen)
    phases = 2 * math.pi * torch.rand(n, 3, 1, generator=gen)
    amplitudes = torch.rand(n, 3, 1, generator=gen)
    waves = (amplitudes * torch.sin(2 * math.pi * t / periods + phases)).sum(dim=1)
    return waves + 0.1 * torch.randn(waves.shape, generator=gen)


class _Forecaster(nn.Module):
    def __init__(self, hidden: int) -> None:
        super().__init__()
        self.lstm = nn.LSTM(1, hidden, batch_first=True)
        self.head = nn.Linear(hidden, HORIZON)

    def forward(self, history: Tensor) -> Tensor:
        _, (last_hidden, _) = self.lstm(history)
        forecast: Tensor = self.head(last_hidden[-1])
        return forecast
