"""The dashboard's own knobs (the service's settings stay the one source for everything else)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class DashboardOptions(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    #: How often an open job's page asks for fresh progress.
    poll_interval_s: Annotated[float, Field(gt=0, le=600)] = 2.0
    #: Rows per page of the jobs list and of a job's trial table.
    page_size: Annotated[int, Field(ge=1, le=500)] = 50
