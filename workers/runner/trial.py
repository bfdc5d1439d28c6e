"""``run_trial``: one workload, one config, up to N epochs, ending in a ``TrialOutcome``.

Everything that goes wrong while training becomes an outcome (diverged, or failed with a
reason), so a worker reports it and takes the next trial. Only a request that cannot be run
at all raises a ``HarnessError``: an unknown workload, a device this machine lacks, or a
config that cannot drive the model (such as sparse_adam on a model without sparse embeddings).
"""

from __future__ import annotations

import time

import torch

from advisor.config import TrainConfig
from tunewise.wire.dimensions import TrialParams
from workers.device import autocast_dtype, isolated_rng, release_memory, resolve_device
from workers.errors import HarnessError
from workers.runner.loop import TrainingSetup, TrialRecord, train
from workers.runner.options import RunOptions
from workers.runner.outcome import TrialOutcome, TrialState
from workers.runner.reporter import NullReporter, TrialReporter
from workers.runner.resources import PeakMemory
from workers.workloads import Workload, WorkloadRegistry

MAX_REASON_LENGTH = 300


def run_trial(
    workload: str | Workload,
    config: TrainConfig,
    *,
    max_epochs: int,
    device: str = "auto",
    seed: int = 0,
    size: int = 1,
    reporter: TrialReporter | None = None,
    registry: WorkloadRegistry | None = None,
    options: RunOptions | None = None,
) -> TrialOutcome:
    """Train ``workload`` with ``config`` for up to ``max_epochs`` epochs.

    ``device`` is "auto" (CUDA when available), "cpu", "cuda" or "cuda:N". ``seed`` fixes the
    model's initialisation and the batch order: on the CPU, a seed gives the same outcome
    bit for bit. ``size`` scales the workload (1 = its default); the own dimensions of a
    ``TrialParams`` config build it (``Workload.with_dimensions``). ``reporter`` hears each
    epoch's metric and may prune or stop the trial; ``registry`` resolves a workload name
    (installed entry points are discovered when none is given).
    """
    if max_epochs < 1:
        raise ValueError(f"max_epochs must be at least 1, got {max_epochs}")
    if size < 1:
        raise ValueError(f"size must be at least 1, got {size}")
    if isinstance(workload, str):
        workload = (registry or WorkloadRegistry.discover()).get(workload)
    if isinstance(config, TrialParams):
        # The job's own dimensions (dropout, width) shape the model; batch_size is a config key.
        workload = workload.with_dimensions(config.dimensions())
    target = resolve_device(device)
    options = options or RunOptions()
    dtype = autocast_dtype(target, options.precision)
    setup = TrainingSetup(workload, config, max_epochs, size, seed, target, dtype, options)
    record = TrialRecord()
    memory = PeakMemory(target)
    started = time.perf_counter()
    failure: str | None = None
    memory.start()
    try:
        with isolated_rng(target, seed):
            state, reason = train(setup, reporter or NullReporter(), record)
    except HarnessError:
        raise
    except Exception as exc:  # the worker goes on whatever the workload did
        failure = "oom" if is_out_of_memory(exc) else one_line(exc)
    peak_memory_mb = memory.stop()
    if failure is not None:
        # Outside the except block: the traceback, and the tensors its frames hold, are gone.
        release_memory(target)
        state, reason = TrialState.FAILED, failure
    elif target.type == "cuda":
        release_memory(target)

    return record.outcome(
        workload.spec,
        state,
        reason,
        time.perf_counter() - started,
        device=str(target),
        precision="bf16" if dtype is torch.bfloat16 else "fp32",
        peak_memory_mb=peak_memory_mb,
    )


def is_out_of_memory(exc: BaseException) -> bool:
    if isinstance(exc, torch.cuda.OutOfMemoryError | MemoryError):
        return True
    return isinstance(exc, RuntimeError) and "out of memory" in str(exc).lower()


def one_line(exc: BaseException) -> str:
    """``ExceptionName: first line of its message``, short enough for a database column."""
    lines = str(exc).strip().splitlines()
    text = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    return text if len(text) <= MAX_REASON_LENGTH else text[: MAX_REASON_LENGTH - 1] + "…"
