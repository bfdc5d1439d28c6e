"""Templates and the helpers pages share: the Jinja2 environment (autoescaped), the filters
that format numbers and ages, and one ``render`` that every page goes through."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import plotly
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from service.dashboard.plots import FAMILY_COLOURS
from service.dashboard.present import schedule_text, task_rows

HERE = Path(__file__).parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"
UI_PREFIX = "/ui"
OPTUNA_PREFIX = "/optuna"
#: Versioned so browsers may cache the 4.6 MB bundle for good.
PLOTLY_URL = f"{UI_PREFIX}/vendor/plotly-{plotly.__version__}.min.js"


def number(value: float | None, digits: int = 4) -> str:
    if value is None:
        return "—"
    return f"{value:.{digits}g}"


def age(moment: datetime | None, now: datetime | None = None) -> str:
    """'just now', '5 min ago', '3 h ago', '2 d ago'."""
    if moment is None:
        return "—"
    seconds = ((now or datetime.now(UTC)) - moment).total_seconds()
    if seconds < 60:
        return "just now"
    for unit, size in (("d", 86_400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{int(seconds // size)} {unit} ago"
    return "just now"


def duration(start: datetime | None, end: datetime | None) -> str:
    if start is None or end is None:
        return "—"
    seconds = (end - start).total_seconds()
    if seconds < 60:
        return f"{seconds:.1f} s"
    if seconds < 3600:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def metrics_text(values: Mapping[str, float] | None) -> str:
    """'peak_memory_mb=900, val_loss=0.1186': what a trial reported, by name."""
    return ", ".join(f"{name}={value:.4g}" for name, value in sorted((values or {}).items()))


def make_templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["number"] = number
    env.filters["age"] = age
    env.filters["metrics_text"] = metrics_text
    env.globals.update(
        ui=UI_PREFIX,
        optuna_prefix=OPTUNA_PREFIX,
        plotly_url=PLOTLY_URL,
        family_colours={f.value: c for f, c in FAMILY_COLOURS.items()},
        duration=duration,
        schedule_text=schedule_text,
        task_rows=task_rows,
    )
    return Jinja2Templates(env=env)


def render(request: Request, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    templates: Jinja2Templates = request.app.state.templates
    values.setdefault("signed_in", request.app.state.context.settings.auth)
    return templates.TemplateResponse(request, template, values, status_code=status_code)
