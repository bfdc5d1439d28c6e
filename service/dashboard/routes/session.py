"""Signing in with a token (which opens a server-side session; the cookie holds its id, not
the token) and signing out (which ends it)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from service.dashboard.forms import first, read_form
from service.dashboard.rendering import UI_PREFIX, render
from service.dashboard.security import (
    COOKIE,
    COOKIE_MAX_AGE_S,
    context_of,
    require_same_site,
    safe_next,
)
from service.dashboard.sessions import end_session, open_session
from service.errors import UnauthorizedError

router = APIRouter()
HOME = f"{UI_PREFIX}/jobs"


@router.get("/login", name="login")
def login_form(
    request: Request,
    next: Annotated[str | None, Query(max_length=2000)] = None,
    reason: Annotated[str | None, Query(max_length=300)] = None,
) -> Response:
    return render(
        request, "login.html", next=safe_next(next, HOME), message=reason, signed_in=False
    )


@router.post("/login")
async def login(request: Request) -> Response:
    require_same_site(request)
    form = await read_form(request)
    target = safe_next(first(form, "next"), HOME)
    token = first(form, "token") or ""
    ctx = context_of(request)
    try:
        principal = await run_in_threadpool(ctx.verifier.verify, token)
    except UnauthorizedError as exc:
        return render(
            request,
            "login.html",
            status_code=401,
            next=target,
            message=f"That token was not accepted: {exc.message}.",
            signed_in=False,
        )
    session_id = await run_in_threadpool(open_session, ctx, principal, token)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        COOKIE,
        session_id,
        max_age=COOKIE_MAX_AGE_S,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    require_same_site(request)
    session_id = request.cookies.get(COOKIE)
    if session_id:
        end_session(context_of(request), session_id)
    response = RedirectResponse(f"{UI_PREFIX}/login", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response
