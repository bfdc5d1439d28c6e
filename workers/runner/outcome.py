"""What a trial ends with."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

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
    #: Everything measured, by the names jobs use (tunewise.wire.metrics): the quality metric
    #: (when the trial ended well), ``train_seconds``, ``peak_memory_mb``, ``n_parameters``
    #: (the last three for a trial run alone; a batch shares its time and memory).
    metrics: dict[str, float] = Field(default_factory=dict)
