"""An app on a real database (``database_url`` runs each test on SQLite and on PostgreSQL),
driven over HTTP with Starlette's TestClient, and tokens of each scope."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from service.app import create_app
from service.auth import issue_token
from service.context import ServiceContext
from service.settings import ServiceSettings
from tunewise.testing.clock import SteppedClock
from tunewise.wire.models import TokenScope

Headers = dict[str, str]


def make_settings(database_url: str, data_dir: Path, **overrides: Any) -> ServiceSettings:
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "database_url": SecretStr(database_url),
        "lease_seconds": 60.0,
        "sweep_interval_s": 0.2,
        "api_token": None,
        "auth": True,
    }
    values.update(overrides)
    return ServiceSettings(**values)


@dataclass
class Api:
    client: TestClient
    context: ServiceContext
    #: The app's clock: ``api.clock.advance(61)`` runs a 60-s lease out without waiting.
    clock: SteppedClock
    admin: Headers = field(default_factory=dict)

    def token(self, scope: TokenScope) -> Headers:
        with self.context.database.unit_of_work() as session:
            secret = issue_token(session, scope, label=f"test {scope.value}")
        return {"Authorization": f"Bearer {secret.get_secret_value()}"}

    def create_job(self, headers: Headers | None = None, **spec: Any) -> dict[str, Any]:
        body = {"task": {"domain": "vision", "architecture": "cnn"}, **spec}
        response = self.client.post("/v1/jobs", json=body, headers=headers or self.admin)
        assert response.status_code == 201, response.text
        job: dict[str, Any] = response.json()
        return job

    def lease(self, job_id: str, headers: Headers | None = None) -> dict[str, Any] | None:
        response = self.client.post(f"/v1/jobs/{job_id}/lease", headers=headers or self.admin)
        if response.status_code == 204:
            return None
        assert response.status_code == 200, response.text
        lease: dict[str, Any] = response.json()
        return lease

    def report(self, trial_id: int, step: int, value: float, headers: Headers | None = None) -> Any:
        return self.client.post(
            f"/v1/trials/{trial_id}/report",
            json={"step": step, "value": value},
            headers=headers or self.admin,
        )

    def complete(self, trial_id: int, body: dict[str, Any], headers: Headers | None = None) -> Any:
        return self.client.post(
            f"/v1/trials/{trial_id}/complete", json=body, headers=headers or self.admin
        )

    def job(self, job_id: str) -> dict[str, Any]:
        response = self.client.get(f"/v1/jobs/{job_id}", headers=self.admin)
        assert response.status_code == 200, response.text
        job: dict[str, Any] = response.json()
        return job


ApiFactory = Callable[..., Api]


def started_api(settings: ServiceSettings) -> Api:
    """An app on a stepped clock, its lifespan entered (the caller exits its client), and an
    admin token."""
    clock = SteppedClock()
    context = ServiceContext.open(settings, clock=clock)
    client = TestClient(create_app(settings, context))
    client.__enter__()
    api = Api(client=client, context=context, clock=clock)
    api.admin = api.token(TokenScope.ADMIN)
    return api


@pytest.fixture
def api_factory(database_url: str, tmp_path: Path) -> Iterator[ApiFactory]:
    """Builds an Api with settings overrides (e.g. ``max_retries=1``); closed at the end."""
    clients: list[TestClient] = []

    def build(**overrides: Any) -> Api:
        settings = make_settings(database_url, tmp_path / f"data{len(clients)}", **overrides)
        api = started_api(settings)
        clients.append(api.client)
        return api

    yield build
    for client in reversed(clients):
        client.__exit__(None, None, None)


@pytest.fixture
def api(api_factory: ApiFactory) -> Api:
    return api_factory()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def refusing_api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Api]:
    """One app per database for a whole module, for tests whose every request is refused
    before anything is written (a 400, 405, 422) or only reads what no test writes (the
    OpenAPI document): such a test costs little more than building its app, which ``api``
    does for each test. Write nothing through it, so a test may still check that a refusal
    left no row."""
    folder = tmp_path_factory.mktemp(f"refusing-{request.param}")
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{folder / 'tunewise.db'}"
        else:
            server = request.getfixturevalue("postgres_server")
            url = stack.enter_context(server.database())
        api = started_api(make_settings(url, folder / "data"))
        stack.callback(api.client.__exit__, None, None, None)
        yield api
