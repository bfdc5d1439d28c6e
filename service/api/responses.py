"""Documented non-200 responses, shared by the routers so the OpenAPI schema says what
errors look like."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import Response, status

from tunewise.wire.models import ErrorBody, Lease

PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "No valid bearer token"},
    403: {"model": ErrorBody, "description": "The token's scope does not allow this"},
    404: {"model": ErrorBody, "description": "Not found (or not this token's)"},
    409: {"model": ErrorBody, "description": "Conflicts with the current state"},
    413: {"model": ErrorBody, "description": "Request body too large"},
    422: {"model": ErrorBody, "description": "Invalid input; names the field"},
}

NO_TRIAL_DUE: dict[int | str, dict[str, Any]] = {
    204: {"description": "No trial is due now (budget in flight or used up, or job ended)"}
}


def lease_answer(leased: Sequence[Lease], count: int | None) -> Lease | list[Lease] | Response:
    """204 when nothing was leased; one Lease when no ``count`` was asked (the answer v1's
    first clients expect), else the list."""
    if not leased:
        return Response(status_code=status.HTTP_204_NO_CONTENT)
    return leased[0] if count is None else list(leased)
