"""Real jobs for the dashboard's tests, benchmark and screenshots.

- ``LocalServer``: the real app under uvicorn on a free loopback port, SQLite in a folder.
- ``train_job``: a job's trials through the full path: lease over HTTP, train with the real
  harness (``workers.runner.run_trial``), report every epoch (obeying prune verdicts), complete.
- ``OwnLoop``: a client with its own loop, one trial at a time, for a job that stays running.
- ``fill_job``: thousands of finished trials written straight through the storage layer, for
  the 10k-trial benchmark (leasing them one by one would measure the sampler, not the page).
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from pydantic import SecretStr

from service.app import create_app
from service.context import ServiceContext
from service.server import bind_socket
from service.settings import ServiceSettings

TOKEN = "dashboard-test-token"

#: Debian's headless Chromium, with the flags a closed network needs (no background traffic).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: The figure ids of a job page, in page order.
FIGURES = ("best-so-far", "family-best", "learning-curves", "lr-value", "parallel", "importance")


@dataclass(frozen=True)
class Running:
    url: str
    token: str
    context: ServiceContext

    def client(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {self.token}"}, timeout=30.0
        )


@contextmanager
def local_server(data_dir: Path, **overrides: Any) -> Iterator[Running]:
    settings = ServiceSettings(
        data_dir=data_dir, api_token=SecretStr(TOKEN), auth=True, database_url=None, **overrides
    )
    app = create_app(settings)
    sock = bind_socket("127.0.0.1", 0)
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the dashboard's test server did not start")
        time.sleep(0.02)
    try:
        port = sock.getsockname()[1]
        yield Running(f"http://127.0.0.1:{port}", TOKEN, app.state.context)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


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


def fill_job(context: ServiceContext, job_id: str, trials: int, steps: int = 10) -> None:
    """Write ``trials`` finished trials (curves included) of the job straight to storage:
    Optuna's trial rows and intermediate values, and our lease rows, as the service would."""
    from optuna.storages._rdb import models
    from sqlalchemy import insert, select

    from service.db import JobRow, TrialLeaseRow

    rng = random.Random(42)
    now = datetime.now(UTC)
    with context.database.unit_of_work() as session:
        job = session.scalars(select(JobRow).where(JobRow.id == job_id)).one()
        study_id = context.studies.storage.get_study_id_from_name(job.study_name)
        families = list(job.families)
        first = len(
            session.scalars(
                select(models.TrialModel.trial_id).where(models.TrialModel.study_id == study_id)
            ).all()
        )
        plan = [
            (n, families[n % len(families)], 10 ** rng.uniform(-5, -1), rng.random() < 0.3)
            for n in range(first, first + trials)
        ]
        session.execute(
            insert(models.TrialModel),
            [
                {
                    "number": n,
                    "study_id": study_id,
                    "state": "PRUNED" if pruned else "COMPLETE",
                    "datetime_start": now,
                    "datetime_complete": now,
                }
                for n, _, _, pruned in plan
            ],
        )
        ids = {
            number: trial_id
            for number, trial_id in session.execute(
                select(models.TrialModel.number, models.TrialModel.trial_id).where(
                    models.TrialModel.study_id == study_id
                )
            )
        }
        leases, curves = [], []
        for n, family, lr, pruned in plan:
            last = steps // 2 if pruned else steps
            curve = [
                abs(math.log10(lr) + 3.2) * 0.25 + 1.0 / s + rng.random() * 0.03
                for s in range(1, last + 1)
            ]
            curves += [
                {
                    "trial_id": ids[n],
                    "step": s,
                    "intermediate_value": v,
                    "intermediate_value_type": "FINITE",
                }
                for s, v in enumerate(curve, 1)
            ]
            leases.append(
                {
                    "trial_id": ids[n],
                    "job_id": job_id,
                    "number": n,
                    "attempt": 0,
                    "state": "pruned" if pruned else "complete",
                    "params": {"optimizer": family, "lr": lr, "weight_decay": rng.uniform(0, 0.1)},
                    "study_params": {"optimizer": family, f"{family}.lr": lr},
                    "leased_at": now - timedelta(seconds=30),
                    "finished_at": now,
                    "value": curve[-1],
                    "reason": "pruned" if pruned else None,
                }
            )
        session.execute(insert(models.TrialIntermediateValueModel), curves)
        session.execute(insert(TrialLeaseRow), leases)
