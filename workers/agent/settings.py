"""The one settings object of a worker process, built from the command line and injected."""

from __future__ import annotations

import os
import socket
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

Device = Literal["auto", "cuda", "cpu"]
Seconds = Annotated[float, Field(gt=0, allow_inf_nan=False)]


def default_worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class WorkerSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    api_url: Annotated[str, Field(pattern=r"^https?://[^\s/]+")]
    #: None for an API that runs with auth off (loopback only).
    token: SecretStr | None = None
    device: Device = "auto"
    #: The workloads to advertise; empty means every workload installed on this machine.
    workloads: tuple[str, ...] = ()
    #: Shown to the service with each lease, and in this worker's log lines.
    name: Annotated[str, Field(min_length=1, max_length=200)] = Field(
        default_factory=default_worker_name
    )
    #: How long to wait before asking again when no trial is due (growing while none is).
    idle_poll_s: Seconds = 1.0
    #: One HTTP request's timeout.
    request_timeout_s: Seconds = 30.0
    #: Retry backoff while the API is unreachable.
    backoff_initial_s: Seconds = 0.5
    backoff_max_s: Seconds = 15.0
    #: After SIGTERM, how long to keep trying to deliver the interrupted trial's result.
    stop_grace_s: Seconds = 10.0
    #: Send each epoch's report in the background (its prune verdict then applies one epoch
    #: late) instead of waiting for the answer before the next epoch. Measured with bench/
    #: workers.py on SQLite: 1-s trials lose 6.1% of a worker's time to the framework when
    #: reports wait for their answers, 1.7% when they do not.
    background_reports: bool = True

    @field_validator("api_url")
    @classmethod
    def _no_trailing_slash(cls, url: str) -> str:
        return url.rstrip("/")
