"""``run_batched``: K trials of one workload trained as one stacked model on one device.

Each trial is what ``run_trial`` would make of it alone: its own initialisation (the model
built under its seed), its own batch order (a generator of its seed, one gather of ``[K, B]``
indices per step), its own optimizer values, schedule and parameter groups. Each trial
reports its own epochs to its own reporter and leaves the batch on its own: pruned, complete
at its own ``max_epochs``, diverged (its loss, on the alone run's check schedule), or stopped
by its reporter. A trial that leaves is cut out of every stacked tensor (parameters,
optimizer state, buffers), so the rest go on at the smaller size and nothing of it reaches
them: every stacked op keeps trials apart, and the training loss is the sum of per-trial
losses, whose gradient for one trial's weights is that trial's gradient alone.

The outcome's ``seconds`` and ``epoch_seconds`` are the batch's wall time while the trial was
in it: K trials share them.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import torch
from torch import Tensor
from torch.func import vmap

from advisor.config import ScheduleName, TrainConfig
from workers.batched.errors import BatchingError
from workers.batched.guard import BatchedGuard
from workers.batched.models import StackedForward, stacked_forward
from workers.batched.optimizer import BatchedOptimizer, UpdateRule, param_roles, update_rule
from workers.device import autocast, autocast_dtype, isolated_rng, release_memory, resolve_device
from workers.errors import HarnessError
from workers.runner.batches import ShuffledBatches
from workers.runner.loop import TrialRecord
from workers.runner.options import RunOptions
from workers.runner.outcome import CurvePoint, TrialOutcome, TrialState
from workers.runner.reporter import NullReporter, TrialReporter
from workers.runner.trial import is_out_of_memory, one_line
from workers.schedules import ScheduleClock, lr_multiplier
from workers.workloads import Dataset, Workload, WorkloadRegistry, WorkloadSpec

#: How a trial leaves the batch: its final state and why.
Ending = tuple[TrialState, str | None]


#: A trial that has left: how, why, what it did, and the batch's seconds until then.
_Ended = tuple[TrialState, str | None, TrialRecord, float]


@dataclass(frozen=True)
class BatchedTrial:
    """One trial of a batch: what a lease gives, plus who hears its epochs."""

    config: TrainConfig
    max_epochs: int
    #: Initialisation and batch order, as ``run_trial``'s seed.
    seed: int = 0
    reporter: TrialReporter = field(default_factory=NullReporter)


def batch_key(config: TrainConfig, default_batch_size: int) -> tuple[UpdateRule, int]:
    """Trials with equal keys can share a batch: one update rule, one mini-batch size."""
    return update_rule(config.optimizer), config.batch_size or default_batch_size


@dataclass
class _Live:
    """A trial still in the batch."""

    index: int
    trial: BatchedTrial
    batches: ShuffledBatches
    clock: ScheduleClock
    record: TrialRecord = field(default_factory=TrialRecord)


@dataclass
class _Batch:
    workload: Workload
    forward: StackedForward
    optimizer: BatchedOptimizer
    buffers: dict[str, Tensor]
    live: list[_Live]
    ended: dict[int, _Ended]
    started: float

    def leave(self, positions: Mapping[int, Ending]) -> None:
        """The trials at these positions end now; the rest are compacted in order."""
        if not positions:
            return
        now = time.perf_counter() - self.started
        for position, (state, reason) in positions.items():
            gone = self.live[position]
            self.ended[gone.index] = (state, reason, gone.record, now)
        kept = [i for i in range(len(self.live)) if i not in positions]
        self.live = [self.live[i] for i in kept]
        if not kept:
            return
        device = next(iter(self.buffers.values()), self.optimizer.base_lr).device
        index = torch.tensor(kept, device=device)
        self.optimizer.keep(index)
        self.buffers = {n: b.index_select(0, index) for n, b in self.buffers.items()}


def run_batched(
    workload: str | Workload,
    trials: Sequence[BatchedTrial],
    *,
    device: str = "auto",
    size: int = 1,
    registry: WorkloadRegistry | None = None,
    options: RunOptions | None = None,
) -> list[TrialOutcome]:
    """Train ``trials`` together; one outcome per trial, in order.

    Raises ``BatchingError`` (a ``HarnessError``) for trials that cannot share a batch
    (different update rules or batch sizes; see :func:`batch_key`) or a workload without a
    stacked forward. Anything that goes wrong while training fails the trials still in the
    batch with the reason, as ``run_trial`` fails one.
    """
    if not trials:
        return []
    if any(t.max_epochs < 1 for t in trials) or size < 1:
        raise ValueError("max_epochs and size must be at least 1")
    if isinstance(workload, str):
        workload = (registry or WorkloadRegistry.discover()).get(workload)
    spec = workload.spec
    keys = {batch_key(t.config, spec.default_batch_size) for t in trials}
    if len(keys) != 1:
        raise BatchingError(
            f"trials of one batch share an update rule and a batch size; these have {sorted(keys)}"
        )
    target = resolve_device(device)
    options = options or RunOptions()
    dtype = autocast_dtype(target, options.precision)
    started = time.perf_counter()
    failure: str | None = None
    batch: _Batch | None = None
    try:
        data = workload.make_data(size, options.data_seed)
        batch = _build(
            workload,
            trials=trials,
            device=target,
            size=size,
            examples=len(data.train),
            started=started,
        )
        _train(batch, data, target, dtype, options)
    except HarnessError:
        raise
    except Exception as exc:  # the worker goes on whatever the workload did
        failure = "oom" if is_out_of_memory(exc) else one_line(exc)
    if failure is not None:
        # Outside the except block: the traceback, and the tensors its frames hold, are gone.
        release_memory(target)
        if batch is None:  # the data or a model could not be made: no trial started
            seconds = time.perf_counter() - started
            ended: dict[int, _Ended] = {
                i: (TrialState.FAILED, failure, TrialRecord(), seconds) for i in range(len(trials))
            }
        else:
            batch.leave({i: (TrialState.FAILED, failure) for i in range(len(batch.live))})
            ended = batch.ended
    else:
        assert batch is not None
        ended = batch.ended
        if target.type == "cuda":
            release_memory(target)
    precision: Literal["fp32", "bf16"] = "bf16" if dtype is torch.bfloat16 else "fp32"
    return [_outcome_of(spec, ended[index], str(target), precision) for index in range(len(trials))]


def _outcome_of(
    spec: WorkloadSpec,
    ended: _Ended,
    device: str,
    precision: Literal["fp32", "bf16"],
) -> TrialOutcome:
    state, reason, record, seconds = ended
    return record.outcome(spec, state, reason, seconds, device=device, precision=precision)


def _build(
    workload: Workload,
    *,
    trials: Sequence[BatchedTrial],
    device: torch.device,
    size: int,
    examples: int,
    started: float,
) -> _Batch:
    """Each trial's model made under its own seed, as ``run_trial`` makes it, then stacked."""
    models = []
    for trial in trials:
        with isolated_rng(device, trial.seed):
            models.append(workload.make_model(size).to(device))
    forward = stacked_forward(workload.spec.name, models[0])
    params = {
        name: torch.stack([dict(m.named_parameters())[name].detach() for m in models])
        for name, _ in models[0].named_parameters()
    }
    buffers = {
        name: torch.stack([dict(m.named_buffers())[name].detach() for m in models])
        for name, _ in models[0].named_buffers()
    }
    configs = [t.config for t in trials]
    roles = [param_roles(m, c, workload.head_modules) for m, c in zip(models, configs, strict=True)]
    optimizer = BatchedOptimizer(params, configs, roles)
    batch_size = configs[0].batch_size or workload.spec.default_batch_size
    live = []
    for index, trial in enumerate(trials):
        batches = ShuffledBatches(examples, batch_size, trial.seed, device)
        clock = ScheduleClock(trial.max_epochs * batches.per_epoch, batches.per_epoch)
        live.append(_Live(index=index, trial=trial, batches=batches, clock=clock))
    return _Batch(workload, forward, optimizer, buffers, live, ended={}, started=started)


def _train(
    batch: _Batch,
    data: Dataset,
    device: torch.device,
    dtype: torch.dtype | None,
    options: RunOptions,
) -> None:
    """Epochs of steps until every trial has left the batch."""
    workload = batch.workload
    train_split, valid_split = data.train.to(device), data.valid.to(device)
    guard = BatchedGuard(len(batch.live), device, options.explode_factor)
    vmapped_loss = vmap(workload.loss)
    scheduled = any(
        live.trial.config.schedule.name is not ScheduleName.CONSTANT for live in batch.live
    )
    last_beat = time.monotonic()
    epoch = 0
    while batch.live:
        epoch += 1
        epoch_started = time.perf_counter()
        # Every trial draws its epoch's order from its own generator, as it would alone.
        orders = torch.stack([torch.stack(list(live.batches.epoch())) for live in batch.live])
        for step in range(orders.shape[1]):
            stopped: dict[int, Ending] = {
                position: (TrialState.FAILED, "interrupted")
                for position, live in enumerate(batch.live)
                if live.trial.reporter.should_stop()
            }
            if stopped:
                orders = _leave(batch, guard, orders, stopped)
                if not batch.live:
                    return
            if time.monotonic() - last_beat >= options.heartbeat_seconds:
                for live in batch.live:
                    live.trial.reporter.heartbeat()
                last_beat = time.monotonic()
            multipliers = None
            if scheduled:
                multipliers = torch.tensor(
                    [
                        lr_multiplier(live.trial.config.schedule, guard.steps, live.clock)
                        for live in batch.live
                    ],
                    dtype=torch.float64,
                    device=device,
                )
            index = orders[:, step]
            inputs = tuple(t[index] for t in train_split.inputs)
            optimizer = batch.optimizer
            with autocast(device, dtype):
                outputs = batch.forward(optimizer.params, batch.buffers, inputs, True)
                losses = _per_trial_loss(workload, vmapped_loss, outputs, train_split.target[index])
            optimizer.zero_grad()
            losses.sum().backward()  # type: ignore[no-untyped-call]
            optimizer.step(multipliers)
            diverged = guard.observe(losses)
            for live in batch.live:
                live.record.steps = guard.steps
            if diverged:
                endings: dict[int, Ending] = {
                    p: (TrialState.DIVERGED, why) for p, why in diverged.items()
                }
                orders = _leave(batch, guard, orders, endings)
                if not batch.live:
                    return
        means, diverged = guard.end_epoch()
        values = _evaluate(
            batch,
            inputs=valid_split.inputs,
            target=valid_split.target,
            device=device,
            dtype=dtype,
            options=options,
        )
        seconds = time.perf_counter() - epoch_started
        left: dict[int, Ending] = {}
        for position, live in enumerate(batch.live):
            if position in diverged:
                left[position] = (TrialState.DIVERGED, diverged[position])
                continue
            value = values[position]
            if not math.isfinite(value):
                why = f"{workload.spec.metric} became {value} after epoch {epoch}"
                left[position] = (TrialState.DIVERGED, why)
                continue
            live.record.curve.append(CurvePoint(epoch=epoch, value=value))
            live.record.train_loss.append(means[position])
            live.record.epoch_seconds.append(seconds)
            if live.trial.reporter.report(epoch, value):
                left[position] = (TrialState.PRUNED, f"pruned after epoch {epoch}")
            elif epoch >= live.trial.max_epochs:
                left[position] = (TrialState.COMPLETE, None)
        _leave(batch, guard, orders, left)
        last_beat = time.monotonic()


#: From this many trials up, one vmapped loss beats a loop of per-trial losses (measured on
#: the CPU: the vmap costs about 0.6 ms a step whatever K, a loop about 0.07 ms a trial).
VMAP_LOSS_FROM = 9


def _per_trial_loss(
    workload: Workload, vmapped: Callable[[Tensor, Tensor], Tensor], outputs: Tensor, target: Tensor
) -> Tensor:
    """``[K]`` losses, each the workload's own loss of one trial's outputs."""
    if outputs.shape[0] >= VMAP_LOSS_FROM:
        return vmapped(outputs, target)
    pairs = zip(outputs.unbind(0), target.unbind(0), strict=True)
    return torch.stack([workload.loss(o, t) for o, t in pairs])


def _leave(
    batch: _Batch, guard: BatchedGuard, orders: Tensor, endings: Mapping[int, Ending]
) -> Tensor:
    """The trials at these positions leave: out of the stack, the guard and the epoch's
    batch order (the rest of the epoch's order, for those that stay)."""
    kept = [i for i in range(len(batch.live)) if i not in endings]
    guard.keep(kept)
    batch.leave(endings)
    return orders[torch.tensor(kept, device=orders.device, dtype=torch.long)]


@torch.no_grad()
def _evaluate(
    batch: _Batch,
    *,
    inputs: tuple[Tensor, ...],
    target: Tensor,
    device: torch.device,
    dtype: torch.dtype | None,
    options: RunOptions,
) -> list[float]:
    """Each trial's validation metric: the one validation split, seen by every trial."""
    k = len(batch.live)
    chunks = []
    with autocast(device, dtype):
        for start in range(0, len(target), options.eval_batch_size):
            chunk = [t[start : start + options.eval_batch_size] for t in inputs]
            # One copy of the split for all trials: expand makes K views, not K copies.
            shared = tuple(c.unsqueeze(0).expand(k, *c.shape) for c in chunk)
            chunks.append(batch.forward(batch.optimizer.params, batch.buffers, shared, False))
    outputs = torch.cat(chunks, dim=1)
    return [float(batch.workload.metric(outputs[i], target)) for i in range(k)]
