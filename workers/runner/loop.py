"""The training loop of one trial: epochs of steps, a report after each epoch."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Literal

import torch
from torch import nn

from advisor.config import TrainConfig
from tunewise.wire.metrics import N_PARAMETERS, PEAK_MEMORY_MB, TRAIN_SECONDS
from workers.device import autocast
from workers.optim import OptimizerSet, build_optimizer
from workers.runner.batches import ShuffledBatches
from workers.runner.evaluate import evaluate
from workers.runner.guard import DivergenceGuard
from workers.runner.options import RunOptions
from workers.runner.outcome import CurvePoint, TrialOutcome, TrialState
from workers.runner.reporter import TrialReporter
from workers.runner.resources import n_parameters
from workers.schedules import ScheduleClock, lr_multiplier
from workers.workloads.base import Dataset, Workload, WorkloadSpec


@dataclass
class TrialRecord:
    """What a trial has done so far; kept outside the loop so a failure mid-way still
    returns the epochs that finished."""

    curve: list[CurvePoint] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    epoch_seconds: list[float] = field(default_factory=list)
    steps: int = 0
    #: Trainable parameters of the model, once it is built.
    n_parameters: int | None = None

    def outcome(
        self,
        spec: WorkloadSpec,
        state: TrialState,
        reason: str | None,
        seconds: float,
        *,
        device: str,
        precision: Literal["fp32", "bf16"],
        peak_memory_mb: float | None = None,
    ) -> TrialOutcome:
        """How the trial ended, for one trial run alone or one trial of a batch alike.
        ``peak_memory_mb``: measured for a trial run alone, which then also reports its
        training time (a batch's trials share both)."""
        ended_well = state in (TrialState.COMPLETE, TrialState.PRUNED)
        value = self.curve[-1].value if ended_well and self.curve else None
        metrics: dict[str, float] = {}
        if value is not None:
            metrics[spec.metric] = value
        if peak_memory_mb is not None:
            metrics[TRAIN_SECONDS] = sum(self.epoch_seconds)
            metrics[PEAK_MEMORY_MB] = peak_memory_mb
        if self.n_parameters is not None:
            metrics[N_PARAMETERS] = float(self.n_parameters)
        return TrialOutcome(
            workload=spec.name,
            state=state,
            value=value,
            metric=spec.metric,
            direction=spec.direction,
            curve=tuple(self.curve),
            train_loss=tuple(self.train_loss),
            reason=reason,
            epochs_run=len(self.curve),
            steps_run=self.steps,
            seconds=seconds,
            epoch_seconds=tuple(self.epoch_seconds),
            device=device,
            precision=precision,
            metrics=metrics,
        )


@dataclass(frozen=True)
class TrainingSetup:
    workload: Workload
    config: TrainConfig
    max_epochs: int
    size: int
    seed: int
    device: torch.device
    autocast_dtype: torch.dtype | None
    options: RunOptions


def train(
    setup: TrainingSetup, reporter: TrialReporter, record: TrialRecord
) -> tuple[TrialState, str | None]:
    """Run the trial; fills ``record`` as it goes. Returns the final state and its reason."""
    workload, device, options = setup.workload, setup.device, setup.options
    data: Dataset = workload.make_data(setup.size, options.data_seed)
    train_split, valid_split = data.train.to(device), data.valid.to(device)
    model: nn.Module = workload.make_model(setup.size).to(device)
    record.n_parameters = n_parameters(model)
    optimizers: OptimizerSet = build_optimizer(model, setup.config, workload.head_modules)
    batches = ShuffledBatches(
        len(train_split),
        setup.config.batch_size or workload.spec.default_batch_size,
        setup.seed,
        device,
    )
    schedule = setup.config.schedule
    clock = ScheduleClock(setup.max_epochs * batches.per_epoch, batches.per_epoch)
    clip = setup.config.grad_clip_norm
    guard = DivergenceGuard(device, options.explode_factor)
    last_beat = time.monotonic()
    multiplier = 1.0

    for epoch in range(1, setup.max_epochs + 1):
        started = time.perf_counter()
        model.train()
        for index in batches.epoch():
            if reporter.should_stop():
                return TrialState.FAILED, "interrupted"
            if time.monotonic() - last_beat >= options.heartbeat_seconds:
                reporter.heartbeat()
                last_beat = time.monotonic()
            scheduled = lr_multiplier(schedule, guard.steps, clock)
            if scheduled != multiplier:  # a constant schedule never touches the groups
                optimizers.set_lr_multiplier(scheduled)
                multiplier = scheduled
            batch = train_split.take(index)
            with autocast(device, setup.autocast_dtype):
                loss = workload.loss(workload.forward(model, batch.inputs), batch.target)
            optimizers.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            if clip is not None:
                optimizers.clip_grad_norm(clip)
            optimizers.step()
            diverged = guard.observe(loss)
            record.steps = guard.steps
            if diverged:
                return TrialState.DIVERGED, diverged
        mean_loss, diverged = guard.end_epoch()
        if diverged:
            return TrialState.DIVERGED, diverged
        value = evaluate(
            workload, model, valid_split, options.eval_batch_size, setup.autocast_dtype
        )
        if not math.isfinite(value):
            return TrialState.DIVERGED, f"{workload.spec.metric} became {value} after epoch {epoch}"
        record.curve.append(CurvePoint(epoch=epoch, value=value))
        record.train_loss.append(mean_loss)
        record.epoch_seconds.append(time.perf_counter() - started)
        if reporter.report(epoch, value):
            return TrialState.PRUNED, f"pruned after epoch {epoch}"
        last_beat = time.monotonic()
    return TrialState.COMPLETE, None
