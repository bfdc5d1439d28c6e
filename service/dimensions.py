"""A job's own search dimensions: read back from its row, and checked against its workload."""

from __future__ import annotations

from pydantic import TypeAdapter

from service.db import JobRow
from service.errors import InvalidInputError
from tunewise.wire.dimensions import Dimensions, workload_refusal
from tunewise.wire.models import JobCreate

_DIMENSIONS: TypeAdapter[Dimensions] = TypeAdapter(Dimensions)


def dimensions_of(job: JobRow) -> Dimensions:
    """The dimensions the job was created with ({} for a job without, or from before them)."""
    return _DIMENSIONS.validate_python(job.dimensions or {})


def stored_dimensions(spec: JobCreate) -> dict[str, object] | None:
    """What the job row keeps: the dimensions as given, or null when there are none."""
    return _DIMENSIONS.dump_python(spec.dimensions, mode="json") if spec.dimensions else None


def check_workload_dimensions(spec: JobCreate) -> None:
    """A built-in workload must understand every dimension the job searches: refused with
    the ones it does understand, before anything is written."""
    refusal = workload_refusal(spec.workload, spec.dimensions)
    if refusal is not None:
        field, message = refusal
        raise InvalidInputError(message, field=field)
