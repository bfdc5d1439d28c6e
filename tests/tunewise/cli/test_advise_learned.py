"""``tunewise advise --learned``: the static and the learned advice side by side, from a
running API, with every change and the job it came from."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from click.testing import CliRunner, Result

from tests.tunewise.cli.conftest import LiveApi
from tunewise.cli import cli

TASK = {"domain": "tabular", "architecture": "mlp", "dataset_size": 1000, "batch_size": 32}


def advise_learned(api: LiveApi, *extra: str, token: str | None = "") -> Result:
    """``token``: the --token to pass (the API's by default; None: no --token at all)."""
    args = ["advise", "--learned", "--workload", "tabular-mlp", "--api", api.url]
    given = [] if token is None else ["--token", token or api.token]
    return CliRunner().invoke(
        cli,
        [*args, *given, *extra],
        input=json.dumps(TASK),
        env={
            "TUNEWISE_API_TOKEN": None,
            "TUNEWISE_API_URL": None,
            "TUNEWISE_DATA_DIR": None,
            "COLUMNS": "200",  # one change per line, so the test reads whole lines
        },
    )


def finished_job(api: LiveApi, values: list[float]) -> str:
    headers = {"Authorization": f"Bearer {api.token}"}
    with httpx.Client(base_url=api.url, headers=headers) as http:
        body = {"task": TASK, "workload": "tabular-mlp", "budget": {"n_trials": len(values)}}
        job = http.post("/v1/jobs", json=body).json()
        for value in values:
            lease = http.post(f"/v1/jobs/{job['id']}/lease").json()
            done = http.post(f"/v1/trials/{lease['trial_id']}/complete", json={"value": value})
            assert done.status_code == 200, done.text
        job_id: str = job["id"]
        return job_id


def test_with_no_ended_job_the_learned_advice_is_the_static_one(live_api: LiveApi) -> None:
    result = advise_learned(live_api)
    assert result.exit_code == 0, result.output
    assert "Static and learned family order" in result.output
    assert "the learned advice is the static advice" in result.output


def test_changes_are_listed_with_the_job_they_came_from(live_api: LiveApi) -> None:
    job_id = finished_job(live_api, [0.9, 0.3, 0.6])
    result = advise_learned(live_api)
    assert result.exit_code == 0, result.output
    assert f"warm start: 3 configs from job {job_id}, same workload" in result.output
    assert f"/v1/jobs/{job_id}" in result.output

    as_json = advise_learned(live_api, "--json")
    body = json.loads(as_json.output)
    assert body["similar_jobs"][0]["job_id"] == job_id
    assert body["static"] != body["learned"]


def test_without_a_token_it_uses_the_one_serve_wrote(live_api: LiveApi, tmp_path: Path) -> None:
    data_dir = tmp_path / "served"
    data_dir.mkdir()
    (data_dir / "token").write_text(live_api.token + "\n", encoding="utf-8")
    result = advise_learned(live_api, "--data-dir", str(data_dir), token=None)
    assert result.exit_code == 0, result.output
    assert "Static and learned family order" in result.output


def test_an_empty_token_file_is_no_token(live_api: LiveApi, tmp_path: Path) -> None:
    (tmp_path / "token").write_text("", encoding="utf-8")
    result = advise_learned(live_api, "--data-dir", str(tmp_path), token=None)
    assert result.exit_code != 0
    assert "401" in result.output
