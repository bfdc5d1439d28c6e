"""One real API per module (uvicorn in this process, SQLite in a temp folder) and an SDK
client on it that retries quickly."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tunewise.sdk import Client
from tunewise.testing.servers import LocalServer, local_server
from tunewise.wire.backoff import Backoff

#: Retries a few milliseconds apart: the tests wait for outages they make themselves.
QUICK = Backoff(initial=0.01, maximum=0.05, jitter=0.0)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    with local_server(tmp_path_factory.mktemp("sdk-api"), sweep_interval_s=0.2) as running:
        yield running


@pytest.fixture
def client(server: LocalServer) -> Iterator[Client]:
    with Client(server.url, server.token, timeout_s=30, backoff=QUICK) as made:
        yield made
