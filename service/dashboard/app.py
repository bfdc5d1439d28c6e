"""The dashboard as a sub-application mounted at ``/ui`` (its own error pages, security
headers and static files; nothing of it in the API's OpenAPI), optuna-dashboard at
``/optuna``, and ``/`` sending people to the jobs."""

from __future__ import annotations

import logging
from pathlib import Path

import plotly
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from service.context import ServiceContext
from service.dashboard.options import DashboardOptions
from service.dashboard.optuna_mount import OptunaDashboard
from service.dashboard.plots import FAMILY_COLOURS
from service.dashboard.rendering import (
    OPTUNA_PREFIX,
    PLOTLY_URL,
    STATIC_DIR,
    UI_PREFIX,
    make_templates,
    render,
)
from service.dashboard.routes import advise, jobs, pareto, session
from service.dashboard.security import LoginRequiredError, SecurityHeaders, login_url
from service.errors import ServiceError

_log = logging.getLogger(__name__)
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
_YEAR = 365 * 86_400


def create_dashboard(context: ServiceContext, options: DashboardOptions) -> FastAPI:
    ui = FastAPI(title="tunewise dashboard", docs_url=None, redoc_url=None, openapi_url=None)
    ui.state.context = context
    ui.state.options = options
    ui.state.templates = make_templates()
    for router in (session.router, jobs.router, pareto.router, advise.router):
        ui.include_router(router)

    @ui.get("/", include_in_schema=False)
    def home() -> Response:
        return RedirectResponse(f"{UI_PREFIX}/jobs", status_code=303)

    @ui.get(PLOTLY_URL.removeprefix(UI_PREFIX), include_in_schema=False)
    def plotly_bundle() -> Response:
        # Versioned URL: a new plotly gets a new URL, so the old one may be cached for good.
        return FileResponse(
            PLOTLY_JS,
            media_type="application/javascript",
            headers={"Cache-Control": f"public, max-age={_YEAR}, immutable"},
        )

    @ui.get("/families.css", include_in_schema=False)
    def family_styles() -> Response:
        rules = "\n".join(
            f".family-{f.value} {{ background: {c}; }}" for f, c in FAMILY_COLOURS.items()
        )
        return Response(rules + "\n", media_type="text/css", headers={"Cache-Control": "no-cache"})

    ui.mount("/static", _RevalidatedFiles(directory=STATIC_DIR), name="static")
    _install_error_pages(ui)
    ui.add_middleware(SecurityHeaders)
    return ui


class _RevalidatedFiles(StaticFiles):
    """Our small CSS and JS: cached, but checked against their ETag on every use."""

    def file_response(self, *args: object, **kwargs: object) -> Response:
        response = super().file_response(*args, **kwargs)  # type: ignore[arg-type]
        response.headers["Cache-Control"] = "no-cache"
        return response


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _install_error_pages(ui: FastAPI) -> None:
    def page(
        request: Request, status: int, title: str, message: str, field: str | None = None
    ) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": {"message": message, "field": field}}, status_code=status)
        return render(
            request, "error.html", status_code=status, title=title, message=message, field=field
        )

    async def login_required(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LoginRequiredError)
        if _wants_json(request):
            return JSONResponse({"error": {"message": str(exc)}}, status_code=401)
        target = login_url(UI_PREFIX, request)
        if exc.reason:
            target += "&reason=" + exc.reason.replace(" ", "+")
        return RedirectResponse(target, status_code=303)

    async def service_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ServiceError)
        titles = {401: "Not signed in", 403: "Not allowed", 404: "Not found", 409: "Conflict"}
        return page(
            request, exc.status, titles.get(exc.status, "Cannot do that"), exc.message, exc.field
        )

    async def invalid_request(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        problem = exc.errors()[0] if exc.errors() else {}
        field = ".".join(str(p) for p in problem.get("loc", ())[1:]) or None
        return page(
            request, 422, "Invalid request", str(problem.get("msg", "invalid request")), field
        )

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return page(
            request,
            exc.status_code,
            "Not found" if exc.status_code == 404 else "Error",
            str(exc.detail),
        )

    async def unexpected(request: Request, exc: Exception) -> Response:
        _log.exception("dashboard page failed", exc_info=exc)
        return page(request, 500, "Something went wrong", "The server log has the details.")

    ui.add_exception_handler(LoginRequiredError, login_required)
    ui.add_exception_handler(ServiceError, service_error)
    ui.add_exception_handler(RequestValidationError, invalid_request)
    ui.add_exception_handler(HTTPException, http_error)
    ui.add_exception_handler(Exception, unexpected)


def install_dashboard(
    app: FastAPI, context: ServiceContext, options: DashboardOptions | None = None
) -> None:
    """Mount the dashboard at /ui and optuna-dashboard at /optuna, and send / to the jobs."""
    app.mount(UI_PREFIX, create_dashboard(context, options or DashboardOptions()))
    app.mount(OPTUNA_PREFIX, OptunaDashboard(context))

    @app.get("/", include_in_schema=False)
    def root() -> Response:
        return RedirectResponse(f"{UI_PREFIX}/jobs", status_code=307)

    @app.get("/favicon.ico", include_in_schema=False)
    def no_icon() -> Response:
        # Browsers ask the site root (optuna-dashboard's pages name no icon); answer, not 404.
        return Response(status_code=204, headers={"Cache-Control": "public, max-age=86400"})
