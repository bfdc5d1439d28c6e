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
import uvicorn
from pydantic import SecretStr

from service.app import create_app
from service.server import bind_socket
from service.settings import ServiceSettings
from tests.integration.workloads import ALL
from workers.agent import WorkerSettings, run_worker
from workers.agent.harness import HarnessTrainer
from workers.workloads import WorkloadRegistry

TOKEN = "cli-test-token-0123456789abcdef"


@dataclass(frozen=True)
class LiveApi:
    url: str
    token: str


@pytest.fixture
def live_api(tmp_path: Path) -> Iterator[LiveApi]:
    settings = ServiceSettings(
        data_dir=tmp_path / "data", api_token=SecretStr(TOKEN), sweep_interval_s=0.5
    )
    sock = bind_socket("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        assert thread.is_alive(), "the API did not start"
        thread.join(0.02)
    try:
        yield LiveApi(url=f"http://127.0.0.1:{sock.getsockname()[1]}", token=TOKEN)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


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
