"""The dashboard against a real app on SQLite (the API's own Api helper drives it over HTTP),
signed in with a session cookie, and jobs filled by a client with its own training loop."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.context import ServiceContext
from tests.dashboard.chromium import launched_chromium
from tests.service.conftest import Api, make_settings
from tunewise.testing.clock import SteppedClock
from tunewise.wire.models import TokenScope

COOKIE = "tunewise_session"


def token_of(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


def sign_in(api: Api, headers: dict[str, str] | None = None) -> None:
    """Signs in through the login form, as a browser does; the client keeps the cookie."""
    response = api.client.post(
        "/ui/login",
        data={"token": token_of(headers or api.admin)},
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == 303, response.text
    assert COOKIE in api.client.cookies


def run_trials(api: Api, job_id: str, count: int, steps: int = 4) -> list[dict[str, Any]]:
    """Lease and finish up to ``count`` trials with a smooth loss that favours lr near 1e-3;
    obeys prune verdicts. Returns the completed trials' bodies."""
    done = []
    for _ in range(count):
        lease = api.lease(job_id)
        if lease is None:
            break
        body: dict[str, Any] = {}
        for step in range(1, steps + 1):
            value = abs(math.log10(lease["params"]["lr"]) + 3) + 1 / step
            verdict = api.report(lease["trial_id"], step, value).json()
            body = {"pruned": True} if verdict["should_prune"] else {"value": value}
            if verdict["should_prune"]:
                break
        response = api.complete(lease["trial_id"], body)
        assert response.status_code == 200, response.text
        done.append(response.json())
    return done


def _api(database_url: str, tmp_path: Path) -> Iterator[Api]:
    settings = make_settings(database_url, tmp_path / "data")
    clock = SteppedClock()
    context = ServiceContext.open(settings, clock=clock)
    with TestClient(create_app(settings, context), follow_redirects=False) as client:
        api = Api(client=client, context=context, clock=clock)
        api.admin = api.token(TokenScope.ADMIN)
        yield api


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Api]:
    """An app on SQLite with an admin token; the client is not signed in yet."""
    yield from _api(f"sqlite:///{tmp_path / 'tunewise.db'}", tmp_path)


@pytest.fixture
def each_database(database_url: str, tmp_path: Path) -> Iterator[Api]:
    """The same, once on SQLite and once on PostgreSQL."""
    yield from _api(database_url, tmp_path)


@pytest.fixture
def signed_in(site: Api) -> Api:
    sign_in(site)
    return site


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for every browser test; each test opens its own context."""
    with launched_chromium() as launched:
        yield launched
