"""``tunewise submit --objective ... --constraint ...``: several objectives and bounds from
the command line, and the job view naming them; bad flags are refused saying the form."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tunewise.cli.conftest import LiveApi
from tests.tunewise.cli.test_jobs import job_file, run
from tunewise.wire.models import Constraint, Job, Objective


def test_objectives_and_constraints_from_flags_replace_the_files_objective(
    live_api: LiveApi, tmp_path: Path
) -> None:
    submitted = run(
        live_api,
        "submit",
        str(job_file(tmp_path)),
        *("--objective", "mse:minimize", "--objective", "train_seconds"),
        *("--constraint", "peak_memory_mb<=512", "--constraint", "n_parameters >= 10"),
        "--json",
    )
    assert submitted.exit_code == 0, submitted.output
    job = Job.model_validate_json(submitted.stdout)
    assert job.objectives == (
        Objective(metric="mse", direction="minimize"),
        Objective(metric="train_seconds", direction="minimize"),
    )
    assert job.constraints == (
        Constraint(metric="peak_memory_mb", max=512),
        Constraint(metric="n_parameters", min=10),
    )
    shown = run(live_api, "jobs", job.id)
    assert shown.exit_code == 0, shown.output
    assert (
        "objectives: mse (minimize), train_seconds (minimize); "
        "constraints: peak_memory_mb<=512, n_parameters>=10"
    ) in shown.stdout
    assert "front: 0 trials" in shown.stdout


@pytest.mark.parametrize(
    ("flags", "words"),
    [
        (("--objective", "mse:sideways"), "metric:direction"),
        (("--constraint", "train_seconds<60"), "metric<=number"),
        (("--constraint", "train_seconds<=soon"), "metric<=number"),
        (tuple(f for m in "abcd" for f in ("--objective", m)), "at most 3"),
    ],
)
def test_a_malformed_flag_is_refused_with_the_form_it_takes(
    live_api: LiveApi, tmp_path: Path, flags: tuple[str, ...], words: str
) -> None:
    result = run(live_api, "submit", str(job_file(tmp_path)), *flags)
    assert result.exit_code == 2, result.output
    assert words in result.output and "Traceback" not in result.output
