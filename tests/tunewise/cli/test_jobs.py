"""``tunewise submit`` and ``tunewise jobs`` against a real API: a job followed to its end
prints its best config as JSON and as PyTorch code that compiles; bad input and an absent or
refusing API get a message that says what to do, never a traceback."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.tunewise.cli.conftest import LiveApi
from tunewise.cli import cli
from tunewise.wire.models import Job, Page

NO_ENV = {"TUNEWISE_API_TOKEN": None, "TUNEWISE_API_URL": None, "TUNEWISE_DATA_DIR": None}


def job_file(folder: Path, n_trials: int = 3) -> Path:
    path = folder / "job.json"
    path.write_text(
        json.dumps(
            {
                "name": "cli test",
                "task": {"domain": "tabular", "architecture": "mlp"},
                "workload": "tw-instant",
                "objective": {"metric": "mse", "direction": "minimize"},
                "budget": {"n_trials": n_trials, "max_epochs": 2},
                "pruner": "none",
            }
        )
    )
    return path


def run(api: LiveApi, *args: str, stdin: str | None = None, token: bool = True) -> Result:
    auth = ["--token", api.token] if token else []
    return CliRunner().invoke(cli, [*args, "--api", api.url, *auth], input=stdin, env=NO_ENV)


def test_submit_follow_ends_with_the_best_config_as_json_and_as_pytorch_code(
    live_api: LiveApi, live_worker: threading.Thread, tmp_path: Path
) -> None:
    result = run(live_api, "submit", str(job_file(tmp_path)), "--follow", "--poll", "0.2")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "completed: budget reached: 3 finished trials" in out
    assert "best: mse = " in out
    config_line = out.split("ready config (`tunewise train --config`):\n", 1)[1].splitlines()[0]
    assert json.loads(config_line)["lr"] > 0
    code = out.split("in PyTorch:\n", 1)[1]
    assert "optimizer = torch.optim." in code
    compile(code, "<printed>", "exec")


def test_submit_without_follow_says_how_to_follow_and_jobs_lists_it(
    live_api: LiveApi, tmp_path: Path
) -> None:
    submitted = run(live_api, "submit", str(job_file(tmp_path, n_trials=5)))
    assert submitted.exit_code == 0, submitted.output
    job_id = submitted.stdout.split()[1]
    assert f"follow it with `tunewise jobs {job_id}`" in submitted.stdout
    assert "5 trials on workload tw-instant" in submitted.stdout

    listed = run(live_api, "jobs")
    assert listed.exit_code == 0 and job_id in listed.stdout and "0/5" in listed.stdout
    page = Page[Job].model_validate_json(run(live_api, "jobs", "--json").stdout)
    assert [j.id for j in page.items] == [job_id]
    shown = run(live_api, "jobs", job_id)
    assert "queued" in shown.stdout and "no complete trial yet" in shown.stdout
    assert run(live_api, "jobs", "--state", "completed").stdout.startswith("no jobs yet")


def test_submit_reads_stdin_and_prints_json_only_when_asked(
    live_api: LiveApi, tmp_path: Path
) -> None:
    result = run(live_api, "submit", "-", "--json", stdin=job_file(tmp_path).read_text())
    assert result.exit_code == 0, result.output
    assert Job.model_validate_json(result.stdout).workload == "tw-instant"


def test_an_invalid_job_is_refused_naming_the_field(live_api: LiveApi) -> None:
    result = run(live_api, "submit", "-", stdin='{"task": {"domain": "space"}}')
    assert result.exit_code == 2
    assert "task.domain" in result.output and "Traceback" not in result.output


def test_a_token_is_found_in_the_data_folder_of_serve(live_api: LiveApi, tmp_path: Path) -> None:
    (tmp_path / "token").write_text(live_api.token + "\n")
    found = run(live_api, "jobs", "--data-dir", str(tmp_path), token=False)
    assert found.exit_code == 0, found.output
    missing = run(live_api, "jobs", "--data-dir", str(tmp_path / "elsewhere"), token=False)
    assert missing.exit_code == 1
    assert "refused the token" in missing.output and "--data-dir" in missing.output


def test_an_absent_api_is_named_with_what_to_check(tmp_path: Path) -> None:
    absent = LiveApi(url="http://127.0.0.1:9", token="t")
    result = run(absent, "submit", str(job_file(tmp_path)))
    assert result.exit_code == 1
    assert "cannot reach the API at http://127.0.0.1:9" in result.output
    assert "tunewise serve" in result.output


@pytest.mark.parametrize("example", sorted(Path("examples").glob("*.json")), ids=lambda p: p.stem)
def test_each_example_job_is_valid_and_names_a_built_in_workload_with_its_metric(
    example: Path,
) -> None:
    from tunewise.wire.models import JobCreate
    from workers.workloads import WorkloadRegistry

    job = JobCreate.model_validate_json(example.read_text())
    spec = {s.name: s for s in WorkloadRegistry.discover().specs()}[job.workload or ""]
    assert example.stem == spec.name
    assert (job.objective.metric, job.objective.direction) == (spec.metric, spec.direction)
    assert job.budget.n_trials is not None and job.budget.n_trials <= 12
