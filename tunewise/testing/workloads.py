"""Near-zero-cost workloads for the worker tests, and ones that fail on purpose.

They are installed into worker processes through a real entry point (see
:func:`entry_point_path`): a throwaway ``*.dist-info`` folder on ``PYTHONPATH`` names them in
the group ``tunewise.workloads``, which ``importlib.metadata`` finds like any installed package.

The model squashes its output with tanh and the targets lie in [-0.5, 0.5], so the loss is
bounded whatever the lr: a sampled config never diverges by itself, and only the workloads
meant to fail do.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import torch
from torch import Tensor, nn

from advisor.task import Architecture, Domain
from tunewise.wire.models import Budget, JobCreate, Objective
from workers.workloads import Dataset, Split, Workload, WorkloadSpec

FEATURES = 4
EXAMPLES = 32
#: Seconds each training step of ``tw-slow`` sleeps (read in the worker process).
SLOW_STEP_ENV = "TW_SLOW_STEP_S"


def make_spec(name: str, summary: str) -> WorkloadSpec:
    return WorkloadSpec(
        name=name,
        summary=summary,
        domain=Domain.OTHER,
        architecture=Architecture.MLP,
        metric="mse",
        direction="minimize",
        default_epochs=3,
        default_batch_size=EXAMPLES,
    )


class Instant(Workload):
    """A bounded regression on 32 points: an epoch is one step and costs next to nothing."""

    spec = make_spec("tw-instant", "bounded linear regression on 32 points, for coordination tests")

    def make_data(self, size: int, seed: int) -> Dataset:
        gen = torch.Generator().manual_seed(seed)
        x = torch.randn(2 * EXAMPLES, FEATURES, generator=gen)
        y = (x @ torch.linspace(-0.2, 0.2, FEATURES)).clamp(-0.5, 0.5).unsqueeze(1)
        return Dataset(Split((x[:EXAMPLES],), y[:EXAMPLES]), Split((x[EXAMPLES:],), y[EXAMPLES:]))

    def make_model(self, size: int) -> nn.Module:
        return nn.Sequential(nn.Linear(FEATURES, 1), nn.Tanh())

    def loss(self, outputs: Tensor, target: Tensor) -> Tensor:
        return nn.functional.mse_loss(outputs, target)

    def metric(self, outputs: Tensor, target: Tensor) -> Tensor:
        return nn.functional.mse_loss(outputs, target)


class Slow(Instant):
    """Like tw-instant, but each step sleeps: a trial that is surely mid-way when killed."""

    spec = make_spec("tw-slow", "tw-instant with a sleep in every step")

    def forward(self, model: nn.Module, inputs: tuple[Tensor, ...]) -> Tensor:
        if model.training:
            time.sleep(float(os.environ.get(SLOW_STEP_ENV, "0.5")))
        return super().forward(model, inputs)


class Raises(Instant):
    spec = make_spec("tw-raises", "raises in its first step")

    def forward(self, model: nn.Module, inputs: tuple[Tensor, ...]) -> Tensor:
        raise RuntimeError("workload bug: index 7 out of range")


class ReturnsNan(Instant):
    spec = make_spec("tw-nan", "a loss that is NaN from the first step")

    def loss(self, outputs: Tensor, target: Tensor) -> Tensor:
        return super().loss(outputs, target) * float("nan")


class OutOfMemory(Instant):
    spec = make_spec("tw-oom", "runs out of GPU memory in its first step")

    def forward(self, model: nn.Module, inputs: tuple[Tensor, ...]) -> Tensor:
        raise torch.cuda.OutOfMemoryError(
            "CUDA out of memory. Tried to allocate 20.00 GiB (GPU 0; 79.10 GiB total capacity)"
        )


ALL: tuple[type[Workload], ...] = (Instant, Slow, Raises, ReturnsNan, OutOfMemory)


def small_job(
    workload: str, n_trials: int, max_epochs: int = 2, seed: int = 3, **extra: Any
) -> JobCreate:
    """A seeded job minimising mse over one of these workloads, without pruning; ``extra``:
    more JobCreate fields."""
    return JobCreate.model_validate(
        {
            "task": {"domain": "tabular", "architecture": "mlp"},
            "workload": workload,
            "objective": Objective(metric="mse", direction="minimize"),
            "budget": Budget(n_trials=n_trials, max_epochs=max_epochs),
            "pruner": "none",
            "seed": seed,
            **extra,
        }
    )


def write_entry_points(folder: Path, distribution: str, points: dict[str, str]) -> None:
    """A ``<distribution>-0.1.dist-info`` in ``folder`` registering ``points`` (workload name
    → "module:attribute") under ``tunewise.workloads``, as installing a package would."""
    dist_info = folder / f"{distribution.replace('-', '_')}-0.1.dist-info"
    dist_info.mkdir(parents=True, exist_ok=True)
    (dist_info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {distribution}\nVersion: 0.1\n"
    )
    lines = [f"{name} = {target}" for name, target in points.items()]
    (dist_info / "entry_points.txt").write_text("[tunewise.workloads]\n" + "\n".join(lines) + "\n")


def entry_point_path(folder: Path) -> Path:
    """Registers :data:`ALL` in ``folder`` and returns it, for a worker's ``PYTHONPATH``."""
    points = {w.spec.name: f"{__name__}:{w.__name__}" for w in ALL}
    write_entry_points(folder, "tunewise-test-workloads", points)
    return folder
