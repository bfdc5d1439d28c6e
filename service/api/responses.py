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

#: Answered by every operation that reads a JSON body (added to those operations' OpenAPI by
#: ``document_body_errors``, since routes without a body never parse one).
UNREADABLE_BODY: dict[str, Any] = {
    "description": "The body is not JSON (not UTF-8, or a syntax error: the message says what "
    "and where, as line and column); code `invalid_json`",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
}

#: ``GET /metrics`` answers Prometheus's text format, not JSON.
PROMETHEUS_TEXT: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Prometheus text exposition format",
        "content": {"text/plain": {"schema": {"type": "string"}}},
    }
}

#: RFC 9745's response header: an ``@``-prefixed Unix time, here the day JobCreate's
#: ``optimizers`` became ``families`` (https://www.rfc-editor.org/rfc/rfc9745#section-2.1).
DEPRECATION = "Deprecation"
OPTIMIZERS_DEPRECATED_AT = "@1796169600"  # 2026-12-02T00:00:00Z
OLD_FIELD_NAME_HEADERS: dict[str, Any] = {
    DEPRECATION: {
        "description": "Sent when the request used a deprecated field name (`optimizers`: "
        "send `families`); the value is the date it was deprecated",
        "schema": {"type": "string", "example": OPTIMIZERS_DEPRECATED_AT},
    }
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


def document_body_errors(openapi: dict[str, Any]) -> dict[str, Any]:
    """Adds the 400 of an unreadable body to every operation that takes a request body."""
    for operations in openapi.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                operation.setdefault("responses", {}).setdefault("400", UNREADABLE_BODY)
    return openapi
