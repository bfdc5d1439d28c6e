"""What the API can answer besides success, sorted by what the caller should do next.

Every refusal carries the API's own ``{code, message, field}`` so a caller can show it as is.
"""

from __future__ import annotations


class ApiError(Exception):
    """Base of everything :class:`tunewise.wire.client.ServiceClient` raises."""


class ServiceUnavailableError(ApiError):
    """The API could not be reached or answered 5xx/429: wait and try again.

    ``not_processed`` says the request certainly did nothing (the connection was never made,
    or the answer was 429 or 503), so even a call that must happen exactly once may be sent
    again; otherwise the API may have acted before the answer was lost. ``status`` is None when
    no answer came; ``retry_after_s`` is the answer's ``Retry-After``, when it gave seconds.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        not_processed: bool = False,
        retry_after_s: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.not_processed = not_processed
        self.retry_after_s = retry_after_s


class ServiceRejectedError(ApiError):
    """The API refused the request (4xx). Retrying the same request cannot help."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        where = f" (field {field})" if field else ""
        super().__init__(f"{status} {code}: {message}{where}")
        self.status = status
        self.code = code
        self.message = message
        self.field = field


class NotAuthorizedError(ServiceRejectedError):
    """The token was refused: nothing can be done until a valid one is given."""


class TrialGoneError(ServiceRejectedError):
    """The trial is no longer this caller's (404 or 409): its lease expired or it was finished,
    so whatever the caller still holds for it cannot be delivered."""
