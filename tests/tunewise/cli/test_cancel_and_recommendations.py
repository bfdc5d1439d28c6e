"""``tunewise cancel`` and ``tunewise recommendations`` against a real API: a cancelled job stops
for good and says what happens to running trials; recommendations list the best config of an
ended job of the same kind before the advisor's defaults, each as a ready config line."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from tests.tunewise.cli.conftest import LiveApi
from tests.tunewise.cli.test_jobs import job_file, run
from tunewise.wire.models import Job, Recommendations, TrialParams


def submitted_job_id(api: LiveApi, folder: Path, n_trials: int = 5) -> str:
    result = run(api, "submit", str(job_file(folder, n_trials=n_trials)), "--json")
    assert result.exit_code == 0, result.output
    return Job.model_validate_json(result.stdout).id


def finished_job_id(api: LiveApi, folder: Path) -> str:
    """A job followed until the worker has run its 3 trials."""
    finished = run(api, "submit", str(job_file(folder)), "--follow", "--poll", "0.2")
    assert finished.exit_code == 0, finished.output
    return finished.stdout.split()[1]


def test_cancel_ends_a_queued_job_and_says_what_happens_to_running_trials(
    live_api: LiveApi, tmp_path: Path
) -> None:
    job_id = submitted_job_id(live_api, tmp_path)
    result = run(live_api, "cancel", job_id)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"job {job_id} cancelled: ")
    assert "running trials may still finish" in result.stdout
    assert f"`tunewise jobs {job_id}`" in result.stdout
    shown = Job.model_validate_json(run(live_api, "jobs", job_id, "--json").stdout)
    assert shown.state.value == "cancelled"


def test_cancel_json_prints_the_job_and_an_unknown_job_is_refused_by_name(
    live_api: LiveApi, tmp_path: Path
) -> None:
    job_id = submitted_job_id(live_api, tmp_path)
    printed = run(live_api, "cancel", job_id, "--json")
    assert Job.model_validate_json(printed.stdout).state.value == "cancelled"
    unknown = run(live_api, "cancel", "0123456789abcdef")
    assert unknown.exit_code == 2
    assert "0123456789abcdef" in unknown.output and "Traceback" not in unknown.output


def test_a_completed_job_cannot_be_cancelled_and_the_refusal_says_why(
    live_api: LiveApi, live_worker: threading.Thread, tmp_path: Path
) -> None:
    refused = run(live_api, "cancel", finished_job_id(live_api, tmp_path))
    assert refused.exit_code == 2
    assert "already ended (completed)" in refused.output


def test_recommendations_for_a_domain_give_the_advisors_ready_configs(live_api: LiveApi) -> None:
    result = run(live_api, "recommendations", "--domain", "nlp", "--architecture", "transformer")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "best-known configs for nlp / transformer / from_scratch:"
    assert lines[1].startswith("1. ") and "advisor default for" in lines[1]
    assert TrialParams.model_validate(json.loads(lines[2])).lr > 0
    found = Recommendations.model_validate_json(
        run(live_api, "recommendations", "--domain", "nlp", "--limit", "2", "--json").stdout
    )
    assert len(found.items) == 2 and found.kind.domain is not None


def test_recommendations_from_a_description_alone(live_api: LiveApi) -> None:
    result = run(live_api, "recommendations", "fine-tune bert on 20k reviews", "--json")
    assert result.exit_code == 0, result.output
    kind = Recommendations.model_validate_json(result.stdout).kind
    assert (kind.domain, kind.regime) == ("nlp", "fine_tuning")


def test_recommendations_list_an_ended_job_of_that_kind_before_the_advisor(
    live_api: LiveApi, live_worker: threading.Thread, tmp_path: Path
) -> None:
    job_id = finished_job_id(live_api, tmp_path)
    result = run(live_api, "recommendations", "--domain", "tabular", "--architecture", "mlp")
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[1]
    assert first.startswith("1. ") and f"best of job {job_id}" in first


def test_recommendations_without_a_description_or_domain_say_what_to_give(
    live_api: LiveApi,
) -> None:
    result = run(live_api, "recommendations", "--architecture", "cnn")
    assert result.exit_code == 2
    assert "--domain" in result.output and "vision" in result.output
