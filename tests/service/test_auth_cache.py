"""A verified token is trusted for a few seconds without reading its row again (a worker's
every call read it before); a revoked token is refused once that time has passed, and a
wrong token is never trusted."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from service.auth import TokenVerifier, issue_token
from service.db import TokenRow
from service.errors import UnauthorizedError
from tests.service.conftest import Api
from tunewise.wire.models import TokenScope


def revoke_all(api: Api) -> None:
    with api.context.database.unit_of_work() as session:
        session.execute(update(TokenRow).values(revoked_at=datetime.now(UTC)))


def test_a_verified_token_is_trusted_until_its_time_runs_out(api: Api) -> None:
    with api.context.database.unit_of_work() as session:
        token = issue_token(session, TokenScope.WORKER).get_secret_value()
    cached = TokenVerifier(api.context.database, None, ttl_s=3600)
    fresh = TokenVerifier(api.context.database, None, ttl_s=0)
    assert cached.verify(token).scope is TokenScope.WORKER
    assert fresh.verify(token).scope is TokenScope.WORKER

    revoke_all(api)
    assert cached.verify(token).scope is TokenScope.WORKER  # within its time: not read again
    with pytest.raises(UnauthorizedError):
        fresh.verify(token)  # its time is up: the row is read, and says revoked


def test_a_wrong_token_is_never_trusted(api: Api) -> None:
    with api.context.database.unit_of_work() as session:
        token = issue_token(session, TokenScope.USER).get_secret_value()
    verifier = TokenVerifier(api.context.database, None, ttl_s=3600)
    for _ in range(2):
        with pytest.raises(UnauthorizedError):
            verifier.verify(token[:-1] + ("x" if token[-1] != "x" else "y"))
    assert verifier.verify(token).scope is TokenScope.USER
