"""How the runner trains: knobs with defaults that suit tuning."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from workers.device import Precision


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
