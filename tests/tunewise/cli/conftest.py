"""A real API on a loopback port (uvicorn in a thread, SQLite in a temporary folder), and a
worker in a thread that trains the near-zero-cost test workloads, for the CLI commands that
talk HTTP."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import SecretStr

from tunewise.testing.servers import local_server
from tunewise.testing.workloads import ALL
from workers.agent import WorkerSettings, run_worker
from workers.agent.harness import HarnessTrainer
from workers.workloads import WorkloadRegistry


@dataclass(frozen=True)
class LiveApi:
    url: str
    token: str


@pytest.fixture
def live_api(tmp_path: Path) -> Iterator[LiveApi]:
    with local_server(tmp_path / "data", sweep_interval_s=0.5) as server:
        yield LiveApi(url=server.url, token=server.token)


@pytest.fixture
def live_worker(live_api: LiveApi) -> Iterator[threading.Thread]:
    """A worker thread serving the live API until the test ends."""
    settings = WorkerSettings(
        api_url=live_api.url, token=SecretStr(live_api.token), name="cli-test", idle_poll_s=0.05
    )
    trainer = HarnessTrainer(registry=WorkloadRegistry([w() for w in ALL]), device="cpu")
    stop = threading.Event()
    log = logging.getLogger("tests.cli.worker")
    thread = threading.Thread(target=run_worker, args=(settings, trainer, stop, log))
    thread.start()
    try:
        yield thread
    finally:
        stop.set()
        thread.join(timeout=30)
