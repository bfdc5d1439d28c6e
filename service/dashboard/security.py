"""Who is looking, and the headers every dashboard response carries.

The browser holds a session id, never the API token, in an HttpOnly, SameSite=Strict cookie
(scripts cannot read it; other sites cannot send it). The session lives on the server
(service.dashboard.sessions), tied to the token that signed in: every request looks it up, so
signing out or revoking that token ends it. Forms that change something also refuse requests
the browser marks as cross-site.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.auth import ANONYMOUS_ADMIN, Principal
from service.context import ServiceContext
from service.dashboard.sessions import SESSION_LIFETIME, SessionEndedError, session_principal
from service.errors import ForbiddenError

COOKIE = "tunewise_session"
COOKIE_MAX_AGE_S = int(SESSION_LIFETIME.total_seconds())

#: No inline script, no eval, no third-party origin: figures arrive as JSON data blocks that
#: our own script hands to plotly, which draws SVG. Plotly injects its stylesheet at run time
#: (a <style> element), so styles may be inline; scripts may not.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


class LoginRequiredError(Exception):
    """No valid session: the page answers with a redirect to the login form."""

    def __init__(self, reason: str | None = None) -> None:
        super().__init__(reason or "sign in to continue")
        self.reason = reason


def context_of(request: Request) -> ServiceContext:
    found: ServiceContext = request.app.state.context
    return found


def viewer(request: Request) -> Principal:
    """The principal of the session cookie; LoginRequiredError when there is none."""
    return principal_of(context_of(request), request)


def principal_of(ctx: ServiceContext, request: Request) -> Principal:
    if not ctx.settings.auth:
        return ANONYMOUS_ADMIN
    session_id = request.cookies.get(COOKIE)
    if not session_id:
        raise LoginRequiredError()
    try:
        return session_principal(ctx, session_id)
    except SessionEndedError as exc:
        raise LoginRequiredError(f"your session ended ({exc.reason}); sign in again") from exc


def require_same_site(request: Request) -> None:
    """Refuse a state-changing request that a browser says came from another site."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        raise ForbiddenError("this form only accepts submissions from the dashboard itself")
    origin = request.headers.get("origin")
    if origin is not None and origin != "null":
        host = request.headers.get("host", "")
        if urlsplit(origin).netloc != host:
            raise ForbiddenError("this form only accepts submissions from the dashboard itself")


def safe_next(target: str | None, default: str) -> str:
    """A post-login destination on this site only: a path, never another origin."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def login_url(prefix: str, request: Request) -> str:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"{prefix}/login?next={quote(here, safe='/')}"


class SecurityHeaders:
    """Adds the security headers (and, for pages, the CSP and no-store) to every response."""

    def __init__(self, app: ASGIApp, *, csp: str = CONTENT_SECURITY_POLICY) -> None:
        self.app = app
        self.csp = csp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                headers.setdefault("Content-Security-Policy", self.csp)
                headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, with_headers)
