"""optuna-dashboard under ``/optuna/``, behind the dashboard's sign-in, read-only.

optuna-dashboard's single-page app assumes it owns the site root (``/api``, ``/static``,
``/dashboard``). Its index page and bundle are served here with those three prefixes moved
under ``/optuna``; the edits are checked against the bundle at first use and fail with a
message that names the version to pin if a release changes them.

Read-only because the study belongs to a job: deleting it or adding trials from another tool
would break the job's bookkeeping. Admin tokens only, because it lists every study.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, cast

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from service.context import ServiceContext
from service.dashboard.rendering import OPTUNA_PREFIX, UI_PREFIX
from service.dashboard.security import (
    SECURITY_HEADERS,
    LoginRequiredError,
    SecurityHeaders,
    login_url,
    principal_of,
)
from service.tuning.optuna_seam import (
    DASHBOARD_BUNDLE,
    DASHBOARD_REQUIRES,
    OptunaBundleError,
    dashboard_asset,
)

#: optuna-dashboard's own policy for its pages: its parallel-coordinates plot (WebGL) needs eval.
OPTUNA_CSP = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data: blob:",
        "frame-src 'self'",
        "object-src 'none'",
        "connect-src 'self'",
        "style-src 'self' data: 'unsafe-inline'",
        "script-src 'self' 'unsafe-eval'",
        "frame-ancestors 'none'",
    ]
)


class OptunaDashboard:
    """An ASGI app for the ``/optuna`` mount."""

    def __init__(self, context: ServiceContext, prefix: str = OPTUNA_PREFIX) -> None:
        self.context = context
        self.prefix = prefix
        self._assets: dict[str, bytes] = {}
        self._lock = threading.Lock()
        self._wsgi: Any = None
        self._root = Path()
        self._missing: str | None = None
        try:
            import optuna_dashboard
            from a2wsgi import WSGIMiddleware
        except ImportError as exc:
            # The API must start without it; /optuna says what to install instead.
            self._missing = f"{exc.name} is not installed here: pip install {DASHBOARD_REQUIRES}"
            return
        self._root = Path(optuna_dashboard.__file__).parent
        # a2wsgi types the ASGI protocol with its own TypedDicts; it is the same protocol.
        bridged = cast(ASGIApp, WSGIMiddleware(optuna_dashboard.wsgi(context.studies.storage)))
        self._wsgi = SecurityHeaders(bridged, csp=OPTUNA_CSP)

    def asset(self, name: str) -> bytes:
        """The index page or the bundle, edited for the prefix (once, then from memory)."""
        with self._lock:
            if name not in self._assets:
                text = dashboard_asset(self._root, name, self.prefix)
                self._assets[name] = text.encode("utf-8")
            return self._assets[name]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        response = self._gate(Request(scope, receive))
        if response is None:
            await self._wsgi(scope, receive, send)
            return
        await response(scope, receive, send)

    def _gate(self, request: Request) -> Response | None:
        """A response of our own, or None to hand the request to optuna-dashboard."""
        try:
            principal = principal_of(self.context, request)
        except LoginRequiredError:
            return RedirectResponse(login_url(UI_PREFIX, request), status_code=303)
        if not principal.is_admin:
            return _text(403, "optuna-dashboard lists every study: it needs an admin token")
        if self._missing is not None:
            return _text(503, self._missing)
        if request.method not in ("GET", "HEAD"):
            return _text(
                405, "optuna-dashboard is mounted read-only here: the studies belong to jobs"
            )
        path = request.url.path[len(self.prefix) :]
        if path in ("", "/"):
            return RedirectResponse(f"{self.prefix}/dashboard", status_code=303)
        if path == DASHBOARD_BUNDLE:
            return self._served(DASHBOARD_BUNDLE, "application/javascript", cache="no-cache")
        if path == "/dashboard" or path.startswith("/dashboard/"):
            return self._served("index.html", "text/html; charset=utf-8", cache="no-store")
        return None

    def _served(self, name: str, media_type: str, *, cache: str) -> Response:
        try:
            body = self.asset(name)
        except OptunaBundleError as exc:
            return _text(500, str(exc))
        return Response(
            body,
            media_type=media_type,
            headers={
                **SECURITY_HEADERS,
                "Content-Security-Policy": OPTUNA_CSP,
                "Cache-Control": cache,
            },
        )


def _text(status: int, message: str) -> Response:
    return PlainTextResponse(message, status_code=status, headers=SECURITY_HEADERS)
