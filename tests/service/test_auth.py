"""Who may do what: bearer tokens by scope, another token's job is "not found", and input
that is wrong gets a 4xx naming the field, never a 500."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import SecretStr

from service.auth import TokenVerifier, ensure_admin_token
from service.errors import UnauthorizedError
from tests.service.conftest import Api, ApiFactory
from tunewise.cli import cli
from tunewise.wire.models import TokenScope


def test_everything_but_healthz_needs_a_token(refusing_api: Api) -> None:
    assert refusing_api.client.get("/healthz").status_code == 200
    for method, path in [
        ("GET", "/v1/jobs"),
        ("POST", "/v1/jobs"),
        ("POST", "/v1/leases"),
        ("GET", "/metrics"),
        ("GET", "/readyz"),
        ("POST", "/v1/trials/1/complete"),
    ]:
        response = refusing_api.client.request(method, path)
        assert response.status_code == 401, (method, path)
        assert response.json()["error"]["code"] == "unauthorized"
        assert response.headers["www-authenticate"] == "Bearer"
    forged = {"Authorization": "Bearer tw_abcdef123456_not-the-secret"}
    assert refusing_api.client.get("/v1/jobs", headers=forged).status_code == 401


def test_a_token_sees_only_its_own_jobs(api: Api) -> None:
    alice, bob = api.token(TokenScope.USER), api.token(TokenScope.USER)
    job = api.create_job(headers=alice, budget={"n_trials": 2})

    assert api.client.get(f"/v1/jobs/{job['id']}", headers=alice).status_code == 200
    for method, path in [
        ("GET", f"/v1/jobs/{job['id']}"),
        ("GET", f"/v1/jobs/{job['id']}/trials"),
        ("POST", f"/v1/jobs/{job['id']}/lease"),
        ("POST", f"/v1/jobs/{job['id']}/cancel"),
    ]:
        response = api.client.request(method, path, headers=bob)
        assert response.status_code == 404, (method, path)
        assert response.json()["error"] == {
            "code": "not_found",
            "message": f"no job {job['id']!r}",
            "field": "job_id",
        }
    assert api.client.get("/v1/jobs", headers=bob).json()["total"] == 0
    assert api.client.get("/v1/jobs", headers=api.admin).json()["total"] == 1

    lease = api.lease(job["id"], headers=alice)
    assert lease is not None
    assert api.complete(lease["trial_id"], {"value": 1.0}, headers=bob).status_code == 404


def test_a_worker_token_runs_trials_but_cannot_read_jobs(api: Api) -> None:
    worker, other_worker = api.token(TokenScope.WORKER), api.token(TokenScope.WORKER)
    job = api.create_job(workload="digits-cnn", budget={"n_trials": 2})

    assert api.client.get("/v1/jobs", headers=worker).status_code == 403
    assert (
        api.client.post("/v1/jobs", json={"task": {"domain": "nlp"}}, headers=worker).status_code
        == 403
    )
    response = api.client.post("/v1/leases", json={"workloads": ["digits-cnn"]}, headers=worker)
    trial_id = response.json()["trial_id"]
    assert api.report(trial_id, 0, 1.0, headers=other_worker).status_code == 404
    assert api.report(trial_id, 0, 1.0, headers=worker).status_code == 200
    assert api.complete(trial_id, {"value": 0.5}, headers=worker).status_code == 200
    assert api.job(job["id"])["progress"]["complete"] == 1


def test_the_environment_token_is_an_admin_token(api_factory: ApiFactory) -> None:
    api = api_factory(api_token=SecretStr("a-long-random-secret-from-the-environment"))
    headers = {"Authorization": "Bearer a-long-random-secret-from-the-environment"}
    assert api.client.get("/v1/jobs", headers=headers).status_code == 200
    wrong = {"Authorization": "Bearer a-long-random-secret-from-the-environmenT"}
    assert api.client.get("/v1/jobs", headers=wrong).status_code == 401


@pytest.mark.parametrize(
    ("body", "field", "hint"),
    [
        ({"task": {"domain": "nlp"}, "budget": {"n_trials": 0}}, "budget.n_trials", "greater"),
        ({"task": {"domain": "nlp"}, "sampler": "annealing"}, "sampler", "'tpe'"),
        ({"task": {"domain": "biology"}}, "task.domain", "'vision'"),
        ({"task": {"domain": "nlp"}, "workload": "../../etc/passwd"}, "workload", "pattern"),
        ({"task": {"domain": "nlp"}, "families": ["adam", "adam"]}, "families", "once"),
        ({"budget": {"n_trials": 3}}, "task", "required"),
    ],
)
def test_bad_input_gets_422_naming_the_field(
    refusing_api: Api, body: dict[str, object], field: str, hint: str
) -> None:
    response = refusing_api.client.post("/v1/jobs", json=body, headers=refusing_api.admin)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["field"] == field
    assert hint in error["message"]


def test_families_restrict_the_search_to_the_families_named(api: Api) -> None:
    advice = api.client.post("/v1/advice", json={"domain": "nlp"}, headers=api.admin).json()
    last = advice["candidates"][-1]["optimizer"]
    job = api.create_job(task={"domain": "nlp"}, families=[last], budget={"n_trials": 3})
    assert job["families"] == [last]
    for _ in range(3):
        lease = api.lease(job["id"])
        assert lease is not None and lease["params"]["optimizer"] == last


def test_an_oversized_body_gets_413(api_factory: ApiFactory) -> None:
    api = api_factory(max_body_bytes=4096)
    big = {"task": {"description": "x" * 3000, "domain": "nlp"}, "name": "y" * 2000}
    response = api.client.post("/v1/jobs", json=big, headers=api.admin)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"

    def chunks() -> object:
        yield b'{"task": {"domain": "nlp"}, "name": "'
        yield b"z" * 8000
        yield b'"}'

    streamed = api.client.post(
        "/v1/jobs",
        content=chunks(),  # type: ignore[arg-type]
        headers={**api.admin, "Content-Type": "application/json"},
    )
    assert streamed.status_code == 413


def test_first_start_writes_an_admin_token_readable_by_its_owner_only(
    api: Api, tmp_path: Path
) -> None:
    database = api.context.database
    verifier = TokenVerifier(database, None)
    path = tmp_path / "data" / "token"
    token = ensure_admin_token(database, verifier, path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.read_text().strip() == token.get_secret_value()
    assert verifier.verify(token.get_secret_value()).scope is TokenScope.ADMIN
    assert ensure_admin_token(database, verifier, path) == token, "reused at the next start"
    with pytest.raises(UnauthorizedError):
        verifier.verify(token.get_secret_value()[:-1] + "?")


def test_token_create_prints_a_token_the_service_accepts(api: Api, database_url: str) -> None:
    result = CliRunner().invoke(
        cli, ["token", "create", "--scope", "worker", "--database-url", database_url]
    )
    assert result.exit_code == 0, result.output
    secret = result.output.strip()
    assert secret.startswith("tw_")
    headers = {"Authorization": f"Bearer {secret}"}
    assert (
        api.client.post("/v1/leases", json={"workloads": ["x"]}, headers=headers).status_code == 204
    )
