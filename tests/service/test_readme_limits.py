"""The README's table of limits says what the code enforces: each row is rebuilt here from the
OpenAPI schema, the wire models and the settings, and must appear in the README as written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from advisor import TaskDescription
from service.api import ROUTERS
from service.settings import ServiceSettings
from tunewise.wire.models import (
    Budget,
    Completion,
    JobCreate,
    JobLeaseRequest,
    ReportBatch,
)

README = Path(__file__).resolve().parents[2] / "README.md"


def _properties(model: Any) -> dict[str, Any]:
    properties: dict[str, Any] = model.model_json_schema()["properties"]
    return {name: _not_null(schema) for name, schema in properties.items()}


def _not_null(schema: dict[str, Any]) -> dict[str, Any]:
    """An optional field's schema without its ``null`` branch."""
    branches = [s for s in schema.get("anyOf", []) if s.get("type") != "null"]
    return {**schema, **branches[0]} if len(branches) == 1 else schema


def _query(path: str, name: str) -> dict[str, Any]:
    app = FastAPI()
    for router in ROUTERS:
        app.include_router(router)
    parameters = app.openapi()["paths"][path]["get"]["parameters"]
    schema: dict[str, Any] = next(p for p in parameters if p["name"] == name)["schema"]
    return schema


def _span(schema: dict[str, Any], low: str = "minimum", high: str = "maximum") -> str:
    return f"{schema[low]:,}–{schema[high]:,}"


def _chars(schema: dict[str, Any]) -> str:
    return f"{_span(schema, 'minLength', 'maxLength')} characters"


def _expected_rows() -> list[tuple[str, str]]:
    task, budget, job = _properties(TaskDescription), _properties(Budget), _properties(JobCreate)
    body = ServiceSettings.model_json_schema()["properties"]["max_body_bytes"]
    jobs_limit = _query("/v1/jobs", "limit")
    assert _query("/v1/jobs/{job_id}/trials", "limit") == jobs_limit
    recommendations = _query("/v1/recommendations", "limit")
    timeout = budget["timeout_s"]["maximum"]
    return [
        ("`task.description`", _chars(task["description"])),
        (
            "request body",
            f"{body['default']:,} bytes (`TUNEWISE_MAX_BODY_BYTES`, {_span(body)})",
        ),
        (
            "`limit` of `GET /v1/jobs` and `/v1/jobs/{job_id}/trials`",
            f"{_span(jobs_limit)} (default {jobs_limit['default']})",
        ),
        ("`budget.n_trials`", _span(budget["n_trials"])),
        ("`budget.max_epochs`", _span(budget["max_epochs"])),
        ("`budget.timeout_s`", f"up to {timeout:,} s ({timeout // 86_400} days)"),
        ("`families`", f"{_span(job['families'], 'minItems', 'maxItems')} families, each once"),
        ("`name`", _chars(job["name"])),
        ("`workload`", f"{_chars(job['workload'])}: letters, digits and `_ . : -`"),
        ("`seed`", _span(job["seed"])),
        ("`priority`", f"{job['priority']['minimum']}–{job['priority']['maximum']}"),
        ("`count` of a lease call", _span(_properties(JobLeaseRequest)["count"])),
        (
            "`reports` of `POST /v1/reports`",
            _span(_properties(ReportBatch)["reports"], "minItems", "maxItems"),
        ),
        ("`failed` reason of a completion", _chars(_properties(Completion)["failed"])),
        (
            "`limit` of `GET /v1/recommendations`",
            f"{_span(recommendations)} (default {recommendations['default']})",
        ),
    ]


@pytest.mark.parametrize(("what", "limit"), _expected_rows())
def test_the_readme_states_the_limit_the_code_enforces(what: str, limit: str) -> None:
    assert f"| {what} | {limit} |" in README.read_text(encoding="utf-8")
