"""The service's errors. Each carries a stable code and the HTTP status it maps to; the app
turns them into ``{"error": {"code", "message", "field"}}`` in one place (service.api.errors)."""

from __future__ import annotations


class ServiceError(Exception):
    status = 500
    code = "internal"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInputError(ServiceError):
    status = 422
    code = "invalid_input"


class UnauthorizedError(ServiceError):
    status = 401
    code = "unauthorized"


class ForbiddenError(ServiceError):
    status = 403
    code = "forbidden"


class NotFoundError(ServiceError):
    status = 404
    code = "not_found"


class ConflictError(ServiceError):
    status = 409
    code = "conflict"


class LeaseExpiredError(ConflictError):
    code = "lease_expired"


class AlreadyFinishedError(ConflictError):
    code = "already_finished"


class PayloadTooLargeError(ServiceError):
    status = 413
    code = "payload_too_large"


class UnavailableError(ServiceError):
    status = 503
    code = "unavailable"


class ConfigurationError(ServiceError):
    """The service cannot start as configured (e.g. a public bind without auth)."""

    code = "configuration"
