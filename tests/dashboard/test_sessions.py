"""The dashboard's session lives on the server: the cookie holds a random session id, never
the API token, and the table keeps only its hash; signing out, revoking the token that signed
in, or the expiry ends it at once (no cache to wait out)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import select, update

from service.context import utc_now
from service.dashboard.sessions import SESSION_LIFETIME
from service.db import DashboardSessionRow, TokenRow
from tests.dashboard.conftest import COOKIE, sign_in, token_of
from tests.service.conftest import Api
from tunewise.wire.models import TokenScope

SAME_SITE = {"Sec-Fetch-Site": "same-origin"}


def session_rows(api: Api) -> list[DashboardSessionRow]:
    with api.context.database.reading() as session:
        rows = list(session.scalars(select(DashboardSessionRow)))
        session.expunge_all()  # read once, kept as they were
        return rows


def sign_in_page(api: Api) -> str:
    """Where a page sends a browser whose session ended (asserting that it does)."""
    response = api.client.get("/ui/jobs")
    assert response.status_code == 303, "the session should have ended"
    location: str = response.headers["location"]
    assert location.startswith("/ui/login?")
    return location


def test_the_cookie_holds_a_random_session_id_not_the_token(site: Api) -> None:
    user = site.token(TokenScope.USER)
    token = token_of(user)
    sign_in(site, user)
    cookie = site.client.cookies[COOKIE]
    assert cookie != token and token.split("_")[-1] not in cookie
    assert len(cookie) >= 40
    (row,) = session_rows(site)
    assert row.id_hash == hashlib.sha256(cookie.encode()).hexdigest()
    assert row.token_id is not None and row.env_token_hash is None
    assert row.expires_at - row.created_at == timedelta(days=7)
    assert site.client.get("/ui/jobs").status_code == 200


def test_each_sign_in_gets_its_own_session(site: Api) -> None:
    sign_in(site)
    first = site.client.cookies[COOKIE]
    site.client.cookies.clear()
    sign_in(site)
    assert site.client.cookies[COOKIE] != first and len(session_rows(site)) == 2


def test_the_token_itself_as_a_cookie_is_not_a_session(site: Api) -> None:
    site.client.cookies.set(COOKIE, token_of(site.admin))
    assert "reason=" in sign_in_page(site)


def test_signing_out_ends_the_session_on_the_server(site: Api) -> None:
    sign_in(site)
    kept = site.client.cookies[COOKIE]
    assert site.client.post("/ui/logout", headers=SAME_SITE).status_code == 303
    site.client.cookies.set(COOKIE, kept)  # a copy of the cookie kept elsewhere
    assert "signed+out" in sign_in_page(site)
    (row,) = session_rows(site)
    assert row.ended_at is not None


def test_revoking_the_token_that_signed_in_ends_its_session_at_once(site: Api) -> None:
    user = site.token(TokenScope.USER)
    sign_in(site, user)
    assert site.client.get("/ui/jobs").status_code == 200
    key_id = token_of(user).split("_")[1]
    with site.context.database.unit_of_work() as session:
        revoke = update(TokenRow).where(TokenRow.key_id == key_id).values(revoked_at=utc_now())
        session.execute(revoke)
    assert "revoked" in sign_in_page(site)


def test_an_expired_session_sends_you_to_sign_in(site: Api) -> None:
    sign_in(site)
    site.clock.advance(SESSION_LIFETIME.total_seconds() + 1)
    assert "expired" in sign_in_page(site)


def test_signing_in_clears_sessions_that_ended(site: Api) -> None:
    sign_in(site)
    site.client.post("/ui/logout", headers=SAME_SITE)
    sign_in(site)
    (row,) = session_rows(site)
    assert row.ended_at is None
