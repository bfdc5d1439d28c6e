"""Shared fixtures.

``postgres_server`` (session-scoped) starts a real, throwaway PostgreSQL cluster once per test
run (see tunewise/testing/postgres.py) and stops it at the end; ``postgres_url`` hands each
test a fresh empty database on it. When PostgreSQL is not installed the fixture FAILS, pointing at
``make system-deps``: the API suite must run on both databases, so it is never skipped.

``database_url`` is parametrized over ``sqlite`` and ``postgresql``: a test that takes it
runs once per database.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tunewise.testing.postgres import PostgresServer, PostgresUnavailableError, running_postgres


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    try:
        with running_postgres() as server:
            yield server
    except PostgresUnavailableError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    with postgres_server.database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tunewise.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url
