"""tunewise: hyperparameter tuning for PyTorch with a cited optimizer advisor.

This package holds the command line, the wire (``tunewise.wire``) and the Python SDK
(``tunewise.sdk``); the layers are the top-level packages ``advisor`` (pure rules), ``service``
(HTTP API and storage) and ``workers`` (PyTorch training).

``tunewise.Client``, ``tunewise.TrialPruned`` and the SDK's other names load on first use, so
that ``import tunewise`` stays light for the command line.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tunewise.sdk import (
        ApiError,
        Client,
        LeasedTrial,
        NotAuthorizedError,
        ServiceRejectedError,
        ServiceUnavailableError,
        TrialGoneError,
        TrialPruned,
        TuningJob,
    )

__version__ = "0.1.0"

#: The SDK's names this package answers, loaded from tunewise.sdk when first asked for.
__all__ = [
    "ApiError",
    "Client",
    "LeasedTrial",
    "NotAuthorizedError",
    "ServiceRejectedError",
    "ServiceUnavailableError",
    "TrialGoneError",
    "TrialPruned",
    "TuningJob",
]
_SDK_NAMES = frozenset(__all__)


def __getattr__(name: str) -> Any:
    if name in _SDK_NAMES:
        return getattr(importlib.import_module("tunewise.sdk"), name)
    raise AttributeError(f"module 'tunewise' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_SDK_NAMES})
