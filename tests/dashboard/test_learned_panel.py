"""The job page shows what a job learned from its owner's past jobs: the changes from the
static advice in the advice panel, and which trials were warm starts."""

from __future__ import annotations

import re

from tests.dashboard.conftest import run_trials
from tests.service.conftest import Api

TASK = {"domain": "vision", "architecture": "cnn", "dataset_size": 50_000, "batch_size": 128}


def test_a_warm_started_job_shows_its_changes_and_marks_its_warm_trials(signed_in: Api) -> None:
    first = signed_in.create_job(task=TASK, workload="digits-cnn", budget={"n_trials": 3})
    run_trials(signed_in, first["id"], 3)
    html = signed_in.client.get(f"/ui/jobs/{first['id']}").text
    assert "Learned from your past jobs" not in html  # nothing to learn from yet

    second = signed_in.create_job(task=TASK, workload="digits-cnn", budget={"n_trials": 4})
    run_trials(signed_in, second["id"], 2)
    html = signed_in.client.get(f"/ui/jobs/{second['id']}").text
    assert "Learned from your past jobs" in html
    assert f"warm start: 3 configs from job {first['id']}, same workload" in html
    assert f"Source: /v1/jobs/{first['id']}" in html
    assert 'class="badge warm"' in html
    # Which of the first job's trials come back first follows their values, which follow the
    # sampled lrs of an unseeded job: any of them will do.
    assert re.search(rf"warm start: trial \d+ of job {first['id']}", html)
