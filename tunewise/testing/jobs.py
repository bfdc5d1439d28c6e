"""Real jobs for the dashboard's tests, benchmarks and screenshots, driven over HTTP.

- ``train_job``: a job's trials through the full path: lease over HTTP, train with the real
  harness (``workers.runner.run_trial``), report every epoch (obeying prune verdicts), complete.
- ``OwnLoop``: a client with its own loop, one trial at a time, for a job that stays running.
- ``trade_off_job``: a multi-objective job (val_loss against train_seconds under a memory
  limit) completed with ``values`` from a smooth synthetic trade-off (``trade_off``): a larger
  batch, which the service searches when time is an objective, is faster but ends worse; an lr
  near 1e-3 is best; Adam's two moment buffers cost the most memory. So the job has a front of
  several trials and a few that break the memory limit.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any

import httpx

#: Peak memory by family: no state (sgd), one buffer (momentum), two moments (adam).
STATE_MB = {"sgd": 300.0, "momentum": 420.0, "adam": 860.0}
#: Seconds per run by family (a step of adam costs more than one of sgd).
SECONDS = {"sgd": 4.0, "momentum": 5.0, "adam": 8.0}
MEMORY_LIMIT_MB = 900.0
TRADE_OFF_JOB: dict[str, Any] = {
    "name": "val_loss against train_seconds, under 900 MB",
    "task": {"description": "small MLP on a tabular table", "domain": "tabular"},
    "objectives": [
        {"metric": "val_loss", "direction": "minimize"},
        {"metric": "train_seconds", "direction": "minimize"},
    ],
    "constraints": [{"metric": "peak_memory_mb", "max": MEMORY_LIMIT_MB}],
    "families": ["adam", "sgd", "momentum"],
    "budget": {"n_trials": 36},
    "seed": 7,
}


def create_job(client: httpx.Client, spec: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/v1/jobs", json=spec)
    response.raise_for_status()
    job: dict[str, Any] = response.json()
    return job


class _HttpReporter:
    """The harness's TrialReporter over the real report endpoint."""

    def __init__(self, client: httpx.Client, trial_id: int) -> None:
        self.client = client
        self.trial_id = trial_id

    def report(self, epoch: int, value: float) -> bool:
        if not math.isfinite(value):
            return False  # the harness ends such a run as diverged by itself
        response = self.client.post(
            f"/v1/trials/{self.trial_id}/report", json={"step": epoch, "value": value}
        )
        response.raise_for_status()
        return bool(response.json()["should_prune"])

    def heartbeat(self) -> None:
        return None

    def should_stop(self) -> bool:
        return False


def train_job(
    client: httpx.Client, job_id: str, *, device: str = "auto", limit: int | None = None
) -> int:
    """Train the job's trials until it has none due (or ``limit`` were trained); returns how
    many were trained."""
    from advisor import TrainConfig
    from workers.runner import run_trial

    trained = 0
    while limit is None or trained < limit:
        response = client.post(f"/v1/jobs/{job_id}/lease", json={"worker": "dashboard-bench"})
        if response.status_code == 204:
            return trained
        response.raise_for_status()
        lease = response.json()
        outcome = run_trial(
            lease["workload"],
            TrainConfig.model_validate(lease["params"]),
            max_epochs=lease["max_epochs"] or 5,
            device=device,
            seed=lease["number"],
            reporter=_HttpReporter(client, lease["trial_id"]),
        )
        if outcome.state == "complete" and outcome.value is not None:
            body: dict[str, Any] = {"value": outcome.value}
        elif outcome.state == "pruned":
            body = {"pruned": True}
        else:
            reason = f"{outcome.state}: {outcome.reason or 'no reason given'}"
            body = {"failed": reason, "retry": outcome.state != "diverged"}
        client.post(f"/v1/trials/{lease['trial_id']}/complete", json=body).raise_for_status()
        trained += 1
    return trained


@dataclass
class OwnLoop:
    """A client with its own training loop: a smooth, seeded loss for each leased config."""

    client: httpx.Client
    job_id: str
    steps: int = 6
    seed: int = 0

    def loss(self, params: dict[str, Any], step: int) -> float:
        noise = random.Random(self.seed * 7919 + step).random() * 0.02
        return abs(math.log10(params["lr"]) + 3.0) * 0.3 + 1.0 / (step + 1) + noise

    def next_lease(self) -> dict[str, Any] | None:
        """The job's next trial, or None when it has none due."""
        response = self.client.post(f"/v1/jobs/{self.job_id}/lease")
        if response.status_code == 204:
            return None
        response.raise_for_status()
        lease: dict[str, Any] = response.json()
        return lease

    def run_one(self) -> bool:
        """Lease, report every step, complete. False when the job has no trial due."""
        lease = self.next_lease()
        if lease is None:
            return False
        value = 0.0
        for step in range(1, self.steps + 1):
            value = self.loss(lease["params"], step)
            verdict = self.client.post(
                f"/v1/trials/{lease['trial_id']}/report", json={"step": step, "value": value}
            )
            verdict.raise_for_status()
            if verdict.json()["should_prune"]:
                self._complete(lease["trial_id"], {"pruned": True})
                return True
        self._complete(lease["trial_id"], {"value": value})
        self.seed += 1
        return True

    def _complete(self, trial_id: int, body: dict[str, Any]) -> None:
        self.client.post(f"/v1/trials/{trial_id}/complete", json=body).raise_for_status()


def trade_off(family: str, lr: float, number: int, batch_size: int = 32) -> dict[str, float]:
    """What a trial reports: a larger batch trains faster but ends at a higher loss and needs
    more memory, an lr near 1e-3 is best, sgd ends a little worse, and memory is the family's
    optimizer state plus the batch's activations."""
    spread = ((number * 7919) % 100) / 100
    seconds = SECONDS[family] * (32 / batch_size) ** 0.5 * (1 + spread)
    loss = (
        abs(math.log10(lr) + 3) * 0.15
        + 0.04 * math.log2(batch_size / 8)
        + 0.3 * spread
        + (0.05 if family == "sgd" else 0.0)
    )
    return {
        "val_loss": round(loss, 4),
        "train_seconds": round(seconds, 2),
        "peak_memory_mb": STATE_MB[family] + batch_size + 8 * ((number * 31) % 10),
    }


class TradeOffLoop(OwnLoop):
    """A client with its own loop for a multi-objective job: lease, complete with values."""

    def run_one(self) -> bool:
        """False when the job has no trial due."""
        lease = self.next_lease()
        if lease is None:
            return False
        params = lease["params"]
        values = trade_off(
            params["optimizer"], params["lr"], lease["number"], params.get("batch_size") or 32
        )
        self._complete(lease["trial_id"], {"values": values})
        return True


def trade_off_job(client: httpx.Client) -> dict[str, Any]:
    """Create the job and run all its trials; returns the finished job."""
    job = create_job(client, TRADE_OFF_JOB)
    loop = TradeOffLoop(client, job["id"])
    while loop.run_one():
        pass
    finished: dict[str, Any] = client.get(f"/v1/jobs/{job['id']}").json()
    return finished
