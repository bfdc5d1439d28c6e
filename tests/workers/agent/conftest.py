"""The real service app (SQLite in a temporary folder) driven in-process through Starlette's
TestClient, which is an ``httpx.Client``: the agent's client speaks to it as it would over a
socket. Jobs run the near-zero-cost test workloads of ``tunewise.testing.workloads``."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from service.app import create_app
from service.context import ServiceContext
from service.settings import ServiceSettings
from tunewise.testing.clock import SteppedClock
from tunewise.testing.workloads import ALL, small_job
from tunewise.wire.models import Job, JobCreate
from workers.agent import ServiceClient
from workers.agent.harness import HarnessTrainer
from workers.workloads import WorkloadRegistry

TOKEN = SecretStr("agent-test-token-0123456789")
BASE_URL = "http://testserver"


@dataclass
class LocalApi:
    http: TestClient
    client: ServiceClient
    #: The service's clock: ``advance`` runs a lease out without waiting for it.
    clock: SteppedClock

    def create_job(self, workload: str, n_trials: int = 3, max_epochs: int = 2) -> Job:
        return self.client.create_job(job_spec(workload, n_trials, max_epochs))


def job_spec(workload: str, n_trials: int = 3, max_epochs: int = 2) -> JobCreate:
    return small_job(workload, n_trials, max_epochs, seed=1)


ApiFactory = Callable[..., LocalApi]


@pytest.fixture
def api_factory(tmp_path: Path) -> Iterator[ApiFactory]:
    opened: list[TestClient] = []

    def build(**overrides: Any) -> LocalApi:
        settings = ServiceSettings(
            data_dir=tmp_path / f"data{len(opened)}",
            api_token=TOKEN,
            sweep_interval_s=0.2,
            **overrides,
        )
        clock = SteppedClock()
        context = ServiceContext.open(settings, clock=clock)
        http = TestClient(create_app(settings, context), base_url=BASE_URL)
        http.__enter__()
        opened.append(http)
        return LocalApi(http=http, client=ServiceClient(BASE_URL, TOKEN, http=http), clock=clock)

    yield build
    for http in reversed(opened):
        http.__exit__(None, None, None)


@pytest.fixture
def api(api_factory: ApiFactory) -> LocalApi:
    return api_factory()


@pytest.fixture(scope="session")
def trainer() -> HarnessTrainer:
    return HarnessTrainer(registry=WorkloadRegistry([w() for w in ALL]), device="cpu")


@pytest.fixture
def log() -> logging.Logger:
    return logging.getLogger("tests.agent")
