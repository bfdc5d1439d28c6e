"""The learning-rate range test (the seeds' lr finder, seed 000 "学习率查找器").

Train from a fresh model while the lr grows exponentially, one batch per step, from 1e-7 to
10 over about 100 steps; smooth the loss with a bias-corrected moving average; stop once it
explodes. The suggestion is the lr where the smoothed loss falls fastest (per decade of lr)
before its minimum: high enough to learn quickly, clear of the cliff.
"""

from __future__ import annotations

import math
import time
from typing import Annotated, Self

import numpy as np
import torch
from pydantic import BaseModel, ConfigDict, Field, model_validator

from advisor.config import TrainConfig
from advisor.families import OptimizerName
from workers.device import autocast, autocast_dtype, isolated_rng, resolve_device
from workers.optim import build_optimizer
from workers.runner.batches import ShuffledBatches
from workers.runner.options import RunOptions
from workers.workloads import Workload, WorkloadRegistry

#: Points skipped at the start when looking for the steepest descent: the first losses are
#: one batch each, before the average has anything to smooth.
SKIP_START = 5
#: The smoothed loss must fall below this × its early value for a suggestion to be made.
MIN_FALL = 0.9


class SweepSettings(BaseModel):
    """The range test's knobs; the defaults are the seeds' (1e-7 to 10 over 100 steps)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start_lr: Annotated[float, Field(gt=0)] = 1e-7
    end_lr: Annotated[float, Field(gt=0)] = 10.0
    steps: Annotated[int, Field(ge=SKIP_START + 3, le=100_000)] = 100
    #: β of the moving average. 0.9 averages about ten steps, under a decade of lr at 100
    #: steps over eight decades; fastai's 0.98 would lag the curve by four decades here.
    smoothing: Annotated[float, Field(ge=0, lt=1)] = 0.9
    #: Stop once the smoothed loss passes this × its minimum.
    stop_factor: Annotated[float, Field(gt=1)] = 4.0

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if not self.start_lr < self.end_lr:
            raise ValueError(f"start_lr ({self.start_lr}) must be below end_lr ({self.end_lr})")
        return self


class LrPoint(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    lr: float
    loss: float
    smoothed: float


class LrFinderResult(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    workload: str
    optimizer: OptimizerName
    #: None when the curve never fell (no lr in the range trains this model).
    suggested_lr: float | None
    #: The lr at the smoothed loss's minimum; a tenth of it is the other common rule of thumb.
    min_loss_lr: float
    curve: tuple[LrPoint, ...]
    #: Why the sweep ended: "reached end_lr" or how the loss exploded.
    stop_reason: str
    device: str
    seconds: float


def find_lr(
    workload: str | Workload,
    config: TrainConfig,
    *,
    sweep: SweepSettings | None = None,
    device: str = "auto",
    seed: int = 0,
    size: int = 1,
    registry: WorkloadRegistry | None = None,
    options: RunOptions | None = None,
) -> LrFinderResult:
    """Sweep ``config.lr`` (its other values as given). Dense param groups are scaled alike,
    so a backbone ratio keeps its proportion; sparse embeddings keep their own ``sparse_lr``."""
    sweep = sweep or SweepSettings()
    if isinstance(workload, str):
        workload = (registry or WorkloadRegistry.discover()).get(workload)
    target = resolve_device(device)
    options = options or RunOptions()
    started = time.perf_counter()
    with isolated_rng(target, seed):
        lrs, losses, stop_reason = _sweep(
            workload, config, sweep, device=target, options=options, seed=seed, size=size
        )
    smoothed = _smooth(losses, sweep.smoothing)
    curve = tuple(
        LrPoint(lr=lr, loss=loss, smoothed=s)
        for lr, loss, s in zip(lrs, losses, smoothed, strict=True)
    )
    finite = [s if math.isfinite(s) else math.inf for s in smoothed]
    return LrFinderResult(
        workload=workload.spec.name,
        optimizer=config.optimizer,
        suggested_lr=suggest(lrs, smoothed),
        min_loss_lr=lrs[finite.index(min(finite))],
        curve=curve,
        stop_reason=stop_reason,
        device=str(target),
        seconds=time.perf_counter() - started,
    )


def _sweep(
    workload: Workload,
    config: TrainConfig,
    sweep: SweepSettings,
    *,
    device: torch.device,
    options: RunOptions,
    seed: int,
    size: int,
) -> tuple[list[float], list[float], str]:
    data = workload.make_data(size, options.data_seed).train.to(device)
    model = workload.make_model(size).to(device)
    optimizers = build_optimizer(model, config, workload.head_modules)
    batches = ShuffledBatches(
        len(data), config.batch_size or workload.spec.default_batch_size, seed, device
    )
    dtype = autocast_dtype(device, options.precision)
    lrs: list[float] = []
    losses: list[float] = []
    average, best = 0.0, math.inf
    model.train()
    order = batches.epoch()
    for i, lr in enumerate(np.geomspace(sweep.start_lr, sweep.end_lr, sweep.steps).tolist()):
        index = next(order, None)
        if index is None:
            order = batches.epoch()
            index = next(order)
        optimizers.set_lr_multiplier(lr / config.lr, sparse_too=False)
        batch = data.take(index)
        with autocast(device, dtype):
            loss = workload.loss(workload.forward(model, batch.inputs), batch.target)
        optimizers.zero_grad()
        loss.backward()  # type: ignore[no-untyped-call]
        optimizers.step()
        value = float(loss.item())
        lrs.append(lr)
        losses.append(value)
        if not math.isfinite(value):
            return lrs, losses, f"loss became {value} at lr {lr:.3g}"
        average = sweep.smoothing * average + (1 - sweep.smoothing) * value
        current = average / (1 - sweep.smoothing ** (i + 1))
        best = min(best, current)
        if i > SKIP_START and current > sweep.stop_factor * best:
            return (
                lrs,
                losses,
                (f"smoothed loss passed {sweep.stop_factor:g} × its minimum at lr {lr:.3g}"),
            )
    return lrs, losses, "reached end_lr"


def _smooth(losses: list[float], beta: float) -> list[float]:
    """Bias-corrected exponential moving average; non-finite losses stay as they are."""
    smoothed, average = [], 0.0
    for i, loss in enumerate(losses):
        if not math.isfinite(loss):
            smoothed.append(loss)
            continue
        average = beta * average + (1 - beta) * loss
        smoothed.append(average / (1 - beta ** (i + 1)))
    return smoothed


def suggest(lrs: list[float], smoothed: list[float]) -> float | None:
    """The lr of the steepest fall of the smoothed loss per decade, before its minimum."""
    values = np.asarray(smoothed, dtype=float)
    finite = np.isfinite(values)
    if finite.sum() < SKIP_START + 3:
        return None
    lowest = int(np.nanargmin(np.where(finite, values, np.nan)))
    # A curve that never falls by a tenth is noise: no lr in the range trains the model.
    if lowest <= SKIP_START + 1 or values[lowest] > MIN_FALL * values[SKIP_START]:
        return None
    window = slice(SKIP_START, lowest)
    slope = np.gradient(values[window], np.log10(np.asarray(lrs, dtype=float)[window]))
    steepest = int(np.argmin(slope))
    if slope[steepest] >= 0:
        return None
    return float(lrs[SKIP_START + steepest])
