"""What a trial ends with, and the options that shape how it runs."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from workers.device import Precision
from workers.workloads.base import Direction


class TrialState(StrEnum):
    COMPLETE = "complete"
    PRUNED = "pruned"
    #: The loss went NaN or inf or exploded; stopped at once, not after wasting the run.
    DIVERGED = "diverged"
    #: Out of memory (reason "oom"), stopped by the reporter ("interrupted"), or an exception
    #: in the workload (reason names it).
    FAILED = "failed"


class CurvePoint(BaseModel):
    """One reported value: the validation metric after an epoch."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    epoch: Annotated[int, Field(ge=1)]
    value: float


class TrialOutcome(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    workload: str
    state: TrialState
    #: The metric after the last epoch run; None when the trial diverged or failed.
    value: float | None
    metric: str
    direction: Direction
    curve: tuple[CurvePoint, ...]
    #: Mean training loss of each completed epoch.
    train_loss: tuple[float, ...]
    #: None when complete; otherwise why, in one line ("oom", "interrupted", …).
    reason: str | None
    epochs_run: Annotated[int, Field(ge=0)]
    steps_run: Annotated[int, Field(ge=0)]
    seconds: Annotated[float, Field(ge=0)]
    #: Wall time of each completed epoch, evaluation included.
    epoch_seconds: tuple[float, ...]
    device: str
    precision: Literal["fp32", "bf16"]


class RunOptions(BaseModel):
    """How the runner trains; the defaults suit tuning."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: "auto": bf16 autocast on CUDA GPUs that support it, fp32 elsewhere.
    precision: Precision = "auto"
    #: Diverged when the mean loss over recent steps exceeds this × the first step's loss.
    explode_factor: Annotated[float, Field(gt=1)] = 100.0
    #: Seed of the workload's data, fixed across trials so they compare like with like.
    data_seed: int = 0
    #: Least time between two heartbeats during an epoch.
    heartbeat_seconds: Annotated[float, Field(gt=0)] = 1.0
    eval_batch_size: Annotated[int, Field(ge=1)] = 1024
