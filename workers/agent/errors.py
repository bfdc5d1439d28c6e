"""What can go wrong between a worker and the API, split by what the worker should do next."""

from __future__ import annotations


class AgentError(Exception):
    """Base of the worker agent's errors."""


class ServiceUnavailableError(AgentError):
    """The API could not be reached or answered 5xx/429: wait and try again."""


class ServiceRejectedError(AgentError):
    """The API refused the request (4xx). Retrying the same request cannot help."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class NotAuthorizedError(ServiceRejectedError):
    """The token was refused: the worker cannot do anything until it is given a valid one."""


class TrialGoneError(ServiceRejectedError):
    """The trial is no longer this worker's (404 or 409): its lease expired or it was finished,
    so whatever the worker still holds for it cannot be delivered."""


class GaveUpError(AgentError):
    """A retried call was abandoned because the worker was asked to stop."""


class WorkerSetupError(AgentError):
    """This machine cannot serve as asked (no CUDA for ``--device cuda``, no workloads)."""


class TrialRefusedError(AgentError):
    """The trainer cannot run this trial at all (e.g. a config the model cannot take):
    trying the same params again would fail the same way."""
