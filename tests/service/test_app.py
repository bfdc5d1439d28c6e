"""The app as a whole: OpenAPI at /docs, liveness and readiness, metrics. Generated input
(schemathesis) is in test_openapi_fuzz.py."""

from __future__ import annotations

import re

from service.db.migrate import head_revision
from tests.service.conftest import Api


def test_openapi_documents_the_v1_contract(refusing_api: Api) -> None:
    paths = refusing_api.client.get("/openapi.json").json()["paths"]
    for path in [
        "/v1/advice",
        "/v1/jobs",
        "/v1/jobs/{job_id}",
        "/v1/jobs/{job_id}/cancel",
        "/v1/jobs/{job_id}/trials",
        "/v1/jobs/{job_id}/lease",
        "/v1/leases",
        "/v1/trials/{trial_id}/report",
        "/v1/trials/{trial_id}/complete",
        "/v1/recommendations",
        "/healthz",
        "/readyz",
        "/metrics",
    ]:
        assert path in paths, path
    assert refusing_api.client.get("/docs").status_code == 200


def test_readyz_says_the_database_answers_at_the_head_revision(refusing_api: Api) -> None:
    ready = refusing_api.client.get("/readyz", headers=refusing_api.admin)
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ready",
        "database": True,
        "migrations": f"{head_revision()} (head {head_revision()})",
    }


def test_metrics_count_requests_by_route_template(api: Api) -> None:
    job = api.create_job(budget={"n_trials": 2})
    api.lease(job["id"])
    text = api.client.get("/metrics", headers=api.admin).text
    assert 'route="/v1/jobs/{job_id}/lease",status="200"' in text
    asked = re.search(r"^tunewise_ask_seconds_count (\S+)$", text, re.MULTILINE)
    assert asked is not None and float(asked.group(1)) >= 1
    assert 'tunewise_trials{state="running"} 1.0' in text
    assert 'tunewise_jobs{state="running"} 1.0' in text
