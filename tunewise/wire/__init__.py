"""The wire: the v1 API's request and response models and a typed HTTP client for them.

Service, workers, CLI and SDK all import this package, and it imports none of them (only
pydantic, httpx and the advisor's own models), the way OSS Vizier keeps pyvizier apart from its
service. ``models`` is what crosses the network; ``client`` makes one HTTP attempt per call;
``errors`` sorts the API's refusals by what to do next.
"""

from tunewise.wire.client import ServiceClient
from tunewise.wire.errors import (
    ApiError,
    NotAuthorizedError,
    ServiceRejectedError,
    ServiceUnavailableError,
    TrialGoneError,
)

__all__ = [
    "ApiError",
    "NotAuthorizedError",
    "ServiceClient",
    "ServiceRejectedError",
    "ServiceUnavailableError",
    "TrialGoneError",
]
