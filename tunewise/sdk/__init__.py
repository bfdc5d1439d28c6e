"""The Python SDK: ``tunewise.Client`` for every v1 endpoint, job handles, and
``job.optimize(fn)`` for a training loop of your own.

A neutral package: it imports the wire (``tunewise.wire``), httpx, pydantic and the standard
library, never the service, the workers or torch, so it runs in any notebook or script.

    import tunewise

    client = tunewise.Client()  # TUNEWISE_API_URL / TUNEWISE_API_TOKEN, or make run's
    job = client.submit("fine-tune BERT on 20k reviews", n_trials=20)
    job.optimize(train)  # train(trial) -> float, reading trial.params
    print(job.best)
"""

from tunewise.sdk.client import Client, default_token
from tunewise.sdk.jobs import TuningJob
from tunewise.sdk.optimize import OptimizeResult
from tunewise.sdk.trial import LeasedTrial, TrialPruned
from tunewise.wire.errors import (
    ApiError,
    NotAuthorizedError,
    ServiceRejectedError,
    ServiceUnavailableError,
    TrialGoneError,
)

__all__ = [
    "ApiError",
    "Client",
    "LeasedTrial",
    "NotAuthorizedError",
    "OptimizeResult",
    "ServiceRejectedError",
    "ServiceUnavailableError",
    "TrialGoneError",
    "TrialPruned",
    "TuningJob",
    "default_token",
]
