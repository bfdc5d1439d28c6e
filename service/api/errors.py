"""The one place where errors become HTTP: ``{"error": {"code", "message", "field"}}``."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import Match, Mount

from service.errors import ServiceError
from tunewise.wire.models import ErrorBody, ErrorDetail

_log = logging.getLogger(__name__)

#: A body that is not JSON at all answers 400, not 422: RFC 9110 §15.5.21 keeps 422 for
#: content whose syntax is correct (https://www.rfc-editor.org/rfc/rfc9110#section-15.5.21).
INVALID_JSON = "invalid_json"

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


def error_response(
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = ErrorBody(error=ErrorDetail(code=code, message=message, field=field))
    return JSONResponse(
        body.model_dump(mode="json"), status_code=status, headers=dict(headers or {})
    )


def field_of(location: Sequence[Any]) -> str | None:
    """``("body", "budget", "n_trials")`` → ``"budget.n_trials"``; query and path names bare."""
    parts = [str(p) for p in location]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    return ".".join(parts) or None


def _validation_message(errors: Sequence[Any]) -> str:
    messages = []
    for error in errors[:5]:
        field = field_of(error.get("loc", ())) or "body"
        messages.append(f"{field}: {error.get('msg', 'invalid')}")
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return "; ".join(messages) + more


def _json_syntax_message(document: object, position: int, problem: str) -> str:
    """Where the parser stopped, as line and column (1-based, as editors count them)."""
    text = document if isinstance(document, str) else ""
    position = max(0, min(position, len(text)))
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return (
        f"the request body is not valid JSON: {problem} at line {line}, column {column} "
        f"(character {position + 1})"
    )


def _is_body_syntax_error(error: Mapping[str, Any]) -> bool:
    """FastAPI's own report of a body ``json.loads`` refused: ``loc`` is ("body", offset)."""
    location = tuple(error.get("loc", ()))
    return (
        error.get("type") == "json_invalid"
        and len(location) == 2
        and location[0] == "body"
        and isinstance(location[1], int)
    )


def _unreadable_body_message(cause: BaseException | None) -> str:
    """FastAPI answers 400 "There was an error parsing the body" for every body it cannot
    decode; the cause says why."""
    if isinstance(cause, UnicodeDecodeError):
        return (
            f"the request body is not UTF-8 text (byte {cause.start + 1} cannot start or "
            "continue a character); send JSON encoded as UTF-8"
        )
    if isinstance(cause, RecursionError):
        return "the request body is JSON nested too deeply to read; flatten it"
    return "the request body could not be read as JSON; send a JSON object encoded as UTF-8"


_METHODS = ("DELETE", "GET", "HEAD", "PATCH", "POST", "PUT")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route answers on this path: Starlette's own 405 names only the first
    route that matched the path (``OPTIONS /v1/jobs`` said ``Allow: POST``, not GET). Routes
    are asked per method because FastAPI nests included routers' routes."""
    routes = [route for route in request.app.router.routes if not isinstance(route, Mount)]
    return [
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    ]


def install_error_handlers(app: FastAPI) -> None:
    async def service_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ServiceError)
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return error_response(exc.status, exc.code, exc.message, exc.field, headers)

    async def validation_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = list(exc.errors())
        syntax = next((e for e in errors if _is_body_syntax_error(e)), None)
        if syntax is not None:
            # FastAPI puts the parser's character offset where the field belongs ("43").
            position = int(syntax["loc"][1])
            problem = str(syntax.get("ctx", {}).get("error", "JSON decode error"))
            message = _json_syntax_message(exc.body, position, problem)
            return error_response(400, INVALID_JSON, message)
        first = field_of(errors[0].get("loc", ())) if errors else None
        return error_response(422, "validation_error", _validation_message(errors), first)

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        if exc.status_code == 400 and exc.__cause__ is not None:
            return error_response(400, INVALID_JSON, _unreadable_body_message(exc.__cause__))
        if exc.status_code == 405:
            allowed = allowed_methods(request)
            message = (
                f"{request.method} is not allowed on {request.url.path}; "
                f"it answers {', '.join(allowed)}"
            )
            headers = {**(exc.headers or {}), "Allow": ", ".join(allowed)}
            return error_response(405, _HTTP_CODES[405], message, headers=headers)
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, str(exc.detail), headers=exc.headers)

    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        _log.exception("unhandled error", exc_info=exc)
        return error_response(500, "internal", "internal error; the server log has the details")

    app.add_exception_handler(ServiceError, service_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)
