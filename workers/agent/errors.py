"""What can go wrong between a worker and the API, split by what the worker should do next."""

from __future__ import annotations

from tunewise.wire.errors import (
    ApiError,
    NotAuthorizedError,
    ServiceRejectedError,
    ServiceUnavailableError,
    TrialGoneError,
)

__all__ = [
    "AgentError",
    "ApiError",
    "GaveUpError",
    "NotAuthorizedError",
    "ServiceRejectedError",
    "ServiceUnavailableError",
    "TrialGoneError",
    "TrialRefusedError",
    "WorkerSetupError",
]


class AgentError(Exception):
    """Base of the worker agent's own errors; the API's refusals are :class:`ApiError`."""


class GaveUpError(AgentError):
    """A retried call was abandoned because the worker was asked to stop."""


class WorkerSetupError(AgentError):
    """This machine cannot serve as asked (no CUDA for ``--device cuda``, no workloads)."""


class TrialRefusedError(AgentError):
    """The trainer cannot run this trial at all (e.g. a config the model cannot take):
    trying the same params again would fail the same way."""
