"""Dashboard sessions kept on the server. Signing in with a token opens one: the browser's
cookie gets a random session id (never the token), our table keeps only the id's sha256 with
its expiry and the token that signed in. Every page looks it up, so signing out, the expiry,
or revoking that token ends it at once."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, or_

from service.auth import ANONYMOUS_ADMIN, Principal
from service.context import ServiceContext
from service.db import DashboardSessionRow, TokenRow
from tunewise.wire.models import TokenScope

#: A week: signing in again is cheap; the token itself may live longer.
SESSION_LIFETIME = timedelta(days=7)


class SessionEndedError(Exception):
    """The cookie names no live session; ``reason`` says why in words for the sign-in page."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def open_session(ctx: ServiceContext, principal: Principal, token: str) -> str:
    """A new session for a token already verified as ``principal``; returns the session id
    for the cookie. Sessions that ended or expired are cleared on the way."""
    session_id = secrets.token_urlsafe(32)
    now = ctx.clock()
    by_env_token = principal.token_id is None
    with ctx.database.unit_of_work() as session:
        session.execute(
            delete(DashboardSessionRow).where(
                or_(
                    DashboardSessionRow.expires_at <= now,
                    DashboardSessionRow.ended_at.is_not(None),
                )
            )
        )
        session.add(
            DashboardSessionRow(
                id_hash=_hash(session_id),
                token_id=principal.token_id,
                env_token_hash=_hash(token) if by_env_token else None,
                created_at=now,
                expires_at=now + SESSION_LIFETIME,
            )
        )
    return session_id


def session_principal(ctx: ServiceContext, session_id: str) -> Principal:
    """Who the session is signed in as; SessionEndedError when it is not live any more."""
    now = ctx.clock()
    with ctx.database.reading() as session:
        row = session.get(DashboardSessionRow, _hash(session_id))
        if row is None or row.ended_at is not None:
            raise SessionEndedError("you signed out, or the session is unknown")
        if row.expires_at <= now:
            raise SessionEndedError(f"the session expired {_ago(now, row.expires_at)}")
        if row.token_id is None:
            return _by_env_token(ctx, row.env_token_hash)
        token = session.get(TokenRow, row.token_id)
        if token is None or token.revoked_at is not None:
            raise SessionEndedError("the token you signed in with was revoked")
        return Principal(token_id=token.id, scope=TokenScope(token.scope))


def end_session(ctx: ServiceContext, session_id: str) -> None:
    with ctx.database.unit_of_work() as session:
        row = session.get(DashboardSessionRow, _hash(session_id))
        if row is not None and row.ended_at is None:
            row.ended_at = ctx.clock()


def _by_env_token(ctx: ServiceContext, signed_in_with: str | None) -> Principal:
    current = ctx.settings.api_token
    if (
        current is None
        or signed_in_with is None
        or not hmac.compare_digest(_hash(current.get_secret_value()), signed_in_with)
    ):
        raise SessionEndedError("the server's TUNEWISE_API_TOKEN changed since you signed in")
    return ANONYMOUS_ADMIN


def _ago(now: datetime, then: datetime) -> str:
    hours = (now - then).total_seconds() / 3600
    return f"{hours:.0f} h ago" if hours >= 1 else "just now"
