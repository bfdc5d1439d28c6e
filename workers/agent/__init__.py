"""The worker agent: leases trials over HTTP, trains them with the harness, reports each epoch
(renewing the lease), and delivers the result. Talks to the service through
``tunewise.wire.models`` and HTTP only.

Importing this package does not import torch; :mod:`workers.agent.harness` does.
"""

from tunewise.wire.client import ServiceClient
from workers.agent.backoff import Backoff, Retrier
from workers.agent.batched import BatchedWorkerAgent, batch_label, run_batched_worker
from workers.agent.errors import (
    AgentError,
    GaveUpError,
    NotAuthorizedError,
    ServiceRejectedError,
    ServiceUnavailableError,
    TrialGoneError,
    TrialRefusedError,
    WorkerSetupError,
)
from workers.agent.loop import (
    EXIT_MISCONFIGURED,
    EXIT_STOPPED,
    Trainer,
    WorkerAgent,
    run_worker,
)
from workers.agent.reporter import HttpReporter
from workers.agent.settings import WorkerSettings
from workers.agent.signals import stop_on_signals

__all__ = [
    "EXIT_MISCONFIGURED",
    "EXIT_STOPPED",
    "AgentError",
    "Backoff",
    "BatchedWorkerAgent",
    "GaveUpError",
    "HttpReporter",
    "NotAuthorizedError",
    "Retrier",
    "ServiceClient",
    "ServiceRejectedError",
    "ServiceUnavailableError",
    "Trainer",
    "TrialGoneError",
    "TrialRefusedError",
    "WorkerAgent",
    "WorkerSettings",
    "WorkerSetupError",
    "batch_label",
    "run_batched_worker",
    "run_worker",
    "stop_on_signals",
]
