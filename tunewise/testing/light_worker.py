"""A worker process for the many-workers tests: the real agent (HTTP client, reporter, lease
loop, signal handling) with a trainer that computes its curve instead of training, so that
sixteen of them start in seconds on two cores. What these tests check is coordination between
worker processes and the API; the fault tests run ``tunewise worker`` with the real harness.

Run as ``python -m tunewise.testing.light_worker API_URL NAME``; the token comes from
``TUNEWISE_API_TOKEN``.
"""

from __future__ import annotations

import logging
import math
import os
import sys
import threading

from pydantic import SecretStr

from tunewise.wire.models import Completion, Lease
from workers.agent import (
    HttpReporter,
    WorkerSettings,
    run_worker,
    stop_on_signals,
)

WORKLOAD = "tw-instant"


class ComputedTrainer:
    """Reports a curve that depends on the lr only, as a real trainer would after each epoch."""

    def workloads(self) -> tuple[str, ...]:
        return (WORKLOAD,)

    def train(self, lease: Lease, reporter: HttpReporter) -> Completion:
        value = math.nan
        for epoch in range(1, (lease.max_epochs or 1) + 1):
            if reporter.should_stop():
                return Completion(failed="interrupted")
            value = abs(math.log10(lease.params.lr) + 3) / epoch
            if reporter.report(epoch, value):
                return Completion(pruned=True)
        return Completion(value=value)


def main(api_url: str, name: str) -> int:
    logging.basicConfig(level=logging.INFO, format=f"%(asctime)s worker {name} %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    log = logging.getLogger("light-worker")
    assert "torch" not in sys.modules, "the light worker is meant to start without torch"
    settings = WorkerSettings(
        api_url=api_url,
        token=SecretStr(os.environ["TUNEWISE_API_TOKEN"]),
        name=name,
        idle_poll_s=0.1,
    )
    stop = threading.Event()
    stop_on_signals(stop, log)
    return run_worker(settings, ComputedTrainer(), stop, log)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
